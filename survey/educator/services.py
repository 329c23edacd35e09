"""Figures for educators' pages."""
from sqlalchemy import func, select

from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db


def enrolment_count(campaign: Campaign) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.campaign_id == campaign.id))
