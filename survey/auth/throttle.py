"""Per-address throttling of failed sign-ins, held in the database so every worker sees it.

After ``FREE_FAILURES`` wrong passwords for one email address, each further attempt must wait
twice as long as the last (30 s, 1 min, 2 min ... at most ``MAX_DELAY``). The delay never grows
past that and a right password after it has passed signs in, so an attacker is slowed to a few
guesses an hour while the real user is never locked out for good (a password reset also clears it).
The throttle is keyed on a hash of the address whether or not an account has it: the answer is
the same for both, so it reveals nothing. Callers commit.
"""
import hashlib
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from survey.auth.models import SignInThrottle
from survey.db import utcnow
from survey.extensions import db

FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def delay_after(failures: int) -> timedelta:
    """How long to wait after ``failures`` consecutive failures (zero for the first few)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES, 16), MAX_DELAY)


def blocked_until(email: str) -> datetime | None:
    """When the next attempt for ``email`` may be made, if that is still in the future."""
    row = db.session.get(SignInThrottle, _key(email))
    if row is None or row.blocked_until is None or row.blocked_until <= utcnow():
        return None
    return row.blocked_until


def record_failure(email: str) -> None:
    """Count a failed sign-in for ``email`` and set the delay before the next attempt."""
    key = _key(email)
    if db.session.get(SignInThrottle, key) is None:
        try:
            with db.session.begin_nested():  # two first failures at once: one insert wins, both count
                db.session.add(SignInThrottle(email_hash=key, failures=0))
        except IntegrityError:
            pass
    row = db.session.get(SignInThrottle, key, with_for_update=True, populate_existing=True)
    row.failures += 1
    delay = delay_after(row.failures)
    row.blocked_until = utcnow() + delay if delay else None
    db.session.flush()


def clear(email: str) -> None:
    """Forget the failures for ``email`` (a successful sign-in or password reset)."""
    row = db.session.get(SignInThrottle, _key(email))
    if row is not None:
        db.session.delete(row)
        db.session.flush()
