"""Account rules: creation, registration, sign-in, email confirmation, password reset. Callers commit."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from survey import clock
from survey.auth import throttle
from survey.auth.models import ROLES, GmcClaim, PasswordReset, User
from survey.auth.passwords import password_problem
from survey.codes import is_number_text
from survey.db import utcnow
from survey.extensions import db

NAME_MAX, EMAIL_MAX = 120, 254


class AccountError(Exception):
    """A rule about accounts was broken; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_account_fields(name: str, email: str, password: str, role: str, gmc_number: str | None) -> None:
    """The registration form's rules, for every way an account is made (web, CLI, seed)."""
    if role not in ROLES:
        raise AccountError("role", f"Role must be one of {', '.join(ROLES)}.")
    if not name.strip() or len(name.strip()) > NAME_MAX:
        raise AccountError("name", f"Give a name of 1 to {NAME_MAX} characters.")
    if len(email) > EMAIL_MAX:
        raise AccountError("email", f"An email address has at most {EMAIL_MAX} characters.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError("email", f"Invalid email address: {error}") from error
    if role == "gp" and not gmc_number:
        raise AccountError("gmc_number", "A GP account needs a GMC number.")
    if gmc_number and not (len(gmc_number) == 7 and is_number_text(gmc_number)):
        raise AccountError("gmc_number", "A GMC number is exactly 7 digits.")
    problem = password_problem(password, name, email)
    if problem:
        raise AccountError("password", problem)


def _gmc_holder(gmc_number: str | None) -> int | None:
    return db.session.scalar(select(User.id).where(User.gmc_number == gmc_number)) if gmc_number else None


def create_user(name: str, email: str, password: str, role: str = "gp", gmc_number: str | None = None,
                confirmed: bool = True) -> User:
    """Create an account an operator vouches for (CLI, seed, tests): confirmed, email and GMC number unused."""
    email, gmc_number = normalise_email(email), (gmc_number or "").strip() or None
    check_account_fields(name, email, password, role, gmc_number)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError("email", "An account with this email already exists.")
    if _gmc_holder(gmc_number):
        raise AccountError("gmc_number", "An account with this GMC number already exists.")
    user = User(name=name.strip(), email=email, gmc_number=gmc_number, role=role,
                email_confirmed_at=utcnow() if confirmed else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


@dataclass
class Registration:
    """What a registration did; the web answers the same whatever it is, and tells the owner by email."""

    user: User
    new: bool  #: False: the address already had an account (its owner is told; nothing changes)
    gmc_claim: GmcClaim | None = None  #: the GMC number is held by another account: an admin decides


def register(name: str, email: str, password: str, gmc_number: str) -> Registration:
    """Register a GP, unconfirmed until they follow the emailed link.

    An address that already has an account changes nothing (the same hashing work is done, so the
    answer takes as long). A GMC number another account holds does not refuse the doctor: the
    account is made without it and a claim waits for an admin, since anyone may know a GMC number.
    """
    email, gmc_number = normalise_email(email), gmc_number.strip()
    check_account_fields(name, email, password, "gp", gmc_number)
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is None:
        user = User(name=name.strip(), email=email, role="gp")
        user.set_password(password)
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except IntegrityError:  # the same address registered a moment ago, in another request
            existing = db.session.scalar(select(User).where(User.email == email))
        else:
            claim = None
            if _gmc_holder(gmc_number):
                claim = GmcClaim(user_id=user.id, gmc_number=gmc_number)
                db.session.add(claim)
            else:
                user.gmc_number = gmc_number
            db.session.flush()
            return Registration(user, True, claim)
    User(password_hash="").set_password(password)  # the same work as a new account
    return Registration(existing, False)


class SignInRefused(Exception):
    """Sign-in refused; ``reason`` is "mismatch", "throttled" (until ``until``) or "unconfirmed"."""

    def __init__(self, reason: str, user: User | None = None, until: datetime | None = None):
        super().__init__(reason)
        self.reason, self.user, self.until = reason, user, until


def authenticate(email: str, password: str) -> User:
    """The user with this email and password, or SignInRefused.

    Wrong email and wrong password get the same answer and take the same time; after several
    failures the address is throttled (see ``throttle``). An unconfirmed account is refused only
    after its password is right, so that answer reveals nothing to someone without the password.
    """
    email = normalise_email(email)
    until = throttle.blocked_until(email)
    if until is not None:
        raise SignInRefused("throttled", until=until)
    user = db.session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    if user is None:
        User(password_hash="").set_password(password)  # same work as a real check: no timing oracle
    if user is None or not user.check_password(password):
        throttle.record_failure(email)
        raise SignInRefused("mismatch", user)
    if user.disabled_at is not None:
        raise SignInRefused("disabled", user)
    if user.email_confirmed_at is None:
        raise SignInRefused("unconfirmed", user)
    throttle.clear(email)
    return user


def _confirmations() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email", signer=clock.ClockSigner)


def confirmation_token(user: User) -> str:
    """A link token proving the holder reads ``user``'s inbox; it expires and works once."""
    return _confirmations().dumps({"u": user.id, "e": user.email})


def confirm_email(token: str) -> User:
    """Mark the address confirmed. A used, expired, forged or out-of-date token is refused."""
    max_age = current_app.config["CONFIRM_EMAIL_HOURS"] * 3600
    try:
        data = _confirmations().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise AccountError("token", "This confirmation link has expired. Sign in to get a new one.") from error
    except BadSignature as error:
        raise AccountError("token", "This confirmation link is not valid.") from error
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e") or user.deleted_at is not None:
        raise AccountError("token", "This confirmation link is not valid.")
    if user.email_confirmed_at is not None:
        raise AccountError("token", "This link has already been used: your address is confirmed. Please sign in.")
    user.email_confirmed_at = utcnow()
    db.session.flush()
    return user


def unconfirmed_user(email: str) -> User | None:
    """The unconfirmed account with this address, if any (to send it a new link)."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email),
                                                User.email_confirmed_at.is_(None), User.deleted_at.is_(None)))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str, valid_for: timedelta) -> tuple[User, str] | None:
    """Make a single-use reset token for the account, if there is one; only its hash is stored."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email), User.deleted_at.is_(None)))
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + valid_for))
    db.session.flush()
    return user, token


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a valid, unused, unexpired token; spend it and every other open link.

    The new password also ends every session (``set_password`` rotates the session token), clears
    the sign-in throttle and, since the link proves the inbox, confirms the address.
    """
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token)).with_for_update()
    )
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        raise AccountError("token", "This reset link has expired or has already been used. Please ask for a new one.")
    user = db.session.get(User, reset.user_id)
    problem = password_problem(new_password, user.name, user.email)
    if problem:
        raise AccountError("password", problem)
    user.set_password(new_password)
    now = utcnow()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(used_at=now))
    user.email_confirmed_at = user.email_confirmed_at or now
    throttle.clear(user.email)
    db.session.flush()
    return user
