"""Admins: accounts and roles, and the audit log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.admin import services
from survey.admin.forms import AuditFilterForm, RoleForm
from survey.auth.models import User
from survey.extensions import db
from survey.organisations.services import all_organisations
from survey.web.access import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@role_required("admin")
def users():
    role, search = request.args.get("role", ""), request.args.get("q", "").strip()[:100]
    return render_template("admin/users.html", users=services.accounts(role, search), role=role, search=search)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user(user_id: int):
    account = db.session.get(User, user_id) or abort(404)
    form = RoleForm(all_organisations(), data={"role": account.role, "organisation_id": str(account.organisation_id or "")})
    if form.validate_on_submit():
        try:
            services.change_role(account, form.role.data, int(form.organisation_id.data) if form.organisation_id.data else None,
                                 current_user)
        except services.RoleError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{account.name} is now {account.role}.")
            return redirect(url_for("admin.users"))
    return render_template("admin/user.html", account=account, form=form)


@bp.get("/audit")
@role_required("admin")
def audit():
    form = AuditFilterForm(services.audit_actions(), formdata=request.args)
    events, pages, page = [], 1, 1
    if form.validate():
        page = form.page.data or 1
        filters = services.AuditFilter(form.action.data or "", (form.actor.data or "").strip(), form.since.data, form.until.data)
        events, pages = services.audit_page(filters, page)
    return render_template("admin/audit.html", form=form, events=events, page=page, pages=pages,
                           args={k: v for k, v in request.args.items() if k != "page"})
