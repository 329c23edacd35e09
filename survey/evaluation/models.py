"""Arm allocations of delayed-start campaigns, retest draws, and the record of changes to pre-specified outcomes."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.auth.models import User
from survey.db import utcnow
from survey.extensions import db


class Allocation(db.Model):
    """The arm a consenting GP was randomised to, once, at enrolment.

    ``position`` is the GP's place in their stratum's sequence: the n-th GP allocated in a stratum gets
    element n of ``allocation_sequence(campaign.allocation_seed, stratum)``, so an auditor holding the
    seed re-derives every allocation, and the unique constraint keeps two concurrent enrolments from
    taking the same place.
    """

    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("campaign_id", "stratum", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True)
    #: "campaign", or "cohort:<id>" when the campaign stratifies by cohort ("cohort:none" for no cohort).
    stratum: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    arm: Mapped[str] = mapped_column(String(20))  #: "now" or "delayed"
    allocated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutcomeChange(db.Model):
    """A change to a campaign's pre-specified outcomes after they were locked (answers existed)."""

    __tablename__ = "outcome_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: {"primary": {...} | None, "secondary": [...]} before and after the change.
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)

    changed_by: Mapped[User | None] = relationship()


class RetestDraw(db.Model):
    """Whether a GP was drawn for the test-retest mini-wave, decided once, when their baseline was submitted.

    ``position`` is the GP's place in the campaign's draw sequence (``retest.draw_sequence`` seeded by
    ``campaigns.assignment_seed``), so the draw is reproducible, and the unique constraint keeps two
    baselines submitted at once from taking the same place.
    """

    __tablename__ = "retest_draws"
    __table_args__ = (UniqueConstraint("campaign_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int]
    selected: Mapped[bool]  #: drawn into the retest subsample
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
