"""The GP's task list and "Continue where I left off": pure rules over a journey snapshot."""
from datetime import datetime, timedelta, timezone

import pytest

from survey.campaigns.journey import JourneyState, ModuleState
from survey.campaigns.tasks import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, continue_target, task_list

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
SLUG = "camp"


def module(slug, **changes):
    fields = dict(slug=slug, title=f"Module {slug}", page_count=7, current_page=1, pages_read=False, passed=False,
                  best_score=None)
    return ModuleState(**{**fields, **changes})


def done(slug):
    return module(slug, current_page=7, pages_read=True, passed=True, best_score=90, started=True)


def state(**changes):
    fields = dict(pre_submitted=True, modules=[module("a"), module("b")], post_submitted_at=None, reflection_written=False,
                  certificate_code=None, follow_up_days=90, follow_up_submitted=False)
    return JourneyState(**{**fields, **changes})


def statuses(journey):
    return [(task.title, task.status) for task in task_list(journey, NOW, SLUG)]


def target(endpoint, **values):
    return endpoint, dict(values)


def as_pair(found):
    return (found.endpoint, dict(found.values)) if found else None


@pytest.mark.parametrize("journey, expected", [
    (state(pre_submitted=False), target("surveys.resume", slug=SLUG, wave="pre")),
    # a module the GP left on page 4 resumes there (learning.resume redirects to the stored page)
    (state(modules=[module("a", current_page=4, started=True), module("b")]),
     target("learning.resume", slug=SLUG, module_slug="a")),
    # every page read but the check not passed: straight to the knowledge check
    (state(modules=[module("a", current_page=7, pages_read=True, best_score=40, started=True), module("b")]),
     target("learning.check", slug=SLUG, module_slug="a")),
    (state(modules=[done("a"), module("b")]), target("learning.resume", slug=SLUG, module_slug="b")),
    (state(modules=[done("a"), done("b")], modules_completed_at=NOW), target("surveys.resume", slug=SLUG, wave="post")),
    (state(modules=[done("a"), done("b")], modules_completed_at=NOW, post_submitted_at=NOW),
     target("certificates.reflection", slug=SLUG)),
    (state(modules=[done("a"), done("b")], modules_completed_at=NOW, post_submitted_at=NOW, reflection_written=True),
     target("certificates.certificate", slug=SLUG)),
    (state(modules=[done("a"), done("b")], modules_completed_at=NOW, post_submitted_at=NOW - timedelta(days=91),
           reflection_written=True, certificate_code="ABC"), target("surveys.resume", slug=SLUG, wave="follow_up")),
])
def test_continue_goes_where_the_gp_left_off(journey, expected):
    assert as_pair(continue_target(journey, NOW, SLUG)) == expected


def test_continue_has_nowhere_to_go_while_the_post_survey_waits():
    waiting = state(modules=[done("a"), done("b")], modules_completed_at=NOW, post_delay_days=7)
    assert continue_target(waiting, NOW, SLUG) is None
    assert dict(statuses(waiting))["Post-course survey"] == CANNOT_START


def test_per_module_certificates_continue_to_the_modules_reflection_then_certificate():
    journey = state(modules=[done("a"), module("b")], certificate_rule="module")
    assert as_pair(continue_target(journey, NOW, SLUG)) == target("certificates.reflection", slug=SLUG, module_slug="a")
    reflected = state(modules=[ModuleState(**{**done("a").__dict__, "reflection_written": True}), module("b")],
                      certificate_rule="module")
    assert as_pair(continue_target(reflected, NOW, SLUG)) == target("certificates.certificate", slug=SLUG, module_slug="a")


def test_before_the_baseline_everything_else_cannot_start_yet():
    assert statuses(state(pre_submitted=False)) == [
        ("Baseline survey", NOT_STARTED), ("Module a", CANNOT_START), ("Module b", CANNOT_START),
        ("Post-course survey", CANNOT_START), ("Reflection", CANNOT_START), ("CPD certificate", CANNOT_START),
        ("Follow-up survey", CANNOT_START)]
    assert dict(statuses(state(pre_submitted=False, waves_started=frozenset({"pre"}))))["Baseline survey"] == IN_PROGRESS


def test_a_module_is_not_started_until_opened_and_in_progress_after():
    tasks = task_list(state(modules=[module("a", started=True, current_page=3), module("b")]), NOW, SLUG)
    assert [(t.title, t.status, t.hint) for t in tasks[1:3]] == [
        ("Module a", IN_PROGRESS, "Page 3 of 7"), ("Module b", NOT_STARTED, "7 pages and a knowledge check")]


def test_finished_steps_stay_links_and_the_certificate_is_reachable():
    finished = state(modules=[done("a"), done("b")], modules_completed_at=NOW, post_submitted_at=NOW,
                     reflection_written=True, certificate_code="ABC")
    tasks = {t.title: t for t in task_list(finished, NOW, SLUG)}
    assert all(tasks[title].status == COMPLETED for title in ("Baseline survey", "Module a", "Post-course survey",
                                                              "Reflection", "CPD certificate"))
    assert as_pair(tasks["CPD certificate"].target) == target("certificates.certificate", slug=SLUG)
    assert as_pair(tasks["Module a"].target) == target("learning.resume", slug=SLUG, module_slug="a")
    assert tasks["Follow-up survey"].status == CANNOT_START and tasks["Follow-up survey"].target is None
