"""Pre-specified outcomes (locking, the record of later changes, shown on reports) and the sample-size planner."""
import re

import pytest
from sqlalchemy import select

from survey.evaluation.models import OutcomeChange
from survey.evaluation.power import plan
from survey.extensions import db
from survey.library import library
from tests.campaigns.helpers import create_campaign
from tests.evaluation.helpers import delayed_campaign, join
from tests.factories import PASSWORD, make_user


@pytest.fixture
def educator_client(client):
    client.user = make_user("educator", name="Erin Educator")
    client.login(client.user.email, PASSWORD)
    return client


def _outcomes(client, slug, primary, secondary=()):
    return client.post(f"/manage/campaigns/{slug}/evaluation/outcomes", {"primary": primary, "secondary": list(secondary)})


def _label(key, wave):
    scale = next(s for s in library().instruments["gp-work-health-attitudes"].scored_scales if s.key == key)
    return f"{scale.label}, {'after the course' if wave == 'post' else 'at follow-up'}"


def test_outcomes_chosen_before_any_answer_change_freely_then_lock_and_every_change_is_shown(educator_client, make_client):
    campaign = delayed_campaign(educator_client)
    slug = campaign.slug
    missing = _outcomes(educator_client, slug, "")
    assert missing.status_code == 422 and "Choose the primary outcome." in missing.get_data(as_text=True)
    clash = _outcomes(educator_client, slug, "intention_support|post", ["intention_support|post"])
    assert clash.status_code == 422 and "cannot also be a secondary one" in clash.get_data(as_text=True)

    assert _outcomes(educator_client, slug, "expect_cancer|post", ["confidence|post"]).status_code == 302
    assert _outcomes(educator_client, slug, "intention_support|post", ["confidence|post", "expect_cancer|post"]).status_code == 302
    assert db.session.scalar(select(OutcomeChange.id)) is None  # no answers yet: nothing to record
    page = educator_client.get(f"/manage/campaigns/{slug}/evaluation").get_data(as_text=True)
    assert "Not locked yet" in page and f"Primary: <strong>{_label('intention_support', 'post')}</strong>" in page

    gp, _ = join(make_client, campaign.enrolment_code)
    assert gp.get(f"/c/{slug}/survey/pre/1").status_code == 200  # the first answers begin: the choice locks
    changed = _outcomes(educator_client, slug, "expect_cancer|post", ["confidence|post"])
    assert changed.status_code == 302
    change = db.session.scalar(select(OutcomeChange))
    assert change.changed_by_id == educator_client.user.id
    assert change.before["primary"] == {"scale": "intention_support", "wave": "post"}
    assert change.after == {"primary": {"scale": "expect_cancer", "wave": "post"}, "secondary": [{"scale": "confidence", "wave": "post"}]}

    page = educator_client.get(f"/manage/campaigns/{slug}/evaluation").get_data(as_text=True)
    report = educator_client.get(f"/educator/campaigns/{slug}/report").get_data(as_text=True)
    for shown in (page, report):
        assert "Locked since" in shown and "Changed after answers existed" in shown
        assert "by Erin Educator" in shown
        assert f"primary “{_label('intention_support', 'post')}” → “{_label('expect_cancer', 'post')}”" in shown


def test_the_planner_gives_the_numbers_of_power_t_test_and_compares_them_with_enrolment(educator_client, make_client):
    campaign = delayed_campaign(educator_client)
    for _ in range(3):
        join(make_client, campaign.enrolment_code)
    url = f"/manage/campaigns/{campaign.slug}/planner"
    page = educator_client.get(url, query_string={"effect": "0.4", "unit": "points", "sd": "0.8", "correlation": "0.5",
                                                   "attrition": "20", "power": "0.9"}).get_data(as_text=True)
    expected = plan(0.4, sd=0.8, correlation=0.5, attrition=0.2, power=0.9, design="two-arm")
    assert f'<span class="plan-enrol">{expected.enrol}</span>' in page
    assert f'<span class="plan-analysed">{expected.analysed}</span>' in page
    assert '<strong class="plan-so-far">3</strong>' in page and f"{expected.enrol - 3} still needed" in page

    uncontrolled = create_campaign(educator_client, title="Before and after only")
    page = educator_client.get(f"/manage/campaigns/{uncontrolled}/planner", query_string={
        "effect": "0.5", "unit": "d", "correlation": "0.6", "attrition": "10", "power": "0.8"}).get_data(as_text=True)
    assert f'<span class="plan-enrol">{plan(0.5, 1, 0.6, 0.1, 0.8, design="paired").enrol}</span>' in page


@pytest.mark.parametrize("query, message", [
    ({"effect": "big", "unit": "points", "sd": "1", "correlation": "0.5", "attrition": "20", "power": "0.8"}, "Not a valid decimal value."),
    ({"effect": "0.3", "unit": "points", "sd": "", "correlation": "0.5", "attrition": "20", "power": "0.8"}, "Enter the standard deviation"),
    ({"effect": "0.3", "unit": "d", "correlation": "1.2", "attrition": "20", "power": "0.8"}, "Enter a correlation from 0 to 0.95."),
])
def test_the_planner_answers_bad_input_with_a_message_and_keeps_it(educator_client, query, message):
    slug = create_campaign(educator_client)
    response = educator_client.get(f"/manage/campaigns/{slug}/planner", query_string=query)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and "plan-enrol" not in page
    assert re.search(rf'value="{re.escape(query["effect"])}"', page)
