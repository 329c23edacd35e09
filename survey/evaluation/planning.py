"""The planner's question put to :mod:`survey.evaluation.power`: which design, and the effect in which unit. Pure."""
from dataclasses import dataclass

from survey.evaluation.power import Plan, plan


@dataclass(frozen=True)
class PlannerAnswer:
    plan: Plan
    design_name: str
    effect_points: float | None  #: the effect in scale points, when an SD was given
    d: float  #: the standardised effect


def power_design(campaign_design: str) -> str:
    """A delayed-start campaign compares two arms (ANCOVA on the baseline); an uncontrolled one pairs each
    GP's before and after."""
    return "two-arm" if campaign_design == "delayed-start" else "paired"


def answer(campaign_design: str, effect: float, unit: str, sd: float | None, correlation: float, attrition_percent: int,
           power: float) -> PlannerAnswer:
    """How many GPs to enrol: an effect in scale points is divided by the SD; an effect given as d has SD 1."""
    design = power_design(campaign_design)
    scale_sd = sd if unit == "points" else 1.0
    found = plan(effect, sd=scale_sd, correlation=correlation, attrition=attrition_percent / 100, power=power, design=design)
    return PlannerAnswer(plan=found, design_name="two arms, adjusted for baseline" if design == "two-arm" else "before and after, paired",
                         effect_points=effect if unit == "points" else (effect * sd if sd else None),
                         d=effect / scale_sd)
