"""Freezing instrument versions: a version with responses is never changed in place."""
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.instruments.definition import Instrument, InstrumentFile
from survey.instruments.models import InstrumentVersion
from survey.surveys.models import Response


class InstrumentChanged(Exception):
    """The instrument file changed but kept a version number that already has responses."""


def instrument_version(instrument: Instrument) -> InstrumentVersion:
    """The stored version matching the file, created on first use.

    A changed file under a version with no responses yet updates that version; under a
    version that has responses it is refused, so answers are never re-read with other wording.
    """
    query = select(InstrumentVersion).where(
        InstrumentVersion.slug == instrument.slug, InstrumentVersion.version == instrument.version
    )
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
        if db.session.scalar(select(exists().where(Response.instrument_version_id == row.id))):
            raise InstrumentChanged(
                f"Instrument '{instrument.slug}' version {instrument.version} already has responses and its file "
                "has changed: raise 'version' in the file to publish the change as a new version."
            )
        row.content_hash, row.definition, row.title = instrument.content_hash, definition, instrument.title
        db.session.flush()
    return row


#: Parsed definitions by (version id, content hash): equal keys always hold equal definitions.
_parsed: dict[tuple[int, str], InstrumentFile] = {}


def definition_of(row: InstrumentVersion) -> InstrumentFile:
    """The frozen definition a response was given, parsed once per version."""
    key = (row.id, row.content_hash)
    if key not in _parsed:
        _parsed[key] = InstrumentFile.model_validate(row.definition)
    return _parsed[key]
