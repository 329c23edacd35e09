"""Deep Linking 2.0: what an instructor may place, and the signed LtiDeepLinkingResponse that places it.

Moodle (4.5) opens the instructor's choice in an iframe of its own page, where a cross-site browser sends
no SameSite=Lax cookie: the request's settings travel in the choice form itself, sealed (signed, dated)
with the app's secret key, never in the session.
"""
from __future__ import annotations

import secrets
import time

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from joserfc import jwt
from sqlalchemy import select

from survey.campaigns.models import Campaign
from survey import clock
from survey.extensions import db
from survey.library import library
from survey.lti.claims import DEEP_LINKING, LTI, InvalidLaunch
from survey.lti.services import Launch, tool_keys
from survey.badges.keys import ALGORITHM, signing_key
from survey.web.urls import external_url

#: How long an instructor has to make their choice once the platform's request arrived.
CHOICE_MINUTES = 30
#: LIS roles that may place content (core 5.3.7 and appendix A.2): teachers, designers and administrators.
PLACING_ROLES = ("#Instructor", "#ContentDeveloper", "#Administrator")


def settings_of(launch: Launch) -> dict:
    """What the tool keeps (in the signed session) between the request and the instructor's choice."""
    if not any(role.endswith(PLACING_ROLES) for role in launch.claims.get(LTI + "roles") or []):
        raise InvalidLaunch("Only a course's teachers can add content to it.")
    settings = launch.claims[DEEP_LINKING]
    if "ltiResourceLink" not in (settings.get("accept_types") or []):
        raise InvalidLaunch("The course does not accept LTI links here.")
    return {"platform_id": launch.platform.id, "issuer": launch.platform.issuer, "client_id": launch.platform.client_id,
            "deployment_id": launch.deployment_id, "return_url": settings["deep_link_return_url"],
            "data": settings.get("data")}


def _sealer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lti-deep-link", signer=clock.ClockSigner)


def sealed(settings: dict) -> str:
    """The settings as a form value only this app can have made."""
    return _sealer().dumps(settings)


def unsealed(value: str) -> dict:
    """The settings sealed by :func:`sealed` within CHOICE_MINUTES; anything else is refused."""
    try:
        return _sealer().loads(value, max_age=CHOICE_MINUTES * 60)
    except SignatureExpired:
        raise InvalidLaunch("This choice was started too long ago; press “Select content” in your course again.") from None
    except BadSignature:
        raise InvalidLaunch("This choice did not come from your course; press “Select content” in your course again.") from None


def placeable() -> list[tuple[str, str]]:
    """(value, label) for every open campaign, and each of its modules on its own."""
    modules = library().modules
    choices = []
    for campaign in db.session.scalars(select(Campaign).where(Campaign.closed_at.is_(None)).order_by(Campaign.title)):
        choices.append((campaign.slug, f"The whole campaign “{campaign.title}”"))
        for item in campaign.modules:
            title = modules[item.module_slug].title if item.module_slug in modules else item.module_slug
            choices.append((f"{campaign.slug}/{item.module_slug}", f"Module “{title}” of “{campaign.title}”"))
    return choices


def response_jwt(settings: dict, choice: str, label: str) -> str:
    """The LtiDeepLinkingResponse (Deep Linking 2.0 section 4.2), signed with the tool's key: one resource link
    whose custom parameters name the campaign (and module), with a line item for its score out of 100."""
    campaign, _, module = choice.partition("/")
    custom = {"campaign": campaign, **({"module": module} if module else {})}
    now = int(time.time())
    claims = {
        "iss": settings["client_id"], "aud": [settings["issuer"]], "iat": now, "exp": now + 600,
        "nonce": secrets.token_urlsafe(16),
        LTI + "message_type": "LtiDeepLinkingResponse", LTI + "version": "1.3.0",
        LTI + "deployment_id": settings["deployment_id"],
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [{
            "type": "ltiResourceLink", "title": label, "url": external_url("lti.launch"), "custom": custom,
            "lineItem": {"scoreMaximum": 100, "label": label, "resourceId": choice},
        }],
    }
    if settings.get("data") is not None:
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = settings["data"]
    key = signing_key(tool_keys())
    return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}, claims, key)


