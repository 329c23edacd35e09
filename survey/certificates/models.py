"""Issued CPD certificates: a frozen snapshot so every download is the same certificate."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from survey.auth.models import User
from survey.db import TimestampMixin, utcnow
from survey.extensions import db


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("enrolment_id", "scope", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable public code (20 symbols of 31: 99 random bits), shown on the PDF and used by /verify.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="SET NULL"), index=True)
    #: "campaign" for a whole-campaign certificate, else a module slug.
    scope: Mapped[str] = mapped_column(String(80), default="campaign")
    #: Which study cycle of the scope it certifies: 1, then one more for each repeat of the course
    #: (the cycle its modules' ModuleProgress rows held when it was issued). Earlier cycles' issues are kept.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")
    holder_name: Mapped[str] = mapped_column(String(120))
    gmc_number: Mapped[str] = mapped_column(String(7))
    activity_title: Mapped[str] = mapped_column(Text)
    #: Module titles and learning outcomes at issue, newline-separated lists.
    module_titles: Mapped[str] = mapped_column(Text)
    learning_outcomes: Mapped[str] = mapped_column(Text)
    credits: Mapped[float]
    #: The commissioning charity's name and brand colour at issue; later edits to the
    #: organisation never change a certificate already issued. None when the platform ran it.
    charity_name: Mapped[str | None] = mapped_column(String(200))
    charity_colour: Mapped[str | None] = mapped_column(String(7))
    completed_at: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: End of validity (snapshot of the campaign's ``validity_months`` at issue); None: never expires.
    valid_until: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    #: The PDF as rendered at issue (an immutable snapshot, served as stored); None only for certificates
    #: issued before PDFs were stored, rendered and kept on their first download. Loaded only when asked for.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    revoked_by: Mapped[User | None] = relationship()


class CertificateBundle(TimestampMixin, db.Model):
    """A ZIP of a campaign's certificates, built by a background job for the staff member who asked."""

    __tablename__ = "certificate_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The cohorts whose certificates it holds (those whose names the requester may see); None: every cohort.
    cohort_ids: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="queued")  #: queued, building or done
    done: Mapped[int] = mapped_column(default=0)  #: certificates handled so far (added or failed)
    total: Mapped[int] = mapped_column(default=0)
    #: One line per certificate that could not be added (its code and why), shown on the job page.
    failures: Mapped[list] = mapped_column(JSON, default=list)
    heartbeat_at: Mapped[datetime | None]  #: a building worker's last sign of life; a stale one is taken over
    finished_at: Mapped[datetime | None]
    archive: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
