"""Reading a campaign's report data in bulk: a handful of queries, never one per participant or answer.

Answers come back grouped by (item, value): one row per distinct answer of an item, holding the
ids of every response that gave it as packed integers (:mod:`survey.reports.packed`). Python
never sees a row per answer, the database parses no text, and the stored text of each answer
is kept exactly (as a category of its item). Progress flags are ``EXISTS`` columns of the
participants query.
"""
import numpy as np
import pandas as pd
from sqlalchemy import and_, exists, select

from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.certificates.models import Certificate
from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import definition_of
from survey.learning.models import ModuleProgress, Reflection
from survey.library import library
from survey.reports.dataset import CampaignInfo, Dataset, Version, answers_from_groups
from survey.reports.design import add_assignments, add_page_seconds, add_retest_draws
from survey.reports.packed import packed_ints, unpack
from survey.surveys.models import Answer, Response


def _included(campaign: Campaign, cohort: Cohort | None):
    """Participants who count: consented to research use and have not withdrawn."""
    condition = and_(Enrolment.campaign_id == campaign.id, Enrolment.research_consent.is_(True),
                     Enrolment.withdrawn_at.is_(None))
    return and_(condition, Enrolment.cohort_id == cohort.id) if cohort is not None else condition


def _module_complete(slug: str):
    return exists().where(ModuleProgress.enrolment_id == Enrolment.id, ModuleProgress.module_slug == slug,
                          ModuleProgress.pages_completed_at.is_not(None), ModuleProgress.passed_at.is_not(None))


def _holds_certificate(scope: str | None = None):
    held = exists().where(Certificate.enrolment_id == Enrolment.id, Certificate.revoked_at.is_(None))
    return held.where(Certificate.scope == scope) if scope is not None else held


def certificate_held(campaign: Campaign):
    """Whether an enrolment holds the campaign's certificate: the campaign one, or under the per-module
    rule an unrevoked one for every module."""
    if campaign.certificate_rule != "module":
        return _holds_certificate("campaign")
    return and_(_holds_certificate(), *(_holds_certificate(slug) for slug in campaign.module_slugs))


def _participants(campaign: Campaign, cohort: Cohort | None) -> pd.DataFrame:
    """Who takes part, with their funnel flags (each module complete, reflection written, certificate held)."""
    fields = list(campaign.enrolment_fields or [])
    slugs = campaign.module_slugs
    flags = [*(_module_complete(slug) for slug in slugs),
             exists().where(Reflection.enrolment_id == Enrolment.id), certificate_held(campaign)]
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.participant_code, Cohort.name,
               *(Enrolment.profile[name].as_string() for name in fields), *flags)  # only the fields reported
        .outerjoin(Cohort, Cohort.id == Enrolment.cohort_id).where(_included(campaign, cohort))
        .order_by(Enrolment.participant_code)
    ).all()
    columns = list(zip(*rows)) if rows else [()] * (3 + len(fields) + len(flags))
    frame = pd.DataFrame({"participant": columns[1], "cohort": columns[2]},
                         index=pd.Index(columns[0], name="enrolment_id"), dtype=object)
    for position, name in enumerate(fields, start=3):
        frame[f"profile:{name}"] = pd.Series(columns[position], index=frame.index, dtype=object)
    names = [f"module:{slug}" for slug in slugs] + ["reflection", "certificate"]
    for position, name in enumerate(names, start=3 + len(fields)):
        frame[name] = np.array(columns[position], dtype=bool)
    return frame


def _responses(submitted) -> pd.DataFrame:
    """Submitted responses (index: response id, ascending), read packed per wave and instrument version."""
    groups = db.session.execute(
        select(Response.wave, Response.instrument_version_id, packed_ints(Response.id),
               packed_ints(Response.enrolment_id))
        .join(Enrolment, Enrolment.id == Response.enrolment_id).where(submitted)
        .group_by(Response.wave, Response.instrument_version_id)
    ).all()
    ids = [unpack(group[2]) for group in groups]
    frame = pd.DataFrame({
        "enrolment_id": np.concatenate([unpack(group[3]) for group in groups] or [np.empty(0, np.int64)]),
        "wave": np.concatenate([np.full(len(i), group[0], dtype=object) for i, group in zip(ids, groups)]
                               or [np.empty(0, object)]),
        "version_id": np.concatenate([np.full(len(i), group[1]) for i, group in zip(ids, groups)]
                                     or [np.empty(0, np.int64)]).astype(np.int64),
    }, index=pd.Index(np.concatenate(ids or [np.empty(0, np.int64)]), name="response_id"))
    return frame.sort_index()


def _answer_groups(submitted) -> list[tuple[str, str, np.ndarray]]:
    """(item, stored value, ids of the submitted responses that gave it), one per distinct answer."""
    rows = db.session.execute(
        select(Answer.item_id, Answer.value, packed_ints(Answer.response_id))
        .join(Response, Response.id == Answer.response_id).join(Enrolment, Enrolment.id == Response.enrolment_id)
        .where(submitted).group_by(Answer.item_id, Answer.value)
    ).all()
    return [(item, value, unpack(ids)) for item, value, ids in rows]


def load_dataset(campaign: Campaign, cohort: Cohort | None, min_cell_size: int) -> Dataset:
    """Everything a report or export of ``campaign`` (or one cohort) needs, in a handful of bulk reads.

    Responses without a single answer are left out, as no analysis can use them.
    """
    participants = _participants(campaign, cohort)
    submitted = and_(_included(campaign, cohort), Response.submitted_at.is_not(None))
    responses = _responses(submitted)
    answers, numbers = answers_from_groups(responses.index, _answer_groups(submitted))
    responses = responses.reindex(answers.index)
    add_assignments(campaign.id, participants, select(Enrolment.id).where(_included(campaign, cohort)))
    add_retest_draws(campaign.id, participants, select(Enrolment.id).where(_included(campaign, cohort)))
    add_page_seconds(responses, select(Response.id).join(Enrolment, Enrolment.id == Response.enrolment_id)
                     .where(submitted))
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
    return Dataset(info, participants, responses, answers, versions, cohort.name if cohort else None,
                   _numbers=numbers)
