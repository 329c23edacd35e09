"""A GP's learning record: the page, the PDF learning log, the CSV, and nobody else's."""
import csv
import io
import re

import pytest
from pypdf import PdfReader

from survey.certificates.learning_log import duration_text, safe_cell
from survey.certificates.services import display_code
from survey.db import utcnow
from survey.extensions import db
from survey.learning.models import Reflection
from survey.library import library
from tests.certificates.helpers import (MODULE, REFLECTION, SECOND, complete_module, enrol, issue, ready_enrolment,
                                        reflect, submit_wave)
from tests.factories import PASSWORD, make_user


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def long_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


@pytest.fixture
def gp_record(app, client):
    """Dr Jane Doe: a certified campaign (two modules), and a per-module campaign with one module
    certified and one started; her formula-like reflection tests the CSV."""
    jane = make_user(name="Dr Jane Doe", gmc_number="1234567")
    certified = ready_enrolment(user=jane, modules=(MODULE, SECOND))
    certificate = issue(certified)
    per_module = enrol(user=jane, certificate_rule="module", modules=(MODULE, SECOND))
    submit_wave(per_module, "pre")
    complete_module(per_module, MODULE, seconds=5400)
    reflect(per_module, "=HYPERLINK(\"http://evil.example\") I will refer earlier.", scope=MODULE)
    module_certificate = issue(per_module, MODULE)
    complete_module(per_module, SECOND, seconds=300, read=False)
    client.login(jane.email, PASSWORD)
    return certified, certificate, per_module, module_certificate


def test_my_learning_shows_every_module_time_credits_scores_reflections_and_certificates(gp_record, client):
    certified, certificate, per_module, module_certificate = gp_record
    page = client.get("/my-learning").get_data(as_text=True)
    for expected in (certified.campaign.title, library().modules[MODULE].title, library().modules[SECOND].title,
                     "25 min", "1 h 30 min", "5 min", "best 100% (2 attempts)", "not taken yet", REFLECTION,
                     display_code(certificate.code), display_code(module_certificate.code), "Started "):
        assert expected in page, expected
    assert f'href="/c/{certified.campaign.slug}/reflection">Edit your reflection' in page
    assert f'href="/c/{per_module.campaign.slug}/m/{MODULE}/reflection">Edit your reflection' in page
    assert f'href="/c/{per_module.campaign.slug}/m/{MODULE}/certificate.pdf"' in page
    assert f'href="/c/{certified.campaign.slug}/certificate.pdf"' in page
    assert "1 CPD credit on valid certificates" in page  # 0.25 + 0.25 for the campaign's two modules (25 min each) + 0.5


def test_the_pdf_learning_log_has_every_field(gp_record, client):
    certified, certificate, per_module, module_certificate = gp_record
    response = client.get("/my-learning/log.pdf")
    assert response.mimetype == "application/pdf"
    assert re.match(r'attachment; filename="CPD-learning-log-\d{4}-\d\d-\d\d\.pdf"', response.headers["Content-Disposition"])
    reader = PdfReader(io.BytesIO(response.data))
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx((595.28, 841.89), abs=0.5)
    text = squashed("".join(page.extract_text() for page in reader.pages)).lower()  # labels are in capitals
    reflection = db.session.scalar(db.select(Reflection).where(Reflection.enrolment_id == certified.id))
    expected = [
        "CPD learning log", "Dr Jane Doe", "GMC number 1234567", f"Generated {long_date(utcnow())}",
        "Activities3", "Time recorded2 h 25 min", "CPD credits certified1",
        # The certified campaign: date, time, credits, certificate, modules, reflection.
        certified.campaign.title, f"Completed{long_date(certificate.completed_at)}", "Time recorded50 min",
        "CPD credits0.5 credits", f"{display_code(certificate.code)}, valid; verify at http://localhost/verify/{certificate.code}",
        library().modules[MODULE].title, library().modules[SECOND].title, "best 100%, 2 attempts", REFLECTION,
        f"Written {long_date(reflection.created_at)}",
        # The per-module campaign: one activity per module studied.
        f"Module of the campaign {per_module.campaign.title}", "1 h 30 min", "0.5 credits",
        display_code(module_certificate.code), "I will refer earlier.",
        "In progress", "None certified", "Not issued yet", "5 min", "Not yet", "not taken", "No reflection recorded yet.",
    ]
    assert [value for value in expected if squashed(value).lower() not in text] == []
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in reader.pages[-1].extract_text()


def test_the_csv_has_one_row_per_module_and_no_formulas(gp_record, client):
    certified, certificate, per_module, module_certificate = gp_record
    response = client.get("/my-learning/log.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["campaign"], r["module"]) for r in rows] == [
        (certified.campaign.title, library().modules[MODULE].title), (certified.campaign.title, library().modules[SECOND].title),
        (per_module.campaign.title, library().modules[MODULE].title), (per_module.campaign.title, library().modules[SECOND].title)]
    first, per_module_row, started = rows[0], rows[2], rows[3]
    assert (first["name"], first["gmc_number"], first["time_minutes"], first["credits"], first["knowledge_check_best_score"],
            first["knowledge_check_attempts"], first["reflection"], first["certificate_code"], first["certificate_status"]) == (
        "Dr Jane Doe", "1234567", "25", "0.25", "100", "2", REFLECTION, display_code(certificate.code), "valid")
    assert first["started"] == first["completed"] == utcnow().date().isoformat()
    assert per_module_row["reflection"] == "'=HYPERLINK(\"http://evil.example\") I will refer earlier."
    assert (started["completed"], started["credits"], started["time_minutes"], started["certificate_code"]) == ("", "", "5", "")


@pytest.mark.parametrize("value, safe", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+44 20", "'+44 20"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("Dr O'Neil", "Dr O'Neil"), ("a=b", "a=b"), (25, 25), ("", ""),
])
def test_cells_that_look_like_formulas_are_quoted(value, safe):
    assert safe_cell(value) == safe


@pytest.mark.parametrize("seconds, text", [(0, "0 min"), (29, "0 min"), (1500, "25 min"), (3600, "1 h"), (5430, "1 h 31 min")])
def test_durations(seconds, text):
    assert duration_text(seconds) == text


def test_a_gp_sees_only_their_own_record_and_certificates(gp_record, make_client):
    certified, certificate, per_module, module_certificate = gp_record
    bob = make_user(name="Dr Bob Other", gmc_number="7654321")
    ready_enrolment(user=bob, campaign=certified.campaign)  # the same campaign as Jane
    bob_client = make_client()
    bob_client.login(bob.email, PASSWORD)
    for path in (f"/c/{per_module.campaign.slug}/m/{MODULE}/certificate.pdf", f"/c/{per_module.campaign.slug}/m/{MODULE}/certificate",
                 f"/c/{per_module.campaign.slug}/m/{MODULE}/reflection"):
        assert bob_client.get(path).status_code == 404, path
    # In the campaign they share, Bob's certificate is his own, never Jane's.
    bobs = bob_client.get(f"/c/{certified.campaign.slug}/certificate").get_data(as_text=True)
    assert display_code(certificate.code) not in bobs and "Dr Bob Other" in bobs
    pdf = squashed(PdfReader(io.BytesIO(bob_client.get(f"/c/{certified.campaign.slug}/certificate.pdf").data)).pages[0].extract_text())
    assert "DrBobOther" in pdf and "DrJaneDoe" not in pdf
    for export in ("/my-learning", "/my-learning/log.csv"):
        body = bob_client.get(export).data.decode("utf-8-sig")
        assert "Dr Bob Other" in body and "Jane" not in body and per_module.campaign.title not in body
        assert display_code(certificate.code) not in body and "evil.example" not in body


def test_the_record_needs_a_gp_account(app, client, make_client):
    assert "/login" in client.get("/my-learning").headers["Location"]
    educator = make_client()
    educator.login(make_user("educator").email, PASSWORD)
    assert educator.get("/my-learning/log.pdf").status_code == 403
