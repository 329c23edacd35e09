"""Host-header poisoning: links are built from BASE_URL, and other hosts get 400 (issue 12, item 1)."""
import io

import pypdfium2
import pytest
import zxingcpp

from survey.config import ConfigError, load_config
from tests.certificates.helpers import issue, ready_enrolment
from tests.factories import PASSWORD, make_user
from tests.journey import link_in_mail, mails_to

EVIL = {"Host": "evil.example:8080"}
BASE = "https://learning.example.org"


class TestAllowList:
    @pytest.fixture
    def config_overrides(self):
        return {"BASE_URL": BASE, "TRUSTED_HOSTS": ["learning.example.org", "localhost"]}

    def test_a_forged_host_gets_400_and_no_reset_mail(self, app, client):
        make_user(email="gp@example.org")
        assert client.get("/login", headers=EVIL).status_code == 400
        response = client.post("/reset-password", {"email": "gp@example.org"}, headers=EVIL)
        assert response.status_code == 400
        assert mails_to(app, "gp@example.org") == []
        assert client.get("/login").status_code == 200  # the real host still answers


def attacker_post(client, path: str, data: dict):
    """POST as an attacker would: every request, the form's CSRF token included, sent with the forged Host."""
    page = client.client.get(path, headers=EVIL).get_data(as_text=True)
    token = client.TOKEN.search(page).group(1)
    return client.client.post(path, data={"csrf_token": token, **data}, headers=EVIL, buffered=True)


class TestLinksUseBaseUrl:
    """The allow-list switched off, as if a proxy passed any Host: links still go to BASE_URL."""

    @pytest.fixture
    def config_overrides(self):
        return {"BASE_URL": BASE, "TRUSTED_HOSTS": None}

    def test_reset_link_uses_base_url_whatever_host_is_sent(self, app, client):
        make_user(email="gp@example.org")
        assert attacker_post(client, "/reset-password", {"email": "gp@example.org"}).status_code == 302
        [text] = mails_to(app, "gp@example.org")
        assert f"{BASE}/reset-password/" in text and "evil.example" not in text

    def test_confirmation_link_uses_base_url(self, app, client):
        attacker_post(client, "/register", {"name": "Dr Jane Doe", "email": "jane@example.org", "gmc_number": "1234567",
                                            "password": "a-good-password", "confirm": "a-good-password"})
        [text] = mails_to(app, "jane@example.org")
        assert f"{BASE}/confirm-email/" in text and "evil.example" not in text
        assert link_in_mail(app, "jane@example.org", "/confirm-email/")

    def test_certificate_qr_and_verify_url_use_base_url(self, app, client):
        user = make_user()
        enrolment = ready_enrolment(user=user)
        certificate = issue(enrolment)
        assert attacker_post(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 302
        slug = enrolment.campaign.slug
        page = client.get(f"/c/{slug}/certificate", headers=EVIL).get_data(as_text=True)
        assert f"{BASE}/verify/" in page and "evil.example" not in page
        pdf = client.get(f"/c/{slug}/certificate.pdf", headers=EVIL)
        assert pdf.status_code == 200
        image = pypdfium2.PdfDocument(io.BytesIO(pdf.data))[0].render(scale=3).to_pil()
        [barcode] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert barcode.text == f"{BASE}/verify/{certificate.code}"
        log = client.get("/my-learning/log.pdf", headers=EVIL)
        assert log.status_code == 200 and b"evil.example" not in log.data


PRODUCTION = {"SURVEY_ENV": "production", "SECRET_KEY": "x" * 32, "BASE_URL": BASE,
              "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "JOBS_BROKER_URL": "redis://127.0.0.1:6379"}


def _production(monkeypatch, tmp_path, **changes):
    for name, value in {**PRODUCTION, **changes}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    return load_config(str(tmp_path))


@pytest.mark.parametrize("changes, message", [
    ({"BASE_URL": None}, "BASE_URL must be set"),
    ({"BASE_URL": "learning.example.org"}, "is not an http(s) address"),
    ({"RATELIMIT_STORAGE_URI": None}, "RATELIMIT_STORAGE_URI must name a shared store"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI must name a shared store"),
    ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
    ({"JOBS_BROKER_URL": None}, "JOBS_BROKER_URL must name the job queue's Redis"),
    ({"JOBS_BROKER_URL": "inline"}, "JOBS_BROKER_URL must name the job queue's Redis"),
])
def test_production_refuses_to_start_without_safe_settings(monkeypatch, tmp_path, changes, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _production(monkeypatch, tmp_path, **changes)


def test_production_trusts_only_base_urls_host_unless_told(monkeypatch, tmp_path):
    assert _production(monkeypatch, tmp_path)["TRUSTED_HOSTS"] == ["learning.example.org"]
    monkeypatch.setenv("TRUSTED_HOSTS", "learning.example.org, www.learning.example.org")
    assert load_config(str(tmp_path))["TRUSTED_HOSTS"] == ["learning.example.org", "www.learning.example.org"]
