"""Progress through modules, knowledge-check attempts and reflections."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.db import TimestampMixin, utcnow
from survey.extensions import db


class ModuleVersion(TimestampMixin, db.Model):
    """A version of a module's content files (a content hash), so progress records what was studied."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(20))  #: content hash of the module's files
    title: Mapped[str] = mapped_column(String(200))
    credits: Mapped[float]


class ModuleProgress(TimestampMixin, db.Model):
    """Where a GP is in one module of an enrolment; one row per enrolment and module."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    #: The content version the GP last studied.
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    current_page: Mapped[int] = mapped_column(default=1)  #: page to resume at (1-based)
    furthest_page: Mapped[int] = mapped_column(default=1)
    pages_completed_at: Mapped[datetime | None]  #: when the last page was finished
    #: Time on pages (evidence for CPD hours); each page visit counts at most PAGE_TIME_CAP.
    seconds_spent: Mapped[int] = mapped_column(default=0)
    page_opened_at: Mapped[datetime | None]  #: when the current page was last shown
    best_score: Mapped[int | None]  #: best knowledge-check score, percent
    passed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QuizAttempt(TimestampMixin, db.Model):
    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    #: question id -> list of chosen option indexes
    answers: Mapped[dict] = mapped_column(JSON)
    score: Mapped[int]  #: percent of questions answered correctly
    passed: Mapped[bool]


class Reflection(TimestampMixin, db.Model):
    """The GP's written reflection (UK CPD asks for one): on the whole campaign, or on one module
    when the campaign certifies each module separately."""

    __tablename__ = "reflections"
    __table_args__ = (UniqueConstraint("enrolment_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    #: "campaign" for the campaign's reflection, else the slug of the module it reflects on.
    scope: Mapped[str] = mapped_column(String(80), default="campaign")
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
