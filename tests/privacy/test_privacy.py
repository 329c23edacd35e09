"""A GP's data rights: withdraw research consent, download everything, delete the account."""
import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from survey.audit.models import AuditEvent
from survey.auth.models import User
from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.library import library
from survey.reports.services import dataset_for
from survey.surveys.models import Answer, Response
from tests.factories import PASSWORD, make_campaign, make_user
from tests.journey import answer_survey, study_module

MODULE = "work-as-health-outcome"


def definition():
    return library().instruments["gp-work-health-attitudes"].data


@pytest.fixture
def gp(client):
    user = make_user(name="Dr Grace Hopper", email="grace@example.org", gmc_number="1234567")
    client.login(user.email, PASSWORD)
    return user


def finish_campaign(client, campaign) -> str:
    """Enrol, study, answer pre and post, reflect; returns the certificate code."""
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england", "research_consent": "y"})
    answer_survey(client, campaign.slug, "pre", definition())
    study_module(client, campaign.slug, library().modules[MODULE])
    answer_survey(client, campaign.slug, "post", definition())
    client.post(f"/c/{campaign.slug}/reflection", {"learned": "I learned that work is a health outcome.", "change": "I will ask about work at every review.", "next_steps": "I will search for patients off work over four weeks."})
    page = client.get(f"/c/{campaign.slug}/certificate").get_data(as_text=True)
    return re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1)


def test_withdrawing_research_consent_takes_answers_out_of_reports(client, gp):
    campaign = make_campaign(modules=[MODULE])
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england", "research_consent": "y"})
    answer_survey(client, campaign.slug, "pre", definition())
    assert len(dataset_for(campaign).responses) == 1

    assert client.post(f"/account/withdraw/{campaign.slug}").status_code == 302
    db.session.expire_all()
    assert dataset_for(campaign).responses.empty  # the answers leave every report
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.research_consent is False and enrolment.withdrawn_at is not None
    page = client.get("/account/").get_data(as_text=True)
    assert "You withdrew research consent on" in page
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "consent.withdraw"))
    assert client.post("/account/withdraw/not-mine").status_code == 404


def test_a_gp_downloads_all_their_data_as_json_and_csv(client, gp):
    campaign = make_campaign(modules=[MODULE])
    code = finish_campaign(client, campaign)

    response = client.get("/account/export.json")
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.data)
    assert data["account"] == {"name": "Dr Grace Hopper", "email": "grace@example.org", "gmc_number": "1234567",
                               "role": "gp", "created_at": data["account"]["created_at"]}
    enrolment = data["enrolments"][0]
    assert enrolment["consent_text"] == "You agree to take part." and enrolment["research_consent"] is True
    assert enrolment["nation"] == "england"
    assert {r["wave"] for r in enrolment["responses"]} == {"pre", "post"}
    assert len(enrolment["responses"][0]["answers"]) > 10
    assert enrolment["progress"][0]["module"] == MODULE and enrolment["quiz_attempts"][0]["passed"] is True
    assert enrolment["reflections"][0]["text"].startswith("What did I learn?\nI learned that work is a health outcome.")
    assert enrolment["certificates"][0]["code"] == code.replace("-", "")

    rows = list(csv.reader(io.StringIO(client.get("/account/export.csv").get_data(as_text=True))))
    assert rows[0] == ["record", "field", "value"]
    assert ["account", "gmc_number", "1234567"] in rows
    assert ["enrolments[0].reflections[0]", "text", enrolment["reflections"][0]["text"]] in rows
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "data.export")).all()
    assert sorted(e.detail["format"] for e in exports) == ["csv", "json"]


def test_deleting_the_account_erases_identity_and_keeps_certificates_verifiable(client, gp, make_client):
    consented, declined = make_campaign(modules=[MODULE]), make_campaign(modules=[MODULE])
    code = finish_campaign(client, consented)
    client.post(f"/join/{declined.enrolment_code}", {"agree": "y", "nation": "england"})  # no research consent here
    answer_survey(client, declined.slug, "pre", definition())

    wrong = client.post("/account/delete", {"understand": "y", "password": "not-my-password"})
    assert "That password is not right." in wrong.get_data(as_text=True)
    assert client.post("/account/delete", {"understand": "y", "password": PASSWORD}).status_code == 302

    db.session.expire_all()
    user = db.session.get(User, gp.id)
    assert (user.name, user.gmc_number, user.deleted_at is not None) == ("Deleted account", None, True)
    assert "grace" not in user.email
    assert client.get("/account/").status_code == 302  # signed out
    assert make_client().login("grace@example.org").status_code == 200  # the sign-in fails
    kept = {e.campaign_id: db.session.scalar(select(func.count()).select_from(Response).where(Response.enrolment_id == e.id))
            for e in db.session.scalars(select(Enrolment))}
    assert kept == {consented.id: 2, declined.id: 0}  # answers stay only with research consent
    nations = {e.campaign_id: e.nation for e in db.session.scalars(select(Enrolment))}
    assert nations == {consented.id: "england", declined.id: None}  # the nation goes with the profile
    assert db.session.scalar(select(func.count()).select_from(Answer)) > 0

    verify = make_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "Valid certificate" in verify and "A deleted account" in verify and "Grace" not in verify
