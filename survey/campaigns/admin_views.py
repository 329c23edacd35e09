"""Educators' and admins' pages for creating, editing and closing campaigns and cohorts, and progress."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey import clock
from survey.campaigns import access, admin_services
from survey.campaigns.admin_forms import CampaignForm, CloseForm, CohortForm
from survey.campaigns.progress import participant_rows
from survey.extensions import db
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.get("/")
@role_required("educator")
def index():
    return render_template("manage/index.html", campaigns=access.visible_campaigns(current_user))


def _campaign_form(campaign=None, **kwargs) -> CampaignForm:
    """The campaign form listing only the organisations and educators this user may choose (all, for an admin)."""
    content = library()
    return CampaignForm(admin_services.choosable_organisations(current_user, campaign), content.instruments, content.modules,
                        admin_services.choosable_educators(current_user, campaign), **kwargs)


def _add_educator(form) -> bool:
    """Add the educator typed by exact email to the chosen ones; False (message beside the field) if none has it."""
    if not form.add_educator.data:
        return True
    staff = admin_services.staff_by_email(form.add_educator.data)
    if staff is None:
        form.add_educator.errors.append("No educator account uses this email address.")
        return False
    form.educator_ids.data = sorted(set(form.educator_ids.data or []) | {staff.id})
    return True


def _save_campaign(form: CampaignForm, campaign=None):
    """Validate and save; on a broken rule the message goes beside its field and the page shows again."""
    slugs = form.read_modules(request.form)
    if not (form.validate() and not form.module_errors and _add_educator(form)):
        return None
    try:
        if campaign is None:
            campaign = admin_services.create_campaign(form.settings(slugs), form.consent_version.data.strip(), current_user)
        else:
            admin_services.update_campaign(campaign, form.settings(slugs), current_user)
    except admin_services.CampaignError as error:
        (form.module_errors if error.field == "modules" else form[error.field].errors).append(error.message)
        return None
    db.session.commit()
    return campaign


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required("educator")
def new_campaign():
    form = _campaign_form(data={"post_delay_days": 0, "follow_up_days": 90, "reminder_days": 7, "consent_version": "1",
                                "min_cell_size": current_app.config["MIN_CELL_SIZE"]})
    if request.method == "POST" and (campaign := _save_campaign(form)):
        flash("The campaign is created. Add cohorts or invite GPs next.")
        return redirect(url_for("manage.campaign", slug=campaign.slug))
    return render_template("manage/campaign_form.html", form=form, campaign=None), (422 if request.method == "POST" else 200)


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@role_required("educator")
def edit_campaign(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = _campaign_form(campaign, obj=campaign) if request.method == "GET" else _campaign_form(campaign)
    if request.method == "GET":
        form.organisation_id.data = str(campaign.organisation_id or "")
        form.educator_ids.data = [u.id for u in campaign.educators]
        form.show_modules(campaign.module_slugs)
    elif _save_campaign(form, campaign):
        flash("The campaign is saved.")
        return redirect(url_for("manage.campaign", slug=campaign.slug))
    return render_template("manage/campaign_form.html", form=form, campaign=campaign), (422 if request.method == "POST" else 200)


@bp.get("/campaigns/<slug>")
@role_required("educator")
def campaign(slug: str):
    campaign = access.viewable_campaign(current_user, slug) or abort(404)
    rows = participant_rows(campaign, access.named_cohorts(current_user, campaign), clock.now(), library().modules)
    return render_template("manage/campaign.html", campaign=campaign, rows=rows, close_form=CloseForm(),
                           can_edit=access.can_edit(current_user, campaign),
                           invitable=access.invitable_cohorts(current_user, campaign))


@bp.get("/campaigns/<slug>/close")
@role_required("educator")
def confirm_close(slug: str):
    """What closing does, and the button that does it (or, once closed, the one that reopens)."""
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    return render_template("manage/close_campaign.html", campaign=campaign, form=CloseForm())


@bp.post("/campaigns/<slug>/close")
@role_required("educator")
def close_campaign(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    if CloseForm().validate_on_submit():
        admin_services.close_campaign(campaign, current_user)
        db.session.commit()
        flash("The campaign is closed: no one new can join and no more invitations or reminders are sent. "
              "Those enrolled can still finish.")
    return redirect(url_for("manage.campaign", slug=slug))


@bp.post("/campaigns/<slug>/reopen")
@role_required("educator")
def reopen_campaign(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    if CloseForm().validate_on_submit():
        admin_services.reopen_campaign(campaign, current_user)
        db.session.commit()
        flash("The campaign is open again: GPs can join within its dates, and invitations and reminders that are due go out.")
    return redirect(url_for("manage.campaign", slug=slug))


def _save_cohort(form: CohortForm, campaign, cohort=None):
    if not _add_educator(form):
        return None
    try:
        if cohort is None:
            cohort = admin_services.create_cohort(campaign, form.name.data.strip(), form.educator_ids.data, current_user)
        else:
            admin_services.update_cohort(cohort, form.name.data.strip(), form.educator_ids.data, current_user)
    except admin_services.CampaignError as error:
        form[error.field].errors.append(error.message)
        return None
    db.session.commit()
    return cohort


@bp.route("/campaigns/<slug>/cohorts/new", methods=["GET", "POST"])
@role_required("educator")
def new_cohort(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = CohortForm(admin_services.choosable_educators(current_user, campaign))
    if form.validate_on_submit() and (cohort := _save_cohort(form, campaign)):
        flash(f"Cohort '{cohort.name}' is created with its own enrolment code.")
        return redirect(url_for("manage.cohort", cohort_id=cohort.id))
    return render_template("manage/cohort_form.html", form=form, campaign=campaign, cohort=None)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required("educator")
def edit_cohort(cohort_id: int):
    cohort = access.viewable_cohort(current_user, cohort_id) or abort(404)
    if not access.can_edit(current_user, cohort.campaign):
        abort(404)
    form = CohortForm(admin_services.choosable_educators(current_user, cohort.campaign), obj=cohort)
    if request.method == "GET":
        form.educator_ids.data = [u.id for u in cohort.educators]
    if form.validate_on_submit() and _save_cohort(form, cohort.campaign, cohort):
        flash("The cohort is saved.")
        return redirect(url_for("manage.cohort", cohort_id=cohort.id))
    return render_template("manage/cohort_form.html", form=form, campaign=cohort.campaign, cohort=cohort)


@bp.get("/cohorts/<int:cohort_id>")
@role_required("educator")
def cohort(cohort_id: int):
    """A cohort's participants; its educators and the campaign's see them by name."""
    cohort = access.viewable_cohort(current_user, cohort_id) or abort(404)
    rows = participant_rows(cohort.campaign, access.EVERY_COHORT, clock.now(), library().modules, cohort_id=cohort.id)
    return render_template("manage/cohort.html", cohort=cohort, campaign=cohort.campaign, rows=rows,
                           can_edit=access.can_edit(current_user, cohort.campaign))
