"""Drawing and marking a knowledge check. Pure.

An attempt draws ``draw`` questions from the module's bank, preferring questions the GP was not
given in their previous attempt, and shuffles each question's options. What was drawn is stored
with the attempt as ``[{"id": question id, "order": [file indexes of the options as shown]}]``,
so the page is the same on reload and the attempt can be audited.
"""
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from survey.codes import is_number_text
from survey.learning.content import KnowledgeCheck, Question


CHOOSE_ALL = re.compile(r"\s*\(?\s*choose all that apply\s*[.)]*\s*\)?", re.IGNORECASE)


@dataclass(frozen=True)
class Marked:
    score: int  #: percent of questions answered correctly, rounded down
    passed: bool
    correct: dict[str, bool]  #: question id -> answered correctly


@dataclass(frozen=True)
class Shown:
    """One drawn question as the GP sees it: its options in the attempt's order."""

    question: Question
    order: tuple[int, ...]  #: file index of the option shown at each position

    @property
    def text(self) -> str:
        """The question as shown: a "choose all that apply" in the text itself is left out, because
        the page adds that hint once for every multiple-answer question."""
        return CHOOSE_ALL.sub("", self.question.text).strip()

    @property
    def options(self):
        """(position, file index, option) in the order shown."""
        return [(position, index, self.question.options[index]) for position, index in enumerate(self.order)]


def draw(knowledge_check: KnowledgeCheck, rng: random.Random, previous_ids: Iterable[str] = ()) -> list[dict]:
    """Draw ``draw_count`` questions at random, those not in the previous attempt first, each with
    its options in a random order. Deterministic for a seeded ``rng`` (tests rely on it)."""
    previous = set(previous_ids)
    fresh = [q for q in knowledge_check.questions if q.id not in previous]
    repeated = [q for q in knowledge_check.questions if q.id in previous]
    rng.shuffle(fresh)
    rng.shuffle(repeated)
    chosen = (fresh + repeated)[:knowledge_check.draw_count]
    rng.shuffle(chosen)  # questions seen before are not always last
    return [{"id": q.id, "order": rng.sample(range(len(q.options)), len(q.options))} for q in chosen]


def all_in_file_order(knowledge_check: KnowledgeCheck) -> list[dict]:
    """What attempts from before question banks were given: every question, options as in the file."""
    return [{"id": q.id, "order": list(range(len(q.options)))} for q in knowledge_check.questions]


def shown(knowledge_check: KnowledgeCheck, drawn: list[dict]) -> list[Shown]:
    """The drawn questions that still exist in this version, with their stored option order.

    A question whose options changed in number since the draw is shown in file order."""
    result = []
    for entry in drawn:
        question = knowledge_check.question(entry["id"])
        if question is None:
            continue
        order = tuple(entry["order"])
        if sorted(order) != list(range(len(question.options))):
            order = tuple(range(len(question.options)))
        result.append(Shown(question, order))
    return result


def parse_choices(questions: list[Shown], submitted: Mapping[str, list[str]]) -> tuple[dict[str, list[int]], dict[str, str]]:
    """Read the chosen positions per question and return them as file indexes; errors for missing
    or tampered answers. Form values are positions as shown, so they reveal nothing of the file."""
    chosen, errors = {}, {}
    for item in questions:
        question = item.question
        raw = submitted.get(question.id, [])
        if not raw:
            errors[question.id] = "Please choose an answer." if not question.multiple else "Please choose at least one answer."
            continue
        if not all(is_number_text(v) and int(v) < len(item.order) for v in raw) or (not question.multiple and len(raw) > 1):
            errors[question.id] = "Choose from the options shown."
            continue
        chosen[question.id] = sorted({item.order[int(v)] for v in raw})
    return chosen, errors


def mark(knowledge_check: KnowledgeCheck, chosen: Mapping[str, list[int]], question_ids: Iterable[str] | None = None) -> Marked:
    """A question is correct when exactly its correct options were chosen; pass at ``pass_mark`` percent.

    Only the questions drawn for the attempt (``question_ids``; default the whole bank) count."""
    ids = list(question_ids) if question_ids is not None else [q.id for q in knowledge_check.questions]
    questions = [q for q in (knowledge_check.question(i) for i in ids) if q is not None]
    correct = {q.id: frozenset(chosen.get(q.id, [])) == q.correct_indexes for q in questions}
    score = 100 * sum(correct.values()) // len(correct) if correct else 0
    return Marked(score=score, passed=score >= knowledge_check.pass_mark, correct=correct)
