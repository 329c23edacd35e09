"""Invitations sent to named people, the ledger of sent messages, and email opt-outs."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.campaigns.models import Campaign, Cohort
from survey.db import TimestampMixin
from survey.extensions import db


class Invitation(TimestampMixin, db.Model):
    """A personal link to join a campaign (and cohort), sent to one person by email.

    The link carries the invitation id signed with the app's secret key, so a resent email has the same link.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))  #: stored lower-case
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="SET NULL"))
    #: The campaign's wording when the invitation was queued (None: the standard wording), so an edit made
    #: afterwards does not change an invitation already on its way, nor its retries.
    email_text_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_email_texts.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    email_text: Mapped["CampaignEmailText | None"] = relationship()


class CampaignEmailText(TimestampMixin, db.Model):
    """One saved version of a campaign's wording for one kind of email (``wording.KINDS``).

    Versions are only ever added: the newest is the campaign's wording, and invitations keep the one
    they were queued with.
    """

    __tablename__ = "campaign_email_texts"
    __table_args__ = (Index("ix_campaign_email_texts_campaign_id_kind", "campaign_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  #: a key of ``wording.KINDS``
    subject: Mapped[str] = mapped_column(String(120))  #: the subject before ": <campaign title>"
    text: Mapped[str] = mapped_column(Text)  #: plain text, with ``wording.PLACEHOLDERS`` only
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SentMessage(db.Model):
    """The outbox: one row per message we mean to send, and whether it went.

    The unique ``key`` lets the database, not timing, stop a second send. A row is recorded ``sent`` only
    after the mail server accepted the message; a failed attempt is kept with its error and the time of the
    next attempt, so a cron run or (later) a queue worker can take the row over from its fields alone.
    """

    __tablename__ = "sent_messages"
    __table_args__ = (Index("ix_sent_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What was sent to whom, e.g. "follow_up:enrolment:12" or "reminder:enrolment:12:module:cancer-and-work".
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  #: invitation, reminder, follow_up, second_baseline or retest
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    #: sending (a run holds it since ``claimed_at``), sent, retry (due again at ``next_attempt_at``), or
    #: failed (given up after MAIL_MAX_ATTEMPTS attempts).
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=0)  #: attempts finished, successful or not
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))  #: why the last attempt failed, for the educator
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]  #: when the mail server accepted it; None until then
    #: Account mail (confirmation, reset) is written here whole, because its links cannot be made again
    #: from other data; the text is wiped once sent or given up. Campaign mail leaves these None: it is
    #: composed afresh from the campaign's data at each attempt.
    recipient: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)

    @property
    def waiting(self) -> bool:
        """Not delivered (yet): failing, given up, or in the hands of a run."""
        return self.status != "sent"


class MailOptOut(TimestampMixin, db.Model):
    """An address that asked for no more campaign email; only a hash is kept, so erasure leaves no address."""

    __tablename__ = "mail_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
