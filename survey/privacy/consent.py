"""Research consent over time: given (or declined) at enrolment, withdrawn, given again. Callers commit.

The enrolment holds the current state, which every report and export reads (``research_consent`` true and
``withdrawn_at`` empty); each decision also adds a ``ConsentRecord`` so the history is kept.
"""
from sqlalchemy import select

from survey import clock
from survey.audit import services as audit
from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.privacy.models import ConsentRecord

#: The research-use statement on /join and on "Your data". UK GDPR consent must be an unticked opt-in.
RESEARCH_WORDING = "My answers may be used, without my name, for research and evaluation of this training."


def _record(enrolment: Enrolment, given: bool, event: str) -> ConsentRecord:
    record = ConsentRecord(enrolment_id=enrolment.id, research_consent=given, event=event,
                           consent_version=enrolment.campaign.consent_version, wording=RESEARCH_WORDING, at=clock.now())
    db.session.add(record)
    return record


def record_enrolment(enrolment: Enrolment) -> None:
    """Record a new enrolment: the research decision the GP made when joining, and an audit event."""
    _record(enrolment, enrolment.research_consent, "enrol")
    audit.record(enrolment.user, "enrolment.create", f"enrolment:{enrolment.participant_code}",
                 campaign=enrolment.campaign.slug, cohort_id=enrolment.cohort_id,
                 research_consent=enrolment.research_consent)
    db.session.flush()


def withdraw(enrolment: Enrolment) -> bool:
    """Stop the research use of the GP's answers in this campaign: they leave every report and export
    from now on. The GP may carry on learning. Returns False when there was no consent to withdraw."""
    if not enrolment.research_consent:
        return False
    enrolment.research_consent, enrolment.withdrawn_at = False, clock.now()
    _record(enrolment, False, "withdraw")
    audit.record(enrolment.user, "consent.withdraw", f"enrolment:{enrolment.participant_code}")
    db.session.flush()
    return True


def give(enrolment: Enrolment) -> bool:
    """Agree (again) to research use, after a withdrawal or a refusal at enrolment: a new record, the old
    ones kept; the answers count in reports from now on. Returns False when consent was already given."""
    if enrolment.research_consent:
        return False
    enrolment.research_consent, enrolment.withdrawn_at = True, None
    _record(enrolment, True, "consent")
    audit.record(enrolment.user, "consent.give", f"enrolment:{enrolment.participant_code}")
    db.session.flush()
    return True


def history(enrolment: Enrolment) -> list[ConsentRecord]:
    """Every research decision for the enrolment, oldest first."""
    return list(db.session.scalars(select(ConsentRecord).where(ConsentRecord.enrolment_id == enrolment.id)
                                   .order_by(ConsentRecord.at, ConsentRecord.id)))
