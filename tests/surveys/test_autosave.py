"""Autosave (static/js/survey.js posts here): valid answers only, messages as JSON, never an error
on partial input, refused after submission; and resuming on another device after signing out."""
from sqlalchemy import select

from survey.extensions import db
from survey.surveys.models import Answer, Response
from tests.factories import PASSWORD, make_campaign, make_user

PAGE1 = {"out_1": "4", "out_2": "2", "out_3": "5", "referred": "yes", "referred_count": "7"}


def autosave_url(campaign, page: int = 1, wave: str = "pre") -> str:
    return f"/c/{campaign.slug}/survey/{wave}/{page}/autosave"


def stored() -> dict[str, str]:
    return dict(db.session.execute(select(Answer.item_id, Answer.value)).tuples().all())


def test_partial_page_saves_what_is_valid_and_reports_the_rest(enrolled):
    campaign, gp = enrolled()
    gp.get(f"/c/{campaign.slug}/survey/pre")
    response = gp.post(autosave_url(campaign), {"out_1": "4", "out_2": "9", "referred": "yes", "referred_count": "lots"})
    assert response.status_code == 200
    assert response.get_json() == {
        "saved": True,
        "errors": {"out_2": "Choose one point on the scale.", "referred_count": "Enter a number, for example 12."},
        "unanswered": ["out_3"],
    }
    assert stored() == {"out_1": "4", "referred": "yes"}
    # Autosave never moves the GP on: they resume on the page they were filling in.
    assert db.session.scalar(select(Response.current_section)) == 1


def test_invalid_input_never_overwrites_a_stored_answer_and_emptying_clears_it(enrolled):
    campaign, gp = enrolled()
    gp.get(f"/c/{campaign.slug}/survey/pre")
    gp.post(autosave_url(campaign), PAGE1)
    assert stored() == PAGE1
    gp.post(autosave_url(campaign), {**PAGE1, "referred_count": "7.5"})
    assert stored()["referred_count"] == "7"
    gp.post(autosave_url(campaign), {**PAGE1, "out_3": ""})
    assert "out_3" not in stored()
    # A condition switched off clears the answer it hid.
    gp.post(autosave_url(campaign), {**PAGE1, "referred": "no"})
    assert "referred_count" not in stored()


def test_an_empty_or_tampered_request_is_answered_not_an_error(enrolled):
    campaign, gp = enrolled()
    gp.get(f"/c/{campaign.slug}/survey/pre")
    empty = gp.post(autosave_url(campaign), {})
    assert empty.status_code == 200 and empty.get_json()["errors"] == {}
    odd = gp.post(autosave_url(campaign), {"out_1": ["1", "2"], "unknown_item": "x", "referred": "<script>"})
    assert odd.status_code == 200
    assert odd.get_json()["errors"] == {"out_1": "Choose one point on the scale.", "referred": "Choose one of the options."}
    assert stored() == {}
    assert gp.post(autosave_url(campaign, page=9)).status_code == 404


def test_autosave_is_refused_after_submission(enrolled):
    campaign, gp = enrolled()
    gp.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)
    gp.post(f"/c/{campaign.slug}/survey/pre/2", {"services": "ohs", "ann_fit_note": "not_fit", "ann_chance": "5"})
    before = stored()
    late = gp.post(autosave_url(campaign), {**PAGE1, "out_1": "1"})
    assert late.status_code == 409
    assert late.get_json() == {"saved": False,
                               "message": "This survey is already submitted, so its answers can no longer change."}
    assert stored() == before


def test_autosave_needs_an_open_wave_a_csrf_token_and_the_gps_own_enrolment(enrolled, make_client, app):
    campaign, gp = enrolled()
    closed = gp.post(autosave_url(campaign, wave="post"), {"out_1": "4"})
    assert closed.status_code == 409 and closed.get_json()["message"] == "This survey is not open yet."
    assert db.session.scalar(select(Response)) is None  # nothing was started
    assert "not open yet" not in gp.get(f"/c/{campaign.slug}").get_data(as_text=True)  # no stray message later

    gp.get(f"/c/{campaign.slug}/survey/pre")
    with app.app_context():
        no_token = gp.client.post(autosave_url(campaign), data={"out_1": "4"})
    assert no_token.status_code == 400 and stored() == {}

    other_campaign, other_gp = enrolled()
    assert other_gp.post(autosave_url(campaign), {"out_1": "4"}).status_code == 404
    signed_out = make_client().post(autosave_url(campaign), {"out_1": "4"})
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert stored() == {}


def test_resume_after_signing_out_lands_on_the_page_with_its_answers(app, make_client):
    campaign = make_campaign(instrument="every-item-type")
    user = make_user(email="jo@example.org")
    laptop = make_client()
    laptop.login(user.email, PASSWORD)
    laptop.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    laptop.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)
    laptop.post(autosave_url(campaign, page=2), {"services": ["ohs", "ips"], "ann_chance": "40"})
    laptop.post("/logout")
    assert laptop.get(f"/c/{campaign.slug}/survey/pre").status_code == 302  # to the sign-in page

    phone = make_client()
    phone.login(user.email, PASSWORD)
    resumed = phone.get(f"/c/{campaign.slug}/survey/pre")
    assert resumed.headers["Location"].endswith(f"/c/{campaign.slug}/survey/pre/2")
    page = phone.get(resumed.headers["Location"]).get_data(as_text=True)
    assert 'name="services" value="ohs" checked' in page and 'name="services" value="ips" checked' in page
    assert 'value="40"' in page
    back = phone.get(f"/c/{campaign.slug}/survey/pre/1").get_data(as_text=True)
    assert 'name="referred" value="yes" checked' in back and 'name="referred_count" value="7"' in back
