"""Inviting people from a CSV list (upload, preview, send), reminding those who stopped, editing and
previewing the wording of the campaign's emails, following an invitation link, unsubscribing."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from survey import clock
from survey.audit import services as audit
from survey.campaigns import access
from survey.extensions import db
from survey.invitations import email_texts, outbox, services
from survey.invitations.campaign_mail import EXAMPLE_NAME, example_message, sender
from survey.jobs.queue import enqueue
from survey.jobs.tasks import deliver_invitations, deliver_nudges
from survey.invitations.csvrows import CsvProblem, check_rows, read_rows
from survey.invitations.forms import ConfirmForm, UploadForm, WordingForm
from survey.invitations.messages import email_of_unsubscribe_token, invitation_id_of_token
from survey.invitations.models import Invitation
from survey.invitations.nudges import stopped_part_way
from survey.invitations.wording import KINDS, PLACEHOLDERS, kinds_sent
from survey.library import library
from survey.web.access import role_required
from survey.web.forms import Form

bp = Blueprint("invitations", __name__)

CLOSED = "This campaign is closed, so no one can be invited and no invitation is sent. Reopen the campaign to invite GPs."


def _campaign_and_cohorts(slug: str):
    campaign = access.viewable_campaign(current_user, slug) or abort(404)
    cohorts = access.invitable_cohorts(current_user, campaign)
    return campaign, cohorts, access.can_edit(current_user, campaign)


def _checked(campaign, rows, cohorts, whole):
    emails = [email.strip().lower() for _, _, email in rows]
    return check_rows(rows, services.known_to(campaign, emails, None if whole else {c.id for c in cohorts}))


@bp.route("/manage/campaigns/<slug>/invitations", methods=["GET", "POST"])
@role_required("educator")
def upload(slug: str):
    """Upload a list; the preview shows who will be invited and every rejected row with its reasons."""
    campaign, cohorts, whole = _campaign_and_cohorts(slug)
    form = UploadForm(cohorts, whole)
    if request.method == "POST" and campaign.closed_at is not None:
        flash(CLOSED, "error")
        return redirect(url_for("invitations.upload", slug=slug))
    if form.validate_on_submit():
        try:
            checked = _checked(campaign, read_rows(form.people.data.read()), cohorts, whole)
        except CsvProblem as error:
            form.people.errors.append(str(error))
        else:
            confirm = ConfirmForm(cohorts, whole, data={"cohort_id": form.cohort_id.data})
            return render_template("invitations/preview.html", campaign=campaign, checked=checked, form=confirm)
    cohort_ids = None if whole else {c.id for c in cohorts}
    invitations = services.invitations_of(campaign, cohort_ids)
    deliveries, attempts = services.deliveries_of(invitations), current_app.config["MAIL_MAX_ATTEMPTS"]
    delivery = {i.id: outbox.delivery_status(deliveries.get(i.id), attempts) for i in invitations if i.email}
    undelivered = [(row, enrolment, outbox.delivery_status(row, attempts))
                   for row, enrolment in services.undelivered_for(campaign, cohort_ids)]
    return render_template("invitations/upload.html", campaign=campaign, form=form, invitations=invitations,
                           delivery=delivery, undelivered=undelivered, closed_message=CLOSED, can_edit=whole)


@bp.post("/manage/campaigns/<slug>/invitations/send")
@role_required("educator")
def send(slug: str):
    """Check the previewed rows again (they came back from the browser) and queue one invitation each."""
    campaign, cohorts, whole = _campaign_and_cohorts(slug)
    form = ConfirmForm(cohorts, whole)
    names, emails = request.form.getlist("name"), request.form.getlist("email")
    if not form.validate_on_submit() or len(names) != len(emails):
        abort(400)
    if campaign.closed_at is not None:
        flash(CLOSED, "error")
        return redirect(url_for("invitations.upload", slug=slug))
    cohort = next((c for c in cohorts if str(c.id) == form.cohort_id.data), None)
    checked = _checked(campaign, [(i, n, e) for i, (n, e) in enumerate(zip(names, emails), start=2)], cohorts, whole)
    created = services.create_invitations(campaign, cohort, checked.accepted, current_user)
    audit.record(current_user, "invitations.send", f"campaign:{campaign.slug}", cohort_id=cohort.id if cohort else None,
                 invited=len(created))
    db.session.commit()
    enqueue(deliver_invitations, [invitation.id for invitation in created])
    flash(f"Sending {len(created)} invitation(s). The list below shows when each one has gone, and why any could "
          "not be sent (those are retried automatically).")
    if checked.rejected:
        flash(f"{len(checked.rejected)} row(s) were not invited because they changed since the preview.", "error")
    return redirect(url_for("invitations.upload", slug=slug))


@bp.route("/manage/campaigns/<slug>/remind", methods=["GET", "POST"])
@role_required("educator")
def remind_stopped(slug: str):
    """How many GPs stopped part-way and would be reminded; pressing the button queues one reminder each."""
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    form = Form()
    stopped = stopped_part_way(campaign, clock.now(), library().modules)
    if form.validate_on_submit():
        ids = [enrolment.id for enrolment, _ in stopped]
        audit.record(current_user, "reminders.send", f"campaign:{campaign.slug}", reminded=len(ids))
        db.session.commit()
        enqueue(deliver_nudges, campaign.id, ids)
        flash(f"Sending a reminder to {len(ids)} GP(s). Any that cannot be sent are retried automatically and "
              "listed on the invitations page.")
        return redirect(url_for("manage.campaign", slug=slug))
    return render_template("invitations/remind.html", campaign=campaign, count=len(stopped), form=form)


@bp.get("/manage/campaigns/<slug>/emails")
@role_required("educator")
def emails(slug: str):
    """The kinds of email the campaign sends, each with its subject and whether its wording was edited."""
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    kinds = {kind: (KINDS[kind], email_texts.current_wording(campaign, kind)) for kind in kinds_sent(campaign.delayed_start, campaign.retest_enabled)}
    return render_template("invitations/emails.html", campaign=campaign, kinds=kinds,
                           edited=email_texts.edited_kinds(campaign))


@bp.route("/manage/campaigns/<slug>/emails/<kind>", methods=["GET", "POST"])
@role_required("educator")
def edit_email(slug: str, kind: str):
    """Edit one email's subject and text: "Preview" shows what a GP would receive without saving; "Save"
    keeps it for the messages composed from now on; "Standard wording" puts back today's default to preview."""
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    if kind not in kinds_sent(campaign.delayed_start, campaign.retest_enabled):
        abort(404)
    action = request.form.get("action")
    if request.method == "GET" or action == "standard":
        wording = email_texts.current_wording(campaign, kind) if request.method == "GET" else KINDS[kind].standard
        form = WordingForm(kind, formdata=None, data={"subject": wording.subject, "text": wording.text})
    else:
        form = WordingForm(kind)
    submitted = action != "standard" and form.validate_on_submit()
    if submitted and action == "save":
        email_texts.save_wording(campaign, kind, form.wording(), current_user)
        db.session.commit()
        flash(f"The wording of \"{KINDS[kind].label}\" is saved. Messages composed from now on use it.")
        return redirect(url_for("invitations.emails", slug=slug))
    preview = None if form.errors else example_message(campaign, kind, form.wording())
    return render_template("invitations/edit_email.html", campaign=campaign, kind=kind, email=KINDS[kind], form=form,
                           preview=preview, sender=sender(), example_name=EXAMPLE_NAME, placeholders=PLACEHOLDERS), 422 if form.errors else 200


@bp.get("/invite/<token>")
def follow(token: str):
    """A personal invitation link: remembers the invitation and opens its cohort's (or campaign's) enrolment."""
    invitation_id = invitation_id_of_token(token)
    invitation = (db.session.get(Invitation, invitation_id) if invitation_id else None) or abort(404)
    session["invitation_id"] = invitation.id
    session["invitee"] = {"name": invitation.name, "email": invitation.email}
    code = (invitation.cohort or invitation.campaign).enrolment_code
    return redirect(url_for("campaigns.join_with_code", code=code))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Works without signing in: the signed token names the address."""
    email = email_of_unsubscribe_token(token) or abort(404)
    form = FlaskForm()
    done = services.is_opted_out(email)
    if form.validate_on_submit():
        services.opt_out(email)
        db.session.commit()
        done = True
    return render_template("invitations/unsubscribe.html", form=form, done=done)
