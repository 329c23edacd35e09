"""The test-retest mini-wave through the pages: settings, the draw at baseline, the invitation and task,
and the rule that the retest closes for good once a module is opened."""
import csv
import io
import re

import pyreadstat
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from survey.campaigns.models import Campaign
from survey.evaluation.models import RetestDraw
from survey.evaluation.retest import base_block, draw_sequence
from survey.extensions import db
from survey.library import library
from survey.surveys.models import Response
from tests.campaigns.helpers import MODULE, create_campaign
from tests.evaluation.helpers import days_later, join
from tests.factories import PASSWORD
from tests.journey import answer_survey, mails_to

#: A seed whose 50% draw begins retest, not, retest (found once from ``draw_sequence``), so the test knows who is drawn.
SEED = 1


def _definition():
    return library().instruments["gp-work-health-attitudes"].data


def _retest_campaign(educator_client, percent="50", days="14") -> Campaign:
    slug = create_campaign(educator_client)
    response = educator_client.post(f"/manage/campaigns/{slug}/evaluation/retest",
                                    {"retest_enabled": "y", "retest_percent": percent, "retest_days": days})
    assert response.status_code == 302, response.get_data(as_text=True)
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    campaign.assignment_seed = SEED
    db.session.commit()
    return campaign


@pytest.mark.parametrize("percent", [5, 10, 20, 25, 35, 50])
def test_the_draw_is_reproducible_and_holds_the_exact_share_in_every_block(percent):
    size, drawn = base_block(percent)
    sequence = draw_sequence(2026, percent, 40 * size)
    assert sequence == draw_sequence(2026, percent, 40 * size) and sequence != draw_sequence(2027, percent, 40 * size)
    assert draw_sequence(2026, percent, 7) == sequence[:7]  # a GP's place does not depend on who comes later
    # Blocks are one or two base blocks long, so the running count never strays more than a block's worth.
    for n in range(1, len(sequence) + 1):
        assert abs(sum(sequence[:n]) - n * percent / 100) <= 2 * drawn
    assert abs(sum(sequence) - len(sequence) * percent / 100) <= 2 * drawn


def test_settings_keep_bad_input_and_lock_at_the_first_response(educator_client, make_client):
    slug = create_campaign(educator_client)
    url = f"/manage/campaigns/{slug}/evaluation/retest"
    refused = educator_client.post(url, {"retest_enabled": "y", "retest_percent": "22", "retest_days": "3"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Enter a whole percentage from 5 to 50, in steps of 5." in page
    assert "Enter a whole number of days from 7 to 28." in page
    assert 'value="22"' in page and 'value="3"' in page  # what the educator typed is kept
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    assert not campaign.retest_enabled and campaign.retest_days == 14  # off by default, 14 days
    assert educator_client.post(url, {"retest_enabled": "y", "retest_percent": "20", "retest_days": "14"}).status_code == 302

    gp, _ = join(make_client, campaign.enrolment_code)
    gp.get(f"/c/{slug}/survey/pre")  # the first response begins
    again = educator_client.post(url, {"retest_percent": "20", "retest_days": "14"})
    assert again.status_code == 422
    assert "GPs have begun answering, so the retest settings can no longer change." in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).retest_enabled


def test_a_drawn_gp_is_invited_answers_the_short_retest_and_others_cannot_open_it(app, educator_client, make_client,
                                                                                   monkeypatch, tmp_path):
    campaign = _retest_campaign(educator_client)
    slug, definition = campaign.slug, _definition()
    gps = [join(make_client, campaign.enrolment_code) for _ in range(3)]
    for gp, _ in gps:
        answer_survey(gp, slug, "pre", definition)
    draws = db.session.scalars(select(RetestDraw).order_by(RetestDraw.position)).all()
    assert [d.enrolment_id for d in draws] == [e.id for _, e in gps]  # drawn in the order baselines came in
    assert [d.selected for d in draws] == draw_sequence(SEED, 50, 3) == [True, False, True]
    (drawn, _), (other, _), (starter, _) = gps

    overview = drawn.get(f"/c/{slug}").get_data(as_text=True)
    assert "Retest survey (optional)" in overview and "if you have not opened a module by then" in overview
    assert drawn.get(f"/c/{slug}/survey/retest").headers["Location"].endswith(f"/c/{slug}")  # not open yet
    assert "Retest survey" not in other.get(f"/c/{slug}").get_data(as_text=True)
    assert other.get(f"/c/{slug}/survey/retest").status_code == 404
    assert other.get(f"/c/{slug}/survey/retest/1").status_code == 404

    days_later(monkeypatch, 14, drawn, other, starter)
    app.test_cli_runner().invoke(args=["send-reminders"])
    assert any("optional retest" in text and f"/c/{slug}/survey/retest" in text and "To receive no more emails" in text
               for text in mails_to(app, drawn.user.email))
    assert not any("retest" in text for text in mails_to(app, other.user.email))

    first = drawn.get(f"/c/{slug}/survey/retest/1").get_data(as_text=True)
    assert re.search(r"This survey takes about \d+ minutes?", first)
    answer_survey(drawn, slug, "retest", definition)
    response = db.session.scalar(select(Response).where(Response.enrolment_id == gps[0][1].id, Response.wave == "retest"))
    asked = {q.id for s in definition.sections_for("retest") for q in s.questions()}
    scored = {i for s in definition.scored_scales for i in s.items}
    assert response.submitted_at is not None and set(response.answer_map()) == asked == scored
    assert "Completed" in drawn.get(f"/c/{slug}").get_data(as_text=True).split("Retest survey (optional)", 1)[1][:800]

    # The educator's report has its own retest table (one GP with both: no ICC yet) and states the rule's bias.
    educator_client.login(educator_client.user.email, PASSWORD)
    report = educator_client.get(f"/educator/campaigns/{slug}/report").get_data(as_text=True)
    table = report.split("Test-retest reliability: Retest about 2 weeks after the baseline", 1)[1].split("</table>")[0]
    assert "Work as a health outcome" in table and "<td>1</td>" in table
    assert "it favours GPs who start the course slowly" in " ".join(report.split())

    # The exports carry the retest's answers and the draw, labelled in the codebook sheet and the SPSS file.
    rows = list(csv.DictReader(io.StringIO(educator_client.get(f"/educator/campaigns/{slug}/export/wide.csv")
                                           .get_data(as_text=True))))
    assert sorted(row["retest_subsample"] for row in rows) == ["0", "1", "1"]
    answered = next(row for row in rows if row["version_retest"])
    assert answered["retest_subsample"] == "1" and answered["who_1_retest"] == "3" and "case_msk_fit_retest" not in answered
    book = load_workbook(io.BytesIO(educator_client.get(f"/educator/campaigns/{slug}/export/xlsx").data))
    codebook = {row[0].value: [c.value for c in row] for row in book["codebook"].iter_rows(min_row=2)}
    assert codebook["retest_subsample"][1].startswith("Drawn at random, at baseline, for the test-retest mini-wave")
    assert codebook["who_1_retest"][3] == "retest"
    path = tmp_path / "retest.sav"
    path.write_bytes(educator_client.get(f"/educator/campaigns/{slug}/export/sav").data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.variable_value_labels["retest_subsample"] == {1.0: "Drawn for the retest", 0.0: "Not drawn"}
    assert sorted(frame["retest_subsample"]) == [0.0, 1.0, 1.0]


def test_answering_the_retest_after_opening_a_module_is_refused_with_the_reason(educator_client, make_client, monkeypatch):
    campaign = _retest_campaign(educator_client, days="7")
    slug, definition = campaign.slug, _definition()
    gp, enrolment = join(make_client, campaign.enrolment_code)
    answer_survey(gp, slug, "pre", definition)
    days_later(monkeypatch, 7, gp)
    assert gp.get(f"/c/{slug}/survey/retest/1").status_code == 200  # drawn (first place) and open
    assert gp.get(f"/c/{slug}/m/{MODULE}/1").status_code == 200  # the course is never held up by the retest

    page = definition.sections_for("retest")[0]
    refused = gp.post(f"/c/{slug}/survey/retest/1", {q.id: "4" for q in page.questions()})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "The retest survey closed when you opened a module" in text
    saved = gp.post(f"/c/{slug}/survey/retest/1/autosave", {page.questions()[0].id: "4"})
    assert saved.status_code == 409 and saved.get_json()["saved"] is False
    response = db.session.scalar(select(Response).where(Response.enrolment_id == enrolment.id, Response.wave == "retest"))
    assert response.submitted_at is None and response.answer_map() == {}
    assert "Closed once you opened a module" in gp.get(f"/c/{slug}").get_data(as_text=True)
