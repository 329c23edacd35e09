"""The pages where an educator edits and previews the campaign's emails, in Chromium: accessible at both
widths with the preview and with the error summary, and no sideways scrolling on a phone."""
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in
from tests.factories import make_campaign, make_user


def test_the_email_pages_are_accessible_with_the_preview_and_with_errors(app, page):
    educator = make_user("educator")
    campaign = make_campaign(educators=[educator])
    sign_in(page, educator.email)
    page.goto(f"/manage/campaigns/{campaign.slug}/emails")
    assert_accessible(page, "emails to GPs")

    page.get_by_role("link", name="Preview or edit the invitation email").click()
    assert page.locator("pre.email-preview").inner_text().startswith("Dear Dr Sam Patel,")
    assert_accessible(page, "invitation email with its preview")

    page.get_by_label("Subject").fill("")
    page.get_by_label("Text of the email").fill("Dear {frist_name}, a link that is very long: https://example.org/" + "a" * 120)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()  # waits for the page the Save button brings
    assert "{frist_name}" in page.get_by_label("Text of the email").input_value()
    assert_accessible(page, "invitation email with errors")

    page.get_by_label("Subject").fill("Join us")
    page.get_by_label("Text of the email").fill("A link that is very long: https://example.org/" + "a" * 120)
    page.get_by_role("button", name="Preview").click()
    assert "Join us: " in page.locator(".preview-subject").inner_text()
    assert_accessible(page, "invitation email previewing a long link")
