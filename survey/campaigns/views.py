"""A GP's home page, joining a campaign through its code, and the campaign overview."""
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user

from survey import clock
from survey.campaigns import services
from survey.campaigns.forms import CodeForm, NationForm, consent_form
from survey.campaigns.journey import next_step
from survey.campaigns.tasks import continue_target, task_list
from survey.extensions import db
from survey.invitations import services as invitations
from survey.library import library
from survey.privacy import consent
from survey.surveys import timing
from survey.web.access import role_required
from survey.web.templating import long_date

bp = Blueprint("campaigns", __name__)
UNKNOWN_CODE = "We could not find a campaign with that code. Check it and try again."


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("campaigns/landing.html")
    if current_user.role in ("educator", "admin"):
        return redirect(url_for("educator.index"))
    if current_user.role == "charity":
        return render_template("campaigns/charity_home.html")
    modules = library().modules
    journeys = []
    for enrolment in services.enrolments_of(current_user):
        state = services.journey_state(enrolment, modules)
        journeys.append((enrolment, next_step(state, clock.now()), continue_target(state, clock.now(), enrolment.campaign.slug)))
    return render_template("campaigns/home.html", journeys=journeys, form=CodeForm())


@bp.route("/join", methods=["GET", "POST"])
def join():
    form = CodeForm()
    if form.validate_on_submit():
        target = services.target_by_code(form.code.data)
        if target:
            return redirect(url_for("campaigns.join_with_code", code=target.code))
        form.code.errors.append(UNKNOWN_CODE)
    return render_template("campaigns/join.html", form=form)


@bp.route("/join/<code>", methods=["GET", "POST"])
def join_with_code(code: str):
    """Consent and the campaign's enrolment questions; a cohort's code enrols into that cohort."""
    target = services.target_by_code(code)
    if target is None:
        form = CodeForm(code=code)
        form.code.errors = [UNKNOWN_CODE]
        return render_template("campaigns/join.html", form=form), 404
    campaign = target.campaign
    earlier = services.nation_for(current_user) if current_user.is_authenticated else None
    form = consent_form(campaign.enrolment_fields, earlier)
    if current_user.is_authenticated and form.validate_on_submit():
        already = services.enrolment_for(current_user, campaign.slug)
        try:
            enrolment = services.enrol(current_user, campaign, form.research_consent.data, target.cohort,
                                       form.profile(campaign.enrolment_fields), form.nation.data)
        except services.EnrolmentError as error:
            form.agree.errors.append(str(error))
        else:
            if already is None:
                consent.record_enrolment(enrolment)
            invitations.accept(session.pop("invitation_id", None), enrolment)
            session.pop("invitee", None)
            db.session.commit()
            return redirect(url_for("campaigns.overview", slug=enrolment.campaign.slug))
    return render_template("campaigns/consent.html", campaign=campaign, cohort=target.cohort, form=form,
                           refusal=services.refusal_for(campaign), baseline_length=timing.baseline_length(campaign))


@bp.get("/c/<slug>")
@role_required("gp")
def overview(slug: str):
    enrolment = services.enrolment_for(current_user, slug) or abort(404)
    state, now = services.journey_state(enrolment, library().modules), clock.now()
    due = state.follow_up_due_at()
    follow_up = f"Opens {long_date(due)}" if due else f"About {enrolment.campaign.follow_up_days} days after the course"
    return render_template("campaigns/overview.html", enrolment=enrolment, state=state, step=next_step(state, now),
                           tasks=task_list(state, now, slug, follow_up), target=continue_target(state, now, slug),
                           nation_form=NationForm(nation=services.nation_for(current_user, enrolment)))


@bp.post("/c/<slug>/nation")
@role_required("gp")
def change_nation(slug: str):
    """The GP changes the UK nation they practise in (modules then show its routes first)."""
    enrolment = services.enrolment_for(current_user, slug) or abort(404)
    form = NationForm()
    if form.validate_on_submit():
        services.set_nation(enrolment, form.nation.data)
        db.session.commit()
        flash("Saved: modules now show the routes for the nation you chose first.")
        return redirect(url_for("campaigns.overview", slug=slug))
    state, now = services.journey_state(enrolment, library().modules), clock.now()
    due = state.follow_up_due_at()
    follow_up = f"Opens {long_date(due)}" if due else f"About {enrolment.campaign.follow_up_days} days after the course"
    return render_template("campaigns/overview.html", enrolment=enrolment, state=state, step=next_step(state, now),
                           tasks=task_list(state, now, slug, follow_up), target=continue_target(state, now, slug), nation_form=form), 400
