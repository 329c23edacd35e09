"""Invitations from a CSV list, personal links, reminders and follow-ups sent once, unsubscribing.

Mail goes through a real SMTP server (aiosmtpd) on a loopback port."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import clock
from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.extensions import db
from survey.invitations import outbox
from survey.invitations.messages import Message
from survey.invitations.models import Invitation, SentMessage
from tests.campaigns.helpers import confirm, create_campaign, create_cohort, join_form, upload
from tests import journey
from tests.factories import PASSWORD, make_user
from tests.smtp import config_overrides, run_send_reminders, run_send_reminders_at_once, smtp_server  # noqa: F401

LIST = ("name,email\n"
        "Dr Ada Lovelace,ada@example.org\n"
        "Dr No Email,\n"
        ",nameless@example.org\n"
        "Dr Typo,ada(at)example.org\n"
        "Dr Ada Again,ADA@example.org\n"
        "\"=HYPERLINK(\"\"http://x\"\")\",formula@example.org\n")


@pytest.fixture
def educator_client(client):
    client.login(make_user("educator").email, PASSWORD)
    return client


def test_a_list_is_previewed_with_rejected_rows_then_sent_one_link_each(app, educator_client, smtp_server):
    slug = create_campaign(educator_client)
    cohort_id = create_cohort(educator_client, slug, "Mersey VTS")
    page = upload(educator_client, slug, LIST, cohort_id)
    assert "2 people will be invited; 4 rows rejected." in page
    for reason in ("The email address is missing.", "The name is missing.", "The email address is not valid.",
                   "The email address repeats line 2."):
        assert reason in page
    assert "=HYPERLINK(&#34;http://x&#34;)" in page and "(kept as text)" in page
    assert smtp_server.messages == []  # nothing is sent before confirming

    response = confirm(educator_client, slug, page, cohort_id)
    assert response.status_code == 302
    assert {m["To"] for m in smtp_server.messages} == {"ada@example.org", "formula@example.org"}
    body = smtp_server.body(smtp_server.to("ada@example.org")[0])
    assert "Dear Dr Ada Lovelace" in body and "Mersey VTS" in body
    assert re.search(r"http://localhost/invite/\S+", body) and re.search(r"http://localhost/unsubscribe/\S+", body)
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "formula@example.org"))
    assert invitation.name == '=HYPERLINK("http://x")' and invitation.cohort_id == cohort_id

    again = upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n", cohort_id)
    assert "Already invited to this campaign." in again and "0 people will be invited" in again


def test_the_personal_link_prefills_registration_and_enrols_into_the_cohort(app, educator_client, smtp_server, make_client):
    slug = create_campaign(educator_client)
    cohort_id = create_cohort(educator_client, slug, "Mersey VTS")
    confirm(educator_client, slug, upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n", cohort_id), cohort_id)
    link = re.search(r"http://localhost(/invite/\S+)", smtp_server.body(smtp_server.messages[0])).group(1)

    gp = make_client()
    followed = gp.get(link)
    cohort = db.session.get(Cohort, cohort_id)
    assert followed.headers["Location"].endswith(f"/join/{cohort.enrolment_code}")
    register = gp.get("/register").get_data(as_text=True)
    assert 'value="Dr Ada Lovelace"' in register and 'value="ada@example.org"' in register
    journey.register(gp, {"name": "Dr Ada Lovelace", "email": "ada@example.org", "gmc_number": "7654321",
                          "password": PASSWORD, "confirm": PASSWORD}, inbox=smtp_server)
    assert gp.post(f"/join/{cohort.enrolment_code}", join_form()).status_code == 302
    enrolment = db.session.scalar(select(Enrolment))
    invitation = db.session.scalar(select(Invitation))
    assert enrolment.cohort_id == cohort_id
    assert invitation.accepted_at is not None and invitation.enrolment_id == enrolment.id
    assert gp.get("/invite/not-a-real-token").status_code == 404


def test_a_reminder_goes_once_even_when_run_at_once_or_twice(app, educator_client, smtp_server, make_client, monkeypatch,
                                                             capsys):
    create_campaign(educator_client, reminder_days="3")
    code = db.session.scalar(select(Campaign.enrolment_code))
    gp = make_client()
    gp.login(make_user(email="slow@example.org").email, PASSWORD)
    gp.post(f"/join/{code}", join_form())

    assert "Sent 0" in run_send_reminders(app)  # nothing is due yet
    later = clock.now() + timedelta(days=4)
    monkeypatch.setattr(clock, "now", lambda: later)
    capsys.readouterr()
    run_send_reminders_at_once(app)
    printed = capsys.readouterr().out
    assert printed.count("Sent 1,") == 1 and printed.count("Sent 0,") == 1, printed
    assert "Sent 0" in run_send_reminders(app)
    reminders = smtp_server.to("slow@example.org")
    assert len(reminders) == 1
    assert "Your next step: Answer the baseline survey" in smtp_server.body(reminders[0])
    assert db.session.scalar(select(func.count()).select_from(SentMessage)) == 1


def test_the_database_refuses_a_second_send_of_the_same_message(app, smtp_server):
    message = Message(key="reminder:test", kind="reminder", to="a@example.org", subject="Hi", body="Hello")
    assert outbox.deliver([message, message]) == outbox.Delivery(sent=1, skipped=1)
    assert len(smtp_server.messages) == 1


def test_unsubscribing_works_without_signing_in_and_is_honoured(app, educator_client, smtp_server, make_client, monkeypatch):
    slug = create_campaign(educator_client, reminder_days="1")
    confirm(educator_client, slug, upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n"))
    link = re.search(r"http://localhost(/unsubscribe/\S+)", smtp_server.body(smtp_server.messages[0])).group(1)

    stranger = make_client()
    assert "Stop all invitations and reminders" in stranger.get(link).get_data(as_text=True)
    assert "You will get no more" in stranger.post(link).get_data(as_text=True)
    assert stranger.get(link[:-3] + "xyz").status_code == 404  # a forged token
    again = upload(educator_client, slug, "name,email\nDr Ada Lovelace,Ada@example.org\n")
    assert "This person asked us not to email them." in again

    gp = make_client()  # she joins anyway with the campaign code: still no reminders
    gp.login(make_user(email="ada@example.org").email, PASSWORD)
    gp.post(f"/join/{db.session.scalar(select(Campaign.enrolment_code))}", join_form())
    later = clock.now() + timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    run_send_reminders(app)
    assert len(smtp_server.to("ada@example.org")) == 1  # only the first invitation


def test_an_invitation_that_could_not_be_sent_goes_with_a_later_run(app, educator_client, smtp_server, monkeypatch):
    slug = create_campaign(educator_client)
    app.config["MAIL_PORT"] = 1  # nothing listens there
    page = upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n")
    sent = educator_client.get(confirm(educator_client, slug, page).headers["Location"]).get_data(as_text=True)
    assert "Sending 1 invitation(s)." in sent and "Not sent: attempt 1 of 8 failed (the mail server could not be reached (Connection refused))" in sent
    assert smtp_server.messages == []
    app.config["MAIL_PORT"] = smtp_server.port
    assert "Sent 0" in run_send_reminders(app)  # its next attempt is not due yet (backoff)
    later = clock.now() + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "Sent 1" in run_send_reminders(app)
    assert "/invite/" in smtp_server.body(smtp_server.to("ada@example.org")[0])
