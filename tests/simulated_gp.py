"""A simulated GP over real HTTP, spread over several app processes: signs in, answers the baseline survey
page by page, asks for a password reset; a request that gets no answer (its process died) is sent again to
the next process, as a GP presses the button again."""
import itertools
import re
import threading
import time
from collections import defaultdict

import requests

from survey.surveys.answers import is_visible
from tests.journey import section_on, valid_answer

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Ledger:
    """What the simulated GPs were told succeeded, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged: dict[str, dict[str, str]] = defaultdict(dict)  #: email -> item -> value saved
        self.saves = 0  #: page saves answered with success
        self.retries = 0  #: requests that got no answer (or a 5xx) and were sent again
        self.resets: set[str] = set()  #: addresses whose reset request was answered

    def saved(self, email: str, answers: dict[str, str]) -> None:
        with self.lock:
            self.acknowledged[email].update(answers)
            self.saves += 1

    def retried(self) -> None:
        with self.lock:
            self.retries += 1


class SimulatedGP:
    """One GP with their own browser session and address (a proxy's X-Forwarded-For), who sends each
    request to the next of ``bases`` in turn, so every step of their journey crosses processes."""

    def __init__(self, email: str, password: str, address: str, bases: list[str], ledger: Ledger):
        self.email, self.password, self.bases, self.ledger = email, password, bases, ledger
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address
        self._turn = itertools.count()

    def request(self, method: str, path: str, patience: float = 60, **kwargs) -> requests.Response:
        """Send until a process answers below 500 (a dead process answers nothing); fail after ``patience``."""
        deadline = time.monotonic() + patience
        while True:
            base = self.bases[next(self._turn) % len(self.bases)]
            try:
                answer = self.http.request(method, base + path, allow_redirects=False, timeout=30, **kwargs)
                if answer.status_code < 500:
                    return answer
            except requests.RequestException:
                pass
            self.ledger.retried()
            assert time.monotonic() < deadline, f"{method} {path} got no answer for {patience} s"
            time.sleep(0.2)

    def post_form(self, path: str, data: dict) -> requests.Response:
        """GET the form (for its CSRF token), then POST it; both retried until answered."""
        form = self.request("GET", path)
        assert form.status_code == 200, (path, form.status_code)
        return self.request("POST", path, data={"csrf_token": TOKEN.search(form.text).group(1), **data})

    def sign_in(self) -> None:
        answer = self.post_form("/login", {"email": self.email, "password": self.password})
        assert answer.status_code == 302 and "/login" not in answer.headers["Location"], answer.text[:2000]

    def answer_survey(self, slug: str, sections, think: float = 0.0, pages: int | None = None) -> None:
        """The GP's pages of the baseline (under matrix sampling, only their cases), as the server leads
        them, each save retried until answered; the last one submits. ``pages``: stop after that many.

        A save whose process died after committing but before answering is sent again: it then saves
        the same answers again or, for the last page, finds the survey submitted (a redirect too)."""
        given: dict[str, str] = {}
        for number in range(1, (pages or len(sections)) + 1):
            path = f"/c/{slug}/survey/pre/{number}"
            form = self.request("GET", path)
            assert form.status_code == 200, (path, form.status_code)
            answers: dict[str, str] = {}
            for question in section_on(form.text, sections).questions():  # a question shows once its condition is met
                if is_visible(question, {**given, **answers}):
                    answers[question.id] = valid_answer(question, 1 + number % 5)[0]
            time.sleep(think)
            saved = self.request("POST", path, data={"csrf_token": TOKEN.search(form.text).group(1), **answers})
            assert saved.status_code == 302 and "/login" not in saved.headers["Location"], (number, saved.text[:2000])
            given.update(answers)
            self.ledger.saved(self.email, answers)
            if not saved.headers["Location"].endswith(f"/survey/pre/{number + 1}"):
                return  # submitted

    def ask_for_reset(self) -> None:
        answer = self.post_form("/reset-password", {"email": self.email})
        assert answer.status_code == 302, answer.text[:2000]
        with self.ledger.lock:
            self.ledger.resets.add(self.email)

