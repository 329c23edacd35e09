"""Deep Linking: an instructor picks a campaign or a module, and the platform accepts the tool's signed response."""
import re

import jwt as pyjwt

from tests.lti.conftest import launch
from tests.lti.platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, LEARNER

TOKEN = re.compile(r'name="JWT" value="([^"]+)"')


def pick(client, choice):
    response = client.post("/lti/deep-link", {"item": choice})
    return response, TOKEN.search(response.get_data(as_text=True))


def test_an_instructor_places_a_module_and_the_platform_verifies_the_response(registered, campaign, client):
    response = launch(client, registered, deep_linking=True, roles=(INSTRUCTOR,))
    assert response.headers["Location"].endswith("/lti/deep-link")
    page = client.get("/lti/deep-link").get_data(as_text=True)
    assert "Campaign" in page and "back-to-work/work-as-health-outcome" in page
    answer, token = pick(client, "back-to-work/work-as-health-outcome")
    assert f"form-action {registered.url}" in answer.headers["Content-Security-Policy"]
    assert f'action="{registered.url}/deep-link-return"' in answer.get_data(as_text=True)
    [item] = registered.accept_deep_link(token.group(1))  # signature checked with the tool's published keys
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://localhost/lti/launch"
    assert item["custom"] == {"campaign": "back-to-work", "module": "work-as-health-outcome"}
    assert item["lineItem"]["scoreMaximum"] == 100


def test_the_response_carries_the_platforms_data_and_deployment(registered, campaign, client):
    launch(client, registered, deep_linking=True, roles=(INSTRUCTOR,))
    _, token = pick(client, "back-to-work")
    claims = pyjwt.decode(token.group(1), options={"verify_signature": False})
    assert claims["iss"] == CLIENT_ID and claims["aud"] == [registered.url]
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == DEPLOYMENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == {"course-state": "opaque-42"}  # echoed unchanged
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"


def test_a_choice_is_required_and_each_request_places_once(registered, campaign, client):
    launch(client, registered, deep_linking=True, roles=(INSTRUCTOR,))
    missing, token = pick(client, "")
    assert token is None and "Choose a campaign or a module." in missing.get_data(as_text=True)
    assert pick(client, "back-to-work")[1] is not None
    assert client.get("/lti/deep-link").status_code == 400  # spent: start again from the course


def test_a_learner_cannot_place_content(registered, campaign, client):
    response = launch(client, registered, deep_linking=True, roles=(LEARNER,))
    assert response.status_code == 400 and "teachers can add content" in response.get_data(as_text=True)
