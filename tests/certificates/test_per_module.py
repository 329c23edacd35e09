"""Campaigns that certify each module: a certificate per completed and reflected-on module."""
import io
import re

from pypdf import PdfReader

from survey.certificates.models import Certificate
from survey.extensions import db
from survey.library import library
from tests.certificates.helpers import MODULE, SECOND, complete_module, enrol, submit_wave
from tests.factories import PASSWORD


def pdf_text(response) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_one_certificate_per_completed_module(app, client):
    enrolment = enrol(certificate_rule="module", modules=(MODULE, SECOND))
    slug = enrolment.campaign.slug
    submit_wave(enrolment, "pre")
    complete_module(enrolment, MODULE, seconds=3600)  # an hour: the suggested 0.5 credits
    client.login(enrolment.user.email, PASSWORD)

    # The module's reflection comes first; the post survey is not needed.
    assert "write your reflection on" in client.get(f"/c/{slug}/m/{MODULE}/certificate", follow_redirects=True).get_data(as_text=True)
    assert client.get(f"/c/{slug}").get_data(as_text=True).count("Reflect on this module") == 1
    response = client.post(f"/c/{slug}/m/{MODULE}/reflection", {"learned": "I learned that work is a health outcome.", "change": "I will ask about work at every review.", "next_steps": "I will search for patients off work over four weeks."})
    assert response.headers["Location"].endswith(f"/c/{slug}/m/{MODULE}/certificate")
    page = client.get(f"/c/{slug}/m/{MODULE}/certificate").get_data(as_text=True)
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1)

    module = library().modules[MODULE]
    text = pdf_text(client.get(f"/c/{slug}/m/{MODULE}/certificate.pdf"))
    for expected in (module.title, *module.learning_outcomes, f"{module.credits:g}suggestedCPDcredit", code):
        assert squashed(expected) in text, expected
    assert squashed(library().modules[SECOND].title) not in text

    # The second module is not certified until it too is complete and reflected on.
    assert client.get(f"/c/{slug}/m/{SECOND}/reflection").status_code == 302
    assert client.get(f"/c/{slug}/m/{SECOND}/certificate.pdf").status_code == 404
    certificates = db.session.scalars(db.select(Certificate)).all()
    assert [(c.scope, c.credits, c.activity_title) for c in certificates] == [(MODULE, module.credits, module.title)]


def test_a_campaign_issues_only_its_kind_of_certificate(app, client):
    per_module = enrol(certificate_rule="module")
    whole = enrol(user=per_module.user)
    client.login(per_module.user.email, PASSWORD)
    for path in (f"/c/{per_module.campaign.slug}/certificate", f"/c/{per_module.campaign.slug}/reflection",
                 f"/c/{whole.campaign.slug}/m/{MODULE}/certificate", f"/c/{whole.campaign.slug}/m/{MODULE}/reflection",
                 f"/c/{per_module.campaign.slug}/m/not-a-module/certificate.pdf"):
        assert client.get(path).status_code == 404, path


def test_the_reflection_form_states_its_prompts_and_minimum_and_offers_the_notes(app, client):
    from survey.learning.notes import reflection_boxes, save_note
    enrolment = enrol(certificate_rule="module", modules=(SECOND,))
    slug = enrolment.campaign.slug
    submit_wave(enrolment, "pre")
    complete_module(enrolment, SECOND, seconds=3600)
    module = library().modules[SECOND]
    page_file = module.pages[1].file
    save_note(enrolment, SECOND, page_file, reflection_boxes(module.page_texts[1])[0], "Mrs A, back at work.")
    db.session.commit()
    client.login(enrolment.user.email, PASSWORD)
    page = client.get(f"/c/{slug}/m/{SECOND}/reflection").get_data(as_text=True)
    for expected in ("What did I learn?", "How will it change my practice?", "What will I do next?",
                     "What impact will I look for?", "at least 20 characters each"):
        assert expected in page, expected
    assert "Think of a patient: Mrs A, back at work.</textarea>" in page  # pre-filled, editable
    short = client.post(f"/c/{slug}/m/{SECOND}/reflection", {"learned": "Too short", "change": "", "next_steps": "x" * 30})
    body = short.get_data(as_text=True)
    assert short.status_code == 200 and "Write between 20 and 2000 characters." in body and "Too short" in body
    assert "Please answer \u201cHow will it change my practice?\u201d" in body
