"""The GP's journey as a task list, and where "Continue" takes them. Pure: rules over a JourneyState.

Each task has one of the design system's task-list statuses. "Continue" goes exactly where the GP
left off: a module resumes at the page they were on (or its knowledge check once every page is
read), a survey at its first unanswered page; the view turns a Target into a URL.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from survey.campaigns.journey import JourneyState, ModuleState, Step, next_step

COMPLETED, IN_PROGRESS, NOT_STARTED, CANNOT_START = "Completed", "In progress", "Not started", "Cannot start yet"
CLOSED = "Closed"  #: a step that can no longer be done (the retest, once a module is opened)
RETEST_TITLE = "Retest survey (optional)"


class Target(NamedTuple):
    """A page of the GP's journey: a Flask endpoint and its URL values."""
    endpoint: str
    values: tuple[tuple[str, str], ...]


def _target(endpoint: str, **values: str) -> Target:
    return Target(endpoint, tuple(sorted(values.items())))


@dataclass(frozen=True)
class Task:
    title: str
    status: str
    target: Target | None = None  #: None while the step cannot be opened
    hint: str = ""
    links: tuple[tuple[str, Target], ...] = ()  #: further pages of a finished step (its certificate)


def _survey(slug: str, wave: str) -> Target:
    return _target("surveys.resume", slug=slug, wave=wave)


def module_target(slug: str, module: ModuleState) -> Target:
    """Where a module resumes: its knowledge check once every page is read, else the page the GP was on."""
    if module.pages_read and not module.passed:
        return _target("learning.check", slug=slug, module_slug=module.slug)
    return _target("learning.resume", slug=slug, module_slug=module.slug)


def continue_target(state: JourneyState, now: datetime, slug: str) -> Target | None:
    """The page that "Continue" opens: the next step's own page; None when nothing can be done now."""
    return step_target(next_step(state, now), state, slug)


def step_target(step: Step, state: JourneyState, slug: str) -> Target | None:
    if step.kind in ("pre", "pre2", "post", "follow_up"):
        return _survey(slug, step.kind)
    if step.kind == "module":
        return module_target(slug, state.module(step.module_slug))
    if step.kind in ("module_reflection", "reflection"):
        return _target("certificates.reflection", slug=slug, **({"module_slug": step.module_slug} if step.module_slug else {}))
    if step.kind in ("module_certificate", "certificate"):
        return _target("certificates.certificate", slug=slug, **({"module_slug": step.module_slug} if step.module_slug else {}))
    if step.kind == "done" and not state.per_module_certificates:
        return _target("certificates.certificate", slug=slug)
    return None  # pre2_waiting, post_waiting, or done with per-module certificates (listed in the task list)


def _wave_task(title: str, slug: str, wave: str, submitted: bool, is_open: bool, started: bool, closed_hint: str) -> Task:
    if submitted:
        return Task(title, COMPLETED, _survey(slug, wave))
    if not is_open:
        return Task(title, CANNOT_START, hint=closed_hint)
    return Task(title, IN_PROGRESS if started else NOT_STARTED, _survey(slug, wave))


def _retest_task(state: JourneyState, now: datetime, slug: str) -> Task:
    """The optional retest of a drawn GP: it asks the baseline's rating questions again before any teaching."""
    if not state.retest_submitted and state.module_opened:
        return Task(RETEST_TITLE, CLOSED, hint="Closed once you opened a module: after teaching it would measure "
                                               "what you learnt, not how steady the survey's answers are")
    task = _wave_task(RETEST_TITLE, slug, "retest", state.retest_submitted, state.retest_open(now),
                      "retest" in state.waves_started,
                      f"Opens on {state.retest_opens_at:%-d %B %Y} if you have not opened a module by then"
                      if state.retest_opens_at else "")
    if task.status in (NOT_STARTED, IN_PROGRESS):
        return Task(task.title, task.status, task.target, "Optional: the baseline's rating questions once more, "
                                                          "before you open a module")
    return task


def _module_task(state: JourneyState, module: ModuleState, slug: str) -> Task:
    if not state.modules_unlocked:
        if state.delayed:
            return Task(module.title, CANNOT_START, hint="Opens after the second baseline survey, from "
                        f"{state.second_baseline_opens_at:%-d %B %Y}")
        return Task(module.title, CANNOT_START, hint="Opens once the baseline survey is submitted")
    target = module_target(slug, module)
    if module.complete:
        links = ()
        if state.module_reflection_unlocked(module.slug):
            reflection = _target("certificates.reflection", slug=slug, module_slug=module.slug)
            links = (("Edit your reflection" if module.reflection_written else "Reflect on this module", reflection),)
            if module.reflection_written:
                links += (("CPD certificate", _target("certificates.certificate", slug=slug, module_slug=module.slug)),)
        return Task(module.title, COMPLETED, target, f"Best score {module.best_score}%", links)
    if not module.started:
        return Task(module.title, NOT_STARTED, target, f"{module.page_count} pages and a knowledge check")
    if module.pages_read:
        best = f"best score so far {module.best_score}%" if module.best_score is not None else "to do"
        return Task(module.title, IN_PROGRESS, target, f"Pages read; knowledge check {best}")
    return Task(module.title, IN_PROGRESS, target, f"Page {module.current_page} of {module.page_count}")


def task_list(state: JourneyState, now: datetime, slug: str, follow_up_hint: str = "") -> list[Task]:
    """Every step of the campaign in order, each with its status and (when it can be opened) its page.

    ``follow_up_hint``: when the follow-up opens, in words (the view knows how dates are written).
    """
    waves_started = state.waves_started
    tasks = [_wave_task("Baseline survey", slug, "pre", state.pre_submitted, True, "pre" in waves_started, "")]
    if state.delayed:  # randomised to start later: a second baseline after the wait, then the course
        tasks.append(_wave_task("Second baseline survey", slug, "pre2", state.second_baseline_submitted,
                                state.second_baseline_open(now), "pre2" in waves_started,
                                f"Opens on {state.second_baseline_opens_at:%-d %B %Y}"))
    if state.retest_selected:
        tasks.append(_retest_task(state, now, slug))
    tasks += [_module_task(state, module, slug) for module in state.modules]
    opens = state.post_opens_at()
    tasks.append(_wave_task("Post-course survey", slug, "post", state.post_submitted_at is not None, state.post_open(now),
                            "post" in waves_started,
                            f"Opens on {opens:%-d %B %Y}" if state.post_unlocked and opens else "Opens after the modules"))
    if not state.per_module_certificates:
        reflection = _target("certificates.reflection", slug=slug)
        if state.reflection_written:
            tasks.append(Task("Reflection", COMPLETED, reflection))
        elif state.reflection_unlocked:
            tasks.append(Task("Reflection", NOT_STARTED, reflection))
        else:
            tasks.append(Task("Reflection", CANNOT_START, hint="Opens after the post-course survey"))
        certificate = _target("certificates.certificate", slug=slug)
        if state.certificate_code:
            tasks.append(Task("CPD certificate", COMPLETED, certificate))
        elif state.certificate_ready:
            tasks.append(Task("CPD certificate", NOT_STARTED, certificate))
        else:
            tasks.append(Task("CPD certificate", CANNOT_START, hint="Ready once the reflection is written"))
    tasks.append(_wave_task("Follow-up survey", slug, "follow_up", state.follow_up_submitted, state.follow_up_open(now),
                            "follow_up" in waves_started, follow_up_hint))
    return tasks


def continue_label(step: Step) -> str:
    """The words on the button after a step (e.g. a passed knowledge check): "Next module" for a module."""
    if step.kind == "module":
        return "Next module"
    return step.label
