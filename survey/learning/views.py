"""Module pages and knowledge checks, inside a GP's campaign."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.learning import markdown, services
from survey.learning.content import figure_path
from survey.learning.quiz import parse_choices
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("learning", __name__)


def _open_module(slug: str, module_slug: str):
    """The GP's enrolment and the module, or 404; None for the enrolment when modules are still locked."""
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    if module_slug not in enrolment.campaign.module_slugs:
        abort(404)
    module = library().modules[module_slug]
    if not campaigns.journey_state(enrolment, library().modules).modules_unlocked:
        flash("Please answer the baseline survey first: it must come before any teaching.")
        return None, module
    return enrolment, module


def page_url(slug: str, module, target: str) -> str:
    """Where a link or image inside a page points (pages and figures of the same module)."""
    number = module.page_number_of(target.split("#")[0])
    if number:
        return url_for("learning.page", slug=slug, module_slug=module.slug, page=number)
    if figure_path(module.folder, target):
        return url_for("learning.figure", module_slug=module.slug, name=target.rsplit("/", 1)[-1])
    return target


@bp.get("/c/<slug>/m/<module_slug>")
@role_required("gp")
def resume(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
    if enrolment is None:
        return redirect(url_for("campaigns.overview", slug=slug))
    progress = services.progress_for(enrolment, module)
    db.session.commit()
    return redirect(url_for("learning.page", slug=slug, module_slug=module_slug, page=min(progress.current_page, module.page_count)))


@bp.route("/c/<slug>/m/<module_slug>/<int:page>", methods=["GET", "POST"])
@role_required("gp")
def page(slug: str, module_slug: str, page: int):
    enrolment, module = _open_module(slug, module_slug)
    if enrolment is None:
        return redirect(url_for("campaigns.overview", slug=slug))
    if not 1 <= page <= module.page_count:
        abort(404)
    progress = services.progress_for(enrolment, module)
    if request.method == "POST":
        services.finish_page(progress, page, module.page_count)
        db.session.commit()
        if page == module.page_count:
            return redirect(url_for("learning.check", slug=slug, module_slug=module_slug))
        return redirect(url_for("learning.page", slug=slug, module_slug=module_slug, page=page + 1))
    services.show_page(progress, page)
    db.session.commit()
    html = markdown.render(module.page_texts[page - 1], lambda kind, target: page_url(slug, module, target))
    return render_template("learning/page.html", enrolment=enrolment, module=module, page=page,
                           entry=module.pages[page - 1], html=html)


@bp.route("/c/<slug>/m/<module_slug>/check", methods=["GET", "POST"])
@role_required("gp")
def check(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
    if enrolment is None:
        return redirect(url_for("campaigns.overview", slug=slug))
    progress = services.progress_for(enrolment, module)
    if progress.pages_completed_at is None:
        db.session.commit()
        flash("Please work through the module's pages before its knowledge check.")
        return redirect(url_for("learning.resume", slug=slug, module_slug=module_slug))
    chosen, errors, marked = {}, {}, None
    if request.method == "POST":
        submitted = {q.id: request.form.getlist(q.id) for q in module.knowledge_check.questions}
        chosen, errors = parse_choices(module.knowledge_check, submitted)
        if not errors:
            marked = services.record_attempt(enrolment, module, progress, chosen)
    db.session.commit()
    return render_template("learning/check.html", enrolment=enrolment, module=module, progress=progress,
                           chosen=chosen, errors=errors, marked=marked)


@bp.get("/modules/<module_slug>/figures/<name>")
@login_required
def figure(module_slug: str, name: str):
    module = library().modules.get(module_slug) or abort(404)
    path = figure_path(module.folder, f"../figures/{name}")
    if path is None or not path.is_file():
        abort(404)
    return send_from_directory(path.parent, path.name, max_age=3600)
