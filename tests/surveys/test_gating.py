"""When each wave opens: the baseline before any module, the post survey after all modules, the
follow-up when due (time moved forward through survey.clock)."""
from datetime import timedelta

from sqlalchemy import select

from survey import clock
from survey.extensions import db
from survey.library import library
from survey.surveys.models import Response
from tests.journey import answer_survey, study_module

MODULES = ["work-as-health-outcome", "cancer-and-work"]
INSTRUMENT = "gp-work-health-attitudes"


def definition():
    return library().instruments[INSTRUMENT].data


def is_closed(gp, campaign, wave: str) -> bool:
    """True when the wave refuses the GP (back to the campaign page, saying so) and nothing was started."""
    response = gp.get(f"/c/{campaign.slug}/survey/{wave}/1")
    if response.status_code != 302 or not response.headers["Location"].endswith(f"/c/{campaign.slug}"):
        return False
    assert "is not open yet" in gp.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert gp.post(f"/c/{campaign.slug}/survey/{wave}/1", {"who_1": "4"}).status_code == 302
    assert db.session.scalar(select(Response.id).where(Response.wave == wave)) is None
    return True


def module_locked(gp, campaign, module: str) -> bool:
    response = gp.get(f"/c/{campaign.slug}/m/{module}/1")
    return response.status_code == 302 and response.headers["Location"].endswith(f"/c/{campaign.slug}")


def test_modules_stay_locked_until_the_baseline_is_submitted_not_just_started(enrolled):
    campaign, gp = enrolled(instrument=INSTRUMENT, modules=MODULES)
    assert module_locked(gp, campaign, MODULES[0])
    gp.post(f"/c/{campaign.slug}/survey/pre/1",
            {"dem_years_gp": "5", "dem_role": "salaried", "dem_nation": "wales", "dem_wh_training": "no"})
    assert db.session.scalar(select(Response.current_section)) == 2  # started, not submitted
    assert all(module_locked(gp, campaign, m) for m in MODULES)
    assert "answer the baseline survey first" in gp.get(f"/c/{campaign.slug}").get_data(as_text=True)

    answer_survey(gp, campaign.slug, "pre", definition())
    assert not module_locked(gp, campaign, MODULES[0])


def test_post_survey_opens_only_after_every_module(enrolled):
    campaign, gp = enrolled(instrument=INSTRUMENT, modules=MODULES)
    assert is_closed(gp, campaign, "post")
    answer_survey(gp, campaign.slug, "pre", definition())
    assert is_closed(gp, campaign, "post")
    study_module(gp, campaign.slug, library().modules[MODULES[0]])
    assert is_closed(gp, campaign, "post")
    study_module(gp, campaign.slug, library().modules[MODULES[1]])
    assert gp.get(f"/c/{campaign.slug}/survey/post").headers["Location"].endswith("/survey/post/1")


def test_follow_up_opens_when_due_and_not_a_minute_before(enrolled, monkeypatch):
    campaign, gp = enrolled(instrument=INSTRUMENT, modules=MODULES[:1], email="gp@example.org")
    assert campaign.follow_up_days == 90
    answer_survey(gp, campaign.slug, "pre", definition())
    study_module(gp, campaign.slug, library().modules[MODULES[0]])
    assert is_closed(gp, campaign, "follow_up")
    answer_survey(gp, campaign.slug, "post", definition())
    post_submitted = db.session.scalar(select(Response.submitted_at).where(Response.wave == "post"))
    assert is_closed(gp, campaign, "follow_up")

    monkeypatch.setattr(clock, "now", lambda: post_submitted + timedelta(days=90, minutes=-1))
    gp.login("gp@example.org")  # three months on, the GP signs in again (sessions end)
    assert is_closed(gp, campaign, "follow_up")
    overview = gp.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "/survey/follow_up" not in overview

    monkeypatch.setattr(clock, "now", lambda: post_submitted + timedelta(days=90))
    gp.login("gp@example.org")
    assert "/survey/follow_up" in gp.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert gp.get(f"/c/{campaign.slug}/survey/follow_up").headers["Location"].endswith("/survey/follow_up/1")
    answer_survey(gp, campaign.slug, "follow_up", definition())
    follow_up = db.session.scalar(select(Response).where(Response.wave == "follow_up"))
    assert follow_up.submitted_at == post_submitted + timedelta(days=90)  # stamped by the same clock
