"""Who may see what: another GP's data is 404, staff pages need a staff role, errors are styled."""
import pytest

from survey.library import library
from tests.factories import PASSWORD, make_campaign, make_user
from tests.journey import answer_survey, read_pages

MODULE = "work-as-health-outcome"


@pytest.fixture
def two_gps(app, make_client):
    """Alice has enrolled and answered the baseline; Bob is a GP in another campaign."""
    campaign = make_campaign(modules=[MODULE])
    other = make_campaign(modules=[MODULE])
    alice, bob = make_user(email="alice@example.org"), make_user(email="bob@example.org")
    alice_client, bob_client = make_client(), make_client()
    alice_client.login(alice.email, PASSWORD)
    bob_client.login(bob.email, PASSWORD)
    alice_client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    bob_client.post(f"/join/{other.enrolment_code}", {"agree": "y", "nation": "england"})
    answer_survey(alice_client, campaign.slug, "pre", library().instruments["gp-work-health-attitudes"].data)
    return campaign, alice_client, bob_client


@pytest.mark.parametrize("path", [
    "/c/{slug}", "/c/{slug}/survey/pre", "/c/{slug}/survey/pre/1", f"/c/{{slug}}/m/{MODULE}",
    f"/c/{{slug}}/m/{MODULE}/1", f"/c/{{slug}}/m/{MODULE}/check", "/c/{slug}/reflection",
    "/c/{slug}/certificate", "/c/{slug}/certificate.pdf",
])
def test_a_gp_cannot_open_another_gps_campaign_pages(two_gps, path):
    campaign, alice, bob = two_gps
    url = path.format(slug=campaign.slug)
    response = bob.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)  # the styled page


def test_a_gp_cannot_post_answers_into_another_gps_survey(two_gps):
    campaign, alice, bob = two_gps
    assert bob.post(f"/c/{campaign.slug}/survey/post/1", {"who_1": "5"}).status_code == 404


@pytest.mark.parametrize("role, status", [("gp", 403), ("charity", 403), ("educator", 200), ("admin", 200)])
def test_educator_pages_need_a_staff_role(client, role, status):
    user = make_user(role)
    client.login(user.email, PASSWORD)
    response = client.get("/educator/")
    assert response.status_code == status
    if status == 403:
        assert "You do not have access" in response.get_data(as_text=True)


def test_an_educator_sees_only_campaigns_they_are_added_to(client):
    mine, theirs = make_user("educator"), make_user("educator")
    campaign = make_campaign(educators=[theirs])
    client.login(mine.email, PASSWORD)
    assert client.get(f"/educator/campaigns/{campaign.slug}").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    campaign = make_campaign()
    response = client.get(f"/c/{campaign.slug}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_enrolment_code_is_a_clear_message(client):
    response = client.post("/join", {"code": "NOPE-1234"})
    assert "could not find a campaign with that code" in response.get_data(as_text=True)
    assert 'value="NOPE-1234"' in response.get_data(as_text=True)
    link = client.get("/join/NOPE1234")
    assert link.status_code == 404 and "could not find a campaign" in link.get_data(as_text=True)


def test_tampered_values_get_messages_not_errors(two_gps):
    campaign, alice, _ = two_gps
    # A tampered page number, wave and module slug are 404s, never 500s.
    assert alice.get(f"/c/{campaign.slug}/m/{MODULE}/999").status_code == 404
    assert alice.get(f"/c/{campaign.slug}/survey/everything").status_code == 404
    assert alice.get(f"/c/{campaign.slug}/m/not-a-module/1").status_code == 404
    # A tampered knowledge-check answer: the message sits beside the question.
    read_pages(alice, campaign.slug, library().modules[MODULE])
    form = alice.get(f"/c/{campaign.slug}/m/{MODULE}/check").get_data(as_text=True)
    first = next(q for q in library().modules[MODULE].knowledge_check.questions if f'name="{q.id}"' in form)  # drawn
    response = alice.post(f"/c/{campaign.slug}/m/{MODULE}/check", {first.id: "99"})
    assert response.status_code == 200
    assert f'id="{first.id}-error">Choose from the options shown.' in response.get_data(as_text=True)


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
