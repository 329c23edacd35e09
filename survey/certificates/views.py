"""Reflection, the CPD certificate (page and PDF) and public verification."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from survey.campaigns import services as campaigns
from survey.certificates import services
from survey.certificates.forms import ReflectionForm
from survey.certificates.pdf import qr_svg_data_uri, render_pdf
from survey.extensions import db, limiter
from survey.learning.services import reflection_of, save_reflection
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("certificates", __name__)


def _enrolment_and_state(slug: str):
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    return enrolment, campaigns.journey_state(enrolment, library().modules)


@bp.route("/c/<slug>/reflection", methods=["GET", "POST"])
@role_required("gp")
def reflection(slug: str):
    enrolment, state = _enrolment_and_state(slug)
    if not state.reflection_unlocked:
        flash("The reflection opens after the post-course survey.")
        return redirect(url_for("campaigns.overview", slug=slug))
    existing = reflection_of(enrolment)
    form = ReflectionForm(data={"text": existing.text} if existing else None)
    if form.validate_on_submit():
        save_reflection(enrolment, form.text.data)
        db.session.commit()
        flash("Your reflection is saved.")
        return redirect(url_for("certificates.certificate", slug=slug))
    return render_template("certificates/reflection.html", enrolment=enrolment, form=form)


@bp.get("/c/<slug>/certificate")
@role_required("gp")
def certificate(slug: str):
    enrolment, state = _enrolment_and_state(slug)
    try:
        issued = services.issue_certificate(enrolment, state, library().modules)
    except services.NotEligible as error:
        flash(str(error))
        return redirect(url_for("campaigns.overview", slug=slug))
    db.session.commit()
    return render_template("certificates/certificate.html", enrolment=enrolment, certificate=issued,
                           code=services.display_code(issued.code))


@bp.get("/c/<slug>/certificate.pdf")
@role_required("gp")
def certificate_pdf(slug: str):
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    issued = services.certificate_of(enrolment) or abort(404)
    verify_url = url_for("certificates.verify", code=issued.code, _external=True)
    view = services.view_of(issued, current_app.config["ISSUER_NAME"], verify_url)
    html = render_template("certificates/certificate_pdf.html", cert=view, qr=qr_svg_data_uri(verify_url))
    filename = f"CPD-certificate-{issued.code[:5]}.pdf"
    return Response(render_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/verify/<code>")
@limiter.limit("30 per minute")
def verify(code: str):
    """Public: status, holder, activity, credits and date only."""
    found = services.find_by_code(code)
    status = "unknown" if found is None else ("revoked" if found.revoked_at else "valid")
    return render_template("certificates/verify.html", certificate=found, status=status,
                           code=services.display_code(found.code) if found else code), (404 if found is None else 200)
