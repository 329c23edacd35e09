"""Educators' exports: long and wide CSV, XLSX with codebook, SPSS .sav; audit; export -> import -> export."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from survey.audit.models import AuditEvent
from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.reports.exports import neutralise_cell, restore_cell
from survey.reports.services import dataset_for
from survey.surveys.models import Answer, Response
from tests.factories import PASSWORD
from tests.reports.conftest import charity_campaign

TRICKY = {"eval_comment": "=HYPERLINK(\"http://evil\",\"click\")", "beh_comment": "'quoted\nsecond line, Zoë"}


@pytest.fixture
def small_study(app):
    return charity_campaign(40, seed=11)


@pytest.fixture
def educator(client, small_study):
    client.login(small_study.educator.email, PASSWORD)
    return client


def export(client, study, kind: str):
    response = client.get(f"/educator/campaigns/{study.campaign.slug}/export/{kind}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def add_tricky_answers(study) -> None:
    """Free text a GP might type that a spreadsheet would run, or that CSV must quote."""
    for item, wave in (("eval_comment", "post"), ("beh_comment", "follow_up")):
        response = db.session.scalar(select(Response).join(Enrolment).where(
            Enrolment.campaign_id == study.campaign.id, Enrolment.research_consent.is_(True),
            Enrolment.withdrawn_at.is_(None), Response.wave == wave, Response.submitted_at.is_not(None)))
        db.session.add(Answer(response_id=response.id, item_id=item, value=TRICKY[item]))
    db.session.commit()


@pytest.mark.parametrize("value", ["=1+1", "+44 20", "-x", "@SUM(A1)", "\tx", "'already", "plain", "-5", "3.5",
                                   "+1", ""])
def test_neutralising_a_cell_is_undone_exactly(value):
    safe = neutralise_cell(value)
    assert restore_cell(safe) == value
    assert not safe.startswith(("=", "+", "@", "\t")) or safe in ("+1",)
    if value in ("-5", "3.5", "+1", "plain"):
        assert safe == value  # numbers stay numbers for R and Excel


def test_long_csv_lists_answers_by_pseudonymous_code_only(educator, small_study):
    add_tricky_answers(small_study)
    text = export(educator, small_study, "long.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["participant", "wave", "item", "value"]
    included = {code for code, ok in zip(small_study.data.codes, small_study.data.included) if ok}
    assert {row[0] for row in rows[1:]} <= included
    assert not any("@example.org" in line or "Dr Generated" in line for line in text.splitlines())
    assert ["pre", "post", "follow_up"] == sorted({row[1] for row in rows[1:]}, key=["pre", "post", "follow_up"].index)
    comment = next(row for row in rows if row[2] == "eval_comment")
    assert comment[3] == "'" + TRICKY["eval_comment"]  # not a live formula in Excel


def test_wide_csv_has_one_row_per_gp_with_items_and_scores(educator, small_study):
    frame = dataset_for(small_study.campaign)
    rows = list(csv.DictReader(io.StringIO(export(educator, small_study, "wide.csv").get_data(as_text=True))))
    assert len(rows) == len(frame.participants)
    first = rows[0]
    for column in ("participant", "cohort", "profile_gp_role", "version_pre", "who_1_pre", "vc_fit_note_pre",
                   "score_expect_cancer_pre", "who_1_post", "score_barriers_fu"):
        assert column in first
    scores = frame.scores()
    response = frame.responses[frame.responses["wave"] == "pre"].iloc[0]
    code = frame.participants.loc[response["enrolment_id"], "participant"]
    row = next(r for r in rows if r["participant"] == code)
    assert float(row["score_expect_cancer_pre"]) == pytest.approx(scores.at[response.name, "expect_cancer"])
    assert row["who_1_pre"] == frame.answers.at[response.name, "who_1"]


def test_xlsx_has_the_data_and_a_codebook_and_never_a_formula(educator, small_study):
    add_tricky_answers(small_study)
    book = load_workbook(io.BytesIO(export(educator, small_study, "xlsx").data))
    assert book.sheetnames == ["data", "codebook"]
    codebook = {row[0]: row for row in book["codebook"].iter_rows(values_only=True)}
    assert codebook["variable"][:3] == ("variable", "label", "type")
    assert codebook["who_2_pre"][6] == "yes"  # reverse keyed
    assert "1 = Strongly disagree" in codebook["who_2_pre"][7]
    assert "not_fit = Not fit for work" in codebook["vc_fit_note_pre"][7]
    data = book["data"]
    header = [cell.value for cell in next(data.iter_rows(max_row=1))]
    column = header.index("eval_comment_post")
    cells = [row[column] for row in data.iter_rows(min_row=2) if row[column].value]
    assert cells and cells[0].value == TRICKY["eval_comment"] and cells[0].data_type == "s"


def test_sav_has_variable_and_value_labels(educator, small_study, tmp_path):
    import pyreadstat

    path = tmp_path / "export.sav"
    path.write_bytes(export(educator, small_study, "sav").data)
    frame, meta = pyreadstat.read_sav(str(path))
    labels = meta.column_names_to_labels
    assert labels["who_1_pre"].startswith("For most people of working age")
    assert meta.variable_value_labels["who_1_pre"][1.0] == "Strongly disagree"
    assert meta.variable_value_labels["vc_fit_note_pre"] == {1.0: "Not fit for work",
                                                            2.0: "May be fit for work taking account of advice",
                                                            3.0: "Fit for work (no fit note needed)"}
    assert set(frame["vc_fit_note_pre"].dropna()) <= {1.0, 2.0, 3.0}
    assert len(frame) == len(dataset_for(small_study.campaign).participants)


def test_every_export_is_audited(educator, small_study):
    export(educator, small_study, "wide.csv")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.export"))
    assert event.actor_id == small_study.educator.id
    assert event.target == f"campaign:{small_study.campaign.slug}" and event.detail["format"] == "wide.csv"


def test_unknown_export_format_is_404(educator, small_study):
    assert educator.get(f"/educator/campaigns/{small_study.campaign.slug}/export/pdf.exe").status_code == 404


def test_export_import_export_round_trips_identically(app, educator, small_study, tmp_path):
    add_tricky_answers(small_study)
    first = export(educator, small_study, "long.csv").data
    enrolments = select(Enrolment.id).where(Enrolment.campaign_id == small_study.campaign.id)
    responses = select(Response.id).where(Response.enrolment_id.in_(enrolments))
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    db.session.execute(delete(Response).where(Response.enrolment_id.in_(enrolments), Response.submitted_at.is_not(None)))
    db.session.commit()
    assert export(educator, small_study, "long.csv").data.count(b"\n") == 1  # header only
    path = tmp_path / "paper.csv"
    path.write_bytes(first)
    result = app.test_cli_runner().invoke(args=["import-responses", small_study.campaign.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output
    assert export(educator, small_study, "long.csv").data == first


def test_results_for_slides_are_rounded_and_labelled(app, make_client):
    import csv
    import io
    import re

    from tests.factories import PASSWORD
    from tests.reports.conftest import charity_campaign

    study = charity_campaign(120, seed=4)
    client = make_client()
    client.login(study.educator.email, PASSWORD)
    response = client.get(f"/educator/campaigns/{study.campaign.slug}/export/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert not re.search(r"(?<![<\d])\d+\.\d{3,}", text) and "'" not in text  # rounded; no formula guards needed
    barriers = next(r for r in rows if r["Measure"].startswith("Perceived barriers") and
                    r["Comparison"] == "Before the course to after the course")
    assert barriers["Better"] == "lower" and re.fullmatch(r"\u2212?\d\.\d\d to \u2212?\d\.\d\d",
                                                            barriers["95% interval of the change"])
    assert any(r["Result"].startswith("Share deciding") and r["Change"].endswith("points") for r in rows)
