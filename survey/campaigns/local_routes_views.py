"""Educators edit their campaign's "local routes" page (shown inside the referral module)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.campaigns import access
from survey.campaigns.local_routes import LocalRoutesForm, save_local_routes
from survey.extensions import db
from survey.learning import markdown
from survey.web.access import role_required

bp = Blueprint("local_routes", __name__, url_prefix="/manage")


@bp.route("/campaigns/<slug>/local-routes", methods=["GET", "POST"])
@role_required("educator")
def edit(slug: str):
    """Edit the page; what the GPs will see is previewed below, sanitised like all content."""
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = LocalRoutesForm(data={"text": campaign.local_routes}) if request.method == "GET" else LocalRoutesForm()
    if form.validate_on_submit():
        save_local_routes(campaign, form.text.data, current_user)
        db.session.commit()
        flash("The local routes page is saved." if campaign.local_routes else "The local routes page is removed.")
        return redirect(url_for("local_routes.edit", slug=slug))
    preview = markdown.render(form.text.data or "") if not form.errors else ""
    return render_template("manage/local_routes.html", campaign=campaign, form=form, preview=preview), \
        (422 if form.errors else 200)
