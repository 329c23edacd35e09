"""Admins: accounts (roles, details, reset links, disabling, deleting, creating) and the audit log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.admin import accounts, services
from survey.admin.forms import ActionForm, AuditFilterForm, DeleteForm, DetailsForm, NewUserForm, RoleForm
from survey.auth.models import User
from survey.extensions import db
from survey.jobs.tasks import deliver_message
from survey.organisations.services import all_organisations
from survey.web.access import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_filter(accounts.role_name, "role_name")


def _account(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _page(account: User, role_form=None, details_form=None, status: int = 200):
    enrolments, certificates = accounts.enrolments_and_certificates(account)
    role_form = role_form or RoleForm(all_organisations(), data={"role": account.role,
                                                                 "organisation_id": str(account.organisation_id or "")})
    details_form = details_form or DetailsForm(obj=account)
    return render_template("admin/user.html", account=account, form=role_form, details=details_form, actions=ActionForm(),
                           enrolments=enrolments, certificates=certificates,
                           reset_mail=accounts.reset_mail_status(account)), status


@bp.get("/users")
@role_required("admin")
def users():
    role, search = request.args.get("role", ""), request.args.get("q", "").strip()[:100]
    return render_template("admin/users.html", users=services.accounts(role, search), role=role, search=search)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user(user_id: int):
    account = _account(user_id)
    form = RoleForm(all_organisations(), data={"role": account.role, "organisation_id": str(account.organisation_id or "")})
    if form.validate_on_submit():
        try:
            services.change_role(account, form.role.data, int(form.organisation_id.data) if form.organisation_id.data else None,
                                 current_user)
        except services.RoleError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{account.name} is now {accounts.role_name(account.role)}.")
            return redirect(url_for("admin.users"))
    return _page(account, role_form=form)


@bp.post("/users/<int:user_id>/details")
@role_required("admin")
def details(user_id: int):
    """Edit name, email and GMC number; a clash or a bad value is shown beside the field, the typing kept."""
    account = _account(user_id)
    form = DetailsForm()
    if form.validate_on_submit():
        try:
            changed = accounts.update_details(account, accounts.Details(form.name.data, form.email.data, form.gmc_number.data),
                                              current_user)
        except accounts.AccountChangeError as error:
            db.session.rollback()
            form[error.field if error.field in form else "name"].errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Saved: {', '.join(changed).replace('_', ' ')}." if changed else "Nothing changed.")
            return redirect(url_for("admin.user", user_id=account.id))
    return _page(account, details_form=form)


def _action(user_id: int, act, done: str):
    """Run ``act`` on the account from the form's POST and commit; returns (account, what ``act`` returned,
    or None when it refused with a message)."""
    account = _account(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = act(account, current_user)
    except accounts.AccountChangeError as error:
        db.session.rollback()
        flash(error.message, "error")
        return account, None
    db.session.commit()
    flash(done.format(name=account.name))
    return account, result


def _back_to(account: User):
    return redirect(url_for("admin.user", user_id=account.id))


@bp.post("/users/<int:user_id>/reset")
@role_required("admin")
def send_reset(user_id: int):
    account, message_id = _action(user_id, accounts.send_reset_link,
                                  "A password-reset link for {name} is on its way: this page shows when it has been sent.")
    if message_id is not None:
        deliver_message(message_id)  # after the commit, so the job finds the message
    return _back_to(account)


@bp.post("/users/<int:user_id>/disable")
@role_required("admin")
def disable(user_id: int):
    account, _ = _action(user_id, accounts.disable,
                         "{name}'s account is disabled: it cannot sign in, and its sessions have ended.")
    return _back_to(account)


@bp.post("/users/<int:user_id>/enable")
@role_required("admin")
def enable(user_id: int):
    account, _ = _action(user_id, accounts.enable, "{name}'s account can sign in again.")
    return _back_to(account)


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def delete(user_id: int):
    account = _account(user_id)
    form = DeleteForm()
    if account.deleted_at is None and form.validate_on_submit():
        try:
            accounts.delete(account, current_user)
        except accounts.AccountChangeError as error:
            db.session.rollback()
            form.confirm.errors.append(error.message)
        else:
            db.session.commit()
            flash("The account is deleted.")
            return redirect(url_for("admin.users"))
    return render_template("admin/delete.html", account=account, form=form)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    """Create an account (same rules as ``flask create-user``); its owner sets a password through an emailed link."""
    form = NewUserForm(all_organisations())
    if form.validate_on_submit():
        organisation_id = int(form.organisation_id.data) if form.organisation_id.data else None
        try:
            account = accounts.create(form.name.data, form.email.data, form.role.data, form.gmc_number.data,
                                      organisation_id, current_user)
        except accounts.AccountChangeError as error:
            db.session.rollback()
            form[error.field if error.field in form else "name"].errors.append(error.message)
        else:
            message_id = accounts.send_reset_link(account, current_user, created=True)
            db.session.commit()
            deliver_message(message_id)
            flash(f"Created {account.email}. A link to choose a password is on its way: this page shows when "
                  "it has been sent.")
            return _back_to(account)
    return render_template("admin/new_user.html", form=form)


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
