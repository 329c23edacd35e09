"""Plain-English sentences for a charity release (trustees, not statisticians). Pure.

Rules: every change leads with its estimate and 95% interval in the scale's own points and says
which direction is better for that scale. A change is called a rise or fall only when its interval
excludes zero; otherwise it is "no clear evidence of change (the interval runs from ... to ...)",
never "no change". Counts are rounded to the nearest 5, so they read "about".
"""
from survey.reports.dataset import WAVE_NAMES

WHEN = {"pre": "before the course", "pre2": "after the wait, before the course", "post": "after the course",
        "follow_up": "at follow-up"}
#: A survey named as the end of a span ("from before the course to follow-up").
UNTIL = {"post": "after the course", "follow_up": "follow-up"}
BETTER = {"higher": "higher is better", "lower": "lower is better"}


def number(x: float, digits: int = 2) -> str:
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def change_sentence(row: dict) -> str | None:
    """One scale's change in words, or None when it was withheld."""
    if row["mean_diff"] is None or row["ci95_low"] is None:
        return None
    low, high, diff = row["ci95_low"], row["ci95_high"], row["mean_diff"]
    span = f"on a 1 to {row['points']} scale where {BETTER[row['better']]}"
    interval = f"the 95% interval runs from {number(low)} to {number(high)}"
    if low > 0 or high < 0:
        good = (diff > 0) == (row["better"] == "higher")
        verb = "rose" if diff > 0 else "fell"
        return (f"{row['label']} {verb} by {number(abs(diff))} points {span} ({interval}), from "
                f"{number(row['first_mean'])} {WHEN[row['from']]} to {number(row['second_mean'])} "
                f"{WHEN[row['to']]}: a change for the {'better' if good else 'worse'}. About {row['n']} GPs.")
    return (f"{row['label']}: no clear evidence of change from {WHEN[row['from']]} to {UNTIL[row['to']]} "
            f"(the change was {number(diff)} points {span}; {interval}). About {row['n']} GPs.")


def vignette_sentence(vignette: dict, change: dict) -> str | None:
    """A vignette decision's paired change in percentage points, with its interval, or None when withheld."""
    if change["risk_difference"] is None:
        return None
    low, high = change["ci95_low"], change["ci95_high"]
    shares = (f"{change['first_percent']}% {WHEN[change['from']]} and {change['second_percent']}% "
              f"{WHEN[change['to']]}")
    interval = f"a change of {number(change['risk_difference'], 0)} percentage points, 95% interval " \
               f"{number(low, 0)} to {number(high, 0)}"
    lead = f"{vignette['vignette']}: {vignette['decision_label']}"
    if low > 0 or high < 0:
        return f"{lead}: {shares} ({interval}). About {change['n']} GPs answered both."
    return (f"{lead}: no clear evidence of change ({shares}; {interval}). About {change['n']} GPs "
            f"answered both.")


def headline(public: dict) -> str:
    funnel = {row["stage"]: row for row in public["funnel"]}

    def about(stage: str) -> str:
        row = funnel.get(stage)
        return f"about {row['n']}" if row and row["n"] is not None else "fewer than " \
            f"{public['min_cell_size']} (or a number withheld)"

    return (f"{about('enrolled').capitalize()} GPs took part: {about('pre')} answered the survey before the course, "
            f"{about('post')} after it and {about('follow_up')} at follow-up.")


def lasting(public: dict) -> str | None:
    """How many scales were still clearly better at follow-up than before the course, in one sentence."""
    rows = [r for r in public["changes"] if (r["from"], r["to"]) == ("pre", "follow_up") and r["ci95_low"] is not None]
    if not rows:
        return None
    better = [r for r in rows if (r["ci95_low"] > 0 if r["better"] == "higher" else r["ci95_high"] < 0)]
    worse = [r for r in rows if (r["ci95_high"] < 0 if r["better"] == "higher" else r["ci95_low"] > 0)]
    sentence = (f"At follow-up, {len(better)} of the {len(rows)} scales that could be reported were still clearly "
                f"better than before the course (their 95% interval excludes no change)")
    return sentence + (f", and {len(worse)} clearly worse." if worse else ".")


def summarise(public: dict) -> dict:
    """Headline, findings per comparison from the baseline, vignette findings and what was withheld."""
    findings = {}
    withheld = []
    for row in public["changes"]:
        sentence = change_sentence(row)
        label = f"{WAVE_NAMES[row['from']].lower()} to {WAVE_NAMES[row['to']].lower()}"
        if sentence:
            findings.setdefault((row["from"], row["to"]), []).append(sentence)
        else:
            withheld.append(f"{row['label']} ({label})")
    vignettes = []
    for vignette in public["vignettes"]:
        for change in vignette["changes"]:
            if change["from"] == "pre":
                sentence = vignette_sentence(vignette, change)
                vignettes.append(sentence) if sentence else withheld.append(
                    f"{vignette['vignette']}, {vignette['decision_label']} ({WHEN[change['from']]} to "
                    f"{UNTIL[change['to']]})")
    return {"headline": headline(public), "findings": findings, "vignettes": vignettes, "withheld": withheld,
            "lasting": lasting(public)}
