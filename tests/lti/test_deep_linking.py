"""Deep Linking: an instructor picks a campaign or a module, and the platform accepts the tool's signed response.

Moodle 4.5 opens the choice in an iframe of its own page, where a cross-site browser sends none of our
SameSite=Lax cookies: the choice is posted here from a client without cookies, and the pages may be framed by
the requesting platform alone.
"""
import re
from datetime import timedelta

import jwt as pyjwt

from survey import clock
from survey.lti.deep_linking import CHOICE_MINUTES
from tests.lti.conftest import launch
from tests.lti.platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, LEARNER

TOKEN = re.compile(r'name="JWT" value="([^"]+)"')
SEALED = re.compile(r'name="choice_request" type="hidden" value="([^"]+)"')


def choice_page(client, platform):
    response = launch(client, platform, deep_linking=True, roles=(INSTRUCTOR,))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response, SEALED.search(response.get_data(as_text=True)).group(1)


def framed_post(app, data: dict):
    """The choice posted from inside the platform's frame: no cookie of ours comes with it."""
    with app.app_context():
        return app.test_client(use_cookies=False).post("/lti/deep-link", data=data)


def pick(app, sealed: str, choice: str):
    response = framed_post(app, {"choice_request": sealed, "item": choice})
    return response, TOKEN.search(response.get_data(as_text=True))


def test_an_instructor_places_a_module_from_inside_the_platforms_frame(app, registered, campaign, client):
    page, sealed = choice_page(client, registered)
    assert "Campaign" in page.get_data(as_text=True) and "back-to-work/work-as-health-outcome" in page.get_data(as_text=True)
    assert f"frame-ancestors {registered.url}" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    answer, token = pick(app, sealed, "back-to-work/work-as-health-outcome")
    policy = answer.headers["Content-Security-Policy"]
    assert f"form-action {registered.url}" in policy and f"frame-ancestors {registered.url}" in policy
    assert f'action="{registered.url}/deep-link-return"' in answer.get_data(as_text=True)
    [item] = registered.accept_deep_link(token.group(1))  # signature checked with the tool's published keys
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://localhost/lti/launch"
    assert item["custom"] == {"campaign": "back-to-work", "module": "work-as-health-outcome"}
    assert item["lineItem"]["scoreMaximum"] == 100


def test_the_response_carries_the_platforms_data_and_deployment(app, registered, campaign, client):
    _, sealed = choice_page(client, registered)
    _, token = pick(app, sealed, "back-to-work")
    claims = pyjwt.decode(token.group(1), options={"verify_signature": False})
    assert claims["iss"] == CLIENT_ID and claims["aud"] == [registered.url]
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == DEPLOYMENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == {"course-state": "opaque-42"}  # echoed unchanged
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"


def test_a_choice_is_required_and_the_page_keeps_the_request(app, registered, campaign, client):
    _, sealed = choice_page(client, registered)
    missing, token = pick(app, sealed, "")
    page = missing.get_data(as_text=True)
    assert missing.status_code == 200 and token is None and "Choose a campaign or a module." in page
    assert pick(app, SEALED.search(page).group(1), "back-to-work")[1] is not None


def test_a_choice_not_sealed_by_a_launch_or_too_old_is_refused(app, registered, campaign, client, monkeypatch):
    _, sealed = choice_page(client, registered)
    for forged in ("", sealed[:-4] + "AAAA"):
        refused = framed_post(app, {"choice_request": forged, "item": "back-to-work"})
        assert refused.status_code == 400 and "did not come from your course" in refused.get_data(as_text=True)
        assert refused.headers["X-Frame-Options"] == "DENY"  # nothing but the choice itself may be framed
    later = clock.now() + timedelta(minutes=CHOICE_MINUTES + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = framed_post(app, {"choice_request": sealed, "item": "back-to-work"})
    assert expired.status_code == 400 and "too long ago" in expired.get_data(as_text=True)


def test_a_learner_cannot_place_content(registered, campaign, client):
    response = launch(client, registered, deep_linking=True, roles=(LEARNER,))
    assert response.status_code == 400 and "teachers can add content" in response.get_data(as_text=True)
