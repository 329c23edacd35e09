"""Which instrument version a campaign's GPs answer, and which vignette versions each GP sees.

A campaign is pinned to the instrument version its first response was given; later waves and
later GPs get the same version even after the live file moves on (version 1 campaigns keep
version 1). Services flush; callers commit.
"""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.instruments.definition import InstrumentFile
from survey.instruments.models import InstrumentVersion
from survey.instruments.randomisation import assigned_version
from survey.instruments.services import definition_of, instrument_version
from survey.library import library
from survey.surveys.models import VignetteAssignment


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


def assign_vignettes(enrolment: Enrolment, definition: InstrumentFile, attempts: int = 5) -> dict[str, str]:
    """Assign the GP one version of each randomised vignette they have none for; returns all assignments.

    The GP takes the next place of the campaign's permuted-block sequence for that vignette (see
    survey.instruments.randomisation). Two GPs starting at once may claim the same place: the
    unique (campaign, vignette, place) constraint refuses one, which then takes the next place.
    """
    campaign = enrolment.campaign
    assigned = assignments_for(enrolment)  # read once: on every page after the first, all are assigned
    for vignette in definition.randomised_vignettes():
        for _ in range(attempts):
            if vignette.id in assigned:
                break
            # The next place after the last one taken (a deleted enrolment leaves a gap, never a clash).
            position = db.session.scalar(select(func.coalesce(func.max(VignetteAssignment.position) + 1, 0)).where(
                VignetteAssignment.campaign_id == campaign.id, VignetteAssignment.vignette_id == vignette.id))
            key = assigned_version(campaign.assignment_seed, vignette.id, vignette.version_keys, position)
            try:
                with db.session.begin_nested():
                    db.session.add(VignetteAssignment(campaign_id=campaign.id, enrolment_id=enrolment.id,
                                                      vignette_id=vignette.id, version_key=key, position=position))
                assigned[vignette.id] = key
                break
            except IntegrityError:  # another request assigned this GP, or took the place: read again
                assigned = assignments_for(enrolment)
        else:
            raise RuntimeError(f"could not assign vignette '{vignette.id}' after {attempts} attempts")
    return assigned
