"""Admins configure providers; the client secret is stored encrypted and never shown or logged again."""
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.oidc.models import OidcProvider
from tests.factories import PASSWORD, make_user
from tests.oidc.conftest import sign_in_through
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Person

SECRET = "s3cret-from-openathens-do-not-show"


def _admin(make_client):
    client = make_client()
    client.login(make_user("admin").email, PASSWORD)
    return client


def _form(issuer="https://login.openathens.example/oidc", secret=SECRET, enabled="y", **changes):
    return {"name": "OpenAthens", "issuer": issuer, "client_id": "platform-client", "client_secret": secret,
            "enabled": enabled, **changes}


def test_only_admins_reach_the_provider_pages(make_client, app):
    gp, educator = make_client(), make_client()
    gp.login(make_user("gp").email, PASSWORD)
    educator.login(make_user("educator").email, PASSWORD)
    for client in (gp, educator):
        assert client.get("/admin/sign-in-providers/").status_code == 403
        assert client.post("/admin/sign-in-providers/new", _form()).status_code == 403
    assert db.session.scalar(select(OidcProvider)) is None
    assert make_client().get("/admin/sign-in-providers/new").status_code == 302  # anonymous: sign in first


def test_the_secret_is_never_shown_logged_or_stored_in_clear(make_client, app):
    admin = _admin(make_client)
    response = admin.post("/admin/sign-in-providers/new", _form())
    assert response.headers["Location"] == "/admin/sign-in-providers/"
    provider = db.session.scalar(select(OidcProvider))

    for page in (admin.get("/admin/sign-in-providers/"), admin.get(f"/admin/sign-in-providers/{provider.id}"),
                 admin.get("/admin/audit")):
        assert SECRET not in page.get_data(as_text=True)
    edit_page = admin.get(f"/admin/sign-in-providers/{provider.id}").get_data(as_text=True)
    assert "http://localhost/login/oidc/callback" in edit_page  # the redirect URI to register
    assert SECRET not in provider.client_secret_encrypted
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "oidc.provider_saved"))
    assert SECRET not in str(event.detail) and event.detail["secret_changed"] is True


def test_bad_settings_get_a_message_beside_the_field_and_keep_the_typing(make_client, app):
    admin = _admin(make_client)
    page = admin.post("/admin/sign-in-providers/new", _form(issuer="http://login.openathens.example/oidc"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "The issuer must be an https:// address" in text
    assert 'value="platform-client"' in text
    no_secret = admin.post("/admin/sign-in-providers/new", _form(secret="")).get_data(as_text=True)
    assert "Give the client secret" in no_secret
    assert db.session.scalar(select(OidcProvider)) is None


def test_an_edit_with_an_empty_secret_keeps_the_stored_one(make_client, provider, app):
    """Proven by signing in: the provider accepts only the secret first saved."""
    admin = _admin(make_client)
    admin.post("/admin/sign-in-providers/new", _form(issuer=provider.issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET))
    row = db.session.scalar(select(OidcProvider))
    admin.post(f"/admin/sign-in-providers/{row.id}", _form(issuer=provider.issuer, client_id=CLIENT_ID, secret="",
                                                            name="OpenAthens Keystone"))
    make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-1", email="ada@practice.example")

    gp = make_client()
    assert sign_in_through(gp, row.id).headers["Location"] == "/"
    assert "Sign in with OpenAthens Keystone" in make_client().get("/login").get_data(as_text=True)


def test_a_wrong_secret_is_refused_by_the_provider_with_a_message(make_client, provider, app):
    admin = _admin(make_client)
    admin.post("/admin/sign-in-providers/new", _form(issuer=provider.issuer, client_id=CLIENT_ID, secret="wrong"))
    row = db.session.scalar(select(OidcProvider))
    provider.person = Person(sub="oa-1", email="ada@practice.example")

    gp = make_client()
    assert sign_in_through(gp, row.id).headers["Location"] == "/login"
    assert "OpenAthens did not sign you in" in gp.get("/login").get_data(as_text=True)


def test_an_admin_can_disable_a_provider(make_client, app):
    admin = _admin(make_client)
    admin.post("/admin/sign-in-providers/new", _form())
    row = db.session.scalar(select(OidcProvider))
    admin.post(f"/admin/sign-in-providers/{row.id}", _form(secret="", enabled=""))
    db.session.refresh(row)
    assert row.enabled is False
    assert "Sign in with OpenAthens" not in make_client().get("/login").get_data(as_text=True)
