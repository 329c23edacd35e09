"""Per-page timing from server-side timestamps (idle capped), the educator's median and 90th
centile, the honest time estimate shown before the GP starts, and profile questions asked once."""
from datetime import timedelta

import numpy as np
from sqlalchemy import select

from survey import clock
from survey.extensions import db
from survey.instruments.length import minutes_text, wave_seconds
from survey.library import library
from survey.surveys.models import Answer, PageTime, Response
from survey.surveys.timing import IDLE_CAP_SECONDS, wave_times
from tests.factories import PASSWORD, make_campaign, make_user
from survey.surveys.answers import is_visible
from tests.journey import answer_survey, section_on, valid_answer

REAL = "gp-work-health-attitudes"


def live():
    return library().instruments[REAL].data


class Clock:
    def __init__(self, monkeypatch):
        self.at = clock.now()
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def advance(self, seconds: float):
        self.at += timedelta(seconds=seconds)


def test_time_on_each_page_is_recorded_and_an_idle_visit_is_capped(app, enrolled, monkeypatch):
    time = Clock(monkeypatch)
    campaign, gp = enrolled(instrument=REAL)
    gp.get(f"/c/{campaign.slug}/survey/pre/1")
    time.advance(40)
    gp.post(f"/c/{campaign.slug}/survey/pre/1", {"dem_years_gp": "5", "dem_role": "salaried",
                                                  "dem_wh_training": "no"})
    gp.get(f"/c/{campaign.slug}/survey/pre/2")
    time.advance(1800)  # left open for half an hour (within the session's idle limit)
    gp.post(f"/c/{campaign.slug}/survey/pre/2/autosave", {"beh_fit_notes": "10"})  # autosave ends no visit
    gp.post(f"/c/{campaign.slug}/survey/pre/2", {"beh_fit_notes": "10", "beh_may_be_fit": "2", "beh_asked_work": "5",
                                                  "beh_signposted": "1", "aud_offer": "no"})
    # Going back to page 1 and saving it again adds a second visit.
    gp.get(f"/c/{campaign.slug}/survey/pre/1")
    time.advance(15)
    gp.post(f"/c/{campaign.slug}/survey/pre/1", {"dem_years_gp": "6", "dem_role": "salaried",
                                                  "dem_wh_training": "no"})
    rows = {row.page: row for row in db.session.scalars(select(PageTime))}
    assert (rows[1].seconds, rows[1].visits) == (55, 2)
    assert (rows[2].seconds, rows[2].visits) == (IDLE_CAP_SECONDS, 1)


def test_a_reload_keeps_the_visit_running_and_a_save_ends_it_once(app, enrolled, monkeypatch):
    time = Clock(monkeypatch)
    campaign, gp = enrolled(instrument=REAL)
    page_1 = {"dem_years_gp": "5", "dem_role": "salaried", "dem_wh_training": "no"}
    gp.get(f"/c/{campaign.slug}/survey/pre/1")
    time.advance(30)
    gp.get(f"/c/{campaign.slug}/survey/pre/1")  # a reload: the visit still began 30 s ago
    time.advance(10)
    gp.post(f"/c/{campaign.slug}/survey/pre/1", page_1)
    time.advance(20)
    gp.post(f"/c/{campaign.slug}/survey/pre/1", page_1)  # saved again without being shown again: no visit runs
    row = db.session.scalar(select(PageTime).where(PageTime.page == 1))
    assert (row.seconds, row.visits, row.shown_at) == (40, 1, None)


def test_the_educator_sees_median_and_90th_centile_per_wave(app, enrolled, make_client, monkeypatch):
    time = Clock(monkeypatch)
    educator = make_user("educator")
    campaign = make_campaign(instrument=REAL, educators=[educator])
    totals = []
    for n in range(5):
        gp = make_client()
        gp.login(make_user().email, PASSWORD)
        assert gp.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "research_consent": "y", "nation": "wales"}).status_code == 302
        per_page, number, pages = 20 + 10 * n, 1, 0
        while number is not None:  # the GP's own pages: under matrix sampling, only their cases
            html = gp.get(f"/c/{campaign.slug}/survey/pre/{number}").get_data(as_text=True)
            time.advance(per_page)
            number, pages = answer_survey_page(gp, campaign.slug, number, html), pages + 1
        totals.append(per_page * pages)
    found = next(t for t in wave_times(campaign.id) if t.wave == "pre")
    assert found.n == 5
    assert found.median_seconds == np.median(totals) and found.p90_seconds == np.percentile(totals, 90)
    client = make_client()
    client.login(educator.email, PASSWORD)
    html = client.get(f"/educator/campaigns/{campaign.slug}").get_data(as_text=True)
    assert "Time taken per survey" in html
    assert f"{np.median(totals) / 60:.1f} min" in html and f"{np.percentile(totals, 90) / 60:.1f} min" in html
    # A GP who declined research use is not counted.
    _, declined = enrolled(instrument=REAL, campaign=campaign)
    answer_survey(declined, campaign.slug, "pre", live())
    assert next(t for t in wave_times(campaign.id) if t.wave == "pre").n == 5


def answer_survey_page(gp, slug: str, number: int, html: str) -> int | None:
    """Answer the baseline page shown validly (as tests.journey.answer_survey does for all pages); returns
    the next page's number, or None once the survey is submitted."""
    section = section_on(html, live().sections_for("pre"))
    data, answers = {}, {}
    for question in section.questions():
        if is_visible(question, answers):
            data[question.id] = valid_answer(question)
            answers[question.id] = ";".join(data[question.id])
    saved = gp.post(f"/c/{slug}/survey/pre/{number}", data)
    assert saved.status_code == 302
    return number + 1 if saved.headers["Location"].endswith(f"/survey/pre/{number + 1}") else None


def test_the_gp_is_told_the_estimated_time_before_starting(app, enrolled):
    campaign, gp = enrolled(instrument=REAL)
    html = gp.get(f"/c/{campaign.slug}/survey/pre/1").get_data(as_text=True)
    expected = minutes_text(wave_seconds(live(), "pre"))
    assert f"This survey takes {expected} (an estimate from its length)." in html
    assert "time-estimate" not in gp.get(f"/c/{campaign.slug}/survey/pre/2").get_data(as_text=True)


def test_profile_questions_answered_at_enrolment_are_not_asked_again(app, make_client):
    campaign = make_campaign(instrument=REAL)
    campaign.enrolment_fields = ["years_qualified", "gp_role", "nhs_region"]
    db.session.commit()
    gp = make_client()
    gp.login(make_user().email, PASSWORD)
    joined = gp.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "years_qualified": "12", "gp_role": "locum",
                                                           "nation": "scotland"})
    assert joined.status_code == 302
    page = gp.get(f"/c/{campaign.slug}/survey/pre/1").get_data(as_text=True)
    for asked_already in ("dem_years_gp", "dem_role", "dem_nation"):
        assert f'name="{asked_already}"' not in page
    assert 'name="dem_wh_training"' in page
    # Saving the page without them is complete; the enrolment answers are stored for the items.
    assert gp.post(f"/c/{campaign.slug}/survey/pre/1", {"dem_wh_training": "yes"}).status_code == 302
    response = db.session.scalar(select(Response))
    stored = dict(db.session.execute(select(Answer.item_id, Answer.value).where(Answer.response_id == response.id)).all())
    assert stored == {"dem_years_gp": "12", "dem_role": "locum", "dem_nation": "scotland", "dem_wh_training": "yes"}
    answer_survey(gp, campaign.slug, "pre", live())
    assert db.session.scalar(select(Response.submitted_at)) is not None


def test_a_campaign_without_enrolment_questions_asks_them_in_the_survey(app, enrolled):
    campaign, gp = enrolled(instrument=REAL)
    page = gp.get(f"/c/{campaign.slug}/survey/pre/1").get_data(as_text=True)
    assert all(f'name="{item}"' in page for item in ("dem_years_gp", "dem_role", "dem_wh_training"))
    assert 'name="dem_nation"' not in page  # every campaign asks the nation at enrolment


def test_the_profile_questions_are_every_question_naming_an_enrolment_field(app):
    """The survey page finds them without unpacking grids; it must find the same ones, in order."""
    instruments = [i.data for i in library().instruments.values()] + [i.data for i in library().archived.values()]
    assert any(definition.profile_questions() for definition in instruments)
    for definition in instruments:
        expected = [q.id for q in definition.questions() if getattr(q, "enrolment_field", None)]
        assert [q.id for q in definition.profile_questions()] == expected
