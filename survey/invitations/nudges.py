""""Remind those who stopped": one reminder, asked for by an educator, to each GP of a campaign who is part-way.

A nudge is campaign mail like any other: composed afresh at each attempt, so a failed one that is retried
later is left out when the GP has since finished, unsubscribed or the campaign was closed.
"""
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from survey.campaigns.journey import Step, next_step
from survey.campaigns.models import Campaign, Enrolment
from survey.campaigns.services import journey_state
from survey.extensions import db
from survey.invitations import services
from survey.invitations.campaign_mail import enrolled_message
from survey.invitations.messages import Message
from survey.invitations.models import SentMessage

#: Steps that mean the GP stopped part-way; waiting for the post or follow-up survey to open, or done, do not.
STOPPED_STEPS = {"pre", "module", "module_reflection", "module_certificate", "post", "reflection", "certificate"}


def _recently_reminded(enrolment_ids: list[int], since: datetime) -> set[int]:
    """Enrolments with a reminder sent since ``since`` or still on its way (being sent or to be retried)."""
    rows = select(SentMessage.enrolment_id).where(
        SentMessage.enrolment_id.in_(enrolment_ids), SentMessage.kind == "reminder",
        or_(SentMessage.sent_at >= since, SentMessage.status.in_(("sending", "retry"))))
    return set(db.session.scalars(rows))


def _stopped_at(enrolment: Enrolment, now: datetime, modules: dict) -> Step | None:
    """The step the GP stopped at, or None when they may not be nudged: campaign closed, account deleted,
    address unsubscribed, or nothing to do now (finished, or waiting for a survey to open)."""
    if enrolment.campaign.closed_at is not None or enrolment.user.deleted_at is not None:
        return None
    if services.is_opted_out(enrolment.user.email):
        return None
    step = next_step(journey_state(enrolment, modules), now)
    return step if step.kind in STOPPED_STEPS else None


def stopped_part_way(campaign: Campaign, now: datetime, modules: dict,
                     enrolment_ids: list[int] | None = None) -> list[tuple[Enrolment, Step]]:
    """The GPs of ``campaign`` to nudge (among ``enrolment_ids`` when given), with the step each stopped at:
    those ``_stopped_at`` allows who were not reminded in the campaign's last ``reminder_days`` days."""
    query = select(Enrolment).where(Enrolment.campaign_id == campaign.id).order_by(Enrolment.id)
    if enrolment_ids is not None:
        query = query.where(Enrolment.id.in_(enrolment_ids))
    enrolments = db.session.scalars(query).all()
    reminded = _recently_reminded([e.id for e in enrolments], now - timedelta(days=campaign.reminder_days))
    found = ((enrolment, _stopped_at(enrolment, now, modules)) for enrolment in enrolments if enrolment.id not in reminded)
    return [(enrolment, step) for enrolment, step in found if step is not None]


def nudge_key(enrolment_id: int, now: datetime) -> str:
    """One nudge per GP per day: pressing the button twice sends once."""
    return f"nudge:{enrolment_id}:{now:%Y-%m-%d}"


def nudge_message(enrolment: Enrolment, step: Step, key: str) -> Message:
    return enrolled_message(enrolment, "nudge", key, step)


def nudges(campaign: Campaign, enrolment_ids: list[int], now: datetime, modules: dict) -> list[Message]:
    """The nudges to send now to those of ``enrolment_ids`` who still qualify."""
    return [nudge_message(enrolment, step, nudge_key(enrolment.id, now))
            for enrolment, step in stopped_part_way(campaign, now, modules, enrolment_ids)]


def nudges_to_retry(now: datetime, modules: dict) -> list[Message]:
    """Nudges whose last attempt failed, composed again for the GPs who still qualify (the outbox decides
    whether each is due yet)."""
    rows = db.session.execute(select(SentMessage.key, Enrolment).join(Enrolment, Enrolment.id == SentMessage.enrolment_id)
                              .where(SentMessage.key.like("nudge:%"), SentMessage.status.in_(("sending", "retry")))).all()
    found = ((key, enrolment, _stopped_at(enrolment, now, modules)) for key, enrolment in rows)
    return [nudge_message(enrolment, step, key) for key, enrolment, step in found if step is not None]
