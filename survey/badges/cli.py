"""`flask --app wsgi badge-keys rotate`: a new signing key for Open Badges, earlier keys kept."""
import click
from flask import current_app
from flask.cli import with_appcontext

from survey.badges.keys import rotate


@click.group("badge-keys")
def badge_keys():
    """Manage the Open Badges signing keys."""


@badge_keys.command("rotate")
@with_appcontext
def rotate_command():
    """Make a new RSA key the one that signs; credentials signed with earlier keys still verify."""
    path = current_app.config["BADGE_KEYS_FILE"]
    click.echo(f"New signing key {rotate(path)} in {path}; earlier keys are kept for verification.")
