"""Issued CPD certificates: a frozen snapshot so every download is the same certificate."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.auth.models import User
from survey.db import utcnow
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

    revoked_by: Mapped[User | None] = relationship()
