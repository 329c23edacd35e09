"""LTI Dynamic Registration 1.0: the platform opens the admin's registration address, and the tool registers itself."""
import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select

from survey import clock
from survey.auth.models import User
from survey.extensions import db
from survey.lti.models import LtiPlatform
from survey.lti.registration import INVITATION_HOURS
from tests.factories import PASSWORD, make_user

ADDRESS = re.compile(r"(http://localhost/lti/register/[^<\s]+)")


def registration_address(client) -> str:
    """What the admin copies from /admin/lti/ into the platform."""
    client.login(make_user(role="admin").email, PASSWORD)
    return ADDRESS.search(client.get("/admin/lti/").get_data(as_text=True)).group(1)


def opened_by_platform(app, address: str, platform, token: str = "one-time-token"):
    """The platform opens the address in its frame: no cookie of ours comes with it."""
    query = urlencode({"openid_configuration": f"{platform.url}/.well-known/openid-configuration", "registration_token": token})
    with app.app_context():
        return app.test_client(use_cookies=False).get(f"{urlsplit(address).path}?{query}")


def test_the_platform_registers_the_tool_and_the_tool_stores_the_platform(app, client, platform):
    response = opened_by_platform(app, registration_address(client), platform)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "registered-client-9" in page and "New window" in page
    assert f"frame-ancestors {platform.url}" in response.headers["Content-Security-Policy"]
    [(authorization, body)] = platform.registrations
    assert authorization == "Bearer one-time-token"
    assert body["initiate_login_uri"] == "http://localhost/lti/login" and body["redirect_uris"] == ["http://localhost/lti/launch"]
    assert body["jwks_uri"] == "http://localhost/lti/jwks.json" and body["token_endpoint_auth_method"] == "private_key_jwt"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in body["scope"].split()
    messages = body["https://purl.imsglobal.org/spec/lti-tool-configuration"]["messages"]
    assert messages == [{"type": "LtiDeepLinkingRequest", "target_link_uri": "http://localhost/lti/launch"}]
    stored = db.session.scalar(select(LtiPlatform))
    assert (stored.issuer, stored.client_id, stored.auth_login_url, stored.jwks_url) == (
        platform.url, "registered-client-9", f"{platform.url}/auth", f"{platform.url}/jwks")
    assert [d.deployment_id for d in stored.deployments] == ["7"]
    assert "lti.platform_registered" in client.get("/admin/audit").get_data(as_text=True)


def test_a_platform_refusing_the_registration_leaves_nothing_registered(app, client, platform):
    response = opened_by_platform(app, registration_address(client), platform, token="wrong")
    assert response.status_code == 400 and "refused the registration (401" in response.get_data(as_text=True)
    assert db.session.scalar(select(LtiPlatform)) is None


def test_an_issuer_on_another_host_than_its_configuration_is_refused(app, client, platform):
    platform.announced_issuer = "https://elsewhere.example"
    response = opened_by_platform(app, registration_address(client), platform)
    assert response.status_code == 400 and "issuer on another host" in response.get_data(as_text=True)
    assert platform.registrations == [] and db.session.scalar(select(LtiPlatform)) is None


def test_only_an_admins_fresh_address_registers(app, client, platform, monkeypatch):
    forged = opened_by_platform(app, "http://localhost/lti/register/made-up", platform)
    assert forged.status_code == 400 and "not a registration address" in forged.get_data(as_text=True)
    address = registration_address(client)
    later = clock.now() + timedelta(hours=INVITATION_HOURS, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = opened_by_platform(app, address, platform)
    assert expired.status_code == 400 and "has expired" in expired.get_data(as_text=True)
    assert platform.registrations == [] and db.session.scalar(select(LtiPlatform)) is None


def test_an_address_stops_working_when_its_admin_is_no_longer_one(app, client, platform):
    address = registration_address(client)
    admin = db.session.scalar(select(User).where(User.role == "admin"))
    admin.role = "educator"
    db.session.commit()
    response = opened_by_platform(app, address, platform)
    assert response.status_code == 400 and "can no longer register platforms" in response.get_data(as_text=True)
    assert platform.registrations == []
