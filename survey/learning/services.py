"""Studying modules: content versions, page progress, knowledge-check attempts. Callers commit."""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Enrolment
from survey.db import utcnow
from survey.extensions import db
from survey.learning.content import Module
from survey.learning.models import ModuleProgress, ModuleVersion, PageView, QuizAttempt, Reflection
from survey.learning.quiz import Marked, mark

#: A page left open longer than this (phone in a pocket) counts only this long towards CPD time.
PAGE_TIME_CAP = timedelta(minutes=20)


def module_version(module: Module) -> ModuleVersion:
    """The row for the module's current content version, created the first time it is studied."""
    query = select(ModuleVersion).where(ModuleVersion.slug == module.slug, ModuleVersion.version == module.version)
    row = db.session.scalar(query)
    if row is None:
        try:
            with db.session.begin_nested():
                row = ModuleVersion(slug=module.slug, version=module.version, title=module.title, credits=module.credits)
                db.session.add(row)
        except IntegrityError:  # another request recorded it first
            row = db.session.scalar(query)
    return row


def progress_for(enrolment: Enrolment, module: Module) -> ModuleProgress:
    """The GP's progress row for a module, created on first opening; records the version studied.

    When the module's content changed since the GP last studied it, they continue on the new
    version at the same page number, clamped to the new page count; time, pages read and
    passed state are kept (see README, "Content versions").
    """
    query = select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id,
                                         ModuleProgress.module_slug == module.slug)
    progress = db.session.scalar(query)
    version = module_version(module)
    if progress is None:
        try:
            with db.session.begin_nested():
                progress = ModuleProgress(enrolment_id=enrolment.id, module_slug=module.slug,
                                          module_version_id=version.id, current_page=1, furthest_page=1, seconds_spent=0)
                db.session.add(progress)
        except IntegrityError:  # the module opened in another tab at the same moment
            progress = db.session.scalar(query)
    if progress.module_version_id != version.id:
        progress.module_version_id = version.id
        progress.current_page = min(progress.current_page, module.page_count)
        progress.furthest_page = min(progress.furthest_page, module.page_count)
    db.session.flush()
    return progress


def _close_open_views(progress: ModuleProgress) -> None:
    """Count the time of any page still open (each capped at PAGE_TIME_CAP) towards CPD time."""
    now = utcnow()
    for view in db.session.scalars(select(PageView).where(PageView.progress_id == progress.id, PageView.closed_at.is_(None))):
        view.seconds = int(min(now - view.opened_at, PAGE_TIME_CAP).total_seconds())
        view.closed_at = now
        progress.seconds_spent += view.seconds


def show_page(progress: ModuleProgress, module: Module, page: int) -> PageView:
    """Record a view of ``page`` in the current version and remember it, so the GP resumes here on any device."""
    _close_open_views(progress)
    view = PageView(progress_id=progress.id, module_version_id=progress.module_version_id, page=page,
                    page_file=module.pages[page - 1].file, opened_at=utcnow())
    db.session.add(view)
    progress.current_page = page
    progress.furthest_page = max(progress.furthest_page, page)
    db.session.flush()
    return view


def finish_page(progress: ModuleProgress, page: int, page_count: int) -> None:
    """Count the time on the page and mark the module read when its last page is finished."""
    _close_open_views(progress)
    if page >= page_count and progress.pages_completed_at is None:
        progress.pages_completed_at = utcnow()
    progress.current_page = min(page + 1, page_count)
    db.session.flush()


def record_attempt(enrolment: Enrolment, module: Module, progress: ModuleProgress, chosen: dict[str, list[int]]) -> Marked:
    """Mark and store an attempt; the best score is kept and the module passes once any attempt passes."""
    marked = mark(module.knowledge_check, chosen)
    db.session.add(QuizAttempt(
        enrolment_id=enrolment.id, module_slug=module.slug, module_version_id=progress.module_version_id,
        answers=chosen, score=marked.score, passed=marked.passed,
    ))
    progress.best_score = max(progress.best_score or 0, marked.score)
    if marked.passed and progress.passed_at is None:
        progress.passed_at = utcnow()
    db.session.flush()
    return marked


def reflection_of(enrolment: Enrolment, scope: str = "campaign") -> Reflection | None:
    """The GP's reflection on the campaign, or on one module (``scope`` = its slug)."""
    return db.session.scalar(
        select(Reflection).where(Reflection.enrolment_id == enrolment.id, Reflection.scope == scope)
    )


def save_reflection(enrolment: Enrolment, text: str, scope: str = "campaign") -> Reflection:
    """Write or rewrite a reflection; one per enrolment and scope, editable at any time."""
    reflection = reflection_of(enrolment, scope)
    if reflection is None:
        try:
            with db.session.begin_nested():
                reflection = Reflection(enrolment_id=enrolment.id, scope=scope, text=text.strip())
                db.session.add(reflection)
        except IntegrityError:  # saved from another tab at the same moment: this save rewrites it
            reflection = reflection_of(enrolment, scope)
    reflection.text = text.strip()
    db.session.flush()
    return reflection
