"""Survey responses: start, save a page, submit exactly once. Callers commit."""
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Enrolment
from survey.db import utcnow
from survey.extensions import db
from survey.instruments.definition import InstrumentFile
from survey.instruments.models import InstrumentVersion
from survey.surveys.answers import is_visible
from survey.surveys.models import Answer, Response


class AlreadySubmitted(Exception):
    """The response was submitted; its answers can no longer change."""


def response_for(enrolment: Enrolment, wave: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.enrolment_id == enrolment.id, Response.wave == wave))


def start_response(enrolment: Enrolment, wave: str, version: InstrumentVersion) -> Response:
    """The enrolment's response for a wave, created on first visit (one per enrolment and wave)."""
    response = response_for(enrolment, wave)
    if response is None:
        try:
            with db.session.begin_nested():
                response = Response(enrolment_id=enrolment.id, wave=wave, instrument_version_id=version.id)
                db.session.add(response)
        except IntegrityError:  # a concurrent request started it first
            response = response_for(enrolment, wave)
    return response


def save_page(response: Response, values: dict[str, str | None], next_page: int) -> None:
    """Store a page's answers (None clears an answer) and where to resume."""
    if response.submitted_at is not None:
        raise AlreadySubmitted()
    existing = {a.item_id: a for a in response.answers}
    cleared = [item for item, value in values.items() if value is None and item in existing]
    if cleared:
        db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.item_id.in_(cleared)))
        db.session.expire(response, ["answers"])
    for item, value in values.items():
        if value is None:
            continue
        if item in existing:
            existing[item].value = value
        else:
            db.session.add(Answer(response_id=response.id, item_id=item, value=value))
    response.current_section = next_page
    response.updated_at = utcnow()
    db.session.flush()


def missing_required(definition: InstrumentFile, wave: str, answers: dict[str, str]) -> int | None:
    """The first page (1-based) with a required, visible, unanswered question; None if complete."""
    for number, section in enumerate(definition.sections_for(wave), start=1):
        for question in section.questions():
            if question.required and is_visible(question, answers) and not answers.get(question.id):
                return number
    return None


def submit(response: Response) -> bool:
    """Mark the response submitted. Idempotent: a replay or a concurrent double click changes nothing.

    Returns True only for the request that actually submitted it.
    """
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.submitted_at.is_(None))
        .values(submitted_at=utcnow())
    )
    db.session.refresh(response)
    return result.rowcount == 1
