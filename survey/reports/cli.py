"""`flask import-responses`: answers collected on paper or elsewhere, in the long export format."""
import click
from flask.cli import with_appcontext

from survey.campaigns.services import campaign_by_slug
from survey.extensions import db
from survey.surveys.versions import campaign_version
from survey.reports import importer, services

SHOWN_PROBLEMS = 200


@click.command("import-responses")
@click.argument("campaign")
@click.argument("file", type=click.File("rb"))
@click.option("--instrument-version", "number", type=int, default=None,
              help="Store the answers under this stored version of the campaign's instrument (default: the campaign's version).")
@with_appcontext
def import_responses(campaign, file, number):
    """Import answers (CSV: participant,wave,item,value) into CAMPAIGN as submitted responses; all or nothing."""
    found = campaign_by_slug(campaign)
    if found is None:
        raise click.ClickException(f"There is no campaign '{campaign}'.")
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file.name} is not UTF-8 text ({error.reason} at byte {error.start}).") from error
    if number is None:
        version = campaign_version(found)  # the version the campaign's GPs answer
    else:
        version = services.stored_version(found, number)
        if version is None:
            raise click.ClickException(f"Instrument '{found.instrument_slug}' has no stored version {number}.")
    try:
        responses, answers = services.import_responses(found, text, version)
    except importer.ImportInvalid as error:
        db.session.rollback()
        for problem in error.problems[:SHOWN_PROBLEMS]:
            click.echo(f"{file.name}: {problem}", err=True)
        if len(error.problems) > SHOWN_PROBLEMS:
            click.echo(f"... and {len(error.problems) - SHOWN_PROBLEMS} more.", err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) found; nothing was imported.") from error
    db.session.commit()
    click.echo(f"Imported {responses} response(s) with {answers} answer(s) into '{found.slug}' "
               f"(instrument version {version.version}).")
