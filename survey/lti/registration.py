"""LTI Dynamic Registration 1.0: a platform (Moodle's "Add LTI Advantage") registers this tool by itself.

The platform opens our registration address with ``openid_configuration`` and ``registration_token``; we read
its configuration, POST our client registration to its registration endpoint, and store the platform with the
client id and deployment id it answers. Who may start it: the address carries a signed, dated invitation that an
admin copied from ``/admin/lti/`` (the platform opens it in its own frame, where our session cookie is not sent).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from survey import clock
from survey.lti import services
from survey.lti.grades import SCORE_SCOPE, TIMEOUT_SECONDS
from survey.lti.models import LtiPlatform
from survey.lti.roster import NRPS_SCOPE
from survey.web.urls import external_url

#: How long an admin's registration address works.
INVITATION_HOURS = 24
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
REQUIRED_ENDPOINTS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")


class RegistrationRefused(Exception):
    """Why the platform could not be registered, for the page the platform shows the admin."""


def _invitations() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lti-dynamic-registration", signer=clock.ClockSigner)


def invitation(admin_id: int) -> str:
    return _invitations().dumps({"admin": admin_id})


def invited_admin(token: str) -> int:
    try:
        return _invitations().loads(token, max_age=INVITATION_HOURS * 3600)["admin"]
    except SignatureExpired:
        raise RegistrationRefused("This registration address has expired; copy a new one from the tool's LTI platforms page.") from None
    except (BadSignature, KeyError, TypeError):
        raise RegistrationRefused("This is not a registration address of this tool; copy it from the tool's LTI platforms page.") from None


@dataclass(frozen=True)
class Registered:
    platform: LtiPlatform
    deployment_id: str


def register(openid_configuration: str, registration_token: str | None) -> Registered:
    """Read the platform's configuration, register with it, and save the registration it answers."""
    config = _platform_configuration(openid_configuration)
    headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    try:
        response = requests.post(config["registration_endpoint"], json=client_registration(), headers=headers,
                                 timeout=TIMEOUT_SECONDS)
        answer = response.json() if response.ok else {}
    except (requests.RequestException, ValueError) as error:
        raise RegistrationRefused(f"The platform could not be reached to register ({type(error).__name__}).") from None
    if not response.ok:
        raise RegistrationRefused(f"The platform refused the registration ({response.status_code}: {response.text[:200]}).")
    client_id = str(answer.get("client_id") or "")
    deployment_id = str((answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id") or "")
    if not client_id or not deployment_id:
        raise RegistrationRefused("The platform's answer names no client id or no deployment id.")
    name = (config.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") or urlsplit(config["issuer"]).netloc
    platform = LtiPlatform(name=f"{name} ({urlsplit(config['issuer']).netloc})"[:120], issuer=config["issuer"],
                           client_id=client_id, auth_login_url=config["authorization_endpoint"],
                           auth_token_url=config["token_endpoint"], jwks_url=config["jwks_uri"])
    try:
        services.register_platform(platform, [deployment_id])
    except services.RegistrationError as error:
        raise RegistrationRefused(str(error)) from None
    return Registered(platform, deployment_id)


def _platform_configuration(url: str) -> dict:
    if urlsplit(url).scheme not in ("http", "https"):
        raise RegistrationRefused("The platform did not say where its configuration is (openid_configuration).")
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as error:
        raise RegistrationRefused(f"The platform's configuration could not be read from {url} ({type(error).__name__}).") from None
    if not isinstance(config, dict) or any(not isinstance(config.get(k), str) or not config.get(k) for k in REQUIRED_ENDPOINTS):
        raise RegistrationRefused("The platform's configuration lacks its issuer or one of its endpoints.")
    # Dynamic Registration 1.0: the issuer must be on the host the configuration was read from.
    if urlsplit(config["issuer"]).netloc != urlsplit(url).netloc:
        raise RegistrationRefused("The platform's configuration names an issuer on another host than the one it came from.")
    return config


def client_registration() -> dict:
    """This tool as an OpenID client with its LTI configuration (the registration request of Dynamic Registration 1.0)."""
    launch = external_url("lti.launch")
    return {
        "application_type": "web", "response_types": ["id_token"], "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": external_url("lti.login"), "redirect_uris": [launch],
        "client_name": current_app.config["ISSUER_NAME"], "jwks_uri": external_url("lti.jwks"),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join([SCORE_SCOPE, LINEITEM_SCOPE, NRPS_SCOPE]),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(launch).netloc, "target_link_uri": launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": launch}],
        },
    }
