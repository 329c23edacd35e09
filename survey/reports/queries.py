"""Reading a campaign's report data in bulk: a handful of queries, never one per participant."""
from sqlalchemy import String, and_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

import pandas as pd

from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.certificates.models import Certificate
from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import definition_of
from survey.reports.design import add_assignments, add_page_seconds
from survey.learning.models import ModuleProgress, Reflection
from survey.library import library
from survey.reports.dataset import CampaignInfo, Dataset, Version, answers_frame
from survey.surveys.models import Answer, Response


class answers_object(GenericFunction):
    """``{item_id: value}`` of one response as JSON text, aggregated in the database.

    One row per response instead of one per answer, decoded client-side in one ``json.loads``.
    """
    type = String()
    inherit_cache = True


@compiles(answers_object, "postgresql")
def _postgresql(element, compiler, **kw):
    return f"json_object_agg({compiler.process(element.clauses, **kw)})::text"


@compiles(answers_object)
def _default(element, compiler, **kw):
    return f"json_group_object({compiler.process(element.clauses, **kw)})"


def _included(campaign: Campaign, cohort: Cohort | None):
    """Participants who count: consented to research use and have not withdrawn."""
    condition = and_(Enrolment.campaign_id == campaign.id, Enrolment.research_consent.is_(True),
                     Enrolment.withdrawn_at.is_(None))
    return and_(condition, Enrolment.cohort_id == cohort.id) if cohort is not None else condition


def _participants(campaign: Campaign, cohort: Cohort | None) -> pd.DataFrame:
    fields = list(campaign.enrolment_fields or [])
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.participant_code, Cohort.name,
               *(Enrolment.profile[name].as_string() for name in fields))  # only the fields reported
        .outerjoin(Cohort, Cohort.id == Enrolment.cohort_id).where(_included(campaign, cohort))
        .order_by(Enrolment.participant_code)
    ).all()
    columns = list(zip(*rows)) if rows else [()] * (3 + len(fields))
    frame = pd.DataFrame({"participant": columns[1], "cohort": columns[2]},
                         index=pd.Index(columns[0], name="enrolment_id"), dtype=object)
    for position, name in enumerate(fields, start=3):
        frame[f"profile:{name}"] = pd.Series(columns[position], index=frame.index, dtype=object)
    return frame


def _progress(campaign: Campaign, cohort: Cohort | None, frame: pd.DataFrame) -> None:
    """Funnel flags per participant: each module complete, reflection written, certificate held."""
    enrolled = select(Enrolment.id).where(_included(campaign, cohort))
    complete = db.session.execute(
        select(ModuleProgress.enrolment_id, ModuleProgress.module_slug)
        .where(ModuleProgress.enrolment_id.in_(enrolled), ModuleProgress.pages_completed_at.is_not(None),
               ModuleProgress.passed_at.is_not(None))
    ).all()
    for slug in campaign.module_slugs:
        frame[f"module:{slug}"] = frame.index.isin([e for e, s in complete if s == slug])
    frame["reflection"] = frame.index.isin(
        db.session.scalars(select(Reflection.enrolment_id).where(Reflection.enrolment_id.in_(enrolled))).all())
    held = db.session.execute(
        select(Certificate.enrolment_id, Certificate.scope)
        .where(Certificate.enrolment_id.in_(enrolled), Certificate.revoked_at.is_(None))
    ).all()
    frame["certificate"] = frame.index.isin(certificate_holders(campaign, held))


def certificate_holders(campaign: Campaign, held: list[tuple[int, str]]) -> set[int]:
    """Who holds the campaign's certificate: the campaign one, or under the per-module rule one for every module."""
    if campaign.certificate_rule != "module":
        return {e for e, scope in held if scope == "campaign"}
    scopes: dict[int, set[str]] = {}
    for enrolment_id, scope in held:
        scopes.setdefault(enrolment_id, set()).add(scope)
    return {e for e, s in scopes.items() if set(campaign.module_slugs) <= s}


def load_dataset(campaign: Campaign, cohort: Cohort | None, min_cell_size: int) -> Dataset:
    """Everything a report or export of ``campaign`` (or one cohort) needs, in six bulk reads."""
    participants = _participants(campaign, cohort)
    _progress(campaign, cohort, participants)
    submitted = and_(_included(campaign, cohort), Response.submitted_at.is_not(None))
    rows = db.session.execute(
        select(Response.id, Response.enrolment_id, Response.wave, Response.instrument_version_id,
               answers_object(Answer.item_id, Answer.value))
        .join(Enrolment, Enrolment.id == Response.enrolment_id).join(Answer, Answer.response_id == Response.id)
        .where(submitted)
        .group_by(Response.id, Response.enrolment_id, Response.wave, Response.instrument_version_id)
        .order_by(Response.id)
    ).all()
    responses = pd.DataFrame({"enrolment_id": [r[1] for r in rows], "wave": [r[2] for r in rows],
                              "version_id": [r[3] for r in rows]},
                             index=pd.Index([r[0] for r in rows], name="response_id"))
    answers = answers_frame([r[0] for r in rows], [r[4] for r in rows])
    add_assignments(campaign.id, participants)
    add_page_seconds(responses)
    version_ids = set(responses["version_id"].tolist())
    versions = {row.id: Version(row.id, row.version, definition_of(row))
                for row in db.session.scalars(select(InstrumentVersion).where(InstrumentVersion.id.in_(version_ids)))}
    modules = library().modules
    info = CampaignInfo(
        slug=campaign.slug, title=campaign.title, min_cell_size=min_cell_size,
        modules=[(slug, modules[slug].title if slug in modules else slug) for slug in campaign.module_slugs],
        enrolment_fields=list(campaign.enrolment_fields or []), certificate_rule=campaign.certificate_rule,
        organisation=campaign.organisation.name if campaign.organisation else None,
        colour=campaign.organisation.colour if campaign.organisation else None,
    )
    return Dataset(info, participants, responses, answers, versions, cohort.name if cohort else None)
