"""Invitations, opt-outs and the outbox of campaign email (what was sent, what is failing). Callers commit."""
import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from survey import clock
from survey.auth.models import User
from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.extensions import db
from survey.invitations.csvrows import Invitee
from survey.invitations.email_texts import current_version
from survey.invitations.models import Invitation, MailOptOut, SentMessage


NOT_INVITABLE = "This person cannot be invited from your cohort. Ask the campaign's educators if you think they should be."


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def known_addresses(campaign: Campaign, cohort_ids: set[int] | None = None) -> dict[str, str]:
    """Addresses a new list may not invite again, with the reason shown beside the rejected row;
    only those invited to or enrolled in ``cohort_ids`` when given."""
    invited = select(Invitation.email).where(Invitation.campaign_id == campaign.id)
    enrolled = select(User.email).join(Enrolment, Enrolment.user_id == User.id).where(Enrolment.campaign_id == campaign.id)
    if cohort_ids is not None:
        invited = invited.where(Invitation.cohort_id.in_(cohort_ids))
        enrolled = enrolled.where(Enrolment.cohort_id.in_(cohort_ids))
    known = {email: "Already invited to this campaign." for email in db.session.scalars(invited)}
    known.update({email: "Already enrolled in this campaign." for email in db.session.scalars(enrolled)})
    return known


def known_to(campaign: Campaign, emails: list[str], cohort_ids: set[int] | None) -> dict[str, str]:
    """The addresses that cannot be invited, with the reason this inviter may read.

    The campaign's own educators (``cohort_ids`` None) see every reason. A cohort lead sees the specific
    reason only for their own cohorts' invitations and enrolments; anyone else who cannot be invited (in
    another cohort, or who opted out of all email from the platform) gets one neutral reason, so a list of
    addresses cannot be used to learn who takes part elsewhere or who opted out."""
    every = without_opted_out(known_addresses(campaign), emails)
    if cohort_ids is None:
        return every
    visible = known_addresses(campaign, cohort_ids)
    return {email: visible.get(email, NOT_INVITABLE) for email in every}


def without_opted_out(known: dict[str, str], emails: list[str]) -> dict[str, str]:
    """``known`` plus those of ``emails`` whose owners asked us not to email them."""
    hashes = {_hash(email.lower()): email.lower() for email in emails}
    opted = db.session.scalars(select(MailOptOut.email_hash).where(MailOptOut.email_hash.in_(list(hashes))))
    return {**known, **{hashes[h]: "This person asked us not to email them." for h in opted}}


def create_invitations(campaign: Campaign, cohort: Cohort | None, invitees: list[Invitee], invited_by: User) -> list[Invitation]:
    """One invitation per accepted person, into the campaign or one of its cohorts, each keeping the
    campaign's wording of this moment (a later edit changes only invitations queued after it)."""
    version = current_version(campaign, "invitation")
    created = [Invitation(campaign_id=campaign.id, cohort_id=cohort.id if cohort else None, name=invitee.name,
                          email=invitee.email, invited_by_id=invited_by.id, email_text_id=version.id if version else None)
               for invitee in invitees]
    db.session.add_all(created)
    db.session.flush()
    return created


def _of_open_campaigns():
    """Invitations of campaigns that are not closed: a closed campaign sends none, even those queued before."""
    return select(Invitation).join(Campaign, Campaign.id == Invitation.campaign_id).where(Campaign.closed_at.is_(None))


def unsent_invitations() -> list[Invitation]:
    """Invitations of open campaigns whose email was not sent yet and not given up (and whose address was
    not erased since)."""
    sent = select(SentMessage.invitation_id).where(SentMessage.invitation_id.is_not(None),
                                                   SentMessage.status.in_(FINISHED))
    return list(db.session.scalars(_of_open_campaigns().where(
        Invitation.id.not_in(sent), Invitation.email != "", Invitation.accepted_at.is_(None)).order_by(Invitation.id)))


def invitations_by_id(ids: list[int]) -> list[Invitation]:
    """The invitations ``ids`` that may still be sent: those of a campaign closed since are left out."""
    return list(db.session.scalars(_of_open_campaigns().where(Invitation.id.in_(ids)).order_by(Invitation.id)))


def accept(invitation_id: int | None, enrolment: Enrolment) -> None:
    """Mark the invitation the GP arrived with as accepted, if it was for this campaign."""
    invitation = db.session.get(Invitation, invitation_id) if invitation_id else None
    if invitation and invitation.campaign_id == enrolment.campaign_id and invitation.accepted_at is None:
        invitation.accepted_at, invitation.enrolment_id = clock.now(), enrolment.id
        db.session.flush()


def invitations_of(campaign: Campaign, cohort_ids: set[int] | None = None) -> list[Invitation]:
    """A campaign's invitations, newest first; only those of ``cohort_ids`` when given."""
    query = select(Invitation).where(Invitation.campaign_id == campaign.id).order_by(Invitation.id.desc())
    if cohort_ids is not None:
        query = query.where(Invitation.cohort_id.in_(cohort_ids))
    return list(db.session.scalars(query))


def is_opted_out(email: str) -> bool:
    return db.session.scalar(select(MailOptOut.id).where(MailOptOut.email_hash == _hash(email.lower()))) is not None


def opt_out(email: str) -> None:
    """Record that the address wants no more campaign email (idempotent)."""
    if not is_opted_out(email):
        try:
            with db.session.begin_nested():
                db.session.add(MailOptOut(email_hash=_hash(email.lower())))
        except IntegrityError:  # a concurrent click recorded it first
            pass


FINISHED = ("sent", "failed")


def _claimable(now: datetime):
    """Rows a run may take: due for a retry, or held by a run that stopped before recording the outcome
    (after ``MAIL_SENDING_LEASE_SECONDS``: a live worker finishes a message well within it)."""
    lease = timedelta(seconds=current_app.config["MAIL_SENDING_LEASE_SECONDS"])
    return or_(and_(SentMessage.status == "retry", SentMessage.next_attempt_at <= now),
               and_(SentMessage.status == "sending", SentMessage.claimed_at < now - lease))


def not_due(keys: list[str], now: datetime) -> set[str]:
    """Those of ``keys`` not to send at ``now``: sent, given up, waiting for their next attempt, or being sent."""
    if not keys:
        return set()
    return set(db.session.scalars(select(SentMessage.key).where(SentMessage.key.in_(keys), ~_claimable(now))))


def claim(key: str, kind: str, enrolment_id: int | None, invitation_id: int | None, now: datetime) -> SentMessage | None:
    """Reserve the right to send the message ``key`` (status "sending"); None when it was sent, given up,
    is not due yet, or another run holds it.

    The unique key and a conditional UPDATE make the database the judge, so two runs at once cannot both win.
    """
    try:
        with db.session.begin_nested():
            row = SentMessage(key=key, kind=kind, enrolment_id=enrolment_id, invitation_id=invitation_id,
                              status="sending", attempts=0, claimed_at=now)
            db.session.add(row)
        return row
    except IntegrityError:
        pass
    taken = db.session.execute(update(SentMessage).where(SentMessage.key == key, _claimable(now))
                               .values(status="sending", claimed_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        return None
    return db.session.scalar(select(SentMessage).where(SentMessage.key == key).execution_options(populate_existing=True))


def store_message(key: str, kind: str, to: str, subject: str, body: str, now: datetime) -> SentMessage:
    """Write a whole message to the outbox, due at once (account mail, whose links exist only in it)."""
    row = SentMessage(key=key, kind=kind, status="retry", attempts=0, next_attempt_at=now,
                      recipient=to, subject=subject, body=body)
    db.session.add(row)
    db.session.flush()
    return row


def latest_about(kind: str, about: str) -> SentMessage | None:
    """The newest stored message of ``kind`` queued ``about`` something (see ``outbox.queue_message``)."""
    return db.session.scalar(select(SentMessage).where(SentMessage.key.startswith(f"{kind}:{about}:", autoescape=True))
                             .order_by(SentMessage.id.desc()).limit(1))


def claim_stored(row_id: int, now: datetime) -> SentMessage | None:
    """Reserve the stored message ``row_id`` as ``claim`` does; None when it is not due or another holds it."""
    taken = db.session.execute(update(SentMessage).where(SentMessage.id == row_id, SentMessage.body.is_not(None),
                                                         _claimable(now))
                               .values(status="sending", claimed_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        return None
    return db.session.scalar(select(SentMessage).where(SentMessage.id == row_id).execution_options(populate_existing=True))


def due_stored(now: datetime) -> list[int]:
    """Stored messages to try now: due for a retry, or abandoned by a worker that died."""
    return list(db.session.scalars(select(SentMessage.id).where(SentMessage.body.is_not(None), _claimable(now))
                                   .order_by(SentMessage.id)))


def next_retry_at() -> datetime | None:
    """When the earliest failed campaign message is due again (stored ones schedule their own retry)."""
    return db.session.scalar(select(func.min(SentMessage.next_attempt_at)).where(
        SentMessage.status == "retry", SentMessage.body.is_(None)))


def _finish(row: SentMessage) -> None:
    """A stored message's text (it may hold a reset link) is kept no longer than it is needed."""
    row.claimed_at = row.next_attempt_at = None
    row.recipient = row.subject = row.body = None


def record_sent(row: SentMessage, now: datetime) -> None:
    """The mail server accepted the message: only now is it recorded as sent."""
    row.status, row.sent_at, row.attempts = "sent", now, row.attempts + 1
    _finish(row)
    db.session.flush()


def record_failure(row: SentMessage, error: str, now: datetime, max_attempts: int, first_delay: timedelta) -> None:
    """A failed attempt: retried after ``first_delay``, doubling each time, until ``max_attempts`` attempts
    have failed; then the message is given up ("failed") and shown as such to the campaign's educators."""
    row.attempts += 1
    row.last_error = error[:500]
    row.claimed_at = None
    if row.attempts >= max_attempts:
        row.status = "failed"
        _finish(row)
    else:
        row.status, row.next_attempt_at = "retry", now + first_delay * 2 ** (row.attempts - 1)
    db.session.flush()


def deliveries_of(invitations: list[Invitation]) -> dict[int, SentMessage]:
    """The outbox row of each invitation that has one (none yet means it is about to be sent)."""
    ids = [invitation.id for invitation in invitations]
    if not ids:
        return {}
    rows = db.session.scalars(select(SentMessage).where(SentMessage.invitation_id.in_(ids)))
    return {row.invitation_id: row for row in rows}


def undelivered_for(campaign: Campaign, cohort_ids: set[int] | None = None) -> list[tuple[SentMessage, Enrolment]]:
    """Reminders and follow-up invitations of the campaign's GPs that are failing or were given up
    (only those of ``cohort_ids`` when given), most recent first."""
    query = (select(SentMessage, Enrolment).join(Enrolment, Enrolment.id == SentMessage.enrolment_id)
             .where(Enrolment.campaign_id == campaign.id, SentMessage.status.in_(("retry", "failed")))
             .order_by(SentMessage.id.desc()))
    if cohort_ids is not None:
        query = query.where(Enrolment.cohort_id.in_(cohort_ids))
    return list(db.session.execute(query).tuples())
