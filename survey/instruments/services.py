"""Freezing instrument versions: a version with responses is never changed in place."""
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Enrolment
from survey.contentfiles import Problem, relative_name
from survey.extensions import db
from survey.instruments.definition import WAVES, Instrument, InstrumentFile
from survey.instruments.models import InstrumentVersion
from survey.surveys.models import Response


class InstrumentChanged(Exception):
    """The instrument file changed but kept a version number that already has responses."""


def instrument_version(instrument: Instrument) -> InstrumentVersion:
    """The stored version matching the file, created on first use.

    A changed file under a version with no responses yet updates that version; under a
    version that has responses it is refused, so answers are never re-read with other wording.
    """
    query = _stored(instrument.slug, instrument.version)
    row = db.session.scalar(query)
    definition = instrument.data.model_dump(mode="json", by_alias=True, exclude_none=True)
    if row is None:
        try:
            with db.session.begin_nested():
                row = InstrumentVersion(slug=instrument.slug, version=instrument.version, title=instrument.title,
                                        content_hash=instrument.content_hash, definition=definition)
                db.session.add(row)
        except IntegrityError:  # another request stored it first
            row = db.session.scalar(query)
    if row.content_hash != instrument.content_hash:
        if _has_responses(row):
            raise InstrumentChanged(_changed_message(instrument))
        row.content_hash, row.definition, row.title = instrument.content_hash, definition, instrument.title
        db.session.flush()
    return row


def _stored(slug: str, version: int):
    return select(InstrumentVersion).where(InstrumentVersion.slug == slug, InstrumentVersion.version == version)


def _has_responses(row: InstrumentVersion) -> bool:
    return bool(db.session.scalar(select(exists().where(Response.instrument_version_id == row.id))))


def _changed_message(instrument: Instrument) -> str:
    return (f"Instrument '{instrument.slug}' version {instrument.version} already has responses and its file "
            "has changed: raise 'version' in the file to publish the change as a new version.")


def frozen_version_problems(instruments: dict[str, Instrument], content_dir: Path) -> list[Problem]:
    """Instrument files changed under a version that already has responses (GPs could not start them)."""
    problems = []
    for instrument in instruments.values():
        row = db.session.scalar(_stored(instrument.slug, instrument.version))
        if row is not None and row.content_hash != instrument.content_hash and _has_responses(row):
            file = relative_name(content_dir / "instruments" / f"{instrument.slug}.yaml", content_dir)
            problems.append(Problem(file, "version", _changed_message(instrument)))
    return problems


#: Parsed definitions by (version id, content hash): equal keys always hold equal definitions.
_parsed: dict[tuple[int, str], InstrumentFile] = {}


def definition_of(row: InstrumentVersion) -> InstrumentFile:
    """The frozen definition a response was given, parsed once per version."""
    key = (row.id, row.content_hash)
    if key not in _parsed:
        _parsed[key] = InstrumentFile.model_validate(row.definition)
    return _parsed[key]


@dataclass(frozen=True)
class VersionSummary:
    version: int
    title: str
    responses: int  #: responses in the campaigns the reader may see (all, for an admin)
    in_file: bool  #: the instrument file holds this version number now
    refused_change: bool  #: the file holds it but has changed since it got responses, so GPs cannot start it
    frozen: bool = False  #: it has responses in some campaign, so it can never change


def versions_of(slug: str, instrument: Instrument | None, campaign_ids: list[int] | None = None,
                archived: dict | None = None) -> list[VersionSummary]:
    """Every stored version of an instrument, the file's own version and archived versions (files under
    instruments/archive/), newest first, with response counts: counted only in ``campaign_ids`` when given
    (an educator sees numbers for their own campaigns only), while whether a version is frozen is decided
    by responses anywhere."""
    every = select(func.count(Response.id)).where(Response.instrument_version_id == InstrumentVersion.id)
    mine = every if campaign_ids is None else (
        every.join(Enrolment, Enrolment.id == Response.enrolment_id).where(Enrolment.campaign_id.in_(campaign_ids)))
    rows = db.session.execute(
        select(InstrumentVersion, every.scalar_subquery(), mine.scalar_subquery()).where(InstrumentVersion.slug == slug)
    ).tuples().all()
    file_version = instrument.version if instrument else None
    found = [VersionSummary(row.version, row.title, visible, row.version == file_version,
                            row.version == file_version and total > 0 and row.content_hash != instrument.content_hash,
                            frozen=total > 0)
             for row, total, visible in rows]
    if instrument and all(v.version != file_version for v in found):
        found.append(VersionSummary(instrument.version, instrument.title, 0, True, False))
    for (old_slug, number), old in (archived or {}).items():
        if old_slug == slug and all(v.version != number for v in found):
            found.append(VersionSummary(number, old.title, 0, False, False))
    return sorted(found, key=lambda v: -v.version)


def definition_for_preview(slug: str, instrument: Instrument | None, version: int,
                           archived: dict | None = None) -> InstrumentFile | None:
    """What GPs were or will be given under ``version``: the frozen copy once it has responses, else the
    file (the live one, or the archived one for an earlier version)."""
    row = db.session.scalar(_stored(slug, version))
    if instrument and instrument.version == version and (row is None or not _has_responses(row)):
        return instrument.data
    if row is None and (slug, version) in (archived or {}):
        return archived[(slug, version)].data
    return definition_of(row) if row else None


@dataclass(frozen=True)
class VersionUse:
    slug: str
    version: int
    wave: str
    responses: int
    submitted: int


def versions_in_use(campaign_id: int) -> list[VersionUse]:
    """Which instrument versions a campaign's responses were given, per wave, with counts.

    Scores from different versions must not be pooled silently: when a wave lists more than one
    version, a report says so or reports each version separately.
    """
    rows = db.session.execute(
        select(InstrumentVersion.slug, InstrumentVersion.version, Response.wave,
               func.count(Response.id), func.count(Response.submitted_at))
        .join(Response, Response.instrument_version_id == InstrumentVersion.id)
        .join(Enrolment, Enrolment.id == Response.enrolment_id)
        .where(Enrolment.campaign_id == campaign_id)
        .group_by(InstrumentVersion.slug, InstrumentVersion.version, Response.wave)
    ).tuples().all()
    uses = [VersionUse(*row) for row in rows]
    return sorted(uses, key=lambda u: (WAVES.index(u.wave), u.slug, u.version))
