"""Where a verified resource-link launch lands: the linked account, the placement, and the page to open."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from survey.auth.models import User
from survey.auth.services import normalise_email
from survey.campaigns import services as campaigns
from survey.db import utcnow
from survey.extensions import db
from survey.lti.claims import AGS, LTI, NRPS, InvalidLaunch
from survey.lti.models import LtiAccount, LtiResourceLink
from survey.lti.services import Launch
from survey.web.text import single_line_problem


@dataclass(frozen=True)
class Landing:
    user: User
    link: LtiResourceLink


def land(launch: Launch) -> Landing:
    """The account linked to the launching user (made on their first launch) and the placement launched,
    recorded with the gradebook and roster endpoints this launch offers."""
    link = _resource_link(launch)
    user = linked_account(launch).user
    if not user.is_active:
        raise InvalidLaunch("The account linked to you here is disabled or deleted; contact the site's administrator.")
    return Landing(user, link)


def _resource_link(launch: Launch) -> LtiResourceLink:
    claims = launch.claims
    custom = claims.get(LTI + "custom") or {}
    campaign = campaigns.campaign_by_slug(str(custom.get("campaign", "")))
    if campaign is None:
        raise InvalidLaunch("This course link does not name a campaign of this site; ask the course's teacher to add it again.")
    module = custom.get("module") or None
    if module is not None and module not in {m.module_slug for m in campaign.modules}:
        raise InvalidLaunch("This course link names a module the campaign does not have.")
    link_id = claims[LTI + "resource_link"]["id"]
    link = db.session.scalar(select(LtiResourceLink).where(
        LtiResourceLink.platform_id == launch.platform.id, LtiResourceLink.resource_link_id == link_id))
    if link is None:
        link = LtiResourceLink(platform_id=launch.platform.id, resource_link_id=link_id)
        db.session.add(link)
    ags, nrps = claims.get(AGS) or {}, claims.get(NRPS) or {}
    link.deployment_id, link.campaign_slug, link.module_slug = launch.deployment_id, campaign.slug, module
    link.context_id = (claims.get(LTI + "context") or {}).get("id")
    link.lineitem_url, link.ags_scopes = ags.get("lineitem"), list(ags.get("scope") or [])
    link.memberships_url = nrps.get("context_memberships_url")
    db.session.flush()
    return link


def linked_account(launch: Launch) -> LtiAccount:
    """The platform user's account here. A first launch makes a GP account, never linking to an existing one
    by email (the platform's word alone must not hand over an account that someone else made)."""
    subject = launch.claims["sub"]
    account = db.session.scalar(select(LtiAccount).where(
        LtiAccount.platform_id == launch.platform.id, LtiAccount.subject == subject))
    if account is not None:
        return account
    user = User(name=_name(launch.claims), email=_free_email(launch, subject), role="gp", email_confirmed_at=utcnow())
    user.set_password(secrets.token_urlsafe(32))  # unknown to anyone: a password reset by email gives one
    db.session.add(user)
    db.session.flush()
    account = LtiAccount(platform_id=launch.platform.id, subject=subject, user_id=user.id)
    db.session.add(account)
    db.session.flush()
    return account


def _name(claims: dict) -> str:
    name = str(claims.get("name") or " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name"))).strip()
    return name[:120] if name and not single_line_problem(name) else "Course participant"


def _free_email(launch: Launch, subject: str) -> str:
    """The platform's address for the user when it is well formed and no account holds it; otherwise a
    placeholder that receives nothing."""
    email = normalise_email(str(launch.claims.get("email") or ""))
    taken = db.session.scalar(select(User.id).where(User.email == email))
    if "@" in email and len(email) <= 254 and not single_line_problem(email) and taken is None:
        return email
    digest = hashlib.sha256(f"{launch.platform.id}:{subject}".encode()).hexdigest()[:20]
    return f"lti-{digest}@lti.invalid"
