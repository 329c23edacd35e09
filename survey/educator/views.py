"""Educators' dashboards: their campaigns and the change in attitudes."""
from flask import Blueprint, abort, render_template
from flask_login import current_user

from survey.campaigns import access
from survey.educator.services import enrolment_count
from survey.library import library
from survey.reports.services import matched_change
from survey.web.access import role_required

bp = Blueprint("educator", __name__, url_prefix="/educator")


@bp.get("/")
@role_required("educator")
def index():
    return render_template("educator/index.html", campaigns=access.managed_campaigns(current_user))


@bp.get("/campaigns/<slug>")
@role_required("educator")
def campaign(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    definition = library().instruments[campaign.instrument_slug].data
    return render_template("educator/campaign.html", campaign=campaign, enrolled=enrolment_count(campaign),
                           changes=matched_change(campaign, definition))
