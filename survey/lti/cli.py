"""`flask --app wsgi lti-keys rotate`: a new signing key for the LTI tool, earlier keys still published."""
import click
from flask import current_app
from flask.cli import with_appcontext

from survey.badges.keys import rotate


@click.group("lti-keys")
def lti_keys():
    """Manage the LTI tool's signing keys."""


@lti_keys.command("rotate")
@with_appcontext
def rotate_command():
    """Make a new RSA key the one that signs; platforms that cached the earlier key can still check it."""
    path = current_app.config["LTI_KEYS_FILE"]
    click.echo(f"New signing key {rotate(path)} in {path}; earlier keys stay published at /lti/jwks.json.")
