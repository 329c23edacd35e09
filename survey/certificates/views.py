"""Reflections, CPD certificates (page and PDF) for a campaign or one module, and public verification."""

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user

from survey.campaigns import services as campaigns
from survey.campaigns.journey import CAMPAIGN
from survey import clock
from survey.certificates import renewal, services
from survey.certificates.forms import ReflectionForm, VerifyForm
from survey.certificates.models import Certificate
from survey.certificates.stored_pdf import pdf_of
from survey.codes import normalise_code
from survey.extensions import db, limiter
from survey.certificates.reflection_prompts import ANSWER_MIN, compose, split
from survey.learning.notes import notes_for, notes_text
from survey.learning.services import reflection_of, save_reflection
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("certificates", __name__)
CAMPAIGN_ROUTE, MODULE_ROUTE = "/c/<slug>", "/c/<slug>/m/<module_slug>"


def _open(slug: str, module_slug: str | None):
    """The GP's own enrolment, its journey and the scope asked for; 404 for anyone else's, and for
    a certificate the campaign never issues (per module in a per-campaign one, or the reverse)."""
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    state = campaigns.journey_state(enrolment, library().modules)
    if (module_slug is not None) != state.per_module_certificates or (module_slug and not state.module(module_slug)):
        abort(404)
    return enrolment, state, module_slug or CAMPAIGN


def _scope_title(enrolment, scope: str) -> str:
    return enrolment.campaign.title if scope == CAMPAIGN else library().modules[scope].title


@bp.route(f"{CAMPAIGN_ROUTE}/reflection", methods=["GET", "POST"], defaults={"module_slug": None})
@bp.route(f"{MODULE_ROUTE}/reflection", methods=["GET", "POST"])
@role_required("gp")
def reflection(slug: str, module_slug: str | None):
    enrolment, state, scope = _open(slug, module_slug)
    if not (state.reflection_unlocked if scope == CAMPAIGN else state.module_reflection_unlocked(scope)):
        flash("The reflection opens after the post-course survey." if scope == CAMPAIGN
              else "The reflection on a module opens when you have finished it.")
        return redirect(url_for("campaigns.overview", slug=slug))
    existing = reflection_of(enrolment, scope)
    notes = notes_for(enrolment, None if scope == CAMPAIGN else scope)
    form = ReflectionForm(data=split(existing.text) if existing else {"learned": notes_text(notes)} if notes else None)
    if form.validate_on_submit():
        save_reflection(enrolment, compose(form.answers()), scope)
        db.session.commit()
        flash("Your reflection is saved.")
        return redirect(url_for("certificates.certificate", slug=slug, module_slug=module_slug))
    return render_template("certificates/reflection.html", enrolment=enrolment, form=form, module_slug=module_slug,
                           about=_scope_title(enrolment, scope), answer_min=ANSWER_MIN, notes=notes,
                           prefilled=bool(notes and not existing))


@bp.get(f"{CAMPAIGN_ROUTE}/certificate", defaults={"module_slug": None})
@bp.get(f"{MODULE_ROUTE}/certificate")
@role_required("gp")
def certificate(slug: str, module_slug: str | None):
    enrolment, state, scope = _open(slug, module_slug)
    try:
        issued = services.issue_certificate(enrolment, state, library().modules, scope)
    except services.NotEligible as error:
        flash(str(error))
        return redirect(url_for("campaigns.overview", slug=slug))
    pdf_of(issued)  # rendered once, at issue
    db.session.commit()
    return render_template("certificates/certificate.html", enrolment=enrolment, certificate=issued,
                           module_slug=module_slug, code=services.display_code(issued.code),
                           expired=issued.valid_until is not None and clock.now() >= issued.valid_until,
                           renewal_opens_at=renewal.renewal_opens_at(issued),
                           renewable=renewal.renewal_refused(enrolment, scope, clock.now()) is None)


@bp.post(f"{CAMPAIGN_ROUTE}/certificate/renew", defaults={"module_slug": None})
@bp.post(f"{MODULE_ROUTE}/certificate/renew")
@role_required("gp")
def renew(slug: str, module_slug: str | None):
    """Start a repeat of the course for a new certificate (see ``renewal.py``)."""
    enrolment, _, scope = _open(slug, module_slug)
    try:
        renewal.start_renewal(enrolment, scope, clock.now())
    except renewal.NotRenewable as error:
        flash(str(error))
        return redirect(url_for("certificates.certificate", slug=slug, module_slug=module_slug))
    db.session.commit()
    flash("Your renewal has started: study the modules again and pass their knowledge checks for a new certificate. "
          "Your earlier certificate stays valid until it expires.")
    return redirect(url_for("campaigns.overview", slug=slug))


@bp.get(f"{CAMPAIGN_ROUTE}/certificate.pdf", defaults={"module_slug": None})
@bp.get(f"{MODULE_ROUTE}/certificate.pdf")
@role_required("gp")
def certificate_pdf(slug: str, module_slug: str | None):
    enrolment, _, scope = _open(slug, module_slug)
    issued = services.certificate_of(enrolment, scope) or abort(404)
    if issued.revoked_at is not None:
        flash("This certificate has been revoked, so it can no longer be downloaded.")
        return redirect(url_for("certificates.certificate", slug=slug, module_slug=module_slug))
    return _pdf_response(issued)


def _pdf_response(issued: Certificate) -> Response:
    """The certificate as a PDF attachment, drawn from its snapshot."""
    pdf = pdf_of(issued)
    db.session.commit()  # kept, if it was issued before PDFs were stored
    filename = f"CPD-certificate-{issued.code[:5]}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _private(response: Response) -> Response:
    """Verification answers are never cached (a revocation shows at once) nor indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/verify")
def verify_form():
    """Public: an appraiser types a code; a well-formed one opens its verification page."""
    typed = "code" in request.args
    form = VerifyForm(formdata=request.args if typed else None)
    if typed and form.validate():
        return redirect(url_for("certificates.verify", code=normalise_code(form.code.data)))
    return _private(Response(render_template("certificates/verify_form.html", form=form)))


@bp.get("/verify/<code>")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
def verify(code: str):
    """Public: status, holder, activity, credits and date only; rate-limited against enumeration."""
    result = services.verify(code)
    page = render_template("certificates/verify.html", result=result, form=VerifyForm(formdata=None))
    return _private(Response(page, status=404 if result.status == "unknown" else 200))
