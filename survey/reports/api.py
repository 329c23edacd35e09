"""JSON API: ``GET /api/v1/campaigns/<slug>/report`` (keys documented in the README)."""
import json

from flask import Blueprint, Response
from flask_login import current_user

from survey.extensions import db
from survey.reports import cache, releases, services

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")


def _json(data: dict, status: int = 200) -> Response:
    # json.dumps keeps the report's key order (Flask's provider would sort it); NaN never appears.
    return Response(json.dumps(data, allow_nan=False), status=status, mimetype="application/json")


@bp.get("/campaigns/<slug>/report")
def campaign_report(slug: str):
    """The report: full for admins and the campaign's educators (cached: see survey.reports.cache; 202 while
    the first build is prepared, ``X-Report-Status: stale`` on the last good report while a newer one is
    built); for the owning charity, the latest published release (never live data).

    401 when not signed in, 403 for GPs, 404 for a campaign the user may not see (or none).
    """
    if not current_user.is_authenticated:
        return _json({"error": "Sign in to use the API."}, 401)
    if current_user.role == "gp":
        return _json({"error": "Reports are for educators, charities and administrators."}, 403)
    scope = services.api_scope(current_user, slug)
    if scope is None:
        return _json({"error": f"No campaign '{slug}' that you can see."}, 404)
    campaign, charity = scope
    if not charity:
        cached = cache.cached_report(campaign)
        db.session.commit()
        if cached.report is None:
            return _json({"status": "preparing", "message": "The report is being prepared; try again in a few "
                                                            "minutes."}, 202)
        response = _json(cached.report)
        if not cached.fresh:  # the last good report; its generated_at says when it was built
            response.headers["X-Report-Status"] = "stale"
        return response
    release = releases.find_release(campaign)
    if release is None:
        return _json({"error": f"No report of '{slug}' has been published yet."}, 404)
    return _json(release.public)
