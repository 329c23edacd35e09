"""Validating answers in the long CSV format (participant,wave,item,value) before import. Pure.

Every row is checked against the instrument version the answers will be stored under, with
the same rules as the online survey (:mod:`survey.surveys.answers`); every problem is
reported with its line number, and nothing is imported unless there are none.
"""
import csv
import io
from dataclasses import dataclass

from survey.instruments.definition import WAVES, InstrumentFile, Likert, MultipleChoice
from survey.reports.exports import LONG_HEADER, restore_cell
from survey.surveys.answers import clean_question, is_visible


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportInvalid(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    participant: str
    wave: str
    item: str
    value: str


def read_rows(text: str) -> tuple[list[Row], list[Problem]]:
    """The file's records with the line each starts on (a quoted value may span lines).

    A record that cannot be read (a value longer than csv's field limit of 131,072 characters) or holds a
    NUL character is a problem on its line, like any other bad value, never a crash.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as error:
        return [], [Problem(1, f"the header cannot be read: {error}")]
    if header != LONG_HEADER:
        return [], [Problem(1, f"the header must be {','.join(LONG_HEADER)} (found {','.join(header)})")]
    rows, problems, line = [], [], reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # e.g. a value over csv's field limit: report it and read on
            problems.append(Problem(line, f"the row cannot be read: {error}"))
            line = reader.line_num + 1
            continue
        if any("\x00" in cell for cell in record):
            problems.append(Problem(line, "the row contains a NUL character (\\0), which no answer may hold"))
        elif record and len(record) != 4:
            problems.append(Problem(line, f"expected 4 values (participant,wave,item,value), found {len(record)}"))
        elif record:
            rows.append(Row(line, *(cell.strip() for cell in record[:3]), restore_cell(record[3])))
        line = reader.line_num + 1
    return rows, problems


def _clean(question, definition: InstrumentFile, value: str) -> tuple[str | None, str | None]:
    raw = value.split(";") if isinstance(question, MultipleChoice) else [value]
    points = definition.response_scales[question.response_scale].points if isinstance(question, Likert) else None
    stored, error = clean_question(question, raw, points)
    if stored is None and error is None:
        error = "no value given"
    return stored, error


def validate(rows: list[Row], definition: InstrumentFile, enrolled: dict[str, bool],
             existing: set[tuple[str, str]]) -> tuple[dict[tuple[str, str], dict[str, str]], list[Problem]]:
    """Answers to store per (participant, wave), or the problems found.

    ``enrolled`` maps the campaign's participant codes to whether they withdrew; ``existing``
    holds (participant, wave) pairs that already have a response (never overwritten).
    """
    questions = {q.id: q for q in definition.questions()}
    asked = {wave: {q.id for s in definition.sections_for(wave) for q in s.questions()} for wave in WAVES}
    answers: dict[tuple[str, str], dict[str, str]] = {}
    lines: dict[tuple[str, str, str], int] = {}
    problems: list[Problem] = []
    for row in rows:
        key = (row.participant, row.wave)
        message = None
        if row.participant not in enrolled:
            message = f"participant '{row.participant}' is not enrolled in this campaign"
        elif enrolled[row.participant]:
            message = f"participant '{row.participant}' has withdrawn from the research; their answers are not imported"
        elif row.wave not in WAVES:
            message = f"wave '{row.wave}' is not one of {', '.join(WAVES)}"
        elif key in existing:
            message = f"participant '{row.participant}' already has a {row.wave} response; it is never overwritten"
        elif row.item not in questions:
            message = f"item '{row.item}' is not in this instrument version"
        elif row.item not in asked[row.wave]:
            message = f"item '{row.item}' is not asked in the {row.wave} survey"
        elif (row.participant, row.wave, row.item) in lines:
            message = (f"item '{row.item}' for participant '{row.participant}' ({row.wave}) is already given "
                       f"on line {lines[row.participant, row.wave, row.item]}")
        if message is None:
            stored, error = _clean(questions[row.item], definition, row.value)
            if error:
                message = f"item '{row.item}': {error} (value '{row.value}')"
            else:
                answers.setdefault(key, {})[row.item] = stored
        lines.setdefault((row.participant, row.wave, row.item), row.line)
        if message:
            problems.append(Problem(row.line, message))
    for (participant, wave), given in answers.items():
        for item in given:
            if not is_visible(questions[item], given):
                condition = questions[item].show_if
                problems.append(Problem(lines[participant, wave, item], (
                    f"item '{item}' is asked only when '{condition.item}' is {' or '.join(sorted(condition.values))}, "
                    f"which participant '{participant}' did not answer at {wave}")))
    return answers, sorted(problems, key=lambda p: p.line)
