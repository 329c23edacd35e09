"""Time on each survey page from server-side timestamps, and the time estimate shown to GPs.

A page's visit starts when the server shows it and ends when the GP saves it (autosaves do not
end a visit). Each visit counts for at most ``IDLE_CAP_SECONDS``: a tab left open over lunch is
not reading time. Services flush; callers commit.
"""
from dataclasses import dataclass

import numpy as np
from sqlalchemy import bindparam, func, select, text, update

from survey import clock
from survey.campaigns.models import Enrolment
from survey.db import UTCDateTime
from survey.extensions import db
from survey.instruments.definition import WAVES
from survey.instruments.length import minutes_text, wave_counts, wave_seconds
from survey.library import library
from survey.surveys.models import PageTime, Response

IDLE_CAP_SECONDS = 300  #: at most 5 minutes per page visit


#: One statement, the same on PostgreSQL and SQLite: a first view inserts the row, a view after a save restarts
#: the visit, a reload keeps the running one, and a view on another device at the same moment cannot clash. Text,
#: because SQLAlchemy never caches its dialects' ON CONFLICT constructs and would compile one on every page view.
START_VISIT = text(
    "INSERT INTO page_times (response_id, page, shown_at, seconds, visits) VALUES (:response_id, :page, :now, 0, 0) "
    "ON CONFLICT (response_id, page) DO UPDATE SET shown_at = COALESCE(page_times.shown_at, excluded.shown_at)"
).bindparams(bindparam("now", type_=UTCDateTime()))


def page_shown(response_id: int, page: int) -> None:
    """Start a visit of the page, unless one is already running (a reload keeps the first start)."""
    db.session.execute(START_VISIT, {"response_id": response_id, "page": page, "now": clock.now()})


def page_saved(response_id: int, page: int) -> None:
    """End the page's running visit, adding its (capped) length to the page's time.

    Plain values rather than a PageTime object, and the update only while the visit runs, so two saves racing
    each other end it once.
    """
    this_page = (PageTime.response_id == response_id, PageTime.page == page)
    shown_at = db.session.scalar(select(PageTime.shown_at).where(*this_page))
    if shown_at is None:
        return
    shown_at = shown_at if shown_at.tzinfo else shown_at.replace(tzinfo=clock.now().tzinfo)
    elapsed = max(0, int((clock.now() - shown_at).total_seconds()))
    db.session.execute(update(PageTime).where(*this_page, PageTime.shown_at.is_not(None)).values(
        seconds=PageTime.seconds + min(elapsed, IDLE_CAP_SECONDS), visits=PageTime.visits + 1, shown_at=None))


#: Measured medians replace the estimate once this many GPs have submitted the wave.
MEASURED_FROM = 20


@dataclass(frozen=True)
class WaveTime:
    wave: str
    n: int  #: submitted responses with recorded page times
    median_seconds: float | None
    p90_seconds: float | None


def wave_times(campaign_id: int) -> list[WaveTime]:
    """Median and 90th centile of the total (capped) page time of submitted responses, per wave.

    Withdrawn GPs and those who declined research use are left out, as in every report.
    """
    totals = db.session.execute(
        select(Response.wave, func.sum(PageTime.seconds))
        .join(PageTime, PageTime.response_id == Response.id).join(Enrolment, Enrolment.id == Response.enrolment_id)
        .where(Enrolment.campaign_id == campaign_id, Enrolment.research_consent.is_(True),
               Enrolment.withdrawn_at.is_(None), Response.submitted_at.is_not(None))
        .group_by(Response.id, Response.wave)
    ).tuples().all()
    found = []
    for wave in WAVES:
        values = np.array([seconds for w, seconds in totals if w == wave], dtype=float)
        found.append(WaveTime(wave, len(values), float(np.median(values)) if len(values) else None,
                              float(np.percentile(values, 90)) if len(values) else None))
    return found


def time_estimate(campaign_id: int, definition, wave: str, skip: set[str] = frozenset()) -> tuple[float, str]:
    """(seconds, basis) to tell a GP before they start: the measured median once ``MEASURED_FROM``
    GPs submitted the wave, else the estimate from the wave's words and questions."""
    measured = next(t for t in wave_times(campaign_id) if t.wave == wave)
    if measured.n >= MEASURED_FROM:
        return measured.median_seconds, f"the median time of the {measured.n} GPs who have answered it"
    return wave_seconds(definition, wave, skip), "an estimate from its length"


def baseline_length(campaign) -> str | None:
    """The baseline survey's honest size for the consent page ("80 questions, about 12 minutes (...)"),
    from the campaign's live instrument; None if the campaign is pinned to another version."""
    definition = library().instruments.get(campaign.instrument_slug)
    if definition is None or campaign.instrument_version not in (None, definition.version):
        return None
    questions = wave_counts(definition, "pre")["questions"]
    seconds, basis = time_estimate(campaign.id, definition, "pre")
    return f"{questions} questions, {minutes_text(seconds)} ({basis})"
