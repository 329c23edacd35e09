"""A GP's data: see what we hold, download it (JSON, CSV), withdraw or give research consent, delete the account."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user
from markupsafe import Markup

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.learning import markdown
from survey.privacy import consent, services, site_pages
from survey.privacy.flatten import jsonable, to_csv
from survey.privacy.forms import DeleteAccountForm, WithdrawForm
from survey.privacy import nostore
from survey.privacy.nostore import personal
from survey.web.access import role_required

bp = Blueprint("privacy", __name__)
bp.after_app_request(nostore.apply)


@bp.get("/account/")
@role_required("gp")
def index():
    enrolments = campaigns.enrolments_of(current_user)
    return render_template("privacy/index.html", enrolments=enrolments, form=WithdrawForm(),
                           wording=consent.RESEARCH_WORDING, history={e.id: consent.history(e) for e in enrolments})


def _download(body: str, mimetype: str, extension: str) -> Response:
    return personal(Response(body, mimetype=mimetype,
                             headers={"Content-Disposition": f'attachment; filename="my-data.{extension}"'}))


@bp.get("/account/export.json")
@role_required("gp")
def export_json():
    data = jsonable(services.personal_data(current_user, "json"))
    db.session.commit()
    return _download(json.dumps(data, indent=2, ensure_ascii=False), "application/json", "json")


@bp.get("/account/export.csv")
@role_required("gp")
def export_csv():
    data = services.personal_data(current_user, "csv")
    db.session.commit()
    return _download(to_csv(data), "text/csv", "csv")


@bp.route("/account/withdraw/<slug>", methods=["GET", "POST"])
@role_required("gp")
def withdraw(slug: str):
    """Withdrawing asks for confirmation first and says what happens to the answers."""
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    form = WithdrawForm()
    if not enrolment.research_consent:
        return redirect(url_for("privacy.index"))
    if form.validate_on_submit():
        consent.withdraw(enrolment)
        db.session.commit()
        flash(f"Your answers in '{enrolment.campaign.title}' will no longer be used for research. You can carry on learning.")
        return redirect(url_for("privacy.index"))
    return render_template("privacy/withdraw.html", enrolment=enrolment, form=form)


@bp.post("/account/consent/<slug>")
@role_required("gp")
def give_consent(slug: str):
    """Agreeing again to research use, after withdrawing or declining: a new consent record."""
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    if WithdrawForm().validate_on_submit() and consent.give(enrolment):
        db.session.commit()
        flash(f"Thank you: your answers in '{enrolment.campaign.title}' will be used, without your name, for research.")
    return redirect(url_for("privacy.index"))


@bp.route("/account/delete", methods=["GET", "POST"])
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


def _site_page(name: str):
    text = site_pages.page_text(name)
    if text is None:
        abort(404)
    return render_template("privacy/site_page.html", title=site_pages.PAGES[name],
                           body=Markup(markdown.render(text, drop_title=True)))


@bp.get("/privacy")
def notice():
    return _site_page("privacy")


@bp.get("/accessibility")
def accessibility():
    return _site_page("accessibility")


@bp.get("/contact")
def contact():
    return _site_page("contact")
