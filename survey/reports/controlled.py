"""The controlled analysis of a delayed-start campaign for the educator's report. Pure: no Flask, no database.

The randomised comparison is at the end of the first period: the immediate arm's post survey against the
delayed arm's second baseline (taken after the same wait, before any teaching), both adjusted for the
first baseline (ANCOVA, complete cases). The mixed model takes every wave of every GP and estimates the
same comparison as a contrast; later waves compare nothing randomised on their own (by then both arms
have had the course) but make the estimates of everyone's levels more precise.
"""
import warnings
from functools import partial

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

from survey.evaluation.analysis import ancova, mixed_model, standardised_difference
from survey.reports.dataset import Dataset, variants

TREATED, CONTROL = "now", "delayed"
#: The wave each arm answers at the end of the randomised period.
PERIOD_END = {TREATED: "post", CONTROL: "pre2"}
#: Every wave of a delayed-start campaign, in the order the mixed model codes them (pre the reference).
ALL_WAVES = ["pre", "pre2", "post", "follow_up"]
#: The randomised contrast in the mixed model: the immediate arm's change from pre to post minus the
#: delayed arm's change from pre to pre2 (the delayed arm has no pre2-by-arm term; see mixed_model).
PERIOD_CONTRAST = {"period end x arm": {"wave:post": 1.0, f"wave:post x arm:{TREATED}": 1.0, "wave:pre2": -1.0}}
#: Fewer cohorts than this and a cohort variance is little more than a guess (lme4's check.nlev.gtreq.5).
MIN_COHORTS = 5


def period_frame(ds: Dataset, variant, arms: dict[int, str]) -> pd.DataFrame:
    """One row per randomised participant: arm, first baseline and end-of-period score of one scale."""
    pre = ds.wave_scores(variant, "pre")
    ends = {arm: ds.wave_scores(variant, wave) for arm, wave in PERIOD_END.items()}
    rows = [{"participant": enrolment, "arm": arm, "baseline": pre.get(enrolment), "outcome": ends[arm].get(enrolment)}
            for enrolment, arm in sorted(arms.items()) if enrolment in ds.participants.index]
    return pd.DataFrame(rows, columns=["participant", "arm", "baseline", "outcome"]).astype(
        {"baseline": float, "outcome": float})


def waves_long(ds: Dataset, variant, arms: dict[int, str]) -> pd.DataFrame:
    """Every score of one scale of every randomised participant at every wave, with arm and cohort."""
    cohorts = ds.participants["cohort"]
    rows = [{"participant": enrolment, "arm": arm, "cohort": cohorts[enrolment], "wave": wave, "score": score}
            for wave in ALL_WAVES for enrolment, score in ds.wave_scores(variant, wave).items()
            if (arm := arms.get(enrolment)) is not None]
    return pd.DataFrame(rows, columns=["participant", "arm", "cohort", "wave", "score"]).astype({"score": float})


def all_waves_model(long: pd.DataFrame) -> dict | None:
    """The mixed model over all waves, with a cohort random effect when every GP has a cohort and there
    are at least MIN_COHORTS of them, else (or if that model does not converge) a participant effect
    only; ``cohort_effect`` says which was fitted."""
    fit = partial(mixed_model, long, ALL_WAVES, [CONTROL, TREATED], contrasts=PERIOD_CONTRAST)
    if long["cohort"].notna().all() and long["cohort"].nunique() >= MIN_COHORTS and (model := fit(cohort="cohort")):
        return {**model, "cohort_effect": True}
    model = fit()
    return {**model, "cohort_effect": False} if model else None


def attrition(frame: pd.DataFrame) -> dict:
    """Baseline balance of those who answered the end-of-period survey and those who did not (SMD)."""
    started = frame.dropna(subset=["baseline"])
    stayed = started["outcome"].notna()
    return {"stayed": int(stayed.sum()), "left": int((~stayed).sum()),
            "smd": standardised_difference(started.loc[stayed, "baseline"], started.loc[~stayed, "baseline"])}


def estimable(fit, *args, **kwargs):
    """``fit(*args)``, or None when the data cannot identify the model (e.g. every GP gave the same
    answers, so arm and baseline are confounded): no number is better than an arbitrary one."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SingularMatrixWarning)
        try:
            return fit(*args, **kwargs)
        except (SingularMatrixWarning, np.linalg.LinAlgError):
            return None


def holm(results: list[dict]) -> None:
    """Add ``p_holm`` to each result with a p-value: Holm's step-down adjustment across exactly these."""
    tested = [r for r in results if r["ancova"] and r["ancova"]["p"] is not None]
    if tested:
        adjusted = multipletests([r["ancova"]["p"] for r in tested], method="holm")[1]
        for result, p in zip(tested, adjusted):
            result["p_holm"] = float(p)


def controlled_analysis(ds: Dataset, arms: dict[int, str], outcomes: dict) -> dict:
    """Primary and secondary between-arm results, a mixed model and an attrition check per scale.

    ``arms`` maps enrolment id to arm; ``outcomes`` is the campaign's pre-specified choice. Outcomes at
    follow-up have no randomised comparison and are listed as such. The secondary family adjusted by
    Holm is the secondary outcomes measured at the end of the randomised period (stated in ``family``).
    """
    scales = {v.key: v for v in variants(ds.versions, "scale")}  # a campaign's GPs answer one pinned version
    per_scale = {}
    for key, variant in scales.items():
        frame = period_frame(ds, variant, arms)
        spread = frame[["baseline", "outcome"]].stack().nunique() > 1  # if everyone answered alike, nothing to model
        per_scale[key] = {"scale": key, "label": variant.label,
                          "ancova": estimable(ancova, frame, TREATED, CONTROL, outcome="outcome", baseline="baseline")
                          if spread else None,
                          "mixed": estimable(all_waves_model, waves_long(ds, variant, arms)) if spread else None,
                          "attrition": attrition(frame)}

    def result(outcome: dict) -> dict:
        found = per_scale.get(outcome["scale"])
        comparable = found is not None and outcome["wave"] == "post"
        return {**outcome, "label": found["label"] if found else outcome["scale"], "randomised": comparable,
                "ancova": found["ancova"] if comparable else None}

    primary = result(outcomes["primary"]) if outcomes.get("primary") else None
    secondary = [result(o) for o in outcomes.get("secondary", [])]
    family = [r for r in secondary if r["randomised"]]
    holm(family)
    return {"primary": primary, "secondary": secondary, "family": [r["label"] for r in family],
            "scales": list(per_scale.values()),
            "arms": {arm: sum(1 for a in arms.values() if a == arm) for arm in (TREATED, CONTROL)}}
