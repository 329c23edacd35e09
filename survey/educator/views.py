"""Educators' dashboards: their campaigns and the change in attitudes."""
from flask import Blueprint, abort, render_template
from flask_login import current_user

from survey.campaigns import access
from survey.educator.services import enrolment_count
from survey.instruments.definition import WAVE_NAMES
from survey.reports.services import matched_change
from survey.surveys.timing import IDLE_CAP_SECONDS, wave_times
from survey.surveys.versions import campaign_definition
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
    definition = campaign_definition(campaign) or abort(404)
    return render_template("educator/campaign.html", campaign=campaign, enrolled=enrolment_count(campaign),
                           changes=matched_change(campaign, definition), survey_times=wave_times(campaign.id),
                           wave_names=WAVE_NAMES, idle_cap=IDLE_CAP_SECONDS)
