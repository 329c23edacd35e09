"""Evidence for the appraisal portfolio: one activity's record as a PDF, and one appraisal year's summary."""
import csv
import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from survey.certificates import pdf
from survey.certificates.learning_log import appraisal_year_end
from survey.certificates.services import display_code, revoke_certificate
from survey.db import utcnow
from survey.extensions import db
from survey.library import library
from tests.certificates.helpers import MODULE, REFLECTION, SECOND, issue, ready_enrolment
from tests.factories import PASSWORD, make_user


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    return squashed("".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))


@pytest.fixture
def jane(app, client):
    """Dr Jane Doe, certified for a two-module campaign, signed in."""
    user = make_user(name="Dr Jane Doe", gmc_number="1234567")
    certificate = issue(ready_enrolment(user=user, modules=(MODULE, SECOND)))
    client.login(user.email, PASSWORD)
    return user, certificate


def test_the_activity_record_holds_what_the_appraisal_guide_asks_for(jane, client):
    _, certificate = jane
    page = client.get("/my-learning").get_data(as_text=True)
    assert f'href="/my-learning/evidence/{certificate.code}.pdf"' in page
    reader_text = pdf_text(client.get(f"/my-learning/evidence/{certificate.code}.pdf"))
    modules = [library().modules[MODULE], library().modules[SECOND]]
    expected = [
        "Supporting information: continuing professional development", "Dr Jane Doe", "GMC number 1234567",
        "Online learning: 2 e-learning modules with knowledge checks", "Provider", "Work & Health Learning",
        f"completed {certificate.completed_at.day} {certificate.completed_at:%B %Y}",
        "50 min of recorded study",  # two modules of 25 minutes each (tests/certificates/helpers.py)
        f"{certificate.credits:g} (suggested by the provider from the time recorded; self-assessed",
        *(module.title for module in modules), *(o for module in modules for o in module.learning_outcomes),
        REFLECTION, display_code(certificate.code), f"verify at http://localhost/verify/{certificate.code}",
    ]
    # Labels are set in capitals, so compare without case.
    assert [value for value in expected if squashed(value).lower() not in reader_text.lower()] == []


def test_the_activity_record_is_a_tagged_pdf(jane, client):
    reader = PdfReader(io.BytesIO(client.get(f"/my-learning/evidence/{jane[1].code}.pdf").data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"


def test_the_records_share_one_stylesheet_parsed_once_per_process(jane, client):
    """The footer's two halves: the document's name from the template, the page count from static/pdf/record.css."""
    client.get("/my-learning/log.pdf")
    parsed = pdf._parsed.cache_info().misses
    for path in (f"/my-learning/evidence/{jane[1].code}.pdf", "/my-learning/log.pdf"):
        first_page = PdfReader(io.BytesIO(client.get(path).data)).pages[0].extract_text()
        assert "· Dr Jane Doe · GMC number 1234567 Page 1 of" in first_page
    assert pdf._parsed.cache_info().misses == parsed


def test_no_record_for_another_gps_or_a_revoked_certificate(jane, client, app):
    _, certificate = jane
    other = issue(ready_enrolment(user=make_user(email="other@example.org")))
    assert client.get(f"/my-learning/evidence/{other.code}.pdf").status_code == 404
    assert client.get("/my-learning/evidence/NOTACODE.pdf").status_code == 404
    revoke_certificate(certificate, make_user(email="admin@example.org", role="admin"), "Issued in error")
    db.session.commit()
    assert client.get(f"/my-learning/evidence/{certificate.code}.pdf").status_code == 404


def test_an_appraisal_year_holds_the_activities_completed_in_it(jane, client):
    _, certificate = jane
    older = issue(ready_enrolment(user=jane[0]))  # a second campaign, completed over a year earlier
    older.completed_at = utcnow() - timedelta(days=500)
    db.session.commit()
    start = (date.today() - timedelta(days=30)).isoformat()

    page = client.get("/my-learning/year", query_string={"start": start}).get_data(as_text=True)
    assert certificate.activity_title in page and "1 activity completed" in page
    assert f"{certificate.credits:g} suggested" in page and "on valid certificates (self-assessed)" in page
    text = pdf_text(client.get("/my-learning/year.pdf", query_string={"start": start}))
    assert squashed("CPD summary of the appraisal year") in text and squashed(certificate.activity_title) in text
    assert squashed(older.activity_title) not in text or older.activity_title == certificate.activity_title
    rows = list(csv.DictReader(io.StringIO(client.get("/my-learning/year.csv", query_string={"start": start})
                                           .data.decode("utf-8-sig"))))
    assert {row["certificate_code"] for row in rows} == {display_code(certificate.code)}

    earlier = (date.today() - timedelta(days=600)).isoformat()
    rows = list(csv.DictReader(io.StringIO(client.get("/my-learning/year.csv", query_string={"start": earlier})
                                           .data.decode("utf-8-sig"))))
    assert {row["certificate_code"] for row in rows} == {display_code(older.code)}


@pytest.mark.parametrize("typed, message", [
    ("", "Please give the first day of your appraisal year, as a date."),
    ("31/02/2026", "Not a valid date value."),
    ("2999-01-01", "Please give a date between 1 January 1990 and today."),
])
def test_a_bad_year_start_is_explained_and_kept(jane, client, typed, message):
    for path in ("/my-learning/year", "/my-learning/year.pdf", "/my-learning/year.csv"):
        response = client.get(path, query_string={"start": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page and f'value="{typed}"' in page


def test_the_year_page_first_offers_the_last_twelve_months(jane, client):
    page = client.get("/my-learning/year").get_data(as_text=True)
    assert "First day of your appraisal year" in page and "Please give" not in page


def test_an_appraisal_year_ends_the_day_before_its_anniversary():
    assert appraisal_year_end(date(2026, 4, 1)) == date(2027, 3, 31)
    assert appraisal_year_end(date(2024, 2, 29)) == date(2025, 2, 28)
    assert appraisal_year_end(date(2027, 3, 1)) == date(2028, 2, 29)
