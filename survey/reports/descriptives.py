"""Counts for the report: the funnel, Likert item distributions and vignette decisions. Pure."""
import numpy as np
import pandas as pd

from survey.instruments.definition import Likert
from survey.reports import stats
from survey.reports.dataset import COMPARISONS, WAVE_ORDER, Dataset, by_participant, variants, vignette_decisions

#: Funnel stages after the modules, in journey order (label, participants column or survey wave).
LATER_STAGES = (("post", "wave"), ("reflection", "flag"), ("certificate", "flag"), ("follow_up", "wave"))


def funnel(ds: Dataset, members: pd.Index) -> dict:
    """How many of ``members`` reached each step: enrolled, pre, each module, post, reflection, certificate, follow-up.

    A wave counts when its survey was submitted; a module when its pages were read and its
    knowledge check passed; the certificate when a campaign certificate is held unrevoked.
    """
    people = ds.participants.loc[members]

    def wave(name: str) -> int:
        return int(members.isin(ds.submitted_by(name)).sum())

    result = {"enrolled": len(people), "pre": wave("pre"),
              "modules": [{"module": slug, "title": title, "n": int(people[f"module:{slug}"].sum())}
                          for slug, title in ds.campaign.modules]}
    for stage, kind in LATER_STAGES:
        result[stage] = wave(stage) if kind == "wave" else int(people[stage].sum())
    return result


def item_distributions(ds: Dataset) -> list[dict]:
    """Answers to each Likert item per wave: how many chose each point (1 = first anchor), unrecoded."""
    found = []
    for variant in variants(ds.versions, "item"):
        definition = variant.definition
        question = ds.questions(definition)[variant.key]
        if not isinstance(question, Likert):
            continue
        anchors = definition.response_scales[question.response_scale].anchors
        scale = next((s.key for s in definition.scales if question.id in s.items), None)
        by_wave = ds.asked_by_wave(definition)
        for wave in WAVE_ORDER:
            if question.id not in by_wave[wave]:
                continue
            values = ds.numbers_at(question.id, ds.rows(wave, variant.version_ids))
            values = values[~np.isnan(values)]
            found.append({
                "item": question.id, "text": question.text, "scale": scale, "reverse": question.reverse,
                "wave": wave, "instrument_versions": list(variant.version_numbers), "anchors": anchors,
                "n": len(values), "counts": [int((values == point).sum()) for point in range(1, len(anchors) + 1)],
            })
    return found


def _pair_percents(first: pd.Series, second: pd.Series) -> dict:
    """The share deciding so at each survey among the GPs who answered both (the test's denominator)."""
    pairs = pd.concat({"first": first, "second": second}, axis=1, join="inner").dropna()
    if pairs.empty:
        return {"first_percent": None, "second_percent": None}
    return {"first_percent": 100 * float(pairs["first"].mean()), "second_percent": 100 * float(pairs["second"].mean())}


def vignettes(ds: Dataset) -> list[dict]:
    """Each vignette decision per wave, and McNemar's exact test of its change between waves (matched pairs).

    The decision is binary (see :func:`dataset.vignette_decisions`). In each test ``b`` counts
    GPs who made the decision at the first wave but not the second, ``c`` the reverse; its
    ``first_percent`` and ``second_percent`` are over those pairs, whereas a wave's ``percent``
    is over everyone who answered that wave.
    """
    found = []
    for variant in variants(ds.versions, "item"):
        decision = next((d for d in vignette_decisions(variant.definition) if d[1].id == variant.key), None)
        if decision is None:
            continue
        title, question, positive, label = decision
        asked = ds.asked_by_wave(variant.definition)
        answers = ds.answers[question.id] if question.id in ds.answers else pd.Series(dtype=object)
        by_wave = {wave: by_participant(ds, answers, wave, variant.version_ids).dropna() for wave in WAVE_ORDER}
        waves = []
        for wave, values in by_wave.items():
            if question.id not in asked[wave]:
                continue
            given = values.value_counts()
            counts = {o.value: int(given.get(o.value, 0)) for o in question.options}
            waves.append({"wave": wave, "n": len(values), "counts": counts, "decision_n": counts[positive],
                          "percent": 100 * counts[positive] / len(values) if len(values) else None})
        decided = {wave: values == positive for wave, values in by_wave.items()}
        tests = [{"from": first, "to": second, **stats.mcnemar_exact(decided[first], decided[second]),
                  **_pair_percents(decided[first], decided[second])}
                 for first, second in COMPARISONS]
        found.append({"vignette": title, "item": question.id, "question": question.text, "decision": positive,
                      "decision_label": label, "options": {o.value: o.label for o in question.options},
                      "instrument_versions": list(variant.version_numbers), "waves": waves, "mcnemar": tests})
    return found
