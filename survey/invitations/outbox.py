"""Delivering messages: claim in the outbox, commit, send, then record the outcome.

This is the one place that commits per message: a message and its outbox row must agree even when the
run stops half-way, so each message is its own unit of work. A message is recorded as sent only after
the mail server accepted it. Any failure (the server refused a recipient or is down, a header could not
be encoded) is recorded on that message with its error and retried later with exponential backoff; the
run goes on with the next message. The job queue's workers call these functions (``survey.jobs.tasks``).

Campaign mail is composed afresh from its data at each attempt; account mail (confirmations, resets)
is written whole to the outbox (``queue_message``), because its links exist nowhere else.
"""
import hashlib
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app

from survey import clock
from survey.extensions import db
from survey.invitations import services
from survey.invitations.messages import Message
from survey.mail import send_mail
from survey.web.templating import uk_time
from survey.web.text import one_line


@dataclass
class Delivery:
    sent: int = 0
    skipped: int = 0  #: already sent, not due yet, given up, or held by a concurrent run
    failed: int = 0  #: failed this time (to be retried, or given up if it was the last attempt)


def _retry_policy() -> tuple[int, timedelta]:
    config = current_app.config
    return config["MAIL_MAX_ATTEMPTS"], timedelta(seconds=config["MAIL_RETRY_SECONDS"])


def describe_error(error: Exception) -> str:
    """A failure as an educator can act on it, without the address (they may not see a GP's email)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()]
        return f"the mail server refused the address ({'; '.join(replies)})"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the mail server answered {error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    if isinstance(error, OSError):
        return f"the mail server could not be reached ({error.strerror or error})"
    return f"the message could not be built ({type(error).__name__}: {error})"


def message_id(key: str) -> str:
    """The Message-ID of the outbox message ``key``: the same at every attempt, so that a copy sent again
    after a worker died between the server's acceptance and our record (docs/jobs.md) is recognisably the
    same message (RFC 5322 3.6.4: one identifier per message). Hashed: a key names enrolments and
    invitations, which the recipient has no need to see; the domain is this site's, so that two sites
    never share an identifier."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{urlsplit(current_app.config['BASE_URL']).hostname or 'localhost'}>"


def _attempt(row, to: str, subject: str, body: str, result: Delivery) -> None:
    """Send the claimed ``row``'s message and record what happened on it; commits."""
    max_attempts, first_delay = _retry_policy()
    try:
        send_mail(to, subject, body, message_id(row.key))
    except Exception as error:  # noqa: BLE001 - whatever went wrong with this message, the next one goes
        current_app.logger.warning("could not send %s (attempt %d): %s", row.key, row.attempts + 1, error)
        services.record_failure(row, describe_error(error), clock.now(), max_attempts, first_delay)
        result.failed += 1
    else:
        # The window that cannot be closed: a worker killed here, after the server accepted the message
        # and before this commit, leaves the row "sending"; it is sent again once its lease has passed.
        services.record_sent(row, clock.now())
        result.sent += 1
    db.session.commit()


def deliver(messages: list[Message]) -> Delivery:
    """Send each message that is due; every failure is recorded on its own message and never stops the run."""
    result = Delivery()
    for message in messages:
        row = services.claim(message.key, message.kind, message.enrolment_id, message.invitation_id, clock.now())
        db.session.commit()
        if row is None:
            result.skipped += 1
            continue
        _attempt(row, message.to, message.subject, message.body, result)
    return result


def queue_message(kind: str, to: str, subject: str, body: str, about: str = "") -> int:
    """Write a whole message (account mail) to the outbox, due now; returns its id for ``deliver_stored``.
    ``about`` (e.g. "user:5") lets ``latest_about`` find it once sent, when its address is no longer kept.
    The caller commits, then enqueues its delivery."""
    key = f"{kind}:{about}:{uuid.uuid4().hex}" if about else f"{kind}:{uuid.uuid4().hex}"
    return services.store_message(key, kind, to, one_line(subject), body, clock.now()).id


def deliver_stored(row_id: int):
    """Send the stored message ``row_id`` if it is due and no one else holds it; returns its row (to read
    when it is due again) or None when there was nothing to do."""
    row = services.claim_stored(row_id, clock.now())
    db.session.commit()
    if row is not None:
        _attempt(row, row.recipient, row.subject, row.body, Delivery())
    return row


def delivery_status(row, max_attempts: int) -> str:
    """What an educator reads about one message: sent, being sent, failing (why, and when it is tried
    again) or given up. ``row`` is an outbox row or None (not tried yet)."""
    if row is None or row.status == "sending":
        return "Being sent."
    if row.status == "retry" and not row.attempts:
        return "Waiting to be sent."
    if row.status == "sent":
        return f"Sent {uk_time(row.sent_at)}."
    if row.status == "retry":
        return (f"Not sent: attempt {row.attempts} of {max_attempts} failed ({row.last_error}). "
                f"Next attempt {uk_time(row.next_attempt_at)}.")
    return f"Not sent: gave up after {row.attempts} attempts ({row.last_error})."
