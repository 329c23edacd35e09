"""The committed design-system files are exactly what the pinned npm packages build (`make assets`)."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
VENDOR = PROJECT / "static" / "vendor" / "nhsuk"
PACKAGE = PROJECT / "node_modules" / "nhsuk-frontend"
DIST = PACKAGE / "dist" / "nhsuk"
SASS = PROJECT / "node_modules" / ".bin" / "sass"


@pytest.fixture(scope="module")
def installed():
    if not DIST.is_dir() or not SASS.is_file():
        pytest.fail("nhsuk-frontend and sass are not installed: run `npm ci` in the project folder.", pytrace=False)
    return DIST


def test_nhsuk_frontend_is_pinned_exactly():
    pinned = json.loads((PROJECT / "package.json").read_text())["devDependencies"]
    installed_version = json.loads((PACKAGE / "package.json").read_text())["version"]
    assert pinned["nhsuk-frontend"] == installed_version
    lock = json.loads((PROJECT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/nhsuk-frontend"]["version"] == installed_version


def test_stylesheet_is_the_build_of_the_pinned_package(installed, tmp_path):
    built = tmp_path / "nhsuk.css"
    subprocess.run([str(SASS), "--no-source-map", "--style=compressed", "--load-path=node_modules",
                    "assets/design.scss", str(built)], cwd=PROJECT, check=True)
    assert built.read_bytes() == (VENDOR / "nhsuk.css").read_bytes(), "run `make assets` and commit the result"


def test_script_and_icons_are_the_packages_own(installed):
    assert (VENDOR / "nhsuk-frontend.min.js").read_bytes() == (installed / "nhsuk-frontend.min.js").read_bytes()
    for icon in (VENDOR / "images").iterdir():
        assert icon.read_bytes() == (installed / "assets" / "images" / icon.name).read_bytes(), icon.name


def test_no_nhs_font_or_asset_server():
    """Frutiger is licensed to NHS services only, and the CSP forbids other hosts."""
    css = (VENDOR / "nhsuk.css").read_text()
    assert "Frutiger" not in css and "assets.nhs.uk" not in css and "@font-face" not in css
    assert "system-ui" in css
    icons = [url for url in __import__("re").findall(r"url\(([^)]*)\)", css)]
    assert icons and all(u.strip("\"'").startswith("images/") for u in icons)
    assert all((VENDOR / u.strip("\"'")).is_file() for u in icons)
