"""When a certificate may be issued: every rule in turn, per campaign and per module."""
import io
import math
import re
from datetime import datetime, timedelta, timezone
from itertools import combinations

import pytest
from pypdf import PdfReader

from survey.campaigns.journey import JourneyState, ModuleState, next_step
from survey.certificates import services
from survey.certificates.models import Certificate
from survey.codes import ALPHABET
from survey.db import utcnow
from survey.extensions import db
from survey.learning.models import ModuleProgress, Reflection
from survey.organisations.models import Organisation
from survey.surveys.models import Response
from tests.certificates.helpers import complete_module, enrol, issue, ready_enrolment, reflect, submit_wave
from tests.factories import PASSWORD, make_campaign

NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)


def module(slug="a", **changes):
    fields = dict(slug=slug, title=f"Module {slug}", page_count=3, current_page=1, pages_read=True, passed=True,
                  best_score=100, reflection_written=True)
    return ModuleState(**{**fields, **changes})


def state(modules=None, **changes):
    fields = dict(pre_submitted=True, modules=modules or [module("a"), module("b")], post_submitted_at=NOW,
                  reflection_written=True, certificate_code=None, follow_up_days=90, follow_up_submitted=False)
    return JourneyState(**{**fields, **changes})


@pytest.mark.parametrize("changes, missing", [
    ({"pre_submitted": False}, "answer the baseline survey"),
    ({"modules": [module("a"), module("b", pages_read=False, passed=False)]}, "read every page of “Module b”"),
    ({"modules": [module("a", passed=False), module("b")]}, "pass the knowledge check of “Module a”"),
    ({"post_submitted_at": None}, "answer the post-course survey"),
    ({"reflection_written": False}, "write your reflection"),
])
def test_each_campaign_rule_missing_blocks_the_certificate(changes, missing):
    blocked = state(**changes)
    assert not blocked.certificate_ready
    assert missing in blocked.certificate_missing()
    assert state().certificate_ready and state().certificate_missing() == []


def test_per_module_certificate_needs_that_module_and_its_reflection_only():
    """Decision: no post survey (it opens after the last module), but a reflection on the module."""
    per_module = state(modules=[module("a"), module("b", passed=False)], post_submitted_at=None,
                       reflection_written=False, certificate_rule="module")
    assert per_module.certificate_missing("a") == []
    assert per_module.certificate_missing("b") == ["pass the knowledge check of “Module b”"]
    unreflected = state(modules=[module("a", reflection_written=False)], certificate_rule="module")
    assert unreflected.certificate_missing("a") == ["write your reflection on “Module a”"]
    # No campaign-wide certificate in a per-module campaign, nor per-module ones in a campaign-wide one.
    assert not per_module.certificate_ready and per_module.certificate_missing("campaign")
    assert state().certificate_missing("a") and per_module.certificate_missing("not-in-campaign")


def test_next_step_leads_through_each_modules_reflection_and_certificate():
    steps = [
        (state(modules=[module("a", reflection_written=False), module("b", passed=False)], certificate_rule="module"),
         ("module_reflection", "a")),
        (state(modules=[module("a"), module("b", passed=False)], certificate_rule="module"), ("module_certificate", "a")),
        (state(modules=[module("a", certificate_code="X"), module("b", passed=False)], certificate_rule="module"),
         ("module", "b")),
        (state(modules=[module("a", certificate_code="X")], certificate_rule="module", reflection_written=False),
         ("done", None)),
    ]
    assert [(next_step(s, NOW).kind, next_step(s, NOW).module_slug) for s, _ in steps] == [want for _, want in steps]


@pytest.mark.parametrize("missing", ["pre", "pages", "check", "post", "reflection"])
def test_no_certificate_is_issued_until_every_rule_is_met(app, client, missing):
    enrolment = enrol()
    if missing != "pre":
        submit_wave(enrolment, "pre")
    complete_module(enrolment, read=missing != "pages", passed=missing != "check")
    if missing != "post":
        submit_wave(enrolment, "post")
    if missing != "reflection":
        reflect(enrolment)
    client.login(enrolment.user.email, PASSWORD)
    response = client.get(f"/c/{enrolment.campaign.slug}/certificate", follow_redirects=True)
    assert "Before your certificate, please" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0
    assert client.get(f"/c/{enrolment.campaign.slug}/certificate.pdf").status_code == 404


def test_the_same_certificate_every_time(app, client):
    enrolment = ready_enrolment()
    client.login(enrolment.user.email, PASSWORD)
    slug = enrolment.campaign.slug
    pages = [client.get(f"/c/{slug}/certificate").get_data(as_text=True) for _ in range(2)]
    codes = [re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1) for page in pages]
    texts = [PdfReader(io.BytesIO(client.get(f"/c/{slug}/certificate.pdf").data)).pages[0].extract_text()
             for _ in range(2)]
    assert codes[0] == codes[1] and texts[0] == texts[1] and codes[0] in texts[0]
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1


def test_codes_are_unguessable_unique_and_not_sequential(app):
    assert services.CODE_LENGTH * math.log2(len(ALPHABET)) >= 80
    campaign = make_campaign()
    codes = [issue(ready_enrolment(campaign=campaign)).code for _ in range(12)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == services.CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    # Consecutive certificates share almost nothing: random codes differ in ~19 of 20 places.
    assert min(sum(a != b for a, b in zip(x, y)) for x, y in combinations(codes, 2)) >= 10


def test_the_charity_on_an_issued_certificate_never_changes(app, client):
    charity = Organisation(slug="trust", name="Healthy Working Lives Trust", colour="#7a2e0b")
    db.session.add(charity)
    campaign = make_campaign()
    campaign.organisation = charity
    enrolment = ready_enrolment(campaign=campaign)
    certificate = issue(enrolment)
    charity.name, charity.colour = "Renamed Trust", "#000000"
    db.session.commit()
    view = services.view_of(certificate, "Issuer", "https://example.org/verify/x")
    assert (view.charity_name, view.charity_colour) == ("Healthy Working Lives Trust", "#7a2e0b")
    client.login(enrolment.user.email, PASSWORD)
    pdf = PdfReader(io.BytesIO(client.get(f"/c/{campaign.slug}/certificate.pdf").data)).pages[0].extract_text()
    assert "Commissioned by Healthy Working Lives Trust" in " ".join(pdf.split()) and "Renamed" not in pdf


def test_completion_date_is_when_the_last_rule_was_met_not_when_downloaded(app):
    enrolment = ready_enrolment()
    days_ago = lambda days: utcnow() - timedelta(days=days)  # noqa: E731
    for progress in db.session.scalars(db.select(ModuleProgress)):
        progress.pages_completed_at, progress.passed_at = days_ago(30), days_ago(29)
    db.session.scalar(db.select(Response).where(Response.wave == "post")).submitted_at = days_ago(12)
    db.session.scalar(db.select(Reflection)).created_at = days_ago(10)
    db.session.commit()
    assert issue(enrolment).completed_at.date() == days_ago(10).date()
