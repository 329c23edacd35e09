"""The post-course survey opens a configurable number of days after the last module (default 0)."""
from datetime import UTC, datetime, timedelta

from survey.campaigns.journey import JourneyState, ModuleState, next_step

DONE = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def state(delay: int, completed=DONE, **changes) -> JourneyState:
    module = ModuleState("m", "M", 3, 3, pages_read=completed is not None, passed=completed is not None, best_score=100)
    return JourneyState(pre_submitted=True, modules=[module], post_submitted_at=None, reflection_written=False,
                        certificate_code=None, follow_up_days=90, follow_up_submitted=False,
                        post_delay_days=delay, modules_completed_at=completed, **changes)


def test_by_default_the_post_survey_opens_when_the_last_module_is_done():
    assert state(0).wave_open("post", DONE)
    assert next_step(state(0), DONE).kind == "post"


def test_a_delay_keeps_it_closed_until_that_many_days_after_the_last_module():
    delayed = state(7)
    assert not delayed.wave_open("post", DONE + timedelta(days=6, hours=23))
    step = next_step(delayed, DONE + timedelta(days=1))
    assert step.kind == "post_waiting" and step.label == "The post-course survey opens on 9 March 2026"
    assert delayed.wave_open("post", DONE + timedelta(days=7))
    assert next_step(delayed, DONE + timedelta(days=7)).kind == "post"


def test_unfinished_modules_keep_it_closed_whatever_the_delay():
    assert not state(0, completed=None).wave_open("post", DONE + timedelta(days=100))
