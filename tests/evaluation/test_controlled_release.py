"""A delayed-start campaign's between-arm result in the charity release: shown only as disclosure-controlled cells."""
import dataclasses

import pytest

from survey.evaluation.analysis import ancova
from survey.evaluation.services import arms_of
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.reports import disclosure as sdc
from survey.reports.charity import build_release, release_rows
from survey.reports.releases import publish_release
from survey.reports.services import dataset_for
from tests.evaluation.helpers import period_scores, scripted_population
from tests.factories import PASSWORD, make_campaign, make_user

PRIMARY, SECONDARY = "intention_support", "confidence"


@pytest.fixture
def trial(app):
    """A charity's delayed-start campaign with 30 scripted GPs who all stay (so every published set is the
    same 30 and no small group lies between two of them), about 15 per arm."""
    organisation = Organisation(slug="waitlist-charity", name="Waitlist Charity", colour="#7a2e0b")
    db.session.add(organisation)
    db.session.flush()
    campaign = make_campaign()
    campaign.organisation_id = organisation.id
    campaign.design, campaign.start_delay_days, campaign.allocation_seed = "delayed-start", 28, "charity-release"
    campaign.primary_outcome = {"scale": PRIMARY, "wave": "post"}
    campaign.secondary_outcomes = [{"scale": SECONDARY, "wave": "post"}]
    db.session.commit()
    return campaign, scripted_population(campaign, size=30, seed=11, dropout=False)


def test_the_release_shows_the_rounded_controlled_result_of_the_prespecified_outcomes(trial):
    campaign, expected = trial
    public = publish_release(make_user("educator"), campaign).public
    primary, secondary = public["controlled"]
    assert (primary["role"], primary["scale"], secondary["role"], secondary["scale"]) == \
        ("primary", PRIMARY, "secondary", SECONDARY)
    reference = ancova(period_scores(expected, PRIMARY).dropna(), "now", "delayed", outcome="outcome", baseline="baseline")
    assert primary["status"] is None
    assert (primary["estimate"], primary["ci95_low"], primary["ci95_high"], primary["d"]) == (
        round(reference["estimate"], 2), round(reference["ci95_low"], 2), round(reference["ci95_high"], 2),
        round(reference["standardised"], 2))
    assert primary["n"] == sdc.count(reference["n"]) and primary["p"] == sdc.p_band(reference["p"])
    assert "n_treated" not in primary and "n_control" not in primary  # arm sizes would be sets to difference
    assert ["controlled_primary", "", "", PRIMARY, "post", "estimate", primary["estimate"], "", public["as_of"]] \
        in release_rows(public)


def test_an_arm_below_the_minimum_cell_size_withholds_the_result_with_its_reason(trial):
    campaign, expected = trial
    smaller_arm = int(period_scores(expected, PRIMARY).dropna()["arm"].value_counts().min())
    ds = dataset_for(campaign)
    ds.campaign = dataclasses.replace(ds.campaign, min_cell_size=smaller_arm + 1)
    public, _ = build_release(ds, [], "2026-12-01", {}, {"arms": arms_of(campaign), "outcomes": {
        "primary": campaign.primary_outcome, "secondary": []}})
    (primary,) = public["controlled"]
    assert len(period_scores(expected, PRIMARY).dropna()) > smaller_arm + 1  # the whole sample would pass; one arm does not
    assert primary["status"] == sdc.SMALL and primary["estimate"] is None and primary["ci95_low"] is None


def test_one_more_gp_cannot_be_read_off_two_releases(trial):
    campaign, _ = trial
    educator = make_user("educator")
    first = publish_release(educator, campaign).public["controlled"][0]
    scripted_population(campaign, size=1, seed=12, dropout=False)  # one GP more answers every survey
    second = publish_release(educator, campaign).public["controlled"][0]
    assert second["status"] == sdc.CARRIED and second["as_of"] == first["as_of"]
    assert second["estimate"] == first["estimate"]  # the old figure, not one that differs by one GP


def test_the_charity_reads_the_primary_outcome_on_its_release_page(trial, client):
    campaign, _ = trial
    publish_release(make_user("educator"), campaign)
    charity = make_user("charity")
    charity.organisation_id = campaign.organisation_id
    db.session.commit()
    client.login(charity.email, PASSWORD)
    page = client.get(f"/charity/reports/{campaign.slug}").get_data(as_text=True)
    assert "The course compared with waiting" in page
    assert "Primary outcome (chosen before any GP answered)" in page
