"""A charity reader opens the published release in Chromium and downloads its PDF, whose text is parsed."""
import io
import os
import re

from pypdf import PdfReader

from survey.extensions import db
from survey.organisations.services import save_organisation
from survey.reports.releases import publish_release
from tests.access_world import _png
from tests.browser.conftest import DESKTOP, PROJECT, sign_in
from tests.factories import PASSWORD
from tests.reports.conftest import charity_campaign

SCREENSHOTS = PROJECT / "docs" / "screenshots"


def test_the_charity_reads_its_release_and_its_trustee_pdf(app, browser, live_server):
    study = charity_campaign(150, seed=5)
    save_organisation(study.organisation, study.organisation.name, "#7a1f5c", _png())
    publish_release(study.educator, study.campaign)
    db.session.commit()
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    sign_in(page, study.charity.email, PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Your campaign reports").click()
    with page.expect_navigation():
        page.get_by_role("link", name=study.campaign.title).click()
    assert page.get_by_role("heading", name="Headline findings").is_visible()
    assert page.get_by_role("img", name=re.compile("Change from before the course to after the course")).is_visible()
    assert page.locator("img.brand-logo").get_attribute("src").startswith("data:image/png;base64,")
    if os.environ.get("UPDATE_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "charity-release-desktop.png"), full_page=False)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Report \\(PDF\\)")).click()
    data = download.value.path().read_bytes()
    if os.environ.get("UPDATE_SCREENSHOTS"):  # README: its first page, drawn with `gs -r60 -dFirstPage=1 ...`
        (SCREENSHOTS / "charity-report.pdf").write_bytes(data)
    pdf = PdfReader(io.BytesIO(data))
    pages = [" ".join(p.extract_text().split()) for p in pdf.pages]
    first, text = pages[0], " ".join(pages)
    assert study.organisation.name in first and "release 1" in first and "Headline findings" in first
    assert "took part" in first and "rose by" in first and "a change for the better" in first
    assert "no clear evidence of change" in text and "the 95% interval runs from" in text
    assert "What the course was" in text and "Who took part" in text and "What was withheld, and why" in text
    assert "What changed, and how sure we are" in text
    assert "Cronbach" not in text and "Holm" not in text and "Wilcoxon" not in text  # for trustees, not statisticians
    assert not re.search(r"(?<![<\d])\d+\.\d{3,}", text)  # nothing at full precision
    assert len(pages) <= 4, len(pages)  # about four pages, as the issue asks
    context.close()


def test_the_educator_sees_the_live_report_and_publishes_a_release(app, browser, live_server):
    study = charity_campaign(150, seed=5)
    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, study.educator.email, PASSWORD)
    page.goto(f"/educator/campaigns/{study.campaign.slug}/report")
    assert page.get_by_role("heading", name="Summary").is_visible()
    if os.environ.get("UPDATE_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "educator-report-desktop.png"), full_page=False)
    change = page.get_by_role("img", name="Change from before the course to after the course")
    change.scroll_into_view_if_needed()
    assert change.is_visible()
    if os.environ.get("UPDATE_SCREENSHOTS"):
        page.get_by_role("heading", name="Change in attitudes and intentions").evaluate("h => h.scrollIntoView()")
        page.screenshot(path=str(SCREENSHOTS / "educator-report-change-desktop.png"), full_page=False)
    wilcoxon = page.get_by_role("columnheader", name="Wilcoxon W").first
    assert not wilcoxon.is_visible()  # the statistician's table is one click away
    page.get_by_text("Statistician's table").first.click()
    assert wilcoxon.is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Publish today's report")).click()
    assert page.get_by_text("Release 1 published").is_visible()
    assert page.get_by_text(re.compile(r"Release 1, published \d{4}-\d\d-\d\d")).is_visible()
    context.close()
