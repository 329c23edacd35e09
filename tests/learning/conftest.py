"""A GP ready to study: signed in, enrolled in a campaign with every module, baseline submitted."""
from types import SimpleNamespace

import pytest

from survey.library import library
from tests.factories import make_campaign, make_user
from tests.journey import answer_survey


def enrol_ready_gp(client, modules=None, nation="england", campaign=None):
    """Sign a new GP in on ``client``, enrol them (practising in ``nation``) and submit the baseline so modules open."""
    user = make_user("gp")
    campaign = campaign or make_campaign(modules=modules or list(library().modules))
    client.login(user.email)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": nation})
    answer_survey(client, campaign.slug, "pre", library().instruments["gp-work-health-attitudes"].data)
    return SimpleNamespace(user=user, campaign=campaign, slug=campaign.slug)


@pytest.fixture
def gp(app, client):
    return enrol_ready_gp(client)


def text(response) -> str:
    return response.get_data(as_text=True)
