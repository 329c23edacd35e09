"""Results for slides: the educator's headline figures rounded and labelled, one row per result. Pure.

Beside the full-precision research exports: means, changes and intervals to 2 decimals in the
scale's points, effect sizes to 2, percentages whole, p-values as bands, every column named in
words so that a row can be pasted into a slide as it is.
"""
from survey.reports import disclosure as sdc
from survey.reports.analysis import build_report
from survey.reports.dataset import WAVE_NAMES, Dataset
from survey.reports.exports import to_csv
from survey.reports.release import d_av, paired_risk_difference

HEADER = ["Result", "Comparison", "Measure", "Better", "GPs", "First survey", "Second survey", "Change",
          "95% interval of the change", "Effect size d_av", "Effect size dz", "p"]


def _two(x) -> str:
    return "" if x is None else f"{x:.2f}"


def _text(value: str) -> str:
    """Text with the typographic minus sign, as on a slide (and never read as a formula by a spreadsheet)."""
    return value.replace("-", "\u2212")


def slide_rows(report: dict) -> list[list]:
    """Scale changes (every comparison) and vignette decisions (paired change) as labelled, rounded rows."""
    rows = []
    for comparison in report["comparisons"]:
        span = f"{WAVE_NAMES[comparison['from']]} to {WAVE_NAMES[comparison['to']].lower()}"
        for row in comparison["scales"]:
            if not row["n_pairs"]:
                continue
            interval = "" if row["ci95_low"] is None else _text(f"{row['ci95_low']:.2f} to {row['ci95_high']:.2f}")
            rows.append(["Scale score (points)", span, f"{row['label']} (1 to {row['points']})", row["better"],
                         row["n_pairs"], _two(row["pre_mean"]), _two(row["post_mean"]), _two(row["mean_diff"]),
                         interval, _two(d_av(row)), _two(row["cohens_dz"]), sdc.p_band(row["p_t"]) or ""])
    for vignette in report["vignettes"]:
        for test in vignette["mcnemar"]:
            n = test["n_pairs"]
            if not n:
                continue
            rd = paired_risk_difference(test["b"], test["c"], n)
            # Shares per survey are left out: the report's are over everyone answering that survey, the
            # change over the matched pairs only, and a slide should not mix the two.
            rows.append(["Share deciding, change among the same GPs (percentage points)",
                         f"{WAVE_NAMES[test['from']]} to {WAVE_NAMES[test['to']].lower()}",
                         f"{vignette['vignette']}: {vignette['decision_label']}", "", n, "", "",
                         _text(f"{100 * rd[0]:.0f} points"), _text(f"{100 * rd[1]:.0f} to {100 * rd[2]:.0f} points"),
                         "", "",
                         sdc.p_band(test["p"]) or ""])
    return rows


def results_csv(ds: Dataset) -> str:
    """The slide-ready results of a campaign or cohort (live, for its educators)."""
    return to_csv(HEADER, slide_rows(build_report(ds)))
