"""Fixtures shared by the evaluation tests."""
import pytest

from tests.factories import PASSWORD, make_user


@pytest.fixture
def educator_client(client):
    """A client signed in as an educator, who then creates the campaigns they manage."""
    client.user = make_user("educator", name="Erin Educator")
    client.login(client.user.email, PASSWORD)
    return client
