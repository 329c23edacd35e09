"""Module catalogues: every module and a campaign's modules, filtered by condition with plain links."""
import re

from markupsafe import escape

from survey.learning.catalogue import tag_filters, with_tag
from survey.library import library
from tests.factories import make_campaign, make_user
from tests.learning.conftest import enrol_ready_gp, text


def card_titles(page: str) -> list[str]:
    return re.findall(r'<h2 id="module-[a-z0-9-]+">([^<]+)</h2>', page)


def test_filter_functions_keep_order_and_offer_only_used_tags(app):
    modules = list(library().modules.values())
    assert [m.slug for m in with_tag(modules, "cancer")] == ["cancer-and-work"]
    assert with_tag(modules, None) == modules
    assert with_tag(modules, "astrology") == []
    offered = [tag for tag, _ in tag_filters(with_tag(modules, "mental-health"), library().tags)]
    assert offered == ["mental-health", "vocational-support"]


def test_catalogue_lists_every_module_with_its_facts(gp, client):
    page = text(client.get("/modules"))
    modules = library().modules.values()
    assert card_titles(page) == [m.title for m in modules]
    for module in modules:
        assert escape(module.summary.split(".")[0]) in page
    assert page.count("CPD credits</span>") == len(modules) and "35 minutes" in page
    assert "<li>Musculoskeletal pain</li>" in page  # tag labels from modules/tags.yaml


def test_filter_links_work_without_javascript(gp, client):
    page = text(client.get("/modules"))
    assert 'href="/modules?tag=cancer"' in page and 'href="/modules" aria-current="page"' in page
    filtered = text(client.get("/modules?tag=vocational-support"))
    assert card_titles(filtered) == ["Mental health conditions and work", "Referring to vocational support"]
    assert 'href="/modules?tag=vocational-support" aria-current="page"' in filtered
    assert "2 modules tagged “Vocational support and referral”" in filtered
    nothing = text(client.get("/modules?tag=astrology"))
    assert card_titles(nothing) == [] and "No modules match this filter" in nothing


def test_progress_is_shown_per_campaign(gp, client):
    client.get(f"/c/{gp.slug}/m/cancer-and-work/1")
    client.post(f"/c/{gp.slug}/m/cancer-and-work/1")
    client.get(f"/c/{gp.slug}/m/cancer-and-work/2")
    page = text(client.get(f"/c/{gp.slug}/modules?tag=cancer"))
    assert card_titles(page) == ["Cancer and work"]
    assert '<progress max="7" value="1" aria-label="Cancer and work: 1 of 7 pages read">' in page
    assert "Page 2 of 7" in page and f'href="/c/{gp.slug}/m/cancer-and-work"' in page
    everything = text(client.get("/modules"))
    assert gp.campaign.title in everything and "Start<span" in everything


def test_modules_outside_the_gps_campaigns_and_locked_modules(app, client):
    user = make_user("gp")
    campaign = make_campaign(modules=["cancer-and-work"])
    client.login(user.email)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    page = text(client.get("/modules"))
    assert "Locked until you answer the baseline survey" in page
    assert page.count("Not part of your campaigns") == len(library().modules) - 1
    assert f'href="/c/{campaign.slug}/m/cancer-and-work"' not in page


def test_campaign_catalogue_is_the_gps_own(gp, client, make_client):
    other = make_client()
    enrol_ready_gp(other, modules=["cancer-and-work"])
    assert other.get(f"/c/{gp.slug}/modules").status_code == 404
    assert client.get("/c/no-such-campaign/modules").status_code == 404
    anonymous = make_client()
    assert anonymous.get("/modules").headers["Location"].startswith("/login")
