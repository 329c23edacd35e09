"""Issuing a certificate's Open Badge and publishing the revocation list, from the certificates table."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from survey.badges import keys as badge_keys
from survey.badges.credential import Achievement, Award, Issuer, credential_payload, sign, status_list_payload
from survey.campaigns.journey import CAMPAIGN
from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.certificates.services import find_by_code
from survey.db import utcnow
from survey.extensions import db
from survey.web.urls import external_url

CAMPAIGN_CRITERIA = ("Studied every module of the campaign, passed each module's knowledge check, answered "
                     "the post-course survey and wrote a reflection on the learning.")
MODULE_CRITERIA = "Studied the module, passed its knowledge check and wrote a reflection on the learning."


def key_set():
    """The signing keys. In development and testing a key is made on first use (in the instance folder,
    never the repository); in production the operator provides the file (README, "Open Badges")."""
    path = Path(current_app.config["BADGE_KEYS_FILE"])
    if not path.is_file() and current_app.config["SURVEY_ENV"] in ("development", "testing"):
        badge_keys.rotate(path)
    return badge_keys.load_keys(path)


def _url(path: str) -> str:
    """An identifier on the site's public address that is not a page (achievement ids)."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def issuer() -> Issuer:
    return Issuer(id=external_url("badges.issuer"), name=current_app.config["ISSUER_NAME"],
                  url=external_url("campaigns.home"))


def status_list_url(kid: str) -> str:
    """Each key signs its own copy of the list, and a credential points at the copy of the key that signed
    it: so a verifier checks the list with the same key as the credential, before and after a rotation."""
    return external_url("badges.status_list", kid=kid)


def award_of(certificate: Certificate, kid: str) -> Award:
    """The certificate's snapshot as an award: the achievement is the campaign, or the module."""
    enrolment = db.session.get(Enrolment, certificate.enrolment_id) if certificate.enrolment_id else None
    activity = enrolment.campaign.slug if enrolment else f"certificate-{certificate.code}"
    if certificate.scope != CAMPAIGN:
        activity += f"/{certificate.scope}"
    modules = certificate.module_titles.splitlines()
    description = (f"A CPD activity on work and health for general practitioners: {'; '.join(modules)}."
                   + (f" Commissioned by {certificate.charity_name}." if certificate.charity_name else ""))
    achievement = Achievement(
        id=_url(f"/badges/achievements/{activity}"), name=certificate.activity_title, description=description,
        criteria=CAMPAIGN_CRITERIA if certificate.scope == CAMPAIGN else MODULE_CRITERIA,
        credits=certificate.credits, learning_outcomes=tuple(certificate.learning_outcomes.splitlines()))
    return Award(credential_id=external_url("certificates.verify", code=certificate.code),
                 holder_name=certificate.holder_name, completed_at=certificate.completed_at, credits=certificate.credits, achievement=achievement,
                 status_index=certificate.id, status_list_url=status_list_url(kid), valid_until=certificate.valid_until)


def owned_certificate(code: str, user) -> Certificate | None:
    """The certificate with this code if it is ``user``'s own, else None."""
    certificate = find_by_code(code)
    enrolment = db.session.get(Enrolment, certificate.enrolment_id) if certificate and certificate.enrolment_id else None
    return certificate if enrolment is not None and enrolment.user_id == user.id else None


def signed_credential(certificate: Certificate) -> str:
    """The certificate's Open Badge as a VC-JWT, signed with the current key."""
    key = badge_keys.signing_key(key_set())
    return sign(credential_payload(award_of(certificate, key.kid), issuer()), key)


def signed_status_list(kid: str) -> str | None:
    """The revocation list as it stands now, signed by the key ``kid`` (None for an unknown key): the
    bit of every revoked certificate is set."""
    key = next((key for key in key_set().keys if key.kid == kid), None)
    if key is None:
        return None
    revoked = set(db.session.scalars(select(Certificate.id).where(Certificate.revoked_at.is_not(None))))
    return sign(status_list_payload(status_list_url(kid), issuer(), revoked, utcnow()), key)


def issuer_profile() -> dict:
    """The issuer's Open Badges Profile, with its public keys."""
    found = issuer()
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": found.id, "type": ["Profile"], "name": found.name, "url": found.url,
            "publicKeys": external_url("badges.keys")}


def public_keys() -> dict:
    return badge_keys.public_key_set(key_set())
