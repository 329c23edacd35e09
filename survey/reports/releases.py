"""Charity releases: publishing a dated snapshot of a campaign's charity report, and reading them back.

A charity sees only published releases (never live data). Each new release is checked against
every earlier one of the campaign (see :mod:`survey.reports.disclosure`). Services flush; the
caller commits.
"""
from sqlalchemy import func, select

from survey.audit.services import record
from survey.auth.models import User
from survey.campaigns.models import Campaign
from survey.db import utcnow
from survey.evaluation import services as evaluation
from survey.extensions import db
from survey.reports import disclosure
from survey.reports.charity import build_release
from survey.reports.models import ReportRelease
from survey.reports.services import cell_size, dataset_for


class NotForCharity(Exception):
    """The campaign has no charity: there is nobody to publish a release to."""


def campaign_releases(campaign: Campaign) -> list[ReportRelease]:
    """A campaign's releases, newest first."""
    return list(db.session.scalars(select(ReportRelease).where(ReportRelease.campaign_id == campaign.id)
                                   .order_by(ReportRelease.number.desc())))


def find_release(campaign: Campaign, number: int | None = None) -> ReportRelease | None:
    """Release ``number`` of ``campaign``, or its latest when ``number`` is None; None if there is none."""
    query = select(ReportRelease).where(ReportRelease.campaign_id == campaign.id)
    query = query.where(ReportRelease.number == number) if number is not None else \
        query.order_by(ReportRelease.number.desc()).limit(1)
    return db.session.scalar(query)


def publish_release(user: User | None, campaign: Campaign) -> ReportRelease:
    """Freeze the charity's view of ``campaign`` now as its next release, checked against all earlier ones.

    Raises :class:`NotForCharity` for a campaign without an organisation. Recorded in the audit log.
    """
    if campaign.organisation_id is None:
        raise NotForCharity(campaign.slug)
    earlier = sorted(campaign_releases(campaign), key=lambda r: r.number)
    now = utcnow()
    dataset = dataset_for(campaign)
    course = {"title": campaign.title, "description": campaign.description or "",
              "modules": [title for _, title in dataset.campaign.modules]}
    controlled = {"arms": evaluation.arms_of(campaign), "outcomes": evaluation.outcomes_of(campaign)} \
        if campaign.delayed_start else None
    public, private = build_release(dataset, [disclosure.from_private(r.private) for r in earlier],
                                    now.date().isoformat(), course, controlled)
    number = (db.session.scalar(select(func.max(ReportRelease.number))
                                .where(ReportRelease.campaign_id == campaign.id)) or 0) + 1
    public = {"release": {"number": number, "published_at": now.isoformat(timespec="seconds")}, **public}
    release = ReportRelease(campaign_id=campaign.id, number=number, published_at=now,
                            published_by_id=user.id if user else None, min_cell_size=cell_size(campaign),
                            public=public, private=private)
    db.session.add(release)
    record(user, "report.release", f"campaign:{campaign.slug}", number=number)
    db.session.flush()
    return release
