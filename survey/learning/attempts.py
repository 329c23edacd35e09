"""Knowledge-check attempts: drawing one, marking it, and when the answer key may be shown. Callers commit."""
import random
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from survey.campaigns.models import Enrolment
from survey.db import utcnow
from survey.extensions import db
from survey.learning import quiz
from survey.learning.content import Module
from survey.learning.models import ModuleProgress, QuizAttempt


class AttemptReplaced(Exception):
    """The form answered an attempt that is no longer open (already marked, or from an old tab)."""


@dataclass(frozen=True)
class AttemptResult:
    attempt: QuizAttempt
    marked: quiz.Marked
    questions: list[quiz.Shown]
    key_shown: bool  #: the full key and all explanations may be shown (after a pass, or enough failures)


def _attempts(enrolment: Enrolment, module: Module, cycle: int | None = None):
    """The GP's attempts at the module's check: of one study cycle (a repeat of the course), or of all."""
    query = select(QuizAttempt).where(QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.module_slug == module.slug)
    return query if cycle is None else query.where(QuizAttempt.cycle == cycle)


def open_attempt(enrolment: Enrolment, module: Module, progress: ModuleProgress, rng: random.Random | None = None) -> QuizAttempt:
    """The GP's unanswered attempt, or a new one drawn from the bank (questions not in the previous
    attempt first, options shuffled). The draw is stored, so a reload shows the same test."""
    attempt = db.session.scalar(_attempts(enrolment, module, progress.cycle).where(QuizAttempt.submitted_at.is_(None))
                                .order_by(QuizAttempt.id.desc()))
    if attempt is not None and attempt.module_version_id == progress.module_version_id:
        return attempt
    if attempt is not None:  # drawn from an older version: replaced by a draw from this one
        db.session.delete(attempt)
    # The previous attempt of any cycle, so that a repeat of the course starts with other questions too.
    previous = db.session.scalar(_attempts(enrolment, module).where(QuizAttempt.submitted_at.is_not(None))
                                 .order_by(QuizAttempt.id.desc()))
    previous_ids = [entry["id"] for entry in previous.questions or []] if previous else []
    attempt = QuizAttempt(
        enrolment_id=enrolment.id, module_slug=module.slug, module_version_id=progress.module_version_id, cycle=progress.cycle,
        questions=quiz.draw(module.knowledge_check, rng or random.Random(secrets.randbits(64)), previous_ids),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def failed_attempts(enrolment: Enrolment, module: Module, cycle: int) -> int:
    return db.session.scalar(select(func.count()).select_from(
        _attempts(enrolment, module, cycle).where(QuizAttempt.submitted_at.is_not(None), QuizAttempt.passed.is_(False)).subquery()))


def key_shown(enrolment: Enrolment, module: Module, progress: ModuleProgress) -> bool:
    """The answer key is shown after a pass, or after ``reveal_key_after_attempts`` failed attempts;
    never after a failure before that, or a retry would only test memory of the key."""
    if progress.passed_at is not None:
        return True
    after = module.knowledge_check.reveal_key_after_attempts
    return after is not None and failed_attempts(enrolment, module, progress.cycle) >= after


def submit_attempt(enrolment: Enrolment, module: Module, progress: ModuleProgress, attempt: QuizAttempt,
                   chosen: dict[str, list[int]]) -> AttemptResult:
    """Mark the drawn questions and store the answers; the best score is kept and the module
    passes once any attempt passes."""
    if attempt.submitted_at is not None or attempt.cycle != progress.cycle:
        raise AttemptReplaced()
    questions = quiz.shown(module.knowledge_check, attempt.questions)
    marked = quiz.mark(module.knowledge_check, chosen, [item.question.id for item in questions])
    attempt.answers, attempt.score, attempt.passed, attempt.submitted_at = chosen, marked.score, marked.passed, utcnow()
    progress.best_score = max(progress.best_score or 0, marked.score)
    if marked.passed and progress.passed_at is None:
        progress.passed_at = utcnow()
    db.session.flush()
    return AttemptResult(attempt, marked, questions, key_shown(enrolment, module, progress))
