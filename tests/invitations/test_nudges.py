""""Remind those who stopped": the educator sees how many, then one reminder goes to each GP part-way."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey import clock
from survey.campaigns.models import Campaign
from survey.extensions import db
from survey.invitations import services
from tests.campaigns.helpers import create_campaign, join_form
from tests.factories import PASSWORD, make_user
from tests.smtp import config_overrides, run_send_reminders, smtp_server  # noqa: F401


@pytest.fixture
def educator(client):
    user = make_user("educator")
    client.login(user.email, PASSWORD)
    return user


def _join(make_client, email: str) -> None:
    gp = make_client()
    gp.login(make_user(email=email).email, PASSWORD)
    assert gp.post(f"/join/{db.session.scalar(select(Campaign.enrolment_code))}", join_form()).status_code == 302


def _later(monkeypatch, **delta) -> None:
    moved = clock.now() + timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moved)


def test_the_count_is_shown_first_and_one_reminder_goes_to_each_except_the_unsubscribed(
        app, client, educator, make_client, smtp_server, monkeypatch):
    slug = create_campaign(client, reminder_days="7")
    _join(make_client, "stalled@example.org")
    _join(make_client, "quiet@example.org")
    services.opt_out("quiet@example.org")
    db.session.commit()
    url = f"/manage/campaigns/{slug}/remind"
    assert f'href="{url}"' in client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)

    page = client.get(url).get_data(as_text=True)
    assert "1 GP will be reminded." in page and "Send 1 reminder" in page
    assert smtp_server.messages == []  # looking sends nothing
    sent = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Sending a reminder to 1 GP(s)." in sent
    assert [m["To"] for m in smtp_server.messages] == ["stalled@example.org"]
    assert "Your next step: Answer the baseline survey" in smtp_server.body(smtp_server.messages[0])

    assert "Nobody to remind now." in client.get(url).get_data(as_text=True)  # reminded in the last 7 days
    client.post(url)
    assert len(smtp_server.messages) == 1
    _later(monkeypatch, days=8)
    client.login(educator.email, PASSWORD)  # the clock moved past the idle timeout
    assert "1 GP will be reminded." in client.get(url).get_data(as_text=True)


def test_a_failed_reminder_is_retried_but_not_once_the_gp_unsubscribed(app, client, educator, make_client, smtp_server,
                                                                        monkeypatch):
    slug = create_campaign(client, reminder_days="7")
    _join(make_client, "ada@example.org")
    _join(make_client, "bob@example.org")
    app.config["MAIL_PORT"] = 1  # nothing listens there
    client.post(f"/manage/campaigns/{slug}/remind")
    assert smtp_server.messages == []
    app.config["MAIL_PORT"] = smtp_server.port
    services.opt_out("bob@example.org")
    db.session.commit()
    _later(monkeypatch, seconds=app.config["MAIL_RETRY_SECONDS"])
    assert "Sent 1" in run_send_reminders(app)
    assert [m["To"] for m in smtp_server.messages] == ["ada@example.org"]
    assert "Sent 0" in run_send_reminders(app)


def test_a_closed_campaign_reminds_no_one(app, client, educator, make_client, smtp_server):
    slug = create_campaign(client)
    _join(make_client, "ada@example.org")
    client.post(f"/manage/campaigns/{slug}/close")
    page = client.get(f"/manage/campaigns/{slug}/remind").get_data(as_text=True)
    assert "The campaign is closed, so no reminders are sent." in page and "Send 1 reminder" not in page
    client.post(f"/manage/campaigns/{slug}/remind")
    assert smtp_server.messages == []
