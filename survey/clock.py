"""The one clock services read, so tests can move time forward without sleeping."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current time, timezone-aware UTC. Call it as ``clock.now()`` so a test can replace it."""
    return datetime.now(UTC)


def uk_today() -> date:
    """Today's date in the UK, where campaign open and close dates are set."""
    return now().astimezone(LONDON).date()
