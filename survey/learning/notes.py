"""The GP's private notes in a module's "Reflection" boxes (``::: reflection Title``). Callers commit.

Each box on a page has a text area; a note is kept per enrolment, module, page file and box number,
is shown only to the GP (in their learning record) and is offered, pre-filled and editable, when
they write their final reflection.
"""
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.learning.models import ReflectionNote

NOTE_MAX = 2000
REFLECTION_BOX = re.compile(r"^:::\s*reflection\b(.*)$", re.MULTILINE)
ASIDE_OPEN = '<aside class="callout callout-reflection"'


@dataclass(frozen=True)
class Box:
    number: int  #: 1-based, in page order
    title: str


def reflection_boxes(markdown_text: str) -> list[Box]:
    """The reflection boxes of a page, in order, with their titles ("Reflection" when untitled). Pure."""
    return [Box(n, match.group(1).strip() or "Reflection") for n, match in enumerate(REFLECTION_BOX.finditer(markdown_text), 1)]


def split_after_boxes(html: str) -> list[tuple[str, int | None]]:
    """The page's HTML cut just after each reflection box: (chunk, box number the chunk ends with,
    or None for the last chunk), so the page template can put the GP's note below each box. Pure."""
    chunks, start, number = [], 0, 0
    while (opened := html.find(ASIDE_OPEN, start)) != -1:
        closed = html.find("</aside>", opened)
        if closed == -1:
            break
        number += 1
        end = closed + len("</aside>")
        chunks.append((html[start:end], number))
        start = end
    chunks.append((html[start:], None))
    return chunks


def notes_for(enrolment: Enrolment, module_slug: str | None = None) -> list[ReflectionNote]:
    """The GP's notes in this enrolment (one module's, or all), in module, page and box order."""
    query = select(ReflectionNote).where(ReflectionNote.enrolment_id == enrolment.id)
    if module_slug is not None:
        query = query.where(ReflectionNote.module_slug == module_slug)
    notes = db.session.scalars(query.order_by(ReflectionNote.module_slug, ReflectionNote.page_file, ReflectionNote.box))
    return [note for note in notes if note.text.strip()]


def page_notes(enrolment: Enrolment, module_slug: str, page_file: str) -> dict[int, str]:
    """Box number -> note text, for one page."""
    return {note.box: note.text for note in db.session.scalars(select(ReflectionNote).where(
        ReflectionNote.enrolment_id == enrolment.id, ReflectionNote.module_slug == module_slug,
        ReflectionNote.page_file == page_file))}


def notes_text(notes: list[ReflectionNote]) -> str:
    """The notes as one text to start a reflection from: each under its box's title."""
    return "\n\n".join(f"{note.prompt}: {note.text.strip()}" for note in notes)


def save_note(enrolment: Enrolment, module_slug: str, page_file: str, box: Box, text: str) -> ReflectionNote:
    """Write or rewrite the note in one box (an empty text keeps an empty note: nothing is shown)."""
    note = db.session.scalar(select(ReflectionNote).where(
        ReflectionNote.enrolment_id == enrolment.id, ReflectionNote.module_slug == module_slug,
        ReflectionNote.page_file == page_file, ReflectionNote.box == box.number))
    if note is None:
        try:
            with db.session.begin_nested():
                note = ReflectionNote(enrolment_id=enrolment.id, module_slug=module_slug, page_file=page_file,
                                      box=box.number, prompt=box.title[:300], text="")
                db.session.add(note)
        except IntegrityError:  # a concurrent autosave created it first
            note = db.session.scalar(select(ReflectionNote).where(
                ReflectionNote.enrolment_id == enrolment.id, ReflectionNote.module_slug == module_slug,
                ReflectionNote.page_file == page_file, ReflectionNote.box == box.number))
    note.text, note.prompt = text.strip(), box.title[:300]
    db.session.flush()
    return note
