"""The order of a GP's journey through a campaign: pure rules over a snapshot of progress.

pre survey -> modules (each: pages read, knowledge check passed) -> post survey -> reflection
-> certificate; the follow-up survey opens ``follow_up_days`` after the post survey.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ModuleState:
    slug: str
    title: str
    page_count: int
    current_page: int  #: where the GP resumes, 1-based
    pages_read: bool
    passed: bool
    best_score: int | None

    @property
    def complete(self) -> bool:
        return self.pages_read and self.passed


@dataclass(frozen=True)
class JourneyState:
    pre_submitted: bool
    modules: list[ModuleState]
    post_submitted_at: datetime | None
    reflection_written: bool
    certificate_code: str | None
    follow_up_days: int
    follow_up_submitted: bool

    @property
    def modules_unlocked(self) -> bool:
        """Teaching opens only after the baseline, or the baseline would be contaminated."""
        return self.pre_submitted

    @property
    def modules_complete(self) -> bool:
        return self.pre_submitted and all(m.complete for m in self.modules)

    @property
    def post_unlocked(self) -> bool:
        return self.modules_complete

    @property
    def reflection_unlocked(self) -> bool:
        return self.post_submitted_at is not None

    @property
    def certificate_ready(self) -> bool:
        return self.modules_complete and self.post_submitted_at is not None and self.reflection_written

    def follow_up_due_at(self) -> datetime | None:
        if self.post_submitted_at is None:
            return None
        return self.post_submitted_at + timedelta(days=self.follow_up_days)

    def follow_up_open(self, now: datetime) -> bool:
        due = self.follow_up_due_at()
        return due is not None and now >= due

    def wave_open(self, wave: str, now: datetime) -> bool:
        """Whether a survey wave may be answered now."""
        if wave == "pre":
            return True
        if wave == "post":
            return self.post_unlocked
        return self.follow_up_open(now)


@dataclass(frozen=True)
class Step:
    kind: str  # pre, module, post, reflection, certificate, follow_up, done
    label: str
    module_slug: str | None = None


def next_step(state: JourneyState, now: datetime) -> Step:
    """The one thing the GP should do next."""
    if not state.pre_submitted:
        return Step("pre", "Answer the baseline survey")
    for module in state.modules:
        if not module.complete:
            action = "Take the knowledge check" if module.pages_read else "Continue"
            return Step("module", f"{action}: {module.title}", module.slug)
    if state.post_submitted_at is None:
        return Step("post", "Answer the post-course survey")
    if not state.reflection_written:
        return Step("reflection", "Write your reflection")
    if state.certificate_code is None:
        return Step("certificate", "Get your CPD certificate")
    if state.follow_up_open(now) and not state.follow_up_submitted:
        return Step("follow_up", "Answer the follow-up survey")
    return Step("done", "All done: download your certificate")
