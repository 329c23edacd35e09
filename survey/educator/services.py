"""Which campaigns an educator may see."""
from sqlalchemy import func, select

from survey.auth.models import User
from survey.campaigns.models import Campaign, Enrolment, campaign_educators
from survey.extensions import db


def campaigns_visible_to(user: User) -> list[Campaign]:
    """Admins see every campaign; educators the campaigns they are added to."""
    query = select(Campaign).order_by(Campaign.title)
    if user.role != "admin":
        query = query.join(campaign_educators).where(campaign_educators.c.user_id == user.id)
    return list(db.session.scalars(query))


def campaign_for_staff(user: User, slug: str) -> Campaign | None:
    return next((c for c in campaigns_visible_to(user) if c.slug == slug), None)


def enrolment_count(campaign: Campaign) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.campaign_id == campaign.id))
