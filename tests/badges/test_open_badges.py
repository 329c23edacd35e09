"""Open Badges 3.0: a certificate's credential verifies with an independent library (openbadgeslib, on
PyJWT; we sign with joserfc), revocation through the status list makes it fail, keys rotate."""
import json
from urllib.parse import urlsplit

import jwt as pyjwt
import pytest
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from survey.badges.keys import rotate
from survey.certificates.services import revoke_certificate
from survey.extensions import db
from tests.certificates.helpers import issue, ready_enrolment
from tests.factories import PASSWORD, make_user


@pytest.fixture
def config_overrides():
    return {"BASE_URL": "https://cpd.example.org"}


@pytest.fixture
def certificate(app, client):
    jane = make_user(name="Dr Jane Doe", email="jane@example.org", gmc_number="1234567")
    issued = issue(ready_enrolment(user=jane))
    client.login(jane.email, PASSWORD)
    return issued


def fetcher(client):
    """What a verifier's HTTPS fetch of our published documents returns, through the test client."""
    def download(url: str) -> bytes:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == "cpd.example.org", url
        response = client.get(parts.path)
        assert response.status_code == 200, url
        return response.data
    return download


def verifier_for(client, kid: str) -> OB3Verifier:
    """A verifier holding the issuer's published key with this id, as PEM."""
    keys = json.loads(fetcher(client)("https://cpd.example.org/badges/keys.json"))["keys"]
    jwk = next(key for key in keys if key["kid"] == kid)
    return OB3Verifier(pyjwt.PyJWK(jwk).key)


def verify(client, token: str):
    kid = pyjwt.get_unverified_header(token)["kid"]
    return verifier_for(client, kid).verify(token, check_status=True, verify_status_list=True,
                                            download=fetcher(client))


def test_the_gps_credential_verifies_independently_and_states_the_certificate(certificate, client):
    response = client.get(f"/my-learning/badge/{certificate.code}.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    credential = verify(client, response.get_data(as_text=True))
    assert credential.issuer.id == "https://cpd.example.org/badges/issuer"
    assert credential.issuer.name == "Work & Health Learning"
    payload = pyjwt.decode(response.data, options={"verify_signature": False})
    subject = payload["credentialSubject"]
    assert subject["achievement"]["name"] == certificate.activity_title
    assert subject["creditsEarned"] == certificate.credits
    assert subject["identifier"] == [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                                      "identityHash": "Dr Jane Doe"}]
    assert payload["id"] == f"https://cpd.example.org/verify/{certificate.code}"
    for outcome in certificate.learning_outcomes.splitlines():
        assert outcome in subject["achievement"]["description"]
    assert "1234567" not in response.get_data(as_text=True) and "jane@example.org" not in response.get_data(as_text=True)


def test_revoking_the_certificate_makes_verification_fail_anywhere(certificate, client):
    token = client.get(f"/verify/{certificate.code}/badge.jwt").get_data(as_text=True)
    verify(client, token)
    revoke_certificate(certificate, make_user(email="admin@example.org", role="admin"), "Issued in error")
    db.session.commit()
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify(client, token)


def test_a_tampered_credential_fails(certificate, client):
    token = client.get(f"/verify/{certificate.code}/badge.jwt").get_data(as_text=True)
    header, payload, signature = token.split(".")
    forged = pyjwt.utils.base64url_encode(
        pyjwt.utils.base64url_decode(payload).replace(b'Dr Jane Doe', b'Dr Jane Roe')).decode()
    assert forged != payload
    with pytest.raises(OB3VerificationError, match="signature"):
        verify(client, f"{header}.{forged}.{signature}")


def test_after_a_key_rotation_old_and_new_credentials_both_verify(certificate, client, app):
    old = client.get(f"/verify/{certificate.code}/badge.jwt").get_data(as_text=True)
    new_kid = rotate(app.config["BADGE_KEYS_FILE"])
    new = client.get(f"/verify/{certificate.code}/badge.jwt").get_data(as_text=True)
    assert pyjwt.get_unverified_header(new)["kid"] == new_kid != pyjwt.get_unverified_header(old)["kid"]
    verify(client, old)
    verify(client, new)


def test_only_the_holder_downloads_from_my_learning_and_unknown_codes_are_404(certificate, client, make_client):
    other = make_client()
    stranger = make_user(email="stranger@example.org")
    other.login(stranger.email, PASSWORD)
    assert other.get(f"/my-learning/badge/{certificate.code}.jwt").status_code == 404
    assert client.get("/verify/AAAAABBBBBCCCCCDDDDD/badge.jwt").status_code == 404


def test_without_keys_in_production_badges_say_they_are_not_set_up(certificate, client, app, tmp_path):
    app.config.update(SURVEY_ENV="production", BADGE_KEYS_FILE=str(tmp_path / "missing.json"))
    response = client.get(f"/verify/{certificate.code}/badge.jwt")
    assert response.status_code == 503 and "not set up" in response.get_data(as_text=True)
    assert not (tmp_path / "missing.json").exists()


def test_my_learning_and_the_verify_page_link_the_credential(certificate, client):
    assert f'href="/my-learning/badge/{certificate.code}.jwt"' in client.get("/my-learning").get_data(as_text=True)
    assert f'href="/verify/{certificate.code}/badge.jwt"' in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
