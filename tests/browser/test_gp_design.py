"""The GP's pages on the design system, in headless Chromium at 375 px and 1280 px: no serious or
critical axe-core violation, no sideways scrolling on a phone, every table column on screen, the
header menu collapsed rather than wrapped, and the way from sign-in to a module and a survey page
by keyboard alone."""
from flask import url_for

from survey.library import library
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_keyboard import activate, press, tab_to
from tests.factories import make_campaign, make_user

MODULE = "work-as-health-outcome"
#: Table cells whose box leaves the viewport horizontally (a clipped column), as "table n, cell text";
#: a head row clipped to 1 px is hidden for sight only (each cell then shows its column title).
CLIPPED_CELLS = """() => {
  const out = [];
  document.querySelectorAll('main table').forEach((table, n) => table.querySelectorAll('th, td').forEach(cell => {
    const box = cell.getBoundingClientRect();
    const head = cell.closest('thead'), hidden = head && head.getBoundingClientRect().width <= 1;
    if (!hidden && (box.left < -1 || box.right > window.innerWidth + 1)) out.push(`table ${n}: ${cell.innerText.trim()}`);
  }));
  return out;
}"""
#: Header navigation links laid out on more than one line.
NAV_LINES = """() => new Set(Array.from(document.querySelectorAll('.nhsuk-header__navigation-item'))
  .filter(li => li.offsetParent !== null).map(li => Math.round(li.getBoundingClientRect().top))).size"""


def check_page(page, where: str) -> None:
    """axe at both widths and no sideways scroll; at 375 px also every table column and a one-line header."""
    assert_accessible(page, where)
    page.set_viewport_size(PHONE)
    assert page.evaluate(CLIPPED_CELLS) == [], f"{where}: table columns off screen at 375 px"
    assert page.evaluate(NAV_LINES) <= 1, f"{where}: the header menu wraps onto two lines"
    page.set_viewport_size(DESKTOP)


def paths(app, *endpoints) -> list[str]:
    with app.test_request_context():
        return [url_for(endpoint, **values) for endpoint, values in endpoints]


def test_gp_pages_are_accessible_at_both_widths(app, gp, page):
    # the GP has opened a module, so My learning has a table row
    urls = paths(app, ("campaigns.home", {}), ("campaigns.overview", {"slug": gp.slug}),
                 ("learning.resume", {"slug": gp.slug, "module_slug": MODULE}), ("record.my_learning", {}),
                 ("catalogue.catalogue", {}), ("privacy.index", {}), ("auth.session_list", {}))
    sign_in(page, gp.user.email)
    for url in urls:
        page.goto(url)
        check_page(page, url)
    page.goto(urls[0])
    assert page.locator("main .nhsuk-button", has_text="Continue").count() == 1  # the one primary action


def test_signed_out_pages_and_registration_errors(app, page):
    campaign = make_campaign()
    for url in ["/", "/login", "/join", f"/join/{campaign.enrolment_code}"]:
        page.goto(url)
        check_page(page, url)
    page.goto("/register")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    links = summary.get_by_role("link")
    assert links.count() >= 4  # name, email, GMC number, password: each a link to its field
    first = links.first
    target = first.get_attribute("href")
    first.click()
    assert page.evaluate("() => '#' + document.activeElement.id") == target
    check_page(page, "/register with errors")


def test_a_survey_page_is_accessible(app, client, page):
    user = make_user("gp")
    campaign = make_campaign()
    client.login(user.email)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    sign_in(page, user.email)
    page.goto(f"/c/{campaign.slug}/survey/pre")
    check_page(page, "baseline survey page 1")


def test_keyboard_only_from_sign_in_to_a_module_and_a_survey_page(app, client, page):
    """Tab, Enter and Space only: sign in, Continue to the baseline, answer its first page, then
    (baseline submitted) Continue to a module page."""
    user = make_user("gp")
    campaign = make_campaign(modules=[MODULE])
    client.login(user.email)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    page.goto("/login")
    tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(user.email)
    tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type("a-good-password")
    activate(page)
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Continue")
    activate(page)
    assert page.url.endswith(f"/c/{campaign.slug}/survey/pre/1")
    answered = set()
    while True:
        focused = press(page, "Tab")
        if focused["tag"] == "BUTTON" and focused["text"] == "Save and continue":
            break
        if focused["type"] == "radio" and focused["name"] not in answered:
            press(page, "Space")  # the first choice of each question
            answered.add(focused["name"])
        elif focused["type"] == "checkbox" and focused["name"] not in answered:
            press(page, "Space")
            answered.add(focused["name"])
        elif focused["type"] in ("number", "text") and focused["name"] not in answered:
            page.keyboard.type("1")
            answered.add(focused["name"])
    assert answered
    activate(page)
    assert page.url.endswith(f"/c/{campaign.slug}/survey/pre/2"), page.locator(".nhsuk-error-summary, .error-summary").all_inner_texts()

    from tests.journey import answer_survey  # the rest of the baseline through the test client
    answer_survey(client, campaign.slug, "pre", library().instruments["gp-work-health-attitudes"].data)
    page.goto("/")
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Continue")
    activate(page)
    assert page.locator("h1").inner_text() == library().modules[MODULE].pages[0].title
