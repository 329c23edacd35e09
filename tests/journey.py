"""Drive a GP through the journey with the test client, as a browser would."""
from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.surveys.answers import is_visible


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


def answer_survey(client, slug: str, wave: str, definition, likert_value: int = 3):
    """Answer every page of a wave and submit; returns the final response."""
    answers: dict[str, str] = {}
    response = None
    for number, section in enumerate(definition.sections_for(wave), start=1):
        data = {}
        for question in section.questions():
            if is_visible(question, answers):
                value = valid_answer(question, likert_value)
                data[question.id] = value
                answers[question.id] = ";".join(value)
        response = client.post(f"/c/{slug}/survey/{wave}/{number}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def correct_choices(module) -> dict[str, list[str]]:
    return {q.id: [str(i) for i in sorted(q.correct_indexes)] for q in module.knowledge_check.questions}


def study_module(client, slug: str, module):
    """Read every page and pass the knowledge check."""
    assert client.get(f"/c/{slug}/m/{module.slug}").status_code == 302
    for page in range(1, module.page_count + 1):
        assert client.get(f"/c/{slug}/m/{module.slug}/{page}").status_code == 200
        assert client.post(f"/c/{slug}/m/{module.slug}/{page}").status_code == 302
    response = client.post(f"/c/{slug}/m/{module.slug}/check", correct_choices(module))
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

    texts = [inbox.body(m) for m in inbox.to(address)] if inbox is not None else mails_to(app, address)
    for text in reversed(texts):
        found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text)
        if found:
            return found.group(1)
    raise AssertionError(f"no {path} link in mail to {address}")


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
