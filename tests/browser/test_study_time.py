"""Study time in a real browser: tapping through earns nothing, a hidden tab is not counted, and a
retry after failing is a different test while the failed attempt showed no key."""
import shutil
import time

import pytest
import yaml
from sqlalchemy import select

from survey.extensions import db
from survey.learning import study
from survey.learning.models import ModuleProgress, PageView, QuizAttempt
from survey.library import library
from tests.browser.conftest import grant_study_time, shown_options, sign_in
from tests.content.test_check_content import CONTENT

MODULE = "musculoskeletal-and-work"  # a bank of 10 questions; this copy draws 5


@pytest.fixture
def config_overrides(tmp_path):
    copy = tmp_path / "modules"
    shutil.copytree(CONTENT, copy)
    path = copy / MODULE / "module.yaml"
    data = yaml.safe_load(path.read_text())
    data["knowledge_check"]["draw"] = 5
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return {"SERVER_NAME": None, "CONTENT_DIR": str(copy)}


def progress():
    db.session.expire_all()
    return db.session.scalar(select(ModuleProgress).where(ModuleProgress.module_slug == MODULE))


def views():
    db.session.expire_all()
    return list(db.session.scalars(select(PageView).order_by(PageView.id)))


def click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_tapping_through_in_seconds_gives_no_completion_and_no_credit(gp, page):
    module = library().modules[MODULE]
    sign_in(page, gp.user.email)
    page.goto(f"/c/{gp.slug}/m/{MODULE}")
    started = time.monotonic()
    for _ in range(module.page_count - 1):
        click(page, "Next")
    click(page, "Go to the knowledge check")
    tapped = time.monotonic() - started
    assert page.locator("h1").inner_text() != "Knowledge check"  # sent back to study
    assert "more minutes of study" in page.locator(".flash").inner_text()
    assert progress().pages_completed_at is None and progress().seconds_spent <= tapped + 2
    page.goto("/my-learning")
    row = page.locator("tr", has_text=module.title).inner_text()
    assert "Started" in row and "up to 0.5 when complete" in row
    assert "0 CPD credits on valid certificates" in page.content()


def test_time_with_the_page_hidden_is_not_counted(gp, page):
    sign_in(page, gp.user.email)
    page.goto(f"/c/{gp.slug}/m/{MODULE}/1")
    page.wait_for_function("() => true")
    time.sleep(1)  # the script's first report arrives: the server now counts what it reports
    other = page.context.new_page()  # another tab in front...
    other.goto("/my-learning")
    other.bring_to_front()
    if page.evaluate("document.visibilityState") != "hidden":  # headless Chromium may keep both visible
        page.evaluate("""() => { Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
                                 document.dispatchEvent(new Event('visibilitychange')); }""")
    assert page.evaluate("document.visibilityState") == "hidden"
    time.sleep(8)
    page.bring_to_front()
    page.evaluate("""() => { Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    for step in range(6):  # three seconds of reading with the pointer moving
        page.mouse.move(100 + step * 20, 200)
        time.sleep(0.5)
    click(page, "Next")
    first = views()[0]
    open_seconds = (first.closed_at - first.opened_at).total_seconds()
    assert open_seconds >= 11
    assert 2 <= first.seconds <= 6, (first.seconds, first.active_seconds, open_seconds)
    # Without the script the same view would have counted the whole time open (up to the reading time).
    reading = study.reading_seconds(library().modules[MODULE].page_texts[0])
    assert study.fallback_seconds(open_seconds, reading) >= 11


def test_a_retry_after_failing_is_a_different_test_and_the_failure_showed_no_key(gp, page):
    module = library().modules[MODULE]
    sign_in(page, gp.user.email)
    page.goto(f"/c/{gp.slug}/m/{MODULE}")
    for _ in range(module.page_count - 1):
        click(page, "Next")
    click(page, "Go to the knowledge check")
    grant_study_time(gp.user, module)  # the study itself is the subject of the tests above
    page.goto(f"/c/{gp.slug}/m/{MODULE}/check")
    first = shown_options(page)
    assert len(first) == 5
    page.reload()
    assert shown_options(page) == first  # the same attempt on reload
    for qid, options in first.items():  # a wrong answer to every question
        key = {o.text.strip() for o in module.knowledge_check.question(qid).options if o.correct}
        page.locator(f'[name="{qid}"][value="{next(v for v, label in options if label not in key)}"]').check()
    click(page, "Check my answers")
    result = page.locator("main").inner_text()
    assert "You scored 0%" in result
    assert "Correct answer" not in result and "(correct)" not in result
    for qid in first:  # no correct option is named, nor its explanation
        for option in module.knowledge_check.question(qid).options:
            if option.correct:
                assert option.feedback not in result and option.text.strip() not in result
    assert page.locator("ul.revisit a").count() >= 1 or all(not module.knowledge_check.question(q).pages for q in first)

    with page.expect_navigation():
        page.get_by_role("link", name="Try again").click()
    second = shown_options(page)
    assert len(second) == 5 and not set(first) & set(second)  # different questions
    assert list(second) != list(first)
    stored = list(db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)))
    assert [entry["id"] for entry in stored[1].questions] == list(second)  # the order shown is the order stored
