"""Data exports: long and wide CSV, XLSX with a codebook, SPSS .sav, and the charity's summary CSV. Pure.

Participants appear only as their pseudonymous code. CSV cells that a spreadsheet would run
as a formula (starting with = + - @, a tab or a carriage return, and not a plain number) are
written with a leading apostrophe; so are cells that themselves start with an apostrophe, so
that :func:`restore_cell` undoes it exactly and export -> import -> export is lossless.
"""
import csv
import io
import os
import re
import tempfile

import pandas as pd

from survey.reports.codebook import WAVE_CODES, Variable, codebook_rows, variables
from survey.reports.dataset import WAVE_ORDER, Dataset, present_waves

LONG_HEADER = ["participant", "wave", "item", "value"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise_cell(value):
    """A cell safe to open in a spreadsheet (see the module docstring); non-text passes unchanged."""
    if isinstance(value, str) and (value.startswith("'") or
                                   (value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value))):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The exact value :func:`neutralise_cell` was given."""
    return value[1:] if value.startswith("'") else value


def to_csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def long_rows(ds: Dataset) -> list[tuple[str, str, str, str]]:
    """(participant, wave, item, value) for every stored answer, ordered by participant, wave and the
    item's position in the instrument version answered."""
    if ds.answers.empty:
        return []
    stacked = ds.answers.stack().dropna().rename("value").reset_index()
    stacked.columns = ["response_id", "item", "value"]
    meta = ds.responses.loc[stacked["response_id"]]
    position = {(v.id, q.id): i for v in ds.versions.values() for i, q in enumerate(v.definition.questions())}
    frame = pd.DataFrame({
        "participant": ds.participants["participant"].reindex(meta["enrolment_id"]).to_numpy(),
        "wave_rank": meta["wave"].map(WAVE_ORDER.index).to_numpy(), "wave": meta["wave"].to_numpy(),
        "position": [position.get(key, len(position)) for key in zip(meta["version_id"], stacked["item"])],
        "item": stacked["item"].to_numpy(), "value": stacked["value"].to_numpy(),
    })
    frame = frame.sort_values(["participant", "wave_rank", "position", "item"], kind="stable")
    return list(frame[LONG_HEADER].itertuples(index=False, name=None))


def long_csv(ds: Dataset) -> str:
    return to_csv(LONG_HEADER, long_rows(ds))


def wide_frame(ds: Dataset, found: list[Variable]) -> pd.DataFrame:
    """One row per participant, one column per :class:`Variable`; answers typed (Likert and numbers numeric)."""
    people = ds.participants
    columns: dict[str, pd.Series] = {"participant": people["participant"], "cohort": people["cohort"]}
    for name in ds.campaign.enrolment_fields:
        columns[f"profile_{name}"] = people[f"profile:{name}"]
    for v in (v for v in found if v.kind == "assignment"):
        column = f"vignette:{v.item}"
        columns[v.name] = people[column] if column in people else pd.Series(None, index=people.index, dtype=object)
    for v in (v for v in found if v.kind == "flag"):
        columns[v.name] = people[v.name]
    scores = ds.scores()
    for wave in present_waves(ds.responses):
        rows = ds.responses.index[ds.responses["wave"] == wave]
        owner = ds.responses.loc[rows, "enrolment_id"].to_numpy()

        def by_person(values: pd.Series) -> pd.Series:
            return pd.Series(values.reindex(rows).to_numpy(), index=owner).reindex(people.index)

        versions = ds.responses.loc[rows, "version_id"].map({v.id: v.number for v in ds.versions.values()})
        columns[f"version_{WAVE_CODES[wave]}"] = by_person(versions).astype("Int64")
        seconds = ds.responses["seconds"] if "seconds" in ds.responses else pd.Series(dtype=float)
        columns[f"seconds_{WAVE_CODES[wave]}"] = by_person(seconds.reindex(rows).astype(float)).round().astype("Int64")
        for v in (v for v in found if v.wave == wave and v.kind not in ("meta", "score", "seconds")):
            if v.kind in ("likert", "number"):
                values = by_person(ds.numbers(v.item))
                columns[v.name] = values.astype("Int64") if v.kind == "likert" or v.integer else values
            else:
                answers = ds.answers[v.item] if v.item in ds.answers else pd.Series(dtype=object)
                columns[v.name] = by_person(answers).astype(object)
        for v in (v for v in found if v.wave == wave and v.kind == "score"):
            columns[v.name] = by_person(scores[v.item] if v.item in scores else pd.Series(dtype=float))
    return pd.DataFrame(columns, index=people.index).reset_index(drop=True)


def wide_csv(ds: Dataset) -> str:
    frame = wide_frame(ds, variables(ds))
    rows = frame.astype(object).where(frame.notna(), "").itertuples(index=False, name=None)
    return to_csv(list(frame.columns), rows)


def _text_cell(sheet, value: str):
    """A cell openpyxl would otherwise store as a formula, stored as text: shown as typed, never calculated."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_bytes(ds: Dataset) -> bytes:
    """A workbook with the wide data ("data") and the codebook ("codebook"); text is never read as a formula."""
    from openpyxl import Workbook

    found = variables(ds)
    frame = wide_frame(ds, found)
    book = Workbook(write_only=True)
    for title, rows in (("data", [list(frame.columns)] + frame.astype(object).where(frame.notna(), None)
                         .values.tolist()), ("codebook", codebook_rows(found))):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_text_cell(sheet, value) if isinstance(value, str) and value.startswith("=") else value
                          for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sav_bytes(ds: Dataset) -> bytes:
    """SPSS .sav of the wide data with variable labels and value labels.

    Single-choice answers and vignette assignments become numeric codes 1..k in option (version)
    order, labelled with the option (SPSS users expect numbers); multiple choice and free text stay text.
    """
    import pyreadstat

    found = variables(ds)
    frame = wide_frame(ds, found)
    value_labels, measures = {}, {}
    for v in found:
        if v.kind in ("single_choice", "assignment"):
            codes = {value: i for i, (value, _) in enumerate(v.values, start=1)}
            frame[v.name] = frame[v.name].map(codes).astype(float)
            value_labels[v.name] = {float(codes[value]): label for value, label in v.values}
            measures[v.name] = "nominal"
        elif v.kind in ("likert", "flag"):
            frame[v.name] = frame[v.name].astype(float)
            value_labels[v.name] = {float(code): label for code, label in v.values}
            measures[v.name] = "ordinal" if v.kind == "likert" else "nominal"
        elif frame[v.name].dtype == "Int64":
            frame[v.name] = frame[v.name].astype(float)
    for column in frame.columns[frame.dtypes == object]:
        frame[column] = frame[column].where(frame[column].notna(), "").astype(str)
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(frame, path, column_labels={v.name: v.label[:256] for v in found},
                             variable_value_labels=value_labels, variable_measure=measures)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


SUMMARY_HEADER = ["section", "comparison", "scale_or_item", "wave", "group", "statistic", "value"]


def summary_rows(report: dict) -> list[list]:
    """Every number of a report as tidy rows (one statistic each), as shown to its reader (suppressed or not)."""
    rows = []

    def add(section, statistics: dict, comparison="", key="", wave="", group=""):
        rows.extend([section, comparison, key, wave, group, name, value] for name, value in statistics.items())

    def funnel_counts(funnel: dict) -> dict:
        counts = {stage: funnel[stage] for stage in ("enrolled", "pre")}
        counts.update({f"module:{m['module']}": m["n"] for m in funnel["modules"]})
        return counts | {stage: funnel[stage] for stage in ("post", "reflection", "certificate", "follow_up")}

    add("funnel", funnel_counts(report["funnel"]))
    skip = {"scale", "label", "points", "instrument_versions", "wave", "item", "text", "anchors", "counts"}
    for comparison in report["comparisons"]:
        for row in comparison["scales"]:
            add("change", {k: v for k, v in row.items() if k not in skip},
                f"{comparison['from']}->{comparison['to']}", row["scale"])
    for row in report["alpha"]:
        add("alpha", {k: v for k, v in row.items() if k not in skip}, key=row["scale"], wave=row["wave"])
    for row in report["items"]:
        add("item", {"n": row["n"], **{f"count_{i}": c for i, c in enumerate(row["counts"], start=1)}},
            key=row["item"], wave=row["wave"])
    for vignette in report["vignettes"]:
        for wave in vignette["waves"]:
            add("vignette", {"n": wave["n"], **{f"count_{o}": c for o, c in wave["counts"].items()},
                             "percent_" + vignette["decision"]: wave["percent"]}, key=vignette["item"],
                wave=wave["wave"])
        for test in vignette["mcnemar"]:
            add("vignette_mcnemar", {k: test[k] for k in ("n_pairs", "b", "c", "p")},
                f"{test['from']}->{test['to']}", vignette["item"])
    for row in report["attrition"]:
        add("attrition", {k: v for k, v in row.items() if k not in skip}, "pre: reached post vs not", row["scale"])
    for breakdown in report["breakdowns"]:
        for row in breakdown["rows"]:
            add(f"breakdown:{breakdown['by']}", funnel_counts(row["funnel"]), group=row["group"])
            for cell in row["scales"]:
                add(f"breakdown:{breakdown['by']}", {k: v for k, v in cell.items() if k not in skip},
                    "pre->post", cell["scale"], group=row["group"])
    return rows


def summary_csv(report: dict) -> str:
    return to_csv(SUMMARY_HEADER, ([("" if v is None else v) for v in row] for row in summary_rows(report)))
