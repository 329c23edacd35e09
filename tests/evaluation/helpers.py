"""Setting up a delayed-start campaign and its GPs through the pages, as the educator and GPs would."""
from datetime import timedelta

from sqlalchemy import select

from survey import clock
from survey.campaigns.models import Campaign, Enrolment
from survey.evaluation.models import Allocation
from survey.extensions import db
from tests.campaigns.helpers import create_campaign, join_form
from tests.factories import PASSWORD, make_user

DELAY = 28


def delayed_campaign(educator_client, delay: int = DELAY, stratify: bool = False, **changes) -> Campaign:
    slug = create_campaign(educator_client, **changes)
    form = {"design": "delayed-start", "start_delay_days": str(delay)}
    if stratify:
        form["stratify_by_cohort"] = "y"
    response = educator_client.post(f"/manage/campaigns/{slug}/evaluation/design", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def join(make_client, code: str, email: str | None = None, **changes):
    """A new GP who signs in and joins through ``code``; returns their client and enrolment."""
    gp = make_client()
    user = make_user(email=email)
    gp.login(user.email, PASSWORD)
    assert gp.post(f"/join/{code}", join_form(**changes)).status_code == 302
    gp.user = user
    return gp, db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))


def arm_of(enrolment: Enrolment) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(Allocation.arm).where(Allocation.enrolment_id == enrolment.id))


def one_of_each_arm(make_client, code: str) -> dict:
    """GPs join until one is in each arm (blocks of 2 or 4: at most 3 joins); {"now": (client, enrolment), ...}."""
    found = {}
    while len(found) < 2:
        gp, enrolment = join(make_client, code)
        found.setdefault(arm_of(enrolment), (gp, enrolment))
    return found


def days_later(monkeypatch, days: int, *clients):
    """Move the clock on; each client signs in again (sessions idle out after an hour)."""
    later = clock.now() + timedelta(days=days)
    monkeypatch.setattr(clock, "now", lambda: later)
    for client in clients:
        client.login(client.user.email, PASSWORD)
    return later
