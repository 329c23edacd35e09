"""The controlled result of a delayed-start campaign as charity release cells. Pure.

One cell per pre-specified outcome at the end of the randomised period (the primary first): the
between-arm difference adjusted for the baseline (ANCOVA) with its 95% interval, d and a p band.
Each arm must hold at least k GPs or the cell is withheld as small. Its members are both arms' complete
cases and its measures the scale at every wave the ANCOVA reads, shared with the change cells, so the
differencing check sees a difference between this and any other release's sets of GPs.
Per-arm counts are not published: each would be a further set to difference.
"""
from survey.evaluation.analysis import ancova
from survey.reports import disclosure as sdc
from survey.reports.controlled import CONTROL, PERIOD_END, TREATED, estimable, period_frame
from survey.reports.dataset import Dataset, scale_entry, variants
from survey.reports.release import PARTICIPATION


def controlled_cells(ds: Dataset, arms: dict[int, str], outcomes: dict) -> list[sdc.Cell]:
    """Cells of the primary and the secondary outcomes measured after the course (follow-up has no
    randomised comparison), in that order. ``arms`` maps enrolment id to arm."""
    k = ds.campaign.min_cell_size
    scales = {v.key: v for v in variants(ds.versions, "scale")}
    chosen = [("primary", outcomes["primary"])] if outcomes.get("primary") else []
    chosen += [("secondary", o) for o in outcomes.get("secondary", [])]
    cells = []
    for role, outcome in chosen:
        variant = scales.get(outcome["scale"])
        if variant is None or outcome["wave"] != "post":
            continue
        complete = period_frame(ds, variant, arms).dropna(subset=["baseline", "outcome"])
        result = estimable(ancova, complete, TREATED, CONTROL, outcome="outcome", baseline="baseline")
        per_arm = complete["arm"].value_counts()
        value = {"n": sdc.count(len(complete)), "estimate": None, "ci95_low": None, "ci95_high": None,
                 "d": None, "p": None}
        if result:
            value.update(estimate=sdc.score(result["estimate"]), ci95_low=sdc.score(result["ci95_low"]),
                         ci95_high=sdc.score(result["ci95_high"]), d=sdc.score(result["standardised"]),
                         p=sdc.p_band(result["p"]))
        measures = tuple(f"scale:{variant.key}:{wave}" for wave in ("pre", *PERIOD_END.values())) + (PARTICIPATION,)
        cells.append(sdc.Cell(
            f"controlled:{variant.key}:post", measures, frozenset(int(i) for i in complete["participant"]), value,
            eligible=result is not None and min(per_arm.get(TREATED, 0), per_arm.get(CONTROL, 0)) >= k,
            section="controlled",
            info={"role": role, "scale": variant.key, "label": variant.label, "points": scale_entry(variant)["points"]}))
    return cells
