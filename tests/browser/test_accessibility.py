"""Every page of every module and its knowledge check, at 375 px and desktop widths, in headless Chromium:
no serious or critical axe-core (WCAG 2.2 AA) violations, no sideways scrolling on a phone, and each
module completed end to end in the browser."""
import pytest

from survey.library import library
from tests.browser.axe import assert_accessible
from tests.browser.conftest import answer_check, grant_study_time, sign_in
from tests.factories import make_user

MODULES = ["work-as-health-outcome", "cancer-and-work", "mental-health-and-work", "musculoskeletal-and-work",
           "referring-to-vocational-support"]


def test_module_list_is_the_shipped_one(app):
    assert sorted(MODULES) == sorted(library().modules)


@pytest.mark.parametrize("slug", MODULES)
def test_every_page_and_the_check_are_accessible_and_completable(gp, page, slug):
    module = library().modules[slug]
    sign_in(page, gp.user.email)
    page.goto(f"/c/{gp.slug}/m/{slug}")
    for number, entry in enumerate(module.pages, start=1):
        assert page.locator("h1").inner_text() == entry.title
        assert_accessible(page, f"{slug} page {number}")
        label = "Next" if number < module.page_count else "Go to the knowledge check"
        with page.expect_navigation():
            page.get_by_role("button", name=label).click()
    grant_study_time(gp.user, module)  # tapped through in seconds: the check would stay closed
    page.goto(f"/c/{gp.slug}/m/{slug}/check")

    assert page.locator("h1").inner_text() == "Knowledge check"
    assert_accessible(page, f"{slug} knowledge check")
    with page.expect_navigation():
        page.get_by_role("button", name="Check my answers").click()  # nothing chosen: errors beside each question
    assert page.locator(".error").count() == page.locator("fieldset.question").count() == module.knowledge_check.draw_count
    assert_accessible(page, f"{slug} knowledge check with errors")

    answer_check(page, module)
    with page.expect_navigation():
        page.get_by_role("button", name="Check my answers").click()
    assert "You scored 100%: passed" in page.locator(".result").inner_text()
    assert_accessible(page, f"{slug} knowledge check feedback")

    page.goto(f"/c/{gp.slug}/m/{slug}/references")
    assert_accessible(page, f"{slug} references")


def test_catalogues_overview_and_educator_preview_are_accessible(app, gp, page, make_client):
    sign_in(page, gp.user.email)
    for url in ("/", f"/c/{gp.slug}", "/modules", "/modules?tag=cancer", f"/c/{gp.slug}/modules"):
        page.goto(url)
        assert_accessible(page, url)
    page.context.clear_cookies()
    sign_in(page, make_user("educator").email)
    page.goto("/educator/modules/")
    assert_accessible(page, "module preview index")
    for slug in MODULES:
        page.goto(f"/educator/modules/{slug}/check")
        assert_accessible(page, f"{slug} answer key")
