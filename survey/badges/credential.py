"""Open Badges 3.0 credentials (VC-JWT) for CPD certificates, and the revocation status list.

Pure: no Flask, no database. Follows Open Badges 3.0 (1EdTech) section 8.2, "VC-JWT": the JWT payload
is the credential itself, with the registered claims ``iss`` (the issuer's id), ``nbf`` (validFrom),
``jti`` (the credential's id) and, for an expiring certificate, ``exp`` (validUntil) beside it, signed with RS256 (the algorithm the specification requires
every verifier to support); the header names the key
(``kid``) and carries its public half (``jwk``). Revocation follows W3C Bitstring Status List v1.0:
each credential points at one bit of a signed list that the issuer publishes; a set bit is a
revoked certificate.

The recipient is identified by their name in plain text (an Open Badges ``IdentityObject`` of type
``name``), which is what the public verification page already shows: the credential discloses nothing
more about the doctor than the verification page does.
"""
from __future__ import annotations

import base64
import gzip
from dataclasses import dataclass
from datetime import datetime, timezone

from joserfc import jwt
from joserfc.jwk import RSAKey

from survey.badges.keys import ALGORITHM

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
STATUS_CONTEXT = ["https://www.w3.org/ns/credentials/v2"]
#: A status list holds at least 131,072 entries (16 KB), so that one credential's bit hides among many
#: (Bitstring Status List v1.0, "herd privacy").
STATUS_LIST_BITS = 131_072
MEDIA_TYPE = "application/vc+jwt"


@dataclass(frozen=True)
class Issuer:
    id: str  #: the issuer profile's URL
    name: str
    url: str


@dataclass(frozen=True)
class Achievement:
    """What was achieved: a campaign or one module, as frozen on the certificate."""

    id: str
    name: str
    description: str
    criteria: str
    credits: float
    learning_outcomes: tuple[str, ...]


@dataclass(frozen=True)
class Award:
    """One certificate, as the credential states it."""

    credential_id: str  #: the certificate's public verification URL
    holder_name: str
    completed_at: datetime
    credits: float
    achievement: Achievement
    status_index: int  #: the certificate's bit in the revocation list
    status_list_url: str
    valid_until: datetime | None = None  #: the certificate's end of validity; None: never expires


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _issuer(issuer: Issuer) -> dict:
    return {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url}


def _description(achievement: Achievement) -> str:
    """Open Badges has no field for learning outcomes: they follow the description, one per line."""
    outcomes = "\n".join(f"- {outcome}" for outcome in achievement.learning_outcomes)
    return f"{achievement.description}\n\nLearning outcomes:\n{outcomes}" if outcomes else achievement.description


def credential_payload(award: Award, issuer: Issuer) -> dict:
    """The OpenBadgeCredential as a VC-JWT payload."""
    achievement = award.achievement
    return {
        "@context": CONTEXT,
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": _issuer(issuer),
        "validFrom": _timestamp(award.completed_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": award.holder_name}],
            "activityEndDate": _timestamp(award.completed_at),
            "creditsEarned": award.credits,
            "achievement": {
                "id": achievement.id, "type": ["Achievement"], "achievementType": "Course",
                "name": achievement.name, "description": _description(achievement),
                "criteria": {"narrative": achievement.criteria},
                "creditsAvailable": achievement.credits, "inLanguage": "en-GB",
            },
        },
        "credentialStatus": {
            "id": f"{award.status_list_url}#{award.status_index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(award.status_index),
            "statusListCredential": award.status_list_url,
        },
        "iss": issuer.id, "jti": award.credential_id, "nbf": int(award.completed_at.timestamp()),
    } | _expiry(award)


def _expiry(award: Award) -> dict:
    """A certificate that expires states ``validUntil``, and the VC-JWT's ``exp`` claim beside it
    (section 8.2 maps one to the other), so a verifier sees an expired credential as expired."""
    if award.valid_until is None:
        return {}
    return {"validUntil": _timestamp(award.valid_until), "exp": int(award.valid_until.timestamp())}


def encoded_list(revoked: set[int], bits: int = STATUS_LIST_BITS) -> str:
    """The list's bits (index 0 is the first byte's most significant bit), GZIP-compressed, base64url
    without padding, with the multibase prefix "u"."""
    size = max(bits, max(revoked, default=-1) + 1)
    bitstring = bytearray((size + 7) // 8)
    for index in revoked:
        bitstring[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bitstring), mtime=0)).decode().rstrip("=")


def status_list_payload(list_url: str, issuer: Issuer, revoked: set[int], now: datetime) -> dict:
    """The BitstringStatusListCredential for revocation, as a VC-JWT payload."""
    return {
        "@context": STATUS_CONTEXT,
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": _issuer(issuer),
        "validFrom": _timestamp(now),
        "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation", "encodedList": encoded_list(revoked)},
        "iss": issuer.id, "jti": list_url, "nbf": int(now.timestamp()),
    }


def sign(payload: dict, key: RSAKey) -> str:
    """The payload as a compact JWS (RS256), naming the key and carrying its public half."""
    header = {"alg": ALGORITHM, "typ": "vc+jwt", "kid": key.kid, "jwk": key.as_dict(private=False)}
    return jwt.encode(header, payload, key, algorithms=[ALGORITHM])
