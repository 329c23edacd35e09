"""Cached full reports: a repeat view builds nothing, changed data is served stale with its date and then
fresh, and every kind of change to a report's input changes its data version."""
import json

import pytest
from sqlalchemy import select

from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.db import utcnow
from survey.extensions import db
from survey.privacy import consent
from survey.reports import cache
from survey.surveys.models import Response
from tests.factories import PASSWORD
from tests.reports.conftest import charity_campaign


@pytest.fixture
def small(app):
    return charity_campaign(40, seed=5)


@pytest.fixture
def builds(monkeypatch):
    """The number of full reports built so far (the real build, counted)."""
    done = []

    def counted(dataset, *args, **kwargs):
        done.append(dataset.campaign.slug)
        return real(dataset, *args, **kwargs)

    real = cache.build_report
    monkeypatch.setattr(cache, "build_report", counted)
    return done


def educator_client(make_client, study):
    client = make_client()
    client.login(study.educator.email, PASSWORD)
    return client


def api(client, study):
    return client.get(f"/api/v1/campaigns/{study.campaign.slug}/report")


def withdraw_one(study) -> None:
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.campaign_id == study.campaign.id,
                                                          Enrolment.research_consent.is_(True)))
    assert consent.withdraw(enrolment)
    db.session.commit()


def test_a_repeat_view_builds_nothing(small, make_client, builds):
    client = educator_client(make_client, small)
    first = api(client, small)
    assert first.status_code == 200 and builds == [small.campaign.slug]
    for _ in range(2):
        again = api(client, small)
        assert again.data == first.data
    page = client.get(f"/educator/campaigns/{small.campaign.slug}/report")
    assert page.status_code == 200
    assert builds == [small.campaign.slug]


def test_a_withdrawal_gives_a_fresh_report_without_the_gp(small, make_client, builds):
    client = educator_client(make_client, small)
    before = json.loads(api(client, small).data)
    withdraw_one(small)
    after = json.loads(api(client, small).data)
    assert after["funnel"]["enrolled"] == before["funnel"]["enrolled"] - 1
    assert len(builds) == 2


@pytest.mark.parametrize("config_overrides", [{"REPORT_INLINE_MAX_RESPONSES": 0}])
def test_a_large_campaign_is_prepared_then_served_stale_with_its_date_then_fresh(small, make_client, builds):
    client = educator_client(make_client, small)
    page = client.get(f"/educator/campaigns/{small.campaign.slug}/report")
    assert page.status_code == 200 and b"being prepared" in page.data
    assert len(builds) == 1  # built after that response had gone
    built = json.loads(api(client, small).data)
    assert len(builds) == 1

    withdraw_one(small)
    stale = api(client, small)
    assert stale.status_code == 200 and stale.headers["X-Report-Status"] == "stale"
    assert json.loads(stale.data) == built  # the last good report, dated by its generated_at
    assert len(builds) == 2  # and the rebuild ran once the stale answer had gone
    fresh = api(client, small)
    assert "X-Report-Status" not in fresh.headers
    assert json.loads(fresh.data)["funnel"]["enrolled"] == built["funnel"]["enrolled"] - 1
    assert len(builds) == 2

    withdraw_one(small)
    page = client.get(f"/educator/campaigns/{small.campaign.slug}/report")
    assert page.status_code == 200 and b"This report was built on" in page.data
    assert b"A report of the latest data is being prepared" in page.data


@pytest.mark.parametrize("config_overrides", [{"REPORT_INLINE_MAX_RESPONSES": 0}])
def test_the_first_build_answers_202_on_the_api(small, make_client):
    response = api(educator_client(make_client, small), small)
    assert response.status_code == 202 and json.loads(response.data)["status"] == "preparing"


@pytest.mark.parametrize("config_overrides", [{"REPORT_INLINE_MAX_RESPONSES": 0}])
def test_a_build_already_claimed_is_not_started_twice(small, builds):
    assert cache._claim(small.campaign.id, "campaign")
    cache.rebuild(small.campaign.id)
    assert builds == []  # another build holds the claim
    assert cache.cached_report(small.campaign).report is None


def _change_a_submission(study):
    response = db.session.scalar(select(Response).join(Enrolment).where(
        Enrolment.campaign_id == study.campaign.id, Enrolment.research_consent.is_(True),
        Response.submitted_at.is_(None)))
    response.submitted_at = utcnow()


def _revoke_a_certificate(study):
    certificate = db.session.scalar(select(Certificate).join(Enrolment).where(
        Enrolment.campaign_id == study.campaign.id, Certificate.revoked_at.is_(None)))
    certificate.revoked_at = utcnow()


def _retitle(study):
    study.campaign.title += " (renamed)"


def _raise_the_cell_size(study):
    study.campaign.min_cell_size = 40


def _edit_a_submitted_response(study):
    response = db.session.scalar(select(Response).join(Enrolment).where(
        Enrolment.campaign_id == study.campaign.id, Response.submitted_at.is_not(None)))
    response.current_section += 1  # any update stamps updated_at


@pytest.mark.parametrize("change", [withdraw_one, _change_a_submission, _revoke_a_certificate, _retitle,
                                    _raise_the_cell_size, _edit_a_submitted_response])
def test_every_change_to_a_reports_input_changes_its_data_version(small, change):
    before, _ = cache.data_version(small.campaign, None)
    assert cache.data_version(small.campaign, None)[0] == before
    change(small)
    db.session.commit()
    assert cache.data_version(small.campaign, None)[0] != before
