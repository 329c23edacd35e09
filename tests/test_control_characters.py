"""Control characters and NUL: refused in every single-line field of every form, in every value of every
field (repeated fields, query strings, JSON), and in every cell of an uploaded invitation list."""
import importlib
import io
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select

import survey
from survey.auth.models import User
from survey.campaigns.models import Campaign, Cohort
from survey.extensions import db
from survey.invitations.models import Invitation
from survey.organisations.models import Organisation
from survey.web.forms import Form
from survey.web.text import one_line, single_line_problem
from tests.campaigns.helpers import campaign_form, create_campaign, upload
from tests.factories import PASSWORD, make_campaign, make_user

HOSTILE = ["Dr A\r\nBcc: victim@example.org", "Dr A\nB", "Dr A\rB", "Dr\x07A", "Dr\x1bA", "Dr\x85A", "Dr\u2028A",
           "Dr\x7fA", "Dr\tA"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_single_line_rule():
    assert single_line_problem("Dr Ada Lovelace, Mersey VTS — 2027 Ü") is None
    assert "a line break" in single_line_problem("a\r\nb")
    assert "a tab" in single_line_problem("a\tb")
    assert "U+0007" in single_line_problem("a\x07b")
    assert all(single_line_problem(value) for value in HOSTILE)
    assert one_line("Title\r\nBcc: x\x00") == "Title Bcc: x"


def test_every_form_of_the_app_derives_from_the_checking_base_form():
    """A form that bypasses the base class would skip the rule: this fails for any such form."""
    for module in pkgutil.walk_packages(survey.__path__, "survey."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("survey.")]
    assert len(ours) > 15
    assert [cls.__qualname__ for cls in ours if not issubclass(cls, Form)] == []


@pytest.mark.parametrize("hostile", HOSTILE)
def test_registration_refuses_a_control_character_in_the_name_and_keeps_what_was_typed(client, hostile):
    response = client.post("/register", {"name": hostile, "email": "a@example.org", "gmc_number": "1234567",
                                         "password": PASSWORD, "confirm": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "This must be a single line of text" in page
    assert 'value="a@example.org"' in page and 'value="1234567"' in page
    assert count(User) == 0


@pytest.mark.parametrize("path, field", [("/login", "email"), ("/reset-password", "email"), ("/join", "code")])
def test_one_line_fields_of_public_forms(client, path, field):
    response = client.post(path, {field: "a@example.org\r\nBcc: victim@example.org", "password": "x"})
    assert response.status_code == 200
    assert "This must be a single line of text" in response.get_data(as_text=True)


def test_the_verify_form_refuses_a_code_with_a_line_break(client):
    response = client.get("/verify?code=ABCDE-FGHJK%0D%0AMNPQR-STUVW")
    assert response.status_code == 200 and "single line of text" in response.get_data(as_text=True)


@pytest.fixture
def educator(client):
    user = make_user("educator")
    client.login(user.email, PASSWORD)
    return user


@pytest.mark.parametrize("hostile", HOSTILE[:3])
def test_a_campaign_title_with_a_line_break_is_refused(client, educator, hostile):
    response = client.post("/manage/campaigns/new", campaign_form(title=hostile))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422) and "This must be a single line of text, but it contains a line break" in page
    assert count(Campaign) == 0
    assert "For GPs in the North West." in page  # what was typed is still there


def test_a_description_may_have_line_breaks_but_no_other_control_characters(client, educator):
    assert client.post("/manage/campaigns/new", campaign_form(description="One\r\nTwo\tthree")).status_code == 302
    response = client.post("/manage/campaigns/new", campaign_form(title="Other", description="One\x07"))
    assert response.status_code in (200, 422) and "U+0007" in response.get_data(as_text=True)
    assert count(Campaign) == 1


def test_a_cohort_name_with_a_line_break_is_refused(client, educator):
    slug = create_campaign(client)
    response = client.post(f"/manage/campaigns/{slug}/cohorts/new", {"name": "North\r\nWest"})
    assert response.status_code == 200 and "single line of text" in response.get_data(as_text=True)
    assert count(Cohort) == 0


def test_an_organisation_name_with_a_line_break_is_refused(client, tmp_path, app):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    client.login(make_user("admin").email, PASSWORD)
    response = client.post("/manage/organisations/new", {"name": "Charity\nLtd", "colour": "#5a1e82"})
    assert response.status_code == 200 and "single line of text" in response.get_data(as_text=True)
    assert count(Organisation) == 0


def test_an_admin_audit_filter_with_a_control_character_is_not_an_error(client):
    client.login(make_user("admin").email, PASSWORD)
    assert client.get("/admin/audit?action=a%0D%0Ab").status_code < 500


# NUL (item 7): every value of every field, not only the first.
@pytest.mark.parametrize("query", ["?a=1&a=x%00y", "?x%00y=1", "?page=1&q=&q=&q=%00"])
def test_nul_in_any_value_of_a_query_string_is_refused(client, query):
    assert client.get("/login" + query).status_code == 400


def test_nul_in_a_repeated_form_field_is_refused_before_any_view(client):
    """The issue's attack: eval_comment=&eval_comment=abc%00def (the second value held the NUL)."""
    make_user(email="gp@example.org")
    client.login("gp@example.org", PASSWORD)
    response = client.post("/join", {"code": ["", "abc\x00def"], "eval_comment": ["", "abc\x00def"]})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_nul_in_a_json_body_is_refused(client):
    make_user(email="gp@example.org")
    client.login("gp@example.org", PASSWORD)
    campaign = make_campaign()
    response = client.client.post(f"/c/{campaign.slug}/survey/pre/1/autosave", json={"who_1": ["4", "a\x00"]},
                                  headers={"X-CSRFToken": client.token()})
    assert response.status_code == 400


def test_nul_in_an_uploaded_file_name_is_refused(client, educator):
    slug = create_campaign(client)
    response = client.post(f"/manage/campaigns/{slug}/invitations", {
        "cohort_id": "", "people": (io.BytesIO(b"name,email\nA,a@example.org\n"), "x\x00.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("cell", ["Dr\x00Null", "Dr\r\nBcc", "Dr\x07Bell"])
def test_an_invitation_list_with_a_bad_cell_on_row_3_rejects_only_that_row(client, educator, cell):
    slug = create_campaign(client)
    page = upload(client, slug, f"name,email\nDr Ok,ok@example.org\n\"{cell}\",bad@example.org\nDr Fine,fine@example.org\n")
    assert "2 people will be invited; 1 row rejected." in page
    assert "The row contains a line break or an invisible control character" in page
    assert "\x00" not in page and "\x07" not in page
    assert count(Invitation) == 0
