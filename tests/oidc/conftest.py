"""A provider running for the module, a configured provider row for it, and a browser's round trip through it."""
from urllib.parse import urlsplit

import pytest
import requests

from survey.extensions import db
from survey.oidc import services
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture(scope="module")
def running_provider():
    with Provider() as provider:
        yield provider


@pytest.fixture
def provider(running_provider):
    """The running provider with nobody signed in there yet, behaving properly."""
    running_provider.person, running_provider.id_token_overrides = None, {}
    return running_provider


@pytest.fixture
def configured(app, provider):
    """The provider as an admin would configure it here."""
    row = services.save_provider(None, "OpenAthens", provider.issuer, CLIENT_ID, CLIENT_SECRET, True)
    db.session.commit()
    return row


def visit_provider(client, provider_id: int) -> str:
    """Press "Sign in with ..." and let the provider answer; returns the callback URL it sends the browser to."""
    start = client.get(f"/login/oidc/{provider_id}")
    assert start.status_code == 302, start.get_data(as_text=True)
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = at_provider.headers["Location"]
    assert back.startswith("http://localhost/login/oidc/callback?")
    return back


def sign_in_through(client, provider_id: int):
    """The whole round trip: the response to the callback (a redirect home, or to the sign-in page)."""
    back = urlsplit(visit_provider(client, provider_id))
    return client.get(f"{back.path}?{back.query}")
