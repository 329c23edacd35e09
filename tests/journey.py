"""Drive a GP through the journey with the test client, as a browser would."""
import re
from contextlib import contextmanager
from datetime import timedelta
from html import unescape
from unittest.mock import patch

from survey import clock
from survey.extensions import db
from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.learning import study
from survey.surveys.answers import is_visible
from survey.surveys.versions import assign_vignettes


def valid_answer(question, likert_value: int = 3) -> list[str]:
    """A plausible valid answer to any question type."""
    if isinstance(question, Likert):
        return [str(likert_value)]
    if isinstance(question, SingleChoice):
        return [question.options[0].value]
    if isinstance(question, MultipleChoice):
        return [question.options[0].value]
    if isinstance(question, Number):
        return [str(int(question.min))]
    if isinstance(question, FreeText):
        return ["Some thoughts."]
    raise TypeError(question)


def gp_sections(enrolment, definition, wave: str) -> list:
    """The pages of ``wave`` this GP is shown (under matrix sampling, only their cases), assigning their
    cases and versions as the survey's first page does. Committed, as that page commits: an uncommitted
    assignment would hold its row locks, and on PostgreSQL the app's next request would wait on them."""
    sections = definition.sections_for(wave, cases=assign_vignettes(enrolment, definition))
    db.session.commit()
    return sections


def section_on(page_html: str, sections: list):
    """The section a survey page shows, found by its questions' field names."""
    return next(s for s in sections if any(f'name="{q.id}"' in page_html for q in s.questions()))


def answer_survey(client, slug: str, wave: str, definition, likert_value: int = 3):
    """Answer every page the GP is shown, as the server leads them, and submit; returns the final response."""
    answers: dict[str, str] = {}
    number = 1
    while True:
        page = client.get(f"/c/{slug}/survey/{wave}/{number}")
        assert page.status_code == 200, page.get_data(as_text=True)[:2000]
        data = {}
        for question in section_on(page.get_data(as_text=True), definition.sections_for(wave)).questions():
            if is_visible(question, answers):
                value = valid_answer(question, likert_value)
                data[question.id] = value
                answers[question.id] = ";".join(value)
        response = client.post(f"/c/{slug}/survey/{wave}/{number}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        if not response.headers["Location"].endswith(f"/survey/{wave}/{number + 1}"):
            return response
        number += 1


def correct_choices(module) -> dict[str, list[str]]:
    """The key as form values, for an attempt that shows every question with options in file order."""
    return {q.id: [str(i) for i in sorted(q.correct_indexes)] for q in module.knowledge_check.questions}


def shown_check(page_html: str, module) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """The attempt id on a knowledge-check page and, per question shown in the order shown, its
    options as (form value, option text)."""
    attempt = re.search(r'name="attempt" value="(\d+)"', page_html).group(1)
    shown = {}
    for qid in re.findall(r'<fieldset class="question[^"]*" id="q-([a-z0-9-]+)"', page_html):
        shown[qid] = [(value, unescape(label).strip()) for value, label in re.findall(
            rf'name="{re.escape(qid)}" value="(\d+)"[^>]*>\s*<span>(.*?)</span>', page_html, re.S)]
    return attempt, shown


def answers_for(page_html: str, module, right: int | None = None) -> dict[str, list[str]]:
    """A form for the attempt shown: correct answers to the first ``right`` questions shown (all
    when None) and one wrong option for the rest."""
    attempt, shown = shown_check(page_html, module)
    data = {"attempt": attempt}
    for number, (qid, options) in enumerate(shown.items()):
        question = module.knowledge_check.question(qid)
        key = {o.text.strip() for o in question.options if o.correct}
        if right is None or number < right:
            data[qid] = [value for value, label in options if label in key]
        else:
            data[qid] = [next(value for value, label in options if label not in key)]
    return data


def key_for_form(page_html: str, module) -> dict[str, list[str]]:
    return answers_for(page_html, module)


def read_pages(client, slug: str, module, seconds_per_page=None):
    """Open and finish every page, each for its reading time (or ``seconds_per_page``) on a moving clock."""
    with moving_clock() as advance:
        for page in range(1, module.page_count + 1):
            assert client.get(f"/c/{slug}/m/{module.slug}/{page}").status_code == 200
            advance(study.reading_seconds(module.page_texts[page - 1]) if seconds_per_page is None else seconds_per_page)
            assert client.post(f"/c/{slug}/m/{module.slug}/{page}").status_code == 302


@contextmanager
def moving_clock():
    """A clock the caller moves forward (``advance(seconds)``); it starts an hour ago, so the
    times recorded are in the past and real time later is after them."""
    now = [clock.now() - timedelta(hours=1)]

    def advance(seconds: float):
        now[0] += timedelta(seconds=seconds)

    with patch.object(clock, "now", lambda: now[0]):
        yield advance


def study_module(client, slug: str, module):
    """Read every page for its full reading time (as a GP without JavaScript) and pass the check."""
    assert client.get(f"/c/{slug}/m/{module.slug}").status_code == 302
    read_pages(client, slug, module)
    form = client.get(f"/c/{slug}/m/{module.slug}/check")
    assert form.status_code == 200, form.headers.get("Location")
    response = client.post(f"/c/{slug}/m/{module.slug}/check", key_for_form(form.get_data(as_text=True), module))
    assert response.status_code == 200
    assert "passed" in response.get_data(as_text=True)


def mails_to(app, address: str) -> list[str]:
    """The text of every email the file mail backend wrote to ``address``, oldest first."""
    from email import message_from_bytes, policy
    from pathlib import Path

    messages = [message_from_bytes(path.read_bytes(), policy=policy.default)
                for path in sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]
    return [message.get_content() for message in messages if message["To"] == address]


def link_in_mail(app, address: str, path: str, inbox=None) -> str:
    """The path (from ``path`` on) of the link in the newest email to ``address`` that has one
    (from the file backend, or from ``inbox``, the SMTP server of tests/smtp.py)."""
    import re
    import time

    deadline = time.monotonic() + 10  # a live server writes account mail just after its response has gone
    while True:
        texts = [inbox.body(m) for m in inbox.to(address)] if inbox is not None else mails_to(app, address)
        for text in reversed(texts):
            found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text)
            if found:
                return found.group(1)
        if time.monotonic() > deadline:
            raise AssertionError(f"no {path} link in mail to {address}")
        time.sleep(0.1)


def confirm_email(client, address: str, inbox=None):
    """Follow the confirmation link emailed to ``address`` and press the button; signs in."""
    link = link_in_mail(client.app, address, "/confirm-email/", inbox)
    assert client.get(link).status_code == 200
    response = client.post(link)
    client._token = None  # signing in gave a new session and CSRF token
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def register(client, data: dict, next_url: str | None = None, inbox=None):
    """Register through the form and confirm the address from the email, as a GP would."""
    url = "/register" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/check-email"), \
        response.get_data(as_text=True)[:3000]
    return confirm_email(client, data["email"].strip().lower(), inbox)
