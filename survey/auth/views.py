"""Register and confirm an address, sign in and out, reset a password, end sessions."""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from survey import clock
from survey.audit import services as audit
from survey.auth import services, sessions
from survey.auth.deferred import after_response, send_after_response
from survey.auth.forms import ConfirmForm, EmailForm, LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from survey.extensions import db, limiter, login_manager
from survey.jobs.mail import send_account_mail
from survey.oidc import services as oidc
from survey.web.safety import safe_next_url
from survey.web.urls import external_url

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.user_loader(sessions.load_user)
#: Journey state that survives signing in (an invitation being accepted); everything else is dropped.
KEEP_AT_SIGN_IN = ("invitation_id", "invitee", "after_confirm")


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def register_rate_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def sign_in(user, via: str) -> None:
    """Start a new server-side session (never reuse one: no fixation) and a fresh cookie; commits."""
    sessions.end_session(session.get("_user_id"))
    sessions.start_session(user)
    audit.record(user, "sign_in", via=via, ip=request.remote_addr)
    db.session.commit()
    kept = {key: session[key] for key in KEEP_AT_SIGN_IN if key in session}
    session.clear()  # a new CSRF token too
    session.update(kept)
    login_user(user)


def _send_confirmation(user, gmc_pending: bool = False) -> None:
    hours = current_app.config["CONFIRM_EMAIL_HOURS"]
    link = external_url("auth.confirm", token=services.confirmation_token(user))
    send_after_response("confirmation", user.email, "Confirm your email address", render_template(
        "auth/confirm_email.txt", user=user, link=link, hours=hours, gmc_pending=gmc_pending))


def _tell_owner(user) -> None:
    hours = current_app.config["CONFIRM_EMAIL_HOURS"]
    link = external_url("auth.confirm", token=services.confirmation_token(user)) if not user.email_confirmed_at else None
    send_after_response("registered", user.email, "Someone tried to register with your address", render_template(
        "auth/already_registered.txt", user=user, link=link, hours=hours,
        login=external_url("auth.login"), reset=external_url("auth.request_reset")))


def _accepted(response) -> bool:
    return response.status_code == 302


@bp.route("/register", methods=["GET", "POST"])
# Only accepted registrations count: a GP fixing typos is not slowed, and a practice's GPs behind one
# NAT address share the allowance only for accounts actually made.
@limiter.limit(register_rate_limit, methods=["POST"], deduct_when=_accepted)
def register():
    """The same answer whether or not the address (or GMC number) has an account: the owner hears by email."""
    form = RegisterForm(data=session.get("invitee"))  # an invitation link pre-fills name and email
    if form.validate_on_submit():
        try:
            result = services.register(form.name.data, form.email.data, form.password.data, form.gmc_number.data)
        except services.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            if result.new:
                audit.record(result.user, "account.register", gmc_pending=result.gmc_claim is not None)
                _send_confirmation(result.user, gmc_pending=result.gmc_claim is not None)
            else:
                audit.record(result.user, "account.register_again", ip=request.remote_addr)
                _tell_owner(result.user)
            db.session.commit()
            session["after_confirm"] = safe_next_url(request.args.get("next"))
            return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form)


@bp.get("/register/check-email")
def check_email():
    return render_template("auth/check_email.html", hours=current_app.config["CONFIRM_EMAIL_HOURS"])


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def confirm(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = services.confirm_email(token)
        except services.AccountError as error:
            flash(error.message, "error")
            return redirect(url_for("auth.login"))
        audit.record(user, "account.confirm_email")
        sign_in(user, "confirmation")
        flash("Thank you: your email address is confirmed.")
        return redirect(session.pop("after_confirm", None) or url_for("campaigns.home"))
    return render_template("auth/confirm.html", form=form)


@bp.route("/confirm-email", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def resend_confirmation():
    form = EmailForm()
    if form.validate_on_submit():
        user = services.unconfirmed_user(form.email.data)
        if user is not None:
            _send_confirmation(user)
        flash("If an account with that address is waiting to be confirmed, we have sent it a new link.")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend_confirmation.html", form=form)


def _refusal_message(refused: services.SignInRefused) -> str:
    if refused.reason == "throttled":
        minutes = max(1, round((refused.until - clock.now()).total_seconds() / 60))
        return (f"Too many failed attempts for this address. Try again in {minutes} minute{'s' if minutes != 1 else ''},"
                " or reset your password.")
    if refused.reason == "disabled":
        return "This account has been disabled. Please contact the platform's administrators."
    if refused.reason == "unconfirmed":
        return "Please confirm your email address first: we have sent you a new link."
    return "That email and password do not match an account."


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.SignInRefused as refused:
            audit.record(refused.user, "sign_in.failed", reason=refused.reason, ip=request.remote_addr)
            if refused.reason == "unconfirmed":
                _send_confirmation(refused.user)
            db.session.commit()
            form.password.errors.append(_refusal_message(refused))
        else:
            sign_in(user, "password")
            return redirect(safe_next_url(request.args.get("next")) or url_for("campaigns.home"))
    return render_template("auth/login.html", form=form, providers=oidc.enabled_providers())


@bp.post("/logout")
@login_required
def logout():
    """Ends this device's session on the server, so a copied cookie stops working too."""
    sessions.end_session(current_user.login_session_id)
    db.session.commit()
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.get("/sessions")
@login_required
def session_list():
    return render_template("auth/sessions.html", live=sessions.live_sessions(current_user), form=ConfirmForm(),
                           idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
                           max_hours=current_app.config["SESSION_MAX_HOURS"])


@bp.post("/sessions/end-all")
@login_required
def sign_out_everywhere():
    if ConfirmForm().validate_on_submit():
        ended = sessions.end_all_sessions(current_user)
        audit.record(current_user, "sign_out_everywhere", sessions=ended)
        db.session.commit()
        logout_user()
        flash("You have signed out of every device.")
    return redirect(url_for("auth.login"))


def _send_reset_link(email: str, ip: str | None) -> None:
    """After the response: make a reset token for the account with ``email``, if there is one, and mail it."""
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    started = services.start_password_reset(email, timedelta(hours=hours))
    if started:
        user, token = started
        audit.record(user, "password.reset_requested", ip=ip)
        db.session.commit()
        send_account_mail("reset", user.email, "Reset your password", render_template(
            "auth/reset_email.txt", user=user, link=external_url("auth.reset", token=token), hours=hours))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def request_reset():
    """The same answer, in the same time, whether or not the address has an account: all the work that
    depends on it happens after the response."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        after_response(_send_reset_link, form.email.data, request.remote_addr)
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
            if error.field == "password":
                form.password.errors.append(error.message)
                return render_template("auth/reset.html", form=form)
            flash(error.message, "error")
            return redirect(url_for("auth.request_reset"))
        audit.record(user, "password.reset", ip=request.remote_addr)
        logout_user()
        sign_in(user, "reset")
        flash("Your password has been changed, and every other device signed out.")
        return redirect(url_for("campaigns.home"))
    return render_template("auth/reset.html", form=form)
