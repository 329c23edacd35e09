"""Keyboard only, for an educator: sign in, open a campaign from the header's Manage page, invite GPs
from a CSV file, then open the campaign's report from the Dashboard and export its answers, with Tab,
Shift+Tab, Enter and Space alone. Every stop shows where the focus is (tests/browser/test_keyboard.py's
`press`), and the focus always moves on (no trap): each `tab_to` has a bounded number of presses."""
from tests.browser.test_keyboard import activate, press, tab_to
from tests.factories import make_campaign, make_user

LIST = b"name,email\nDr Ada Lovelace,ada@example.org\n"


def link(text: str):
    return lambda f: f["tag"] == "A" and f["text"] == text


def test_educator_invites_gps_and_exports_the_report_by_keyboard_alone(app, page):
    educator = make_user("educator")
    campaign = make_campaign(educators=[educator])
    page.goto("/login")
    assert press(page, "Tab")["text"] == "Skip to content"
    tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(educator.email)
    tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type("a-good-password")
    activate(page)

    tab_to(page, link("Manage"))
    activate(page)
    tab_to(page, link(campaign.title))
    activate(page)
    assert page.locator("h1").inner_text() == campaign.title
    tab_to(page, link("Invite GPs"))
    activate(page)
    assert page.locator("h1").inner_text() == "Invite GPs"

    tab_to(page, lambda f: f["tag"] == "INPUT" and f["type"] == "file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # the keyboard opens the file picker; the test picks the file in it
    chooser.value.set_files({"name": "gps.csv", "mimeType": "text/csv", "buffer": LIST})
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Check the list")
    activate(page)
    assert "Dr Ada Lovelace" in page.locator("main").inner_text()
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Send 1 invitation")
    activate(page)
    assert page.locator("h1").inner_text() == "Invite GPs"
    assert "Sending 1 invitation(s)." in page.locator("main").inner_text()
    assert page.locator("table.invitations tbody tr", has_text="ada@example.org").count() == 1

    tab_to(page, link("Dashboard"), key="Shift+Tab")  # back up to the header
    activate(page)
    tab_to(page, link(campaign.title))
    activate(page)
    tab_to(page, link("Full report, charts and data exports"))
    activate(page)
    tab_to(page, lambda f: f["tag"] == "A" and f["text"].startswith("Answers, long format"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        assert exported.readline().strip().startswith("participant")
