"""A running test platform, registered with the tool, and a helper that walks a browser through a launch."""
from urllib.parse import urlsplit

import pytest

from survey.badges.keys import rotate
from survey.extensions import db
from survey.lti import services
from survey.lti.models import LtiPlatform
from tests.factories import make_campaign
from tests.lti.platform import Platform


@pytest.fixture(scope="session")
def tool_key_file(tmp_path_factory):
    """One tool key for the run: a 3072-bit RSA key per test would cost seconds each."""
    path = tmp_path_factory.mktemp("lti") / "lti-keys.json"
    rotate(path)
    return str(path)


@pytest.fixture
def config_overrides(tool_key_file):
    return {"LTI_KEYS_FILE": tool_key_file}


@pytest.fixture
def platform(app, client):
    running = Platform()
    running.trust_tool_keys(client.get("/lti/jwks.json").get_json())
    yield running
    running.stop()


@pytest.fixture
def registered(platform):
    form = platform.registration_form()
    fields = {k: v for k, v in form.items() if k != "deployment_ids"}
    services.register_platform(LtiPlatform(**fields), [form["deployment_ids"]])
    db.session.commit()
    return platform


@pytest.fixture
def campaign(app):
    return make_campaign(slug="back-to-work")


def authentication_request(client, platform, **login):
    """The browser follows the platform's login initiation to the tool, which sends it back to the platform."""
    response = client.get(platform.login_initiation(**login))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def post_launch(client, form: dict):
    """The browser posts the platform's auto-submitted form to the tool's redirect URI."""
    assert urlsplit(form["launch_url"]).path == "/lti/launch"
    response = client.post("/lti/launch", {"state": form["state"], "id_token": form["id_token"]})
    client._token = None  # a launch signs in: a new session, so a new CSRF token (as FormClient.login)
    return response


def launch(client, platform, **claims):
    return post_launch(client, platform.authorise(authentication_request(client, platform), **claims))
