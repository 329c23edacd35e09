"""Recording audit events. Callers commit, so the event lands with the change it records."""
from survey.audit.models import AuditEvent
from survey.auth.models import User
from survey.extensions import db


def record(actor: User | None, action: str, target: str | None = None, **detail) -> AuditEvent:
    """Add an audit event for ``action`` by ``actor`` on ``target`` with JSON-able ``detail``."""
    event = AuditEvent(actor_id=actor.id if actor else None, action=action, target=target, detail=detail)
    db.session.add(event)
    return event
