"""Version 3 of the instrument in Chromium: a GP sees the time estimate before each wave, answers
every wave (baseline, post-course, follow-up) by clicking and typing, and sees two of the four
cases (matrix sampling), each in one version, the same at every wave."""
from datetime import timedelta

from sqlalchemy import select

from survey import clock
from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.instruments.length import minutes_text, wave_seconds
from survey.library import library
from survey.surveys.models import CaseSetAssignment, PageTime, Response, VignetteAssignment
from tests.browser.conftest import sign_in
from tests.browser.test_journeys import MODULE, answer_wave, study
from tests.factories import PASSWORD, make_campaign, make_user


def test_a_gp_answers_every_wave_of_version_3_and_sees_the_time_estimate(app, page, monkeypatch):
    campaign = make_campaign(modules=[MODULE])
    user = make_user()
    campaigns.enrol(user, campaign, research_consent=True)
    db.session.commit()
    definition = library().instruments[campaign.instrument_slug].data
    assert definition.version == 3
    sign_in(page, user.email, PASSWORD)

    for wave, link in (("pre", "Baseline survey"), ("post", "Post-course survey"), ("follow_up", "Follow-up survey")):
        if wave == "post":
            page.goto(f"/c/{campaign.slug}/m/{MODULE}")
            study(page, library().modules[MODULE], user)
        if wave == "follow_up":
            later = clock.now() + timedelta(days=campaign.follow_up_days + 1)
            monkeypatch.setattr(clock, "now", lambda: later)
            sign_in(page, user.email, PASSWORD)  # months later the session has ended
        page.goto(f"/c/{campaign.slug}")
        with page.expect_navigation():
            page.get_by_role("link", name=link).click()
        estimate = page.locator("#time-estimate").inner_text()
        assert f"This survey takes {minutes_text(wave_seconds(definition, wave))}" in estimate, estimate
        answer_wave(page, definition, wave, likert=3)
        assert "submitted" in page.content()

    responses = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert [(r.wave, r.version.version, r.submitted_at is not None) for r in responses] == [
        ("pre", 3, True), ("post", 3, True), ("follow_up", 3, True)]
    assert db.session.scalar(select(PageTime).where(PageTime.visits > 0)) is not None
    # Two of the four cases, one version of each, and only those answered at every wave.
    cases = db.session.scalar(select(CaseSetAssignment)).cases
    assigned = {a.vignette_id: a.version_key for a in db.session.scalars(select(VignetteAssignment))}
    assert len(cases) == 2 and set(assigned) == set(cases)
    questions = {v.id: {q.id for q in v.questions} for v in definition.randomised_vignettes()}
    for response in responses:
        answered = set(response.answer_map())
        assert {case for case, ids in questions.items() if ids & answered} == set(cases), response.wave
