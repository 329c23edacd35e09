"""A campaign's evaluation design, the allocation of GPs to arms, and its pre-specified outcomes. Callers commit."""
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from survey.audit import services as audit
from survey.auth.models import User
from survey.campaigns.models import Campaign, Enrolment
from survey.evaluation.allocation import arm_for
from survey.evaluation.models import Allocation, OutcomeChange
from survey.extensions import db
from survey.sequences import take_next_place
from survey.surveys.models import Response

DESIGNS = {"uncontrolled": "Uncontrolled: everyone starts at once (before and after only)",
           "delayed-start": "Delayed start: each consenting GP is randomised to start now or after a delay"}
#: Time points an outcome may be measured at (the baseline is what it is compared with).
OUTCOME_WAVES = {"post": "after the course", "follow_up": "at follow-up"}


class EvaluationError(Exception):
    """A rule about the evaluation design was broken; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def has_enrolments(campaign: Campaign) -> bool:
    return db.session.scalar(select(Enrolment.id).where(Enrolment.campaign_id == campaign.id).limit(1)) is not None


def set_design(campaign: Campaign, design: str, start_delay_days: int, stratify_by_cohort: bool, by: User) -> None:
    """Choose the campaign's design. Fixed once a GP has enrolled: changing it would break the randomisation
    (allocations already made) or leave enrolled GPs without the arm the analysis expects."""
    wanted = (design, start_delay_days if design == "delayed-start" else 0, stratify_by_cohort and design == "delayed-start")
    if wanted == (campaign.design, campaign.start_delay_days, campaign.stratify_by_cohort):
        return
    if has_enrolments(campaign):
        raise EvaluationError("design", "GPs have enrolled, so the design can no longer change.")
    campaign.design, campaign.start_delay_days, campaign.stratify_by_cohort = wanted
    if not campaign.allocation_seed:  # campaigns made before allocation existed
        campaign.allocation_seed = secrets.token_hex(16)
    audit.record(by, "campaign.design", f"campaign:{campaign.slug}", design=design,
                 start_delay_days=campaign.start_delay_days, stratify_by_cohort=campaign.stratify_by_cohort)
    db.session.flush()


def stratum_of(enrolment: Enrolment) -> str:
    if not enrolment.campaign.stratify_by_cohort:
        return "campaign"
    return f"cohort:{enrolment.cohort_id if enrolment.cohort_id is not None else 'none'}"


def allocate(enrolment: Enrolment) -> Allocation | None:
    """Randomise a newly enrolled GP who consented to research use in a delayed-start campaign (else None).

    The GP takes the next place in their stratum's permuted-block sequence; a concurrent enrolment that
    took the same place first makes this one try the next place, so no place is used twice or skipped.
    """
    campaign = enrolment.campaign
    if not campaign.delayed_start or not enrolment.research_consent:
        return None
    stratum = stratum_of(enrolment)
    return take_next_place(
        lambda: db.session.scalar(select(func.count(Allocation.id)).where(
            Allocation.campaign_id == campaign.id, Allocation.stratum == stratum)),
        lambda position: Allocation(campaign_id=campaign.id, enrolment_id=enrolment.id, stratum=stratum,
                                    position=position, arm=arm_for(campaign.allocation_seed, stratum, position)),
        f"allocate enrolment {enrolment.id}")


def arms_of(campaign: Campaign) -> dict[int, str]:
    """Every allocated enrolment's arm: for the analysis only, never for a page that lists GPs."""
    return dict(db.session.execute(select(Allocation.enrolment_id, Allocation.arm)
                                   .where(Allocation.campaign_id == campaign.id)).tuples().all())


def allocation_of(enrolment: Enrolment) -> Allocation | None:
    return db.session.scalar(select(Allocation).where(Allocation.enrolment_id == enrolment.id))


def second_baseline_opens_at(allocation: Allocation, campaign: Campaign) -> datetime:
    return allocation.allocated_at + timedelta(days=campaign.start_delay_days)


def arm_counts(campaign: Campaign) -> dict[str, int]:
    """How many GPs each arm holds: what staff may see while the campaign runs (never who is in which)."""
    counts = Counter(db.session.scalars(select(Allocation.arm).where(Allocation.campaign_id == campaign.id)))
    return {"now": counts["now"], "delayed": counts["delayed"]}


def research_enrolments(campaign: Campaign) -> int:
    """GPs enrolled whose answers the analysis may use (consented, not withdrawn): what the planner compares with."""
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.campaign_id == campaign.id, Enrolment.research_consent.is_(True), Enrolment.withdrawn_at.is_(None)))


@dataclass(frozen=True)
class Outcome:
    scale: str
    wave: str

    def as_dict(self) -> dict:
        return {"scale": self.scale, "wave": self.wave}


def outcomes_of(campaign: Campaign) -> dict:
    """The pre-specified outcomes as stored: {"primary": {...} | None, "secondary": [...]}."""
    return {"primary": campaign.primary_outcome, "secondary": list(campaign.secondary_outcomes or [])}


def outcomes_locked_at(campaign: Campaign) -> datetime | None:
    """When the outcomes locked: the moment the campaign's first survey response began (answers exist from
    then on, so a choice made later could be informed by them); None while no GP has started a survey."""
    return db.session.scalar(select(func.min(Response.started_at)).join(Enrolment, Enrolment.id == Response.enrolment_id)
                             .where(Enrolment.campaign_id == campaign.id))


def set_outcomes(campaign: Campaign, primary: Outcome | None, secondary: list[Outcome], by: User) -> OutcomeChange | None:
    """Pre-specify the outcomes. Free before the first response; after it, the change is still made but
    recorded (who, when, from what, to what) and every report shows it. Returns the record, if one was made."""
    if primary is not None and primary in secondary:
        raise EvaluationError("secondary", "The primary outcome cannot also be a secondary one.")
    before = outcomes_of(campaign)
    after = {"primary": primary.as_dict() if primary else None,
             "secondary": [o.as_dict() for o in sorted(set(secondary), key=lambda o: (o.wave, o.scale))]}
    if after == before:
        return None
    campaign.primary_outcome, campaign.secondary_outcomes = after["primary"], after["secondary"]
    change = None
    if outcomes_locked_at(campaign) is not None:
        change = OutcomeChange(campaign_id=campaign.id, changed_by_id=by.id, before=before, after=after)
        db.session.add(change)
    audit.record(by, "campaign.outcomes", f"campaign:{campaign.slug}", **after)
    db.session.flush()
    return change


def outcome_changes(campaign: Campaign) -> list[OutcomeChange]:
    """Changes made after the outcomes locked, oldest first."""
    return list(db.session.scalars(select(OutcomeChange).where(OutcomeChange.campaign_id == campaign.id)
                                   .order_by(OutcomeChange.changed_at, OutcomeChange.id)))


def outcomes_record(campaign: Campaign) -> dict:
    """What every report shows about the pre-specified outcomes: the choice, when it locked, every later change."""
    return {"outcomes": outcomes_of(campaign), "locked_at": outcomes_locked_at(campaign),
            "changes": outcome_changes(campaign)}
