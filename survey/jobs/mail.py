"""Account mail (confirmations, resets, "someone tried to register"): written to the outbox, then a job."""
from survey.extensions import db
from survey.invitations import outbox
from survey.jobs.tasks import deliver_message


def send_account_mail(kind: str, to: str, subject: str, body: str) -> None:
    """Store the message in the outbox, commit, and queue its delivery (retried with backoff, recorded once).

    Called after the response has gone (``survey.auth.deferred``), never inside a request: whether a
    message is written at all depends on whether an account exists, which the response must not reveal.
    """
    row_id = outbox.queue_message(kind, to, subject, body)
    db.session.commit()
    deliver_message(row_id)
