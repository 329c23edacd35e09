"""Educators and admins: download all of a campaign's certificates as one ZIP, built in the background."""
from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_login import current_user

from survey.admin.forms import ActionForm
from survey.campaigns import access
from survey.certificates import bundles
from survey.extensions import db
from survey.jobs.queue import enqueue
from survey.jobs.tasks import build_certificate_bundle
from survey.web.access import role_required

bp = Blueprint("certificate_bundles", __name__, url_prefix="/educator/campaigns/<slug>/certificates")


def _campaign(slug: str):
    """Staff who may see the campaign (its educators, its cohort leads, admins); a 404 for anyone else."""
    return access.viewable_campaign(current_user, slug) or abort(404)


@bp.post("/zip")
@role_required("educator")
def start(slug: str):
    campaign = _campaign(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    bundle = bundles.start(campaign, current_user, access.named_cohorts(current_user, campaign))
    db.session.commit()
    enqueue(build_certificate_bundle, bundle.id)
    return redirect(url_for("certificate_bundles.progress", slug=slug, bundle_id=bundle.id))


@bp.get("/zip/<int:bundle_id>")
@role_required("educator")
def progress(slug: str, bundle_id: int):
    """The job page: n of N, the failures, and the download once done (refreshes itself until then)."""
    campaign = _campaign(slug)
    bundle = bundles.of(bundle_id, campaign, current_user) or abort(404)
    page = Response(render_template("certificates/bundle.html", campaign=campaign, bundle=bundle))
    if bundle.status != "done":
        page.headers["Refresh"] = "2"
    return page


@bp.get("/zip/<int:bundle_id>/download")
@role_required("educator")
def download(slug: str, bundle_id: int):
    campaign = _campaign(slug)
    bundle = bundles.of(bundle_id, campaign, current_user) or abort(404)
    if bundle.status != "done":
        return redirect(url_for("certificate_bundles.progress", slug=slug, bundle_id=bundle.id))
    return Response(bundle.archive, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{campaign.slug}-certificates.zip"',
        "Cache-Control": "private, no-store"})
