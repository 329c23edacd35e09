"""Repeating a course to renew an expiring certificate. Callers commit.

A repeat is a new study cycle of the certificate's modules: the GP's ModuleProgress rows move to
the next cycle number and start again (pages, study time, knowledge check, reflection), while the
earlier cycle's page views and attempts keep their cycle number and its certificate keeps what it stated.
Once the new cycle meets the rules again, ``services.issue_certificate`` issues a new certificate
(new code, cycle number, credits from the new cycle's study); every earlier issue still verifies.
"""
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from survey.campaigns.journey import CAMPAIGN
from survey.campaigns.models import Enrolment
from survey.certificates import validity
from survey.certificates.models import Certificate
from survey.certificates.services import certificate_of
from survey.extensions import db
from survey.learning.models import ModuleProgress
from survey.learning.services import study_cycle
from survey.web.templating import long_date


class NotRenewable(Exception):
    """The certificate cannot be renewed (yet); the message says why."""


def renewal_opens_at(certificate: Certificate) -> datetime | None:
    """From when the GP may repeat the course: ``RENEWAL_WINDOW_DAYS`` before expiry; None if it never expires."""
    return validity.renewal_opens_at(certificate.valid_until, current_app.config["RENEWAL_WINDOW_DAYS"])


def _slugs(enrolment: Enrolment, scope: str) -> list[str]:
    return enrolment.campaign.module_slugs if scope == CAMPAIGN else [scope]


def renewal_refused(enrolment: Enrolment, scope: str, now: datetime) -> str | None:
    """Why the GP may not start a repeat of ``scope`` now, or None when they may.

    A repeat needs the latest issue to be one that expires, not revoked (a revoked certificate is
    a matter for the admins), not already being renewed, and within the renewal window.
    """
    certificate = certificate_of(enrolment, scope)
    if certificate is None:
        return "There is no certificate to renew yet."
    if certificate.revoked_at is not None:
        return "A revoked certificate cannot be renewed."
    if certificate.valid_until is None:
        return "This certificate does not expire, so it needs no renewal."
    if study_cycle(enrolment, _slugs(enrolment, scope)) > certificate.cycle:
        return "You have already started renewing this certificate."
    opens = renewal_opens_at(certificate)
    if now < opens:
        return f"You can renew this certificate from {long_date(opens)}."
    return None


def start_renewal(enrolment: Enrolment, scope: str, now: datetime) -> None:
    """Start the next study cycle of the certificate's modules: pages, study time and the knowledge
    check start again, so the new certificate's credits follow the study recorded in the repeat."""
    refused = renewal_refused(enrolment, scope, now)
    if refused:
        raise NotRenewable(refused)
    next_cycle = certificate_of(enrolment, scope).cycle + 1
    for progress in db.session.scalars(select(ModuleProgress).where(
            ModuleProgress.enrolment_id == enrolment.id, ModuleProgress.module_slug.in_(_slugs(enrolment, scope)))):
        progress.cycle = next_cycle
        progress.current_page = progress.furthest_page = 1
        progress.pages_completed_at = progress.passed_at = progress.best_score = None
        progress.seconds_spent = 0
    db.session.flush()
