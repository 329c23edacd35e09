"""The header's navigation: the pages each role may open, as (label, endpoint) pairs. Pure.

The roles match the views' ``role_required`` (admins pass every role check, so they see the
educators' pages as well as their own).
"""
from typing import NamedTuple


class NavItem(NamedTuple):
    label: str
    endpoint: str


GP = (NavItem("Your learning", "campaigns.home"), NavItem("My learning", "record.my_learning"),
      NavItem("Modules", "catalogue.catalogue"), NavItem("Your data", "privacy.index"))
EDUCATOR = (NavItem("Dashboard", "educator.index"), NavItem("Manage", "manage.index"),
            NavItem("Modules", "preview.index"), NavItem("Instruments", "instruments.index"))
ADMIN = (NavItem("Accounts", "admin.users"), NavItem("Organisations", "organisations.index"),
         NavItem("Certificates", "certificate_admin.index"), NavItem("GMC claims", "gmc_claims.index"),
         NavItem("Audit log", "admin.audit"))
CHARITY = (NavItem("Reports", "reports.charity_index"),)
DEVICES = NavItem("Devices", "auth.session_list")


def navigation_for(role: str | None) -> tuple[NavItem, ...]:
    """Links for the header of a signed-in user of ``role`` (none when signed out)."""
    by_role = {"gp": GP, "educator": EDUCATOR, "admin": EDUCATOR + ADMIN, "charity": CHARITY}
    if role not in by_role:
        return ()
    return by_role[role] + (DEVICES,)


def is_current(item: NavItem, endpoint: str | None) -> bool:
    """The link of the section the page belongs to: its own endpoint or one of the same blueprint."""
    if endpoint is None:
        return False
    if endpoint == item.endpoint:
        return True
    blueprint = item.endpoint.split(".")[0]
    return blueprint not in {"campaigns", "admin"} and endpoint.split(".")[0] == blueprint
