"""Real-browser tests: the app served over HTTP on a free loopback port, driven by Debian's Chromium.

Chromium and axe-core are required, never optional: without them these tests fail with a
message saying how to install them (`apt-get install chromium`, `npm ci`).
"""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.learning.conftest import enrol_ready_gp

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}. The browser tests need it: install it with "
                    "`apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH.", pytrace=False)
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}. Install it with `npm ci` in the project folder.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def config_overrides():
    # The server answers on 127.0.0.1:<port>, so URLs must not be pinned to "localhost".
    return {"SERVER_NAME": None}


@pytest.fixture
def live_server(app):
    """The test app behind a real HTTP server in a thread, on the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (no cookies) whose relative URLs go to the live server."""
    # bypass_csp lets the test inject axe-core; the app's own pages never need it.
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def gp(app, client):
    """A GP enrolled in a campaign with every module, baseline submitted."""
    return enrol_ready_gp(client)


def sign_in(page, email: str, password: str = "a-good-password") -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def grant_study_time(user, module) -> None:
    """Record the module's minimum study time for a GP who tapped through its pages, for tests
    whose subject is not study time (accessibility, keyboard, the whole journey). The study-time
    rules themselves are tested in test_study_time.py."""
    from sqlalchemy import select

    from survey.campaigns.models import Enrolment
    from survey.db import utcnow
    from survey.extensions import db
    from survey.learning import study
    from survey.learning.models import ModuleProgress

    db.session.expire_all()
    progress = db.session.scalar(select(ModuleProgress).join(Enrolment, Enrolment.id == ModuleProgress.enrolment_id)
                                 .where(Enrolment.user_id == user.id, ModuleProgress.module_slug == module.slug))
    progress.seconds_spent = max(progress.seconds_spent, study.min_study_seconds(module))
    progress.pages_completed_at = progress.pages_completed_at or utcnow()
    db.session.commit()


def shown_options(page) -> dict[str, list[tuple[str, str]]]:
    """Per question on a knowledge-check page, in the order shown: (form value, option text)."""
    rows = page.eval_on_selector_all(
        "fieldset.question input", "els => els.map(e => [e.name, e.value, e.closest('label').innerText.trim()])")
    shown: dict[str, list[tuple[str, str]]] = {}
    for name, value, label in rows:
        shown.setdefault(name, []).append((value, label))
    return shown


def answer_check(page, module, right: bool = True) -> None:
    """Tick the correct options of every question shown (or one wrong option each)."""
    for qid, options in shown_options(page).items():
        key = {o.text.strip() for o in module.knowledge_check.question(qid).options if o.correct}
        values = [v for v, label in options if (label in key) == right]
        for value in values if right else values[:1]:
            page.locator(f'[name="{qid}"][value="{value}"]').check()
