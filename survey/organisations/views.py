"""Admins' pages for organisations, and the route that serves their logos."""
from flask import Blueprint, abort, flash, redirect, render_template, send_from_directory, url_for
from flask_login import current_user

from survey.audit import services as audit
from survey.extensions import db
from survey.organisations import services
from survey.organisations.forms import OrganisationForm
from survey.organisations.logos import MIME_TYPES, LogoInvalid
from survey.organisations.models import Organisation
from survey.web.access import role_required

bp = Blueprint("organisations", __name__)
#: A logo opened on its own runs nothing (new SVGs are stored as PNG; this covers SVGs stored before that).
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.get("/manage/organisations")
@role_required("admin")
def index():
    return render_template("organisations/index.html", organisations=services.all_organisations())


@bp.route("/manage/organisations/new", methods=["GET", "POST"])
@role_required("admin")
def new():
    return _edit_page(None)


@bp.route("/manage/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(organisation_id: int):
    return _edit_page(db.session.get(Organisation, organisation_id) or abort(404))


def _edit_page(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            saved = services.save_organisation(organisation, form.name.data.strip(), form.colour.data,
                                               upload.read() if upload else None)
        except LogoInvalid as error:
            form.logo.errors.append(str(error))
        except services.OrganisationError as error:
            form[error.field].errors.append(error.message)
        else:
            audit.record(current_user, "organisation.update" if organisation else "organisation.create",
                         f"organisation:{saved.id}", name=saved.name, colour=saved.colour, logo_changed=bool(upload))
            db.session.commit()
            flash("The organisation is saved.")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/form.html", form=form, organisation=organisation)


@bp.get("/organisations/<int:organisation_id>/logo")
@role_required("gp", "educator", "charity")
def logo(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id) or abort(404)
    if not organisation.logo_filename:
        abort(404)
    response = send_from_directory(services.logo_folder(), organisation.logo_filename,
                                   mimetype=MIME_TYPES[organisation.logo_filename.rsplit(".", 1)[1]], max_age=3600)
    response.headers["Content-Security-Policy"] = LOGO_CSP
    # Only signed-in people may fetch it: a browser may keep it, a shared cache must not.
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.add("Cookie")
    return response
