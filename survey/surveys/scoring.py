"""Scale scores from one response: reverse keying and the missing-data rule. Pure."""
from collections.abc import Mapping

from survey.instruments.definition import InstrumentFile


def item_score(answer: str, points: int, reverse: bool) -> int:
    """A Likert answer as a number, reversed as (points + 1 - answer) when reverse-keyed."""
    value = int(answer)
    return points + 1 - value if reverse else value


def score_scales(instrument: InstrumentFile, answers: Mapping[str, str]) -> dict[str, float | None]:
    """Mean of each scored scale (``kind: items`` sets have no score)'s item scores, or None when fewer than ``min_answered`` of its items were answered."""
    questions = {q.id: q for q in instrument.questions()}
    scores: dict[str, float | None] = {}
    for scale in instrument.scored_scales:
        values = []
        for item_id in scale.items:
            answer = answers.get(item_id)
            if answer:
                question = questions[item_id]
                points = instrument.response_scales[question.response_scale].points
                values.append(item_score(answer, points, question.reverse))
        enough = len(values) >= scale.min_answered * len(scale.items) - 1e-9
        scores[scale.key] = sum(values) / len(values) if values and enough else None
    return scores
