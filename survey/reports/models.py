"""Charity report releases: dated, frozen snapshots of exactly what a charity sees."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
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


class CachedReport(db.Model):
    """The last full report built for a campaign or one of its cohorts, and the data it was built from.

    A table rather than Redis: it works in the embedded SQLite default too, a report and the data
    version it came from are written in one transaction, it lives and dies with its campaign
    (cascade), and each test's database isolates it with nothing to prefix or flush.
    """
    __tablename__ = "report_cache"
    __table_args__ = (UniqueConstraint("campaign_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    #: "campaign", or "cohort:<id>" for a cohort's report.
    scope: Mapped[str] = mapped_column(String(40))
    #: Fingerprint of the report's input when it was built (see survey.reports.cache.data_version).
    data_version: Mapped[str | None] = mapped_column(String(64))
    #: The unsuppressed report; None until the first build has finished.
    report: Mapped[dict | None] = mapped_column(JSON)
    built_at: Mapped[datetime | None]
    #: When a build was last claimed; a claim younger than the rebuild timeout stops a second build.
    claimed_at: Mapped[datetime | None]
