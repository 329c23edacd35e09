"""Campaigns, their modules and educators, and GP enrolments."""
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.auth.models import User
from survey.db import TimestampMixin
from survey.organisations.models import Organisation
from survey.extensions import db

campaign_educators = Table(
    "campaign_educators",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(TimestampMixin, db.Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Code a GP types (or follows as a link) to join; unique, case-insensitive, stored upper-case.
    enrolment_code: Mapped[str] = mapped_column(String(20), unique=True)
    #: Slug of the instrument file; each response records the exact version it was given.
    instrument_slug: Mapped[str] = mapped_column(String(80))
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_text: Mapped[str] = mapped_column(Text)
    follow_up_days: Mapped[int] = mapped_column(default=90)
    #: Smallest group shown to a charity; never below the platform's MIN_CELL_SIZE.
    min_cell_size: Mapped[int] = mapped_column(default=10)
    #: The commissioning organisation; None when the platform itself runs the campaign.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))

    modules: Mapped[list["CampaignModule"]] = relationship(
        order_by="CampaignModule.position", cascade="all, delete-orphan"
    )
    educators: Mapped[list[User]] = relationship(secondary=campaign_educators)
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def module_slugs(self) -> list[str]:
        return [m.module_slug for m in self.modules]


class CampaignModule(db.Model):
    """A module in a campaign, in the order GPs study them."""

    __tablename__ = "campaign_modules"
    __table_args__ = (UniqueConstraint("campaign_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]


class Enrolment(TimestampMixin, db.Model):
    """A GP's participation in one campaign, with the consent they gave."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    #: Pseudonymous id used in exports instead of the GP's identity.
    participant_code: Mapped[str] = mapped_column(String(16), unique=True)
    consent_version: Mapped[str] = mapped_column(String(20))
    #: The exact consent wording the GP agreed to.
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime]
    #: Whether the GP agreed to the pseudonymous research use of their answers.
    research_consent: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()
    campaign: Mapped[Campaign] = relationship()
