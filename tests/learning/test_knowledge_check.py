"""Knowledge checks: answers saved, scored against the pass mark, feedback per option, retries, best score."""
from markupsafe import escape
from sqlalchemy import select

from survey.extensions import db
from survey.learning.models import ModuleProgress, ModuleVersion, QuizAttempt
from survey.library import library
from tests.journey import correct_choices
from tests.learning.conftest import enrol_ready_gp, text

MODULE = "musculoskeletal-and-work"


def read_all_pages(client, slug, module):
    for page in range(1, module.page_count + 1):
        client.get(f"/c/{slug}/m/{module.slug}/{page}")
        client.post(f"/c/{slug}/m/{module.slug}/{page}")


def choices_scoring(module, right: int) -> dict[str, list[str]]:
    """Correct answers to the first ``right`` questions and a wrong answer to the rest."""
    chosen = correct_choices(module)
    for question in module.knowledge_check.questions[right:]:
        wrong = next(i for i, option in enumerate(question.options) if not option.correct)
        chosen[question.id] = [str(wrong)]
    return chosen


def attempts():
    db.session.expire_all()
    return list(db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)))


def progress():
    db.session.expire_all()
    return db.session.scalar(select(ModuleProgress).where(ModuleProgress.module_slug == MODULE))


def test_check_opens_only_after_the_pages(gp, client):
    response = client.get(f"/c/{gp.slug}/m/{MODULE}/check")
    assert response.headers["Location"].endswith(f"/c/{gp.slug}/m/{MODULE}")
    assert client.post(f"/c/{gp.slug}/m/{MODULE}/check", {}).status_code == 302
    assert attempts() == []


def test_failing_then_passing_keeps_the_best_score_and_every_attempt(gp, client):
    module = library().modules[MODULE]
    questions = module.knowledge_check.questions
    read_all_pages(client, gp.slug, module)
    form = text(client.get(f"/c/{gp.slug}/m/{MODULE}/check"))
    assert f"{len(questions)} questions. Pass mark 70%" in form

    failed = text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", choices_scoring(module, 5)))
    assert "You scored 50%" in failed and "The pass mark is 70%" in failed and "passed" not in failed
    assert "Try again" in failed
    assert progress().best_score == 50 and progress().passed_at is None

    passed = text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", choices_scoring(module, 8)))
    assert "You scored 80%: passed" in passed
    worse = text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", choices_scoring(module, 6)))
    assert "You scored 60%" in worse and "Your best score is 80%, and this module is passed" in worse
    assert progress().best_score == 80 and progress().passed_at is not None

    saved = attempts()
    assert [(a.score, a.passed) for a in saved] == [(50, False), (80, True), (60, False)]
    assert saved[1].answers == {k: [int(v) for v in vs] for k, vs in choices_scoring(module, 8).items()}
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.slug == MODULE))
    assert {a.module_version_id for a in saved} == {version.id}
    overview = text(client.get(f"/c/{gp.slug}"))
    assert "Complete, best score 80%" in overview


def test_feedback_is_shown_for_every_option_with_the_answer_marked(gp, client):
    module = library().modules[MODULE]
    read_all_pages(client, gp.slug, module)
    result = text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", choices_scoring(module, 0)))
    for question in module.knowledge_check.questions:
        for option in question.options:
            assert escape(option.feedback) in result
    assert result.count("<strong>Not quite</strong>") == len(module.knowledge_check.questions)
    assert result.count("<span class=\"tag\">Your answer</span>") == len(module.knowledge_check.questions)


def test_multiple_answer_questions_need_exactly_the_correct_options(gp, client):
    module = library().modules[MODULE]
    question = next(q for q in module.knowledge_check.questions if q.multiple)
    read_all_pages(client, gp.slug, module)
    answers = correct_choices(module)
    answers[question.id] = answers[question.id][:1]  # only one of the correct options
    text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", answers))
    assert attempts()[-1].score == 90


def test_missing_and_tampered_answers_are_explained_and_nothing_is_lost(gp, client):
    module = library().modules[MODULE]
    first, second = module.knowledge_check.questions[:2]
    read_all_pages(client, gp.slug, module)
    answers = correct_choices(module)
    del answers[first.id]
    answers[second.id] = ["99"]
    page = text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", answers))
    assert "Please check these 2 answers" in page
    assert f'<p class="error" id="{first.id}-error">Please choose an answer.</p>' in page
    assert f'<p class="error" id="{second.id}-error">Choose from the options shown.</p>' in page
    third = module.knowledge_check.questions[2]
    kept = answers[third.id][0]
    assert f'name="{third.id}" value="{kept}"\n                     checked' in page  # the GP's other answers stay chosen
    assert attempts() == []


def test_another_gp_cannot_open_or_answer_the_check(gp, client, make_client):
    other = make_client()
    enrol_ready_gp(other, modules=[MODULE])
    module = library().modules[MODULE]
    assert other.get(f"/c/{gp.slug}/m/{MODULE}/check").status_code == 404
    assert other.post(f"/c/{gp.slug}/m/{MODULE}/check", correct_choices(module)).status_code == 404
