"""Composing a campaign's email: its wording, placeholders filled, inside the fixed frame of its kind.

Sending and previewing go through ``campaign_message``, so the preview is the message a GP receives.
"""
from flask import current_app

from survey.campaigns.journey import Step
from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.invitations.email_texts import current_wording
from survey.invitations.messages import Message, compose, invitation_token
from survey.invitations.wording import KINDS, Wording, fill
from survey.web.urls import external_url

#: The GP a preview is addressed to, and the step the reminders' preview names.
EXAMPLE_NAME, EXAMPLE_EMAIL = "Dr Sam Patel", "sam.patel@example.org"
EXAMPLE_STEP = "Answer the baseline survey"


def campaign_message(key: str, kind: str, wording: Wording, *, to: str, name: str, campaign: Campaign, link: str,
                     cohort: Cohort | None = None, next_step: str = "", enrolment_id: int | None = None,
                     invitation_id: int | None = None) -> Message:
    """The email of ``kind`` (a key of ``wording.KINDS``): subject "<wording's subject>: <campaign title>"."""
    email = KINDS[kind]
    values = {"name": name, "campaign": campaign.title, "with_cohort": f" with {cohort.name}" if cohort else "",
              "next_step": next_step}
    values = {placeholder: values[placeholder] for placeholder in email.placeholders}
    return compose(key, email.outbox_kind, to, f"{fill(wording.subject, values)}: {campaign.title}", email.template,
                   enrolment_id=enrolment_id, invitation_id=invitation_id, name=name, campaign=campaign, link=link,
                   text=fill(wording.text, values), reason=fill(email.reason, {"campaign": campaign.title}))


def enrolled_message(enrolment: Enrolment, kind: str, key: str, step: Step) -> Message:
    """A message of ``kind`` to an enrolled GP whose next step is ``step``, in the campaign's current wording;
    its link opens the campaign where the GP left off."""
    campaign = enrolment.campaign
    return campaign_message(key, kind, current_wording(campaign, kind), to=enrolment.user.email, name=enrolment.user.name,
                            campaign=campaign, link=external_url("campaigns.overview", slug=campaign.slug),
                            next_step=step.label, enrolment_id=enrolment.id)


def example_message(campaign: Campaign, kind: str, wording: Wording) -> Message:
    """What ``EXAMPLE_NAME`` would receive with ``wording``: real link shapes, the unsubscribe line, the frame."""
    if kind == "invitation":
        link = external_url("invitations.follow", token=invitation_token(0))
    elif kind == "retest":
        link = external_url("surveys.resume", slug=campaign.slug, wave="retest")
    else:
        link = external_url("campaigns.overview", slug=campaign.slug)
    return campaign_message("preview", kind, wording, to=EXAMPLE_EMAIL, name=EXAMPLE_NAME, campaign=campaign,
                            link=link, next_step=EXAMPLE_STEP)


def sender() -> str:
    """The From header every campaign email carries."""
    return current_app.config["MAIL_DEFAULT_SENDER"]
