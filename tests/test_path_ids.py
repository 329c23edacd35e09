"""Path ids past the database's integer range (2^31 and more) are "not found", never a database error."""
import pytest

from survey.web.converters import MAX_ID
from tests.access_world import MODULE, build_world
from tests.factories import PASSWORD

HUGE = [2**31, 2**63, 10**30]
#: Values for the path's other (non-integer) parts, so each request reaches as far into the view as it can.
OTHER = {"module_slug": MODULE, "wave": "pre", "kind": "long.csv", "instrument": "gp-work-health-attitudes",
         "slug": None, "code": None, "token": "t"}


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(type(c).__name__ == "IdConverter" for c in rule._converters.values())]


def _path(rule, values: dict, huge: int) -> str:
    parts = {}
    for name, converter in rule._converters.items():
        if type(converter).__name__ == "IdConverter":
            parts[name] = str(huge)
        elif name == "slug":
            parts[name] = values["campaign"]
        elif name == "code":
            parts[name] = values["code"]
        else:
            parts[name] = OTHER.get(name) or "x"
    path = rule.rule
    for name, value in parts.items():
        path = path.replace(f"<{name}>", value)
        for converter in ("int", "path", "string"):
            path = path.replace(f"<{converter}:{name}>", value)
    return path


def test_every_int_rule_uses_the_bounded_converter(app):
    rules = _int_rules(app)
    assert len(rules) >= 10, [r.rule for r in rules]
    assert all(rule._converters[name].max == MAX_ID for rule in rules
               for name in rule._converters if type(rule._converters[name]).__name__ == "IdConverter")


@pytest.mark.parametrize("role", ["admin", "educator"])
@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_are_not_found_on_every_route(app, make_client, role, huge):
    """Walks ``app.url_map``: every rule with an integer part, signed in as a role that may open it."""
    values, users = build_world()
    client = make_client()
    client.login(users[role].email, PASSWORD)
    wrong = []
    for rule in _int_rules(app):
        path = _path(rule, values, huge)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.get(path) if method == "GET" else client.post(path)
        response.close()
        if response.status_code != 404:
            wrong.append(f"{method} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_largest_id_is_still_a_plain_404_from_the_view(app, make_client):
    """2^31 - 1 fits the column: the rule matches, the database answers "no row", the view says 404."""
    values, users = build_world()
    client = make_client()
    client.login(users["admin"].email, PASSWORD)
    for rule in _int_rules(app):
        path = _path(rule, values, MAX_ID)
        response = client.get(path) if "GET" in rule.methods else client.post(path)
        response.close()
        assert response.status_code < 500, f"{path}: {response.status_code}"


@pytest.mark.parametrize("path", [
    "/organisations/2147483648/logo", "/manage/organisations/2147483648/edit", "/manage/cohorts/2147483648",
    "/manage/cohorts/2147483648/edit", "/admin/users/2147483648",
    "/educator/campaigns/{campaign}/cohorts/2147483648/report", "/educator/campaigns/{campaign}/cohorts/2147483648/report.pdf",
    "/educator/campaigns/{campaign}/cohorts/2147483648/export/long.csv",
    "/educator/instruments/gp-work-health-attitudes/2147483648/pre",
    "/c/{campaign}/survey/pre/2147483648", "/c/{campaign}/m/" + MODULE + "/2147483648",
    "/educator/modules/" + MODULE + "/2147483648",
])
def test_representative_route_of_each_blueprint(app, make_client, path):
    values, users = build_world()
    client = make_client()
    client.login(users["admin"].email, PASSWORD)
    assert client.get(path.format(**values)).status_code == 404
