"""Delayed-start campaigns through the pages: the design setting, allocation at enrolment, the delayed arm's wait."""
import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.campaigns.models import Campaign
from survey.evaluation.allocation import allocation_sequence
from survey.evaluation.models import Allocation
from survey.extensions import db
from survey.library import library
from tests.campaigns.helpers import MODULE, create_campaign, create_cohort
from tests.evaluation.helpers import DELAY, arm_of, days_later, delayed_campaign, join, one_of_each_arm
from tests.factories import PASSWORD, make_user
from tests.journey import answer_survey, mails_to, study_module


@pytest.fixture
def educator_client(client):
    client.user = make_user("educator", name="Erin Educator")
    client.login(client.user.email, PASSWORD)
    return client


def _definition():
    return library().instruments["gp-work-health-attitudes"].data


def test_the_design_needs_a_delay_keeps_the_input_and_is_fixed_once_a_gp_enrols(educator_client, make_client):
    slug = create_campaign(educator_client)
    url = f"/manage/campaigns/{slug}/evaluation/design"
    refused = educator_client.post(url, {"design": "delayed-start", "start_delay_days": "", "stratify_by_cohort": "y"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Enter a whole number of days from 7 to 365." in page
    assert re.search(r'<input[^>]*checked[^>]*value="delayed-start"', page)  # the choice is kept
    assert re.search(r'<input[^>]*checked[^>]*name="stratify_by_cohort"', page)
    assert "fixed once any GP has enrolled" in page
    assert educator_client.post(url, {"design": "delayed-start", "start_delay_days": "30"}).status_code == 302
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    assert (campaign.design, campaign.start_delay_days) == ("delayed-start", 30)

    join(make_client, campaign.enrolment_code)
    again = educator_client.post(url, {"design": "uncontrolled"})
    assert again.status_code == 422 and "GPs have enrolled, so the design can no longer change." in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).design == "delayed-start"


def test_allocation_at_enrolment_is_balanced_reproducible_and_concealed_from_staff(educator_client, make_client):
    campaign = delayed_campaign(educator_client)
    enrolments = [join(make_client, campaign.enrolment_code)[1] for _ in range(12)]
    _, declined = join(make_client, campaign.enrolment_code, research_consent=None)

    arms = [arm_of(e) for e in enrolments]
    assert arms == allocation_sequence(campaign.allocation_seed, "campaign", 12)  # re-derived from the seed
    counts = Counter(arms)
    assert abs(counts["now"] - counts["delayed"]) <= 2  # permuted blocks of 2 or 4
    assert arm_of(declined) is None  # only GPs who consent to research use are randomised
    allocation = db.session.scalar(select(Allocation).where(Allocation.enrolment_id == enrolments[0].id))
    assert allocation.allocated_at is not None and allocation.position == 0

    staff = educator_client.get(f"/manage/campaigns/{campaign.slug}").get_data(as_text=True)
    evaluation = educator_client.get(f"/manage/campaigns/{campaign.slug}/evaluation").get_data(as_text=True)
    assert f"{counts['now']} to start now, {counts['delayed']} to start later" in evaluation
    for page in (staff, evaluation):
        assert "delayed" not in page.lower().replace("delayed start", "")  # no arm beside any GP


def test_stratified_allocation_follows_each_cohorts_own_sequence(educator_client, make_client):
    campaign = delayed_campaign(educator_client, delay=14, stratify=True)
    cohorts = [create_cohort(educator_client, campaign.slug, name) for name in ("North", "South")]
    db.session.expire_all()
    assert campaign.stratify_by_cohort
    by_cohort = {}
    for cohort in campaign.cohorts:
        by_cohort[cohort.id] = [arm_of(join(make_client, cohort.enrolment_code)[1]) for _ in range(6)]
    for cohort_id in cohorts:
        assert by_cohort[cohort_id] == allocation_sequence(campaign.allocation_seed, f"cohort:{cohort_id}", 6)


def test_the_delayed_arm_waits_answers_a_second_baseline_and_only_then_studies(app, educator_client, make_client, monkeypatch):
    campaign = delayed_campaign(educator_client)
    slug, definition, module = campaign.slug, _definition(), library().modules[MODULE]
    arms = one_of_each_arm(make_client, campaign.enrolment_code)
    now_gp, delayed_gp = arms["now"][0], arms["delayed"][0]
    opens = arms["delayed"][1].consented_at  # allocated as they joined
    for gp in (now_gp, delayed_gp):
        answer_survey(gp, slug, "pre", definition)

    # The immediate arm studies at once and never sees a second baseline.
    assert now_gp.get(f"/c/{slug}/m/{MODULE}/1").status_code == 200
    assert now_gp.get(f"/c/{slug}/survey/pre2").headers["Location"].endswith(f"/c/{slug}")

    # The delayed arm is told, with the date, when the course opens, and cannot open it before.
    overview = delayed_gp.get(f"/c/{slug}").get_data(as_text=True)
    date = opens + timedelta(days=DELAY)
    when = f"{date.day} {date:%B %Y}"
    assert f"Your course opens on {when}" in overview and f"your course opens on {when}" in overview
    assert delayed_gp.get(f"/c/{slug}/m/{MODULE}/1").headers["Location"].endswith(f"/c/{slug}")
    assert delayed_gp.get(f"/c/{slug}/survey/pre2").headers["Location"].endswith(f"/c/{slug}")
    staff = educator_client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert "Waiting for their course to open" in staff and "Your course opens" not in staff

    days_later(monkeypatch, DELAY, delayed_gp, educator_client)
    app.test_cli_runner().invoke(args=["send-reminders"])
    mail = mails_to(app, delayed_gp.user.email)
    assert any("Your wait for" in text and "second survey" in text for text in mail)
    assert delayed_gp.get(f"/c/{slug}/m/{MODULE}/1").headers["Location"].endswith(f"/c/{slug}")  # still the survey first
    answer_survey(delayed_gp, slug, "pre2", definition)
    study_module(delayed_gp, slug, module)
    assert "Answer the post-course survey" in delayed_gp.get(f"/c/{slug}").get_data(as_text=True)


def test_the_second_baseline_asks_what_both_the_baseline_and_the_post_survey_ask(app):
    definition = _definition()
    pre, post = ({s.key for s in definition.sections_for(w)} for w in ("pre", "post"))
    assert [s.key for s in definition.sections_for("pre2")] == [s.key for s in definition.sections
                                                                 if s.key in pre & post]
    assert definition.sections_for("pre2")
