"""Content versions: what a GP mid-module sees after the module's files change (README, "Content versions")."""
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from survey.extensions import db
from survey.learning.models import ModuleProgress, ModuleVersion, PageView, QuizAttempt
from survey.library import library
from tests.journey import answers_for, read_pages
from tests.learning.conftest import enrol_ready_gp, text

MODULE = "referring-to-vocational-support"
CONTENT = Path(__file__).resolve().parents[2] / "modules"


@pytest.fixture
def config_overrides(tmp_path):
    copy = tmp_path / "modules"
    shutil.copytree(CONTENT, copy)
    return {"CONTENT_DIR": str(copy)}


def publish(app, change):
    """Edit the module's files and load the content again, as a deploy's restart does."""
    folder = Path(app.config["CONTENT_DIR"]) / MODULE
    change(folder)
    app.extensions.pop("survey_library")
    return library().modules[MODULE]


def drop_last_two_pages_and_reword_page_one(folder: Path):
    data = yaml.safe_load((folder / "module.yaml").read_text())
    data["pages"] = data["pages"][:5]
    kept = {entry["file"] for entry in data["pages"]}
    for question in data["knowledge_check"]["questions"]:  # pages to revisit must still exist
        question["pages"] = [file for file in question.get("pages", []) if file in kept] or [data["pages"][0]["file"]]
    (folder / "module.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    page = folder / "pages" / "01-why-referral-matters.md"
    page.write_text(page.read_text() + "\n\nA sentence added in the new version.\n")


def state():
    db.session.expire_all()
    progress = db.session.scalar(select(ModuleProgress))
    versions = {v.id: v.version for v in db.session.scalars(select(ModuleVersion))}
    return progress, versions


def test_mid_module_gp_continues_on_the_new_version_at_the_same_page_clamped(app, client):
    gp = enrol_ready_gp(client, modules=[MODULE])
    old = library().modules[MODULE]
    for page in range(1, 7):  # six of seven pages read; now on page 7
        client.get(f"/c/{gp.slug}/m/{MODULE}/{page}")
        client.post(f"/c/{gp.slug}/m/{MODULE}/{page}")
    client.get(f"/c/{gp.slug}/m/{MODULE}/7")
    before, _ = state()
    seconds_before = before.seconds_spent

    new = publish(app, drop_last_two_pages_and_reword_page_one)
    assert new.version != old.version and new.page_count == 5

    resumed = client.get(f"/c/{gp.slug}/m/{MODULE}")
    assert resumed.headers["Location"].endswith(f"/m/{MODULE}/5")  # page 7 no longer exists
    page = text(client.get(f"/c/{gp.slug}/m/{MODULE}/5"))
    assert "Page 5 of 5" in page and "Go to the knowledge check" in page
    assert "A sentence added in the new version." in text(client.get(f"/c/{gp.slug}/m/{MODULE}/1"))

    progress, versions = state()
    assert versions[progress.module_version_id] == new.version
    assert progress.seconds_spent >= seconds_before  # time already studied is kept
    shown = [(v.page, versions[v.module_version_id]) for v in db.session.scalars(select(PageView).order_by(PageView.id))]
    assert shown[:7] == [(n, old.version) for n in range(1, 8)]
    assert shown[7:] == [(5, new.version), (1, new.version)]


def test_a_passed_module_stays_passed_and_new_attempts_record_the_new_version(app, client):
    gp = enrol_ready_gp(client, modules=[MODULE])
    old = library().modules[MODULE]
    read_pages(client, gp.slug, old)
    form = text(client.get(f"/c/{gp.slug}/m/{MODULE}/check"))
    assert "passed" in text(client.post(f"/c/{gp.slug}/m/{MODULE}/check", answers_for(form, old)))

    new = publish(app, drop_last_two_pages_and_reword_page_one)
    overview = text(client.get(f"/c/{gp.slug}"))
    assert "Best score 100%" in overview
    form = text(client.get(f"/c/{gp.slug}/m/{MODULE}/check"))
    client.post(f"/c/{gp.slug}/m/{MODULE}/check", answers_for(form, new))

    progress, versions = state()
    assert progress.passed_at is not None and progress.best_score == 100
    assert [versions[a.module_version_id] for a in db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id))] == [
        old.version, new.version]
