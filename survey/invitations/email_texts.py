"""A campaign's wording of its emails: the newest saved version of each kind, and saving a new one. Callers commit."""
from sqlalchemy import select

from survey.audit import services as audit
from survey.auth.models import User
from survey.campaigns.models import Campaign
from survey.extensions import db
from survey.invitations.models import CampaignEmailText
from survey.invitations.wording import KINDS, Wording


def current_version(campaign: Campaign, kind: str) -> CampaignEmailText | None:
    """The newest saved wording of ``kind`` for the campaign; None while it uses the standard wording."""
    return db.session.scalar(select(CampaignEmailText).where(
        CampaignEmailText.campaign_id == campaign.id, CampaignEmailText.kind == kind)
        .order_by(CampaignEmailText.id.desc()).limit(1))


def wording_of(version: CampaignEmailText | None, kind: str) -> Wording:
    """The wording a saved version holds, or the standard wording of ``kind`` when there is none."""
    return Wording(version.subject, version.text) if version else KINDS[kind].standard


def current_wording(campaign: Campaign, kind: str) -> Wording:
    return wording_of(current_version(campaign, kind), kind)


def edited_kinds(campaign: Campaign) -> set[str]:
    """The kinds whose wording the campaign's educators have saved at least once."""
    return set(db.session.scalars(select(CampaignEmailText.kind).where(CampaignEmailText.campaign_id == campaign.id)))


def save_wording(campaign: Campaign, kind: str, wording: Wording, by: User) -> CampaignEmailText:
    """Add a new version (earlier ones stay: queued invitations keep theirs), recorded in the audit log."""
    version = CampaignEmailText(campaign_id=campaign.id, kind=kind, subject=wording.subject, text=wording.text,
                                edited_by_id=by.id)
    db.session.add(version)
    db.session.flush()
    audit.record(by, "emails.edit", f"campaign:{campaign.slug}", kind=kind, version=version.id,
                 subject=wording.subject, text_length=len(wording.text))
    return version
