"""Notes in the modules' Reflection boxes, and the structured final reflection they are offered to."""
from sqlalchemy import select

from survey.certificates.reflection_prompts import PROMPTS, compose, split
from survey.extensions import db
from survey.learning.models import ReflectionNote
from survey.learning.notes import reflection_boxes, split_after_boxes
from survey.library import library
from tests.learning.conftest import text

MODULE = "cancer-and-work"
PAGE = 2  # 02-treatment-effects.md has "::: reflection Think of a patient"


def test_boxes_are_found_in_page_order_and_the_html_is_cut_after_each(app):
    page = library().modules[MODULE].page_texts[PAGE - 1]
    assert [box.title for box in reflection_boxes(page)] == ["Think of a patient"]
    html = '<p>a</p><aside class="callout callout-reflection" aria-label="x">b</aside><p>c</p>'
    assert split_after_boxes(html) == [('<p>a</p><aside class="callout callout-reflection" aria-label="x">b</aside>', 1),
                                       ("<p>c</p>", None)]


def test_a_note_is_saved_shown_again_and_kept_private(gp, client, make_client):
    page = text(client.get(f"/c/{gp.slug}/m/{MODULE}/{PAGE}"))
    assert 'Your private note: Think of a patient' in page
    response = client.post(f"/c/{gp.slug}/m/{MODULE}/{PAGE}/notes/1", {"note": "Mrs A, back at work after chemo."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/m/{MODULE}/{PAGE}#note-1")
    assert "Mrs A, back at work after chemo.</textarea>" in text(client.get(f"/c/{gp.slug}/m/{MODULE}/{PAGE}"))
    assert "Mrs A, back at work after chemo." in text(client.get("/my-learning"))
    saved = db.session.scalar(select(ReflectionNote))
    assert (saved.module_slug, saved.page_file, saved.box, saved.prompt) == (MODULE, "02-treatment-effects.md", 1, "Think of a patient")
    # The page script's autosave gets JSON back; a second save rewrites the same note.
    again = client.post(f"/c/{gp.slug}/m/{MODULE}/{PAGE}/notes/1", {"note": "Mrs A again.", "background": "1"})
    assert again.get_json() == {"message": "Your note is saved."}
    db.session.expire_all()
    assert [n.text for n in db.session.scalars(select(ReflectionNote))] == ["Mrs A again."]
    other = make_client()
    from tests.learning.conftest import enrol_ready_gp
    enrol_ready_gp(other)
    assert other.post(f"/c/{gp.slug}/m/{MODULE}/{PAGE}/notes/1", {"note": "x"}).status_code == 404
    assert "Mrs A again." not in text(other.get("/my-learning"))


def test_a_too_long_note_is_refused_without_losing_it_and_unknown_boxes_are_404(gp, client):
    long = "x" * 2001
    response = client.post(f"/c/{gp.slug}/m/{MODULE}/{PAGE}/notes/1", {"note": long})
    assert response.status_code == 400
    page = text(response)
    assert "keep it under 2000" in page and long in page
    assert db.session.scalar(select(ReflectionNote)) is None
    assert client.post(f"/c/{gp.slug}/m/{MODULE}/{PAGE}/notes/2", {"note": "a"}).status_code == 404
    assert client.post(f"/c/{gp.slug}/m/{MODULE}/1/notes/1", {"note": "a"}).status_code == 404


def test_the_structured_reflection_round_trips_and_keeps_free_text():
    answers = {"learned": "Work is a health outcome.", "change": "I ask about work.", "next_steps": "Audit fit notes.", "impact": ""}
    composed = compose(answers)
    assert composed.startswith("What did I learn?\nWork is a health outcome.") and "What impact" not in composed
    assert split(composed) == {k: v for k, v in answers.items() if v}
    assert split("An old free-text reflection.") == {"learned": "An old free-text reflection."}
    assert [p.question for p in PROMPTS] == ["What did I learn?", "How will it change my practice?",
                                            "What will I do next?", "What impact will I look for?"]
