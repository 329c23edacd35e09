"""Hostile SVG logos: each attack the old hand-written filter let through (and the classic ones) is
uploaded by an admin; only a PNG drawn from it is stored and served, nothing it references is fetched,
and a signed-in logo response is never publicly cacheable."""
import http.server
import io
import threading
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from survey.extensions import db
from survey.organisations.models import Organisation
from tests.factories import PASSWORD, make_user

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 20">{}</svg>'
RECT = '<rect width="40" height="20" fill="#5a1e82"/>'


@pytest.fixture
def listener():
    """A loopback HTTP server recording every request: proof that nothing is fetched while drawing."""
    seen = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def attacks(base: str) -> dict[str, str]:
    return {
        # The three the issue found:
        "set onmouseover": RECT + '<set attributeName="onmouseover" to="alert(document.cookie)"/>',
        "animate href javascript": '<a xlink:href="#x"><animate attributeName="href" values="javascript:alert(1)"/>'
                                   + RECT + "</a>",
        "style @import": f'<style>@import url({base}/import.css);</style>' + RECT,
        # And the classics:
        "script": "<script>alert(1)</script>" + RECT,
        "onload": RECT.replace("<rect", '<rect onload="alert(1)"'),
        "foreignObject": '<foreignObject width="40" height="20"><iframe xmlns="http://www.w3.org/1999/xhtml" '
                         'src="javascript:alert(1)"/></foreignObject>' + RECT,
        "external image": f'<image width="40" height="20" xlink:href="{base}/image.png"/>' + RECT,
        "external use": f'<use xlink:href="{base}/other.svg#x"/>' + RECT,
        "css url": f'<style>rect {{ fill: url({base}/paint.svg#p) }}</style>' + RECT,
        "file image": '<image width="40" height="20" xlink:href="file:///etc/passwd"/>' + RECT,
    }


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


@pytest.fixture
def admin(client):
    client.login(make_user("admin").email, PASSWORD)


@pytest.mark.parametrize("attack", list(attacks("http://x")))
def test_each_svg_attack_is_stored_and_served_only_as_a_png(app, client, admin, listener, make_client, attack):
    base, seen = listener
    svg = SVG.format(attacks(base)[attack]).encode()
    response = client.post("/manage/organisations/new", {"name": "Charity", "colour": "#5a1e82",
                                                         "logo": (io.BytesIO(svg), "logo.svg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    organisation = db.session.scalar(select(Organisation))
    assert organisation.logo_filename.endswith(".png")
    stored = (Path(app.config["UPLOAD_FOLDER"]) / "logos" / organisation.logo_filename).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (800, 400)
    for marker in (b"script", b"javascript", b"onmouseover", b"@import", b"<svg", b"alert", b"passwd"):
        assert marker not in stored
    assert seen == []  # CairoSVG fetched nothing it referenced

    gp = make_client()
    gp.login(make_user("gp").email, PASSWORD)
    served = gp.get(f"/organisations/{organisation.id}/logo")
    body = served.get_data()
    served.close()
    assert served.status_code == 200 and served.mimetype == "image/png" and body == stored
    cache = served.headers["Cache-Control"]
    assert "public" not in cache and "private" in cache, cache
    assert "Cookie" in served.headers["Vary"]
