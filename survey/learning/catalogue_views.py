"""Module catalogues: every module, and a campaign's modules, each filterable by condition."""
from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from survey.campaigns import services as campaigns
from survey.learning.catalogue import tag_filters, with_tag
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("catalogue", __name__)


def _filtered(modules: list):
    """The chosen tag (from ``?tag=``), the filters to offer and the modules that match."""
    tag = request.args.get("tag") or None
    return tag, tag_filters(modules, library().tags), with_tag(modules, tag)


@bp.get("/modules")
@role_required("gp", "educator")
def catalogue():
    """All modules; a GP sees their progress in each campaign that includes a module."""
    content = library().modules
    tag, filters, shown = _filtered(list(content.values()))
    states = {}  # module slug -> [(enrolment, ModuleState)]
    for enrolment in campaigns.enrolments_of(current_user):
        journey = campaigns.journey_state(enrolment, content)
        for state in journey.modules:
            states.setdefault(state.slug, []).append((enrolment, state, journey.modules_unlocked))
    return render_template("learning/catalogue.html", modules=shown, filters=filters, tag=tag,
                           tag_labels=library().tags, states=states, enrolment=None)


@bp.get("/c/<slug>/modules")
@role_required("gp")
def campaign_catalogue(slug: str):
    """The modules of one of the GP's campaigns, in study order, with the GP's progress."""
    enrolment = campaigns.enrolment_for(current_user, slug) or abort(404)
    content = library().modules
    journey = campaigns.journey_state(enrolment, content)
    tag, filters, shown = _filtered([content[s] for s in enrolment.campaign.module_slugs])
    states = {state.slug: [(enrolment, state, journey.modules_unlocked)] for state in journey.modules}
    return render_template("learning/catalogue.html", modules=shown, filters=filters, tag=tag,
                           tag_labels=library().tags, states=states, enrolment=enrolment)
