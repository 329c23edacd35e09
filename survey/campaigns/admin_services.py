"""Creating, editing and closing campaigns and cohorts. Callers commit."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import literal, select, union

from survey import clock
from survey.audit import services as audit
from survey.auth.models import User
from survey.campaigns import access, services
from survey.campaigns.models import Campaign, CampaignModule, Cohort, Enrolment, campaign_educators, cohort_educators
from survey.campaigns.rules import next_consent_version, slugify
from survey.codes import random_code
from survey.extensions import db
from survey.organisations.models import Organisation


class CampaignError(Exception):
    """A rule about campaigns was broken; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class CampaignSettings:
    """Everything an educator sets on a campaign, already validated field by field by the form."""

    title: str
    description: str
    organisation_id: int | None
    module_slugs: list[str]
    instrument_slug: str
    opens_on: date | None
    closes_on: date | None
    follow_up_days: int
    reminder_days: int
    certificate_rule: str
    min_cell_size: int
    enrolment_fields: list[str]
    consent_text: str
    educator_ids: list[int]
    post_delay_days: int = 0  #: days after the last module before the post survey opens
    validity_months: int | None = None  #: certificates expire this many months after completion; None: never


def educator_accounts() -> list[User]:
    """Accounts that may be made educators of a campaign or cohort."""
    return list(db.session.scalars(
        select(User).where(User.role.in_(("educator", "admin")), User.deleted_at.is_(None)).order_by(User.name)))


def _colleague_ids(user: User, campaign: Campaign | None):
    """Ids of the educators the user works with: those of the campaigns they see, and of those campaigns' cohorts."""
    campaign_ids = [c.id for c in access.visible_campaigns(user)] + ([campaign.id] if campaign else [])
    cohorts = select(Cohort.id).where(Cohort.campaign_id.in_(campaign_ids))
    return union(select(campaign_educators.c.user_id).where(campaign_educators.c.campaign_id.in_(campaign_ids)),
                 select(cohort_educators.c.user_id).where(cohort_educators.c.cohort_id.in_(cohorts)),
                 select(literal(user.id)))


def choosable_educators(user: User, campaign: Campaign | None = None) -> list[User]:
    """The educators a campaign or cohort form lists: every one for an admin; for an educator only the people
    they already work with (and those of this campaign). Others are added by their exact email address."""
    if user.role == "admin":
        return educator_accounts()
    return list(db.session.scalars(
        select(User).where(User.role.in_(("educator", "admin")), User.deleted_at.is_(None),
                           User.id.in_(_colleague_ids(user, campaign))).order_by(User.name)))


def choosable_organisations(user: User, campaign: Campaign | None = None) -> list[Organisation]:
    """Organisations a campaign may be run by: all for an admin; for an educator those of the campaigns they
    see (and this campaign's own). A new commissioning charity is set by an admin."""
    if user.role == "admin":
        return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    ids = {c.organisation_id for c in access.visible_campaigns(user)} | {campaign.organisation_id if campaign else None}
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids - {None})).order_by(Organisation.name)))


def staff_by_email(email: str) -> User | None:
    """The live educator or admin account with exactly this email address, to add to a campaign or cohort."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower(), User.role.in_(("educator", "admin")),
                                                User.deleted_at.is_(None)))


def _users(ids: list[int], always: User | None = None) -> list[User]:
    chosen = [u for u in educator_accounts() if u.id in set(ids)]
    if always is not None and always not in chosen:
        chosen.append(always)
    return chosen


def _unique_slug(title: str) -> str:
    base, n = slugify(title), 1
    slug = base
    while services.campaign_by_slug(slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(campaign: Campaign, settings: CampaignSettings) -> None:
    for name in ("title", "description", "organisation_id", "opens_on", "closes_on", "follow_up_days", "reminder_days",
                 "certificate_rule", "min_cell_size", "post_delay_days", "validity_months"):
        setattr(campaign, name, getattr(settings, name))
    campaign.enrolment_fields = list(settings.enrolment_fields)


def create_campaign(settings: CampaignSettings, consent_version: str, creator: User) -> Campaign:
    """A new campaign with its own enrolment code; its creator becomes one of its educators (it is theirs)."""
    campaign = services.create_campaign(
        slug=_unique_slug(settings.title), title=settings.title, instrument_slug=settings.instrument_slug,
        module_slugs=settings.module_slugs, consent_version=consent_version, consent_text=settings.consent_text,
    )
    _apply(campaign, settings)
    campaign.educators = _users(settings.educator_ids, always=creator)
    audit.record(creator, "campaign.create", f"campaign:{campaign.slug}")
    db.session.flush()
    return campaign


def _has_enrolments(campaign: Campaign) -> bool:
    return db.session.scalar(select(Enrolment.id).where(Enrolment.campaign_id == campaign.id).limit(1)) is not None


def update_campaign(campaign: Campaign, settings: CampaignSettings, editor: User) -> None:
    """Change a campaign's settings.

    Once a GP has enrolled, modules and instrument are fixed (their journey and answers depend on them).
    New consent wording always gets a new consent version: GPs who agreed keep the wording they saw.
    """
    if _has_enrolments(campaign):
        if settings.module_slugs != campaign.module_slugs:
            raise CampaignError("modules", "GPs have enrolled, so the modules can no longer change.")
        if settings.instrument_slug != campaign.instrument_slug:
            raise CampaignError("instrument_slug", "GPs have enrolled, so the survey can no longer change.")
    if settings.module_slugs != campaign.module_slugs:
        campaign.modules = [CampaignModule(module_slug=s, position=i) for i, s in enumerate(settings.module_slugs, start=1)]
    campaign.instrument_slug = settings.instrument_slug
    if settings.consent_text.strip() != campaign.consent_text.strip():
        used = set(db.session.scalars(select(Enrolment.consent_version).where(Enrolment.campaign_id == campaign.id)))
        campaign.consent_version = next_consent_version(campaign.consent_version, used)
        campaign.consent_text = settings.consent_text
    _apply(campaign, settings)
    campaign.educators = _users(settings.educator_ids, always=None if editor.role == "admin" else editor)
    audit.record(editor, "campaign.update", f"campaign:{campaign.slug}")
    db.session.flush()


def close_campaign(campaign: Campaign, by: User) -> None:
    """Stop new enrolments and every campaign email (invitations, reminders, follow-up invitations, see
    ``invitations/reminders.py``); enrolled GPs can still carry on with their journey."""
    if campaign.closed_at is None:
        campaign.closed_at = clock.now()
        audit.record(by, "campaign.close", f"campaign:{campaign.slug}")
        db.session.flush()


def reopen_campaign(campaign: Campaign, by: User) -> None:
    """Undo a close: enrolment follows the campaign's dates again and due email goes out again."""
    if campaign.closed_at is not None:
        audit.record(by, "campaign.reopen", f"campaign:{campaign.slug}", closed_at=campaign.closed_at.isoformat())
        campaign.closed_at = None
        db.session.flush()


def _check_cohort_name(campaign: Campaign, name: str, cohort: Cohort | None = None) -> None:
    clash = db.session.scalar(select(Cohort.id).where(Cohort.campaign_id == campaign.id, Cohort.name == name))
    if clash is not None and (cohort is None or clash != cohort.id):
        raise CampaignError("name", "This campaign already has a cohort with that name.")


def _fresh_code() -> str:
    """An enrolment code used by no campaign and no cohort."""
    while True:
        code = random_code(8)
        if services.target_by_code(code) is None:
            return code


def create_cohort(campaign: Campaign, name: str, educator_ids: list[int], creator: User) -> Cohort:
    """A cohort with its own enrolment code; its creator becomes one of its educators."""
    _check_cohort_name(campaign, name)
    cohort = Cohort(campaign_id=campaign.id, name=name, enrolment_code=_fresh_code(),
                    educators=_users(educator_ids, always=creator))
    db.session.add(cohort)
    db.session.flush()
    audit.record(creator, "cohort.create", f"cohort:{cohort.id}", campaign=campaign.slug, name=name,
                 educators=sorted(u.id for u in cohort.educators))
    return cohort


def update_cohort(cohort: Cohort, name: str, educator_ids: list[int], editor: User) -> None:
    """Rename a cohort or change its educators (audited with the before and after)."""
    _check_cohort_name(cohort.campaign, name, cohort)
    before = (cohort.name, sorted(u.id for u in cohort.educators))
    cohort.name, cohort.educators = name, _users(educator_ids)
    after = (cohort.name, sorted(u.id for u in cohort.educators))
    if before != after:
        audit.record(editor, "cohort.update", f"cohort:{cohort.id}", campaign=cohort.campaign.slug, old_name=before[0],
                     name=after[0], old_educators=before[1], educators=after[1])
    db.session.flush()
