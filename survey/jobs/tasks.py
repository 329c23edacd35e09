"""The jobs: deliver email from the outbox, build certificate ZIPs and reports, and the sweep that replaces cron.

Every job is safe to run twice or at once with itself: the outbox's claim and a bundle's status decide
who does the work, so a job redone after a worker died never repeats what was recorded done.
"""
from huey import crontab

from survey import clock
from survey.invitations import outbox, services
from survey.invitations.nudges import nudges
from survey.invitations.reminders import due_messages, invitation_message
from survey.jobs.queue import huey, in_app, job
from survey.library import library


@job()
def deliver_message(row_id: int) -> None:
    """Send one stored message (account mail); after a failure, come back when its next attempt is due."""
    row = outbox.deliver_stored(row_id)
    if row is not None and row.status == "retry":
        deliver_message.schedule((row_id,), eta=row.next_attempt_at)


def _deliver_campaign(messages) -> None:
    """Send ``messages``; after a failure, come back when the earliest retry is due (the minute sweep
    would find it too, later)."""
    delivery = outbox.deliver(messages)
    retry_at = services.next_retry_at() if delivery.failed else None
    if retry_at is not None:
        deliver_campaign_mail.schedule(eta=retry_at)


@job()
def deliver_campaign_mail() -> None:
    """Send the invitations, reminders and follow-up invitations that are due."""
    _deliver_campaign(due_messages(clock.now(), library().modules))


@job()
def deliver_invitations(invitation_ids: list[int]) -> None:
    """Send the invitations an educator has just confirmed (and nothing else: the sweep does the rest)."""
    _deliver_campaign([invitation_message(invitation) for invitation in services.invitations_by_id(invitation_ids)])


@job()
def deliver_nudges(campaign_id: int, enrolment_ids: list[int]) -> None:
    """Send the reminders an educator has just asked for ("remind those who stopped") to those who still qualify."""
    from survey.campaigns.models import Campaign
    from survey.extensions import db

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is not None:
        _deliver_campaign(nudges(campaign, enrolment_ids, clock.now(), library().modules))


@job()
def build_certificate_bundle(bundle_id: int) -> None:
    from survey.certificates.bundles import build

    build(bundle_id)


@job()
def rebuild_report(campaign_id: int, cohort_id: int | None) -> None:
    """Rebuild a campaign's (or cohort's) cached report; its claim keeps two builds from running at once."""
    from survey.reports.cache import rebuild

    rebuild(campaign_id, cohort_id)


@job()
def report_lti_progress(enrolment_id: int) -> None:
    """Send a GP's progress to the gradebooks of the LTI courses that placed their campaign."""
    from survey.campaigns.models import Enrolment
    from survey.extensions import db
    from survey.lti.grades import report_progress

    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is not None:
        report_progress(enrolment)
        db.session.commit()


@in_app
def sweep() -> None:
    """What cron did, and the safety net under every job: campaign mail that is due, stored messages
    that are due or were abandoned by a dead worker, and ZIPs whose worker died."""
    from survey.certificates.bundles import abandoned

    deliver_campaign_mail()
    for row_id in services.due_stored(clock.now()):
        deliver_message(row_id)
    for bundle_id in abandoned():
        build_certificate_bundle(bundle_id)


@huey.periodic_task(crontab(minute="*"), name="sweep")
def every_minute() -> None:
    sweep()


@huey.on_startup()
def sweep_at_start() -> None:
    """A restarted worker picks up at once what its predecessor left, not a minute later."""
    sweep()
