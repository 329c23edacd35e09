"""The header: each role sees a link to every page it may open, and each link opens (200)."""
import re

import pytest

from tests.factories import make_user

EXPECTED = {
    "gp": ["Your learning", "My learning", "Modules", "Your data", "Devices"],
    "educator": ["Dashboard", "Manage", "Modules", "Instruments", "Devices"],
    "charity": ["Reports", "Devices"],
    "admin": ["Dashboard", "Manage", "Modules", "Instruments", "Accounts", "Organisations", "Certificates",
              "GMC claims", "Audit log", "Devices"],
}
LINK = re.compile(r'<a class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)<')


@pytest.mark.parametrize("role", EXPECTED)
def test_every_header_link_of_a_role_opens(app, client, role):
    user = make_user(role)
    client.login(user.email)
    page = client.get("/modules" if role in ("gp", "educator", "admin") else "/").get_data(as_text=True)
    links = LINK.findall(page)
    assert [label for _, label in links] == EXPECTED[role]
    for href, label in links:
        assert client.get(href).status_code == 200, label


def test_signed_out_header_offers_sign_in_only(client):
    page = client.get("/login").get_data(as_text=True)
    assert LINK.findall(page) == [] and ">Sign in</a>" in page and ">Register</a>" in page
    assert "nhsuk-header__logo" not in page and "assets.nhs.uk" not in page  # not an NHS service
