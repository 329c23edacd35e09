"""Assignment and Grade Services: a knowledge-check result reaches the platform's gradebook through a
client-credentials token, and is recorded as sent only when the platform took it."""
from sqlalchemy import select

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.library import library
from survey.lti.models import LtiAccount, LtiScore
from tests.certificates.helpers import MODULE, submit_wave
from tests.journey import answers_for, read_pages
from tests.lti.conftest import launch

MODULE_LINK = {"campaign": "back-to-work", "module": MODULE}


def joined_through_lti(client, platform, campaign, custom):
    """Launch, then join the campaign (consent as usual) and answer the pre survey, as the linked GP."""
    assert launch(client, platform, custom=custom).status_code == 302
    user = db.session.scalar(select(LtiAccount)).user
    submit_wave(campaigns.enrol(user, campaign, research_consent=True), "pre")
    return user


def take_check(client, right=None):
    module = library().modules[MODULE]
    read_pages(client, "back-to-work", module)
    form = client.get(f"/c/back-to-work/m/{MODULE}/check").get_data(as_text=True)
    return client.post(f"/c/back-to-work/m/{MODULE}/check", answers_for(form, module, right))


def test_a_launch_after_joining_opens_the_placed_module(registered, campaign, client):
    joined_through_lti(client, registered, campaign, MODULE_LINK)
    assert launch(client, registered, custom=MODULE_LINK).headers["Location"].endswith(f"/c/back-to-work/m/{MODULE}")


def test_a_passed_check_sends_the_score_to_the_line_item(registered, campaign, client):
    joined_through_lti(client, registered, campaign, MODULE_LINK)
    assert take_check(client).status_code == 200
    [score] = registered.scores["1"]
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("moodle-user-7", 100, 100)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    recorded = db.session.scalar(select(LtiScore))
    assert recorded.accepted_at is not None and recorded.error is None


def test_a_failed_check_is_sent_as_in_progress(registered, campaign, client):
    joined_through_lti(client, registered, campaign, MODULE_LINK)
    take_check(client, right=1)
    [score] = registered.scores["1"]
    assert score["scoreGiven"] < 100 and score["activityProgress"] == "InProgress"


def test_a_campaign_link_gets_the_share_of_modules_passed(registered, campaign, client):
    joined_through_lti(client, registered, campaign, {"campaign": "back-to-work"})
    take_check(client)
    assert [s["scoreGiven"] for s in registered.scores["1"]] == [100]  # its one module


def test_a_score_the_platform_refuses_is_recorded_as_not_sent(registered, campaign, client):
    joined_through_lti(client, registered, campaign, MODULE_LINK)
    registered.refuse_scores = True
    assert take_check(client).status_code == 200  # the GP's result stands
    recorded = db.session.scalar(select(LtiScore))
    assert recorded.accepted_at is None and "403" in recorded.error
    assert "1" not in registered.scores


def test_a_tool_the_platform_does_not_trust_gets_no_token(registered, campaign, client):
    joined_through_lti(client, registered, campaign, MODULE_LINK)
    registered.trust_tool_keys({"keys": []})
    take_check(client)
    recorded = db.session.scalar(select(LtiScore))
    assert recorded.accepted_at is None and "refused an access token" in recorded.error


def test_without_the_tools_key_the_score_is_recorded_as_not_sent(registered, campaign, client, app, tmp_path):
    joined_through_lti(client, registered, campaign, MODULE_LINK)
    app.config.update(LTI_KEYS_FILE=str(tmp_path / "missing.json"), SURVEY_ENV="production")
    assert take_check(client).status_code == 200
    recorded = db.session.scalar(select(LtiScore))
    assert recorded.accepted_at is None and "No LTI signing keys" in recorded.error
