"""More than one machine, proven: two app processes (gunicorn) and a job worker (`flask worker`) on one
PostgreSQL and the real Redis, with a real SMTP server. Simulated GPs use both processes in turn while the
worker is SIGKILLed in the middle of a send and one app process is SIGKILLed in the middle of the load;
both come back. Every answer a GP was told was saved is stored once, every email reaches the server once
per outbox row (the one send the dead worker left behind arrives twice, under one Message-ID: see
docs/jobs.md), every job is finished, and sessions and rate limits are shared by the processes.

Three processes write at once, which is PostgreSQL's job: on the SQLite run this module makes a
PostgreSQL database of its own (TEST_DATABASE_URL's server, else the local one) rather than skip.
"""
import asyncio
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import requests
from huey.storage import RedisStorage
from sqlalchemy import func, select

from survey.auth.models import User
from survey.campaigns import services as campaigns
from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.invitations import outbox
from survey.invitations.models import SentMessage
from survey.library import library
from survey.surveys.models import Answer, Response
from tests.app_process import AppProcess
from tests.conftest import _postgres_database, migrate
from tests.factories import PASSWORD, make_campaign, make_user
from tests.simulated_gp import TOKEN, Ledger, SimulatedGP
from tests.smtp import Inbox, serving
from tests.worker import Worker, queue_settings, wait_for

BASE_URL = "http://127.0.0.1"  #: the processes' and the test's, so that both derive the same Message-IDs
SLOW = "slow@example.org"  #: the server accepts this GP's message, then holds its reply while the worker is killed
LEASE_SECONDS = 3  #: MAIL_SENDING_LEASE_SECONDS: a dead worker's send is taken over this long after its claim
GPS = 8


@pytest.fixture(scope="module")
def migrated(database_url, tmp_path_factory):
    """The run's PostgreSQL database, or on the SQLite run one of this module's own."""
    if database_url.startswith("postgresql"):
        yield migrate(database_url, tmp_path_factory.mktemp("instance"))
        return
    url, drop = _postgres_database(os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    try:
        yield migrate(url, tmp_path_factory.mktemp("instance"))
    finally:
        drop()


@pytest.fixture
def config_overrides():
    return {"BASE_URL": BASE_URL}


class HoldingInbox(Inbox):
    """Takes the first message to SLOW, then holds its "250" until released: the window SMTP cannot close,
    in which the server has the message and the worker has not yet recorded it."""

    def __init__(self):
        super().__init__()
        self.holding, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if SLOW in envelope.rcpt_tos and not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():  # cancelled when the worker's connection drops
                await asyncio.sleep(0.05)
        return reply

    def message_ids(self) -> Counter:
        with self._lock:
            return Counter(message["Message-ID"] for message in self.messages)


@pytest.fixture(scope="module")
def stack(migrated, tmp_path_factory):
    """The SMTP server, one worker and two gunicorn processes A and B; every process ends with the module."""
    folder = tmp_path_factory.mktemp("processes")
    with serving(HoldingInbox()) as inbox:
        env = {"SURVEY_ENV": "production", "SECRET_KEY": "multi-process-secret", "BASE_URL": BASE_URL,
               "DATABASE_URL": migrated, "INSTANCE_PATH": str(folder), "SESSION_COOKIE_SECURE": "0",
               "TRUSTED_PROXIES": "1", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
               "RATELIMIT_KEY_PREFIX": f"survey-test-{uuid.uuid4().hex}", "LOGIN_RATE_LIMIT": "10 per day",
               "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port, "MAIL_RETRY_SECONDS": 1,
               "MAIL_SENDING_LEASE_SECONDS": LEASE_SECONDS, **queue_settings()}
        worker = Worker(env, folder / "worker.log")
        apps = [AppProcess(env, folder / f"gunicorn-{name}.log") for name in "AB"]
        try:
            for process in apps:
                process.launch()
            worker.start()
            for process in apps:
                process.wait_until_up()
            yield SimpleNamespace(inbox=inbox, worker=worker, apps=apps, queue=env["JOBS_QUEUE_NAME"])
        finally:
            inbox.release.set()
            for process in apps:
                process.stop()
            worker.stop()
            worker.flush_queue()


def enrolled_gps(count: int, prefix: str = "gp") -> tuple[str, list[str]]:
    """A campaign and ``count`` GPs enrolled in it; returns its slug and their addresses."""
    campaign = make_campaign()
    emails = [f"{prefix}{n}@example.org" for n in range(count)]
    for email in emails:
        campaigns.enrol(make_user(email=email), campaign, research_consent=True)
    db.session.commit()
    return campaign.slug, emails


def baseline_sections():
    return library().instruments["gp-work-health-attitudes"].data.sections_for("pre")


def stored_answers() -> dict[str, dict[str, str]]:
    """Every stored answer, by GP and item (read afresh); an item stored twice for one GP fails."""
    db.session.expire_all()
    rows = db.session.execute(select(User.email, Answer.item_id, Answer.value).join(Enrolment, Enrolment.user_id == User.id)
                              .join(Response, Response.enrolment_id == Enrolment.id)
                              .join(Answer, Answer.response_id == Response.id)).all()
    stored: dict[str, dict[str, str]] = {}
    for email, item, value in rows:
        assert item not in stored.setdefault(email, {}), f"{email} has {item} twice"
        stored[email][item] = value
    return stored


def test_sessions_and_rate_limits_are_shared_by_the_app_processes(app, stack):
    a, b = stack.apps
    slug, [email] = enrolled_gps(1, prefix="session")
    gp = SimulatedGP(email, PASSWORD, "10.0.0.1", [a.base], Ledger())
    gp.sign_in()  # on A
    gp.bases = [b.base]
    gp.answer_survey(slug, baseline_sections(), pages=1)  # on B, signed in by A
    assert set(stored_answers()[email]) == set(gp.ledger.acknowledged[email])
    page = gp.request("GET", f"/c/{slug}/survey/pre/2").text
    assert gp.request("POST", "/logout", data={"csrf_token": TOKEN.search(page).group(1)}).status_code == 302  # on B
    gp.bases = [a.base]
    assert "/login" in gp.request("GET", f"/c/{slug}/survey/pre/2").headers["Location"]  # A knows it has ended

    guesser = SimulatedGP("nobody@example.org", "guess-number-1", "10.0.0.2", [a.base, b.base], Ledger())
    statuses = [guesser.post_form("/login", {"email": f"nobody{n}@example.org", "password": "guess-number-1"})
                .status_code for n in range(12)]  # one address, alternately on A and B
    assert statuses == [200] * 10 + [429] * 2  # 10 a day in all, not 10 per process


def test_answers_and_emails_survive_killing_the_worker_and_an_app_process(app, stack):
    a, b = stack.apps
    slug, emails = enrolled_gps(GPS)
    make_user(email=SLOW)
    sections, ledger = baseline_sections(), Ledger()
    gps = [SimulatedGP(email, PASSWORD, f"10.1.{n}.1", [a.base, b.base], ledger) for n, email in enumerate(emails)]

    def journey(gp: SimulatedGP) -> None:
        gp.sign_in()
        gp.answer_survey(slug, sections, think=0.3)
        gp.ask_for_reset()

    with ThreadPoolExecutor(GPS) as pool:
        running = [pool.submit(journey, gp) for gp in gps]
        # The worker dies in the middle of a job: the server has the message, the worker has not recorded it.
        SimulatedGP(SLOW, PASSWORD, "10.2.0.1", [b.base], ledger).ask_for_reset()
        wait_for(stack.inbox.holding.is_set, seconds=30, what="the slow send")
        stack.worker.kill()
        worker_killed_at = time.monotonic()
        stack.inbox.release.set()
        # One app process dies in the middle of the load, and comes back.
        wait_for(lambda: ledger.saves >= GPS * len(sections) // 4, what="a quarter of the saves")
        assert not any(future.done() for future in running), "the load must still be running"
        a.kill()
        time.sleep(1)
        a.launch()
        # The worker comes back once the dead one's claim has lapsed (its start-up sweep takes the send over).
        time.sleep(max(0.0, worker_killed_at + LEASE_SECONDS + 0.5 - time.monotonic()))
        stack.worker.start()
        a.wait_until_up()
        for future in running:
            future.result()

    assert ledger.retries > 0, "some requests must have met the dead process"
    assert stored_answers() == {email: ledger.acknowledged[email] for email in emails}
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.submitted_at.is_not(None))) == GPS

    wait_for(lambda: all_sent(len(ledger.resets)), seconds=30, what="every reset email's delivery")
    queue = RedisStorage(stack.queue, url="redis://127.0.0.1:6379/0")
    wait_for(lambda: queue.queue_size() == 0, seconds=10, what="an empty queue")
    time.sleep(1)  # nothing arrives late
    ids = {outbox.message_id(row.key) for row in outbox_rows()}
    to_slow = stack.inbox.to(SLOW)
    assert len(to_slow) == 2 and to_slow[0]["Message-ID"] == to_slow[1]["Message-ID"]  # sent again, as the same message
    assert stack.inbox.message_ids() == Counter({**dict.fromkeys(ids, 1), to_slow[0]["Message-ID"]: 2})
    assert sorted(message["To"] for message in stack.inbox.messages) == sorted([*ledger.resets, SLOW])


def all_sent(count: int) -> bool:
    rows = outbox_rows()
    return len(rows) == count and all(row.status == "sent" for row in rows)


def outbox_rows() -> list[SentMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(SentMessage).order_by(SentMessage.id)))
