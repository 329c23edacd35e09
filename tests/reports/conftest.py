"""A campaign of a charity with generated GPs, answers and progress, for the report tests."""
from types import SimpleNamespace

import pytest

from survey.extensions import db
from survey.organisations.models import Organisation
from tests.factories import make_campaign, make_user
from tests.reports.datagen import generate

MODULES = ("work-as-health-outcome", "cancer-and-work")


def charity_campaign(n: int, seed: int = 7, instrument_version: int | None = 1, **options) -> SimpleNamespace:
    """A charity's campaign (min cell size 10) with an educator, a charity user and ``n`` generated GPs.

    The campaign answers instrument version 1 (archived) unless told otherwise: the report tests'
    hand-worked expectations are on version 1, which must stay scorable and exportable.
    """
    organisation = Organisation(slug=f"charity-{seed}-{n}", name="Macmillan-like Cancer Charity", colour="#7a2e0b")
    db.session.add(organisation)
    db.session.flush()
    educator = make_user("educator")
    charity = make_user("charity")
    charity.organisation_id = organisation.id
    campaign = make_campaign(modules=MODULES, educators=[educator])
    campaign.organisation_id = organisation.id
    campaign.enrolment_fields = ["gp_role", "nhs_region"]
    campaign.instrument_version = instrument_version
    data = generate(campaign, n, seed=seed, **options)
    db.session.commit()
    return SimpleNamespace(campaign=campaign, educator=educator, charity=charity, organisation=organisation, data=data)


@pytest.fixture
def study(app):
    """300 generated GPs: enough for every statistic, with some small groups to suppress."""
    return charity_campaign(300)
