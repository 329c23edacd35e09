"""Admins: resolve GMC-number claims (a registration gave a number another account holds)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from survey.audit import services as audit
from survey.auth import gmc_claims
from survey.auth.models import GmcClaim
from survey.extensions import db
from survey.web.access import role_required

bp = Blueprint("gmc_claims", __name__, url_prefix="/admin/gmc-claims")


@bp.get("/")
@role_required("admin")
def index():
    return render_template("admin/gmc_claims.html", pending=gmc_claims.pending_claims(), form=FlaskForm())


@bp.post("/<int:claim_id>")
@role_required("admin")
def resolve(claim_id: int):
    claim = db.session.get(GmcClaim, claim_id) or abort(404)
    if FlaskForm().validate_on_submit():
        outcome = request.form.get("outcome", "")
        try:
            former = gmc_claims.resolve_claim(claim, outcome, current_user)
        except gmc_claims.ClaimError as error:
            flash(str(error), "error")
        else:
            audit.record(current_user, "gmc_claim.resolve", f"user:{claim.user_id}", gmc_number=claim.gmc_number,
                         outcome=outcome, former_holder=former.id if former else None)
            db.session.commit()
            flash(f"GMC number {claim.gmc_number}: claim by {claim.user.name} {outcome}.")
    return redirect(url_for("gmc_claims.index"))
