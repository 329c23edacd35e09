"""Public verification: valid, revoked or unknown, the few facts an appraiser needs and nothing else."""
import pytest

from survey.certificates.services import display_code
from survey.codes import random_code
from survey.extensions import db
from tests.certificates.helpers import REFLECTION, issue, ready_enrolment
from tests.factories import make_user


@pytest.fixture
def certificate(app):
    user = make_user(name="Dr Jane Doe", email="jane.doe@example.org", gmc_number="1234567")
    return issue(ready_enrolment(user=user))


def test_a_valid_certificate_shows_holder_activity_credits_and_date_only(certificate, client):
    response = client.get(f"/verify/{certificate.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Valid certificate" in page
    for shown in ("Dr Jane Doe", "Work as a health outcome", "0.25",  # 25 min recorded certificate.completed_at.strftime("%B %Y"),
                  display_code(certificate.code)):
        assert shown in page, shown
    for private in ("1234567", "jane.doe@example.org", REFLECTION, certificate.learning_outcomes.splitlines()[0]):
        assert private not in page, private
    # An appraiser matches the certificate to the doctor by name and the GMC number's last three digits.
    assert "Ending in <strong>567</strong>" in page
    assert response.headers["X-Robots-Tag"] == "noindex" and response.headers["Cache-Control"] == "no-store"


def test_a_deleted_account_shows_no_gmc_digits(certificate, client):
    certificate.holder_name, certificate.gmc_number = "", ""
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "A deleted account" in page and "Ending in" not in page


def test_however_the_code_is_typed(certificate, client):
    spaced = " ".join(display_code(certificate.code).lower().split("-"))
    assert client.get(f"/verify/{display_code(certificate.code).lower()}").status_code == 200
    response = client.get("/verify", query_string={"code": f"  {spaced} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{certificate.code}")


def test_the_form_explains_a_malformed_code_and_keeps_it(client):
    page = client.get("/verify", query_string={"code": "ABCD-1234"}).get_data(as_text=True)
    assert "A certificate code has 20 letters and digits; this one has 8." in page
    assert 'value="ABCD-1234"' in page
    assert "Please type the certificate code." in client.get("/verify", query_string={"code": ""}).get_data(as_text=True)
    assert "Please type" not in client.get("/verify").get_data(as_text=True)  # first visit: no error yet


def test_an_unknown_code(app, client):
    response = client.get(f"/verify/{random_code(20)}")
    assert response.status_code == 404 and "Unknown code" in response.get_data(as_text=True)


class TestRateLimit:
    @pytest.fixture
    def config_overrides(self):
        return {"RATELIMIT_ENABLED": True}  # and the default VERIFY_RATE_LIMIT, 30 per minute

    def test_codes_cannot_be_enumerated(self, certificate, client):
        statuses = [client.get(f"/verify/{random_code(20)}").status_code for _ in range(30)]
        assert statuses == [404] * 30
        response = client.get(f"/verify/{certificate.code}")  # even a real code, for the rest of the minute
        assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)
