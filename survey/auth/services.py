"""Account rules: registration, authentication, password reset. Callers commit."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from survey.auth.models import ROLES, PasswordReset, User
from survey.codes import is_number_text
from survey.db import utcnow
from survey.extensions import db


class AccountError(Exception):
    """A rule about accounts was broken; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(name: str, email: str, password: str, role: str = "gp", gmc_number: str | None = None) -> User:
    """Create an account; email and GMC number must be unused. GPs must give a GMC number."""
    if role not in ROLES:
        raise AccountError("role", f"Role must be one of {', '.join(ROLES)}.")
    email = normalise_email(email)
    gmc_number = (gmc_number or "").strip() or None
    if role == "gp" and not gmc_number:
        raise AccountError("gmc_number", "A GP account needs a GMC number.")
    if gmc_number and not (len(gmc_number) == 7 and is_number_text(gmc_number)):
        raise AccountError("gmc_number", "A GMC number is exactly 7 digits.")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError("email", "An account with this email already exists. Try signing in or resetting your password.")
    if gmc_number and db.session.scalar(select(User.id).where(User.gmc_number == gmc_number)):
        raise AccountError("gmc_number", "An account with this GMC number already exists.")
    user = User(name=name.strip(), email=email, gmc_number=gmc_number, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (the same answer for either mistake)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        User(password_hash="").set_password(password)  # same work as a real check: no timing oracle
        return None
    return user if user.check_password(password) else None


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: the id carries the session token, so a password change ends old sessions."""
    user_id, _, token = session_id.partition(":")
    if not is_number_text(user_id):
        return None
    user = db.session.get(User, int(user_id))
    return user if user and secrets.compare_digest(user.session_token, token) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str, valid_for: timedelta) -> tuple[User, str] | None:
    """Make a single-use reset token for the account, if there is one; only its hash is stored."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + valid_for))
    db.session.flush()
    return user, token


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a valid, unused, unexpired token, then spend the token."""
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token)).with_for_update()
    )
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        raise AccountError("token", "This reset link has expired or has already been used. Please ask for a new one.")
    user = db.session.get(User, reset.user_id)
    user.set_password(new_password)
    reset.used_at = utcnow()
    db.session.flush()
    return user

