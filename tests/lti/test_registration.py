"""An admin registers a platform; the tool publishes its keys (private halves never)."""
from sqlalchemy import select

from survey.extensions import db
from survey.lti.models import LtiPlatform
from tests.factories import PASSWORD, make_user

FORM = {"name": "Deanery Moodle", "issuer": "https://moodle.deanery.example", "client_id": "abc123",
        "auth_login_url": "https://moodle.deanery.example/mod/lti/auth.php",
        "auth_token_url": "https://moodle.deanery.example/mod/lti/token.php",
        "jwks_url": "https://moodle.deanery.example/mod/lti/certs.php", "deployment_ids": "1\n2\n"}


def admin(client):
    client.login(make_user(role="admin").email, PASSWORD)
    return client


def test_an_admin_registers_a_platform_with_its_deployments(app, client):
    admin(client)
    assert client.post("/admin/lti/new", FORM).status_code == 302
    platform = db.session.scalar(select(LtiPlatform))
    assert (platform.issuer, [d.deployment_id for d in platform.deployments]) == (FORM["issuer"], ["1", "2"])
    assert "lti.platform_saved" in client.get("/admin/audit").get_data(as_text=True)
    listing = client.get("/admin/lti/").get_data(as_text=True)
    assert "Deanery Moodle" in listing and "http://localhost/lti/login" in listing and "http://localhost/lti/jwks.json" in listing


def test_an_edit_keeps_the_deployments_left_and_drops_the_others(app, client):
    admin(client)
    client.post("/admin/lti/new", FORM)
    platform = db.session.scalar(select(LtiPlatform))
    assert client.post(f"/admin/lti/{platform.id}", {**FORM, "deployment_ids": "2\n3"}).status_code == 302
    db.session.expire_all()
    assert [d.deployment_id for d in db.session.get(LtiPlatform, platform.id).deployments] == ["2", "3"]


def test_bad_input_gets_a_message_and_keeps_what_was_typed(app, client):
    admin(client)
    client.post("/admin/lti/new", FORM)
    again = client.post("/admin/lti/new", {**FORM, "name": "Second copy"}).get_data(as_text=True)
    assert "already registered with this issuer and client id" in again and 'value="Second copy"' in again
    broken = client.post("/admin/lti/new", {**FORM, "client_id": "other", "jwks_url": "not a url", "deployment_ids": " "})
    page = broken.get_data(as_text=True)
    assert broken.status_code == 200 and "Enter a full address" in page and 'value="not a url"' in page
    assert db.session.scalar(select(db.func.count()).select_from(LtiPlatform)) == 1


def test_the_tool_publishes_only_public_keys(app, client):
    keys = client.get("/lti/jwks.json").get_json()["keys"]
    assert keys and all(key["kty"] == "RSA" and "d" not in key and key["alg"] == "RS256" for key in keys)


def test_rotating_keeps_the_earlier_key_published(app, client, tmp_path):
    app.config["LTI_KEYS_FILE"] = str(tmp_path / "keys.json")
    first = client.get("/lti/jwks.json").get_json()["keys"]
    result = app.test_cli_runner().invoke(args=["lti-keys", "rotate"])
    assert result.exit_code == 0 and "New signing key" in result.output
    after = [key["kid"] for key in client.get("/lti/jwks.json").get_json()["keys"]]
    assert len(after) == 2 and after[1] == first[0]["kid"]


def test_without_a_key_file_in_production_the_tool_says_it_is_not_set_up(app, client, tmp_path):
    app.config.update(LTI_KEYS_FILE=str(tmp_path / "missing.json"), SURVEY_ENV="production")
    response = client.get("/lti/jwks.json")
    assert response.status_code == 503 and "LTI is not set up" in response.get_data(as_text=True)
