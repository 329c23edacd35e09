"""Every page's footer links the operator's privacy notice, accessibility statement and contact page; personal
responses are never cached."""
import pytest

from survey.extensions import db
from survey.privacy.nostore import is_personal
from tests.factories import PASSWORD, make_campaign, make_user


@pytest.fixture
def config_overrides(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "privacy.md").write_text("# Privacy\n\nWe are **Acme Health**.\n\n<script>alert(1)</script>\n", encoding="utf-8")
    (site / "accessibility.md").write_text("# A11y\n\nKeyboard works.\n", encoding="utf-8")
    return {"SITE_DIR": str(site)}


def test_the_footer_links_the_three_pages_an_operator_edits(client):
    for path in ("/", "/login", "/join", "/verify"):
        page = client.get(path).get_data(as_text=True)
        assert all(f'href="/{name}"' in page for name in ("privacy", "accessibility", "contact")), path
    notice = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in notice and "<strong>Acme Health</strong>" in notice
    assert "<script>alert" not in notice  # the sanitised renderer: an edit cannot inject script
    assert "Keyboard works." in client.get("/accessibility").get_data(as_text=True)
    assert client.get("/contact").status_code == 404  # the operator removed it: not a 500


def test_the_shipped_drafts_render_and_mark_their_placeholders(app):
    app.config["SITE_DIR"] = None
    client = app.test_client()
    for path in ("/privacy", "/accessibility", "/contact"):
        page = client.get(path).get_data(as_text=True)
        assert "Operator: edit this file" in page and "[[" in page, path
    assert "never ticked for you" in client.get("/privacy").get_data(as_text=True)


def test_responses_with_personal_data_say_no_store(client, make_client):
    gp = make_user(email="nina@example.org")
    campaign = make_campaign()
    client.login(gp.email, PASSWORD)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    for path in ("/account/", "/account/export.json", "/account/export.csv", f"/c/{campaign.slug}", "/my-learning",
                 "/my-learning/log.csv", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
    anonymous = make_client()
    assert "no-store" not in anonymous.get("/login").headers.get("Cache-Control", "")  # nothing personal

    educator = make_user("educator")
    campaign.educators.append(educator)
    db.session.commit()
    staff = make_client()
    staff.login(educator.email, PASSWORD)
    for path in (f"/educator/campaigns/{campaign.slug}", f"/manage/campaigns/{campaign.slug}",
                 f"/educator/campaigns/{campaign.slug}/export/long.csv"):
        response = staff.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path


def test_the_no_store_rule():
    assert is_personal("certificates.verify", "text/html", signed_in=False, marked=False)
    assert is_personal("auth.login", "text/html", signed_in=False, marked=True)
    assert not is_personal("auth.login", "text/html", signed_in=False, marked=False)
    assert not is_personal("static", "text/css", signed_in=True, marked=False)
    assert not is_personal("organisations.logo", "image/png", signed_in=True, marked=False)
    assert is_personal("reports.educator_pdf", "application/pdf", signed_in=True, marked=False)
