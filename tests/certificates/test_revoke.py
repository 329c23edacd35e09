"""Admins find certificates and revoke one with a reason; the audit log records who did it."""
import pytest

from survey.audit.models import AuditEvent
from survey.certificates.models import Certificate
from survey.certificates.services import display_code
from survey.extensions import db
from tests.certificates.helpers import issue, ready_enrolment
from tests.factories import PASSWORD, make_user


@pytest.fixture
def enrolment(app):
    return ready_enrolment(user=make_user(name="Dr Jane Doe", gmc_number="1234567"))


@pytest.fixture
def certificate(enrolment):
    return issue(enrolment)


@pytest.fixture
def admin(app, client):
    admin = make_user("admin", name="Ada Admin")
    client.login(admin.email, PASSWORD)
    return admin


def test_admins_find_certificates_by_code_name_or_gmc_number(certificate, admin, client):
    other = issue(ready_enrolment(user=make_user(name="Dr Someone Else")))
    for query in (display_code(certificate.code).lower()[:8], "jane", "1234567"):
        page = client.get("/admin/certificates/", query_string={"q": query}).get_data(as_text=True)
        assert display_code(certificate.code) in page and display_code(other.code) not in page, query
    everything = client.get("/admin/certificates/").get_data(as_text=True)
    assert display_code(certificate.code) in everything and display_code(other.code) in everything
    assert "No certificate matches “100%”." in client.get("/admin/certificates/?q=100%25").get_data(as_text=True)


@pytest.mark.parametrize("role", ["gp", "educator", "charity"])
def test_only_admins_see_or_revoke_certificates(certificate, make_client, role):
    someone = make_client()
    someone.login(make_user(role).email, PASSWORD)
    assert someone.get("/admin/certificates/").status_code == 403
    assert someone.post(f"/admin/certificates/{certificate.code}", {"reason": "Because."}).status_code == 403
    assert db.session.scalar(db.select(Certificate.revoked_at)) is None


def test_revoking_without_the_forms_token_is_refused(certificate, admin, client):
    response = client.client.post(f"/admin/certificates/{certificate.code}", data={"reason": "Forged."})
    assert response.status_code == 400
    assert db.session.scalar(db.select(Certificate.revoked_at)) is None


def test_revoking_needs_a_reason_and_is_audited(enrolment, certificate, admin, client, make_client):
    url = f"/admin/certificates/{certificate.code}"
    page = client.post(url, {"reason": "   "}).get_data(as_text=True)
    assert 'id="reason-error">Please give the reason for revoking this certificate.' in page
    assert "Valid certificate" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)

    assert client.post(url, {"reason": "Completed on a shared account.", "confirm": "yes"}).status_code == 302
    db.session.refresh(certificate)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "certificate.revoke"))
    assert (event.actor_id, event.target, event.detail) == (
        admin.id, f"certificate:{certificate.code}", {"reason": "Completed on a shared account."})
    assert (certificate.revoked_by_id, certificate.revoke_reason) == (admin.id, "Completed on a shared account.")
    assert "by Ada Admin: Completed on a shared account." in client.get(url).get_data(as_text=True)
    # A second revocation changes nothing: the form is gone and the first one stands.
    client.post(url, {"reason": "Again.", "confirm": "yes"})
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "certificate.revoke")) == 1

    revoked_on = f"{certificate.revoked_at.day} {certificate.revoked_at:%B %Y}"
    public = make_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Revoked certificate" in public and f"revoked {revoked_on}" in public
    assert "shared account" not in public  # the reason is for the audit log, not the public

    holder = make_client()
    holder.login(enrolment.user.email, PASSWORD)
    slug = enrolment.campaign.slug
    assert f"This certificate was revoked on {revoked_on}." in holder.get(f"/c/{slug}/certificate").get_data(as_text=True)
    assert holder.get(f"/c/{slug}/certificate.pdf").headers["Location"].endswith(f"/c/{slug}/certificate")


def test_revoking_asks_for_confirmation_saying_what_happens(certificate, admin, client):
    url = f"/admin/certificates/{certificate.code}"
    question = client.post(url, {"reason": "Completed on a shared account."})
    page = question.get_data(as_text=True)
    assert question.status_code == 200 and "Revoking cannot be undone" in page
    assert 'name="reason" value="Completed on a shared account."' in page  # what the admin typed goes with the answer
    assert "public verification page says the certificate was revoked" in page and "can no longer download it" in page
    assert db.session.scalar(db.select(Certificate.revoked_at)) is None  # nothing happens until confirmed
    assert "Valid certificate" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
