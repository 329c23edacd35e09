"""Admins find certificates and revoke one with a reason (recorded in the audit log)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.certificates import services
from survey.certificates.forms import RevokeForm
from survey.extensions import db
from survey.web.access import role_required

bp = Blueprint("certificate_admin", __name__, url_prefix="/admin/certificates")


@bp.get("/")
@role_required("admin")
def index():
    query = request.args.get("q", "")
    return render_template("certificates/admin_index.html", query=query,
                           certificates=services.search_certificates(query), limit=services.ADMIN_LIST_LIMIT,
                           display_code=services.display_code)


@bp.route("/<code>", methods=["GET", "POST"])
@role_required("admin")
def detail(code: str):
    certificate = services.find_by_code(code) or abort(404)
    form = RevokeForm()
    if certificate.revoked_at is None and form.validate_on_submit():
        if not form.confirm.data:
            return render_template("certificates/admin_revoke_confirm.html", certificate=certificate, form=form,
                                   code=services.display_code(certificate.code))
        try:
            services.revoke_certificate(certificate, current_user, form.reason.data)
        except services.AlreadyRevoked as error:
            form.reason.errors.append(str(error))
        else:
            db.session.commit()
            flash("The certificate is revoked. Its verification page now says so.")
            return redirect(url_for("certificate_admin.detail", code=certificate.code))
    return render_template("certificates/admin_detail.html", certificate=certificate, form=form,
                           code=services.display_code(certificate.code))
