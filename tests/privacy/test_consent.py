"""Research consent is an unticked opt-in, can be withdrawn after a confirmation and given again (history kept)."""
import re

import pytest
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.library import library
from survey.privacy.models import ConsentRecord
from survey.reports.services import dataset_for
from tests.factories import PASSWORD, make_campaign, make_user
from tests.journey import answer_survey, study_module

MODULE = "work-as-health-outcome"


def definition():
    return library().instruments["gp-work-health-attitudes"].data


@pytest.fixture
def gp(client):
    user = make_user(name="Dr Ada Lovelace", email="ada@example.org")
    client.login(user.email, PASSWORD)
    return user


def test_the_research_box_on_join_is_not_ticked_and_declining_still_opens_the_course(client, gp):
    campaign = make_campaign(modules=[MODULE])
    page = client.get(f"/join/{campaign.enrolment_code}").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="research_consent"[^>]*>', page).group(0)
    assert "checked" not in box  # a pre-ticked box is not consent (ICO)
    assert "You can take the course either way" in page

    assert client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"}).status_code == 302
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.research_consent is False
    answer_survey(client, campaign.slug, "pre", definition())  # the GP takes the course all the same
    study_module(client, campaign.slug, library().modules[MODULE])
    answer_survey(client, campaign.slug, "post", definition())
    assert dataset_for(campaign).responses.empty  # and nothing of theirs reaches a report
    record = db.session.scalar(select(ConsentRecord))
    assert (record.enrolment_id, record.research_consent, record.event) == (enrolment.id, False, "enrol")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.create"))
    assert event.actor_id == gp.id and event.detail["research_consent"] is False

    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "research_consent": "y", "nation": "england"})  # joining twice
    assert len(db.session.scalars(select(ConsentRecord)).all()) == 1


def test_withdrawing_asks_first_and_a_gp_can_consent_again_with_history_kept(client, gp):
    campaign = make_campaign(modules=[MODULE])
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "research_consent": "y", "nation": "england"})
    answer_survey(client, campaign.slug, "pre", definition())
    assert len(dataset_for(campaign).responses) == 1

    confirm = client.get(f"/account/withdraw/{campaign.slug}")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "leave every research report" in text and "are not deleted" in text
    db.session.expire_all()
    assert db.session.scalar(select(Enrolment)).research_consent is True  # looking changes nothing

    assert client.post(f"/account/withdraw/{campaign.slug}").status_code == 302
    db.session.expire_all()
    assert dataset_for(campaign).responses.empty
    page = client.get("/account/").get_data(as_text=True)
    assert "You withdrew research consent on" in page and "I agree to research use" in page

    assert client.post(f"/account/consent/{campaign.slug}").status_code == 302
    db.session.expire_all()
    enrolment = db.session.scalar(select(Enrolment))
    assert (enrolment.research_consent, enrolment.withdrawn_at) == (True, None)
    assert len(dataset_for(campaign).responses) == 1  # reports read the current state
    history = db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [(r.event, r.research_consent) for r in history] == [("enrol", True), ("withdraw", False), ("consent", True)]
    assert {"consent.withdraw", "consent.give"} <= set(db.session.scalars(select(AuditEvent.action)))
    export = client.get("/account/export.json").get_json()
    assert [h["event"] for h in export["enrolments"][0]["consent_history"]] == ["enrol", "withdraw", "consent"]

    assert client.post(f"/account/consent/{campaign.slug}").status_code == 302  # already given: no new record
    assert len(db.session.scalars(select(ConsentRecord)).all()) == 3
    assert client.post("/account/consent/not-mine").status_code == 404
    assert client.get("/account/withdraw/not-mine").status_code == 404
