"""Reading an uploaded list of invitees (CSV with name and email columns), row by row (pure).

Every row is either accepted or rejected with the reasons a person can act on. Cells that look like
spreadsheet formulas (=, +, -, @) are kept as plain text: they are never evaluated here, and they are
escaped again whenever we write a CSV.
"""
import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from survey.web.text import SINGLE_LINE_FORBIDDEN

NAME_MAX = 120
EMAIL_MAX = 254
MAX_ROWS = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class CsvProblem(ValueError):
    """The file as a whole cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class Invitee:
    row: int  #: line in the file, the header being line 1
    name: str
    email: str  #: normalised, lower-case
    formula_like: bool = False


@dataclass(frozen=True)
class Rejected:
    row: int
    name: str
    email: str
    reasons: list[str]


@dataclass
class Checked:
    accepted: list[Invitee] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def escape_formula(value: str) -> str:
    """A cell safe to open in a spreadsheet: a leading formula character is preceded by an apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def read_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(line, name, email) for every non-empty data row of a CSV whose header names 'name' and 'email'."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvProblem("The file is not UTF-8 text. In your spreadsheet choose Save As > 'CSV UTF-8' and upload again.") from error
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise CsvProblem(f"The file is not a readable CSV file ({error}).") from error
    if not rows:
        raise CsvProblem("The file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    if "name" not in header or "email" not in header:
        raise CsvProblem("The first row must name the columns: 'name' and 'email'.")
    name_at, email_at = header.index("name"), header.index("email")
    found = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda i: row[i].strip() if i < len(row) else ""  # noqa: E731 - a short row lacks cells
        found.append((line, cell(name_at), cell(email_at)))
    if not found:
        raise CsvProblem("The file has a header row but no people in it.")
    if len(found) > MAX_ROWS:
        raise CsvProblem(f"The file has {len(found)} people; upload at most {MAX_ROWS} at a time.")
    return found


def _shown(value: str) -> str:
    """A rejected cell as the preview may show (and the browser send back): controls as visible U+2400 symbols."""
    return SINGLE_LINE_FORBIDDEN.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 32 else "\ufffd", value)


def check_rows(rows: list[tuple[int, str, str]], known: dict[str, str]) -> Checked:
    """Accept or reject each row: no control characters, name present and short enough, email valid, not
    repeated in the file, and not in ``known`` (address -> why, e.g. already invited or enrolled, or opted out)."""
    checked, seen = Checked(), {}
    for line, name, email in rows:
        reasons = []
        if SINGLE_LINE_FORBIDDEN.search(name) or SINGLE_LINE_FORBIDDEN.search(email):
            # A NUL cannot be stored, and a line break in a name or address would break the email's headers.
            checked.rejected.append(Rejected(line, _shown(name), _shown(email), [
                "The row contains a line break or an invisible control character (such as NUL); "
                "correct the cell in your spreadsheet and upload again."]))
            continue
        if not name:
            reasons.append("The name is missing.")
        elif len(name) > NAME_MAX:
            reasons.append(f"The name is longer than {NAME_MAX} characters.")
        normalised = email.lower()
        if not email:
            reasons.append("The email address is missing.")
        elif len(email) > EMAIL_MAX:
            reasons.append(f"The email address is longer than {EMAIL_MAX} characters.")
        else:
            try:
                normalised = validate_email(email, check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                reasons.append("The email address is not valid.")
            else:
                if normalised in seen:
                    reasons.append(f"The email address repeats line {seen[normalised]}.")
                elif normalised in known:
                    reasons.append(known[normalised])
        if reasons:
            checked.rejected.append(Rejected(line, name, email, reasons))
        else:
            seen[normalised] = line
            checked.accepted.append(Invitee(line, name, normalised, looks_like_formula(name)))
    return checked
