"""Exporting, withdrawing and erasing a GP's data. Callers commit.

Decisions (see README, "Data protection"): an account is erased, not removed, so the rows that
reports and certificates depend on keep their keys; answers stay only where the GP consented to
pseudonymous research use; issued certificates stay verifiable as "issued to a deleted account".
"""
import secrets

from sqlalchemy import delete, or_, select, update

from survey import clock
from survey.audit import services as audit
from survey.auth.models import User, new_session_token
from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.extensions import db
from survey.invitations.models import Invitation
from survey.learning.models import ModuleProgress, QuizAttempt, Reflection, ReflectionNote
from survey.oidc.models import OidcIdentity
from survey.privacy.models import ConsentRecord
from survey.surveys.models import Answer, Response

DELETED_NAME = "Deleted account"


def _rows(model, enrolment: Enrolment) -> list:
    return list(db.session.scalars(select(model).where(model.enrolment_id == enrolment.id).order_by(model.id)))


def _enrolment_data(enrolment: Enrolment) -> dict:
    return {
        "campaign": enrolment.campaign.title, "campaign_slug": enrolment.campaign.slug,
        "cohort": enrolment.cohort.name if enrolment.cohort else None, "participant_code": enrolment.participant_code,
        "consent_version": enrolment.consent_version, "consent_text": enrolment.consent_text,
        "consented_at": enrolment.consented_at, "research_consent": enrolment.research_consent,
        "withdrawn_at": enrolment.withdrawn_at, "profile": dict(enrolment.profile or {}), "nation": enrolment.nation,
        "consent_history": [{"at": c.at, "research_consent": c.research_consent, "event": c.event,
                             "consent_version": c.consent_version, "wording": c.wording}
                            for c in _rows(ConsentRecord, enrolment)],
        "responses": [{"wave": r.wave, "instrument": r.version.slug, "instrument_version": r.version.version,
                       "started_at": r.started_at, "submitted_at": r.submitted_at, "answers": r.answer_map()}
                      for r in _rows(Response, enrolment)],
        "progress": [{"module": p.module_slug, "current_page": p.current_page, "furthest_page": p.furthest_page,
                      "pages_completed_at": p.pages_completed_at, "seconds_spent": p.seconds_spent,
                      "best_score": p.best_score, "passed_at": p.passed_at} for p in _rows(ModuleProgress, enrolment)],
        "quiz_attempts": [{"module": q.module_slug, "at": q.created_at, "score": q.score, "passed": q.passed,
                           "questions": q.questions, "answers": q.answers} for q in _rows(QuizAttempt, enrolment)],
        "reflections": [{"text": r.text, "updated_at": r.updated_at} for r in _rows(Reflection, enrolment)],
        "reflection_notes": [{"module": n.module_slug, "page": n.page_file, "box": n.prompt, "text": n.text,
                              "updated_at": n.updated_at} for n in _rows(ReflectionNote, enrolment)],
        "certificates": [{"code": c.code, "scope": c.scope, "activity": c.activity_title, "credits": c.credits,
                          "issued_at": c.issued_at, "revoked_at": c.revoked_at} for c in _rows(Certificate, enrolment)],
    }


def _enrolments(user: User) -> list[Enrolment]:
    return list(db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id)))


def personal_data(user: User, export_format: str) -> dict:
    """Everything we hold about the GP, recording the export in the audit log."""
    audit.record(user, "data.export", f"user:{user.id}", format=export_format)
    return {
        "account": {"name": user.name, "email": user.email, "gmc_number": user.gmc_number, "role": user.role,
                    "created_at": user.created_at},
        "enrolments": [_enrolment_data(e) for e in _enrolments(user)],
    }


def delete_account(user: User) -> None:
    """Erase the GP's identity and what cannot stay.

    - name, email and GMC number are erased (the row stays as a tombstone so keys hold) and every
      session ends;
    - reflections (free text that may identify) are deleted;
    - survey answers, quiz answers and the enrolment profile are deleted unless the GP consented to
      pseudonymous research use in that campaign;
    - issued certificates keep their code, activity and credits but lose the holder's name and GMC
      number: they verify as "issued to a deleted account";
    - invitations sent to the address lose the name and address;
    - links to organisations' sign-in providers are removed (signing in there again makes a new account).
    """
    enrolments = _enrolments(user)
    ids = [e.id for e in enrolments]
    without_consent = [e.id for e in enrolments if not e.research_consent]
    responses = select(Response.id).where(Response.enrolment_id.in_(without_consent))
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    db.session.execute(delete(Response).where(Response.enrolment_id.in_(without_consent)))
    db.session.execute(delete(QuizAttempt).where(QuizAttempt.enrolment_id.in_(without_consent)))
    db.session.execute(delete(Reflection).where(Reflection.enrolment_id.in_(ids)))
    db.session.execute(update(Certificate).where(Certificate.enrolment_id.in_(ids)).values(holder_name="", gmc_number=""))
    db.session.execute(update(Invitation).where(or_(Invitation.email == user.email, Invitation.enrolment_id.in_(ids)))
                       .values(name="", email=""))
    db.session.execute(delete(OidcIdentity).where(OidcIdentity.user_id == user.id))
    for enrolment in enrolments:
        if not enrolment.research_consent:
            enrolment.profile, enrolment.nation = {}, None
    audit.record(user, "account.delete", f"user:{user.id}", answers_kept_in=len(ids) - len(without_consent))
    user.name, user.email, user.gmc_number = DELETED_NAME, f"deleted-{user.id}@deleted.invalid", None
    user.password_hash, user.session_token = "!" + secrets.token_hex(16), new_session_token()
    user.deleted_at = clock.now()
    db.session.flush()
    db.session.expire_all()
