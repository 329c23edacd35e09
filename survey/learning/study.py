"""Study time, completion and CPD credit rules. Pure: plain numbers and a loaded module.

The rules (README, "Studying modules" and "Certificates and the learning record"):

- Reading time is the page's word count at READING_WORDS_PER_MINUTE.
- One page view counts at most ``page_cap_seconds``: PAGE_CAP_FACTOR times its reading time (at least
  PAGE_CAP_FLOOR, so a short page with a figure can be studied), never more than PAGE_CAP_ABSOLUTE.
- With the study-time script, a view counts the active seconds the browser reported (visible tab,
  input within the last two minutes), never more than the server saw the page open. Without it,
  the conservative fallback is the time the page was open, at most its reading time.
- A module is studied when every page was viewed and the active time reaches its minimum
  (``min_study_minutes``, or MIN_STUDY_SHARE of its reading time).
- Credits: one per hour of recorded study (RCGP), rounded down to a quarter, up to the module's
  suggested credits.
"""
import math
import re
from dataclasses import dataclass

READING_WORDS_PER_MINUTE = 200
PAGE_CAP_FACTOR = 3
PAGE_CAP_FLOOR = 120  #: seconds
PAGE_CAP_ABSOLUTE = 20 * 60  #: seconds: a phone left in a pocket counts at most this
MIN_STUDY_SHARE = 0.5
#: A report may exceed what the server saw by this much (clock granularity, request time).
CLIENT_SLACK_SECONDS = 5
CREDIT_STEP = 0.25
CREDIT_WORDING = "Suggested credits, self-assessed: you claim what you judge appropriate at appraisal."

WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019-][A-Za-z0-9\u00C0-\u024F]+)*")
MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|^:::.*$", re.MULTILINE)


def word_count(markdown_text: str) -> int:
    """Words a GP reads on a page: link targets, image paths and callout fences left out."""
    return len(WORD.findall(MARKUP.sub(" ", markdown_text)))


def reading_seconds(markdown_text: str) -> int:
    """Time to read a page at READING_WORDS_PER_MINUTE, in whole seconds (at least one)."""
    return max(1, math.ceil(word_count(markdown_text) * 60 / READING_WORDS_PER_MINUTE))


def page_cap_seconds(reading: int) -> int:
    """The most one view of a page with this reading time may count."""
    return min(max(PAGE_CAP_FACTOR * reading, PAGE_CAP_FLOOR), PAGE_CAP_ABSOLUTE)


def accepted_active_seconds(reported: int, open_seconds: float, reading: int) -> int:
    """Active seconds the server accepts from the browser: never beyond the time it saw the page
    open (plus CLIENT_SLACK_SECONDS), never beyond the page's cap, never negative."""
    return int(max(0, min(reported, open_seconds + CLIENT_SLACK_SECONDS, page_cap_seconds(reading))))


def fallback_seconds(open_seconds: float, reading: int) -> int:
    """Without the script: the time the page was open, at most its reading time (and its cap)."""
    return int(max(0, min(open_seconds, reading, page_cap_seconds(reading))))


def module_reading_seconds(module) -> int:
    return sum(reading_seconds(text) for text in module.page_texts)


def min_study_seconds(module) -> int:
    """The module's minimum active study time: ``min_study_minutes`` if set, else MIN_STUDY_SHARE
    of its reading time, rounded up to a whole minute."""
    if module.min_study_minutes:
        return module.min_study_minutes * 60
    return math.ceil(MIN_STUDY_SHARE * module_reading_seconds(module) / 60) * 60


def credits_for(seconds: int, suggested: float) -> float:
    """One credit per hour of recorded study, rounded down to CREDIT_STEP, at most ``suggested``.

    Rounded down so the record never states more than was measured; a quarter (15 minutes)
    is the smallest step appraisal portfolios commonly record.
    """
    steps = math.floor(max(seconds, 0) / 3600 / CREDIT_STEP + 1e-9)
    return min(steps * CREDIT_STEP, suggested)


@dataclass(frozen=True)
class StudyStatus:
    """How far the GP's study of a module is towards completion."""

    active_seconds: int
    needed_seconds: int
    unviewed_pages: tuple[str, ...]  #: titles of pages never shown to the GP

    @property
    def remaining_seconds(self) -> int:
        return max(0, self.needed_seconds - self.active_seconds)

    @property
    def studied(self) -> bool:
        return not self.unviewed_pages and self.remaining_seconds == 0


def study_status(module, active_seconds: int, viewed_files: set[str]) -> StudyStatus:
    """Completion: every page viewed and the minimum active time reached."""
    unviewed = tuple(page.title for page in module.pages if page.file not in viewed_files)
    return StudyStatus(active_seconds, min_study_seconds(module), unviewed)
