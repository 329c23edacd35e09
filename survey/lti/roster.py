"""Names and Role Provisioning Services 2.0: the roster of each course that placed a campaign."""
from __future__ import annotations

from dataclasses import dataclass

import requests
from sqlalchemy import select

from survey.badges.keys import NoKeys
from survey.extensions import db
from survey.lti.grades import TIMEOUT_SECONDS, PlatformRefused, access_token
from survey.lti.models import LtiResourceLink

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIP_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
ROLE_NAMES = {"Learner": "Learner", "Instructor": "Teacher", "ContentDeveloper": "Designer",
              "Administrator": "Administrator", "TeachingAssistant": "Teaching assistant", "Mentor": "Mentor"}


@dataclass(frozen=True)
class Member:
    name: str
    roles: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class CourseRoster:
    link: LtiResourceLink
    members: tuple[Member, ...] = ()
    problem: str | None = None  #: why the roster could not be read


def placements(campaign_slug: str) -> list[LtiResourceLink]:
    return list(db.session.scalars(select(LtiResourceLink).where(
        LtiResourceLink.campaign_slug == campaign_slug).order_by(LtiResourceLink.created_at)))


def course_roster(link: LtiResourceLink) -> CourseRoster:
    """The course's members as the platform lists them now (NRPS 2.0 section 2.2: one page; the roster is read,
    never stored here). A platform that offers no roster, or refuses, gives a problem instead."""
    if not link.memberships_url:
        return CourseRoster(link, problem="This course's platform does not offer its roster to the tool.")
    try:
        token = access_token(link.platform, [NRPS_SCOPE])
        response = requests.get(link.memberships_url, timeout=TIMEOUT_SECONDS,
                                headers={"Authorization": f"Bearer {token}", "Accept": MEMBERSHIP_MEDIA_TYPE})
        if not response.ok:
            raise PlatformRefused(f"the platform answered {response.status_code}")
        members = response.json().get("members") or []
    except (requests.RequestException, PlatformRefused, NoKeys, ValueError, AttributeError) as error:
        return CourseRoster(link, problem=f"The roster could not be read: {error}.")
    return CourseRoster(link, tuple(sorted((_member(m) for m in members if isinstance(m, dict)), key=lambda m: m.name)))


def _member(entry: dict) -> Member:
    name = str(entry.get("name") or " ".join(str(entry.get(k) or "") for k in ("given_name", "family_name")).strip()
               or "(name not shared)")
    roles = tuple(dict.fromkeys(ROLE_NAMES.get(str(role).rsplit("#", 1)[-1], str(role).rsplit("#", 1)[-1])
                                for role in entry.get("roles") or []))
    return Member(name, roles, entry.get("status", "Active") == "Active")
