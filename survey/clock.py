"""The platform's clock: the one place that says what time it is.

Time gates (the follow-up survey opens ``follow_up_days`` after the post survey; campaign
open and close dates) read it, so tests move time forward by monkeypatching ``survey.clock.now``.
Call it as ``clock.now()`` (not ``from survey.clock import now``) so a patched clock is seen everywhere.
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from itsdangerous import TimestampSigner

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def uk_today() -> date:
    """Today's date in the UK, where campaign open and close dates are set."""
    return now().astimezone(LONDON).date()


class ClockSigner(TimestampSigner):
    """itsdangerous timestamps from :func:`now`, like every other time in the app (tests move it)."""

    def get_timestamp(self) -> int:
        return int(now().timestamp())
