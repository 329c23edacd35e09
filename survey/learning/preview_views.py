"""Educators' preview of every module page, reference list and knowledge check (with its answer key).

Nothing is recorded: an educator reads modules without enrolling in a campaign.
"""
from flask import Blueprint, abort, render_template, request, url_for

from survey import clock
from survey.learning.content_rules import due_for_review
from survey.learning.rendering import page_html
from survey.library import library
from survey.nations import NATIONS
from survey.web.access import role_required

bp = Blueprint("preview", __name__, url_prefix="/educator/modules")


def _module(module_slug: str):
    return library().modules.get(module_slug) or abort(404)


@bp.get("/")
@role_required("educator")
def index():
    """Every module, with those due for review (past or within 60 days of review_by) listed first."""
    today = clock.uk_today()
    modules = list(library().modules.values())
    due = [m for m in modules if due_for_review(m.review_by, today)]
    return render_template("learning/preview_index.html", modules=modules, due=due, today=today,
                           tag_labels=library().tags)


@bp.get("/<module_slug>/<int:page>")
@role_required("educator")
def page(module_slug: str, page: int):
    module = _module(module_slug)
    if not 1 <= page <= module.page_count:
        abort(404)
    nation = request.args.get("nation") if request.args.get("nation") in NATIONS else None
    return render_template("learning/preview_page.html", module=module, page=page, entry=module.pages[page - 1],
                           html=page_html(module, page, "preview.page", nation), nation=nation, nations=NATIONS)


@bp.get("/<module_slug>/check")
@role_required("educator")
def check(module_slug: str):
    return render_template("learning/preview_check.html", module=_module(module_slug))


@bp.get("/<module_slug>/references")
@role_required("educator")
def references(module_slug: str):
    module = _module(module_slug)
    return render_template("learning/references.html", module=module,
                           back=url_for("preview.page", module_slug=module.slug, page=1),
                           crumbs=[("Module preview", url_for("preview.index"))])
