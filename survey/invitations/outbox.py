"""Delivering messages exactly once: claim in the ledger, commit, send, and release the claim on failure.

This is the one place that commits per message: a message and its ledger row must agree even when the
run stops half-way, so each message is its own unit of work.
"""
from dataclasses import dataclass

from flask import current_app

from survey.extensions import db
from survey.invitations import services
from survey.invitations.messages import Message
from survey.mail import send_mail


@dataclass
class Delivery:
    sent: int = 0
    skipped: int = 0  #: already sent (by an earlier or a concurrent run)
    failed: int = 0


def deliver(messages: list[Message]) -> Delivery:
    """Send each message unless the ledger already holds it; a failed send is released for the next run."""
    result = Delivery()
    for message in messages:
        claimed = services.claim(message.key, message.kind, message.enrolment_id, message.invitation_id)
        db.session.commit()
        if not claimed:
            result.skipped += 1
            continue
        try:
            send_mail(message.to, message.subject, message.body)
        except OSError as error:  # SMTP refused or unreachable: try again on the next run
            current_app.logger.warning("could not send %s: %s", message.key, error)
            services.release(message.key)
            db.session.commit()
            result.failed += 1
        else:
            result.sent += 1
    return result
