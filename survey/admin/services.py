"""Changing a user's role (audited) and reading the audit log with filters. Callers commit."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from survey.audit import services as audit
from survey.audit.models import AuditEvent
from survey.auth.models import ROLES, User
from survey.clock import LONDON
from survey.extensions import db

PAGE_SIZE = 50


class RoleError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def accounts(role: str | None = None, search: str = "") -> list[User]:
    """Accounts by name, optionally of one role and/or matching a name or email fragment (live accounts only)."""
    query = select(User).where(User.deleted_at.is_(None)).order_by(User.name).limit(500)
    if role in ROLES:
        query = query.where(User.role == role)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(func.lower(User.name).like(pattern) | User.email.like(pattern))
    return list(db.session.scalars(query))


def change_role(user: User, role: str, organisation_id: int | None, by: User) -> None:
    """Give an account another role. Charity accounts must belong to an organisation; an admin cannot
    change their own role (so the last admin cannot lock everyone out). Every change is audited."""
    if user.id == by.id:
        raise RoleError("role", "You cannot change your own role; ask another administrator.")
    if user.deleted_at is not None:
        raise RoleError("role", "This account was deleted.")
    if role == "charity" and organisation_id is None:
        raise RoleError("organisation_id", "A charity account must belong to an organisation.")
    before = (user.role, user.organisation_id)
    user.role, user.organisation_id = role, organisation_id if role == "charity" else None
    if before != (user.role, user.organisation_id):
        audit.record(by, "role.change", f"user:{user.id}", old_role=before[0], new_role=user.role,
                     organisation_id=user.organisation_id)
    db.session.flush()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  #: a fragment of the actor's email
    since: date | None = None
    until: date | None = None  #: inclusive


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def audit_page(filters: AuditFilter, page: int) -> tuple[list[AuditEvent], int]:
    """One page of audit events, newest first, and the number of pages; dates are UK days, inclusive."""
    query = select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor:
        query = query.join(User, User.id == AuditEvent.actor_id).where(User.email.like(f"%{filters.actor.lower()}%"))
    if filters.since:
        query = query.where(AuditEvent.at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEvent.at < _start_of(filters.until + timedelta(days=1)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    events = db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return list(events), max(1, -(-total // PAGE_SIZE))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
