"""A GP's learning record for appraisal: activities, modules, time, credits, reflections, certificates.

Pure: plain data and its CSV form; imports neither Flask nor the database.
"""
import csv
import io
from dataclasses import dataclass, replace
from datetime import date, timedelta

from survey.codes import normalise_code

from survey.learning.study import credits_for

#: A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "name", "gmc_number", "campaign", "activity", "module", "started", "completed", "time_minutes", "credits",
    "knowledge_check_best_score", "knowledge_check_attempts", "reflection", "reflection_last_edited",
    "certificate_code", "certificate_status",
]


def whole_minutes(seconds: int) -> int:
    """To the nearest minute, halves up (90.5 minutes is 91)."""
    return (seconds + 30) // 60


def duration_text(seconds: int) -> str:
    """Time to the nearest minute: "0 min", "45 min", "1 h 5 min", "3 h"."""
    hours, minutes = divmod(whole_minutes(seconds), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def safe_cell(value):
    """A text cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class ModuleRecord:
    """One module the GP studied, as the version they studied it names it."""

    title: str
    credits: float  #: the module's suggested CPD credits (the most its study can earn)
    seconds_spent: int
    started_on: date
    completed_on: date | None  #: pages read and knowledge check passed
    best_score: int | None  #: best knowledge-check score, percent
    attempts: int  #: knowledge-check attempts

    @property
    def credits_earned(self) -> float:
        """Credits from recorded study (one per hour, rounded down to a quarter, up to the suggested
        credits), and only for a completed module."""
        return credits_for(self.seconds_spent, self.credits) if self.completed_on else 0.0


@dataclass(frozen=True)
class ReflectionRecord:
    text: str
    written_on: date
    edited_on: date


@dataclass(frozen=True)
class NoteRecord:
    """A private note the GP wrote in a module's Reflection box."""

    module_title: str
    prompt: str  #: the box's title
    text: str


@dataclass(frozen=True)
class CertificateRecord:
    code: str  #: as printed, XXXXX-XXXXX-XXXXX-XXXXX
    credits: float
    completed_on: date
    revoked_on: date | None
    learning_outcomes: tuple[str, ...] = ()  #: as frozen on the certificate at issue
    charity_name: str | None = None  #: the commissioning charity at issue
    valid_until: date | None = None  #: None: never expires
    expired: bool = False  #: its validity has ended (it is still genuine; see validity.py)

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_on else "expired" if self.expired else "valid"


@dataclass(frozen=True)
class Activity:
    """A unit of CPD as a GP claims it: a whole campaign, or one module when the campaign certifies
    each module. Its date and credits are its certificate's, and only while that is valid."""

    campaign_title: str
    campaign_slug: str
    module_slug: str | None  #: set when the activity is one module of a per-module campaign
    title: str
    modules: tuple[ModuleRecord, ...]
    reflection: ReflectionRecord | None
    reflection_open: bool  #: the GP may write or edit the reflection now
    certificate: CertificateRecord | None
    certificate_ready: bool  #: the rules are met, so the certificate is issued when the GP asks for it
    notes: tuple[NoteRecord, ...] = ()  #: the GP's notes in the modules' Reflection boxes
    #: Earlier issues of this activity (before the GP repeated the course to renew it), latest first.
    earlier_certificates: tuple[CertificateRecord, ...] = ()

    @property
    def seconds_spent(self) -> int:
        return sum(m.seconds_spent for m in self.modules)

    @property
    def certified(self) -> bool:
        return self.certificate is not None and self.certificate.revoked_on is None

    @property
    def credits(self) -> float:
        return self.certificate.credits if self.certified else 0.0

    @property
    def completed_on(self) -> date | None:
        return self.certificate.completed_on if self.certificate else None

    @property
    def started_on(self) -> date:
        return min(m.started_on for m in self.modules)


@dataclass(frozen=True)
class LearningRecord:
    name: str
    gmc_number: str
    activities: tuple[Activity, ...]

    @property
    def seconds_spent(self) -> int:
        return sum(a.seconds_spent for a in self.activities)

    @property
    def certified_credits(self) -> float:
        return sum(a.credits for a in self.activities)


def appraisal_year_end(start: date) -> date:
    """The last day of the appraisal year that starts on ``start`` (a year that starts on 29 February
    ends on 28 February)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start.year + 1, 2, 28)


def appraisal_year(record: LearningRecord, start: date) -> LearningRecord:
    """The record of one appraisal year: the activities whose certificate is dated from ``start`` to the
    year's last day. GPs' appraisal years start on their own dates, so the GP chooses ``start``; work in
    progress and uncertified activities belong to the year they are completed in."""
    end = appraisal_year_end(start)
    return replace(record, activities=tuple(
        activity for activity in record.activities if activity.completed_on and start <= activity.completed_on <= end))


def certified_activity(record: LearningRecord, code: str) -> Activity | None:
    """The activity whose valid certificate has this code (however typed), or None: only a certificate
    that still stands is evidence for appraisal."""
    return next((activity for activity in record.activities
                 if activity.certified and normalise_code(activity.certificate.code) == normalise_code(code)), None)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def log_csv(record: LearningRecord) -> str:
    """The whole record as CSV, one row per module studied, every text cell safe from formula injection.

    Dates are ISO (YYYY-MM-DD); a module's credits are filled only once it is complete.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for activity in record.activities:
        reflection, certificate = activity.reflection, activity.certificate
        for module in activity.modules:
            writer.writerow([safe_cell(value) for value in (
                record.name, record.gmc_number, activity.campaign_title, activity.title, module.title,
                _iso(module.started_on), _iso(module.completed_on), whole_minutes(module.seconds_spent),
                f"{module.credits_earned:g}" if module.completed_on else "",
                "" if module.best_score is None else module.best_score, module.attempts,
                reflection.text if reflection else "", _iso(reflection.edited_on) if reflection else "",
                certificate.code if certificate else "", certificate.status if certificate else "",
            )])
    return out.getvalue()
