"""Accounts, their sign-in sessions, password-reset tokens, sign-in throttles and GMC-number claims."""
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from survey.db import TimestampMixin, utcnow
from survey.extensions import db

ROLES = ("gp", "educator", "charity", "admin")


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


def hash_password(password: str) -> str:
    """Werkzeug's scrypt at the cost the app's PASSWORD_HASH_METHOD names (production: Werkzeug's default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)  #: stored lower-case
    #: General Medical Council reference number, 7 digits; only GPs have one.
    gmc_number: Mapped[str | None] = mapped_column(String(7), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default="gp")
    #: Part of the login session id: changing it (password change) ends every session.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    #: The organisation a charity user belongs to (charity users read only its campaigns).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    #: Set when the GP deleted their account: the row stays as a tombstone with its identity erased.
    deleted_at: Mapped[datetime | None]
    #: When the owner of the address followed the confirmation link; no sign-in before that.
    email_confirmed_at: Mapped[datetime | None]
    #: Set while an administrator has disabled the account: it cannot sign in (see ``is_active``).
    disabled_at: Mapped[datetime | None]

    #: The sign-in session this request runs in (set by the login loader; not a column).
    login_session_id = None

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to sign in an inactive account: a disabled or deleted one."""
        return self.disabled_at is None and self.deleted_at is None

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the cookie: the server-side session's id, never the user's id."""
        return self.login_session_id

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class PasswordReset(TimestampMixin, db.Model):
    """A single-use, expiring password-reset link; only a hash of its token is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class UserSession(db.Model):
    """One sign-in on one device. The cookie carries only ``id``; signing out sets ``ended_at``,
    so a copied cookie stops working at once."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  #: random, unguessable
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The account's ``session_token`` at sign-in: rotating it (password change, deletion) ends every session.
    account_token: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Refreshed at most once a minute, so the idle timeout costs one write a minute, not one per request.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class SignInThrottle(db.Model):
    """Failed sign-ins for one email address (account or not, so the throttle reveals nothing)."""

    __tablename__ = "sign_in_throttles"

    #: SHA-256 of the normalised email: no address is stored for attempts on accounts that do not exist.
    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None]


class GmcClaim(TimestampMixin, db.Model):
    """A registration whose GMC number another account already holds; an admin decides who keeps it."""

    __tablename__ = "gmc_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    gmc_number: Mapped[str] = mapped_column(String(7))
    #: None while pending; then "granted" (the claimant gets the number) or "refused".
    outcome: Mapped[str | None] = mapped_column(String(20))
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
