"""LTI 1.3 launch from a platform running in the test: the learner lands signed in, and each attack the
spec guards against is refused."""
import base64
import json

import pytest
from sqlalchemy import select

from survey.auth.models import User
from survey.db import utcnow
from survey.extensions import db
from survey.lti.models import LtiAccount, LtiResourceLink
from tests.factories import make_user
from tests.lti.conftest import authentication_request, launch, post_launch
from tests.lti.platform import private_pem

CUSTOM = {"campaign": "back-to-work"}


def test_first_launch_makes_a_linked_gp_account_and_asks_consent(registered, campaign, client):
    response = launch(client, registered, custom=CUSTOM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/join/{campaign.enrolment_code}")
    consent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You agree to take part." in consent
    account = db.session.scalar(select(LtiAccount))
    user = db.session.get(User, account.user_id)
    assert (account.subject, user.name, user.email, user.role) == ("moodle-user-7", "Dr Ann Example", "ann@practice.example", "gp")
    link = db.session.scalar(select(LtiResourceLink))
    assert (link.campaign_slug, link.lineitem_url, link.context_id) == ("back-to-work", f"{registered.url}/lineitems/1", "course-1")


def test_a_second_launch_signs_in_the_same_account(registered, campaign, client, make_client):
    launch(client, registered, custom=CUSTOM)
    other_device = make_client()
    assert launch(other_device, registered, custom=CUSTOM).status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    assert "Sign out" in other_device.get(f"/join/{campaign.enrolment_code}").get_data(as_text=True)


def test_an_existing_account_with_the_same_email_is_never_taken_over(registered, campaign, client):
    make_user(email="ann@practice.example")
    launch(client, registered, custom=CUSTOM)
    linked = db.session.get(User, db.session.scalar(select(LtiAccount)).user_id)
    assert linked.email.endswith("@lti.invalid")


def test_the_login_redirects_to_the_platform_with_a_fresh_state_and_nonce(registered, client):
    first, second = (authentication_request(client, registered) for _ in range(2))
    assert first.startswith(f"{registered.url}/auth?") and "redirect_uri=http%3A%2F%2Flocalhost%2Flti%2Flaunch" in first
    assert first != second


def test_on_https_the_state_cookie_crosses_sites_and_survives_in_the_platforms_frame(app, registered, client):
    """Deep linking runs in Moodle's iframe: SameSite=None lets the platform's POST carry the cookie, and
    Partitioned keeps it where browsers block third-party cookies."""
    app.config["SESSION_COOKIE_SECURE"] = True
    response = client.get(registered.login_initiation())
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lti_state="))
    assert {"Secure", "HttpOnly", "SameSite=None", "Partitioned", "Path=/lti/launch"} <= {a.strip() for a in cookie.split(";")}


def test_a_replayed_launch_is_refused(registered, campaign, client):
    form = registered.authorise(authentication_request(client, registered), custom=CUSTOM)
    assert post_launch(client, form).status_code == 302
    client.client.set_cookie("lti_state", form["state"], domain="localhost", path="/lti/launch")  # an attacker's copy
    replay = post_launch(client, form)
    assert replay.status_code == 400 and "already been used" in replay.get_data(as_text=True)


def test_a_replayed_id_token_under_a_new_login_fails_on_its_nonce(registered, campaign, client):
    old = registered.authorise(authentication_request(client, registered), custom=CUSTOM)
    fresh = registered.authorise(authentication_request(client, registered), custom=CUSTOM)
    response = post_launch(client, {**fresh, "id_token": old["id_token"]})
    assert response.status_code == 400 and "nonce" in response.get_data(as_text=True)
    assert db.session.scalar(select(LtiAccount)) is None


def test_a_launch_posted_from_another_browser_is_refused(registered, campaign, client, make_client):
    form = registered.authorise(authentication_request(client, registered), custom=CUSTOM)
    response = post_launch(make_client(), form)
    assert response.status_code == 400 and "not started in this browser" in response.get_data(as_text=True)


@pytest.mark.parametrize("claims, reason", [
    ({"extra": {"aud": "another-tool"}}, "addressed to another tool"),
    ({"extra": {"azp": "another-tool"}}, "authorised party"),
    ({"expires_in": -120}, "expired"),
    ({"extra": {"iss": "https://evil.example"}}, "issuer other than"),
    ({"extra": {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "unknown-deployment"}}, "deployment that is not registered"),
    ({"extra": {"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"}}, "not LTI version 1.3.0"),
    ({"extra": {"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiSubmissionReviewRequest"}}, "kind of LTI message"),
])
def test_a_launch_breaking_a_rule_is_refused_and_signs_no_one_in(registered, campaign, client, claims, reason):
    response = launch(client, registered, custom=CUSTOM, **claims)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert db.session.scalar(select(LtiAccount)) is None
    assert client.get("/sessions").status_code == 302  # still signed out


def test_a_tampered_id_token_fails_its_signature(registered, campaign, client):
    form = registered.authorise(authentication_request(client, registered), custom=CUSTOM)
    header, payload, signature = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = post_launch(client, {**form, "id_token": f"{header}.{forged}.{signature}"})
    assert response.status_code == 400 and "signature does not verify" in response.get_data(as_text=True)


def test_a_launch_signed_by_another_key_is_refused(registered, campaign, client):
    request = authentication_request(client, registered)
    registered.registration.set_platform_private_key(private_pem())
    response = post_launch(client, registered.authorise(request, custom=CUSTOM))
    assert response.status_code == 400 and "signature does not verify" in response.get_data(as_text=True)


def test_an_unregistered_platform_cannot_start_a_login(platform, client):
    response = client.get(platform.login_initiation())
    assert response.status_code == 400 and "not registered" in response.get_data(as_text=True)


def test_a_login_that_would_send_the_browser_elsewhere_is_refused(registered, client):
    url = registered.login_initiation().replace("target_link_uri=http%3A%2F%2Flocalhost", "target_link_uri=https%3A%2F%2Fevil.example")
    response = client.get(url)
    assert response.status_code == 400 and "outside this site" in response.get_data(as_text=True)


def test_launch_pages_cannot_be_framed(registered, campaign, client):
    response = launch(client, registered, custom=CUSTOM)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_disabled_linked_account_is_not_signed_in(registered, campaign, client, make_client):
    launch(client, registered, custom=CUSTOM)
    db.session.scalar(select(LtiAccount)).user.disabled_at = utcnow()
    db.session.commit()
    other = make_client()
    response = launch(other, registered, custom=CUSTOM)
    assert response.status_code == 400 and "disabled or deleted" in response.get_data(as_text=True)
    assert other.get("/sessions").status_code == 302
