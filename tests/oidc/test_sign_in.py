"""Signing in through an organisation's OpenID Connect provider running in the test (Authlib's server)."""
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.auth.models import User, UserSession
from survey.extensions import db
from survey.oidc import services
from survey.oidc.models import OidcIdentity
from survey.privacy.services import delete_account
from tests.factories import make_campaign, make_user
from tests.oidc.conftest import sign_in_through, visit_provider
from tests.oidc.provider import CLIENT_ID, Person


def _signed_in_as(client) -> User | None:
    """Whose live server-side session the client's cookie holds, if any (read through the sessions page)."""
    if client.get("/sessions").status_code != 200:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.ended_at.is_(None))
                            .order_by(UserSession.created_at.desc()))
    return row.user


def _sign_in_page(client) -> str:
    return client.get("/login").get_data(as_text=True)


def _last_refusal() -> AuditEvent:
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")
                             .order_by(AuditEvent.id.desc()))


def _identities() -> list[OidcIdentity]:
    return list(db.session.scalars(select(OidcIdentity)))


def test_the_sign_in_page_offers_each_enabled_provider(client, configured):
    page = _sign_in_page(client)
    assert "Sign in with OpenAthens" in page and f'href="/login/oidc/{configured.id}"' in page


def test_first_sign_in_links_the_account_with_the_same_confirmed_email(client, provider, configured):
    gp = make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="Ada@Practice.example")

    response = sign_in_through(client, configured.id)

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _signed_in_as(client).id == gp.id
    assert [(i.subject, i.user_id) for i in _identities()] == [("oa-12345", gp.id)]
    link = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "oidc.link"))
    assert link.actor_id == gp.id and link.detail["subject"] == "oa-12345"
    sign_in = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in"))
    assert sign_in.detail["via"] == f"oidc:{configured.id}"


def test_a_linked_identity_signs_in_even_after_the_provider_changes_the_address(make_client, provider, configured):
    gp = make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    sign_in_through(make_client(), configured.id)
    provider.person = Person(sub="oa-12345", email="ada.lovelace@newtrust.example", email_verified=False)

    other_device = make_client()
    assert sign_in_through(other_device, configured.id).status_code == 302
    assert _signed_in_as(other_device).id == gp.id
    assert db.session.scalar(select(db.func.count(UserSession.id)).where(UserSession.user_id == gp.id)) == 2


def test_an_account_whose_email_we_have_not_confirmed_is_not_linked(client, provider, configured):
    gp = make_user(email="ada@practice.example")
    gp.email_confirmed_at = None
    db.session.commit()
    provider.person = Person(sub="oa-12345", email="ada@practice.example")

    response = sign_in_through(client, configured.id)

    assert response.headers["Location"] == "/login"
    assert "has not confirmed it yet" in _sign_in_page(client)
    assert _signed_in_as(client) is None and _identities() == []
    assert _last_refusal().detail["reason"] == "oidc.account_unconfirmed"


def test_a_staff_account_is_never_linked_through_a_provider(client, provider, configured):
    admin = make_user(role="admin", email="ops@platform.example")
    provider.person = Person(sub="oa-999", email="ops@platform.example")

    response = sign_in_through(client, configured.id)

    assert response.headers["Location"] == "/login"
    assert "Staff accounts sign in with their email and password." in _sign_in_page(client)
    assert _signed_in_as(client) is None and _identities() == []
    assert _last_refusal().detail["reason"] == "oidc.staff_account" and admin.role == "admin"


def test_an_address_the_provider_has_not_verified_links_nothing_and_creates_nothing(client, provider, configured):
    make_user(email="ada@practice.example")
    provider.person = Person(sub="attacker-1", email="ada@practice.example", email_verified=False)

    sign_in_through(client, configured.id)

    assert "OpenAthens did not confirm your email address" in _sign_in_page(client)
    assert _signed_in_as(client) is None and _identities() == []
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_a_new_person_gets_a_new_gp_account_and_is_asked_to_consent_when_joining(client, provider, configured):
    campaign = make_campaign()
    provider.person = Person(sub="oa-777", email="new.gp@practice.example", name="Dr New\nPerson")

    assert sign_in_through(client, configured.id).status_code == 302

    user = _signed_in_as(client)
    assert (user.email, user.name, user.role) == ("new.gp@practice.example", "Dr New Person", "gp")
    assert user.gmc_number is None
    assert user.email_confirmed_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.register")).detail["via"] == "oidc"
    join = client.get(f"/join/{campaign.enrolment_code}").get_data(as_text=True)
    assert "You agree to take part." in join


def test_an_id_token_from_another_issuer_is_refused(client, provider, configured):
    make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    provider.id_token_overrides = {"iss": "https://impostor.example"}

    assert sign_in_through(client, configured.id).headers["Location"] == "/login"

    assert "We could not verify your sign-in with OpenAthens" in _sign_in_page(client)
    assert _signed_in_as(client) is None and _identities() == []
    refusal = _last_refusal().detail
    assert refusal["reason"] == "oidc.invalid_id_token" and "iss" in refusal["detail"]


def test_a_discovery_document_naming_another_issuer_is_refused(client, provider, app):
    # The same provider under another name: its document names the issuer http://127.0.0.1:<port>.
    row = services.save_provider(None, "Trust", provider.issuer.replace("127.0.0.1", "localhost"), CLIENT_ID, "s", True)
    db.session.commit()
    assert client.get(f"/login/oidc/{row.id}").headers["Location"] == "/login"
    assert "We could not verify your sign-in with Trust" in _sign_in_page(client)
    assert _last_refusal().detail["reason"] == "oidc.wrong_issuer"


def test_an_id_token_for_another_audience_is_refused(client, provider, configured):
    """Even with ``azp`` naming us, which Authlib's own ID token checks would accept without an audience rule."""
    make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    provider.id_token_overrides = {"aud": ["another-service"], "azp": CLIENT_ID}

    assert sign_in_through(client, configured.id).headers["Location"] == "/login"

    assert _signed_in_as(client) is None and _identities() == []
    refusal = _last_refusal().detail
    assert refusal["reason"] == "oidc.invalid_id_token" and "aud" in refusal["detail"]


def test_an_id_token_with_another_nonce_is_refused(client, provider, configured):
    make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    provider.id_token_overrides = {"nonce": "a-nonce-from-another-sign-in"}

    sign_in_through(client, configured.id)

    assert _signed_in_as(client) is None
    refusal = _last_refusal().detail
    assert refusal["reason"] == "oidc.invalid_id_token" and "nonce" in refusal["detail"]


def test_a_replayed_callback_is_refused(client, make_client, provider, configured):
    gp = make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    back = visit_provider(client, configured.id)
    assert client.get(back).status_code == 302 and _signed_in_as(client).id == gp.id
    client.post("/logout")

    replay = client.get(back)

    assert replay.headers["Location"] == "/login"
    assert "That sign-in link has expired or has already been used" in _sign_in_page(client)
    assert _signed_in_as(client) is None
    assert _last_refusal().detail["reason"] == "oidc.state"


def test_a_callback_started_in_another_browser_is_refused(make_client, provider, configured):
    """Login CSRF: an attacker's own callback URL, opened in the victim's browser, signs nobody in."""
    make_user(email="attacker@practice.example")
    provider.person = Person(sub="oa-666", email="attacker@practice.example")
    back = visit_provider(make_client(), configured.id)

    victim = make_client()
    victim.get(f"/login/oidc/{configured.id}")  # the victim's own flow is under way: its state differs
    assert victim.get(back).headers["Location"] == "/login"
    assert _signed_in_as(victim) is None
    assert _last_refusal().detail["reason"] == "oidc.state"


def test_a_disabled_provider_signs_nobody_in_even_mid_flow(client, provider, configured):
    make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    back = visit_provider(client, configured.id)
    services.save_provider(configured, configured.name, configured.issuer, configured.client_id, "", False)
    db.session.commit()

    assert client.get(back).headers["Location"] == "/login"
    assert _signed_in_as(client) is None
    assert "That sign-in option is not available" in _sign_in_page(client)
    assert "Sign in with OpenAthens" not in _sign_in_page(client)
    assert client.get(f"/login/oidc/{configured.id}").headers["Location"] == "/login"
    assert _last_refusal().detail["reason"] == "oidc.disabled"


def test_a_provider_that_cannot_be_reached_gives_a_message_not_an_error(client, app):
    row = services.save_provider(None, "Offline", "http://127.0.0.1:9", CLIENT_ID, "s", True)
    db.session.commit()
    assert client.get(f"/login/oidc/{row.id}").headers["Location"] == "/login"
    assert "We could not reach Offline" in _sign_in_page(client)


def test_the_person_refusing_at_the_provider_gets_a_message(client, provider, configured):
    back = visit_provider(client, configured.id)  # nobody signed in at the provider: it answers access_denied
    assert "error=access_denied" in back
    assert client.get(back).headers["Location"] == "/login"
    assert "OpenAthens did not sign you in" in _sign_in_page(client)


def test_deleting_the_account_removes_its_link_and_a_later_sign_in_starts_afresh(client, make_client, provider,
                                                                                configured):
    gp = make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    sign_in_through(client, configured.id)
    delete_account(gp)
    db.session.commit()
    assert _identities() == []

    again = make_client()
    sign_in_through(again, configured.id)
    assert _signed_in_as(again).id != gp.id


def test_a_secret_sealed_under_an_old_secret_key_gives_a_message(client, app, configured):
    app.config["SECRET_KEY"] = "rotated-secret-key"
    assert client.get(f"/login/oidc/{configured.id}").headers["Location"] == "/login"
    assert "Sign-in with OpenAthens is not available at the moment" in _sign_in_page(client)
    assert _last_refusal().detail["reason"] == "oidc.secret_unreadable"


def test_a_disabled_account_is_not_signed_in_through_its_link(make_client, provider, configured):
    gp = make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    sign_in_through(make_client(), configured.id)
    gp.disabled_at = gp.created_at
    db.session.commit()

    client = make_client()
    assert sign_in_through(client, configured.id).headers["Location"] == "/login"
    assert "This account has been disabled" in _sign_in_page(client)
    assert _last_refusal().detail["reason"] == "oidc.account_disabled"


def test_a_callback_replayed_with_the_cookie_from_before_is_refused_by_the_spent_code(client, provider, configured):
    """The signed session cookie cannot forget a state it carried; the provider's single-use code still holds."""
    gp = make_user(email="ada@practice.example")
    provider.person = Person(sub="oa-12345", email="ada@practice.example")
    back = visit_provider(client, configured.id)
    cookie_before = client.client.get_cookie("session").value
    client.get(back)
    client.post("/logout")

    client.client.set_cookie("session", cookie_before, domain="localhost")
    assert client.get(back).headers["Location"] == "/login"
    assert _signed_in_as(client) is None
    refusal = _last_refusal().detail
    assert refusal["reason"] == "oidc.provider_error" and "invalid_grant" in refusal["detail"]
    assert db.session.scalar(select(db.func.count(UserSession.id)).where(UserSession.user_id == gp.id)) == 1
