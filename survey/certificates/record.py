"""Reading a GP's own learning record across all their enrolments (see learning_log.py for its shape)."""
from sqlalchemy import func, select

from survey.auth.models import User
from survey.campaigns import services as campaigns
from survey.campaigns.journey import CAMPAIGN, JourneyState
from survey.campaigns.models import Enrolment
from survey import clock
from survey.certificates import validity
from survey.certificates.learning_log import (Activity, CertificateRecord, LearningRecord, ModuleRecord, NoteRecord,
                                              ReflectionRecord)
from survey.certificates.models import Certificate
from survey.certificates.services import display_code
from survey.extensions import db
from survey.learning.models import ModuleProgress, ModuleVersion, QuizAttempt, Reflection
from survey.learning.notes import notes_for


def _keyed(model, key: str, enrolment_ids: list[int]) -> dict:
    """The rows of ``model`` for these enrolments, by (enrolment id, the row's ``key``)."""
    return {(row.enrolment_id, getattr(row, key)): row
            for row in db.session.scalars(select(model).where(model.enrolment_id.in_(enrolment_ids)))}


def _issues(enrolment_ids: list[int]) -> dict[tuple[int, str], list[Certificate]]:
    """Every certificate of these enrolments by (enrolment id, scope), latest issue first."""
    issues: dict[tuple[int, str], list[Certificate]] = {}
    for row in db.session.scalars(select(Certificate).where(Certificate.enrolment_id.in_(enrolment_ids))
                                  .order_by(Certificate.cycle.desc())):
        issues.setdefault((row.enrolment_id, row.scope), []).append(row)
    return issues


def _certificate_record(certificate: Certificate) -> CertificateRecord:
    return CertificateRecord(
        display_code(certificate.code), certificate.credits, certificate.completed_at.date(),
        certificate.revoked_at.date() if certificate.revoked_at else None,
        tuple(certificate.learning_outcomes.splitlines()), certificate.charity_name,
        certificate.valid_until.date() if certificate.valid_until else None,
        expired=validity.status(certificate.revoked_at, certificate.valid_until, clock.now()) == "expired")


def learning_record(user: User, modules: dict) -> LearningRecord:
    """Everything ``user`` studied, in every campaign they joined, and nobody else's.

    Each module studied (it has a progress row) appears with the title and credits of the version
    studied, the time on its pages (ModuleProgress.seconds_spent), and its knowledge-check best score
    and attempts. Modules are grouped into activities: the campaign, or each module where the campaign
    certifies per module. Enrolments with nothing studied yet are left out.
    An activity renewed by repeating the course shows its latest certificate and lists the earlier
    ones; its modules show the latest study cycle.
    """
    enrolments = campaigns.enrolments_of(user)
    ids = [e.id for e in enrolments]
    progress = _keyed(ModuleProgress, "module_slug", ids)
    reflections = _keyed(Reflection, "scope", ids)
    certificates = _issues(ids)
    versions = {v.id: v for v in db.session.scalars(
        select(ModuleVersion).where(ModuleVersion.id.in_({p.module_version_id for p in progress.values()})))}
    # Attempts of each study cycle, so a module shows the attempts of the cycle its best score is from.
    attempts = dict(((row.enrolment_id, row.module_slug, row.cycle), row.count) for row in db.session.execute(
        select(QuizAttempt.enrolment_id, QuizAttempt.module_slug, QuizAttempt.cycle, func.count().label("count"))
        .where(QuizAttempt.enrolment_id.in_(ids), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.enrolment_id, QuizAttempt.module_slug, QuizAttempt.cycle)))

    def module_record(enrolment: Enrolment, slug: str) -> ModuleRecord | None:
        row = progress.get((enrolment.id, slug))
        if row is None:
            return None
        version = versions[row.module_version_id]
        done = row.passed_at is not None and row.pages_completed_at is not None
        return ModuleRecord(
            title=version.title, credits=version.credits, seconds_spent=row.seconds_spent,
            started_on=row.created_at.date(), completed_on=max(row.passed_at, row.pages_completed_at).date() if done else None,
            best_score=row.best_score, attempts=attempts.get((enrolment.id, slug, row.cycle), 0))

    def activity(enrolment: Enrolment, state: JourneyState, scope: str, studied: list[ModuleRecord]) -> Activity:
        issues = certificates.get((enrolment.id, scope), [])
        reflection, certificate = reflections.get((enrolment.id, scope)), issues[0] if issues else None
        campaign = enrolment.campaign
        notes = tuple(NoteRecord(modules[n.module_slug].title if n.module_slug in modules else n.module_slug, n.prompt, n.text)
                      for n in notes_for(enrolment, None if scope == CAMPAIGN else scope))
        return Activity(
            campaign_title=campaign.title, campaign_slug=campaign.slug,
            module_slug=None if scope == CAMPAIGN else scope,
            title=campaign.title if scope == CAMPAIGN else studied[0].title, modules=tuple(studied),
            reflection=ReflectionRecord(reflection.text, reflection.created_at.date(), reflection.updated_at.date())
            if reflection else None,
            reflection_open=state.reflection_unlocked if scope == CAMPAIGN else state.module_reflection_unlocked(scope),
            certificate=_certificate_record(certificate) if certificate else None,
            earlier_certificates=tuple(_certificate_record(issue) for issue in issues[1:]),
            certificate_ready=not state.certificate_missing(scope), notes=notes)

    activities = []
    for enrolment in enrolments:
        state = campaigns.journey_state(enrolment, modules)
        studied = {slug: record for slug in enrolment.campaign.module_slugs
                   if (record := module_record(enrolment, slug)) is not None}
        if state.per_module_certificates:
            activities += [activity(enrolment, state, slug, [record]) for slug, record in studied.items()]
        elif studied:
            activities.append(activity(enrolment, state, CAMPAIGN, list(studied.values())))
    return LearningRecord(name=user.name, gmc_number=user.gmc_number or "", activities=tuple(activities))
