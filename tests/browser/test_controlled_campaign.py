"""An educator sets up a randomised delayed-start campaign in Chromium, scripted GPs go through both arms, and
the educator's report shows the controlled analysis: the numbers on the page are analysis.py's on the same data."""
import re

from sqlalchemy import select

from survey.campaigns.models import Campaign
from survey.evaluation import power
from survey.evaluation.analysis import ancova, mixed_model, standardised_difference
from survey.evaluation.services import outcomes_locked_at
from survey.extensions import db
from survey.reports.controlled import ALL_WAVES, PERIOD_CONTRAST
from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in
from tests.campaigns.helpers import create_campaign
from tests.evaluation.helpers import DELAY, all_scores, period_scores, scripted_population
from tests.factories import PASSWORD, make_user

PRIMARY, SECONDARY = "intention_support", ["attitude_support", "confidence"]


def interval(result: dict) -> str:
    """As the report writes a difference: '+0.93 points (95% CI 0.61 to 1.25)'."""
    return f"{result['estimate']:+.2f} points (95% CI {result['ci95_low']:.2f} to {result['ci95_high']:.2f})"


def _set_up_in_the_browser(page, slug: str) -> None:
    """Design, delay, outcomes and the planner, as the educator does them on the evaluation page."""
    page.goto(f"/manage/campaigns/{slug}/evaluation")
    page.get_by_label(re.compile("^Delayed start")).check()
    page.get_by_label("Delay for the later group (days)").fill(str(DELAY))
    with page.expect_navigation():
        page.get_by_role("button", name="Save the design").click()
    assert page.get_by_text("The design is saved.").is_visible()
    assert page.get_by_text(f"randomised as they join to start at once or {DELAY} days later").is_visible()
    page.get_by_label("Primary outcome").select_option(f"{PRIMARY}|post")
    for scale in SECONDARY:
        page.locator(f'input[name="secondary"][value="{scale}|post"]').check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the outcomes").click()
    assert page.get_by_text("The outcomes are saved.").is_visible()
    assert page.get_by_text("Not locked yet: no GP has begun a survey.").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="How many GPs does this campaign need?").click()
    page.get_by_label("Expected effect").fill("0.5")
    page.get_by_label("standard deviations (d)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Work it out").click()
    expected = power.plan(0.5, sd=1.0, correlation=0.5, attrition=0.2, power=0.8, design="two-arm")
    assert page.locator(".plan-enrol").inner_text() == str(expected.enrol)  # 123: R's power.t.test, see test_against_r


def test_a_delayed_start_campaign_from_set_up_to_the_controlled_report(app, client, page):
    educator = make_user("educator", name="Erin Educator")
    client.login(educator.email, PASSWORD)
    slug = create_campaign(client)  # the campaign form itself is covered by tests/campaigns
    sign_in(page, educator.email, PASSWORD)
    _set_up_in_the_browser(page, slug)

    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    assert campaign.delayed_start and campaign.start_delay_days == DELAY
    campaign.allocation_seed = "browser-trial"  # the seed the page made, replaced so the arms are the same every run
    db.session.commit()
    expected = scripted_population(campaign, size=30, seed=8)  # both arms; some leave; the delayed arm's post too
    locked_at = outcomes_locked_at(campaign)

    page.goto(f"/educator/campaigns/{slug}/report")
    section = page.locator("section.controlled")
    primary = ancova(period_scores(expected, PRIMARY), "now", "delayed", outcome="outcome", baseline="baseline")
    assert primary["n_treated"] >= 10 and primary["n_control"] >= 10 and primary["estimate"] > 0.5
    text = " ".join(section.inner_text().split())
    assert f"{interval(primary)}, standardised effect d = {primary['standardised']:.2f}" in text
    assert f"p = {primary['p']:.3f} (n = {primary['n_treated']} and {primary['n_control']};" in text
    assert f"Locked since {app.jinja_env.filters['uk_time'](locked_at)}" in " ".join(page.inner_text("main").split())

    row = " ".join(section.locator("tr", has_text=re.compile(r"^\s*Intention")).first.inner_text().split())
    long = all_scores(expected, PRIMARY)
    model = mixed_model(long, ALL_WAVES, ["delayed", "now"], contrasts=PERIOD_CONTRAST)
    assert f"{interval(model['contrasts'][0])}, {model['n_participants']} GPs, {len(long)} answers" in row
    frame = period_scores(expected, PRIMARY)
    stayed = frame["outcome"].notna()
    smd = standardised_difference(frame.loc[stayed, "baseline"], frame.loc[~stayed, "baseline"])
    assert f"{int(stayed.sum())} / {int((~stayed).sum())}, SMD {smd:.2f}" in row and (~stayed).sum() > 0
    assert_accessible(page, "the educator's report of a delayed-start campaign")
