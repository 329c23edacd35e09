"""Accounts and password-reset tokens."""
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from survey.db import TimestampMixin
from survey.extensions import db

ROLES = ("gp", "educator", "charity", "admin")


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


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
    #: Set while an administrator has disabled the account: it cannot sign in (see ``is_active``).
    disabled_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to sign in an inactive account: a disabled or deleted one."""
        return self.disabled_at is None and self.deleted_at is None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

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
