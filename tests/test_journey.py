"""The whole GP journey end to end through the test client, and the educator's view of it."""
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from survey.extensions import db
from survey.learning.models import ModuleProgress
from survey.learning.study import credits_for
from survey.library import library
from tests.factories import PASSWORD, make_campaign, make_user
from tests.journey import answer_survey, study_module
from tests.journey import register as register_and_confirm

MODULE = "work-as-health-outcome"


def register(client, name="Dr Jane Doe", email="jane@example.org", gmc="1234567"):
    return register_and_confirm(client, {"name": name, "email": email, "gmc_number": gmc,
                                         "password": PASSWORD, "confirm": PASSWORD})


def test_gp_journey_from_enrolment_to_verified_certificate(app, client, make_client):
    educator = make_user("educator", name="Ed U. Cator")
    campaign = make_campaign(modules=[MODULE], educators=[educator])
    definition = library().instruments["gp-work-health-attitudes"].data
    module = library().modules[MODULE]

    assert register(client).status_code == 302
    # The enrolment link shows the consent text; joining records it.
    page = client.get(f"/join/{campaign.enrolment_code.lower()}")
    assert "You agree to take part." in page.get_data(as_text=True)
    response = client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england", "research_consent": "y"})
    assert response.headers["Location"].endswith(f"/c/{campaign.slug}")

    # Modules are locked until the baseline is submitted.
    locked = client.get(f"/c/{campaign.slug}/m/{MODULE}/1")
    assert locked.status_code == 302 and locked.headers["Location"].endswith(f"/c/{campaign.slug}")
    assert client.get(f"/c/{campaign.slug}/survey/post").headers["Location"].endswith(f"/c/{campaign.slug}")

    answer_survey(client, campaign.slug, "pre", definition, likert_value=2)
    study_module(client, campaign.slug, module)
    answer_survey(client, campaign.slug, "post", definition, likert_value=4)

    # Certificate needs the reflection first.
    assert client.get(f"/c/{campaign.slug}/certificate").status_code == 302
    reflection = {"learned": "I learned that work is a health outcome.", "change": "I will ask about work at every review.",
                  "next_steps": "I will search for patients off work over four weeks."}
    assert client.post(f"/c/{campaign.slug}/reflection", reflection).status_code == 302
    page = client.get(f"/c/{campaign.slug}/certificate").get_data(as_text=True)
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1)

    pdf = client.get(f"/c/{campaign.slug}/certificate.pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text().split())
    seconds = db.session.scalar(select(ModuleProgress.seconds_spent))
    # Credits follow the time recorded, not the suggested 0.5: read without JavaScript, each page
    # counts at most its reading time (under half an hour for this module), under the suggested credit.
    credits = credits_for(seconds, module.credits)
    assert seconds < 30 * 60 and credits < module.credits
    for expected in ("Dr Jane Doe", "1234567", module.title, f"{credits:g} suggested CPD credit", code):
        assert expected in text, expected
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ 20\d\d\b", text)  # completion date
    # The same certificate on every download.
    page_again = client.get(f"/c/{campaign.slug}/certificate").get_data(as_text=True)
    assert code in page_again

    verify = make_client().get(f"/verify/{code}")
    assert verify.status_code == 200 and "Valid certificate" in verify.get_data(as_text=True)
    assert "Dr Jane Doe" in verify.get_data(as_text=True)
    assert "1234567" not in verify.get_data(as_text=True)  # no more than the appraiser needs

    educator_client = make_client()
    educator_client.login(educator.email, PASSWORD)
    report = educator_client.get(f"/educator/campaigns/{campaign.slug}").get_data(as_text=True)
    # One matched GP moved every non-reversed item from 2 to 4: mean scores reflect the reverse keying.
    assert "Work as a health outcome" in report
    assert re.search(r"<td>1</td>\s*<td>\d\.\d\d</td><td>\d\.\d\d</td>", report)


def test_progress_resumes_after_logout_on_another_device(app, client, make_client):
    campaign = make_campaign(modules=[MODULE])
    definition = library().instruments["gp-work-health-attitudes"].data
    register(client)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    answer_survey(client, campaign.slug, "pre", definition)
    client.get(f"/c/{campaign.slug}/m/{MODULE}/1")
    client.post(f"/c/{campaign.slug}/m/{MODULE}/1")
    client.get(f"/c/{campaign.slug}/m/{MODULE}/2")
    client.post("/logout")

    phone = make_client()
    phone.login("jane@example.org", PASSWORD)
    resumed = phone.get(f"/c/{campaign.slug}/m/{MODULE}")
    assert resumed.headers["Location"].endswith(f"/m/{MODULE}/2")


def test_unknown_verification_code(client):
    response = client.get("/verify/AAAAA-BBBBB-CCCCC-DDDDD")
    assert response.status_code == 404
    assert "Unknown code" in response.get_data(as_text=True)
