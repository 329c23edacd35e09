"""Admins manage organisations: brand colour, and logos checked, stored privately and served by a route."""
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from survey.extensions import db
from survey.organisations.logos import LogoInvalid, logo_kind
from survey.organisations.models import Organisation
from tests.factories import PASSWORD, make_user


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#0b6b66").save(out, "PNG")
    return out.getvalue()


def post_organisation(client, logo: bytes | None = None, filename="logo.png", **changes):
    data = {"name": "Macmillan Cancer Support", "colour": "#5a1e82", **changes}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), filename)
    return client.post("/manage/organisations/new", data, content_type="multipart/form-data")


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


@pytest.fixture
def admin(client):
    client.login(make_user("admin").email, PASSWORD)


def test_an_admin_creates_an_organisation_with_a_logo_served_only_by_its_route(app, client, admin, make_client):
    picker = client.get("/manage/organisations/new").get_data(as_text=True)
    assert 'name="colour" type="color" value="#0b6b66"' in picker  # a colour picker, not a hex code to type
    assert post_organisation(client, png_bytes(), colour="#5A1E82").status_code == 302  # hex in any case
    organisation = db.session.scalar(select(Organisation))
    assert (organisation.slug, organisation.colour) == ("macmillan-cancer-support", "#5a1e82")
    stored = Path(app.config["UPLOAD_FOLDER"]) / "logos" / organisation.logo_filename
    assert stored.read_bytes() == png_bytes()
    response = client.get(f"/organisations/{organisation.id}/logo")
    assert response.mimetype == "image/png" and response.data == png_bytes()
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    response.close()
    assert make_client().get(f"/organisations/{organisation.id}/logo").status_code == 302  # sign in first


@pytest.mark.parametrize("changes, logo, filename, message", [
    ({"colour": "purple"}, None, None, "Use the form #rrggbb"),
    ({"name": ""}, None, None, "Give the organisation&#39;s name."),
    ({}, b"GIF89a not a logo", "logo.png", "Upload the logo as a PNG, JPEG or SVG file."),
    ({}, b"\x89PNG\r\n\x1a\nbroken", "logo.png", "damaged or not really a PNG"),
    ({}, b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "logo.svg", "The SVG must say its size"),
])
def test_bad_organisation_input_gets_a_message_beside_the_field(client, admin, changes, logo, filename, message):
    response = post_organisation(client, logo, filename, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert db.session.scalar(select(Organisation.id)) is None
    if "colour" in changes:
        assert 'value="purple"' in page  # what was typed stays


def test_logos_over_the_size_limit_are_refused():
    # Checked here rather than through the test client, whose spooled upload file for big bodies is never closed.
    with pytest.raises(LogoInvalid, match="larger than 512 KB"):
        logo_kind(png_bytes() + b"0" * 600_000)


def test_svg_logos_are_stored_as_png_and_unreadable_ones_refused():
    assert logo_kind(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>') == "png"
    for refused in (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
                    b'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="10"/>',
                    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4"'):
        with pytest.raises(LogoInvalid):
            logo_kind(refused)


def test_educators_cannot_manage_organisations(client):
    client.login(make_user("educator").email, PASSWORD)
    assert client.get("/manage/organisations").status_code == 403


def test_two_admins_creating_the_same_organisation_at_once_get_a_message_not_a_500(app, monkeypatch):
    from survey.organisations import services
    from tests.learning.test_concurrency import at_once, held_together

    held_together(monkeypatch, services, "_unique_slug")  # both looked for a clash and found none

    def create():
        with app.app_context():
            try:
                services.save_organisation(None, "Same Charity", "#5a1e82", None)
                db.session.commit()
                return "saved"
            except services.OrganisationError as error:
                db.session.rollback()
                return error.message
    results = sorted(at_once(create, create))
    assert results == ["An organisation with this name was created just now.", "saved"]
    assert len(db.session.scalars(select(Organisation)).all()) == 1
