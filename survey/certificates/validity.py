"""When a certificate expires and when it may be renewed. Pure: dates and numbers only.

A campaign may set a validity period in whole months; a certificate issued under it is valid until
the same day that many months after completion (the month's last day when it has no such day, so a
certificate completed on 31 August for 6 months runs to 28 or 29 February). The GP may renew from
``window_days`` before that end, and at any time after it.
"""
import calendar
from datetime import datetime, timedelta


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` calendar months later, clamped to the last day of a shorter month."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def valid_until(completed_at: datetime, validity_months: int | None) -> datetime | None:
    """The end of validity of a certificate completed at ``completed_at``; None when it never expires."""
    return add_months(completed_at, validity_months) if validity_months else None


def status(revoked_at: datetime | None, valid_until_at: datetime | None, now: datetime) -> str:
    """"revoked" (whatever its date), "expired" once its validity has ended, else "valid"."""
    if revoked_at is not None:
        return "revoked"
    if valid_until_at is not None and now >= valid_until_at:
        return "expired"
    return "valid"


def renewal_opens_at(valid_until_at: datetime | None, window_days: int) -> datetime | None:
    """From when the GP may repeat the course for a new certificate; None for one that never expires."""
    return valid_until_at - timedelta(days=window_days) if valid_until_at is not None else None
