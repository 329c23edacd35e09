"""The renewal reminder: once per expiring certificate, RENEWAL_REMINDER_DAYS before it expires, through
the outbox and a real SMTP server; none for revoked, renewed or unsubscribed certificates' holders."""
import re
from datetime import timedelta

import pytest

from survey import clock
from survey.campaigns.models import Enrolment
from survey.certificates import renewal
from survey.certificates.services import revoke_certificate
from survey.extensions import db
from survey.invitations import services as invitations
from survey.web.templating import long_date
from tests.certificates.helpers import MODULE, complete_module, expiring, issue, reflect
from tests.factories import make_user
from tests.smtp import run_send_reminders, smtp_server  # noqa: F401

SUBJECT = "Your CPD certificate expires soon"


@pytest.fixture
def config_overrides(smtp_server):
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
            "BASE_URL": "http://localhost"}


def expiring_certificate(email: str):
    return issue(expiring(user=make_user(email=email)))


def enrolment_of(certificate) -> Enrolment:
    return db.session.get(Enrolment, certificate.enrolment_id)


def renewal_reminders(inbox, email: str) -> list:
    return [m for m in inbox.to(email) if m["Subject"].startswith(SUBJECT)]


def run_at(app, monkeypatch, moment) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)
    run_send_reminders(app)


def test_the_reminder_goes_once_thirty_days_before_expiry_with_an_unsubscribe_link(app, smtp_server, monkeypatch, client):
    certificate = expiring_certificate("jane@example.org")
    due = certificate.valid_until - timedelta(days=30)
    run_at(app, monkeypatch, due - timedelta(minutes=1))
    assert renewal_reminders(smtp_server, "jane@example.org") == []

    for later in (timedelta(0), timedelta(minutes=10), timedelta(days=20)):
        run_at(app, monkeypatch, due + later)
    [reminder] = renewal_reminders(smtp_server, "jane@example.org")
    body = smtp_server.body(reminder)
    assert f"is valid until {long_date(certificate.valid_until)}" in body
    assert f"http://localhost/c/{enrolment_of(certificate).campaign.slug}/certificate" in body
    unsubscribe = re.search(r"To receive no more emails from us: http://localhost(/unsubscribe/\S+)", body).group(1)
    assert "You will get no more" in client.post(unsubscribe).get_data(as_text=True)


class TestConfiguredDays:
    @pytest.fixture
    def config_overrides(self, smtp_server):
        return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
                "BASE_URL": "http://localhost", "RENEWAL_REMINDER_DAYS": 7}

    def test_the_reminder_waits_for_the_configured_number_of_days(self, app, smtp_server, monkeypatch):
        certificate = expiring_certificate("jane@example.org")
        run_at(app, monkeypatch, certificate.valid_until - timedelta(days=8))
        assert renewal_reminders(smtp_server, "jane@example.org") == []
        run_at(app, monkeypatch, certificate.valid_until - timedelta(days=7))
        assert len(renewal_reminders(smtp_server, "jane@example.org")) == 1


def test_revoked_renewed_being_renewed_unsubscribed_and_expired_certificates_get_no_reminder(app, smtp_server, monkeypatch):
    revoked = expiring_certificate("revoked@example.org")
    revoke_certificate(revoked, make_user("admin"), "Issued in error")
    renewing = expiring_certificate("renewing@example.org")
    renewed = expiring_certificate("renewed@example.org")
    unsubscribed = expiring_certificate("unsubscribed@example.org")
    invitations.opt_out("unsubscribed@example.org")
    db.session.commit()

    window = renewed.valid_until - timedelta(days=40)
    monkeypatch.setattr(clock, "now", lambda: window)
    for certificate in (renewing, renewed):
        renewal.start_renewal(enrolment_of(certificate), "campaign", window)
    db.session.commit()
    complete_module(enrolment_of(renewed), MODULE)
    reflect(enrolment_of(renewed))
    second = issue(enrolment_of(renewed))
    assert second.cycle == 2

    run_at(app, monkeypatch, renewed.valid_until - timedelta(days=29))
    run_at(app, monkeypatch, renewed.valid_until + timedelta(days=1))
    for email in ("revoked@example.org", "renewing@example.org", "renewed@example.org", "unsubscribed@example.org"):
        assert renewal_reminders(smtp_server, email) == [], email

    # The renewed GP's new certificate is reminded of in its own time, and a certificate that expired
    # without a reminder (no run in its last 30 days) gets none after the fact.
    late = expiring_certificate("late@example.org")
    run_at(app, monkeypatch, second.valid_until - timedelta(days=30))
    run_at(app, monkeypatch, late.valid_until + timedelta(minutes=1))
    assert len(renewal_reminders(smtp_server, "renewed@example.org")) == 1
    assert renewal_reminders(smtp_server, "late@example.org") == []
