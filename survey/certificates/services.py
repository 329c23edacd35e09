"""Issuing CPD certificates once the campaign's rules are met, and verifying them. Callers commit."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.journey import JourneyState
from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.codes import normalise_code, random_code
from survey.db import utcnow
from survey.extensions import db

#: 20 symbols from a 31-letter alphabet: 99 bits, far beyond guessing.
CODE_LENGTH = 20


class NotEligible(Exception):
    """The campaign's rules for a certificate are not met yet."""


@dataclass(frozen=True)
class CertificateView:
    """What the certificate PDF and the verification page show."""

    holder_name: str
    gmc_number: str
    activity_titles: list[str]
    learning_outcomes: list[str]
    credits: float
    completed_on: date
    issuer: str
    charity_name: str | None
    charity_colour: str | None
    reflection_recorded: bool
    code: str
    verify_url: str


def certificate_of(enrolment: Enrolment) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(Certificate.enrolment_id == enrolment.id, Certificate.scope == "campaign")
    )


def issue_certificate(enrolment: Enrolment, state: JourneyState, modules: dict) -> Certificate:
    """The enrolment's certificate, issued the first time the rules are met and the same ever after.

    Rules: every module's pages read and knowledge check passed, post survey submitted, reflection written.
    """
    existing = certificate_of(enrolment)
    if existing:
        return existing
    if not state.certificate_ready:
        raise NotEligible("Finish the modules, the post-course survey and your reflection first.")
    studied = [modules[slug] for slug in enrolment.campaign.module_slugs]
    certificate = Certificate(
        code=random_code(CODE_LENGTH), enrolment_id=enrolment.id, scope="campaign",
        holder_name=enrolment.user.name, gmc_number=enrolment.user.gmc_number or "",
        activity_title=enrolment.campaign.title,
        module_titles="\n".join(m.title for m in studied),
        learning_outcomes="\n".join(outcome for m in studied for outcome in m.learning_outcomes),
        credits=sum(m.credits for m in studied), completed_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # a concurrent request issued it first
        return certificate_of(enrolment)
    return certificate


def find_by_code(typed_code: str) -> Certificate | None:
    """The certificate with this code, however it was typed (case, spaces, hyphens)."""
    code = normalise_code(typed_code)
    return db.session.scalar(select(Certificate).where(Certificate.code == code)) if len(code) == CODE_LENGTH else None


def display_code(code: str) -> str:
    """XXXXX-XXXXX-XXXXX-XXXXX: easier to read aloud and type."""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def view_of(certificate: Certificate, issuer: str, verify_url: str) -> CertificateView:
    """The certificate as printed; the commissioning charity's name and colour when there is one."""
    enrolment = db.session.get(Enrolment, certificate.enrolment_id) if certificate.enrolment_id else None
    organisation = enrolment.campaign.organisation if enrolment else None
    return CertificateView(
        holder_name=certificate.holder_name, gmc_number=certificate.gmc_number,
        activity_titles=certificate.module_titles.splitlines(),
        learning_outcomes=certificate.learning_outcomes.splitlines(),
        credits=certificate.credits, completed_on=certificate.completed_at.date(), issuer=issuer,
        charity_name=organisation.name if organisation else None,
        charity_colour=organisation.colour if organisation else None, reflection_recorded=True,
        code=display_code(certificate.code), verify_url=verify_url,
    )
