"""Knowledge checks: drawn from a bank, options shuffled, scored against the pass mark, feedback on
the GP's own answers (no key) after a failure, the key after a pass, retries, best score."""
import re

from markupsafe import escape
from sqlalchemy import select

from survey.extensions import db
from survey.learning.models import ModuleProgress, ModuleVersion, QuizAttempt
from survey.library import library
from tests.journey import answers_for, correct_choices, read_pages, shown_check
from tests.learning.conftest import enrol_ready_gp, text

MODULE = "musculoskeletal-and-work"


def check_url(gp):
    return f"/c/{gp.slug}/m/{MODULE}/check"


def with_bank(monkeypatch, module, draw: int | None, reveal=None, pages=True):
    """The module with a bank drawing ``draw`` questions (None: all of them; and every question naming a page)."""
    check = module.knowledge_check
    questions = [q.model_copy(update={"pages": [module.pages[1].file]}) for q in check.questions] if pages else check.questions
    new = check.model_copy(update={"draw": draw, "reveal_key_after_attempts": reveal, "questions": questions})
    monkeypatch.setattr(module, "data", module.data.model_copy(update={"knowledge_check": new}))
    return module


def attempts():
    db.session.expire_all()
    return list(db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)))


def progress():
    db.session.expire_all()
    return db.session.scalar(select(ModuleProgress).where(ModuleProgress.module_slug == MODULE))


def without_csrf(page: str) -> str:
    """The page without its CSRF tokens, which carry the second they were made in."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


def test_check_opens_only_after_the_pages(gp, client):
    response = client.get(check_url(gp))
    assert response.headers["Location"].endswith(f"/c/{gp.slug}/m/{MODULE}")
    assert client.post(check_url(gp), {}).status_code == 302
    assert attempts() == []


def test_tapping_through_the_pages_does_not_open_the_check(gp, client):
    module = library().modules[MODULE]
    read_pages(client, gp.slug, module, seconds_per_page=2)
    response = client.get(check_url(gp))
    assert response.status_code == 302
    message = text(client.get(response.headers["Location"], follow_redirects=True))
    assert "more minutes of study" in message
    assert progress().pages_completed_at is None and attempts() == []


def test_failing_then_passing_keeps_the_best_score_and_every_attempt(gp, client):
    module = library().modules[MODULE]
    check = module.knowledge_check
    assert check.draw_count == 5  # each attempt draws 5 questions, so each one is worth 20%
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp)))
    assert f"5 questions, drawn from a bank of {len(check.questions)}. Pass mark 70%" in form
    assert without_csrf(text(client.get(check_url(gp)))) == without_csrf(form)  # the same attempt on reload

    failed = text(client.post(check_url(gp), answers_for(form, module, 3)))
    assert "You scored 60%" in failed and "The pass mark is 70%" in failed and "passed" not in failed
    assert "Try again" in failed
    assert progress().best_score == 60 and progress().passed_at is None

    form = text(client.get(check_url(gp)))
    passed = text(client.post(check_url(gp), answers_for(form, module, 4)))
    assert "You scored 80%: passed" in passed
    form = text(client.get(check_url(gp)))
    worse = text(client.post(check_url(gp), answers_for(form, module, 3)))
    assert "You scored 60%" in worse and "Your best score is 80%, and this module is passed" in worse
    assert progress().best_score == 80 and progress().passed_at is not None

    saved = attempts()
    assert [(a.score, a.passed) for a in saved] == [(60, False), (80, True), (60, False)]
    assert all(a.submitted_at is not None and len(a.questions) == check.draw_count for a in saved)
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.slug == MODULE))
    assert {a.module_version_id for a in saved} == {version.id}
    overview = text(client.get(f"/c/{gp.slug}"))
    assert "Best score 80%" in overview  # the task list: status Completed, the best score as its hint


def test_answers_are_stored_in_file_order_whatever_the_shuffle(gp, client, monkeypatch):
    module = with_bank(monkeypatch, library().modules[MODULE], draw=None, pages=False)  # the whole bank
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp)))
    client.post(check_url(gp), answers_for(form, module))
    attempt = attempts()[-1]
    assert attempt.score == 100
    assert attempt.answers == {k: [int(v) for v in vs] for k, vs in correct_choices(module).items()}
    orders = [entry["order"] for entry in attempt.questions]
    assert any(order != sorted(order) for order in orders)  # options were shuffled


def test_a_failed_attempt_shows_feedback_on_the_chosen_options_and_no_key(gp, client, monkeypatch):
    module = with_bank(monkeypatch, library().modules[MODULE], draw=6)
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp)))
    answers = answers_for(form, module, 0)
    result = text(client.post(check_url(gp), answers))
    assert result.count("<strong>Not quite</strong>") == 6
    assert "Correct answer" not in result and "(correct)" not in result
    for qid, options in shown_check(form, module)[1].items():
        for value, label in options:
            option = next(o for o in module.knowledge_check.question(qid).options if o.text.strip() == label)
            assert (escape(option.feedback) in result) == (value in answers[qid])  # only what the GP chose
    assert result.count('class="revisit"') == 12  # "Pages to revisit" and its list, per question
    assert f'/c/{gp.slug}/m/{MODULE}/2"' in result


def test_the_key_is_shown_after_a_pass_or_after_the_set_failures(gp, client, monkeypatch):
    module = with_bank(monkeypatch, library().modules[MODULE], draw=6, reveal=2)
    read_pages(client, gp.slug, module)
    first = text(client.post(check_url(gp), answers_for(text(client.get(check_url(gp))), module, 0)))
    assert "Correct answer" not in first
    second = text(client.post(check_url(gp), answers_for(text(client.get(check_url(gp))), module, 0)))
    assert second.count("Correct answer") >= 6


def test_a_retry_draws_questions_not_in_the_previous_attempt(gp, client, monkeypatch):
    module = with_bank(monkeypatch, library().modules[MODULE], draw=5)  # a bank of 10
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp)))
    first = set(shown_check(form, module)[1])
    client.post(check_url(gp), answers_for(form, module, 0))
    second = set(shown_check(text(client.get(check_url(gp))), module)[1])
    assert len(first) == len(second) == 5 and not first & second


def test_an_old_form_is_not_marked_against_a_new_attempt(gp, client):
    module = library().modules[MODULE]
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp)))
    client.post(check_url(gp), answers_for(form, module, 0))
    again = text(client.post(check_url(gp), answers_for(form, module)))
    assert "That attempt was already marked" in again
    assert [a.score for a in attempts() if a.submitted_at] == [0]


def test_multiple_answer_questions_need_exactly_the_correct_options(gp, client, monkeypatch):
    module = with_bank(monkeypatch, library().modules[MODULE], draw=None, pages=False)  # the whole bank
    question = next(q for q in module.knowledge_check.questions if q.multiple)
    read_pages(client, gp.slug, module)
    answers = answers_for(text(client.get(check_url(gp))), module)
    answers[question.id] = answers[question.id][:1]  # only one of the correct options
    text(client.post(check_url(gp), answers))
    assert attempts()[-1].score == 90


def test_the_choose_all_hint_appears_once(gp, client, monkeypatch):
    module = with_bank(monkeypatch, library().modules[MODULE], draw=None, pages=False)  # the whole bank
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp))).lower()
    multiple = sum(q.multiple for q in module.knowledge_check.questions)
    assert form.count("choose all that apply") == multiple


def test_missing_and_tampered_answers_are_explained_and_nothing_is_lost(gp, client):
    module = library().modules[MODULE]
    read_pages(client, gp.slug, module)
    form = text(client.get(check_url(gp)))
    answers = answers_for(form, module)
    first, second, third = list(shown_check(form, module)[1])[:3]
    del answers[first]
    answers[second] = ["99"]
    page = text(client.post(check_url(gp), answers))
    assert "Please check these 2 answers" in page
    missing = "Please choose at least one answer." if module.knowledge_check.question(first).multiple \
        else "Please choose an answer."  # the draw decides which kind of question comes first
    assert f'<p class="error" id="{first}-error">{missing}</p>' in page
    assert f'<p class="error" id="{second}-error">Choose from the options shown.</p>' in page
    kept = answers[third][0]
    assert f'name="{third}" value="{kept}"\n                     checked' in page  # the GP's other answers stay chosen
    assert [a for a in attempts() if a.submitted_at] == []


def test_another_gp_cannot_open_or_answer_the_check(gp, client, make_client):
    other = make_client()
    enrol_ready_gp(other, modules=[MODULE])
    module = library().modules[MODULE]
    assert other.get(check_url(gp)).status_code == 404
    assert other.post(check_url(gp), correct_choices(module)).status_code == 404
