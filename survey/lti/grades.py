"""Assignment and Grade Services 2.0: a GP's progress goes to the line item of each course link they launched.

A score counts as sent only when the platform answered 2xx; anything else is recorded with its reason.
"""
from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit, urlunsplit

import requests
from joserfc import jwt
from sqlalchemy import select

from survey.badges.keys import ALGORITHM, NoKeys, signing_key
from survey.campaigns.models import Enrolment
from survey.db import utcnow
from survey.extensions import db
from survey.learning.models import ModuleProgress
from survey.lti.models import LtiAccount, LtiPlatform, LtiResourceLink, LtiScore
from survey.lti.services import tool_keys

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"
TIMEOUT_SECONDS = 5


class PlatformRefused(Exception):
    """The platform's token or score endpoint did not accept the request."""


def report_progress(enrolment: Enrolment) -> list[LtiScore]:
    """Send the GP's score to every gradebook column placed for this campaign (a module's link: its best
    knowledge-check score; the campaign's link: the share of its modules passed), and record each outcome."""
    progress = {p.module_slug: p for p in db.session.scalars(
        select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))}
    modules = [m.module_slug for m in enrolment.campaign.modules]
    sent = []
    for account, link in _placements(enrolment):
        if link.module_slug:
            given, done = (progress[link.module_slug].best_score or 0, progress[link.module_slug].passed_at is not None) \
                if link.module_slug in progress else (None, False)
        else:
            passed = sum(1 for slug in modules if slug in progress and progress[slug].passed_at is not None)
            given, done = 100 * passed // len(modules), passed == len(modules)
        if given is not None:
            sent.append(post_score(link, account, given, done))
    return sent


def _placements(enrolment: Enrolment):
    """(linked account, resource link) pairs of this GP for this campaign whose platform takes scores."""
    rows = db.session.execute(
        select(LtiAccount, LtiResourceLink)
        .join(LtiResourceLink, LtiResourceLink.platform_id == LtiAccount.platform_id)
        .where(LtiAccount.user_id == enrolment.user_id, LtiResourceLink.campaign_slug == enrolment.campaign.slug,
               LtiResourceLink.lineitem_url.is_not(None)))
    return [(account, link) for account, link in rows if SCORE_SCOPE in (link.ags_scopes or [])]


def post_score(link: LtiResourceLink, account: LtiAccount, given: int, completed: bool) -> LtiScore:
    """POST one Score (AGS 2.0 section 3.4) and record it, accepted or not."""
    score = LtiScore(resource_link_id=link.id, account_id=account.id, score_given=given, score_maximum=100,
                     attempted_at=utcnow())
    body = {"userId": account.subject, "scoreGiven": given, "scoreMaximum": 100,
            "activityProgress": "Completed" if completed else "InProgress",
            "gradingProgress": "FullyGraded" if completed else "Pending",
            "timestamp": score.attempted_at.isoformat(timespec="milliseconds")}
    try:
        token = access_token(link.platform, [SCORE_SCOPE])
        response = requests.post(_scores_url(link.lineitem_url), json=body, timeout=TIMEOUT_SECONDS,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_MEDIA_TYPE})
        if not response.ok:
            raise PlatformRefused(f"the platform answered {response.status_code}: {response.text[:200]}")
        score.accepted_at = utcnow()
    except (requests.RequestException, PlatformRefused, NoKeys) as error:  # the GP's result stands regardless
        score.error = str(error)[:1000]
    db.session.add(score)
    db.session.flush()
    return score


def access_token(platform: LtiPlatform, scopes: list[str]) -> str:
    """An OAuth 2 client-credentials token (Security Framework 4.1), the tool authenticating with a JWT
    signed by its own key (RFC 7523)."""
    now = int(time.time())
    key = signing_key(tool_keys())
    assertion = jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}, {
        "iss": platform.client_id, "sub": platform.client_id, "aud": platform.auth_token_url,
        "iat": now, "exp": now + 300, "jti": secrets.token_urlsafe(16)}, key)
    response = requests.post(platform.auth_token_url, timeout=TIMEOUT_SECONDS, data={
        "grant_type": "client_credentials", "scope": " ".join(scopes), "client_assertion": assertion,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"})
    if not response.ok or "access_token" not in response.json():
        raise PlatformRefused(f"the platform refused an access token ({response.status_code})")
    return response.json()["access_token"]


def _scores_url(lineitem_url: str) -> str:
    """AGS 2.0 section 3.4: the line item's URL with ``/scores`` added to its path, keeping its query."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))
