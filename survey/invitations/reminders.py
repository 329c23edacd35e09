"""Which reminders and follow-up invitations are due: one per unfinished step, one follow-up per GP."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from survey.auth.models import User
from survey.campaigns.journey import next_step
from survey.campaigns.models import Campaign, Enrolment
from survey.campaigns.services import journey_state
from survey.extensions import db
from survey.invitations import services
from survey.invitations.campaign_mail import campaign_message, enrolled_message
from survey.invitations.email_texts import current_wording, wording_of
from survey.invitations.messages import Message, invitation_token
from survey.invitations.models import Invitation
from survey.invitations.nudges import nudges_to_retry
from survey.invitations.renewal_reminders import renewal_message, renewals_due
from survey.learning.models import ModuleProgress, Reflection
from survey.surveys.models import Response
from survey.web.urls import external_url

#: Steps a GP can stall on; "follow_up" and "pre2" (the delayed arm's second baseline) have their own
#: message when they open, and "done" and "pre2_waiting" need nothing.
REMINDED_STEPS = {"pre", "module", "post", "reflection", "certificate"}


def last_activity(enrolment: Enrolment) -> datetime:
    """When the GP last did anything in the campaign: joined, saved a survey page, read a page, reflected."""
    times = [enrolment.consented_at]
    for column, owner in ((Response.updated_at, Response.enrolment_id), (ModuleProgress.updated_at, ModuleProgress.enrolment_id),
                          (Reflection.updated_at, Reflection.enrolment_id)):
        latest = db.session.scalar(select(func.max(column)).where(owner == enrolment.id))
        if latest is not None:
            times.append(latest)
    return max(times)


def invitation_message(invitation: Invitation) -> Message:
    """The personal invitation, in the wording it was queued with: its link opens the enrolment for the
    invitation's cohort (or campaign)."""
    link = external_url("invitations.follow", token=invitation_token(invitation.id))
    return campaign_message(f"invitation:{invitation.id}", "invitation", wording_of(invitation.email_text, "invitation"),
                            to=invitation.email, name=invitation.name, campaign=invitation.campaign, link=link,
                            cohort=invitation.cohort, invitation_id=invitation.id)


def _message(enrolment: Enrolment, step, now: datetime) -> Message | None:
    """The message due to the GP at ``step`` now, in the campaign's current wording; None when none is due."""
    if step.kind == "follow_up":
        kind, key = "follow_up", f"follow_up:{enrolment.id}"
    elif step.kind == "pre2":
        kind, key = "second_baseline", f"second_baseline:{enrolment.id}"
    elif step.kind in REMINDED_STEPS and now - last_activity(enrolment) >= timedelta(days=enrolment.campaign.reminder_days):
        kind, key = "reminder", f"reminder:{enrolment.id}:{step.kind}:{step.module_slug or ''}"
    else:
        return None
    return enrolled_message(enrolment, kind, key, step)


def retest_invitation(enrolment: Enrolment, state, now: datetime) -> Message | None:
    """The one invitation to the optional retest, once it opens for a GP drawn for it (never after a module is opened)."""
    if not state.retest_open(now) or state.retest_submitted:
        return None
    campaign = enrolment.campaign
    return campaign_message(f"retest:{enrolment.id}", "retest", current_wording(campaign, "retest"),
                            to=enrolment.user.email, name=enrolment.user.name, campaign=campaign,
                            link=external_url("surveys.resume", slug=campaign.slug, wave="retest"),
                            enrolment_id=enrolment.id)


def _enrolment_messages(enrolment: Enrolment, modules: dict, now: datetime) -> list[Message]:
    """What one GP is due: the message of their next step, and the retest invitation when that opens."""
    state = journey_state(enrolment, modules)
    return [m for m in (_message(enrolment, next_step(state, now), now), retest_invitation(enrolment, state, now)) if m]


def _guarded(what: str, build, *args) -> Message | None:
    """``build(*args)``, or None when composing this one message fails: one GP's bad data (e.g. a module
    removed from the library) must not stop everyone else's messages. The error is logged for the operator."""
    try:
        return build(*args)
    except Exception:  # noqa: BLE001 - logged with its traceback; the run goes on
        current_app.logger.exception("could not compose the message for %s", what)
        return None


def due_messages(now: datetime, modules: dict) -> list[Message]:
    """Messages due at ``now`` that were never sent: invitations and messages whose last attempt failed
    and whose next attempt is due (backoff), a reminder
    when a GP's next step has waited ``reminder_days`` without activity, and the follow-up invitation once
    the follow-up survey opens, the retest invitation of a GP drawn for it once their retest opens, the renewal reminder of an expiring certificate
    (``renewal_reminders.py``), and the retries of failed nudges (``nudges.py``). Deleted accounts and addresses that unsubscribed get nothing; a closed campaign
    sends no invitation, reminder or follow-up invitation (a certificate's renewal reminder is the GP's, and still goes)."""
    due = [message for invitation in services.unsent_invitations()
           if (message := _guarded(f"invitation {invitation.id}", invitation_message, invitation))]
    enrolments = db.session.scalars(
        select(Enrolment).join(User, User.id == Enrolment.user_id).join(Campaign, Campaign.id == Enrolment.campaign_id)
        .where(User.deleted_at.is_(None), Campaign.closed_at.is_(None)).order_by(Enrolment.id)
    ).all()
    for enrolment in enrolments:
        due.extend(_guarded(f"enrolment {enrolment.id}", _enrolment_messages, enrolment, modules, now) or [])
    for certificate, enrolment in renewals_due(now):
        if message := _guarded(f"certificate {certificate.id}", renewal_message, certificate, enrolment):
            due.append(message)
    due.extend(_guarded("nudges to retry", nudges_to_retry, now, modules) or [])
    due = [m for m in due if not services.is_opted_out(m.to)]
    held = services.not_due([m.key for m in due], now)
    return [m for m in due if m.key not in held]
