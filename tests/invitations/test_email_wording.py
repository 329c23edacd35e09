"""Educators edit and preview the wording of their campaign's emails; the fixed frame (personal link,
unsubscribe link, sender, why the GP gets it, campaign title) always stays; what is sent is what was
previewed, and an invitation keeps the wording it was queued with.

Mail goes through a real SMTP server (aiosmtpd) on a loopback port, through the job queue."""
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import clock
from survey.audit.models import AuditEvent
from survey.campaigns.models import Campaign
from survey.extensions import db
from survey.invitations.models import CampaignEmailText
from survey.invitations.wording import KINDS, fill, placeholder_problem
from tests.campaigns.helpers import confirm, create_campaign, join_form, upload
from tests.factories import PASSWORD, make_user
from tests.smtp import config_overrides, run_send_reminders, smtp_server  # noqa: F401

TITLE = "Cancer and work 2027"
INJECTION = "Hello {name}. {{ config }} {% for x in range(3) %}loop{% endfor %} {{ 7*7 }}"


@pytest.fixture
def educator_client(client):
    client.login(make_user("educator").email, PASSWORD)
    return client


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _text(inbox, message) -> str:
    """A received email's text with plain newlines (SMTP carries CRLF)."""
    return inbox.body(message).replace("\r\n", "\n")


def _edit(client, slug: str, kind: str, action: str, subject: str, text: str):
    return client.post(f"/manage/campaigns/{slug}/emails/{kind}", {"subject": subject, "text": text, "action": action})


def test_only_known_placeholders_are_filled_and_template_code_stays_as_typed():
    filled = fill(INJECTION, {"name": "Dr Ada"})
    assert filled == "Hello Dr Ada. {{ config }} {% for x in range(3) %}loop{% endfor %} {{ 7*7 }}"
    assert placeholder_problem(INJECTION, "invitation") is None
    assert "{frist_name} is not a placeholder" in placeholder_problem("Dear {frist_name}", "invitation")
    assert "{next_step}" in placeholder_problem("{next_step}", "invitation")  # reminders only


def test_the_preview_shows_the_typed_text_inside_the_fixed_frame_without_saving(app, educator_client):
    slug = create_campaign(educator_client)
    assert f'href="/manage/campaigns/{slug}/emails"' in _page(educator_client.get(f"/manage/campaigns/{slug}"))
    invite_page = _page(educator_client.get(f"/manage/campaigns/{slug}/invitations"))
    assert f'href="/manage/campaigns/{slug}/emails/invitation"' in invite_page  # before any invitation is sent
    page = _page(educator_client.get(f"/manage/campaigns/{slug}/emails/invitation"))
    assert f"Invitation: {TITLE}" in page and 'You are invited to take part in "' + TITLE in page

    page = _page(_edit(educator_client, slug, "invitation", "preview", "Join us {name}", INJECTION))
    preview = page[page.index("<h2>Preview</h2>"):]
    assert f"Join us Dr Sam Patel: {TITLE}" in preview
    assert "Dear Dr Sam Patel,\n\nHello Dr Sam Patel. {{ config }} {% for x in range(3) %}loop{% endfor %} {{ 7*7 }}" in preview
    assert "49" not in preview and "looploop" not in preview and "SECRET_KEY" not in page
    assert re.search(r"Your personal link \(it works for you only\):\nhttp://localhost/invite/\S+", preview)
    assert re.search(r"To receive no more emails from us: http://localhost/unsubscribe/\S+", preview)
    assert "Work & Health Learning <no-reply@localhost>" in preview
    assert f'You get this email because the organisers of "{TITLE}" invited you to take part.' in preview
    assert db.session.scalar(select(func.count()).select_from(CampaignEmailText)) == 0  # a preview saves nothing
    assert "Standard wording" in _page(educator_client.get(f"/manage/campaigns/{slug}/emails"))


def test_bad_wording_is_refused_with_the_error_summary_and_what_was_typed_is_kept(app, educator_client):
    slug = create_campaign(educator_client)
    response = _edit(educator_client, slug, "reminder", "save", "  ", "Dear {frist_name}, carry on: {next_step}")
    page = _page(response)
    assert response.status_code == 422
    assert "There is a problem" in page and "Subject: Write the subject." in page
    assert "{frist_name} is not a placeholder this email knows. Use {name}, {campaign}, {next_step}" in page
    assert re.search(r'name="text"[^>]*>\s*Dear \{frist_name\}, carry on: \{next_step\}</textarea>', page)
    long = _edit(educator_client, slug, "reminder", "save", "A reminder", "x" * 2001)
    assert long.status_code == 422 and "Keep the text to 2,000 characters or fewer." in _page(long)
    assert db.session.scalar(select(func.count()).select_from(CampaignEmailText)) == 0


def test_a_saved_invitation_is_sent_as_previewed_with_its_link_and_unsubscribe_and_is_audited(
        app, educator_client, smtp_server):
    slug = create_campaign(educator_client)
    preview = _page(_edit(educator_client, slug, "invitation", "preview", "Join us", INJECTION))
    preview_body = re.search(r'<pre class="email-preview">(.*?)</pre>', preview, re.S).group(1)
    saved = _edit(educator_client, slug, "invitation", "save", "Join us", INJECTION)
    assert saved.status_code == 302
    assert "Edited" in _page(educator_client.get(f"/manage/campaigns/{slug}/emails"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "emails.edit"))
    assert event.target == f"campaign:{slug}" and event.detail["kind"] == "invitation"

    confirm(educator_client, slug, upload(educator_client, slug, "name,email\nDr Sam Patel,sam.patel@example.org\n"))
    [sent] = smtp_server.to("sam.patel@example.org")
    assert sent["Subject"] == f"Join us: {TITLE}"
    body = _text(smtp_server, sent).rstrip("\n")
    assert "Hello Dr Sam Patel. {{ config }} {% for x in range(3) %}loop{% endfor %} {{ 7*7 }}" in body
    link, unsubscribe = r"http://localhost/invite/\S+", r"http://localhost/unsubscribe/\S+"
    assert re.search(link, body) and re.search(unsubscribe, body)
    assert re.sub(link, "LINK", re.sub(unsubscribe, "OFF", body)) == re.sub(link, "LINK", re.sub(unsubscribe, "OFF", preview_body))


def test_an_invitation_keeps_the_wording_it_was_queued_with(app, educator_client, smtp_server, monkeypatch):
    slug = create_campaign(educator_client)
    _edit(educator_client, slug, "invitation", "save", "First wording", "The text when queued.")
    smtp_server.refused.add("ada@example.org")  # the first attempt fails; it is retried later
    confirm(educator_client, slug, upload(educator_client, slug, "name,email\nDr Ada Lovelace,ada@example.org\n"))
    assert smtp_server.messages == []
    _edit(educator_client, slug, "invitation", "save", "Second wording", "The text after the edit.")

    smtp_server.refused.clear()
    later = clock.now() + timedelta(minutes=20)  # past the first retry, within the sign-in
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "Sent 1" in run_send_reminders(app)
    [sent] = smtp_server.to("ada@example.org")
    assert sent["Subject"] == f"First wording: {TITLE}" and "The text when queued." in _text(smtp_server, sent)

    confirm(educator_client, slug, upload(educator_client, slug, "name,email\nDr Bea Jones,bea@example.org\n"))
    assert smtp_server.to("bea@example.org")[0]["Subject"] == f"Second wording: {TITLE}"


def test_remind_those_who_stopped_sends_its_own_wording(app, educator_client, smtp_server, make_client):
    slug = create_campaign(educator_client)
    gp = make_client()
    gp.login(make_user(email="stalled@example.org").email, PASSWORD)
    gp.post(f"/join/{db.session.scalar(select(Campaign.enrolment_code))}", join_form())
    _edit(educator_client, slug, "nudge", "save", "Still with us, {name}?", "Your next step is {next_step}.")
    educator_client.post(f"/manage/campaigns/{slug}/remind")
    [sent] = smtp_server.to("stalled@example.org")
    body = _text(smtp_server, sent)
    assert sent["Subject"].startswith("Still with us, Dr Test") and sent["Subject"].endswith(f": {TITLE}")
    assert "Your next step is Answer the baseline survey.\nhttp://localhost/c/" in body
    assert f'You get this email because you joined "{TITLE}".' in body and "To receive no more emails from us:" in body


def test_the_standard_wording_is_today_s_and_only_campaigns_that_send_them_have_a_second_baseline_or_retest(
        app, educator_client):
    slug = create_campaign(educator_client)
    page = _page(_edit(educator_client, slug, "follow_up", "standard", "", ""))
    assert KINDS["follow_up"].standard.text in page and 'value="Your follow-up survey is open"' in page
    assert educator_client.get(f"/manage/campaigns/{slug}/emails/second_baseline").status_code == 404
    assert educator_client.get(f"/manage/campaigns/{slug}/emails/retest").status_code == 404
    db.session.get(Campaign, db.session.scalar(select(Campaign.id).where(Campaign.slug == slug))).retest_enabled = True
    db.session.commit()
    retest = _page(educator_client.get(f"/manage/campaigns/{slug}/emails/retest"))
    assert 'value="An optional retest survey"' in retest and f"/c/{slug}/survey/retest" in retest  # the preview's link
    assert educator_client.get(f"/manage/campaigns/{slug}/emails/renewal").status_code == 404


@pytest.mark.parametrize("role", ["charity", "gp"])
def test_charity_users_and_gps_may_neither_see_nor_save_the_wording(app, educator_client, make_client, role):
    slug = create_campaign(educator_client)
    other = make_client()
    other.login(make_user(role).email, PASSWORD)
    assert other.get(f"/manage/campaigns/{slug}/emails").status_code == 403
    assert _edit(other, slug, "invitation", "save", "Hacked", "Hacked").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CampaignEmailText)) == 0
