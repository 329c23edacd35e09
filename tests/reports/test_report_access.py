"""Who may see which report: pages, exports, PDF and the JSON API, per role."""
import io
import json

import pytest
from pypdf import PdfReader

from survey.campaigns.models import Cohort
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.reports.stats import PAIRED_KEYS
from tests.factories import PASSWORD, make_campaign, make_user
from tests.reports.conftest import charity_campaign


@pytest.fixture
def small(app):
    return charity_campaign(24, seed=3)


def signed_in(make_client, user):
    client = make_client()
    client.login(user.email, PASSWORD)
    return client


def publish(make_client, study, user=None):
    """Publish the campaign's next charity release as its educator, through the page's form."""
    client = signed_in(make_client, user or study.educator)
    response = client.post(f"/educator/campaigns/{study.campaign.slug}/releases")
    assert response.status_code == 302
    return client


def other_charity_user():
    organisation = Organisation(slug="other-charity", name="Other Charity")
    db.session.add(organisation)
    db.session.flush()
    user = make_user("charity")
    user.organisation_id = organisation.id
    db.session.commit()
    return user


@pytest.mark.parametrize("who, status", [("educator", 200), ("admin", 200), ("other_educator", 404), ("gp", 403),
                                         ("charity", 403)])
def test_educator_report_pages_and_exports(small, make_client, who, status):
    users = {"educator": small.educator, "charity": small.charity}
    user = users.get(who) or make_user("educator" if who == "other_educator" else who)
    client = signed_in(make_client, user)
    base = f"/educator/campaigns/{small.campaign.slug}"
    for path in ("/report", "/export/long.csv", "/export/wide.csv"):
        assert client.get(base + path).status_code == status, path


def test_signed_out_visitors_are_sent_to_sign_in(small, client):
    response = client.get(f"/educator/campaigns/{small.campaign.slug}/report")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cohort_educator_sees_their_cohort_only(small, make_client):
    cohort = small.campaign.cohorts[0]
    teacher = make_user("educator")
    cohort.educators.append(teacher)
    db.session.commit()
    client = signed_in(make_client, teacher)
    base = f"/educator/campaigns/{small.campaign.slug}"
    page = client.get(f"{base}/cohorts/{cohort.id}/report")
    assert page.status_code == 200 and cohort.name in page.get_data(as_text=True)
    assert client.get(f"{base}/cohorts/{cohort.id}/export/long.csv").status_code == 200
    assert client.get(f"{base}/report").status_code == 404
    assert client.get(f"{base}/cohorts/{small.campaign.cohorts[1].id}/report").status_code == 404


def test_a_cohort_of_another_campaign_is_404(small, make_client):
    other = make_campaign(educators=[small.educator])
    cohort = Cohort(campaign_id=other.id, name="Elsewhere", enrolment_code="ELSEWHERE1")
    db.session.add(cohort)
    db.session.commit()
    client = signed_in(make_client, small.educator)
    assert client.get(f"/educator/campaigns/{small.campaign.slug}/cohorts/{cohort.id}/report").status_code == 404


def test_charities_see_only_their_organisations_campaigns(small, make_client):
    mine = signed_in(make_client, small.charity)
    index = mine.get("/charity/reports").get_data(as_text=True)
    assert small.campaign.title in index
    page = mine.get(f"/charity/reports/{small.campaign.slug}")
    assert page.status_code == 200 and "No report has been published" in page.get_data(as_text=True)
    for path in ("/report.pdf", "/summary.csv"):  # nothing to download before the first release
        assert mine.get(f"/charity/reports/{small.campaign.slug}{path}").status_code == 404
    publish(make_client, small)
    page = mine.get(f"/charity/reports/{small.campaign.slug}").get_data(as_text=True)
    assert "Release 1, published" in page and "no two\n  figures differ by fewer than 10 GPs" in page
    assert mine.get(f"/charity/reports/{small.campaign.slug}?release=2").status_code == 404
    theirs = signed_in(make_client, other_charity_user())
    assert small.campaign.title not in theirs.get("/charity/reports").get_data(as_text=True)
    for path in ("", "/report.pdf", "/summary.csv"):
        assert theirs.get(f"/charity/reports/{small.campaign.slug}{path}").status_code == 404
    assert signed_in(make_client, small.educator).get(f"/charity/reports/{small.campaign.slug}").status_code == 403
    assert signed_in(make_client, make_user("admin")).get(f"/charity/reports/{small.campaign.slug}").status_code == 200


@pytest.mark.parametrize("who, status, suppressed", [
    ("educator", 200, False), ("admin", 200, False), ("charity", 200, True), ("other_charity", 404, None),
    ("other_educator", 404, None), ("gp", 403, None), ("anonymous", 401, None),
])
def test_report_api_per_role(small, make_client, who, status, suppressed):
    users = {"educator": small.educator, "charity": small.charity}
    if who == "anonymous":
        client = make_client()
    else:
        user = users.get(who) or (other_charity_user() if who == "other_charity" else
                                  make_user("educator" if who == "other_educator" else who))
        client = signed_in(make_client, user)
    if who == "charity":  # before any release a charity has nothing; then it has the release, never live data
        assert client.get(f"/api/v1/campaigns/{small.campaign.slug}/report").status_code == 404
        publish(make_client, small)
    response = client.get(f"/api/v1/campaigns/{small.campaign.slug}/report")
    assert response.status_code == status and response.mimetype == "application/json"
    body = json.loads(response.data)
    if status != 200:
        assert "error" in body and "funnel" not in body
        return
    if suppressed:
        assert list(body)[:3] == ["release", "release_format", "campaign"] and body["release"]["number"] == 1
        assert body["min_cell_size"] == 10 and body["count_base"] == 5 and "comparisons" not in body
        assert {(c["from"], c["to"]) for c in body["changes"]} <= {("pre", "post"), ("pre", "follow_up"),
                                                                    ("post", "follow_up")}
        return
    assert body["suppressed"] is suppressed and body["min_cell_size"] == 10
    assert list(body)[:2] == ["report_version", "campaign"]
    assert {"campaign", "min_cell_size", "funnel", "comparisons", "alpha"} <= set(body)
    assert body["campaign"]["slug"] == small.campaign.slug
    assert [(c["from"], c["to"]) for c in body["comparisons"]] == [("pre", "post"), ("pre", "follow_up"),
                                                                   ("post", "follow_up")]
    assert set(PAIRED_KEYS) | {"scale", "p_holm"} <= set(body["comparisons"][0]["scales"][0])
    assert {"scale", "wave", "alpha", "ci95_low", "ci95_high", "n"} <= set(body["alpha"][0])


def test_unknown_campaign_is_404_everywhere(app, make_client):
    admin = signed_in(make_client, make_user("admin"))
    assert admin.get("/api/v1/campaigns/nope/report").status_code == 404
    assert admin.get("/educator/campaigns/nope/report").status_code == 404
    assert admin.get("/charity/reports/nope").status_code == 404


def test_a_campaign_without_answers_still_reports(app, make_client):
    educator = make_user("educator")
    campaign = make_campaign(educators=[educator])
    client = signed_in(make_client, educator)
    assert client.get(f"/educator/campaigns/{campaign.slug}/report").status_code == 200
    body = json.loads(client.get(f"/api/v1/campaigns/{campaign.slug}/report").data)
    assert body["funnel"]["enrolled"] == 0 and body["comparisons"][0]["scales"] == []


def test_pages_link_to_the_reports(small, make_client):
    educator = signed_in(make_client, small.educator)
    page = educator.get(f"/educator/campaigns/{small.campaign.slug}").get_data(as_text=True)
    assert f"/educator/campaigns/{small.campaign.slug}/report" in page
    assert "/charity/reports" in signed_in(make_client, small.charity).get("/").get_data(as_text=True)


def test_the_charity_pdf_is_branded_and_summarises_in_plain_words(app, make_client):
    study = charity_campaign(150, seed=5)
    publish(make_client, study)
    client = signed_in(make_client, study.charity)
    response = client.get(f"/charity/reports/{study.campaign.slug}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).split())
    assert study.organisation.name in text and "release 1" in text
    assert "Knowledge and confidence in discussing work rose by" in text
    assert "on a 1 to 5 scale where higher is better (the 95% interval runs from" in text
    assert "Perceived barriers to supporting work fell by" in text and "lower is better" in text
    assert "no figure describes fewer than 10 GPs" in text  # the disclosure rules are stated
