"""Platform registration, the tool's keys, and the OIDC login and launch (LTI 1.3 core section 5.1)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests
from flask import current_app
from joserfc.jwk import KeySet
from sqlalchemy import select

from survey.badges import keys as jwk_files
from survey.db import utcnow
from survey.extensions import db
from survey.lti.claims import LTI, Expected, InvalidLaunch, verified_claims
from survey.lti.models import LtiDeployment, LtiLogin, LtiPlatform
from survey.web.urls import external_url

#: How long the platform has to answer our authentication request with the launch.
LOGIN_MINUTES = 5


class RegistrationError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def tool_keys() -> KeySet:
    """The tool's signing keys (the same rotatable JWKS file format as the badge keys). Made on first use in
    development and testing; in production the operator provides ``LTI_KEYS_FILE`` (README, "LTI")."""
    path = Path(current_app.config["LTI_KEYS_FILE"])
    if not path.is_file() and current_app.config["SURVEY_ENV"] in ("development", "testing"):
        jwk_files.rotate(path)
    if not path.is_file():
        raise jwk_files.NoKeys(f"No LTI signing keys at {path}.")
    return jwk_files.load_keys(path)


def public_tool_keys() -> dict:
    return jwk_files.public_key_set(tool_keys())


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name)))


def register_platform(platform: LtiPlatform, deployment_ids: list[str]) -> LtiPlatform:
    """Save a platform's registration (new or edited) with exactly these deployments; one per issuer and client id."""
    clash = db.session.scalar(select(LtiPlatform).where(
        LtiPlatform.issuer == platform.issuer, LtiPlatform.client_id == platform.client_id, LtiPlatform.id != platform.id))
    if clash is not None:
        raise RegistrationError("client_id", f"“{clash.name}” is already registered with this issuer and client id.")
    if not deployment_ids:
        raise RegistrationError("deployment_ids", "Enter at least one deployment id.")
    kept = {d.deployment_id: d for d in platform.deployments}
    platform.deployments = [kept.get(d) or LtiDeployment(deployment_id=d) for d in dict.fromkeys(deployment_ids)]
    db.session.add(platform)
    db.session.flush()
    return platform


@dataclass(frozen=True)
class LoginRedirect:
    url: str  #: the platform's authorisation endpoint with our authentication request
    state: str  #: also kept in the browser, so the launch must come back to the browser that started it


def start_login(params: dict) -> LoginRedirect:
    """Answer the platform's third-party login initiation (core 5.1.1) with an authentication request carrying
    a fresh state and nonce, each good for one launch within LOGIN_MINUTES."""
    issuer, client_id = params.get("iss", ""), params.get("client_id")
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    candidates = list(db.session.scalars(query))
    if len(candidates) != 1:
        raise InvalidLaunch("This platform is not registered here (or its client id is ambiguous); ask the site administrator.")
    platform = candidates[0]
    target = params.get("target_link_uri", "")
    if not _on_this_site(target):
        raise InvalidLaunch("The launch asks to go to an address outside this site.")
    if not params.get("login_hint"):
        raise InvalidLaunch("The login initiation lacks its login_hint.")
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db.session.add(LtiLogin(platform_id=platform.id, state_hash=_hash(state), nonce=nonce, target_link_uri=target,
                            expires_at=utcnow() + timedelta(minutes=LOGIN_MINUTES)))
    request = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
               "client_id": platform.client_id, "redirect_uri": external_url("lti.launch"),
               "login_hint": params["login_hint"], "state": state, "nonce": nonce}
    if params.get("lti_message_hint"):
        request["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if urlsplit(platform.auth_login_url).query else "?"
    return LoginRedirect(platform.auth_login_url + separator + urlencode(request), state)


@dataclass(frozen=True)
class Launch:
    platform: LtiPlatform
    claims: dict

    @property
    def message_type(self) -> str:
        return self.claims[LTI + "message_type"]

    @property
    def deployment_id(self) -> str:
        return self.claims[LTI + "deployment_id"]


def complete_launch(state: str, id_token: str, browser_state: str | None) -> Launch:
    """Verify the platform's authentication response (core 5.1.3): the state this browser was given and not yet
    spent (it is spent now, even if a later check fails), then the ID token against the platform's keys."""
    if not state or not secrets.compare_digest(state, browser_state or ""):
        raise InvalidLaunch("This launch was not started in this browser (its state does not match); start it again from the course.")
    login = db.session.scalar(select(LtiLogin).where(LtiLogin.state_hash == _hash(state)).with_for_update())
    if login is None or login.used_at is not None:
        raise InvalidLaunch("This launch has already been used; start it again from the course.")
    login.used_at = utcnow()
    db.session.flush()
    if login.expires_at < login.used_at:
        raise InvalidLaunch("This launch took too long; start it again from the course.")
    platform = db.session.get(LtiPlatform, login.platform_id)
    expected = Expected(platform.issuer, platform.client_id, login.nonce,
                        frozenset(d.deployment_id for d in platform.deployments))
    return Launch(platform, verified_claims(id_token, platform_keys(platform), expected))


def platform_keys(platform: LtiPlatform) -> KeySet:
    """The platform's published keys, fetched from its JWKS URL (a platform rotates them at will)."""
    try:
        response = requests.get(platform.jwks_url, timeout=5)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError) as error:
        raise InvalidLaunch(f"The platform's keys could not be read from {platform.jwks_url} ({type(error).__name__}).") from None


def _on_this_site(url: str) -> bool:
    base, target = urlsplit(current_app.config["BASE_URL"]), urlsplit(url)
    return (target.scheme, target.netloc) == (base.scheme, base.netloc)


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()
