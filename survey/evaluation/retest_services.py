"""The test-retest mini-wave: its campaign settings, the draw at baseline, and who may answer. Callers commit."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from survey.audit import services as audit
from survey.auth.models import User
from survey.campaigns.models import Campaign, Enrolment
from survey.evaluation.models import Allocation, RetestDraw
from survey.evaluation.retest import drawn_at
from survey.evaluation.services import EvaluationError, outcomes_locked_at
from survey.extensions import db
from survey.sequences import take_next_place


def retest_locked_at(campaign: Campaign) -> datetime | None:
    """The retest settings lock when the first survey response begins, like the pre-specified outcomes:
    after that the draw may have begun and the share it was balanced for must not change."""
    return outcomes_locked_at(campaign)


def set_retest(campaign: Campaign, enabled: bool, percent: int, days: int, by: User) -> None:
    """Turn the retest on or off and set its share and delay; refused once the settings are locked."""
    wanted = (enabled, percent, days)
    if wanted == (campaign.retest_enabled, campaign.retest_percent, campaign.retest_days):
        return
    if retest_locked_at(campaign) is not None:
        raise EvaluationError("retest_enabled", "GPs have begun answering, so the retest settings can no longer change.")
    campaign.retest_enabled, campaign.retest_percent, campaign.retest_days = wanted
    audit.record(by, "campaign.retest", f"campaign:{campaign.slug}", enabled=enabled, percent=percent, days=days)
    db.session.flush()


def _eligible(enrolment: Enrolment) -> bool:
    """Consenting GPs of a campaign with the retest on; not the delayed arm of a delayed-start campaign, whose
    second baseline already repeats the baseline before any teaching (the report shows that ICC too)."""
    if not enrolment.campaign.retest_enabled or not enrolment.research_consent:
        return False
    arm = db.session.scalar(select(Allocation.arm).where(Allocation.enrolment_id == enrolment.id))
    return arm != "delayed"


def draw(enrolment: Enrolment) -> RetestDraw | None:
    """Draw a GP whose baseline was just submitted: the next place in the campaign's sequence (None if not eligible).

    Drawn once; concurrent baselines each take their own place (``take_next_place``)."""
    existing = draw_of(enrolment)
    if existing is not None or not _eligible(enrolment):
        return existing
    campaign = enrolment.campaign
    return take_next_place(
        lambda: db.session.scalar(select(func.count(RetestDraw.id)).where(RetestDraw.campaign_id == campaign.id)),
        lambda position: RetestDraw(campaign_id=campaign.id, enrolment_id=enrolment.id, position=position,
                                    selected=drawn_at(campaign.assignment_seed, campaign.retest_percent, position)),
        f"draw enrolment {enrolment.id} for the retest")


def draw_of(enrolment: Enrolment) -> RetestDraw | None:
    return db.session.scalar(select(RetestDraw).where(RetestDraw.enrolment_id == enrolment.id))


def retest_opens_at(campaign: Campaign, baseline_submitted_at: datetime | None) -> datetime | None:
    return baseline_submitted_at + timedelta(days=campaign.retest_days) if baseline_submitted_at else None


def selected_flags(campaign: Campaign) -> dict[int, bool]:
    """Every drawn enrolment's flag (True: in the retest subsample), for the exports."""
    return dict(db.session.execute(select(RetestDraw.enrolment_id, RetestDraw.selected)
                                   .where(RetestDraw.campaign_id == campaign.id)).tuples().all())


def draw_counts(campaign: Campaign) -> dict[str, int]:
    """GPs drawn so far and how many of them were selected: what the settings page shows."""
    flags = selected_flags(campaign)
    return {"drawn": len(flags), "selected": sum(flags.values())}
