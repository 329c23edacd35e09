"""The platform's clock: the one place that says what time it is.

Time gates (the follow-up survey opens ``follow_up_days`` after the post survey) read it, so
tests move time forward by monkeypatching ``survey.clock.now``. Call it as ``clock.now()``
(not ``from survey.clock import now``) so that a patched clock is seen everywhere.
"""
from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)
