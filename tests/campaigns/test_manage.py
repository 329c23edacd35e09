"""Educators create, edit and close campaigns and cohorts in the browser; GPs join through cohort codes."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from survey import clock
from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.extensions import db
from tests.campaigns.helpers import MODULE, campaign_form, create_campaign, create_cohort, join_form
from tests.factories import PASSWORD, make_user


@pytest.fixture
def educator(client):
    user = make_user("educator", name="Erin Educator")
    client.login(user.email, PASSWORD)
    return user


def _campaign(slug: str) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def test_an_educator_creates_a_campaign_and_owns_it(client, educator):
    slug = create_campaign(client, **{"module-cancer-and-work": "1", f"module-{MODULE}": "2", "min_cell_size": "15"})
    campaign = _campaign(slug)
    assert slug == "cancer-and-work-2027"
    assert campaign.module_slugs == ["cancer-and-work", MODULE]  # the order the educator numbered
    assert campaign.min_cell_size == 15 and campaign.reminder_days == 7
    assert campaign.enrolment_fields == ["years_qualified", "gp_role", "nhs_region"]
    assert [e.id for e in campaign.educators] == [educator.id]  # the creator owns it
    page = client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert campaign.enrolment_code in page and "Close the campaign" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"min_cell_size": "5"}, "min_cell_size", "from 10 (the platform&#39;s minimum)"),
    ({"opens_on": "2027-03-01", "closes_on": "2027-02-01"}, "closes_on", "on or after the opening date"),
    ({f"module-{MODULE}": ""}, None, "Choose at least one module"),
    ({f"module-{MODULE}": "1", "module-cancer-and-work": "1"}, None, "two modules have position 1"),
    ({"follow_up_days": "soon"}, "follow_up_days", "whole number of days from 1 to 730"),
    ({"title": ""}, "title", "Give the campaign a title."),
    ({"validity_months": "0"}, "validity_months", "whole number of months from 1 to 120, or leave it empty"),
])
def test_bad_campaign_settings_get_a_message_beside_the_field_and_keep_the_input(client, educator, changes, field, message):
    response = client.post("/manage/campaigns/new", campaign_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    if field:
        assert f'id="{field}-error"' in page
    assert "I agree to take part." in page and "For GPs in the North West." in page  # nothing typed is lost
    assert db.session.scalar(select(Campaign.id)) is None


def test_certificates_expire_only_where_the_campaign_sets_a_validity_period(client, educator):
    assert _campaign(create_campaign(client)).validity_months is None  # left empty: never expires
    slug = create_campaign(client, title="Renewable", validity_months="36")
    assert _campaign(slug).validity_months == 36
    page = client.get(f"/manage/campaigns/{slug}/edit").get_data(as_text=True)
    assert 'name="validity_months"' in page and 'value="36"' in page


def test_the_platform_minimum_cell_size_follows_configuration(app, client, educator):
    app.config["MIN_CELL_SIZE"] = 20
    assert "from 20" in client.post("/manage/campaigns/new", campaign_form(min_cell_size="15")).get_data(as_text=True)


def test_new_consent_wording_gets_a_new_version_and_gps_keep_theirs(client, educator, make_client):
    slug = create_campaign(client, consent_version="v1")
    gp = make_client()
    gp.login(make_user().email, PASSWORD)
    code = _campaign(slug).enrolment_code
    assert gp.post(f"/join/{code}", join_form()).status_code == 302

    edit = campaign_form(consent_text="New wording: answers are kept for five years.")
    assert client.post(f"/manage/campaigns/{slug}/edit", edit).status_code == 302
    campaign = _campaign(slug)
    assert (campaign.consent_version, campaign.consent_text) == ("v2", "New wording: answers are kept for five years.")
    enrolment = db.session.scalar(select(Enrolment))
    assert (enrolment.consent_version, enrolment.consent_text) == ("v1", "I agree to take part.")
    # Saving again without changing the wording keeps v2.
    client.post(f"/manage/campaigns/{slug}/edit", edit)
    assert _campaign(slug).consent_version == "v2"


def test_modules_cannot_change_once_gps_have_enrolled(client, educator, make_client):
    slug = create_campaign(client)
    gp = make_client()
    gp.login(make_user().email, PASSWORD)
    gp.post(f"/join/{_campaign(slug).enrolment_code}", join_form())
    response = client.post(f"/manage/campaigns/{slug}/edit", campaign_form(**{"module-cancer-and-work": "2"}))
    assert response.status_code == 422
    assert "GPs have enrolled, so the modules can no longer change." in response.get_data(as_text=True)
    assert _campaign(slug).module_slugs == [MODULE]


def test_a_cohort_code_enrols_into_the_cohort_with_the_campaign_questions(client, educator, make_client):
    slug = create_campaign(client)
    cohort_id = create_cohort(client, slug, "Mersey GP training scheme")
    cohort = db.session.get(Cohort, cohort_id)
    assert [e.id for e in cohort.educators] == [educator.id]
    gp = make_client()
    gp.login(make_user().email, PASSWORD)
    page = gp.get(f"/join/{cohort.enrolment_code.lower()}").get_data(as_text=True)
    assert "Mersey GP training scheme" in page and "Years since qualifying" in page and "North East and Yorkshire" in page

    missing = gp.post(f"/join/{cohort.enrolment_code}", join_form(gp_role=None, years_qualified="70"))
    assert "Choose your role." in missing.get_data(as_text=True)
    assert "Enter a whole number from 0 to 60." in missing.get_data(as_text=True)
    assert db.session.scalar(select(Enrolment.id)) is None

    assert gp.post(f"/join/{cohort.enrolment_code}", join_form()).status_code == 302
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.cohort_id == cohort_id
    assert enrolment.profile == {"years_qualified": 12, "gp_role": "salaried", "nhs_region": "north-west"}
    # The typed code works on /join too.
    assert gp.post("/join", {"code": cohort.enrolment_code.lower()}).headers["Location"].endswith(f"/join/{cohort.enrolment_code}")


def test_duplicate_cohort_names_are_refused_beside_the_field(client, educator):
    slug = create_campaign(client)
    create_cohort(client, slug, "North")
    response = client.post(f"/manage/campaigns/{slug}/cohorts/new", {"name": "North"})
    assert "already has a cohort with that name" in response.get_data(as_text=True)


@pytest.mark.parametrize("opens, closes, message", [
    (1, None, "opens for enrolment on"),
    (None, -1, "Enrolment for this campaign closed on"),
])
def test_enrolment_is_refused_outside_the_dates(client, educator, make_client, opens, closes, message):
    today = clock.uk_today()
    slug = create_campaign(client, opens_on=str(today + timedelta(days=opens)) if opens else None,
                           closes_on=str(today + timedelta(days=closes)) if closes else None)
    gp = make_client()
    gp.login(make_user().email, PASSWORD)
    code = _campaign(slug).enrolment_code
    assert message in gp.get(f"/join/{code}").get_data(as_text=True)
    response = gp.post(f"/join/{code}", join_form())
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Enrolment.id)) is None


def test_a_closed_campaign_refuses_new_gps_but_keeps_those_enrolled(client, educator, make_client):
    slug = create_campaign(client, opens_on=str(date(2020, 1, 1)))
    code = _campaign(slug).enrolment_code
    early, late = make_client(), make_client()
    early.login(make_user().email, PASSWORD)
    late.login(make_user().email, PASSWORD)
    early.post(f"/join/{code}", join_form())
    assert client.post(f"/manage/campaigns/{slug}/close").status_code == 302
    refused = late.post(f"/join/{code}", join_form())
    assert "This campaign has closed and is no longer taking new participants." in refused.get_data(as_text=True)
    assert early.get(f"/c/{slug}").status_code == 200
    assert len(db.session.scalars(select(Enrolment)).all()) == 1


def test_progress_shows_names_only_to_the_campaigns_and_the_cohorts_educators(client, educator, make_client):
    slug = create_campaign(client)
    cohort_lead = make_user("educator")
    north = create_cohort(client, slug, "North", add_educator=cohort_lead.email)  # not yet a colleague: added by email
    south = create_cohort(client, slug, "South")
    codes = {c.id: c.enrolment_code for c in db.session.scalars(select(Cohort))}
    for name, cohort_id in (("Dr Nora North", north), ("Dr Sam South", south)):
        gp = make_client()
        gp.login(make_user(name=name).email, PASSWORD)
        gp.post(f"/join/{codes[cohort_id]}", join_form())
    participant = {e.user.name: e.participant_code for e in db.session.scalars(select(Enrolment))}

    owner_page = client.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert "Dr Nora North" in owner_page and "Dr Sam South" in owner_page

    lead = make_client()
    lead.login(cohort_lead.email, PASSWORD)
    page = lead.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert participant["Dr Sam South"] in page and participant["Dr Nora North"] in page  # codes for all
    assert "Dr Nora North" in page and "Dr Sam South" not in page  # names for their cohort only
    assert "Dr Nora North" in lead.get(f"/manage/cohorts/{north}").get_data(as_text=True)
    assert lead.get(f"/manage/cohorts/{south}").status_code == 404
    assert lead.get(f"/manage/campaigns/{slug}/edit").status_code == 404  # leading a cohort is not owning the campaign
    assert lead.post(f"/manage/campaigns/{slug}/close").status_code == 404


def test_other_educators_get_404_and_charity_users_403(client, educator, make_client):
    slug = create_campaign(client)
    cohort_id = create_cohort(client, slug, "North")
    stranger, charity = make_client(), make_client()
    stranger.login(make_user("educator").email, PASSWORD)
    charity.login(make_user("charity").email, PASSWORD)
    for path in (f"/manage/campaigns/{slug}", f"/manage/campaigns/{slug}/edit", f"/manage/cohorts/{cohort_id}",
                 f"/manage/campaigns/{slug}/invitations"):
        assert stranger.get(path).status_code == 404, path
        assert charity.get(path).status_code == 403, path
