"""In Chromium on a 375 px phone: a GP in Scotland sees the Scottish routes first and open, opens another
nation's with one tap (no JavaScript needed), and the route chart opens full size."""
from survey.library import library
from tests.browser.conftest import PHONE, sign_in
from tests.learning.conftest import enrol_ready_gp

REFERRAL = "referring-to-vocational-support"


def test_a_gp_in_scotland_sees_the_scottish_route_first_on_a_phone(app, client, page):
    gp = enrol_ready_gp(client, modules=[REFERRAL], nation="scotland")
    number = library().modules[REFERRAL].page_number_of("03-what-exists-now.md")
    page.set_viewport_size(PHONE)
    sign_in(page, gp.user.email)
    page.goto(f"/c/{gp.slug}/m/{REFERRAL}/{number}")
    sections = page.locator("section.four-nations details")
    assert sections.count() == 4
    first = sections.nth(0)
    assert first.locator("summary").inner_text() == "Scotland (where you practise)"
    assert first.get_attribute("open") is not None and first.get_by_text("Working Health Services Scotland").first.is_visible()
    england = sections.nth(1)
    assert england.get_attribute("open") is None and not england.get_by_text("WorkWell").first.is_visible()
    england.locator("summary").click()
    assert england.get_attribute("open") is not None and england.get_by_text("WorkWell").first.is_visible()
    chart = page.locator("a.figure-link").first
    assert chart.get_attribute("href").endswith("/figures/which-route.svg")
    box = chart.locator("img").bounding_box()
    assert box["width"] <= PHONE["width"]  # fits the phone; the link opens it full size
