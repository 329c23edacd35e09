"""The main journeys in a real browser, at phone and desktop widths: a GP from the enrolment code to the
certificate PDF, the educator who then sees the change, and a charity reader opening the report PDF.

Set UPDATE_SCREENSHOTS=1 to refresh the certificate's screenshot in docs/screenshots/ (the other pages'
come from seed-demo data: bench/screenshots.py).
"""
import io
import os
import re

import pytest
from pypdf import PdfReader

from survey.auth.models import User
from survey.extensions import db
from survey.library import library
from tests.browser.conftest import DESKTOP, PHONE, PROJECT, answer_check, grant_study_time, sign_in
from tests.factories import PASSWORD, make_campaign, make_user
from tests.journey import link_in_mail, section_on, valid_answer

MODULE = "work-as-health-outcome"
SCREENSHOTS = PROJECT / "docs" / "screenshots"


def snapshot(page, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def answer_wave(page, definition, wave: str, likert: int) -> None:
    """Answer every shown question of every page the GP is shown (under matrix sampling, only their
    cases) by clicking and typing, as a GP would."""
    number, count = 1, None
    while count is None or number <= count:
        content = page.content()
        shown = re.search(r"Page (\d+) of (\d+)", content)
        assert shown and int(shown[1]) == number, (number, shown and shown[0])
        count = int(shown[2])
        for question in section_on(content, definition.sections_for(wave)).questions():
            field = page.locator(f'[name="{question.id}"]')
            if not field.first.is_visible():
                continue  # a conditional question whose condition does not hold
            value = valid_answer(question, likert)[0]
            if question.type in ("number", "text"):
                field.fill(value)
            else:
                page.locator(f'[name="{question.id}"][value="{value}"]').check()
        button = "Submit my answers" if number == count else "Save and continue"
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        number += 1


def study(page, module, user) -> None:
    for _ in range(module.page_count - 1):
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Go to the knowledge check").click()
    grant_study_time(user, module)  # tapped through in seconds; study time is tested in test_study_time.py
    page.goto(page.url.rsplit("/m/", 1)[0] + f"/m/{module.slug}/check")
    answer_check(page, module)
    with page.expect_navigation():
        page.get_by_role("button", name="Check my answers").click()
    assert "passed" in page.locator(".result").inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_gp_journey_from_code_to_certificate_and_the_educator_sees_the_change(app, browser, live_server, viewport):
    educator = make_user("educator", email="educator@example.org")
    campaign = make_campaign(modules=[MODULE], educators=[educator])
    definition = library().instruments[campaign.instrument_slug].data
    module = library().modules[MODULE]
    context = browser.new_context(base_url=live_server, viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    phone = viewport == PHONE

    # Enrol with the code, registering on the way.
    page.goto("/join")
    page.get_by_label("Enrolment code").fill(campaign.enrolment_code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    with page.expect_navigation():
        page.get_by_role("link", name="create an account").click()
    page.get_by_label("Full name").fill("Dr Browser Test")
    page.get_by_label("Email").fill("browser@example.org")
    page.get_by_label("GMC number").fill("7654321")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    assert "Check your email" in page.content()
    # The GP opens the confirmation link from the email in the same browser and confirms.
    page.goto(link_in_mail(app, "browser@example.org", "/confirm-email/"))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_label("I have read the information above").check()
    research = page.get_by_label("My answers may be used, without my name")
    assert not research.is_checked()  # an unticked opt-in: the GP ticks it themselves
    research.check()
    page.get_by_label("Which UK nation do you mainly practise in?").select_option("england")
    with page.expect_navigation():
        page.get_by_role("button", name="Join the campaign").click()

    with page.expect_navigation():
        page.get_by_role("link", name="Baseline survey").click()
    answer_wave(page, definition, "pre", likert=2)
    assert "submitted" in page.content()

    with page.expect_navigation():
        page.get_by_role("link", name=module.title).first.click()
    study(page, module, db.session.scalar(db.select(User).where(User.email == "browser@example.org")))

    page.goto(f"/c/{campaign.slug}")
    with page.expect_navigation():
        page.get_by_role("link", name="Post-course survey").click()
    answer_wave(page, definition, "post", likert=4)

    page.goto(f"/c/{campaign.slug}")
    with page.expect_navigation():
        page.get_by_role("link", name="Reflection").click()
    page.get_by_label("What did I learn?").fill("Work is a health outcome and a fit note is a clinical tool.")
    page.get_by_label("How will it change my practice?").fill("I will ask every working-age patient about their job early.")
    page.get_by_label("What will I do next?").fill("I will review my fit notes from last month with a colleague.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save my reflection").click()
    if phone:
        snapshot(page, "certificate-375")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the certificate")).click()
    text = " ".join(PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text().split())
    assert "Dr Browser Test" in text and "7654321" in text and module.title in text
    context.close()

    staff = browser.new_context(base_url=live_server, viewport=viewport)
    page = staff.new_page()
    sign_in(page, educator.email, PASSWORD)
    page.goto(f"/educator/campaigns/{campaign.slug}")
    row = page.get_by_role("row", name=re.compile("Work as a health outcome"))
    assert row.get_by_role("cell").nth(0).inner_text() == "1"  # one matched GP
    staff.close()
