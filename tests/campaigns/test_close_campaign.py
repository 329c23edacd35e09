"""Closing a campaign asks first, stops enrolment and every campaign email, and can be undone by reopening."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import clock
from survey.audit.models import AuditEvent
from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.invitations.models import Invitation
from tests.campaigns.helpers import confirm, create_campaign, join_form, upload
from tests.factories import PASSWORD, make_user
from tests.smtp import config_overrides, run_send_reminders, smtp_server  # noqa: F401


@pytest.fixture
def educator(client):
    user = make_user("educator")
    client.login(user.email, PASSWORD)
    return user


@pytest.fixture
def educator_client(client, educator):
    return client


def _campaign() -> Campaign:
    return db.session.scalar(select(Campaign))


def _join(make_client, email: str) -> None:
    gp = make_client()
    gp.login(make_user(email=email).email, PASSWORD)
    assert gp.post(f"/join/{_campaign().enrolment_code}", join_form()).status_code == 302


def test_closing_asks_first_and_says_what_it_does(educator_client):
    slug = create_campaign(educator_client)
    page = educator_client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert f'href="/manage/campaigns/{slug}/close"' in page  # a link to the confirmation, not a one-click form
    confirmation = educator_client.get(f"/manage/campaigns/{slug}/close").get_data(as_text=True)
    for promise in ("No one new can join", "no invitations", "no reminders", "GPs already enrolled can still finish",
                    "You can reopen the campaign"):
        assert promise in confirmation
    assert _campaign().closed_at is None  # looking at the question closes nothing


def test_a_closed_campaign_says_so_and_reopening_is_audited(educator_client, make_client):
    slug = create_campaign(educator_client)
    assert "open now to no end date" in educator_client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    educator_client.post(f"/manage/campaigns/{slug}/close")
    page = educator_client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert f"Closed on {clock.uk_today():%-d %B %Y}" in page and "no end date" not in page
    assert "Invite GPs" not in page and "Reopen the campaign" in page

    assert educator_client.post(f"/manage/campaigns/{slug}/reopen").status_code == 302
    assert _campaign().closed_at is None
    assert "open now to no end date" in educator_client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["campaign.close", "campaign.reopen"]
    _join(make_client, "after@example.org")  # open again: GPs can join
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_a_closed_campaign_refuses_invitations_with_a_message(educator_client, smtp_server):
    slug = create_campaign(educator_client)
    preview = upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n")
    educator_client.post(f"/manage/campaigns/{slug}/close")  # closed while the preview was open

    refused = educator_client.get(confirm(educator_client, slug, preview).headers["Location"]).get_data(as_text=True)
    assert "This campaign is closed, so no one can be invited" in refused
    assert 'type="file"' not in refused  # no upload form either
    again = educator_client.post(f"/manage/campaigns/{slug}/invitations", data={}, follow_redirects=True)
    assert "This campaign is closed, so no one can be invited" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert smtp_server.messages == []


def test_a_closed_campaign_sends_nothing_until_it_is_reopened(app, educator, educator_client, smtp_server, make_client, monkeypatch):
    slug = create_campaign(educator_client, reminder_days="3")
    _join(make_client, "slow@example.org")  # will be due a reminder
    app.config["MAIL_PORT"] = 1  # the invitation fails now and waits for a later attempt
    confirm(educator_client, slug, upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n"))
    app.config["MAIL_PORT"] = smtp_server.port
    educator_client.post(f"/manage/campaigns/{slug}/close")

    later = clock.now() + timedelta(days=4)  # the reminder and the invitation's retry are both due
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "Sent 0" in run_send_reminders(app)
    assert smtp_server.messages == []

    educator_client.login(educator.email, PASSWORD)  # the clock moved past the idle timeout
    educator_client.post(f"/manage/campaigns/{slug}/reopen")
    assert "Sent 2" in run_send_reminders(app)
    assert {m["To"] for m in smtp_server.messages} == {"slow@example.org", "ada@example.org"}
