"""Certificates that expire: the campaign's validity period, frozen at issue, shown wherever the certificate is."""
import io
from datetime import UTC, datetime, timedelta

import jwt as pyjwt
import pypdf
import pytest

from survey import clock
from survey.campaigns.models import Enrolment
from survey.certificates import validity
from survey.certificates.services import revoke_certificate
from survey.extensions import db
from survey.web.templating import long_date
from tests.certificates.helpers import expiring, issue
from tests.certificates.test_pdf import pdf_text, squashed
from tests.factories import PASSWORD, make_user


@pytest.fixture
def gp(app):
    return make_user(name="Dr Jane Doe", email="jane@example.org", gmc_number="1234567")


@pytest.fixture
def certificate(gp):
    return issue(expiring(user=gp))


def signed_in(client, gp):
    client.login(gp.email, PASSWORD)
    return client


def test_validity_runs_whole_months_from_completion_clamped_to_the_month_end():
    assert validity.add_months(datetime(2026, 8, 31, 9, tzinfo=UTC), 6) == datetime(2027, 2, 28, 9, tzinfo=UTC)
    assert validity.add_months(datetime(2027, 8, 31, tzinfo=UTC), 6) == datetime(2028, 2, 29, tzinfo=UTC)
    assert validity.add_months(datetime(2026, 11, 15, tzinfo=UTC), 14) == datetime(2028, 1, 15, tzinfo=UTC)
    assert validity.valid_until(datetime(2026, 11, 15, tzinfo=UTC), None) is None


def campaign_slug(certificate) -> str:
    return db.session.get(Enrolment, certificate.enrolment_id).campaign.slug


def test_the_validity_is_a_snapshot_taken_at_issue(certificate):
    assert certificate.valid_until == validity.add_months(certificate.completed_at, 12)
    enrolment = db.session.get(Enrolment, certificate.enrolment_id)
    enrolment.campaign.validity_months = 1
    db.session.commit()
    assert issue(enrolment).valid_until == validity.add_months(certificate.completed_at, 12)


def test_a_campaign_without_a_validity_period_issues_certificates_that_never_expire(app, client):
    certificate = issue(expiring(months=None))
    assert certificate.valid_until is None
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Valid certificate" in page and "Valid until" not in page and "Expired" not in page


def test_verify_says_valid_until_then_expired_never_revoked(certificate, client, monkeypatch):
    until = long_date(certificate.valid_until)
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Valid certificate" in page and f"<dt>Valid until</dt><dd>{until}</dd>" in page

    monkeypatch.setattr(clock, "now", lambda: certificate.valid_until)
    response = client.get(f"/verify/{certificate.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Genuine certificate, expired on {until}." in page and f"<dt>Expired on</dt><dd>{until}</dd>" in page
    assert "Valid certificate" not in page and "Revoked" not in page and "Dr Jane Doe" in page


def test_a_revoked_certificate_shows_revoked_even_after_it_expired(certificate, client, monkeypatch):
    revoke_certificate(certificate, make_user("admin"), "Issued in error")
    db.session.commit()
    monkeypatch.setattr(clock, "now", lambda: certificate.valid_until + timedelta(days=1))
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Revoked certificate" in page and "Genuine certificate" not in page


def test_the_pdf_states_its_end_of_validity(certificate, gp, client):
    response = signed_in(client, gp).get(f"/c/{campaign_slug(certificate)}/certificate.pdf")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert squashed(f"Valid until {long_date(certificate.valid_until)}") in pdf_text(reader)


def test_the_badge_states_valid_until_and_expires_with_the_certificate(certificate, gp, client):
    token = signed_in(client, gp).get(f"/my-learning/badge/{certificate.code}.jwt").get_data(as_text=True)
    payload = pyjwt.decode(token, options={"verify_signature": False})
    assert payload["validUntil"] == certificate.valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert payload["exp"] == int(certificate.valid_until.timestamp())


def test_the_badge_of_a_certificate_that_never_expires_states_no_end(gp, client):
    certificate = issue(expiring(months=None, user=gp))
    token = signed_in(client, gp).get(f"/my-learning/badge/{certificate.code}.jwt").get_data(as_text=True)
    payload = pyjwt.decode(token, options={"verify_signature": False})
    assert "validUntil" not in payload and "exp" not in payload


def test_the_learning_record_and_year_summary_show_the_end_of_validity(certificate, gp, client, monkeypatch):
    until = long_date(certificate.valid_until)
    signed_in(client, gp)
    assert f"Valid until {until}." in client.get("/my-learning").get_data(as_text=True)
    start = certificate.completed_at.date().replace(day=1).isoformat()
    assert f"valid until {until}" in client.get("/my-learning/year", query_string={"start": start}).get_data(as_text=True)
    year_pdf = client.get("/my-learning/year.pdf", query_string={"start": start})
    assert squashed(f"valid until {until}") in pdf_text(pypdf.PdfReader(io.BytesIO(year_pdf.data)))

    later = certificate.valid_until + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    signed_in(client, gp)  # the session idled out while the clock moved
    assert f"Expired on {until}." in client.get("/my-learning").get_data(as_text=True)
