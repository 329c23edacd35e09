"""The renewal reminder: one email per expiring certificate, ``RENEWAL_REMINDER_DAYS`` before it expires."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from survey.auth.models import User
from survey.campaigns.journey import CAMPAIGN
from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.extensions import db
from survey.invitations.messages import Message, compose
from survey.learning.services import study_cycle
from survey.web.urls import external_url


def _renewing(certificate: Certificate, enrolment: Enrolment) -> bool:
    """A later issue exists, or the GP has already started the repeat (a later study cycle)."""
    slugs = enrolment.campaign.module_slugs if certificate.scope == CAMPAIGN else [certificate.scope]
    return study_cycle(enrolment, slugs) > certificate.cycle


def renewals_due(now: datetime) -> list[tuple[Certificate, Enrolment]]:
    """The certificates to remind of, with their enrolments: each that expires within ``RENEWAL_REMINDER_DAYS`` and has not
    expired yet, unless it is revoked or already renewed (or being renewed), or its holder deleted
    their account. The outbox key names the certificate, so each is reminded once."""
    horizon = now + timedelta(days=current_app.config["RENEWAL_REMINDER_DAYS"])
    rows = db.session.execute(
        select(Certificate, Enrolment).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .where(User.deleted_at.is_(None), Certificate.revoked_at.is_(None), Certificate.valid_until.is_not(None),
               Certificate.valid_until > now, Certificate.valid_until <= horizon)
        .order_by(Certificate.id)).all()
    return [(certificate, enrolment) for certificate, enrolment in rows if not _renewing(certificate, enrolment)]


def renewal_message(certificate: Certificate, enrolment: Enrolment) -> Message:
    """The reminder, linking to the certificate's page, where the GP starts the renewal."""
    module_slug = None if certificate.scope == CAMPAIGN else certificate.scope
    link = external_url("certificates.certificate", slug=enrolment.campaign.slug, module_slug=module_slug)
    return compose(f"renewal:{certificate.id}", "reminder", enrolment.user.email,
                   f"Your CPD certificate expires soon: {certificate.activity_title}", "renewal.txt",
                   enrolment_id=enrolment.id, name=enrolment.user.name, certificate=certificate, link=link)
