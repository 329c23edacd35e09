"""Marking a knowledge check. Pure."""
from collections.abc import Mapping
from dataclasses import dataclass

from survey.codes import is_number_text
from survey.learning.content import KnowledgeCheck


@dataclass(frozen=True)
class Marked:
    score: int  #: percent of questions answered correctly, rounded down
    passed: bool
    correct: dict[str, bool]  #: question id -> answered correctly


def parse_choices(knowledge_check: KnowledgeCheck, submitted: Mapping[str, list[str]]) -> tuple[dict[str, list[int]], dict[str, str]]:
    """Read chosen option indexes per question; errors for missing or tampered answers."""
    chosen, errors = {}, {}
    for question in knowledge_check.questions:
        raw = submitted.get(question.id, [])
        if not raw:
            errors[question.id] = "Please choose an answer." if not question.multiple else "Please choose at least one answer."
            continue
        if not all(is_number_text(v) and int(v) < len(question.options) for v in raw) or (not question.multiple and len(raw) > 1):
            errors[question.id] = "Choose from the options shown."
            continue
        chosen[question.id] = sorted({int(v) for v in raw})
    return chosen, errors


def mark(knowledge_check: KnowledgeCheck, chosen: Mapping[str, list[int]]) -> Marked:
    """A question is correct when exactly its correct options were chosen; pass at ``pass_mark`` percent."""
    correct = {q.id: frozenset(chosen.get(q.id, [])) == q.correct_indexes for q in knowledge_check.questions}
    score = 100 * sum(correct.values()) // len(correct)
    return Marked(score=score, passed=score >= knowledge_check.pass_mark, correct=correct)
