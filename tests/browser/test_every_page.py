"""Every HTML page each role can open, at 375 px and 1280 px in headless Chromium: no serious or
critical axe-core violation, no sideways scrolling on a phone, and every table's columns reachable.

The pages are not a hand list: they are the GET routes of the route-access table
(tests/test_route_access.py, which fails for a route without an entry) that answer the role with 200
in its world (tests/access_world.py). So a new page is checked here as soon as it has its access rule.
Pages that need more state than that world has (module pages, knowledge checks, certificates) are
covered by test_accessibility.py and test_gp_design.py.

Run on SQLite only: a page's markup and layout do not depend on the database, and on PostgreSQL
every one of these routes is still opened by each role in tests/test_route_access.py. It is the
suite's longest test, so running it once saves minutes of every CI run.
"""
import os
import time

import pytest

from tests.access_world import ROLES, build_world
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.test_route_access import ACCESS

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="markup and layout do not depend on the database: checked on SQLite")

#: Routes answering 200 that are not HTML pages, so there is nothing for axe or a reader to lay out.
NOT_HTML = {
    "web.healthz": "plain-text health check for the load balancer",
    "learning.figure": "an SVG figure, checked inside the module pages that show it",
    "organisations.logo": "an uploaded image",
    "privacy.export_json": "the GP's data as a JSON download",
    "privacy.export_csv": "the GP's data as a CSV download",
    "record.log_pdf": "a PDF download",
    "record.log_csv_export": "a CSV download",
    "record.year#file": "a PDF download",
    "badges.issuer": "Open Badges issuer profile (JSON)",
    "badges.keys": "public keys (JSON)",
    "lti.jwks": "public keys (JSON)",
    "reports.educator_pdf": "a PDF download",
    "reports.educator_pdf#cohort": "a PDF download",
    "reports.export": "a CSV download",
    "reports.export#cohort": "a CSV download",
    "reports.codebook": "a codebook download",
    "reports_api.campaign_report": "the JSON API",
}

#: Per table in <main>, why its columns are not all reachable at this width, or nothing. A table is fine
#: when every cell is on screen (a responsive table that stacks, or one narrow enough), or when it sits
#: in a region that scrolls sideways, can take the keyboard focus and has a name for screen readers.
UNREACHABLE_TABLES = """() => Array.from(document.querySelectorAll('main table')).flatMap((table, n) => {
  const head = table.tHead, headHidden = head && head.getBoundingClientRect().width <= 1;
  const clipped = Array.from(table.querySelectorAll('th, td')).filter(cell => {
    if (headHidden && head.contains(cell)) return false;
    const box = cell.getBoundingClientRect();
    return box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1);
  });
  if (clipped.length === 0) return [];
  const region = table.closest('[role=region]');
  const scrolls = region && ['auto', 'scroll'].includes(getComputedStyle(region).overflowX);
  const named = region && (region.getAttribute('aria-label') || region.getAttribute('aria-labelledby'));
  if (scrolls && named && region.tabIndex >= 0) return [];
  return [`table ${n + 1} (${clipped.length} cells off screen, first "${clipped[0].innerText.trim()}")`];
})"""


@pytest.fixture
def config_overrides(tmp_path):
    return {"SERVER_NAME": None, "UPLOAD_FOLDER": str(tmp_path / "uploads")}


def pages_for(role: str) -> list[tuple[str, str]]:
    """(access key, path template) of each GET route the role opens with 200, HTML only."""
    return [(key, rule.path) for key, rule in ACCESS.items()
            if rule.method == "GET" and getattr(rule, role) == 200 and key not in NOT_HTML]


def test_the_non_html_list_names_only_routes_that_exist():
    assert set(NOT_HTML) <= set(ACCESS)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_is_accessible_at_both_widths(app, browser, live_server, role):
    values, users = build_world()
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role != "anonymous":
        sign_in(page, users[role].email)
    started, problems = time.monotonic(), []
    pages = pages_for(role)
    for key, template in pages:
        url = template.format(**values)
        response = page.goto(url)
        assert response.status == 200, f"{key} {url}: {response.status}"
        assert response.headers["content-type"].startswith("text/html"), \
            f"{key} {url} is {response.headers['content-type']}: add it to NOT_HTML with the reason"
        page.set_viewport_size(PHONE)  # first, so assert_accessible starts at the width already laid out
        problems += [f"{role} {url}: {t} not reachable at 375 px" for t in page.evaluate(UNREACHABLE_TABLES)]
        try:
            assert_accessible(page, f"{role} {url}")  # ends at DESKTOP, the width the next page opens at
        except AssertionError as error:
            problems.append(str(error))
    context.close()
    print(f"{role}: {len(pages)} pages in {time.monotonic() - started:.1f} s")
    assert problems == [], "\n".join(problems)
