"""Which instrument version a campaign's GPs answer, and which vignette versions each GP sees.

A campaign is pinned to the instrument version its first response was given; later waves and
later GPs get the same version even after the live file moves on (version 1 campaigns keep
version 1). Services flush; callers commit.
"""
from sqlalchemy import func, select

from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.instruments.definition import InstrumentFile
from survey.instruments.models import InstrumentVersion
from survey.instruments.randomisation import assigned_case_set, assigned_version
from survey.instruments.services import definition_of, instrument_version
from survey.library import library
from survey.sequences import take_next_place
from survey.surveys.models import CaseSetAssignment, VignetteAssignment


class VersionMissing(Exception):
    """The campaign is pinned to a version that is neither stored nor archived (an operator's mistake)."""


def _stored(slug: str, number: int) -> InstrumentVersion | None:
    return db.session.scalar(select(InstrumentVersion).where(InstrumentVersion.slug == slug,
                                                            InstrumentVersion.version == number))


def campaign_version(campaign: Campaign) -> InstrumentVersion:
    """The stored version a new response in this campaign is given, pinning the campaign on first use.

    Unpinned: the live file's version (and the campaign is pinned to it). Pinned to the live
    version: that version. Pinned to an older one: its frozen copy, or the archived file when no
    copy is stored yet. Raises InstrumentChanged (live file edited under responses) or VersionMissing.
    """
    lib = library()
    live = lib.instruments.get(campaign.instrument_slug)
    pinned = campaign.instrument_version
    if pinned is None or (live is not None and live.version == pinned):
        if live is None:
            raise VersionMissing(f"instrument '{campaign.instrument_slug}' has no file")
        row = instrument_version(live)
        if pinned is None:
            campaign.instrument_version = live.version
            db.session.flush()
        return row
    row = _stored(campaign.instrument_slug, pinned)
    if row is not None:
        return row
    archived = lib.archived.get((campaign.instrument_slug, pinned))
    if archived is None:
        raise VersionMissing(f"instrument '{campaign.instrument_slug}' version {pinned} is neither stored nor archived")
    return instrument_version(archived)


def campaign_definition(campaign: Campaign) -> InstrumentFile | None:
    """What the campaign's GPs answer (or will answer), read-only: nothing is pinned or stored."""
    lib = library()
    live = lib.instruments.get(campaign.instrument_slug)
    pinned = campaign.instrument_version
    if pinned is None or (live is not None and live.version == pinned):
        return live.data if live else None
    row = _stored(campaign.instrument_slug, pinned)
    if row is not None:
        return definition_of(row)
    archived = lib.archived.get((campaign.instrument_slug, pinned))
    return archived.data if archived else None


def assignments_for(enrolment: Enrolment) -> dict[str, str]:
    """The vignette versions the GP was assigned, by vignette id."""
    return dict(db.session.execute(
        select(VignetteAssignment.vignette_id, VignetteAssignment.version_key)
        .where(VignetteAssignment.enrolment_id == enrolment.id)
    ).tuples().all())


def assign_vignettes(enrolment: Enrolment, definition: InstrumentFile) -> dict[str, str]:
    """Assign the GP what they have not been assigned yet; returns the version of each randomised vignette
    the GP answers, by vignette id (under matrix sampling, only their cases).

    Under matrix sampling the GP first gets a set of cases, then a version of each of those. Each takes the
    next place of the campaign's permuted-block sequence (see survey.instruments.randomisation and
    survey.sequences), so two GPs starting at once take different places.
    """
    campaign = enrolment.campaign
    assigned = assignments_for(enrolment)  # read once: on every page after the first, all are assigned
    sampling = definition.vignette_sampling
    cases = None
    if sampling is not None:  # versions are only assigned for the GP's cases, so a complete set names them
        cases = set(assigned) if len(assigned) == sampling.per_gp else set(_case_set(enrolment, definition))
    for vignette in definition.randomised_vignettes():
        if vignette.id in assigned or (cases is not None and vignette.id not in cases):
            continue
        row = take_next_place(
            lambda: db.session.scalar(select(func.coalesce(func.max(VignetteAssignment.position) + 1, 0)).where(
                VignetteAssignment.campaign_id == campaign.id, VignetteAssignment.vignette_id == vignette.id)),
            lambda position: VignetteAssignment(
                campaign_id=campaign.id, enrolment_id=enrolment.id, vignette_id=vignette.id, position=position,
                version_key=assigned_version(campaign.assignment_seed, vignette.id, vignette.version_keys, position)),
            f"assign vignette '{vignette.id}'", assigned_meanwhile=lambda: vignette.id in assignments_for(enrolment))
        assigned[vignette.id] = row.version_key if row else assignments_for(enrolment)[vignette.id]
    return assigned


def case_set_of(enrolment: Enrolment) -> tuple[str, ...] | None:
    """The cases a GP answers under matrix sampling (None before they are assigned)."""
    row = db.session.scalar(select(CaseSetAssignment).where(CaseSetAssignment.enrolment_id == enrolment.id))
    return row.cases if row else None


def _case_set(enrolment: Enrolment, definition: InstrumentFile) -> tuple[str, ...]:
    found = case_set_of(enrolment)
    if found is not None:
        return found
    campaign = enrolment.campaign
    ids = [v.id for v in definition.sampled_vignettes()]
    row = take_next_place(
        lambda: db.session.scalar(select(func.coalesce(func.max(CaseSetAssignment.position) + 1, 0)).where(
            CaseSetAssignment.campaign_id == campaign.id)),
        lambda position: CaseSetAssignment(
            campaign_id=campaign.id, enrolment_id=enrolment.id, position=position,
            vignette_ids=",".join(assigned_case_set(campaign.assignment_seed, ids, definition.vignette_sampling.per_gp,
                                                    position))),
        "assign a set of cases", assigned_meanwhile=lambda: case_set_of(enrolment) is not None)
    return row.cases if row else case_set_of(enrolment)
