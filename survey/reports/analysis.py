"""The campaign report: paired change per scale, reliability, attrition, assembled from stats.py. Pure.

:func:`build_report` returns the unsuppressed report as plain JSON-ready data (what
educators and admins see); charities see only releases (:mod:`survey.reports.release`).
"""
from datetime import UTC, datetime

from survey.reports import stats
from survey.reports.breakdowns import breakdowns
from survey.reports.dataset import (
    COMPARISONS, WAVE_ORDER, Dataset, Variant, item_scores, scale_entry, scale_pairs, variants,
)
from survey.reports.descriptives import funnel, item_distributions, vignettes
from survey.reports.omega import mcdonald_omega
from survey.reports.release import d_av
from survey.reports.retest import retest_reliability

REPORT_VERSION = 2  #: 2: omega beside alpha (cached reports of version 1 are rebuilt)


def comparisons(ds: Dataset, scales: list[Variant]) -> list[dict]:
    """Matched-pairs change per scale for pre->post, pre->follow_up and post->follow_up.

    Each scale row holds ``better`` (the desired end, "higher" or "lower", from the instrument),
    :func:`stats.paired_change`, ``p_holm`` (``p_t`` adjusted by Holm's method across the scales
    of that one comparison; scales without a p-value do not count) and ``d_av``
    (the mean change over the mean of the two SDs, comparable with a between-groups d; dz divides by
    the SD of the changes instead, so it grows as a GP's two scores agree more closely).
    """
    found = []
    for first, second in COMPARISONS:
        rows = [{**scale_entry(v), "better": v.definition.scale(v.key).better,
                 **stats.paired_change(*scale_pairs(ds, v, first, second))} for v in scales]
        for row, adjusted in zip(rows, stats.holm([row["p_t"] for row in rows])):
            row["p_holm"] = adjusted
            row["d_av"] = d_av(row)
        found.append({"from": first, "to": second, "scales": rows})
    return found


def reliability(ds: Dataset, scales: list[Variant]) -> list[dict]:
    """Cronbach's alpha with its Feldt 95% CI and McDonald's omega (3 items or more) per scale per wave
    (complete cases, reverse-keyed items)."""
    found = []
    for variant in scales:
        items = next(s.items for s in variant.definition.scales if s.key == variant.key)
        for wave in WAVE_ORDER:
            rows = ds.rows(wave, variant.version_ids)
            if len(rows):
                answers = item_scores(ds, variant.definition, items, rows)
                found.append({**scale_entry(variant), "wave": wave, **stats.cronbach_alpha(answers),
                              "omega": mcdonald_omega(answers)["omega"]})
    return found


def attrition(ds: Dataset, scales: list[Variant]) -> list[dict]:
    """Baseline scores of GPs who reached the post-course survey (a) against those who have not (b): Welch t.

    A difference suggests that those who stayed differ from those who left, so the change
    seen in matched pairs may not hold for everyone who started.
    """
    reached = set(ds.responses.loc[ds.responses["wave"] == "post", "enrolment_id"])
    found = []
    for variant in scales:
        baseline = scale_pairs(ds, variant, "pre", "post")[0].dropna()
        stayed = baseline.index.isin(list(reached))
        found.append({**scale_entry(variant), **stats.welch_t(baseline[stayed], baseline[~stayed])})
    return found


def version_notes(ds: Dataset, scales: list[Variant]) -> list[str]:
    """Plain statements of how instrument versions were combined, so nothing is pooled silently."""
    numbers = sorted(v.number for v in ds.versions.values())
    if len(numbers) <= 1:
        return [f"All responses used instrument version {numbers[0]}."] if numbers else []
    notes = [f"Responses used instrument versions {', '.join(map(str, numbers))}."]
    pooled = [v.key for v in scales if len(v.version_numbers) == len(numbers)]
    split = sorted({v.key for v in scales} - set(pooled))
    if pooled:
        notes.append(f"Scales with identical items in every version are pooled: {', '.join(pooled)}.")
    if split:
        notes.append(f"Scales whose items differ between versions are analysed per version, and a GP's scores "
                     f"are paired only within one version: {', '.join(split)}.")
    return notes


def build_report(ds: Dataset, now: datetime | None = None) -> dict:
    """The whole report of a campaign (or cohort) as JSON-ready data, unsuppressed."""
    scales = variants(ds.versions, "scale")
    counts = ds.responses["version_id"].value_counts()
    return {
        "report_version": REPORT_VERSION,
        "campaign": {"slug": ds.campaign.slug, "title": ds.campaign.title, "organisation": ds.campaign.organisation},
        "cohort": ds.cohort,
        "generated_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "min_cell_size": ds.campaign.min_cell_size,
        "suppressed": False,
        "instrument": {
            "versions": [{"version": v.number, "responses": int(counts.get(v.id, 0))}
                         for v in sorted(ds.versions.values(), key=lambda v: v.number)],
            "notes": version_notes(ds, scales),
        },
        "funnel": funnel(ds, ds.participants.index),
        "comparisons": comparisons(ds, scales),
        "alpha": reliability(ds, scales),
        "retest": retest_reliability(ds, scales),
        "items": item_distributions(ds),
        "vignettes": vignettes(ds),
        "attrition": attrition(ds, scales),
        "breakdowns": breakdowns(ds, scales),
    }
