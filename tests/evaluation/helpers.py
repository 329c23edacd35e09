"""Setting up a delayed-start campaign and its GPs through the pages, as the educator and GPs would."""
from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select

from survey import clock
from survey.campaigns import services as campaigns
from survey.campaigns.models import Campaign, Enrolment
from survey.evaluation.models import Allocation
from survey.evaluation.services import arms_of
from survey.extensions import db
from survey.instruments.definition import Likert
from survey.library import library
from survey.surveys import services as surveys
from survey.surveys.answers import is_visible
from survey.surveys.scoring import score_scales
from survey.surveys.versions import campaign_version
from tests.campaigns.helpers import create_campaign, join_form
from tests.factories import PASSWORD, make_user
from tests.journey import gp_sections, valid_answer

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


def answer_wave(enrolment, wave: str, level: int) -> dict:
    """Submit a wave with every Likert item at ``level`` (1-5), other questions answered plausibly."""
    version = campaign_version(enrolment.campaign)
    response = surveys.start_response(enrolment, wave, version)
    definition = library().instruments[enrolment.campaign.instrument_slug].data
    sections, answers = gp_sections(enrolment, definition, wave), {}
    for section in sections:
        for question in section.questions():
            if is_visible(question, answers):
                answers[question.id] = ";".join(valid_answer(question, level) if isinstance(question, Likert)
                                                else valid_answer(question))
    surveys.save_page(response, answers)
    assert surveys.submit(response, sections)
    return score_scales(definition, answers)


def scripted_population(campaign, size: int = 24, seed: int = 3, dropout: bool = True):
    """GPs enrolled through the enrolment service (so really randomised), answering with scripted levels:
    the immediate arm gains about one point after the course, the delayed arm drifts a little while waiting;
    with ``dropout`` a few leave before the end of the wait and some of the delayed arm before their post
    survey. Returns the expected per-GP scores, computed independently."""
    rng = np.random.default_rng(seed)
    expected = []
    for n in range(size):
        enrolment = campaigns.enrol(make_user(), campaign, research_consent=True, nation="england")
        db.session.flush()
        arm = arms_of(campaign)[enrolment.id]
        start = int(rng.integers(1, 4))
        row = {"participant": enrolment.id, "arm": arm, "baseline": answer_wave(enrolment, "pre", start)}
        if not dropout or n % 7 != 6:  # every seventh GP leaves before the end of the wait
            end = min(5, start + (int(rng.integers(1, 3)) if arm == "now" else int(rng.integers(0, 2))))
            row["outcome"] = answer_wave(enrolment, "post" if arm == "now" else "pre2", end)
            if arm == "delayed" and (not dropout or n % 3):  # most go on to the course and its post survey
                row["later"] = answer_wave(enrolment, "post", min(5, end + 1))
        expected.append(row)
        db.session.commit()
    return expected


def period_scores(expected, scale) -> pd.DataFrame:
    """Per scripted GP: arm, baseline and end-of-wait score of one scale (NaN for those who left)."""
    return pd.DataFrame([{"participant": r["participant"], "arm": r["arm"], "baseline": r["baseline"][scale],
                          "outcome": r.get("outcome", {}).get(scale, np.nan)} for r in expected])


def all_scores(expected, scale) -> pd.DataFrame:
    """Every score of every GP, with the wave each arm's answers were given at."""
    waves = {"now": ("pre", "post"), "delayed": ("pre", "pre2", "post")}
    return pd.DataFrame([{"participant": r["participant"], "arm": r["arm"], "wave": wave, "score": r[key][scale]}
                         for r in expected for wave, key in zip(waves[r["arm"]], ("baseline", "outcome", "later"))
                         if key in r])
