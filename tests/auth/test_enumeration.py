"""Registration and reset say nothing about who has an account; addresses are confirmed (issue 12, item 5)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import clock
from survey.audit.models import AuditEvent
from survey.auth.models import GmcClaim, User
from survey.extensions import db
from tests.factories import PASSWORD, make_user
from tests.journey import confirm_email, link_in_mail, mails_to

JANE = {"name": "Dr Jane Doe", "email": "jane@example.org", "gmc_number": "1234567",
        "password": PASSWORD, "confirm": PASSWORD}


def answer(client, path: str, data: dict) -> tuple[int, str, str]:
    """What an attacker sees: status, where it leads, and the page it leads to."""
    response = client.post(path, data)
    page = client.get(response.headers["Location"]).get_data(as_text=True) if response.status_code == 302 else ""
    return response.status_code, response.headers.get("Location"), re.sub(r'value="[^"]*"', "", page)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("taken", ["email", "gmc_number"])
def test_registration_answers_the_same_whatever_exists(app, make_client, taken):
    owner = make_user(name="Dr Real Owner", email="owner@example.org", gmc_number="7654321")
    fresh = answer(make_client(), "/register", {**JANE, "email": "fresh@example.org", "gmc_number": "1111111"})
    clash = {"email": "owner@example.org"} if taken == "email" else {"gmc_number": "7654321"}
    probed = answer(make_client(), "/register", {**JANE, **clash})
    assert probed == fresh  # same status, same next page, same words
    db.session.refresh(owner)
    assert owner.check_password(PASSWORD) and owner.name == "Dr Real Owner"  # nothing of the owner's changed
    if taken == "email":
        [text] = mails_to(app, "owner@example.org")  # the owner is told instead
        assert "already has an account" in text and "/reset-password" in text
        assert db.session.scalar(select(func.count()).select_from(User)) == 2  # owner and fresh
        assert "account.register_again" in actions()


def test_a_gmc_number_clash_goes_to_an_admin_and_the_doctor_is_not_refused(app, client, make_client):
    squatter = make_user(name="Someone Else", email="squatter@example.org", gmc_number="1234567")
    client.post("/register", JANE)
    assert "an\nadministrator will check it" in mails_to(app, "jane@example.org")[0]
    confirm_email(client, "jane@example.org")
    jane = db.session.scalar(select(User).where(User.email == "jane@example.org"))
    assert jane.gmc_number is None and jane.email_confirmed_at is not None  # can learn meanwhile
    claim = db.session.scalar(select(GmcClaim))
    assert (claim.user_id, claim.gmc_number, claim.outcome) == (jane.id, "1234567", None)

    admin = make_client()
    admin.login(make_user("admin").email)
    page = admin.get("/admin/gmc-claims/").get_data(as_text=True)
    assert "jane@example.org" in page and "squatter@example.org" in page and "1234567" in page
    assert client.post(f"/admin/gmc-claims/{claim.id}", {"outcome": "granted"}).status_code == 403  # GPs cannot
    admin.post(f"/admin/gmc-claims/{claim.id}", {"outcome": "granted"})
    db.session.expire_all()
    assert jane.gmc_number == "1234567" and squatter.gmc_number is None and claim.outcome == "granted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "gmc_claim.resolve"))
    assert event.detail == {"gmc_number": "1234567", "outcome": "granted", "former_holder": squatter.id}
    again = admin.post(f"/admin/gmc-claims/{claim.id}", {"outcome": "refused"}, follow_redirects=True)
    assert "already been resolved" in again.get_data(as_text=True)
    assert "No claims are waiting" in again.get_data(as_text=True)


def test_an_unconfirmed_account_cannot_sign_in_but_gets_a_new_link(app, client):
    client.post("/register", JANE)
    refused = client.post("/login", {"email": "jane@example.org", "password": PASSWORD})
    assert refused.status_code == 200 and "confirm your email address first" in refused.get_data(as_text=True)
    assert len(mails_to(app, "jane@example.org")) == 2  # the first link and a new one
    wrong = client.post("/login", {"email": "jane@example.org", "password": "not-my-password"})
    assert "do not match an account" in wrong.get_data(as_text=True)  # without the password, nothing is told
    assert len(mails_to(app, "jane@example.org")) == 2
    confirm_email(client, "jane@example.org")
    assert client.login("jane@example.org").status_code == 302


def test_a_new_link_on_request_says_the_same_for_any_address(app, make_client):
    make_client().post("/register", JANE)
    make_user(email="confirmed@example.org")
    answers = {email: answer(make_client(), "/confirm-email", {"email": email})
               for email in ("jane@example.org", "confirmed@example.org", "nobody@example.org")}
    assert len(set(answers.values())) == 1
    assert len(mails_to(app, "jane@example.org")) == 2
    assert mails_to(app, "confirmed@example.org") == mails_to(app, "nobody@example.org") == []


def test_a_confirmation_link_works_once_and_expires(app, client, make_client, monkeypatch):
    client.post("/register", JANE)
    link = link_in_mail(app, "jane@example.org", "/confirm-email/")
    assert client.get(link).status_code == 200  # a mail scanner's visit spends nothing
    confirm_email(client, "jane@example.org")
    replay = make_client().post(link, follow_redirects=True)
    assert "already been used" in replay.get_data(as_text=True)
    assert "Your learning" not in replay.get_data(as_text=True)  # a used link signs no one in

    other = make_client()
    other.post("/register", {**JANE, "email": "late@example.org", "gmc_number": "2222222"})
    later = clock.now() + timedelta(hours=49)
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = other.post(link_in_mail(app, "late@example.org", "/confirm-email/"), follow_redirects=True)
    assert "has expired" in expired.get_data(as_text=True)
    assert db.session.scalar(select(User.email_confirmed_at).where(User.email == "late@example.org")) is None


def test_reset_answers_the_same_and_sends_mail_only_after_the_response(app, client, make_client):
    make_user(email="gp@example.org")
    assert answer(make_client(), "/reset-password", {"email": "gp@example.org"}) == \
        answer(make_client(), "/reset-password", {"email": "nobody@example.org"})
    assert len(mails_to(app, "gp@example.org")) == 1
    # Unbuffered, as a server streams it: the response is complete before any mail is sent.
    raw = app.test_client()
    token = client.TOKEN.search(raw.get("/reset-password").get_data(as_text=True)).group(1)
    with app.app_context():
        response = raw.post("/reset-password", data={"csrf_token": token, "email": "gp@example.org"})
    assert response.status_code == 302 and len(mails_to(app, "gp@example.org")) == 1
    response.close()  # the server has written the response and closes it: now the mail goes
    assert len(mails_to(app, "gp@example.org")) == 2


def test_using_one_reset_link_ends_the_older_ones(app, client, make_client):
    make_user(email="gp@example.org")
    client.post("/reset-password", {"email": "gp@example.org"})
    older = link_in_mail(app, "gp@example.org", "/reset-password/")
    client.post("/reset-password", {"email": "gp@example.org"})
    newer = link_in_mail(app, "gp@example.org", "/reset-password/")
    assert older != newer
    assert make_client().post(newer, {"password": "a-new-password-2", "confirm": "a-new-password-2"}).status_code == 302
    stale = make_client().post(older, {"password": "attacker-password-7", "confirm": "attacker-password-7"},
                               follow_redirects=True)
    assert "expired or has already been used" in stale.get_data(as_text=True)
    assert client.login("gp@example.org", "a-new-password-2").status_code == 302


def test_a_reset_refuses_a_common_password_and_keeps_the_link(app, client):
    make_user(email="gp@example.org")
    client.post("/reset-password", {"email": "gp@example.org"})
    link = link_in_mail(app, "gp@example.org", "/reset-password/")
    weak = client.post(link, {"password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 200 and "too easy to guess" in weak.get_data(as_text=True)
    assert client.post(link, {"password": "a-new-password-2", "confirm": "a-new-password-2"}).status_code == 302


def test_account_events_are_audited(app, client, make_client):
    client.post("/register", JANE)
    confirm_email(client, "jane@example.org")
    client.post("/logout")
    client.post("/login", {"email": "jane@example.org", "password": "not-my-password"})
    client.post("/login", {"email": "nobody@example.org", "password": "not-my-password"})
    client.post("/reset-password", {"email": "jane@example.org"})
    make_client().post(link_in_mail(app, "jane@example.org", "/reset-password/"),
                       {"password": "a-new-password-2", "confirm": "a-new-password-2"})
    assert actions() == ["account.register", "account.confirm_email", "sign_in", "sign_in.failed", "sign_in.failed",
                         "password.reset_requested", "password.reset", "sign_in"]
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.detail.get("reason") for e in events if e.action == "sign_in.failed"] == ["mismatch", "mismatch"]
    assert events[3].actor_id == events[0].actor_id and events[4].actor_id is None  # no one's account
    assert [e.detail["via"] for e in events if e.action == "sign_in"] == ["confirmation", "reset"]


class TestRegistrationRateLimit:
    @pytest.fixture
    def config_overrides(self):
        return {"RATELIMIT_ENABLED": True, "REGISTER_RATE_LIMIT": "3 per hour"}

    def test_registration_is_rate_limited(self, client):
        typo = client.post("/register", {**JANE, "gmc_number": "123"})
        assert typo.status_code == 200  # sent back with an error: does not count
        statuses = [client.post("/register", {**JANE, "email": f"gp{n}@example.org", "gmc_number": f"123456{n}"})
                    .status_code for n in range(4)]
        assert statuses == [302, 302, 302, 429]
