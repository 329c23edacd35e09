"""Issuing CPD certificates once the campaign's rules are met, verifying and revoking them. Callers commit."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from survey.audit.services import record
from survey.auth.models import User
from survey.campaigns.journey import CAMPAIGN, JourneyState
from survey.campaigns.models import Enrolment
from survey.certificates import validity
from survey.certificates.models import Certificate
from survey import clock
from survey.codes import normalise_code, random_code
from survey.db import utcnow
from survey.extensions import db
from survey.learning.models import ModuleProgress
from survey.learning.study import credits_for
from survey.learning.services import reflection_of, study_cycle

#: 20 symbols from a 31-letter alphabet: 99 bits, far beyond guessing.
CODE_LENGTH = 20
#: How many of the GMC number's 7 digits the public verification page shows.
GMC_DIGITS_SHOWN = 3
#: Most certificates the admin list shows at once; searching narrows it.
ADMIN_LIST_LIMIT = 100


class NotEligible(Exception):
    """The campaign's rules for a certificate are not met yet; ``missing`` says what is left to do."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"Before your certificate, please {'; '.join(missing)}.")


class AlreadyRevoked(Exception):
    """A certificate is revoked once; its first revocation (date, reason, who) stands."""


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
    valid_until: date | None = None  #: None: never expires


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show about a code, and nothing else: no full GMC number,
    email, reflection, outcomes or revocation reason."""

    status: str  #: "valid", "expired" (genuine, but its validity has ended), "revoked" or "unknown"
    code: str  #: as displayed (the certificate's own code, or what was typed when unknown)
    holder_name: str = ""
    #: The GMC number's last digits, so an appraiser can tell that the certificate is the doctor's in front
    #: of them (name and these digits together), without the page publishing the whole number.
    gmc_ending: str = ""
    activity_titles: tuple[str, ...] = ()
    credits: float = 0.0
    completed_on: date | None = None
    revoked_on: date | None = None
    valid_until: date | None = None  #: None: never expires


def issues_of(enrolment: Enrolment, scope: str = CAMPAIGN) -> list[Certificate]:
    """Every certificate the enrolment was issued for the campaign, or for one module (``scope`` = its
    slug), latest first: one per study cycle (a repeat of the course after expiry is a new issue)."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.enrolment_id == enrolment.id, Certificate.scope == scope)
        .order_by(Certificate.cycle.desc())
    ))


def certificate_of(enrolment: Enrolment, scope: str = CAMPAIGN) -> Certificate | None:
    """The enrolment's latest certificate for the campaign, or for one module (``scope`` = its slug)."""
    issues = issues_of(enrolment, scope)
    return issues[0] if issues else None


def _completed_at(enrolment: Enrolment, state: JourneyState, scope: str, slugs: list[str]) -> datetime:
    """When the last of the certificate's rules was met: modules finished, post survey, reflection first
    written (in a repeat of the course: when it was saved again for the repeat)."""
    progress = db.session.scalars(select(ModuleProgress).where(
        ModuleProgress.enrolment_id == enrolment.id, ModuleProgress.module_slug.in_(slugs)))
    times = [max(row.pages_completed_at, row.passed_at) for row in progress]
    reflection = reflection_of(enrolment, scope)
    times.append(reflection.created_at if reflection.cycle == 1 else reflection.updated_at)
    if scope == CAMPAIGN:
        times.append(state.post_submitted_at)
    return max(times)


def recorded_credits(enrolment: Enrolment, studied: list) -> float:
    """Credits from recorded study: per module, one per hour of active study rounded down to a
    quarter, up to its suggested credits (``study.credits_for``); summed over the modules."""
    seconds = dict(db.session.execute(select(ModuleProgress.module_slug, ModuleProgress.seconds_spent).where(
        ModuleProgress.enrolment_id == enrolment.id, ModuleProgress.module_slug.in_([m.slug for m in studied]))).all())
    return sum(credits_for(seconds.get(m.slug, 0), m.credits) for m in studied)


def issue_certificate(enrolment: Enrolment, state: JourneyState, modules: dict, scope: str = CAMPAIGN) -> Certificate:
    """The certificate of ``scope``, issued the first time its rules are met and the same ever after.

    Rules: see ``JourneyState.certificate_missing``. What it says (holder, modules, outcomes, credits,
    the commissioning charity's name and colour) is frozen at issue, so later edits to accounts,
    content or organisations never change a certificate already issued. Credits follow the study
    recorded (``recorded_credits``), not the modules' suggested credits; after a renewal that is the
    study of the new cycle only. A campaign's ``validity_months`` fixes its ``valid_until``.
    """
    campaign = enrolment.campaign
    slugs = campaign.module_slugs if scope == CAMPAIGN else [scope]
    cycle = study_cycle(enrolment, slugs)
    existing = certificate_of(enrolment, scope)
    if existing and existing.cycle >= cycle:
        return existing
    missing = state.certificate_missing(scope)
    if missing:
        raise NotEligible(missing)
    studied = [modules[slug] for slug in slugs]
    organisation = campaign.organisation
    completed_at = _completed_at(enrolment, state, scope, slugs)
    certificate = Certificate(
        code=random_code(CODE_LENGTH), enrolment_id=enrolment.id, scope=scope, cycle=cycle,
        holder_name=enrolment.user.name, gmc_number=enrolment.user.gmc_number or "",
        activity_title=campaign.title if scope == CAMPAIGN else studied[0].title,
        module_titles="\n".join(m.title for m in studied),
        learning_outcomes="\n".join(outcome for m in studied for outcome in m.learning_outcomes),
        credits=recorded_credits(enrolment, studied), completed_at=completed_at,
        valid_until=validity.valid_until(completed_at, campaign.validity_months),
        charity_name=organisation.name if organisation else None,
        charity_colour=organisation.colour if organisation else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # a concurrent request issued it first
        return certificate_of(enrolment, scope)
    return certificate


def stored_pdf(certificate: Certificate, render) -> bytes:
    """``certificate.pdf``, made with ``render(certificate)`` and kept the first time it is asked for."""
    if certificate.pdf is None:
        certificate.pdf = render(certificate)
        db.session.flush()
    return certificate.pdf


def find_by_code(typed_code: str) -> Certificate | None:
    """The certificate with this code, however it was typed (case, spaces, hyphens)."""
    code = normalise_code(typed_code)
    return db.session.scalar(select(Certificate).where(Certificate.code == code)) if len(code) == CODE_LENGTH else None


def verify(typed_code: str) -> Verification:
    """The status of a code (valid, expired, revoked with its date, or unknown) and what an appraiser
    checks. An expired certificate is genuine evidence of the learning it states, so it is not revoked."""
    found = find_by_code(typed_code)
    if found is None:
        return Verification(status="unknown", code=typed_code)
    return Verification(
        status=validity.status(found.revoked_at, found.valid_until, clock.now()), code=display_code(found.code),
        holder_name=found.holder_name, gmc_ending=found.gmc_number[-GMC_DIGITS_SHOWN:],
        activity_titles=tuple(found.module_titles.splitlines()),
        credits=found.credits, completed_on=found.completed_at.date(),
        revoked_on=found.revoked_at.date() if found.revoked_at else None,
        valid_until=found.valid_until.date() if found.valid_until else None,
    )


def display_code(code: str) -> str:
    """XXXXX-XXXXX-XXXXX-XXXXX: easier to read aloud and type."""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def view_of(certificate: Certificate, issuer: str, verify_url: str) -> CertificateView:
    """The certificate as printed, from its snapshot only (including the charity's name and colour)."""
    return CertificateView(
        holder_name=certificate.holder_name, gmc_number=certificate.gmc_number,
        activity_titles=certificate.module_titles.splitlines(),
        learning_outcomes=certificate.learning_outcomes.splitlines(),
        credits=certificate.credits, completed_on=certificate.completed_at.date(), issuer=issuer,
        charity_name=certificate.charity_name, charity_colour=certificate.charity_colour,
        reflection_recorded=True, code=display_code(certificate.code), verify_url=verify_url,
        valid_until=certificate.valid_until.date() if certificate.valid_until else None,
    )


def search_certificates(query: str = "") -> list[Certificate]:
    """Newest first, at most ADMIN_LIST_LIMIT: all, or those whose code starts with what was typed
    (however typed), whose holder's name contains it, or whose GMC number it is."""
    statement = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    query = query.strip()
    if query:
        matches = [func.lower(Certificate.holder_name).contains(query.lower(), autoescape=True),
                   Certificate.gmc_number == query]
        if normalise_code(query):
            matches.append(Certificate.code.startswith(normalise_code(query), autoescape=True))
        statement = statement.where(or_(*matches))
    return list(db.session.scalars(statement.limit(ADMIN_LIST_LIMIT)))


def revoke_certificate(certificate: Certificate, admin: User, reason: str) -> None:
    """Revoke a certificate for a stated reason: verification shows it revoked (with the date) from
    now on, and the audit log records which admin did it and why."""
    if certificate.revoked_at is not None:
        revoked = certificate.revoked_at
        raise AlreadyRevoked(f"This certificate was already revoked on {revoked.day} {revoked:%B %Y}.")
    certificate.revoked_at = utcnow()
    certificate.revoke_reason = reason.strip()
    certificate.revoked_by_id = admin.id
    record(admin, "certificate.revoke", target=f"certificate:{certificate.code}", reason=certificate.revoke_reason)
    db.session.flush()
