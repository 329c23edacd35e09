"""Studying modules: content versions, page progress and study time, reflections. Callers commit.

Knowledge-check attempts are in attempts.py; the time and completion rules in study.py.
"""
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Enrolment
from survey.db import utcnow
from survey.extensions import db
from survey.learning import study
from survey.learning.content import Module
from survey.learning.models import ModuleProgress, ModuleVersion, PageView, Reflection

#: A page left open longer than this (phone in a pocket) counts only this long towards CPD time.
PAGE_TIME_CAP = timedelta(seconds=study.PAGE_CAP_ABSOLUTE)
#: How long after a page view closed the script's last report (sent as the GP left) is accepted.
LATE_REPORT = timedelta(minutes=2)


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


def _reading_of(module: Module, page_file: str) -> int:
    """Reading time of a page of the current version by its file (a page dropped since: the floor)."""
    number = module.page_number_of(page_file)
    return study.reading_seconds(module.page_texts[number - 1]) if number else study.PAGE_CAP_FLOOR // study.PAGE_CAP_FACTOR


def _counted_seconds(view: PageView, module: Module, until) -> int:
    """What a view counts: the script's accepted active seconds, else the no-JavaScript fallback."""
    reading = _reading_of(module, view.page_file)
    if view.active_seconds is not None:
        return min(view.active_seconds, study.page_cap_seconds(reading))
    return study.fallback_seconds((until - view.opened_at).total_seconds(), reading)


def _sum_time(progress: ModuleProgress) -> None:
    """The module's study time is the sum of its page views' counted seconds in the current study cycle."""
    progress.seconds_spent = db.session.scalar(
        select(func.coalesce(func.sum(PageView.seconds), 0)).where(PageView.progress_id == progress.id,
                                                                    PageView.cycle == progress.cycle))


def _close_open_views(progress: ModuleProgress, module: Module, reported: dict[int, int] | None = None) -> None:
    """Close any page still open and count its time (study.py rules); ``reported`` holds the
    script's active seconds per view id, sent with the form that leaves the page."""
    now = utcnow()
    for view in db.session.scalars(select(PageView).where(PageView.progress_id == progress.id, PageView.closed_at.is_(None))):
        if reported and view.id in reported:
            _accept_report(view, module, reported[view.id], now)
        view.seconds = _counted_seconds(view, module, now)
        view.closed_at = now
    db.session.flush()
    _sum_time(progress)


def _accept_report(view: PageView, module: Module, seconds: int, now) -> None:
    """Keep the largest report accepted so far (reports are cumulative per view)."""
    open_seconds = ((view.closed_at or now) - view.opened_at).total_seconds()
    accepted = study.accepted_active_seconds(seconds, open_seconds, _reading_of(module, view.page_file))
    view.active_seconds = max(view.active_seconds or 0, accepted)


def report_active_time(progress: ModuleProgress, module: Module, view_id: int, seconds: int) -> bool:
    """Record the study-time script's report for one of this GP's page views.

    The server never counts more than it saw the page open (``study.accepted_active_seconds``).
    A report arriving after the view was closed (the beacon sent as the GP left) is accepted for
    LATE_REPORT after closing. Returns False for a view that is not this progress's, or too late.
    """
    view = db.session.get(PageView, view_id)
    now = utcnow()
    if view is None or view.progress_id != progress.id:
        return False
    if view.closed_at is not None and now - view.closed_at > LATE_REPORT:
        return False
    _accept_report(view, module, seconds, now)
    if view.closed_at is not None:
        view.seconds = _counted_seconds(view, module, view.closed_at)
        db.session.flush()
        _sum_time(progress)
    refresh_completion(progress, module)
    db.session.flush()
    return True


def viewed_files(progress: ModuleProgress) -> set[str]:
    """Page files this GP has been shown in this module (any version) in the current study cycle."""
    return set(db.session.scalars(select(PageView.page_file).where(
        PageView.progress_id == progress.id, PageView.cycle == progress.cycle).distinct()))


def status_of(progress: ModuleProgress, module: Module) -> study.StudyStatus:
    return study.study_status(module, progress.seconds_spent, viewed_files(progress))


def refresh_completion(progress: ModuleProgress, module: Module) -> None:
    """Mark the pages studied once every page was viewed and the minimum active time is reached
    (``study.study_status``); once studied, a module stays studied."""
    if progress.pages_completed_at is None and status_of(progress, module).studied:
        progress.pages_completed_at = utcnow()


def show_page(progress: ModuleProgress, module: Module, page: int) -> PageView:
    """Record a view of ``page`` in the current version and remember it, so the GP resumes here on any device."""
    _close_open_views(progress, module)
    view = PageView(progress_id=progress.id, module_version_id=progress.module_version_id, cycle=progress.cycle, page=page,
                    page_file=module.pages[page - 1].file, opened_at=utcnow())
    db.session.add(view)
    progress.current_page = page
    progress.furthest_page = max(progress.furthest_page, page)
    db.session.flush()
    refresh_completion(progress, module)
    return view


def finish_page(progress: ModuleProgress, module: Module, page: int, reported: dict[int, int] | None = None) -> None:
    """Count the time on the page (with the script's report sent in the form) and move on."""
    _close_open_views(progress, module, reported)
    refresh_completion(progress, module)
    progress.current_page = min(page + 1, module.page_count)
    db.session.flush()


def study_cycle(enrolment: Enrolment, slugs: list[str]) -> int:
    """The study cycle the GP is in for these modules: 1, or later once they renewed a certificate
    by repeating the course (``certificates/renewal.py``)."""
    return db.session.scalar(select(func.max(ModuleProgress.cycle)).where(
        ModuleProgress.enrolment_id == enrolment.id, ModuleProgress.module_slug.in_(slugs))) or 1


def reflection_of(enrolment: Enrolment, scope: str = "campaign") -> Reflection | None:
    """The GP's reflection on the campaign, or on one module (``scope`` = its slug)."""
    return db.session.scalar(
        select(Reflection).where(Reflection.enrolment_id == enrolment.id, Reflection.scope == scope)
    )


def save_reflection(enrolment: Enrolment, text: str, scope: str = "campaign") -> Reflection:
    """Write or rewrite a reflection; one per enrolment and scope, editable at any time. It counts for
    the study cycle it is saved in, so a repeat of the course asks for it again."""
    reflection = reflection_of(enrolment, scope)
    if reflection is None:
        try:
            with db.session.begin_nested():
                reflection = Reflection(enrolment_id=enrolment.id, scope=scope, text=text.strip())
                db.session.add(reflection)
        except IntegrityError:  # saved from another tab at the same moment: this save rewrites it
            reflection = reflection_of(enrolment, scope)
    reflection.text = text.strip()
    reflection.cycle = study_cycle(enrolment, enrolment.campaign.module_slugs if scope == "campaign" else [scope])
    db.session.flush()
    return reflection
