"""The GP's nation (asked on joining, editable after) puts their nation's routes first; a campaign's
local routes page appears in the referral module after the national routes; educators see review dates."""
import re
from datetime import date, datetime, UTC

import pytest
from markupsafe import escape
from sqlalchemy import select

from survey import clock
from survey.audit.models import AuditEvent
from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.learning.local_routes import LOCAL_ROUTES_FILE
from survey.library import library
from tests.factories import make_campaign, make_user
from tests.learning.conftest import enrol_ready_gp, text

REFERRAL = "referring-to-vocational-support"
ROUTES_PAGE = "03-what-exists-now.md"


def nations_shown(html: str) -> list[str]:
    """The nations' sections in the order shown, and which is open."""
    return re.findall(r'<details class="nation"( open="")?><summary>([^<]*)</summary>', html)


def routes_page(client, slug: str) -> str:
    number = library().modules[REFERRAL].page_number_of(ROUTES_PAGE)
    return text(client.get(f"/c/{slug}/m/{REFERRAL}/{number}"))


def test_a_gp_in_scotland_sees_the_scottish_route_first(app, client):
    gp = enrol_ready_gp(client, modules=[REFERRAL], nation="scotland")
    assert db.session.scalar(select(Enrolment.nation).where(Enrolment.user_id == gp.user.id)) == "scotland"
    shown = nations_shown(routes_page(client, gp.slug))
    assert shown[0] == (' open=""', "Scotland (where you practise)")
    assert [name for _, name in shown[1:]] == ["England", "Wales", "Northern Ireland"]
    assert all(not is_open for is_open, _ in shown[1:])
    first = routes_page(client, gp.slug).split('<details class="nation"')[1]
    assert "Working Health Services Scotland" in first


def test_nation_is_required_on_joining_and_is_kept_on_an_error(app, client):
    campaign = make_campaign(modules=[REFERRAL])
    client.login(make_user("gp").email)
    form = text(client.get(f"/join/{campaign.enrolment_code}"))
    assert "Which UK nation do you mainly practise in?" in form
    refused = client.post(f"/join/{campaign.enrolment_code}", {"agree": "y"})
    assert refused.status_code == 200 and "Choose the UK nation you mainly practise in." in text(refused)
    assert db.session.scalar(select(Enrolment)) is None
    kept = text(client.post(f"/join/{campaign.enrolment_code}", {"nation": "wales"}))  # consent not ticked
    assert re.search(r'<option selected value="wales">|<option value="wales" selected', kept)
    bogus = client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "atlantis"})
    assert "Not a valid choice" in text(bogus) and db.session.scalar(select(Enrolment)) is None


def test_the_nation_is_changed_on_the_overview_and_offered_when_joining_again(app, client):
    gp = enrol_ready_gp(client, modules=[REFERRAL], nation="england")
    assert nations_shown(routes_page(client, gp.slug))[0][1] == "England (where you practise)"
    assert 'value="england" selected' in text(client.get(f"/c/{gp.slug}")) or \
        '<option selected value="england">' in text(client.get(f"/c/{gp.slug}"))
    assert client.post(f"/c/{gp.slug}/nation", {"nation": "atlantis"}).status_code == 400
    assert client.post(f"/c/{gp.slug}/nation", {"nation": "northern-ireland"}).status_code == 302
    assert nations_shown(routes_page(client, gp.slug))[0][1] == "Northern Ireland (where you practise)"
    second = make_campaign(modules=[REFERRAL])
    assert re.search(r'value="northern-ireland" selected|selected value="northern-ireland"',
                     text(client.get(f"/join/{second.enrolment_code}")))


def test_an_enrolment_without_a_nation_uses_the_most_recent_one_or_shows_all_collapsed(app, client):
    gp = enrol_ready_gp(client, modules=[REFERRAL], nation="wales")
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == gp.user.id))
    enrolment.nation = None  # joined before the question was asked
    db.session.commit()
    html = routes_page(client, gp.slug)
    assert all(not is_open for is_open, _ in nations_shown(html)) and "Tell us your nation" in html
    later = make_campaign(modules=[REFERRAL])
    client.post(f"/join/{later.enrolment_code}", {"agree": "y", "nation": "scotland"})
    assert nations_shown(routes_page(client, gp.slug))[0][1] == "Scotland (where you practise)"


@pytest.fixture
def educator_and_campaign(app):
    educator = make_user("educator")
    return educator, make_campaign(modules=[REFERRAL], educators=[educator])


def test_an_educator_adds_local_routes_that_the_campaigns_gps_see_after_the_national_routes(app, make_client,
                                                                                           educator_and_campaign):
    educator, campaign = educator_and_campaign
    staff = make_client()
    staff.login(educator.email)
    url = f"/manage/campaigns/{campaign.slug}/local-routes"
    assert "Add local routes page" in text(staff.get(f"/manage/campaigns/{campaign.slug}"))
    saved = staff.post(url, {"text": "## Our services\n\nRing the **Anytown** hub.<script>alert(1)</script>"})
    assert saved.status_code == 302
    page = text(staff.get(url))
    assert "<strong>Anytown</strong>" in page and "<script>alert" not in page  # preview, sanitised
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "campaign.local_routes")) is not None

    gp_client = make_client()
    gp = enrol_ready_gp(gp_client, campaign=campaign)
    module = library().modules[REFERRAL]
    national = module.page_number_of(ROUTES_PAGE)
    local = text(gp_client.get(f"/c/{gp.slug}/m/{REFERRAL}/{national + 1}"))
    assert "<strong>Anytown</strong>" in local and "<script>alert" not in local and "Local routes where you work" in local
    assert f"Page {national + 1} of {module.page_count + 1}" in local
    assert "Anytown" not in text(gp_client.get(f"/c/{gp.slug}/m/{REFERRAL}/{national}"))
    last = text(gp_client.get(f"/c/{gp.slug}/m/{REFERRAL}/{module.page_count + 1}"))
    assert "Go to the knowledge check" in last

    other_client = make_client()  # another campaign's GP does not see it
    other = enrol_ready_gp(other_client, modules=[REFERRAL])
    assert "Anytown" not in text(other_client.get(f"/c/{other.slug}/m/{REFERRAL}/{national + 1}"))
    assert other_client.get(f"/c/{other.slug}/m/{REFERRAL}/{module.page_count + 1}").status_code == 404


def test_local_routes_errors_keep_the_text_and_only_the_campaigns_educators_may_edit(app, make_client,
                                                                                   educator_and_campaign):
    educator, campaign = educator_and_campaign
    staff = make_client()
    staff.login(educator.email)
    url = f"/manage/campaigns/{campaign.slug}/local-routes"
    broken = "::: four-nations Where\n#### England\nE\n:::\nMy careful draft"
    response = staff.post(url, {"text": broken})
    assert response.status_code == 422 and escape("'#### Scotland' is missing") in text(response)
    assert "My careful draft" in text(response)
    too_long = staff.post(url, {"text": "x" * 20_001})
    assert too_long.status_code == 422 and "under 20,000 characters" in text(too_long)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).local_routes == ""
    outsider = make_client()
    outsider.login(make_user("educator").email)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"text": "Mine now"}).status_code == 404


def test_educators_see_which_modules_are_due_for_review(app, client, monkeypatch):
    educator = make_user("educator")
    module = library().modules[REFERRAL]
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 1, 12, tzinfo=UTC))
    client.login(educator.email)  # sessions end when the clock moves on, so sign in at each date
    page = text(client.get("/educator/modules/"))
    assert "No module is due for review" in page or f'href="#module-{REFERRAL}"' not in page.split("Due for review")[1][:2000]
    soon = module.review_by.toordinal() - 30
    monkeypatch.setattr(clock, "now", lambda: datetime.combine(date.fromordinal(soon), datetime.min.time(), UTC))
    client.login(educator.email)
    due = text(client.get("/educator/modules/")).split('id="review-due"')[1].split("</section>")[0]
    assert f'href="#module-{REFERRAL}"' in due and "review by" in due
    late = module.review_by.toordinal() + 1
    monkeypatch.setattr(clock, "now", lambda: datetime.combine(date.fromordinal(late), datetime.min.time(), UTC))
    client.login(educator.email)
    overdue = text(client.get("/educator/modules/")).split('id="review-due"')[1].split("</section>")[0]
    assert "overdue since" in overdue


def test_local_routes_page_file_name_is_not_a_module_page(app):
    for module in library().modules.values():
        assert LOCAL_ROUTES_FILE not in [p.file for p in module.pages]


def test_educators_preview_a_page_as_a_gp_in_each_nation(app, client):
    client.login(make_user("educator").email)
    number = library().modules[REFERRAL].page_number_of(ROUTES_PAGE)
    unset = text(client.get(f"/educator/modules/{REFERRAL}/{number}"))
    assert all(not is_open for is_open, _ in nations_shown(unset)) and "See this page as a GP in" in unset
    wales = text(client.get(f"/educator/modules/{REFERRAL}/{number}?nation=wales"))
    assert nations_shown(wales)[0] == (' open=""', "Wales (where you practise)")
    bogus = text(client.get(f"/educator/modules/{REFERRAL}/{number}?nation=<script>"))
    assert "<script>" not in bogus and all(not is_open for is_open, _ in nations_shown(bogus))
