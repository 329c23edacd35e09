"""Charity report releases: dated, frozen snapshots of exactly what a charity sees."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.auth.models import User
from survey.db import utcnow
from survey.extensions import db


class ReportRelease(db.Model):
    """A published charity report. Charities see only releases, never live data; a release never changes."""
    __tablename__ = "report_releases"
    __table_args__ = (UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    #: 1, 2, ... per campaign, in publication order.
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    min_cell_size: Mapped[int]
    #: What the charity sees (rounded, disclosure-controlled); served as is by every charity output.
    public: Mapped[dict] = mapped_column(JSON)
    #: Server side only: each published statistic with the enrolment ids it was computed from, so that
    #: later releases can be checked against this one (differencing). Never shown to anyone.
    private: Mapped[list] = mapped_column(JSON)

    published_by: Mapped[User | None] = relationship()
