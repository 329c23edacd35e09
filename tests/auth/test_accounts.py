"""Registration, sign-in, password reset and the rules a user would notice."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.auth.models import User
from survey.extensions import db
from tests.factories import PASSWORD, make_user
from tests.journey import confirm_email

GOOD = {"name": "Dr Jane Doe", "email": "jane@example.org", "gmc_number": "1234567",
        "password": PASSWORD, "confirm": PASSWORD}


def test_register_then_confirm_the_address_signs_in_and_hashes_the_password(client):
    response = client.post("/register", GOOD)
    assert response.headers["Location"] == "/register/check-email"
    user = db.session.scalar(select(User).where(User.email == "jane@example.org"))
    assert user.gmc_number == "1234567" and user.role == "gp" and user.email_confirmed_at is None
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")
    assert "Your learning" not in client.get("/").get_data(as_text=True)  # not active before confirming
    confirm_email(client, "jane@example.org")
    assert "Your learning" in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_confirmed_at is not None


@pytest.mark.parametrize("field, value, message", [
    ("gmc_number", "123456", "exactly 7 digits"),
    ("gmc_number", "12345678", "exactly 7 digits"),
    ("gmc_number", "12a4567", "exactly 7 digits"),
    ("email", "not-an-email", "Invalid email address"),
    ("name", "x" * 121, "longer than 120"),
    ("confirm", "something-else-1", "do not match"),
    ("password", "short", "10 to 200 characters"),
    ("password", "password123", "too easy to guess"),
    ("password", "qwertyuiop1", "too easy to guess"),
    ("password", "jane@example.org", "too easy to guess"),
])
def test_bad_registration_shows_message_beside_field_and_keeps_input(client, field, value, message):
    data = {**GOOD, field: value}
    if field == "password":
        data["confirm"] = value
    response = client.post("/register", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error">[^<]*{message}', page), page
    for kept in ("name", "email", "gmc_number"):
        if kept != field:
            assert f'value="{GOOD[kept]}"' in page  # nothing else the GP typed is lost


def test_login_logout_and_wrong_password(client):
    make_user(email="gp@example.org")
    wrong = client.post("/login", {"email": "gp@example.org", "password": "wrong-password"})
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert 'value="gp@example.org"' in wrong.get_data(as_text=True)
    assert client.login("gp@example.org").status_code == 302
    assert client.get("/").status_code == 200 and "Your learning" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert "Your learning" not in client.get("/").get_data(as_text=True)


def test_every_form_refuses_a_missing_csrf_token(app):
    raw = app.test_client()
    response = raw.post("/register", data=GOOD)
    assert response.status_code == 400
    assert "expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def _reset_link(mail_dir: Path) -> str:
    messages = sorted(mail_dir.glob("*.eml"))
    assert len(messages) == 1
    return re.search(r"http://localhost(/reset-password/\S+)", messages[0].read_text()).group(1)


def test_password_reset_link_works_once_and_ends_old_sessions(app, client, make_client):
    make_user(email="gp@example.org")
    laptop = make_client()
    laptop.login("gp@example.org")
    assert "Your learning" in laptop.get("/").get_data(as_text=True)

    client.post("/reset-password", {"email": "gp@example.org"})
    link = _reset_link(Path(app.config["MAIL_FILE_DIR"]))
    new = {"password": "a-new-password-2", "confirm": "a-new-password-2"}
    assert client.post(link, new).headers["Location"] == "/"
    assert client.login("gp@example.org", "a-new-password-2").status_code == 302
    # Spent: the same link again is refused.
    again = client.post(link, {"password": "third-password-3", "confirm": "third-password-3"}, follow_redirects=True)
    assert "expired or has already been used" in again.get_data(as_text=True)
    # The laptop's session ended with the password change.
    assert laptop.get("/").get_data(as_text=True).count("Your learning") == 0


def test_password_reset_link_expires(app, client, monkeypatch):
    make_user(email="gp@example.org")
    client.post("/reset-password", {"email": "gp@example.org"})
    link = _reset_link(Path(app.config["MAIL_FILE_DIR"]))
    from datetime import timedelta

    from survey.auth import services

    later = services.utcnow() + timedelta(hours=3)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    response = client.post(link, {"password": "a-new-password-2", "confirm": "a-new-password-2"}, follow_redirects=True)
    assert "expired or has already been used" in response.get_data(as_text=True)


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(app, client):
    response = client.post("/reset-password", {"email": "nobody@example.org"}, follow_redirects=True)
    assert "If an account uses that email" in response.get_data(as_text=True)
    assert not list(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))


class TestRateLimit:
    @pytest.fixture
    def config_overrides(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_login_attempts_are_rate_limited(self, client):
        statuses = [client.post("/login", {"email": "x@example.org", "password": "guess-number"}).status_code
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429]


def test_session_cookie_flags_in_production_config(monkeypatch, tmp_path):
    from survey.config import load_config

    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("BASE_URL", "https://learning.example.org")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    monkeypatch.setenv("JOBS_BROKER_URL", "redis://127.0.0.1:6379")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    from survey.config import ConfigError, load_config

    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_config(str(tmp_path))


def test_create_user_command_makes_any_role(app):
    result = app.test_cli_runner().invoke(args=["create-user", "--role", "charity", "--name", "Cancer Charity",
                                                "--email", "c@example.org", "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "c@example.org")) == "charity"
    duplicate = app.test_cli_runner().invoke(args=["create-user", "--role", "gp", "--name", "X",
                                                   "--email", "c@example.org", "--gmc-number", "1234567",
                                                   "--password", "long-enough-pw"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
