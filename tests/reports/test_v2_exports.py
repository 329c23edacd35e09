"""Versions 2 and 3 in the exports: vignette assignments and survey times with labels in the codebook
sheet and the SPSS file; barriers as items only; version 3's two cases per GP, the others blank and
labelled as not given; version 1 campaigns still exported as version 1."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.library import library
from survey.reports.codebook import WAVE_CODES
from survey.surveys.models import PageTime, Response
from survey.surveys.versions import assign_vignettes, assignments_for, campaign_definition, case_set_of
from tests.factories import PASSWORD
from tests.reports.conftest import charity_campaign


@pytest.fixture
def v2_study(app):
    study = charity_campaign(30, seed=5, instrument_version=2)
    definition = campaign_definition(study.campaign)
    assert definition.version == 2
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.campaign_id == study.campaign.id)):
        assign_vignettes(enrolment, definition)
    for response in db.session.scalars(select(Response)):
        db.session.add(PageTime(response_id=response.id, page=1, seconds=300 + response.id, visits=1))
    db.session.commit()
    return study


def export(client, study, kind):
    client.login(study.educator.email, PASSWORD)
    response = client.get(f"/educator/campaigns/{study.campaign.slug}/export/{kind}")
    assert response.status_code == 200
    return response


def test_wide_export_carries_assignment_and_times(client, v2_study):
    rows = list(csv.DictReader(io.StringIO(export(client, v2_study, "wide.csv").get_data(as_text=True))))
    assert rows
    enrolments = {e.participant_code: e for e in db.session.scalars(select(Enrolment))}
    for row in rows:
        assigned = assignments_for(enrolments[row["participant"]])
        for vignette in ("vignette_cmhc", "vignette_msk", "vignette_cancer", "vignette_smi"):
            assert row[f"assign_{vignette}"] == assigned[vignette]
    submitted = {r.id: r for r in db.session.scalars(select(Response).where(Response.submitted_at.is_not(None)))}
    with_pre = [row for row in rows if row["version_pre"]]
    assert with_pre and all(int(row["seconds_pre"]) > 300 for row in with_pre)
    pre_ids = {r.enrolment_id: r.id for r in submitted.values() if r.wave == "pre"}
    for row in with_pre:
        assert int(row["seconds_pre"]) == 300 + pre_ids[enrolments[row["participant"]].id]
    header = rows[0].keys()
    assert "bar_1_pre" in header and not any(h.startswith("score_barriers") for h in header)
    assert "score_attitude_support_pre" in header


def test_codebook_sheet_and_spss_label_the_assignment_and_times(client, v2_study, tmp_path):
    import pyreadstat

    book = load_workbook(io.BytesIO(export(client, v2_study, "xlsx").data))
    codebook = {row[0].value: [c.value for c in row] for row in book["codebook"].iter_rows(min_row=2)}
    header = [c.value for c in next(book["codebook"].iter_rows(max_row=1))]
    assert header[-2:] == ["source", "licence"]
    assert codebook["assign_vignette_msk"][2] == "assignment"
    assert "desk = Desk job (software tester)" in codebook["assign_vignette_msk"][7]
    assert codebook["seconds_pre"][1].startswith("Time on the survey's pages in seconds (pre)")
    assert "Research Report 733" in codebook["score_work_health_outcome_pre"][9]
    assert "Open Government Licence" in codebook["who_1_pre"][10]

    path = tmp_path / "v2.sav"
    path.write_bytes(export(client, v2_study, "sav").data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.variable_value_labels["assign_vignette_msk"] == {1.0: "Desk job (software tester)",
                                                                2.0: "Manual job (scaffolder)"}
    assert set(frame["assign_vignette_msk"].dropna()) == {1.0, 2.0}
    assert meta.column_names_to_labels["seconds_fu"].startswith("Time on the survey's pages in seconds (follow_up)")


def test_a_version_1_campaign_is_still_scored_and_exported_as_version_1(client, app):
    study = charity_campaign(20, seed=3)  # pinned to the archived version 1
    assert library().instruments["gp-work-health-attitudes"].version == 3
    rows = list(csv.DictReader(io.StringIO(export(client, study, "wide.csv").get_data(as_text=True))))
    header = rows[0].keys()
    assert {"who_2_pre", "score_barriers_pre", "score_gp_role_pre"} <= set(header)  # version 1 items and scales
    assert not any(h.startswith("assign_") for h in header)
    scored = [row for row in rows if row["version_pre"]]
    assert scored and all(row["version_pre"] == "1" for row in scored)
    assert all(row["score_work_health_outcome_pre"] for row in scored)


def test_under_matrix_sampling_each_gp_has_two_cases_and_the_blanks_are_labelled(client, app, tmp_path):
    import pyreadstat

    study = charity_campaign(30, seed=6, instrument_version=None)  # the live version 3
    definition = campaign_definition(study.campaign)
    assert definition.vignette_sampling.per_gp == 2
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.campaign_id == study.campaign.id)):
        assign_vignettes(enrolment, definition)
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(export(client, study, "wide.csv").get_data(as_text=True))))
    cases = {e.participant_code: case_set_of(e) for e in db.session.scalars(select(Enrolment))}
    questions = {v.id: [q.id for q in v.questions] for v in definition.randomised_vignettes()}
    for row in rows:
        mine = set(cases[row["participant"]])
        assert len(mine) == 2 and {v for v in questions if row[f"assign_{v}"]} == mine
        answered = {v for v, ids in questions.items() if any(row.get(f"{q}_{w}") for q in ids for w in WAVE_CODES.values())}
        assert answered <= mine
    assert any(row["vcmh_fit_note_pre"] for row in rows) and any(not row["vcmh_fit_note_pre"] for row in rows)

    book = load_workbook(io.BytesIO(export(client, study, "xlsx").data))
    codebook = {row[0].value: [c.value for c in row] for row in book["codebook"].iter_rows(min_row=2)}
    note = "blank if the case was not among the GP's 2 of 4, assigned at random: planned missingness"
    assert note in codebook["assign_vignette_cmhc"][1]
    path = tmp_path / "v3.sav"
    path.write_bytes(export(client, study, "sav").data)
    _, meta = pyreadstat.read_sav(str(path))
    assert note in meta.column_names_to_labels["assign_vignette_cmhc"]
