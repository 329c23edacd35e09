"""Delivery through the outbox against a real SMTP server that refuses some recipients: nothing is
recorded as sent before the server accepted it, one bad message never stops a run, and failures are
recorded, retried with exponential backoff up to a limit, and shown to the educator."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from survey import clock
from survey.auth.models import User
from survey.campaigns.models import Campaign
from survey.extensions import db
from survey.invitations import outbox
from survey.invitations.messages import Message
from survey.invitations.models import SentMessage
from tests.campaigns.helpers import confirm, create_campaign, join_form, upload
from tests.factories import PASSWORD, make_user
from tests.smtp import config_overrides, smtp_server  # noqa: F401


def message(key: str, to: str, subject: str = "Hello") -> Message:
    return Message(key=key, kind="reminder", to=to, subject=subject, body="Hello")


def row(key: str) -> SentMessage:
    db.session.expire_all()
    return db.session.scalar(select(SentMessage).where(SentMessage.key == key))


@pytest.fixture
def moving_clock(monkeypatch):
    """Move ``survey.clock.now`` forward by a number of seconds."""
    state = {"now": clock.now()}
    monkeypatch.setattr(clock, "now", lambda: state["now"])

    def forward(seconds: float):
        state["now"] += timedelta(seconds=seconds)
    return forward


def test_a_bad_message_is_recorded_and_the_run_goes_on(app, smtp_server):
    smtp_server.refused.add("closed@example.org")
    messages = [message("m:1", "closed@example.org"), message("m:2", "a@example.org", "Title\r\nBcc: x@example.org"),
                message("m:3", "ok@example.org")]
    assert outbox.deliver(messages) == outbox.Delivery(sent=1, failed=2)
    assert [m["To"] for m in smtp_server.messages] == ["ok@example.org"]
    refused, header = row("m:1"), row("m:2")
    assert refused.status == "retry" and refused.attempts == 1 and refused.sent_at is None
    assert refused.last_error == "the mail server refused the address (550 5.1.1 Mailbox unavailable)"
    assert "could not be built (ValueError" in header.last_error  # the standard library refuses CR/LF in a header
    assert row("m:3").status == "sent" and row("m:3").sent_at is not None and row("m:3").attempts == 1


def test_nothing_is_recorded_as_sent_while_the_server_has_not_accepted_it(app, smtp_server, monkeypatch):
    """Read the outbox from another connection at the moment of sending: the row says "sending", not sent."""
    seen = []
    real = outbox.send_mail

    def observed(*args):
        with db.engine.connect() as other:
            seen.append(other.execute(text("SELECT status, sent_at FROM sent_messages")).one())
        real(*args)
    monkeypatch.setattr(outbox, "send_mail", observed)
    outbox.deliver([message("m:1", "ok@example.org")])
    assert seen == [("sending", None)]
    assert row("m:1").status == "sent"


def test_failures_are_retried_with_doubling_delays_then_given_up(app, smtp_server, moving_clock):
    app.config.update(MAIL_RETRY_SECONDS=600, MAIL_MAX_ATTEMPTS=4)
    smtp_server.refused.add("closed@example.org")
    bad = [message("m:1", "closed@example.org")]
    start = clock.now()
    outbox.deliver(bad)
    assert row("m:1").next_attempt_at == start + timedelta(seconds=600)
    assert outbox.deliver(bad) == outbox.Delivery(skipped=1)  # not due yet: the server is not hammered
    delays = []
    for _ in range(3):
        moving_clock((row("m:1").next_attempt_at - clock.now()).total_seconds())
        before = clock.now()
        assert outbox.deliver(bad) == outbox.Delivery(failed=1)
        if row("m:1").next_attempt_at:
            delays.append((row("m:1").next_attempt_at - before).total_seconds())
    assert delays == [1200, 2400]
    given_up = row("m:1")
    assert given_up.status == "failed" and given_up.attempts == 4 and given_up.next_attempt_at is None
    moving_clock(10**7)
    assert outbox.deliver(bad) == outbox.Delivery(skipped=1)
    assert smtp_server.messages == []


def test_a_message_whose_run_died_while_sending_is_taken_over_after_the_lease(app, smtp_server, moving_clock):
    db.session.add(SentMessage(key="m:1", kind="reminder", status="sending", attempts=0, claimed_at=clock.now()))
    db.session.commit()
    assert outbox.deliver([message("m:1", "ok@example.org")]) == outbox.Delivery(skipped=1)  # another run holds it
    moving_clock(31 * 60)
    assert outbox.deliver([message("m:1", "ok@example.org")]) == outbox.Delivery(sent=1)
    assert row("m:1").status == "sent"


def test_a_message_sent_again_after_its_run_died_keeps_its_message_id(app, smtp_server, moving_clock):
    """The run died after the server took the message and before it was recorded: the copy sent after the
    lease is the same message to the recipient's systems, not a new one."""
    outbox.deliver([message("m:1", "ok@example.org"), message("m:2", "ok@example.org")])
    db.session.execute(update(SentMessage).where(SentMessage.key == "m:1")
                       .values(status="sending", claimed_at=clock.now(), sent_at=None))
    db.session.commit()
    moving_clock(31 * 60)
    assert outbox.deliver([message("m:1", "ok@example.org")]) == outbox.Delivery(sent=1)
    first, second, again = (m["Message-ID"] for m in smtp_server.messages)
    assert first == again != second
    assert first == outbox.message_id("m:1") and first.endswith("@localhost>") and "m:1" not in first


@pytest.fixture
def educator_client(client):
    client.login(make_user("educator").email, PASSWORD)
    return client


def test_a_campaign_title_with_a_line_break_no_longer_loses_invitations(app, educator_client, smtp_server):
    """The issue's attack: a title stored with CR/LF (before the forms refused it) broke every send."""
    slug = create_campaign(educator_client)
    db.session.execute(update(Campaign).values(title="Cancer and work\r\nBcc: victim@example.org"))
    db.session.commit()
    smtp_server.refused.add("closed@example.org")
    page = upload(educator_client, slug, "name,email\nDr Ada,ada@example.org\nDr Closed,closed@example.org\n"
                                         "Dr Bob,bob@example.org\n")
    response = confirm(educator_client, slug, page)
    assert response.status_code == 302
    assert sorted(m["To"] for m in smtp_server.messages) == ["ada@example.org", "bob@example.org"]
    assert all(m["Subject"] == "Invitation: Cancer and work Bcc: victim@example.org" and m["Bcc"] is None
               for m in smtp_server.messages)
    shown = educator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sending 3 invitation(s)." in shown
    assert "Not sent: attempt 1 of 8 failed (the mail server refused the address (550 5.1.1" in shown
    assert "Not sent: attempt 1 of 8 failed (the mail server refused the address (550" in shown and "Next attempt" in shown
    assert shown.count("<td>Sent ") == 2


def test_send_reminders_sends_the_rest_records_the_failure_and_the_educator_sees_it(app, educator_client, smtp_server,
                                                                                      make_client, moving_clock):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    slug = create_campaign(educator_client, reminder_days="3")
    code = db.session.scalar(select(Campaign.enrolment_code))
    for email in ("closed@example.org", "open@example.org"):
        gp = make_client()
        gp.login(make_user(email=email).email, PASSWORD)
        gp.post(f"/join/{code}", join_form())
    smtp_server.refused.add("closed@example.org")
    moving_clock(4 * 86400)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 1 and "Sent 1, already sent or not due 0, failed 1." in result.output
    assert [m["To"] for m in smtp_server.messages] == ["open@example.org"]
    # Four days on, the educator's session has ended (idle timeout): they sign in again.
    educator_client.login(db.session.scalar(select(User.email).where(User.role == "educator")), PASSWORD)
    page = educator_client.get(f"/manage/campaigns/{slug}/invitations").get_data(as_text=True)
    assert "Reminders and follow-ups not delivered" in page and "attempt 1 of 2 failed" in page
    assert "closed@example.org" not in page  # the educator sees the participant code, not the address

    moving_clock(app.config["MAIL_RETRY_SECONDS"])
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Sent 0, already sent or not due 0, failed 1." in result.output  # the sent one is no longer due
    page = educator_client.get(f"/manage/campaigns/{slug}/invitations").get_data(as_text=True)
    assert "Not sent: gave up after 2 attempts (the mail server refused the address" in page
    moving_clock(10**6)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "failed 0" in result.output
    assert len(smtp_server.messages) == 1


def test_a_message_that_cannot_be_composed_does_not_stop_the_others(app, educator_client, smtp_server, make_client,
                                                                     moving_clock, monkeypatch):
    from survey.invitations import reminders

    create_campaign(educator_client, reminder_days="3")
    code = db.session.scalar(select(Campaign.enrolment_code))
    for email in ("broken@example.org", "fine@example.org"):
        gp = make_client()
        gp.login(make_user(email=email).email, PASSWORD)
        gp.post(f"/join/{code}", join_form())
    real = reminders.enrolled_message

    def enrolled_message(enrolment, *args):
        if enrolment.user.email == "broken@example.org":
            raise KeyError("a module no longer in the library")
        return real(enrolment, *args)
    monkeypatch.setattr(reminders, "enrolled_message", enrolled_message)
    moving_clock(4 * 86400)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "Sent 1," in result.output
    assert [m["To"] for m in smtp_server.messages] == ["fine@example.org"]
