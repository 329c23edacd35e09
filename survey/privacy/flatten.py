"""Turning a GP's nested data export into CSV rows (pure: no flask, no database)."""
import csv
import io
from datetime import date, datetime

from survey.invitations.csvrows import escape_formula


def jsonable(value):
    """Dates as ISO 8601 text, recursively; everything else as it is."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def flatten(data, path: str = "") -> list[tuple[str, str, str]]:
    """(record, field, value) for every scalar: nested records named like ``enrolments[0].responses[1]``."""
    rows = []
    items = data.items() if isinstance(data, dict) else ((f"[{i}]", item) for i, item in enumerate(data))
    for key, value in items:
        child = f"{path}{key}" if key.startswith("[") else (f"{path}.{key}" if path else key)
        if isinstance(value, (dict, list)):
            rows.extend(flatten(value, child))
        else:
            record, _, field = child.rpartition(".")
            rows.append((record, field, "" if value is None else str(jsonable(value))))
    return rows


def to_csv(data: dict) -> str:
    """The export as one long CSV (record, field, value); formula-like cells are escaped for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "field", "value"])
    for row in flatten(data):
        writer.writerow([escape_formula(cell) for cell in row])
    return out.getvalue()
