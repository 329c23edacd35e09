"""Email through the job queue with a real worker (`flask worker`, its own process), the real Redis and a
real SMTP server: sent once, retried after a failure, and finished once after the worker is killed mid-send."""
import asyncio
import time

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.invitations.models import SentMessage
from tests.campaigns.helpers import confirm, create_campaign, upload
from tests.factories import PASSWORD, make_user
from tests.smtp import smtp_server  # noqa: F401
from tests.worker import Worker, app_env, queue_settings, wait_for


class FlakyInbox:
    """Makes the SMTP fixture misbehave once: answer the first message 451, or stall its first recipient."""

    def __init__(self, inbox):
        self.inbox = inbox
        self.stalled = False
        self._data, self._rcpt = inbox.handle_DATA, inbox.handle_RCPT

    def fail_first_message(self):
        async def handle_data(server, session, envelope):
            self.inbox.handle_DATA = self._data
            return "451 4.3.0 Try again later"

        self.inbox.handle_DATA = handle_data

    def stall_first_recipient(self, seconds: float):
        async def handle_rcpt(server, session, envelope, address, options):
            self.inbox.handle_RCPT = self._rcpt
            self.stalled = True
            await asyncio.sleep(seconds)
            return await self._rcpt(server, session, envelope, address, options)

        self.inbox.handle_RCPT = handle_rcpt


@pytest.fixture
def config_overrides(smtp_server):
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
            "BASE_URL": "http://localhost", "MAIL_RETRY_SECONDS": 1, "MAIL_SENDING_LEASE_SECONDS": 2,
            **queue_settings()}


@pytest.fixture
def worker(app, migrated, tmp_path):
    jobs = Worker(app_env(app, migrated), tmp_path / "worker.log").start()
    yield jobs
    jobs.stop()
    jobs.flush_queue()


def outbox_rows() -> list[SentMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(SentMessage).order_by(SentMessage.id)))


def request_reset(client, email: str) -> None:
    assert client.post("/reset-password", {"email": email}).status_code == 302


def test_an_invitation_is_sent_once_by_the_worker(app, client, smtp_server, worker, tmp_path):
    client.login(make_user("educator").email, PASSWORD)
    slug = create_campaign(client)
    page = upload(client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n")
    assert confirm(client, slug, page).status_code == 302
    wait_for(lambda: smtp_server.to("ada@example.org"), what="the invitation's delivery")
    time.sleep(3)  # the worker's start-up sweep and later jobs must not send it again
    assert len(smtp_server.to("ada@example.org")) == 1
    [row] = outbox_rows()
    assert (row.key, row.status, row.attempts) == (f"invitation:{row.invitation_id}", "sent", 1)


def test_a_failing_send_is_retried_then_sent(app, client, smtp_server, worker):
    gp = make_user(email="gp@example.org")
    FlakyInbox(smtp_server).fail_first_message()
    request_reset(client, gp.email)
    wait_for(lambda: smtp_server.to(gp.email), what="the reset email after a retry")
    # The mail server has the message a moment before the worker records it as sent.
    wait_for(lambda: [r.status for r in outbox_rows()] == ["sent"], seconds=10, what="the sent message's record")
    [row] = outbox_rows()
    assert (row.kind, row.status, row.attempts, row.last_error) == (
        "reset", "sent", 2, "the mail server answered 451 4.3.0 Try again later")
    assert row.body is None and row.recipient is None  # the reset link is not kept once sent
    assert "/reset-password/" in smtp_server.body(smtp_server.to(gp.email)[0])


def test_a_worker_killed_mid_send_finishes_after_restart_without_a_duplicate(app, client, smtp_server, worker):
    gp = make_user(email="gp@example.org")
    flaky = FlakyInbox(smtp_server)
    flaky.stall_first_recipient(seconds=8)
    request_reset(client, gp.email)
    wait_for(lambda: flaky.stalled and [r for r in outbox_rows() if r.status == "sending"], what="the send")
    worker.kill()  # SIGKILL while the mail server has not accepted the message
    assert smtp_server.messages == [] and outbox_rows()[0].status == "sending"
    time.sleep(2.5)  # past MAIL_SENDING_LEASE_SECONDS: the dead worker's claim has lapsed
    worker.start()
    wait_for(lambda: smtp_server.to(gp.email), what="the reset email after the restart")
    time.sleep(9)  # the stalled session of the dead worker has ended by now and sent nothing
    assert len(smtp_server.to(gp.email)) == 1
    [row] = outbox_rows()
    assert (row.status, row.attempts) == ("sent", 1)
