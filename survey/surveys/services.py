"""Survey responses: start, save a page, submit exactly once, score. Callers commit.

Every write to a response first updates its row, and only while it is unsubmitted. That row
lock puts concurrent requests for one response (autosave, a normal save, a double-clicked submit
on two devices) in order, so no answer changes after submission and a response is submitted once.
"""
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from survey import clock
from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import definition_of
from survey.surveys.answers import first_incomplete_page, shown_answers
from survey.surveys.models import Answer, Response
from survey.surveys.scoring import score_scales


#: Insert or replace one answer; the same SQL on PostgreSQL and SQLite. A page's answers go in one executemany
#: (one round trip). Text, because SQLAlchemy never caches its dialects' ON CONFLICT constructs and compiled a
#: fresh multi-row INSERT on every save.
UPSERT_ANSWER = text(
    "INSERT INTO answers (response_id, item_id, value) VALUES (:response_id, :item_id, :value) "
    "ON CONFLICT (response_id, item_id) DO UPDATE SET value = excluded.value"
)


class AlreadySubmitted(Exception):
    """The response was submitted; its answers can no longer change."""


class Incomplete(Exception):
    """A required question that is shown is unanswered; ``page`` is the first page with one."""

    def __init__(self, page: int):
        super().__init__(f"page {page} has unanswered required questions")
        self.page = page


def response_for(enrolment: Enrolment, wave: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.enrolment_id == enrolment.id, Response.wave == wave))


def enrolment_and_response(user, campaign_slug: str, wave: str) -> tuple[Enrolment | None, Response | None]:
    """The user's own enrolment in a campaign and its response for a wave (None until started), in one query.

    The campaign and the response's instrument version come with them; the version's definition is
    left unread, since ``definition_of`` parses each version once per process.
    """
    found = db.session.execute(
        select(Enrolment, Response).join(Enrolment.campaign)
        .outerjoin(Response, (Response.enrolment_id == Enrolment.id) & (Response.wave == wave))
        .options(contains_eager(Enrolment.campaign), joinedload(Response.version).defer(InstrumentVersion.definition))
        .where(Enrolment.user_id == user.id, Campaign.slug == campaign_slug)
    ).first()
    return (None, None) if found is None else (found.Enrolment, found.Response)


def answers_of(response: Response) -> dict[str, str]:
    """The response's answers by item id, read as plain values: a survey page needs no Answer objects."""
    return dict(db.session.execute(
        select(Answer.item_id, Answer.value).where(Answer.response_id == response.id)
    ).tuples().all())


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


def _claim(response: Response, **changes) -> bool:
    """Update the response row only while it is unsubmitted; True when it was (the row is now locked)."""
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.submitted_at.is_(None))
        .values(updated_at=clock.now(), **changes)
    )
    return result.rowcount == 1


def save_page(response: Response, values: dict[str, str | None], next_page: int | None = None) -> None:
    """Store a page's answers (None clears one) and, when given, the page to resume at.

    Answers are upserted, so two saves of one page racing each other (autosave beside a normal
    save) both succeed and leave one answer per question. Raises AlreadySubmitted after submission.
    """
    changes = {} if next_page is None else {"current_section": next_page}
    if not _claim(response, **changes):
        raise AlreadySubmitted()
    cleared = [item for item, value in values.items() if value is None]
    if cleared:
        db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.item_id.in_(cleared)))
    given = [{"response_id": response.id, "item_id": item, "value": value}
             for item, value in values.items() if value is not None]
    if given:
        db.session.execute(UPSERT_ANSWER, given)
    db.session.expire(response, ["answers"])


def submit(response: Response, sections: list) -> bool:
    """Submit the response once; True only for the request that submitted it.

    A double click, a replayed request or a concurrent submit on another device changes nothing.
    Answers to questions that later changes to earlier answers now hide are discarded. Raises
    Incomplete, submitting nothing, when a required question that is shown is unanswered.
    """
    with db.session.begin_nested():
        submitted = _claim(response, submitted_at=clock.now())
        if submitted:
            answers = answers_of(response)
            page = first_incomplete_page(sections, answers)
            if page is not None:
                raise Incomplete(page)
            hidden = set(answers) - set(shown_answers(sections, answers))
            if hidden:
                db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.item_id.in_(hidden)))
    db.session.refresh(response)
    db.session.expire(response, ["answers"])
    return submitted


def response_scores(response: Response) -> dict[str, float | None]:
    """Scale scores of a response, always read with the instrument version it was given."""
    return score_scales(definition_of(response.version), response.answer_map())
