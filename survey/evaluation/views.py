"""Staff pages of a campaign's evaluation: the design, the pre-specified outcomes and the sample-size planner."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.campaigns import access
from survey.evaluation import planning, retest_services, services
from survey.evaluation.forms import DesignForm, OutcomesForm, PlannerForm, RetestForm, outcome_choices
from survey.extensions import db
from survey.library import library
from survey.reports import services as reports
from survey.reports.controlled import controlled_analysis
from survey.web.access import role_required

bp = Blueprint("evaluation", __name__, url_prefix="/manage/campaigns/<slug>")


def _scales(campaign):
    return library().instruments[campaign.instrument_slug].scored_scales


def _outcomes_form(campaign, **kwargs) -> OutcomesForm:
    return OutcomesForm(_scales(campaign), **kwargs)


def _page(campaign, design_form=None, outcomes_form=None, retest_form=None, status=200):
    if design_form is None:
        design_form = DesignForm(formdata=None, obj=campaign)  # not the form posted: show what is stored
    if retest_form is None:
        retest_form = RetestForm(formdata=None, obj=campaign)
    if outcomes_form is None:
        stored = services.outcomes_of(campaign)
        outcomes_form = _outcomes_form(campaign, formdata=None, data={
            "primary": f"{stored['primary']['scale']}|{stored['primary']['wave']}" if stored["primary"] else "",
            "secondary": [f"{o['scale']}|{o['wave']}" for o in stored["secondary"]]})
    return render_template(
        "evaluation/settings.html", campaign=campaign, design_form=design_form, outcomes_form=outcomes_form,
        enrolled=services.has_enrolments(campaign), record=prespecified_outcomes(campaign),
        arm_counts=services.arm_counts(campaign), can_edit=access.can_edit(current_user, campaign),
        retest_form=retest_form, retest_locked_at=retest_services.retest_locked_at(campaign),
        retest_counts=retest_services.draw_counts(campaign),
    ), status


@bp.app_template_global()
def prespecified_outcomes(campaign) -> dict:
    """For the report templates (one include line each): the outcomes, their lock and changes, with labels."""
    return {**services.outcomes_record(campaign), "labels": dict(outcome_choices(_scales(campaign)))}


@bp.app_template_global()
def controlled_report(campaign, cohort=None) -> dict | None:
    """The controlled analysis of a delayed-start campaign (None for an uncontrolled one), for the educator's report."""
    if not campaign.delayed_start:
        return None
    return controlled_analysis(reports.dataset_for(campaign, cohort), services.arms_of(campaign),
                               services.outcomes_of(campaign))


@bp.get("/evaluation")
@role_required("educator")
def settings(slug: str):
    campaign = access.viewable_campaign(current_user, slug) or abort(404)
    return _page(campaign)


def _save(campaign, form, name: str, apply):
    """A settings form posted: when it validates, ``apply()`` stores it and returns the message to flash, then
    back to the page; a setting the service refuses is shown on its field, with what the educator entered."""
    if form.validate():
        try:
            message = apply()
        except services.EvaluationError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(message)
            return redirect(url_for("evaluation.settings", slug=campaign.slug))
    return _page(campaign, **{name: form}, status=422)


@bp.post("/evaluation/design")
@role_required("educator")
def design(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = DesignForm()

    def apply():
        services.set_design(campaign, form.design.data, form.start_delay_days.data or 0,
                            bool(form.stratify_by_cohort.data), current_user)
        return "The design is saved."
    return _save(campaign, form, "design_form", apply)


@bp.post("/evaluation/retest")
@role_required("educator")
def retest(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = RetestForm()

    def apply():
        retest_services.set_retest(campaign, bool(form.retest_enabled.data), form.retest_percent.data,
                                   form.retest_days.data, current_user)
        return "The retest settings are saved."
    return _save(campaign, form, "retest_form", apply)


@bp.post("/evaluation/outcomes")
@role_required("educator")
def outcomes(slug: str):
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = _outcomes_form(campaign)

    def apply():
        changed = services.set_outcomes(campaign, *form.outcomes(), current_user)
        return ("The outcomes are saved. GPs have already answered, so this change is recorded and shown on every "
                "report." if changed else "The outcomes are saved.")
    return _save(campaign, form, "outcomes_form", apply)


@bp.get("/planner")
@role_required("educator")
def planner(slug: str):
    campaign = access.viewable_campaign(current_user, slug) or abort(404)
    form = PlannerForm(request.args)
    asked = bool(request.args)
    result = None
    if asked and form.validate():
        result = planning.answer(campaign.design, float(form.effect.data), form.unit.data,
                                 float(form.sd.data) if form.sd.data is not None else None, float(form.correlation.data),
                                 form.attrition.data, float(form.power.data))
    return render_template("evaluation/planner.html", campaign=campaign, form=form, result=result,
                           enrolled=services.research_enrolments(campaign), arm_counts=services.arm_counts(campaign)), \
        (422 if asked and result is None else 200)
