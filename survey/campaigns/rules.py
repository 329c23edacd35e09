"""Pure rules about campaigns: when enrolment is open, consent versions, slugs (no flask, no database)."""
import re
from datetime import date, datetime



def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def enrolment_refusal(opens_on: date | None, closes_on: date | None, closed_at: datetime | None,
                      today: date) -> str | None:
    """Why a GP may not join now, as a message for them; None when enrolment is open.

    Enrolment is open from ``opens_on`` to ``closes_on`` inclusive, until an educator closes the campaign.
    """
    if closed_at is not None:
        return "This campaign has closed and is no longer taking new participants."
    if opens_on is not None and today < opens_on:
        return f"This campaign opens for enrolment on {_long_date(opens_on)}. Please come back then."
    if closes_on is not None and today > closes_on:
        return f"Enrolment for this campaign closed on {_long_date(closes_on)}."
    return None


def next_consent_version(current: str, used: set[str]) -> str:
    """A new consent version label after ``current``: its trailing number raised, never one already used.

    "v1" -> "v2", "2026-11" -> "2026-12", "draft" -> "draft-2"; a label GPs agreed to is never reused.
    """
    match = re.fullmatch(r"(.*?)(\d+)", current)
    stem, number = (match.group(1), int(match.group(2))) if match else (f"{current}-", 1)
    candidate = f"{stem}{number + 1}"
    while candidate in used or candidate == current:
        number += 1
        candidate = f"{stem}{number + 1}"
    return candidate[:20]


def slugify(title: str) -> str:
    """A URL slug from a title: lower-case words joined by hyphens, at most 60 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:60].rstrip("-") or "campaign"
