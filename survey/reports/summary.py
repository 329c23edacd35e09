"""A plain-language summary written from a report's numbers, for charity trustees. Pure.

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
#: Scales where a fall is the desired change (as the instrument's construct text says).
LOWER_IS_BETTER = {"barriers"}


def effect_word(dz: float) -> str:
    """Cohen's word for the size of |dz|."""
    return next(word for limit, word in EFFECT_WORDS if abs(dz) < limit)


def count_text(n) -> str:
    """A count for prose: "1,234", or "fewer than 10" for a suppressed one."""
    if isinstance(n, int):
        return f"{n:,}"
    return f"fewer than {n[1:]}" if str(n).startswith("<") else "a number withheld for privacy"


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
    if not isinstance(row["n_pairs"], int) or row["n_pairs"] < 2 or row["cohens_dz"] is None:
        return None
    lower = row.get("scale") in LOWER_IS_BETTER
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
    """How often GPs made a vignette decision at each wave, with McNemar's test from baseline."""
    waves = [w for w in vignette["waves"] if w["percent"] is not None]
    if len(waves) < 2:
        return None
    shares = ", ".join(f"{w['percent']:.0f}%{' of GPs' if i == 0 else ''} {WHEN[w['wave']]}"
                       for i, w in enumerate(waves))
    sentence = f"{vignette['vignette']}, {vignette['decision_label']}: {shares}"
    test = next((t for t in vignette["mcnemar"] if t["from"] == "pre" and t["to"] == "post"), None)
    if test and test["p"] is not None and isinstance(test["n_pairs"], int):
        sentence += f" (McNemar's exact test before vs after, {gps(test['n_pairs'])}: {p_text(test['p'])})"
    return sentence + "."


def summarise(report: dict) -> dict:
    """Headline, findings (change from the baseline), vignette shifts and what was withheld, as sentences."""
    funnel = report["funnel"]
    enrolled = funnel["enrolled"]
    headline = (f"{count_text(enrolled)} {'GP' if enrolled == 1 else 'GPs'} took part: {count_text(funnel['pre'])} answered the survey "
                f"before the course, {count_text(funnel['post'])} after it and {count_text(funnel['follow_up'])} "
                f"at follow-up.")
    findings, withheld = [], set()
    for comparison in report["comparisons"][:2]:  # from the baseline; post -> follow-up stays in the tables
        first, second = comparison["from"], comparison["to"]
        for row in comparison["scales"]:
            sentence = scale_sentence(row, first, second)
            if sentence:
                findings.append({"from": first, "to": second, "scale": row["scale"], "text": sentence})
            elif row.get("suppressed"):
                withheld.add(row["label"])
    return {
        "headline": headline,
        "findings": findings,
        "vignettes": [s for s in map(vignette_sentence, report["vignettes"]) if s],
        "withheld": sorted(withheld),
        "effect_rule": EFFECT_RULE,
    }
