"""Full reports cached per campaign (or cohort) and data version, so a repeat view builds nothing.

A view asks :func:`cached_report`. When the stored report was built from the data as it is now,
it is served as is. When the data changed (or nothing is stored yet), a small campaign is built
at once (under ``REPORT_INLINE_MAX_RESPONSES`` submitted responses it takes well under a second);
a larger one gets the last good report with its date, or "being prepared" before the first
build, and a rebuild is requested, so no request spends more than a moment on a report at any size.

The data version (:func:`data_version`) is a fingerprint of everything the report reads, taken
in one statement of aggregates over indexed columns: participants (count, withdrawals, consent,
cohort moves), submitted responses (count, last submission and update, instrument versions),
completed modules, reflections, certificates (issued and revoked) and vignette assignments, plus
the campaign's settings, cohort names, module titles and the report format. A withdrawal, a new
submission, an edit and a content change each change it.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Integer, String, cast, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.certificates.models import Certificate
from survey.db import utcnow
from survey.extensions import db
from survey.learning.models import ModuleProgress, Reflection
from survey.library import library
from survey.reports.analysis import REPORT_VERSION, build_report
from survey.reports.models import CachedReport
from survey.reports.services import cell_size, dataset_for
from survey.surveys.models import Response, VignetteAssignment


@dataclass(frozen=True)
class Cached:
    report: dict | None  #: None while the first build is being prepared
    built_at: datetime | None
    fresh: bool  #: built from the data as it is now


def _scope(cohort: Cohort | None) -> str:
    return f"cohort:{cohort.id}" if cohort is not None else "campaign"


def _text(*values):
    """Aggregates joined as one text value (NULL as empty), so each table costs one scalar subquery."""
    parts = [func.coalesce(cast(value, String), "") for value in values]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + ":" + part
    return joined


def data_version(campaign: Campaign, cohort: Cohort | None) -> tuple[str, int]:
    """(fingerprint of the report's input, submitted responses in it); see the module docstring."""
    scope = Enrolment.campaign_id == campaign.id
    if cohort is not None:
        scope &= Enrolment.cohort_id == cohort.id
    enrolled = select(Enrolment.id).where(scope)
    by_enrolment = [
        select(_text(func.count(), func.count(Enrolment.withdrawn_at), func.sum(cast(Enrolment.research_consent, Integer)),
                     func.max(Enrolment.withdrawn_at), func.max(Enrolment.id), func.sum(func.coalesce(Enrolment.cohort_id, 0))))
        .where(scope),
        select(_text(func.count(), func.max(Response.submitted_at), func.max(Response.updated_at),
                     func.sum(Response.instrument_version_id), func.max(Response.id)))
        .where(Response.enrolment_id.in_(enrolled), Response.submitted_at.is_not(None)),
        select(_text(func.count(ModuleProgress.passed_at), func.count(ModuleProgress.pages_completed_at),
                     func.max(ModuleProgress.updated_at))).where(ModuleProgress.enrolment_id.in_(enrolled)),
        select(_text(func.count(), func.max(Reflection.updated_at))).where(Reflection.enrolment_id.in_(enrolled)),
        select(_text(func.count(), func.count(Certificate.revoked_at), func.max(Certificate.issued_at),
                     func.max(Certificate.revoked_at))).where(Certificate.enrolment_id.in_(enrolled)),
        select(_text(func.count(), func.max(VignetteAssignment.id))).where(VignetteAssignment.enrolment_id.in_(enrolled)),
    ]
    stored = db.session.execute(select(*(query.scalar_subquery() for query in by_enrolment))).one()
    modules = library().modules
    settings = [REPORT_VERSION, campaign.slug, campaign.title, cell_size(campaign), campaign.certificate_rule,
                campaign.enrolment_fields, campaign.organisation.name if campaign.organisation else None,
                [(slug, modules[slug].title if slug in modules else slug) for slug in campaign.module_slugs],
                [(c.id, c.name) for c in campaign.cohorts]]
    fingerprint = hashlib.sha256(repr((tuple(stored), settings)).encode()).hexdigest()
    return fingerprint, int(stored[1].split(":")[0])


def _entry(campaign_id: int, scope: str) -> CachedReport | None:
    return db.session.scalar(select(CachedReport).where(CachedReport.campaign_id == campaign_id,
                                                        CachedReport.scope == scope))


def _store(campaign: Campaign, cohort: Cohort | None, version: str) -> CachedReport:
    """Build the report now and keep it with the data version it was built from; the caller commits."""
    report = build_report(dataset_for(campaign, cohort))
    entry = _entry(campaign.id, _scope(cohort))
    if entry is None:
        entry = CachedReport(campaign_id=campaign.id, scope=_scope(cohort))
        db.session.add(entry)
    entry.report, entry.data_version, entry.built_at, entry.claimed_at = report, version, utcnow(), None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another request stored the same report first; serve ours, keep theirs
        pass
    return entry


def cached_report(campaign: Campaign, cohort: Cohort | None = None) -> Cached:
    """The full report of ``campaign`` (or a cohort): fresh when it is cheap or already built, else the last
    good one (or none yet) while a rebuild is requested. May store a report: the caller commits."""
    version, responses = data_version(campaign, cohort)
    entry = _entry(campaign.id, _scope(cohort))
    if entry is not None and entry.report is not None and entry.data_version == version:
        return Cached(entry.report, entry.built_at, True)
    if responses <= current_app.config["REPORT_INLINE_MAX_RESPONSES"]:
        entry = _store(campaign, cohort, version)
        return Cached(entry.report, entry.built_at, True)
    request_rebuild(campaign.id, cohort.id if cohort is not None else None)
    if entry is None or entry.report is None:
        return Cached(None, None, False)
    return Cached(entry.report, entry.built_at, False)


def request_rebuild(campaign_id: int, cohort_id: int | None = None) -> None:
    """Have the report of this campaign (or cohort) rebuilt from the current data by a worker, once the
    response has been delivered (inline in development: see ``survey.jobs.queue``)."""
    from survey.jobs.queue import enqueue  # the jobs import the report builder: import at call time
    from survey.jobs.tasks import rebuild_report

    enqueue(rebuild_report, campaign_id, cohort_id)


def _claim(campaign_id: int, scope: str) -> bool:
    """Claim the build of one report, so concurrent requests start one build between them, not one each.

    A claim older than ``REPORT_BUILD_TIMEOUT_SECONDS`` is taken to have died and may be claimed again.
    """
    now = utcnow()
    entry = _entry(campaign_id, scope)
    if entry is None:
        try:
            with db.session.begin_nested():
                db.session.add(CachedReport(campaign_id=campaign_id, scope=scope, claimed_at=now))
        except IntegrityError:
            return False
        db.session.commit()
        return True
    expired = now - timedelta(seconds=current_app.config["REPORT_BUILD_TIMEOUT_SECONDS"])
    claimed = db.session.execute(
        update(CachedReport).where(CachedReport.id == entry.id,
                                   or_(CachedReport.claimed_at.is_(None), CachedReport.claimed_at < expired))
        .values(claimed_at=now)
    ).rowcount == 1
    db.session.commit()
    return claimed


def rebuild(campaign_id: int, cohort_id: int | None = None) -> None:
    """Build and store the report unless it is current or another build holds the claim. Commits (a task)."""
    campaign = db.session.get(Campaign, campaign_id)
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    if campaign is None or (cohort_id is not None and cohort is None):
        return
    scope = _scope(cohort)
    version, _ = data_version(campaign, cohort)
    entry = _entry(campaign_id, scope)
    if entry is not None and entry.report is not None and entry.data_version == version:
        return
    if not _claim(campaign_id, scope):
        return
    _store(campaign, cohort, version)
    db.session.commit()
