"""The retest in Chromium on a phone: a GP drawn for it opens the optional task two weeks after their
baseline, sees its time estimate, and answers its three short pages by tapping."""
from datetime import timedelta

from sqlalchemy import select

from survey import clock
from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.instruments.length import minutes_text, wave_seconds
from survey.library import library
from survey.surveys.models import Response
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_journeys import MODULE, answer_wave
from tests.factories import PASSWORD, make_campaign, make_user

#: With this seed the first GP of a 50% draw is drawn (see tests/evaluation/test_retest.py).
SEED = 1


def test_a_drawn_gp_answers_the_retest_on_a_phone(app, page, monkeypatch):
    campaign = make_campaign(modules=[MODULE])
    campaign.retest_enabled, campaign.retest_percent, campaign.assignment_seed = True, 50, SEED
    user = make_user()
    campaigns.enrol(user, campaign, research_consent=True)
    db.session.commit()
    definition = library().instruments[campaign.instrument_slug].data
    sign_in(page, user.email, PASSWORD)
    page.goto(f"/c/{campaign.slug}/survey/pre")
    answer_wave(page, definition, "pre", likert=3)

    later = clock.now() + timedelta(days=campaign.retest_days)
    monkeypatch.setattr(clock, "now", lambda: later)
    sign_in(page, user.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"/c/{campaign.slug}")
    with page.expect_navigation():
        page.get_by_role("link", name="Retest survey (optional)").click()
    estimate = page.locator("#time-estimate").inner_text()
    assert f"This survey takes {minutes_text(wave_seconds(definition, 'retest'))}" in estimate, estimate
    assert_accessible(page, "retest survey, first page")
    page.set_viewport_size(PHONE)
    answer_wave(page, definition, "retest", likert=4)
    assert "Thank you: your retest survey is submitted." in page.content()

    retest = db.session.scalar(select(Response).where(Response.wave == "retest"))
    assert retest.submitted_at is not None and set(retest.answer_map()) == {
        q.id for s in definition.sections_for("retest") for q in s.questions()}
