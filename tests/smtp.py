"""A real SMTP server on a free loopback port (aiosmtpd), collecting what the app sends."""
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.worker import free_port


class Inbox:
    """aiosmtpd handler: every message received, parsed."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.port = 0
        self.refused: set[str] = set()  #: addresses the server answers 550, as a real one does for a closed mailbox
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def body(self, message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()


@contextmanager
def serving(inbox: Inbox):
    """``inbox`` (an Inbox or a subclass) answering SMTP on a free loopback port until the block ends."""
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    with serving(Inbox()) as inbox:
        yield inbox


@pytest.fixture
def config_overrides(smtp_server):
    """The app sends through the local SMTP server; links in emails use the test host."""
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
            "BASE_URL": "http://localhost"}


def run_send_reminders(app) -> str:
    """`flask send-reminders` as cron runs it; returns what it printed."""
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def run_send_reminders_at_once(app, runs: int = 2) -> None:
    """The real command started from several threads at the same moment (two overlapping cron jobs)."""
    from flask.cli import ScriptInfo

    from survey.invitations.commands import send_reminders

    def run():
        send_reminders.main(args=[], standalone_mode=False, obj=ScriptInfo(create_app=lambda: app))

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
