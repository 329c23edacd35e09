"""Educators preview every page, reference list and knowledge check, with the answer key, without enrolling."""
import pytest
from markupsafe import escape
from sqlalchemy import func, select

from survey.extensions import db
from survey.learning.models import ModuleProgress, PageView
from survey.library import library
from tests.factories import make_user
from tests.learning.conftest import text


@pytest.fixture
def educator(client):
    client.login(make_user("educator").email)
    return client


def test_index_lists_every_module_page_and_check(educator):
    page = text(educator.get("/educator/modules/"))
    for module in library().modules.values():
        assert f'href="/educator/modules/{module.slug}/check"' in page
        for number in range(1, module.page_count + 1):
            assert f'href="/educator/modules/{module.slug}/{number}"' in page


def test_every_page_of_every_module_renders_without_recording_anything(educator):
    for module in library().modules.values():
        for number, entry in enumerate(module.pages, start=1):
            page = text(educator.get(f"/educator/modules/{module.slug}/{number}"))
            assert f"<h1>{escape(entry.title)}</h1>" in page, (module.slug, number)
            assert "nothing is recorded" in page
        links = text(educator.get(f"/educator/modules/{module.slug}/2"))
        assert f'href="/educator/modules/{module.slug}/1"' in links
        assert educator.get(f"/educator/modules/{module.slug}/{module.page_count + 1}").status_code == 404
        assert escape(module.references[0][:40]) in text(educator.get(f"/educator/modules/{module.slug}/references"))
    assert db.session.scalar(select(func.count()).select_from(PageView)) == 0
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 0


def test_check_preview_shows_the_answer_key_and_all_feedback(educator):
    for module in library().modules.values():
        page = text(educator.get(f"/educator/modules/{module.slug}/check"))
        questions = module.knowledge_check.questions
        assert page.count('<span class="tag">Correct answer</span>') == sum(len(q.correct_indexes) for q in questions)
        for question in questions:
            for option in question.options:
                assert escape(option.feedback) in page


def test_preview_is_for_educators_and_admins_only(app, make_client):
    for role, status in (("gp", 403), ("charity", 403), ("admin", 200)):
        other = make_client()
        other.login(make_user(role).email)
        assert other.get("/educator/modules/cancer-and-work/check").status_code == status, role
        assert other.get("/educator/modules/cancer-and-work/1").status_code == status, role
    assert make_client().get("/educator/modules/").headers["Location"].startswith("/login")
    admin = make_client()
    admin.login(make_user("admin").email)
    assert admin.get("/educator/modules/no-such-module/1").status_code == 404
