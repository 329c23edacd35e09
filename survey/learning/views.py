"""Module pages, references and knowledge checks, inside a GP's campaign."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.learning import services
from survey.learning.content import figure_path
from survey.learning.local_routes import for_campaign
from survey.learning.quiz import parse_choices
from survey.learning.rendering import page_html
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


@bp.route("/c/<slug>/m/<module_slug>/<int:page>", methods=["GET", "POST"])
@role_required("gp")
def page(slug: str, module_slug: str, page: int):
    enrolment, module = _open_module(slug, module_slug)
    if not 1 <= page <= module.page_count:
        abort(404)
    progress = services.progress_for(enrolment, module)
    if request.method == "POST":
        services.finish_page(progress, page, module.page_count)
        db.session.commit()
        if page == module.page_count:
            return redirect(url_for("learning.check", slug=slug, module_slug=module_slug))
        return redirect(url_for("learning.page", slug=slug, module_slug=module_slug, page=page + 1))
    services.show_page(progress, module, page)
    db.session.commit()
    return render_template("learning/page.html", enrolment=enrolment, module=module, page=page,
                           entry=module.pages[page - 1],
                           html=page_html(module, page, "learning.page", campaigns.nation_for(current_user, enrolment),
                                          slug=slug))


@bp.get("/c/<slug>/m/<module_slug>/references")
@role_required("gp")
def references(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
    progress = services.progress_for(enrolment, module)
    db.session.commit()
    back = url_for("learning.page", slug=slug, module_slug=module_slug, page=progress.current_page)
    return render_template("learning/references.html", module=module, back=back,
                           crumbs=[(enrolment.campaign.title, url_for("campaigns.overview", slug=slug))])


@bp.route("/c/<slug>/m/<module_slug>/check", methods=["GET", "POST"])
@role_required("gp")
def check(slug: str, module_slug: str):
    enrolment, module = _open_module(slug, module_slug)
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
