"""A plain-language summary written from a report's numbers, for educators (charities read plain.py). Pure.

Effect sizes are named by Cohen's (1988) conventions for d: below 0.2 negligible, from 0.2
small, from 0.5 medium, from 0.8 large. A change is called a rise or fall only when its
Holm-adjusted p-value is below 0.05; otherwise the summary says it may be due to chance.
"""
EFFECT_WORDS = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"), (float("inf"), "large"))
EFFECT_RULE = ("Effect sizes are described with Cohen's (1988) conventions: below 0.2 negligible, 0.2 to 0.5 "
               "small, 0.5 to 0.8 medium, 0.8 or more large. They were written for differences between groups (d); "
               "applied to the within-GP effect size dz they are only a rough guide, because dz grows as a GP's "
               "scores at the two surveys agree more closely.")
WHEN = {"pre": "before the course", "pre2": "after the wait, before the course", "post": "after the course",
        "follow_up": "at follow-up"}
ALPHA = 0.05


def effect_word(dz: float) -> str:
    """Cohen's word for the size of |dz|."""
    return next(word for limit, word in EFFECT_WORDS if abs(dz) < limit)


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def fixed(value: float, digits: int = 2) -> str:
    """A number with ``digits`` decimals, never "-0.00"."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def gps(n: int) -> str:
    """ "1 GP", "212 GPs"."""
    return f"{n:,} GP" + ("" if n == 1 else "s")


def scale_sentence(row: dict, first: str, second: str) -> str | None:
    """One finding, e.g. "Expectations ... rose from 3.1 before the course to 3.9 after the course on a 1-5 scale
    where higher is better, a change for the better (212 GPs; large effect, dz = 0.81, 95% CI 0.65 to 0.97)."
    None when nothing may be said. A change that may be chance is "no clear evidence of change", with the
    interval of the change in scale points, never "no change"."""
    if row["n_pairs"] < 2 or row["cohens_dz"] is None:
        return None
    lower = row["better"] == "lower"
    scale = f"on a 1-{row['points']} scale where {'lower' if lower else 'higher'} is better"
    dz = (f"dz = {fixed(row['cohens_dz'])}, 95% CI {fixed(row['dz_ci95_low'])} to {fixed(row['dz_ci95_high'])}")
    a, b = fixed(row["pre_mean"], 1), fixed(row["post_mean"], 1)
    if row["p_holm"] is not None and row["p_holm"] < ALPHA:
        verb = "rose" if row["mean_diff"] > 0 else "fell"
        better = (row["mean_diff"] < 0) == lower
        return (f"{row['label']} {verb} from {a} {WHEN[first]} to {b} {WHEN[second]} {scale}, a change for the "
                f"{'better' if better else 'worse'} ({gps(row['n_pairs'])}; {effect_word(row['cohens_dz'])} effect, "
                f"{dz}).")
    interval = ""
    if row.get("ci95_low") is not None:
        interval = f"the change runs from {fixed(row['ci95_low'])} to {fixed(row['ci95_high'])} points; "
    return (f"{row['label']}: no clear evidence of change ({a} {WHEN[first]}, {b} {WHEN[second]} {scale}; "
            f"{interval}{gps(row['n_pairs'])}; {dz}; Holm-adjusted {p_text(row['p_holm'])}).")


def vignette_sentence(vignette: dict) -> str | None:
    """How often the GPs who answered before and after the course made a vignette decision at each, with
    McNemar's exact test over those same GPs (one denominator for both); None before anyone answered both."""
    test = next((t for t in vignette["mcnemar"] if t["from"] == "pre" and t["to"] == "post"), None)
    if not test or not test["n_pairs"]:
        return None
    return (f"{vignette['vignette']}, {vignette['decision_label']}: {test['first_percent']:.0f}% of the "
            f"{gps(test['n_pairs'])} who answered both surveys {WHEN['pre']} and {test['second_percent']:.0f}% "
            f"{WHEN['post']} (McNemar's exact test: {p_text(test['p'])}).")


COUNTED_NOTE = ("The report counts only GPs who agreed to the research use of their answers and have not withdrawn, "
                "so it can show fewer GPs than the campaign page, which counts every enrolment.")


def enrolled_note(enrolments: int, counted: int) -> str:
    """Why the campaign page (every enrolment) and the report (consenting, not withdrawn) may differ."""
    if enrolments == counted:
        return (f"The report counts all {gps(counted)} enrolled, as the campaign page does: only GPs who agreed to "
                "the research use of their answers and have not withdrawn are ever counted.")
    other = enrolments - counted
    return (f"The campaign page counts {enrolments:,} enrolments; this report counts {counted:,}. The other "
            f"{gps(other)} did not agree to the research use of their answers or "
            "withdrew, and are left out of every figure and export.")


def summarise(report: dict) -> dict:
    """Headline and findings (change from the baseline) and vignette shifts, as sentences, for educators."""
    funnel = report["funnel"]
    headline = (f"{gps(funnel['enrolled'])} took part: {funnel['pre']:,} answered the survey before the course, "
                f"{funnel['post']:,} after it and {funnel['follow_up']:,} at follow-up.")
    findings = []
    for comparison in report["comparisons"][:2]:  # from the baseline; post -> follow-up stays in the tables
        first, second = comparison["from"], comparison["to"]
        for row in comparison["scales"]:
            sentence = scale_sentence(row, first, second)
            if sentence:
                findings.append({"from": first, "to": second, "scale": row["scale"], "text": sentence})
    return {
        "headline": headline,
        "findings": findings,
        "vignettes": [s for s in map(vignette_sentence, report["vignettes"]) if s],
        "effect_rule": EFFECT_RULE,
    }
