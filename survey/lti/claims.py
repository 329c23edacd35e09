"""Checks on a platform's ID token, each the LTI 1.3 or 1EdTech Security Framework rule it cites.

Pure: no Flask, no database. joserfc verifies the signature; the rules around it are here, named.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
MESSAGE_TYPES = ("LtiResourceLinkRequest", "LtiDeepLinkingRequest")
#: Security Framework 5.1.3 step 8: a token issued longer ago than this is refused, whatever its exp.
MAX_AGE_SECONDS = 600
#: Clock difference tolerated between the platform and us.
LEEWAY_SECONDS = 60


class InvalidLaunch(Exception):
    """The ID token breaks a rule; the message says which, for the launch page and the log."""


@dataclass(frozen=True)
class Expected:
    issuer: str
    client_id: str
    nonce: str
    deployment_ids: frozenset[str]


def verified_claims(id_token: str, platform_keys: KeySet, expected: Expected, now: float | None = None) -> dict:
    """The ID token's claims once every rule of LTI 1.3 section 5.1.3 (Security Framework 5.1.3) holds."""
    try:
        # Step 1 and 6: the signature, by one of the platform's published keys, with RS256 only.
        token = jwt.decode(id_token, platform_keys, algorithms=["RS256"])
    except (JoseError, ValueError) as error:
        raise InvalidLaunch(f"The launch's signature does not verify against the platform's keys ({error}).") from None
    claims = token.claims
    now = time.time() if now is None else now
    _check_identity(claims, expected)
    _check_times(claims, now)
    if claims.get("nonce") != expected.nonce:  # step 9: the nonce of this login, which is spent with it
        raise InvalidLaunch("The launch's nonce is not the one this login issued.")
    _check_message(claims, expected.deployment_ids)
    return claims


def _check_identity(claims: dict, expected: Expected) -> None:
    if claims.get("iss") != expected.issuer:  # step 2
        raise InvalidLaunch("The launch comes from an issuer other than the registered platform.")
    audiences = claims.get("aud")
    audiences = [audiences] if isinstance(audiences, str) else audiences or []
    if expected.client_id not in audiences:  # step 3
        raise InvalidLaunch("The launch is addressed to another tool (its audience is not our client id).")
    if len(audiences) > 1 and "azp" not in claims:  # step 4
        raise InvalidLaunch("The launch names several audiences but no authorised party (azp).")
    if "azp" in claims and claims["azp"] != expected.client_id:  # step 5
        raise InvalidLaunch("The launch's authorised party (azp) is not our client id.")


def _check_times(claims: dict, now: float) -> None:
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, (int, float)) or not isinstance(issued, (int, float)):
        raise InvalidLaunch("The launch lacks its expiry (exp) or issue time (iat).")
    if now > expires + LEEWAY_SECONDS:  # step 7
        raise InvalidLaunch("The launch has expired; start it again from the course.")
    if issued > now + LEEWAY_SECONDS or now - issued > MAX_AGE_SECONDS:  # step 8
        raise InvalidLaunch("The launch was issued too long ago (or in the future); start it again from the course.")


def _check_message(claims: dict, deployment_ids: frozenset[str]) -> None:
    """LTI 1.3 core 5.3 (required message claims) and 5.3.3 (a deployment the tool knows)."""
    if claims.get(LTI + "message_type") not in MESSAGE_TYPES:
        raise InvalidLaunch("The launch is a kind of LTI message this tool does not handle.")
    if claims.get(LTI + "version") != "1.3.0":
        raise InvalidLaunch("The launch is not LTI version 1.3.0.")
    if claims.get(LTI + "deployment_id") not in deployment_ids:
        raise InvalidLaunch("The launch names a deployment that is not registered here; ask the site administrator.")
    if not claims.get("sub"):
        raise InvalidLaunch("The launch does not say who the user is (sub); anonymous launches are not supported.")
    if claims[LTI + "message_type"] == "LtiResourceLinkRequest" and not (claims.get(LTI + "resource_link") or {}).get("id"):
        raise InvalidLaunch("The launch lacks its resource link id.")
    if claims[LTI + "message_type"] == "LtiDeepLinkingRequest" and not (claims.get(DEEP_LINKING) or {}).get("deep_link_return_url"):
        raise InvalidLaunch("The deep-linking request lacks its return URL.")
