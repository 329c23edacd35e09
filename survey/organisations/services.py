"""Organisations (charities) and their logos, stored under the instance folder. Callers commit."""
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.rules import slugify
from survey.extensions import db
from survey.organisations.logos import checked_logo
from survey.organisations.models import Organisation


class OrganisationError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def logo_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "logos"


def _unique_slug(name: str) -> str:
    base, n = slugify(name), 1
    slug = base
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_organisation(organisation: Organisation | None, name: str, colour: str, logo: bytes | None) -> Organisation:
    """Create or update an organisation; a new logo (PNG or JPEG, or an SVG stored as the PNG it draws)
    replaces the old file.

    Logos are stored under a random name in the instance folder and served only through the logo route.
    """
    clash = db.session.scalar(select(Organisation.id).where(Organisation.name == name))
    if clash is not None and (organisation is None or clash != organisation.id):
        raise OrganisationError("name", "An organisation with this name already exists.")
    kind, stored = checked_logo(logo) if logo else (None, None)  # raises LogoInvalid before anything changes
    if organisation is None:
        # The slug is chosen before the savepoint opens: on SQLite a read inside it would hold a shared lock,
        # and two admins saving at once would then deadlock ("database is locked") instead of one insert failing.
        slug = _unique_slug(name)
        try:
            with db.session.begin_nested():
                organisation = Organisation(slug=slug, name=name, colour=colour)
                db.session.add(organisation)
        except IntegrityError as error:  # another admin saved one of the same name at the same moment
            raise OrganisationError("name", "An organisation with this name was created just now.") from error
    organisation.name, organisation.colour = name, colour.lower()
    if kind:
        folder = logo_folder()
        folder.mkdir(parents=True, exist_ok=True)
        filename = f"org-{organisation.id}-{secrets.token_hex(8)}.{kind}"
        (folder / filename).write_bytes(stored)
        old, organisation.logo_filename = organisation.logo_filename, filename
        if old:
            (folder / old).unlink(missing_ok=True)
    db.session.flush()
    return organisation
