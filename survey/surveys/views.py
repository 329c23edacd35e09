"""Answering a survey wave page by page, resuming anywhere, and submitting once."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.campaigns import services as campaigns
from survey import clock
from survey.extensions import db
from survey.instruments.definition import WAVES
from survey.instruments.services import definition_of, instrument_version
from survey.library import library
from survey.surveys import services
from survey.surveys.answers import clean_section, is_visible
from survey.web.access import role_required

bp = Blueprint("surveys", __name__)

WAVE_NAMES = {"pre": "Baseline survey", "post": "Post-course survey", "follow_up": "Follow-up survey"}


def _open_wave(slug: str, wave: str):
    """The GP's response for a wave that is open to them, or None (with a message) when it is not yet."""
    if wave not in WAVES:
        abort(404)
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    response = services.response_for(enrolment, wave)
    if response is None:
        if not campaigns.journey_state(enrolment, library().modules).wave_open(wave, clock.now()):
            flash(f"The {WAVE_NAMES[wave].lower()} is not open yet.")
            return enrolment, None
        instrument = library().instruments[enrolment.campaign.instrument_slug]
        response = services.start_response(enrolment, wave, instrument_version(instrument))
        db.session.commit()
    return enrolment, response


def _points(definition) -> dict[str, int]:
    return {key: scale.points for key, scale in definition.response_scales.items()}


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
    definition = definition_of(response.version)
    sections = definition.sections_for(wave)
    if not 1 <= page <= len(sections):
        abort(404)
    section = sections[page - 1]
    answers, errors = response.answer_map(), {}
    if request.method == "POST":
        submitted = {q.id: request.form.getlist(q.id) for q in section.questions()}
        values, errors = clean_section(section, submitted, answers, _points(definition))
        stored = {item: (None if item in errors else value) for item, value in values.items()}
        last = page == len(sections)
        services.save_page(response, stored, page if errors or last else page + 1)
        db.session.commit()
        answers = {**answers, **{k: v for k, v in values.items() if v is not None}}
        if not errors:
            if not last:
                return redirect(url_for("surveys.page", slug=slug, wave=wave, page=page + 1))
            return _submit(enrolment, response, definition, wave)
    return render_template(
        "surveys/page.html", enrolment=enrolment, wave=wave, wave_name=WAVE_NAMES[wave], definition=definition,
        section=section, page=page, page_count=len(sections), answers=answers, errors=errors,
        visible=lambda question: is_visible(question, answers),
    ), (422 if errors else 200)


def _submit(enrolment, response, definition, wave: str):
    missing_page = services.missing_required(definition, wave, response.answer_map())
    if missing_page is not None:
        flash("Some required questions are not answered yet.")
        return redirect(url_for("surveys.page", slug=enrolment.campaign.slug, wave=wave, page=missing_page))
    services.submit(response)
    db.session.commit()
    flash(f"Thank you: your {WAVE_NAMES[wave].lower()} is submitted.")
    return redirect(url_for("campaigns.overview", slug=enrolment.campaign.slug))
