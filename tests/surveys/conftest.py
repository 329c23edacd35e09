"""Survey engine fixtures: a content folder with the real content plus a small test instrument
with every item type, and a way to redeploy edited content."""
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.factories import PASSWORD, make_campaign, make_user

TEST_INSTRUMENT = "every-item-type"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    folder = tmp_path / "modules"
    shutil.copytree(PROJECT / "modules", folder)
    shutil.copy(Path(__file__).parent / "content" / f"{TEST_INSTRUMENT}.yaml", folder / "instruments")
    return folder


@pytest.fixture
def config_overrides(content_dir):
    return {"CONTENT_DIR": str(content_dir)}


@pytest.fixture
def redeploy(app, content_dir):
    """Edit an instrument file and load the content again, as a restart after a deploy would."""

    def edit(slug: str, old: str, new: str):
        path = content_dir / "instruments" / f"{slug}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        app.extensions.pop("survey_library", None)

    return edit


@pytest.fixture
def enrolled(app, make_client):
    """enrolled(instrument=..., email=...) -> (campaign, client): a signed-in GP who joined a new campaign."""

    def enrol(instrument: str = TEST_INSTRUMENT, email: str | None = None, campaign=None, **campaign_options):
        campaign = campaign or make_campaign(instrument=instrument, **campaign_options)
        user = make_user(email=email)
        client = make_client()
        client.login(user.email, PASSWORD)
        assert client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"}).status_code == 302
        return campaign, client

    return enrol
