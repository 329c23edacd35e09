"""Campaigns, their modules and educators, and GP enrolments."""
import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint, false
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
    #: Days without progress on an unfinished step before the GP gets one reminder for that step.
    reminder_days: Mapped[int] = mapped_column(default=7, server_default="7")
    #: Smallest group shown to a charity; never below the platform's MIN_CELL_SIZE.
    min_cell_size: Mapped[int] = mapped_column(default=10)
    #: The commissioning organisation; None when the platform itself runs the campaign.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    opens_on: Mapped[date | None]  #: first day GPs may enrol
    closes_on: Mapped[date | None]  #: last day GPs may enrol
    closed_at: Mapped[datetime | None]  #: set when an educator closes the campaign
    #: "campaign": one certificate for the whole campaign; "module": one per completed module.
    certificate_rule: Mapped[str] = mapped_column(String(20), default="campaign")
    #: Extra questions asked at enrolment, e.g. ["years_qualified", "gp_role", "nhs_region"].
    enrolment_fields: Mapped[list] = mapped_column(JSON, default=list)
    #: Markdown written by the campaign's educators: services and referral details where its GPs
    #: work, shown as an extra page of the referral module after the national routes page.
    local_routes: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The instrument version this campaign's GPs answer, fixed when its first response starts
    #: (None until then): a campaign with version 1 responses keeps version 1 after the file moves on.
    instrument_version: Mapped[int | None]
    #: Seed of the campaign's vignette randomisation (permuted blocks), so assignment is reproducible.
    assignment_seed: Mapped[int] = mapped_column(default=lambda: secrets.randbelow(2**31), server_default="0")
    #: Days after the last module before the post survey opens (0: straight away); see README.
    post_delay_days: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Months a certificate stays valid after completion; None: certificates never expire.
    validity_months: Mapped[int | None]
    #: "uncontrolled" (everyone starts at once) or "delayed-start" (each consenting GP randomised at
    #: enrolment to start now or after ``start_delay_days``); fixed once a GP has enrolled.
    design: Mapped[str] = mapped_column(String(20), default="uncontrolled", server_default="uncontrolled")
    start_delay_days: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Randomise within each cohort (its own permuted blocks) rather than across the campaign.
    stratify_by_cohort: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Secret seed of the arm allocation (survey.evaluation.allocation); never shown to staff.
    allocation_seed: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16), server_default="")
    #: The pre-specified primary outcome, {"scale": key, "wave": "post" | "follow_up"}, or None.
    primary_outcome: Mapped[dict | None] = mapped_column(JSON)
    #: Pre-specified secondary outcomes, a list of {"scale", "wave"}.
    secondary_outcomes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    #: Optional test-retest mini-wave for a random subsample (survey.evaluation.retest); settings fixed at the first response.
    retest_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Share of GPs drawn for the retest, in whole percent (exact within each completed block).
    retest_percent: Mapped[int] = mapped_column(default=20, server_default="20")
    #: Days after a GP's baseline before their retest opens (see README for the range and why).
    retest_days: Mapped[int] = mapped_column(default=14, server_default="14")

    modules: Mapped[list["CampaignModule"]] = relationship(
        order_by="CampaignModule.position", cascade="all, delete-orphan"
    )
    educators: Mapped[list[User]] = relationship(secondary=campaign_educators)
    organisation: Mapped[Organisation | None] = relationship()
    cohorts: Mapped[list["Cohort"]] = relationship(back_populates="campaign", order_by="Cohort.name")

    @property
    def delayed_start(self) -> bool:
        return self.design == "delayed-start"

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


class Cohort(TimestampMixin, db.Model):
    """A group inside a campaign (a training scheme, a region, a practice network) with its own code."""

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Enrolment code for this cohort; unique across campaigns and cohorts.
    enrolment_code: Mapped[str] = mapped_column(String(20), unique=True)

    campaign: Mapped[Campaign] = relationship(back_populates="cohorts")
    educators: Mapped[list[User]] = relationship(secondary="cohort_educators")


cohort_educators = Table(
    "cohort_educators",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


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
    #: When the GP withdrew research consent; their answers leave reports from then on.
    withdrawn_at: Mapped[datetime | None]
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    #: Answers to the campaign's enrolment fields, e.g. {"gp_role": "salaried"}.
    profile: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The UK nation the GP mainly practises in (a key of survey.nations.NATIONS); asked on joining,
    #: None for enrolments made before it was asked. Decides which nation's routes they see first.
    nation: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()
    campaign: Mapped[Campaign] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
