"""Time on each survey page from server-side timestamps, and the time estimate shown to GPs.

A page's visit starts when the server shows it and ends when the GP saves it (autosaves do not
end a visit). Each visit counts for at most ``IDLE_CAP_SECONDS``: a tab left open over lunch is
not reading time. Services flush; callers commit.
"""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey import clock
from survey.extensions import db
from survey.surveys.models import PageTime

IDLE_CAP_SECONDS = 300  #: at most 5 minutes per page visit


def page_shown(response_id: int, page: int) -> None:
    """Start a visit of the page, unless one is already running (a reload keeps the first start)."""
    row = db.session.scalar(select(PageTime).where(PageTime.response_id == response_id, PageTime.page == page))
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(PageTime(response_id=response_id, page=page, shown_at=clock.now(), seconds=0, visits=0))
        except IntegrityError:  # shown at the same moment on another device
            pass
        return
    if row.shown_at is None:
        row.shown_at = clock.now()
        db.session.flush()


def page_saved(response_id: int, page: int) -> None:
    """End the page's running visit, adding its (capped) length to the page's time."""
    row = db.session.scalar(select(PageTime).where(PageTime.response_id == response_id, PageTime.page == page))
    if row is None or row.shown_at is None:
        return
    shown_at = row.shown_at if row.shown_at.tzinfo else row.shown_at.replace(tzinfo=clock.now().tzinfo)
    elapsed = max(0, int((clock.now() - shown_at).total_seconds()))
    row.seconds += min(elapsed, IDLE_CAP_SECONDS)
    row.visits += 1
    row.shown_at = None
    db.session.flush()
