"""The floor for bench/reports.py: the least work that yields the report's matched-pairs change per scale.

One query returns every Likert answer of the campaign's counted, submitted responses as packed
integers (``int4send``: response id, and item position x 16 + point; items matched by a hash join); a second returns each
response's enrolment and wave the same way. numpy unpacks them into one response-by-item
matrix, scores every scale as the report does (reverse keying, ``min_answered``) and
:func:`survey.reports.stats.paired_change` runs on the same pairs. Nothing else of the report
(reliability, distributions, vignettes, attrition, breakdowns) is computed, so the floor is what
the report could not go below whatever it did. PostgreSQL only; one instrument version.
"""
import numpy as np
import pandas as pd
from sqlalchemy import text

from survey.extensions import db
from survey.reports import stats
from survey.reports.dataset import COMPARISONS, WAVE_ORDER

COUNTED = """FROM responses r JOIN enrolments e ON e.id = r.enrolment_id
             WHERE e.campaign_id = :campaign AND e.research_consent AND e.withdrawn_at IS NULL
               AND r.submitted_at IS NOT NULL"""
ANSWERS = text(f"""SELECT string_agg(int4send(a.response_id), ''::bytea),
                          string_agg(int4send(((i.position - 1) * 16 + a.value::int)::int), ''::bytea)
                   FROM answers a
                   JOIN unnest(CAST(:items AS text[])) WITH ORDINALITY AS i(item_id, position) ON i.item_id = a.item_id
                   JOIN ({"SELECT r.id " + COUNTED}) counted ON counted.id = a.response_id""")
#: Each wave as its position in WAVE_ORDER, so the codes follow the report's waves as they are added.
WAVE_CODE = "CASE r.wave " + " ".join(f"WHEN '{wave}' THEN {code}" for code, wave in enumerate(WAVE_ORDER)) + " END"
RESPONSES = text(f"""SELECT string_agg(int4send(r.id), ''::bytea), string_agg(int4send(r.enrolment_id), ''::bytea),
                            string_agg(int4send({WAVE_CODE}), ''::bytea)
                     {COUNTED}""")


def _ints(value: bytes | None) -> np.ndarray:
    return np.frombuffer(value or b"", dtype=">i4").astype(np.int64)


def floor_changes(campaign_id: int, definition) -> dict[tuple[str, str, str], dict]:
    """``paired_change`` per (first wave, second wave, scale) of the campaign's scored scales."""
    questions = {q.id: q for q in definition.questions()}
    items = sorted({i for s in definition.scored_scales for i in s.items})
    ids, codes = (_ints(v) for v in db.session.execute(ANSWERS, {"campaign": campaign_id, "items": items}).one())
    response_ids, enrolments, waves = (
        _ints(v) for v in db.session.execute(RESPONSES, {"campaign": campaign_id}).one())
    order = np.argsort(response_ids)
    response_ids, enrolments, waves = response_ids[order], enrolments[order], waves[order]
    matrix = np.full((len(response_ids), len(items)), np.nan)
    matrix[np.searchsorted(response_ids, ids), codes // 16] = codes % 16
    for position, item in enumerate(items):
        question = questions[item]
        if question.reverse:
            matrix[:, position] = definition.response_scales[question.response_scale].points + 1 - matrix[:, position]
    found = {}
    for scale in definition.scored_scales:
        columns = matrix[:, [items.index(i) for i in scale.items]]
        answered = (~np.isnan(columns)).sum(axis=1)
        enough = (answered >= scale.min_answered * len(scale.items) - 1e-9) & (answered > 0)
        with np.errstate(invalid="ignore"):
            scores = np.where(enough, np.nanmean(np.where(enough[:, None], columns, 0.0), axis=1), np.nan)
        by_wave = {wave: pd.Series(scores[waves == code], index=enrolments[waves == code])
                   for code, wave in enumerate(WAVE_ORDER)}
        for first, second in COMPARISONS:
            found[(first, second, scale.key)] = stats.paired_change(by_wave[first], by_wave[second])
    return found
