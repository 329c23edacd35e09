"""The README's screenshots (docs/screenshots/), from `seed-demo` data, at 375 px and 1280 px.

Not a test and not run in CI: a fresh SQLite database is migrated and seeded with the demo, the app
is served by `flask run` on a free loopback port, and Debian's Chromium opens, signed in as the
demo accounts: the GP's journey (task list), the module page the GP is part-way through, the first
baseline page of a GP who just joined, the educator's campaign dashboard and the charity's report.
Each shot is the visible window (812 or 900 px high), reduced to a 256-colour palette to stay small.

    .venv/bin/python bench/screenshots.py                        # seeds and serves its own demo
    .venv/bin/python bench/screenshots.py http://127.0.0.1:5000  # or shoots a running `make run`
"""
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: E402

OUT = PROJECT / "docs" / "screenshots"
FLASK = [str(PROJECT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
PASSWORD = "demo-password-1"
WIDTHS = ((PHONE, "375"), (DESKTOP, "desktop"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_demo(folder: str, port: int) -> subprocess.Popen:
    """Migrate and seed a fresh database, then serve it; returns the server once it answers."""
    env = {**os.environ, "SURVEY_ENV": "development", "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite",
           "BASE_URL": f"http://127.0.0.1:{port}"}
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(FLASK + command, env=env, cwd=PROJECT, check=True, capture_output=True)
    server = subprocess.Popen(FLASK + ["run", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=PROJECT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):  # loading the content library takes about 30 s on a loaded two-core machine
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("the demo server did not start")


def save(page, name: str) -> None:
    """The page at both widths, as name-375.png and name-desktop.png, palette PNGs."""
    for size, suffix in WIDTHS:
        page.set_viewport_size(size)
        shot = Image.open(io.BytesIO(page.screenshot()))
        path = OUT / f"{name}-{suffix}.png"
        shot.convert("RGB").quantize(colors=256).save(path, optimize=True)
        print(f"{path.relative_to(PROJECT)}: {path.stat().st_size // 1024} KB")
    page.set_viewport_size(DESKTOP)


def signed_in(browser, base_url: str, email: str):
    page = browser.new_context(base_url=base_url, viewport=DESKTOP).new_page()
    page.set_default_timeout(180_000)  # a report's first build for the demo cohort takes a while
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def shoot(base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        gp = signed_in(browser, base_url, "gp@example.org")
        gp.goto("/c/demo")
        save(gp, "gp-journey")
        with gp.expect_navigation():
            gp.locator("main").get_by_role("link", name="Continue").first.click()  # where the GP left off
        save(gp, "module-page")
        newcomer = signed_in(browser, base_url, "demo-gp-01@example.org")  # just joined: baseline not started
        newcomer.goto("/c/demo/survey/pre")
        save(newcomer, "survey-page")
        educator = signed_in(browser, base_url, "educator@example.org")
        educator.goto("/educator/campaigns/demo")
        save(educator, "educator-campaign")
        charity = signed_in(browser, base_url, "charity@example.org")
        charity.goto("/charity/reports/demo")
        save(charity, "charity-report")
        browser.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) > 1:
        shoot(sys.argv[1].rstrip("/"))
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = serve_demo(folder, port)
        try:
            shoot(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
