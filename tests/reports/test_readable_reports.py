"""Reports an educator and a trustee can read: compact tables first, short PDFs, the codebook as a page."""
import io
import re

from pypdf import PdfReader

from survey.campaigns.models import Enrolment
from survey.extensions import db
from tests.factories import make_user
from tests.reports.conftest import charity_campaign
from tests.reports.test_report_access import publish, signed_in

BARRIERS = "Perceived barriers to supporting work"


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_dashboard_leads_with_a_compact_table_and_keeps_the_full_one_a_click_away(app, make_client):
    study = charity_campaign(60, seed=11)
    page = signed_in(make_client, study.educator).get(f"/educator/campaigns/{study.campaign.slug}/report")
    html = page.get_data(as_text=True)
    change = html.index("Change in attitudes and intentions")
    compact = html.index("the same GPs at both surveys", change)
    details = html.index("<details><summary>Statistician's table", compact)
    assert html.index("Wilcoxon W", change) > details  # the test statistics sit inside the details element
    assert "Change from before the course to after the course" in html[change:compact]  # the chart comes first
    assert f"{BARRIERS}\n            <span class=\"hint\">(lower is better; 1 to 5)</span>" in html
    assert "Cohen's dz (change in SDs" not in html  # no forest plot of dz


def test_the_dashboard_explains_why_it_counts_fewer_gps_than_the_campaign_page(app, make_client):
    study = charity_campaign(40, seed=12)
    enrolments = db.session.query(Enrolment).filter_by(campaign_id=study.campaign.id).count()
    html = signed_in(make_client, study.educator).get(
        f"/educator/campaigns/{study.campaign.slug}/report").get_data(as_text=True)
    counted = int(re.search(r"this report counts (\d+)\.", html)[1])
    assert f"The campaign page counts {enrolments} enrolments; this report counts {counted}." in html
    assert 0 < counted < enrolments and "did not agree to the research use of their answers or withdrew" in html


def test_no_test_or_empty_table_for_comparisons_nobody_has_answered(app, make_client):
    study = charity_campaign(30, seed=13, retention=(0.92, 0.75, 0.0))
    html = signed_in(make_client, study.educator).get(
        f"/educator/campaigns/{study.campaign.slug}/report").get_data(as_text=True)
    assert html.count("No GP has answered both of these surveys yet.") == 2  # both comparisons with the follow-up
    pairs = html[html.index("with McNemar's exact test (b:"):]
    pairs = pairs[:pairs.index("</table>")]
    assert "→ after the course" in pairs and "follow" not in pairs.lower()  # no row, so no p = 1.000, for 0 pairs
    answers = html[html.index("<h2>Answers to each item</h2>"):html.index("<h2>Reliability</h2>")]
    assert "<td>Before the course</td>" in answers and "<td>Follow-up</td>" not in answers


def test_the_educator_pdf_is_what_an_educator_reads(app, make_client):
    study = charity_campaign(150, seed=5)
    client = signed_in(make_client, study.educator)
    pages = pdf_pages(client.get(f"/educator/campaigns/{study.campaign.slug}/report.pdf").data)
    text = " ".join(pages)
    assert len(pages) <= 8, len(pages)
    assert pages[0].endswith("Page 1 of " + str(len(pages)))  # the footer of static/pdf/report.css
    assert "Change in attitudes and intentions" in text and "towards the better end" in text
    assert "Internal consistency:" not in text and "Attrition check:" not in text and "Wilcoxon W" not in text
    assert "are on the report's web page and in the results and data exports" in text


def test_the_charity_pdf_has_the_trustees_sections_in_about_four_pages(app, make_client):
    study = charity_campaign(150, seed=5)
    publish(make_client, study)
    pages = pdf_pages(signed_in(make_client, study.charity).get(
        f"/charity/reports/{study.campaign.slug}/report.pdf").data)
    text = " ".join(pages)
    assert len(pages) <= 4, len(pages)
    assert pages[0].endswith("Page 1 of " + str(len(pages)))
    for section in ("Headline findings", "What the course was", "Who took part", "What changed, and how sure we are",
                    "What was withheld, and why"):
        assert section in text, section
    assert "At follow-up, " in text and "scales that could be reported were still clearly better" in text
    assert "to at follow-up" not in text


def test_staff_open_the_codebook_of_each_instrument_version(app, make_client):
    educator = signed_in(make_client, make_user("educator"))
    v1 = educator.get("/educator/instruments/gp-work-health-attitudes/1/codebook").get_data(as_text=True)
    assert "Codebook: GP Work and Health Attitudes, version 1" in v1
    barriers = v1[v1.index(f"{BARRIERS} <code>barriers</code>"):]
    assert "Lower scores" in barriers.split("</section>")[0] and "<code>bar_1_pre</code>" in v1
    assert "<code>score_barriers_fu</code>" in v1
    v2 = educator.get("/educator/instruments/gp-work-health-attitudes/2/codebook").get_data(as_text=True)
    assert "Not summed: each item is reported on its own" in v2 and "score_barriers_pre" not in v2
    assert educator.get("/educator/instruments/gp-work-health-attitudes/99/codebook").status_code == 404
    preview = educator.get("/educator/instruments/gp-work-health-attitudes/2/pre").get_data(as_text=True)
    assert "docs/codebook.md" not in preview
    assert 'href="/educator/instruments/gp-work-health-attitudes/2/codebook"' in preview


def test_the_report_links_to_the_codebook_of_the_campaigns_version(app, make_client):
    study = charity_campaign(20, seed=14)
    html = signed_in(make_client, study.educator).get(
        f"/educator/campaigns/{study.campaign.slug}/report").get_data(as_text=True)
    assert 'href="/educator/instruments/gp-work-health-attitudes/1/codebook"' in html
    assert signed_in(make_client, study.charity).get(
        "/educator/instruments/gp-work-health-attitudes/1/codebook").status_code == 403
