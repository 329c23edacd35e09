"""Each participant's progress for educators, by pseudonymous code, with names only where allowed."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from survey.campaigns.journey import JourneyState, Step, next_step
from survey.campaigns.models import Campaign, Enrolment
from survey.campaigns.services import journey_state
from survey.extensions import db


@dataclass(frozen=True)
class ParticipantRow:
    participant_code: str
    name: str | None  #: None when the viewer may not see who this is
    cohort_name: str | None
    enrolled_at: datetime
    state: JourneyState
    step: Step
    withdrawn: bool  #: research consent withdrawn or never given
    deleted: bool  #: the GP deleted their account

    @property
    def modules_done(self) -> int:
        return sum(m.complete for m in self.state.modules)


#: The delayed arm's steps, worded for staff (the GP's own wording speaks to them).
STAFF_WORDING = {"pre2_waiting": "Waiting for their course to open", "pre2": "Second baseline survey"}


def _for_staff(step: Step) -> Step:
    return Step(step.kind, STAFF_WORDING[step.kind], step.module_slug) if step.kind in STAFF_WORDING else step


def participant_rows(campaign: Campaign, named_cohorts: set[int] | None, now: datetime, modules: dict,
                     cohort_id: int | None = None) -> list[ParticipantRow]:
    """Progress of the campaign's participants (of one cohort when ``cohort_id`` is given), by code.

    A name is shown only when ``named_cohorts`` is None (the viewer manages the campaign) or holds the
    participant's cohort; a deleted account never has a name.
    """
    query = select(Enrolment).where(Enrolment.campaign_id == campaign.id).order_by(Enrolment.participant_code)
    if cohort_id is not None:
        query = query.where(Enrolment.cohort_id == cohort_id)
    rows = []
    for enrolment in db.session.scalars(query):
        state = journey_state(enrolment, modules)
        deleted = enrolment.user.deleted_at is not None
        may_name = named_cohorts is None or enrolment.cohort_id in named_cohorts
        rows.append(ParticipantRow(
            participant_code=enrolment.participant_code, name=enrolment.user.name if may_name and not deleted else None,
            cohort_name=enrolment.cohort.name if enrolment.cohort else None, enrolled_at=enrolment.consented_at,
            state=state, step=_for_staff(next_step(state, now)), withdrawn=not enrolment.research_consent, deleted=deleted,
        ))
    return rows
