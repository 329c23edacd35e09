"""Module pages, references and knowledge checks, inside a GP's campaign."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.codes import is_number_text
from survey.learning import attempts, notes, quiz, services
from survey.learning.content import figure_path
from survey.learning.local_routes import for_campaign
from survey.learning.rendering import page_html
from survey.jobs.queue import enqueue
from survey.jobs.tasks import report_lti_progress
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("learning", __name__)


def _open_module(slug: str, module_slug: str):
    """The GP's enrolment and the module; 404 for anyone else's; back to the overview while modules are locked."""
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    if module_slug not in enrolment.campaign.module_slugs:
        abort(404)
    module = for_campaign(library().modules[module_slug], enrolment.campaign.local_routes)
    if not campaigns.journey_state(enrolment, library().modules).modules_unlocked:
        flash("Please answer the baseline survey first: it must come before any teaching.")
        abort(redirect(url_for("campaigns.overview", slug=slug)))
    return enrolment, module


@bp.get("/c/<slug>/m/<module_slug>")
@role_required("gp")
def resume(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
    progress = services.progress_for(enrolment, module)
    db.session.commit()
    return redirect(url_for("learning.page", slug=slug, module_slug=module_slug, page=progress.current_page))


def _reported(form) -> dict[int, int] | None:
    """The study-time script's report sent with a form (view id and active seconds), if well formed."""
    view, seconds = form.get("view", ""), form.get("active_seconds", "")
    if is_number_text(view) and is_number_text(seconds) and len(view) <= 9 and len(seconds) <= 7:  # within a 32-bit integer
        return {int(view): int(seconds)}
    return None


@bp.route("/c/<slug>/m/<module_slug>/<int:page>", methods=["GET", "POST"])
@role_required("gp")
def page(slug: str, module_slug: str, page: int):
    enrolment, module = _open_module(slug, module_slug)
    if not 1 <= page <= module.page_count:
        abort(404)
    progress = services.progress_for(enrolment, module)
    if request.method == "POST":
        services.finish_page(progress, module, page, _reported(request.form))
        db.session.commit()
        if page == module.page_count:
            return redirect(url_for("learning.check", slug=slug, module_slug=module_slug))
        return redirect(url_for("learning.page", slug=slug, module_slug=module_slug, page=page + 1))
    return _show(enrolment, module, progress, page)


def _show(enrolment, module, progress, page: int, typed: dict[int, str] | None = None, note_error: str = ""):
    """Record the view and render the page, with the GP's notes below its reflection boxes."""
    view = services.show_page(progress, module, page)
    db.session.commit()
    entry = module.pages[page - 1]
    html = page_html(module, page, "learning.page", campaigns.nation_for(current_user, enrolment),
                     slug=enrolment.campaign.slug)
    return render_template("learning/page.html", enrolment=enrolment, module=module, page=page, view=view,
                           status=services.status_of(progress, module), module_progress=progress, entry=entry,
                           chunks=notes.split_after_boxes(html), boxes=notes.reflection_boxes(module.page_texts[page - 1]),
                           saved_notes={**notes.page_notes(enrolment, module.slug, entry.file), **(typed or {})},
                           note_error=note_error, note_max=notes.NOTE_MAX), 400 if note_error else 200


@bp.post("/c/<slug>/m/<module_slug>/<int:page>/notes/<int:box>")
@role_required("gp")
def note(slug: str, module_slug: str, page: int, box: int):
    """Save the GP's private note in one reflection box (the form, or the page script's autosave)."""
    enrolment, module = _open_module(slug, module_slug)
    if not 1 <= page <= module.page_count:
        abort(404)
    boxes = notes.reflection_boxes(module.page_texts[page - 1])
    if not 1 <= box <= len(boxes):
        abort(404)
    text = request.form.get("note", "")
    wants_json = request.form.get("background") == "1"  # the page script's autosave or leaving beacon
    if len(text) > notes.NOTE_MAX:
        message = f"Your note is {len(text)} characters; keep it under {notes.NOTE_MAX}. It is not saved yet."
        if wants_json:
            return {"message": message}, 400
        return _show(enrolment, module, services.progress_for(enrolment, module), page, {box: text}, message)
    notes.save_note(enrolment, module_slug, module.pages[page - 1].file, boxes[box - 1], text)
    db.session.commit()
    if wants_json:
        return {"message": "Your note is saved."}
    flash("Your note is saved. Only you can see it; it is offered when you write your reflection.")
    return redirect(url_for("learning.page", slug=slug, module_slug=module_slug, page=page) + f"#note-{box}")


@bp.post("/c/<slug>/m/<module_slug>/time")
@role_required("gp")
def study_time(slug: str, module_slug: str):
    """The study-time script's heartbeat or leaving beacon: active seconds of one page view."""
    enrolment, module = _open_module(slug, module_slug)
    reported = _reported(request.form)
    if reported is None:
        return {"message": "Send a page view and whole seconds."}, 400
    progress = services.progress_for(enrolment, module)
    ((view_id, seconds),) = reported.items()
    accepted = services.report_active_time(progress, module, view_id, seconds)
    db.session.commit()
    return ("", 204) if accepted else ({"message": "That page view is closed."}, 409)


@bp.get("/c/<slug>/m/<module_slug>/references")
@role_required("gp")
def references(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
    progress = services.progress_for(enrolment, module)
    db.session.commit()
    back = url_for("learning.page", slug=slug, module_slug=module_slug, page=progress.current_page)
    return render_template("learning/references.html", module=module, back=back,
                           crumbs=[(enrolment.campaign.title, url_for("campaigns.overview", slug=slug))])


def _study_needed_message(status) -> str:
    """What is left before the knowledge check, in the GP's terms."""
    parts = []
    if status.remaining_seconds:
        parts.append(f"about {-(-status.remaining_seconds // 60)} more minutes of study "
                     f"(you have {status.active_seconds // 60} of the {status.needed_seconds // 60} minutes this module needs)")
    if status.unviewed_pages:
        parts.append("the pages " + ", ".join(f"\u201c{t}\u201d" for t in status.unviewed_pages))
    return "The knowledge check opens once you have studied the module's pages: still needed, " + " and ".join(parts) + "."


@bp.route("/c/<slug>/m/<module_slug>/check", methods=["GET", "POST"])
@role_required("gp")
def check(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
    progress = services.progress_for(enrolment, module)
    services.refresh_completion(progress, module)
    if progress.pages_completed_at is None:
        status = services.status_of(progress, module)
        db.session.commit()
        flash(_study_needed_message(status))
        return redirect(url_for("learning.resume", slug=slug, module_slug=module_slug))
    attempt = attempts.open_attempt(enrolment, module, progress)
    questions = quiz.shown(module.knowledge_check, attempt.questions)
    chosen, errors, result = {}, {}, None
    if request.method == "POST":
        if request.form.get("attempt", str(attempt.id)) != str(attempt.id):
            errors["attempt"] = "That attempt was already marked. Here is a new attempt, with new questions."
        else:
            chosen, errors = quiz.parse_choices(questions, {q.question.id: request.form.getlist(q.question.id) for q in questions})
            if not errors:
                result = attempts.submit_attempt(enrolment, module, progress, attempt, chosen)
    db.session.commit()
    if result is not None:  # the platform's gradebook is reached over the network: by a worker, not the GP's request
        enqueue(report_lti_progress, enrolment.id)
    return render_template("learning/check.html", enrolment=enrolment, module=module, progress=progress,
                           attempt=attempt, questions=questions, chosen=chosen, errors=errors, result=result,
                           next_action=campaigns.next_action(enrolment, library().modules) if progress.passed_at else None)


@bp.get("/modules/<module_slug>/figures/<name>")
@login_required
def figure(module_slug: str, name: str):
    module = library().modules.get(module_slug) or abort(404)
    path = figure_path(module.folder, f"../figures/{name}")
    if path is None or not path.is_file():
        abort(404)
    return send_from_directory(path.parent, path.name, max_age=3600)
