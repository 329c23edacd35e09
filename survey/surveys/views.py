"""Answering a survey wave page by page, autosaving, resuming anywhere, and submitting once."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from survey import clock
from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.evaluation import retest_services as retest
from survey.instruments.definition import RETEST, WAVE_NAMES, WAVES
from survey.instruments.length import minutes_text
from survey.instruments.services import InstrumentChanged, definition_of
from survey.library import library
from survey.surveys import services, timing
from survey.surveys.answers import MISSING, clean_section, is_visible, storable
from survey.surveys.profile import enrolment_answers
from survey.surveys.versions import VersionMissing, assign_vignettes, campaign_version
from survey.web.access import role_required
from survey.web.errors import render_error

bp = Blueprint("surveys", __name__)

NOT_OPEN = "This survey is not open yet."
ALREADY_SUBMITTED = "This survey is already submitted, so its answers can no longer change."
RETEST_CLOSED = ("The retest survey closed when you opened a module and no longer takes answers: after "
                 "teaching, a retest would measure what you learnt rather than how steady the survey's answers are. "
                 "Nothing else is affected; carry on with your course.")


def _refuse_closed_retest(enrolment, as_json: bool) -> None:
    """The retest is only for GPs drawn for it (404 for anyone else), and only before any module is opened:
    answers given after that are refused (409) with the reason, since they would measure learning."""
    state = campaigns.journey_state(enrolment, library().modules)
    if not state.retest_selected:
        abort(404)
    if state.module_opened:
        abort(make_response({"saved": False, "message": RETEST_CLOSED}, 409) if as_json else make_response(
            render_template("surveys/retest_closed.html", enrolment=enrolment, message=RETEST_CLOSED), 409))


def _open_wave(slug: str, wave: str, announce: bool = True):
    """The GP's enrolment and response for a wave; the response is None while the wave is not open to them."""
    if wave not in WAVES:
        abort(404)
    enrolment, response = services.enrolment_and_response(current_user, slug, wave)
    if enrolment is None:
        abort(404)
    if wave == RETEST and (response is None or response.submitted_at is None):
        _refuse_closed_retest(enrolment, as_json=not announce)
    if response is None:
        if not campaigns.journey_state(enrolment, library().modules).wave_open(wave, clock.now()):
            if announce:
                flash(f"The {WAVE_NAMES[wave].lower()} is not open yet.")
            return enrolment, None
        try:
            version = campaign_version(enrolment.campaign)
        except (InstrumentChanged, VersionMissing) as error:  # an operator's mistake: say so in the log, not to the GP
            current_app.logger.error("%s", error)
            abort(make_response(render_error(503, "This survey is being updated. Please try again later.")))
        response = services.start_response(enrolment, wave, version)
        definition = definition_of(response.version)
        assign_vignettes(enrolment, definition)
        asked = {q.id for section in definition.sections_for(wave) for q in section.questions()}
        given = {item: value for item, value in _given_at_enrolment(enrolment, definition).items() if item in asked}
        if given and response.submitted_at is None:  # only what this wave asks (the retest asks no profile)
            services.save_page(response, given)
        db.session.commit()
    return enrolment, response


def _given_at_enrolment(enrolment, definition) -> dict[str, str]:
    """Profile items the GP already answered at enrolment: stored for them, never asked again."""
    return enrolment_answers(definition, enrolment.profile or {}, getattr(enrolment, "nation", None))


def _sections(enrolment, response, wave: str, page: int):
    """The definition the response was given, the GP's vignette versions and the GP's sections for the wave
    (under matrix sampling, only the pages of their cases); 404 for a page they lack."""
    definition = definition_of(response.version)
    assigned = assign_vignettes(enrolment, definition)  # normally done at the start; idempotent
    sections = definition.sections_for(wave, cases=assigned)
    if not 1 <= page <= len(sections):
        abort(404)
    return definition, assigned, sections


def _clean_posted(definition, section, answers: dict[str, str], given: dict[str, str]):
    submitted = {q.id: [given[q.id]] if q.id in given else request.form.getlist(q.id) for q in section.questions()}
    points = {key: scale.points for key, scale in definition.response_scales.items()}
    return clean_section(section, submitted, answers, points)


@bp.get("/c/<slug>/survey/<wave>")
@role_required("gp")
def resume(slug: str, wave: str):
    enrolment, response = _open_wave(slug, wave)
    if response is None:
        return redirect(url_for("campaigns.overview", slug=slug))
    if response.submitted_at:
        return render_template("surveys/submitted.html", enrolment=enrolment, wave=wave, wave_name=WAVE_NAMES[wave])
    return redirect(url_for("surveys.page", slug=slug, wave=wave, page=response.current_section))


@bp.route("/c/<slug>/survey/<wave>/<int:page>", methods=["GET", "POST"])
@role_required("gp")
def page(slug: str, wave: str, page: int):
    enrolment, response = _open_wave(slug, wave)
    if response is None:
        return redirect(url_for("campaigns.overview", slug=slug))
    if response.submitted_at:
        return redirect(url_for("surveys.resume", slug=slug, wave=wave))
    definition, assigned, sections = _sections(enrolment, response, wave, page)
    section, answers, errors = sections[page - 1], services.answers_of(response), {}
    given = _given_at_enrolment(enrolment, definition)
    if request.method == "POST":
        values, errors = _clean_posted(definition, section, answers, given)
        last = page == len(sections)
        try:
            services.save_page(response, storable(values, errors), page if errors or last else page + 1)
            if not errors:
                timing.page_saved(response.id, page)
            if last and not errors:
                return _submit(enrolment, response, sections, wave)
        except services.AlreadySubmitted:  # submitted meanwhile, e.g. on another device
            db.session.rollback()
            return redirect(url_for("surveys.resume", slug=slug, wave=wave))
        if not errors:
            db.session.commit()
            return redirect(url_for("surveys.page", slug=slug, wave=wave, page=page + 1))
        answers = {item: value for item, value in {**answers, **values}.items() if value is not None}
    else:
        timing.page_shown(response.id, page)
    html = render_template(
        "surveys/page.html", enrolment=enrolment, wave=wave, wave_name=WAVE_NAMES[wave], definition=definition,
        section=section, page=page, page_count=len(sections), answers=answers, errors=errors,
        visible=lambda question: is_visible(question, answers), skip=set(given),
        assigned=assigned, estimate=_estimate(enrolment, definition, wave, given) if page == 1 else None,
    )
    db.session.commit()  # after rendering: a commit expires the rows, and the page would read them all again
    return html, (422 if errors else 200)


def _estimate(enrolment, definition, wave: str, given: dict) -> str:
    seconds, basis = timing.time_estimate(enrolment.campaign_id, definition, wave, set(given))
    return f"This survey takes {minutes_text(seconds)} ({basis})."


def _submit(enrolment, response, sections, wave: str):
    slug = enrolment.campaign.slug
    try:
        submitted = services.submit(response, sections)
    except services.Incomplete as incomplete:
        db.session.commit()  # keep the page just saved
        flash("Some required questions are not answered yet.")
        return redirect(url_for("surveys.page", slug=slug, wave=wave, page=incomplete.page))
    if submitted and wave == "pre":
        retest.draw(enrolment)
    db.session.commit()
    if submitted:
        flash(f"Thank you: your {WAVE_NAMES[wave].lower()} is submitted.")
    return redirect(url_for("campaigns.overview", slug=slug))


@bp.post("/c/<slug>/survey/<wave>/<int:page>/autosave")
@role_required("gp")
def autosave(slug: str, wave: str, page: int):
    """Background save from static/js/survey.js: stores valid answers only and never moves the GP on.

    Answers JSON: a message for each invalid answer, and the required questions still unanswered.
    """
    enrolment, response = _open_wave(slug, wave, announce=False)
    if response is None:
        return {"saved": False, "message": NOT_OPEN}, 409
    definition, _, sections = _sections(enrolment, response, wave, page)
    given = _given_at_enrolment(enrolment, definition)
    values, errors = _clean_posted(definition, sections[page - 1], services.answers_of(response), given)
    try:
        services.save_page(response, storable(values, errors))
    except services.AlreadySubmitted:
        db.session.rollback()
        return {"saved": False, "message": ALREADY_SUBMITTED}, 409
    db.session.commit()
    return {"saved": True, "errors": {item: message for item, message in errors.items() if message != MISSING},
            "unanswered": [item for item, message in errors.items() if message == MISSING]}
