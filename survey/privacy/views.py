"""A GP's data: see what we hold, download it (JSON, CSV), withdraw research consent, delete the account."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.privacy import services
from survey.privacy.flatten import jsonable, to_csv
from survey.privacy.forms import DeleteAccountForm, WithdrawForm
from survey.web.access import role_required

bp = Blueprint("privacy", __name__, url_prefix="/account")


@bp.get("/")
@role_required("gp")
def index():
    return render_template("privacy/index.html", enrolments=campaigns.enrolments_of(current_user), form=WithdrawForm())


def _download(body: str, mimetype: str, extension: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="my-data.{extension}"', "Cache-Control": "no-store"})


@bp.get("/export.json")
@role_required("gp")
def export_json():
    data = jsonable(services.personal_data(current_user, "json"))
    db.session.commit()
    return _download(json.dumps(data, indent=2, ensure_ascii=False), "application/json", "json")


@bp.get("/export.csv")
@role_required("gp")
def export_csv():
    data = services.personal_data(current_user, "csv")
    db.session.commit()
    return _download(to_csv(data), "text/csv", "csv")


@bp.post("/withdraw/<slug>")
@role_required("gp")
def withdraw(slug: str):
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    if WithdrawForm().validate_on_submit() and services.withdraw_research_consent(enrolment):
        db.session.commit()
        flash(f"Your answers in '{enrolment.campaign.title}' will no longer be used for research. You can carry on learning.")
    return redirect(url_for("privacy.index"))


@bp.route("/delete", methods=["GET", "POST"])
@role_required("gp")
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append("That password is not right.")
        else:
            services.delete_account(current_user)
            db.session.commit()
            logout_user()
            flash("Your account is deleted. Thank you for taking part.")
            return redirect(url_for("campaigns.home"))
    return render_template("privacy/delete.html", form=form)
