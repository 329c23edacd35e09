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
    #: Time on pages (evidence for CPD hours): the sum of this module's PageView.seconds.
    seconds_spent: Mapped[int] = mapped_column(default=0)
    best_score: Mapped[int | None]  #: best knowledge-check score, percent
    passed_at: Mapped[datetime | None]
    #: The study cycle this row now holds: 1, then one more each time the GP renews an expiring
    #: certificate. A renewal resets the fields above; the earlier cycle's page views and attempts
    #: keep their cycle number, and its certificate keeps what it stated.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PageView(db.Model):
    """One showing of one module page to a GP: the CPD evidence of when, which version, and how long.

    A view is open from the moment the page is shown until the GP's next page request in the
    module (next, previous or a reload) or finishing the page; its time is capped at PAGE_TIME_CAP.
    """

    __tablename__ = "page_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("module_progress.id", ondelete="CASCADE"), index=True)
    #: The content version shown; a page number means different text in another version.
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    page: Mapped[int]  #: 1-based page number in that version
    page_file: Mapped[str] = mapped_column(String(120))  #: the page's file name in that version
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]  #: None while the GP may still be reading
    seconds: Mapped[int] = mapped_column(default=0)  #: time counted towards CPD, capped (study.py)
    #: Active seconds the study-time script reported (visible and recently used), as accepted by the
    #: server; None when no report came (no JavaScript), so the conservative fallback counts instead.
    active_seconds: Mapped[int | None]
    #: The progress row's study cycle when shown: only the current cycle's views count.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")


class QuizAttempt(TimestampMixin, db.Model):
    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    #: The questions drawn and their option order as shown: [{"id": ..., "order": [file indexes]}];
    #: None for attempts from before question banks (they answered every question in file order).
    questions: Mapped[list | None] = mapped_column(JSON)
    #: question id -> list of chosen option indexes (in the file's order); None until submitted
    answers: Mapped[dict | None] = mapped_column(JSON)
    score: Mapped[int | None]  #: percent of questions answered correctly; None until submitted
    passed: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    #: The progress row's study cycle when drawn: a repeat of the course must pass its own check.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")


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
    #: The study cycle it was last saved in: a repeat of the course (renewal) asks for it again.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReflectionNote(TimestampMixin, db.Model):
    """The GP's private note in one "Reflection" box of a module page (the n-th box of that page file)."""

    __tablename__ = "reflection_notes"
    __table_args__ = (UniqueConstraint("enrolment_id", "module_slug", "page_file", "box"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    page_file: Mapped[str] = mapped_column(String(120))
    box: Mapped[int]  #: 1-based number of the reflection box on that page
    prompt: Mapped[str] = mapped_column(String(300))  #: the box's title when the note was written
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
