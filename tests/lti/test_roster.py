"""Names and Role Provisioning: the campaign's educator sees each placing course's roster, read from the platform."""
from survey.extensions import db
from tests.factories import PASSWORD, make_user
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR, LEARNER


def educator_of(campaign):
    educator = make_user(role="educator")
    campaign.educators.append(educator)
    db.session.commit()
    return educator


def test_the_educator_sees_the_course_roster(registered, campaign, client, make_client):
    launch(make_client(), registered, custom={"campaign": "back-to-work"})
    registered.members = [
        {"user_id": "u1", "name": "Dr Ann Example", "roles": [LEARNER], "status": "Active"},
        {"user_id": "u2", "name": "Dr Ben Tutor", "roles": [INSTRUCTOR]},
        {"user_id": "u3", "name": "Dr Cat Left", "roles": [LEARNER], "status": "Inactive"},
    ]
    client.login(educator_of(campaign).email, PASSWORD)
    page = client.get("/educator/campaigns/back-to-work/courses").get_data(as_text=True)
    assert "Test Moodle: course course-1" in page
    assert "<td>Dr Ann Example</td><td>Learner</td><td>Active</td>" in page
    assert "<td>Dr Ben Tutor</td><td>Teacher</td><td>Active</td>" in page
    assert "<td>Dr Cat Left</td><td>Learner</td><td>Inactive</td>" in page


def test_a_platform_that_refuses_the_token_shows_why(registered, campaign, client, make_client):
    launch(make_client(), registered, custom={"campaign": "back-to-work"})
    registered.trust_tool_keys({"keys": []})
    client.login(educator_of(campaign).email, PASSWORD)
    page = client.get("/educator/campaigns/back-to-work/courses").get_data(as_text=True)
    assert "The roster could not be read: the platform refused an access token" in page


def test_another_educator_cannot_see_the_roster(registered, campaign, client):
    client.login(make_user(role="educator").email, PASSWORD)
    assert client.get("/educator/campaigns/back-to-work/courses").status_code == 404
