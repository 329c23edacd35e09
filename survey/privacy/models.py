"""The history of a GP's research consent in a campaign: one row each time it is given, declined or withdrawn."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey.db import utcnow
from survey.extensions import db


class ConsentRecord(db.Model):
    """One decision about research use. The enrolment holds the current state (reports read it); these rows
    keep every decision with the wording it answered, so a later consent never overwrites an earlier withdrawal."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: True: research use agreed; False: declined at enrolment or withdrawn later.
    research_consent: Mapped[bool]
    #: "enrol", "withdraw" or "consent" (given again after a withdrawal or a refusal).
    event: Mapped[str] = mapped_column(String(20))
    consent_version: Mapped[str] = mapped_column(String(20))
    #: The exact research-use statement the GP answered.
    wording: Mapped[str] = mapped_column(Text)
