"""Administrators managing accounts: details, reset links, disabling, deleting, creating. Callers commit.

Every change is written to the audit log with the administrator as actor. An administrator cannot disable
or delete their own account (so the last administrator cannot lock everyone out).
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from sqlalchemy import select

from survey import clock
from survey.audit import services as audit
from survey.auth import services as auth
from survey.auth import sessions
from survey.auth.models import User
from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.codes import is_number_text
from survey.extensions import db
from survey.invitations import outbox
from survey.invitations import services as outbox_services
from survey.privacy import services as privacy
from survey.web.urls import external_url

ROLE_NAMES = {"gp": "GP", "educator": "Educator", "charity": "Charity", "admin": "Admin"}


class AccountChangeError(Exception):
    """A change an administrator asked for breaks a rule; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def role_name(role: str) -> str:
    """The readable name of a role ("GP", not "gp")."""
    return ROLE_NAMES.get(role, role.capitalize())


def _live(user: User) -> None:
    if user.deleted_at is not None:
        raise AccountChangeError("name", "This account was deleted.")


def _not_self(user: User, by: User, what: str) -> None:
    if user.id == by.id:
        raise AccountChangeError("confirm", f"You cannot {what} your own account; ask another administrator.")


def end_sessions(user: User) -> None:
    """End every session of the account now, on every device."""
    sessions.end_all_sessions(user)


@dataclass(frozen=True)
class Details:
    name: str
    email: str
    gmc_number: str | None


def _checked(user: User, details: Details) -> Details:
    """Details normalised and checked: a name, a valid unused email, a unique 7-digit GMC number (GPs need one)."""
    name = details.name.strip()
    if not name:
        raise AccountChangeError("name", "Enter the name.")
    if len(name) > 120:
        raise AccountChangeError("name", "Use at most 120 characters.")
    if any(ord(c) < 32 or ord(c) == 127 for c in name + details.email):
        raise AccountChangeError("name", "Names and addresses cannot contain control characters (such as line breaks).")
    try:
        email = validate_email(details.email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise AccountChangeError("email", "Enter a valid email address, like name@example.org.") from None
    gmc = (details.gmc_number or "").strip() or None
    if gmc and not (len(gmc) == 7 and is_number_text(gmc)):
        raise AccountChangeError("gmc_number", "A GMC number is exactly 7 digits.")
    if user.role == "gp" and not gmc:
        raise AccountChangeError("gmc_number", "A GP account needs a GMC number.")
    if db.session.scalar(select(User.id).where(User.email == email, User.id != user.id)):
        raise AccountChangeError("email", "Another account already uses this email address.")
    if gmc and db.session.scalar(select(User.id).where(User.gmc_number == gmc, User.id != user.id)):
        raise AccountChangeError("gmc_number", "Another account already has this GMC number; check it with the GMC register.")
    return Details(name, email, gmc)


def update_details(user: User, details: Details, by: User) -> list[str]:
    """Change name, email and GMC number; returns the fields changed (audited by name, old and new values kept
    out of the log so that it holds no more personal data than it must)."""
    _live(user)
    new = _checked(user, details)
    changed = [f for f in ("name", "email", "gmc_number") if getattr(user, f) != getattr(new, f)]
    user.name, user.email, user.gmc_number = new.name, new.email, new.gmc_number
    if changed:
        audit.record(by, "user.update", f"user:{user.id}", fields=changed)
    db.session.flush()
    return changed


def send_reset_link(user: User, by: User, created: bool = False) -> int:
    """Write a password-reset email for the account to the outbox (through the sign-in service's own reset
    tokens); audited. Returns the outbox row: the caller commits, then queues its delivery, which is retried
    with backoff like every other email, so the admin reads whether it was sent, not that it was."""
    _live(user)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    started = auth.start_password_reset(user.email, timedelta(hours=hours))
    if started is None:
        raise AccountChangeError("confirm", "This account has no email address to send to.")
    _, token = started
    link = external_url("auth.reset", token=token)
    row_id = outbox.queue_message("reset", user.email, "Set your password" if created else "Reset your password",
                                  render_template("admin/reset_email.txt", user=user, link=link, hours=hours,
                                                  created=created), about=f"user:{user.id}")
    audit.record(by, "user.reset_link", f"user:{user.id}")
    db.session.flush()
    return row_id


def reset_mail_status(user: User) -> str | None:
    """How the newest reset link sent from the admin pages fared (sent, waiting, failing), or None if none was."""
    row = outbox_services.latest_about("reset", f"user:{user.id}")
    return None if row is None else outbox.delivery_status(row, current_app.config["MAIL_MAX_ATTEMPTS"])


def disable(user: User, by: User) -> None:
    """Disable the account: it cannot sign in and every session it has ends now."""
    _live(user)
    _not_self(user, by, "disable")
    if user.disabled_at is None:
        user.disabled_at = clock.now()
        end_sessions(user)
        audit.record(by, "user.disable", f"user:{user.id}")
    db.session.flush()


def enable(user: User, by: User) -> None:
    """Let a disabled account sign in again."""
    _live(user)
    if user.disabled_at is not None:
        user.disabled_at = None
        audit.record(by, "user.enable", f"user:{user.id}")
    db.session.flush()


def delete(user: User, by: User) -> None:
    """Delete the account exactly as the GP's own deletion does (see ``privacy.services.delete_account``)."""
    _live(user)
    _not_self(user, by, "delete")
    audit.record(by, "user.delete", f"user:{user.id}", role=user.role)
    privacy.delete_account(user)


def create(name: str, email: str, role: str, gmc_number: str | None, organisation_id: int | None, by: User) -> User:
    """Create an account with the same rules as ``flask create-user``; it gets an unguessable password and
    the person sets their own through the reset link the caller sends."""
    if role == "charity" and organisation_id is None:
        raise AccountChangeError("organisation_id", "A charity account must belong to an organisation.")
    probe = User(role=role)
    checked = _checked(probe, Details(name, email, gmc_number))
    try:
        user = auth.create_user(checked.name, checked.email, secrets.token_urlsafe(32), role, checked.gmc_number)
    except auth.AccountError as error:
        raise AccountChangeError(error.field, error.message) from error
    user.organisation_id = organisation_id if role == "charity" else None
    audit.record(by, "user.create", f"user:{user.id}", role=role)
    db.session.flush()
    return user


def enrolments_and_certificates(user: User) -> tuple[list[Enrolment], list[Certificate]]:
    """What the account has joined and been issued, for the admin's account page."""
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id)))
    certificates = list(db.session.scalars(select(Certificate).where(
        Certificate.enrolment_id.in_([e.id for e in enrolments])).order_by(Certificate.issued_at)))
    return enrolments, certificates
