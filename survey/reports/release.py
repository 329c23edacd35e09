"""A charity release: the few statistics a charity sees, as disclosure-controlled cells. Pure.

A release holds only what a trustee report needs: the funnel, the change on each scale (from the
baseline to after the course and to follow-up, and after the course to follow-up), and each
vignette decision per survey with its paired risk difference. Item distributions, reliability,
attrition tests, breakdowns and instrument-version totals stay in the educators' live report: each
extra table is another set of overlapping groups to difference, and none of them is needed to say
what changed. Every cell is built here with its participants; :func:`disclosure.protect` decides.
"""
import math

import pandas as pd
from scipy import stats as sp

from survey.reports import disclosure as sdc
from survey.reports import stats
from survey.reports.dataset import COMPARISONS, WAVE_ORDER, Dataset, by_participant, scale_entry, scale_pairs, \
    variants, vignette_decisions

PARTICIPATION = "participation"
STAGES = (("enrolled", "Enrolled"), ("pre", "Answered the survey before the course"))
LATER = (("post", "Answered the survey after the course"), ("reflection", "Wrote a reflection"),
         ("certificate", "Earned the certificate"), ("follow_up", "Answered the follow-up survey"))


def _ids(index) -> frozenset[int]:
    return frozenset(int(i) for i in index)


def funnel_sets(ds: Dataset) -> list[tuple[str, str, frozenset[int]]]:
    """(stage, label, participants) for each funnel step, in journey order."""
    people, responses = ds.participants, ds.responses

    def wave(name: str) -> frozenset[int]:
        return _ids(responses.loc[responses["wave"] == name, "enrolment_id"].unique())

    found = [("enrolled", "Enrolled", _ids(people.index)), ("pre", STAGES[1][1], wave("pre"))]
    found += [(f"module:{slug}", f"Completed “{title}”", _ids(people.index[people[f"module:{slug}"]]))
              for slug, title in ds.campaign.modules]
    for stage, label in LATER:
        found.append((stage, label, wave(stage) if stage in WAVE_ORDER else _ids(people.index[people[stage]])))
    return found


def d_av(row: dict) -> float | None:
    """Cumming's d_av: the mean change over the average of the two surveys' SDs (comparable with between-group d)."""
    if row["mean_diff"] is None or not row["pre_sd"] or not row["post_sd"]:
        return None
    return row["mean_diff"] / ((row["pre_sd"] + row["post_sd"]) / 2)


def change_cells(ds: Dataset) -> list[sdc.Cell]:
    """Matched-pairs change per scale and comparison, rounded; members: the matched pairs."""
    cells = []
    for first, second in COMPARISONS:
        for variant in variants(ds.versions, "scale"):
            a, b = scale_pairs(ds, variant, first, second)
            both = pd.concat({"a": a, "b": b}, axis=1, join="inner").dropna()
            row = stats.paired_change(both["a"], both["b"])
            entry = scale_entry(variant)
            value = {
                "n": sdc.count(row["n_pairs"]), "first_mean": sdc.score(row["pre_mean"]),
                "first_sd": sdc.score(row["pre_sd"]), "second_mean": sdc.score(row["post_mean"]),
                "second_sd": sdc.score(row["post_sd"]), "mean_diff": sdc.score(row["mean_diff"]),
                "ci95_low": sdc.score(row["ci95_low"]), "ci95_high": sdc.score(row["ci95_high"]),
                "dz": sdc.score(row["cohens_dz"]), "d_av": sdc.score(d_av(row)), "p": sdc.p_band(row["p_t"]),
            }
            versions = ".".join(map(str, entry["instrument_versions"]))
            cells.append(sdc.Cell(
                f"change:{first}:{second}:{variant.key}:{versions}",
                (f"scale:{variant.key}:{first}", f"scale:{variant.key}:{second}", PARTICIPATION),
                _ids(both.index), value, eligible=row["ci95_low"] is not None, section="changes",
                info={"from": first, "to": second, "scale": variant.key, "label": variant.label,
                      "points": entry["points"], "instrument_versions": entry["instrument_versions"],
                      "better": variant.definition.scale(variant.key).better}))
    return cells


def paired_risk_difference(b: int, c: int, n: int) -> tuple[float, float, float] | None:
    """Change in the share making a decision (second minus first) with Agresti and Min's (2005) 95% interval.

    Rule: add 1/2 to each cell of the paired 2x2 table (n* = n + 2); with p12 = (b + 1/2)/n* and
    p21 = (c + 1/2)/n*, the estimate is (c - b)/n and the interval
    (p21 - p12) +/- 1.96 * sqrt((p12 + p21 - (p21 - p12)^2) / n*), clipped to [-1, 1].
    """
    if n == 0:
        return None
    star = n + 2
    p12, p21 = (b + 0.5) / star, (c + 0.5) / star
    half = sp.norm.ppf(0.975) * math.sqrt((p12 + p21 - (p21 - p12) ** 2) / star)
    return (c - b) / n, max(-1.0, p21 - p12 - half), min(1.0, p21 - p12 + half)


def vignette_cells(ds: Dataset) -> tuple[list[dict], list[sdc.Cell]]:
    """Per vignette decision: one cell per survey (share deciding so) and per comparison (paired change).

    A survey's share is published only when those deciding so and the others are each at least k;
    a paired change only when every cell of its 2x2 table is 0 or at least k (its risk difference,
    interval and McNemar p together reveal b and c).
    """
    k = ds.campaign.min_cell_size
    meta, cells = [], []
    for variant in variants(ds.versions, "item"):
        decision = next((d for d in vignette_decisions(variant.definition) if d[1].id == variant.key), None)
        if decision is None:
            continue
        title, question, positive, label = decision
        versions = ".".join(map(str, variant.version_numbers))
        answers = ds.answers[question.id] if question.id in ds.answers else pd.Series(dtype=object)
        by_wave = {w: by_participant(ds, answers, w, variant.version_ids).dropna() for w in WAVE_ORDER}
        meta.append({"key": f"{question.id}:{versions}", "vignette": title, "item": question.id,
                     "question": question.text, "decision_label": label})
        for wave, values in by_wave.items():
            if not len(values):
                continue
            yes = int((values == positive).sum())
            cells.append(sdc.Cell(f"vignette:{question.id}:{versions}:{wave}",
                                  (f"vignette:{question.id}:{wave}", PARTICIPATION), _ids(values.index),
                                  {"n": sdc.count(len(values)), "percent": sdc.percent(yes, len(values))},
                                  eligible=min(yes, len(values) - yes) >= k, section="vignette_waves",
                                  info={"vignette": f"{question.id}:{versions}", "wave": wave}))
        for first, second in COMPARISONS:
            pairs = pd.concat({"a": by_wave[first] == positive, "b": by_wave[second] == positive}, axis=1,
                              join="inner")
            pairs = pairs[by_wave[first].reindex(pairs.index).notna() & by_wave[second].reindex(pairs.index).notna()]
            if not len(pairs):
                continue
            test = stats.mcnemar_exact(pairs["a"], pairs["b"])
            n, b, c = test["n_pairs"], test["b"], test["c"]
            both = int((pairs["a"] & pairs["b"]).sum())
            table = (both, b, c, n - both - b - c)
            rd = paired_risk_difference(b, c, n)
            cells.append(sdc.Cell(
                f"vignette_change:{question.id}:{versions}:{first}:{second}",
                (f"vignette:{question.id}:{first}", f"vignette:{question.id}:{second}", PARTICIPATION),
                _ids(pairs.index),
                {"n": sdc.count(n), "first_percent": sdc.percent(both + b, n), "second_percent": sdc.percent(both + c, n),
                 "risk_difference": sdc.score(100 * rd[0], 0), "ci95_low": sdc.score(100 * rd[1], 0),
                 "ci95_high": sdc.score(100 * rd[2], 0), "p": sdc.p_band(test["p"])},
                eligible=all(x == 0 or x >= k for x in table), section="vignette_changes",
                info={"vignette": f"{question.id}:{versions}", "from": first, "to": second}))
    return meta, cells


def release_cells(ds: Dataset) -> tuple[list[dict], list[sdc.Cell]]:
    """Every candidate cell of a campaign's charity release, most important first, and the vignettes described."""
    funnel = funnel_sets(ds)
    order = {"enrolled": 0, "pre": 1, "post": 2, "follow_up": 3}
    cells = [sdc.Cell(f"funnel:{stage}", (PARTICIPATION,), members, {"n": sdc.count(len(members))},
                      section="funnel", info={"stage": stage, "label": label})
             for stage, label, members in sorted(funnel, key=lambda s: order.get(s[0], 9))]
    change = change_cells(ds)
    vignette_meta, vignette = vignette_cells(ds)
    # Baseline comparisons first: post -> follow-up is the one to lose when groups overlap.
    ranked = sorted(change, key=lambda c: c.key.startswith("change:post:"))
    ranked_v = sorted(vignette, key=lambda c: c.key.startswith("vignette_change:") and ":post:follow_up" in c.key)
    return vignette_meta, cells + ranked + ranked_v
