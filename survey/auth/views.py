"""Register, sign in, sign out, reset a password."""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from survey.audit import services as audit
from survey.auth import services
from survey.auth.forms import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from survey.extensions import db, limiter, login_manager
from survey.mail import send_mail
from survey.web.safety import safe_next_url

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.user_loader(services.load_user)


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm(data=session.get("invitee"))  # an invitation link pre-fills name and email
    if form.validate_on_submit():
        try:
            user = services.create_user(form.name.data, form.email.data, form.password.data, "gp", form.gmc_number.data)
        except services.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("campaigns.home"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("That email and password do not match an account.")
        else:
            audit.record(user, "sign_in")
            db.session.commit()
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("campaigns.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        hours = current_app.config["PASSWORD_RESET_HOURS"]
        started = services.start_password_reset(form.email.data, timedelta(hours=hours))
        if started:
            user, token = started
            db.session.commit()
            link = url_for("auth.reset", token=token, _external=True)
            send_mail(user.email, "Reset your password",
                      render_template("auth/reset_email.txt", user=user, link=link, hours=hours))
        flash("If an account uses that email, we have sent it a link to reset the password.")
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def reset(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as error:
            flash(error.message, "error")
            return redirect(url_for("auth.request_reset"))
        db.session.commit()
        logout_user()
        login_user(user)
        flash("Your password has been changed.")
        return redirect(url_for("campaigns.home"))
    return render_template("auth/reset.html", form=form)
