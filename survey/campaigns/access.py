"""Who may manage or look into a campaign or cohort.

Admins: everything. Educators: campaigns they created or were added to (full access, names included),
and cohorts they lead: such an educator sees the campaign's progress by participant code and, for their
own cohorts only, by name. Charity and GP accounts never reach these pages.
"""
from sqlalchemy import or_, select

from survey.auth.models import User
from survey.campaigns.models import Campaign, Cohort, campaign_educators, cohort_educators
from survey.extensions import db

EVERY_COHORT = None  #: ``named_cohorts`` answer meaning "names everywhere in the campaign"


def _is_admin(user: User) -> bool:
    return user.role == "admin"


def led_cohort_ids(user: User) -> set[int]:
    return set(db.session.scalars(select(cohort_educators.c.cohort_id).where(cohort_educators.c.user_id == user.id)))


def _owned_ids(user: User):
    return select(campaign_educators.c.campaign_id).where(campaign_educators.c.user_id == user.id)


def visible_campaigns(user: User) -> list[Campaign]:
    """Campaigns the user manages or leads a cohort in, by title."""
    query = select(Campaign).order_by(Campaign.title)
    if not _is_admin(user):
        leads = select(Cohort.campaign_id).where(Cohort.id.in_(list(led_cohort_ids(user))))
        query = query.where(or_(Campaign.id.in_(_owned_ids(user)), Campaign.id.in_(leads)))
    return list(db.session.scalars(query))


def managed_campaigns(user: User) -> list[Campaign]:
    """Campaigns the user may edit (see ``can_edit``), by title."""
    query = select(Campaign).order_by(Campaign.title)
    if not _is_admin(user):
        query = query.where(Campaign.id.in_(_owned_ids(user)))
    return list(db.session.scalars(query))


def can_edit(user: User, campaign: Campaign) -> bool:
    """Admins and the campaign's own educators edit it, its cohorts and its settings."""
    return _is_admin(user) or any(e.id == user.id for e in campaign.educators)


def viewable_campaign(user: User, slug: str) -> Campaign | None:
    """The campaign if the user may see its progress page; None (a 404) otherwise."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None or not (can_edit(user, campaign) or led_cohort_ids(user) & {c.id for c in campaign.cohorts}):
        return None
    return campaign


def editable_campaign(user: User, slug: str) -> Campaign | None:
    campaign = viewable_campaign(user, slug)
    return campaign if campaign is not None and can_edit(user, campaign) else None


def viewable_cohort(user: User, cohort_id: int) -> Cohort | None:
    """The cohort if the user leads it or manages its campaign; None (a 404) otherwise."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not (can_edit(user, cohort.campaign) or cohort.id in led_cohort_ids(user)):
        return None
    return cohort


def named_cohorts(user: User, campaign: Campaign) -> set[int] | None:
    """Cohorts whose participants' names the user may see; ``EVERY_COHORT`` for the campaign's own educators."""
    return EVERY_COHORT if can_edit(user, campaign) else led_cohort_ids(user)


def invitable_cohorts(user: User, campaign: Campaign) -> list[Cohort]:
    """Cohorts the user may invite people into."""
    if can_edit(user, campaign):
        return list(campaign.cohorts)
    led = led_cohort_ids(user)
    return [c for c in campaign.cohorts if c.id in led]
