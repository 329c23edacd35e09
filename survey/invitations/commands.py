"""`flask send-reminders`: safe to run from cron, twice, or twice at once."""
import click
from flask import current_app
from flask.cli import with_appcontext

from survey import clock
from survey.invitations import outbox
from survey.invitations.reminders import due_messages
from survey.library import library


@click.command("send-reminders")
@with_appcontext
def send_reminders():
    """Send due invitations, step reminders and follow-up invitations, each once; retry failed ones with backoff.

    A message that fails is recorded and retried by a later run; the run still sends every other message.
    The exit status is 1 when any message failed, so cron reports it.
    """
    # Links in the emails need the site's address; outside a request it comes from BASE_URL.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        delivery = outbox.deliver(due_messages(clock.now(), library().modules))
    click.echo(f"Sent {delivery.sent}, already sent or not due {delivery.skipped}, failed {delivery.failed}.")
    if delivery.failed:
        raise SystemExit(1)
