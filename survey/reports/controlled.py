"""The controlled analysis of a delayed-start campaign for the educator's report. Pure: no Flask, no database.

The randomised comparison is at the end of the first period: the immediate arm's post survey against the
delayed arm's second baseline (taken after the same wait, before any teaching), both adjusted for the
first baseline (ANCOVA). Later waves are not randomised comparisons (by then both arms have had the
course) and stay in the uncontrolled pre/post tables.
"""
import warnings

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

from survey.evaluation.analysis import ancova, mixed_model, standardised_difference
from survey.reports.dataset import Dataset, variants

TREATED, CONTROL = "now", "delayed"
#: The wave each arm answers at the end of the randomised period.
PERIOD_END = {TREATED: "post", CONTROL: "pre2"}


def period_frame(ds: Dataset, variant, arms: dict[int, str]) -> pd.DataFrame:
    """One row per randomised participant: arm, first baseline and end-of-period score of one scale."""
    pre = ds.wave_scores(variant, "pre")
    ends = {arm: ds.wave_scores(variant, wave) for arm, wave in PERIOD_END.items()}
    rows = [{"participant": enrolment, "arm": arm, "baseline": pre.get(enrolment), "outcome": ends[arm].get(enrolment)}
            for enrolment, arm in sorted(arms.items()) if enrolment in ds.participants.index]
    return pd.DataFrame(rows, columns=["participant", "arm", "baseline", "outcome"]).astype(
        {"baseline": float, "outcome": float})


def period_long(frame: pd.DataFrame) -> pd.DataFrame:
    """The same scores in long form (baseline and period end as the two waves), for the mixed model."""
    parts = [frame[["participant", "arm"]].assign(wave=wave, score=frame[column])
             for wave, column in (("baseline", "baseline"), ("period end", "outcome"))]
    return pd.concat(parts, ignore_index=True)


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
                          "mixed": estimable(mixed_model, period_long(frame), ["baseline", "period end"], [CONTROL, TREATED])
                          if spread else None,
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
