"""Sessions live on the server: sign-out ends them, copied cookies die with them (issue 12, item 2)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import clock
from survey.audit.models import AuditEvent
from survey.auth.models import UserSession
from survey.extensions import db
from tests.factories import make_user


def signed_in(client) -> bool:
    return "Your learning" in client.get("/").get_data(as_text=True)


def copy_cookies(source, target) -> None:
    """What an attacker does with a stolen cookie: replay it from another machine."""
    for cookie in source.client._cookies.values():
        target.client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def move_clock(monkeypatch, **delta):
    moved = clock.now() + timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moved)


def test_a_copied_cookie_fails_after_logout(client, make_client):
    make_user(email="gp@example.org")
    client.login("gp@example.org")
    thief = make_client()
    copy_cookies(client, thief)
    assert signed_in(thief)  # the copy works while the session lives...
    client.post("/logout")
    assert not signed_in(thief)  # ...and not after signing out, for 31 days or a minute
    assert not signed_in(client)
    assert db.session.scalar(select(UserSession)).ended_at is not None


def test_sign_out_of_every_device(client, make_client):
    make_user(email="gp@example.org")
    laptop, phone = make_client(), make_client()
    laptop.login("gp@example.org")
    phone.login("gp@example.org")
    page = phone.get("/sessions").get_data(as_text=True)
    assert "signed in 2 times" in page and "This device" in page
    assert phone.post("/sessions/end-all").headers["Location"] == "/login"
    assert not signed_in(laptop) and not signed_in(phone)
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "sign_out_everywhere")) == \
        {"sessions": 2}


def test_each_sign_in_gets_a_new_session_and_csrf_token(client):
    """No fixation: a session id or CSRF token planted before sign-in is worthless after it."""
    make_user(email="gp@example.org")
    before = client.token()
    client.login("gp@example.org")
    first = db.session.scalar(select(UserSession.id))
    assert client.token() != before
    client.login("gp@example.org")  # signing in again on the same device replaces the session
    rows = db.session.execute(select(UserSession.id, UserSession.ended_at)).all()
    assert len(rows) == 2 and dict(rows)[first] is not None


@pytest.mark.parametrize("config_overrides", [{"SESSION_IDLE_MINUTES": 30}])
def test_idle_sessions_end(client, monkeypatch, config_overrides):
    make_user(email="gp@example.org")
    client.login("gp@example.org")
    move_clock(monkeypatch, minutes=29)
    assert signed_in(client)  # activity (autosave counts) keeps it alive...
    move_clock(monkeypatch, minutes=29)
    assert signed_in(client)
    move_clock(monkeypatch, minutes=31)
    assert not signed_in(client)  # ...but half an hour of nothing ends it


@pytest.mark.parametrize("config_overrides", [{"SESSION_MAX_HOURS": 2, "SESSION_IDLE_MINUTES": 60}])
def test_sessions_end_at_their_absolute_lifetime_however_active(client, monkeypatch, config_overrides):
    make_user(email="gp@example.org")
    client.login("gp@example.org")
    for _ in range(3):
        move_clock(monkeypatch, minutes=35)
        assert signed_in(client)  # 1 h 45 min, never idle
    move_clock(monkeypatch, minutes=35)
    assert not signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(client, monkeypatch):
    make_user(email="gp@example.org")
    client.login("gp@example.org")
    row_id = db.session.scalar(select(UserSession.id))

    def last_seen():
        db.session.expire_all()
        return db.session.get(UserSession, row_id).last_seen_at

    start = last_seen()
    for _ in range(5):
        client.get("/")
    assert last_seen() == start
    move_clock(monkeypatch, seconds=61)
    client.get("/")
    assert last_seen() > start


def test_a_password_change_ends_every_session(client, make_client):
    user = make_user(email="gp@example.org")
    laptop = make_client()
    laptop.login("gp@example.org")
    user.set_password("another-good-password-9")
    db.session.commit()
    assert not signed_in(laptop)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_csrf_tokens_live_as_long_as_a_session(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == app.config["SESSION_MAX_HOURS"] * 3600
