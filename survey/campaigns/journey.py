"""The order of a GP's journey through a campaign: pure rules over a snapshot of progress.

pre survey -> (delayed arm of a delayed-start campaign: a wait, then the second baseline "pre2") -> modules (each: pages read, knowledge check passed) -> post survey -> reflection
-> certificate; the follow-up survey opens ``follow_up_days`` after the post survey.

A GP drawn for the optional test-retest mini-wave may also answer the retest survey from
``retest_days`` after their baseline until they open any module (then it closes for good, since
it would measure learning, not reliability); it never holds up the course.

A campaign whose ``certificate_rule`` is "module" certifies each module on its own instead:
module -> a reflection on that module -> that module's certificate. The post survey is not
required there, because it opens only after the last module and per-module certificates would
otherwise all arrive at once at the end; the campaign-wide reflection and certificate are skipped.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

#: The scope of a campaign-wide reflection or certificate; any other scope is a module slug.
CAMPAIGN = "campaign"


@dataclass(frozen=True)
class ModuleState:
    slug: str
    title: str
    page_count: int
    current_page: int  #: where the GP resumes, 1-based
    pages_read: bool
    passed: bool
    best_score: int | None
    reflection_written: bool = False  #: a reflection on this module (per-module certificates)
    certificate_code: str | None = None  #: this module's certificate (per-module certificates)
    started: bool = False  #: the GP has opened the module

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
    #: "campaign": one certificate for the campaign; "module": one per completed module.
    certificate_rule: str = CAMPAIGN
    #: Days after the last module before the post survey opens (0: at once; see README).
    post_delay_days: int = 0
    #: When the last module was completed (its pages read and knowledge check passed).
    modules_completed_at: datetime | None = None
    #: Surveys the GP has opened but not submitted ("pre", "post", "follow_up").
    waves_started: frozenset[str] = frozenset()
    #: The arm of a randomised GP ("now" or "delayed"); None when the campaign does not randomise them.
    arm: str | None = None
    #: Delayed arm: when the second baseline opens (allocation + the campaign's delay); the course follows it.
    second_baseline_opens_at: datetime | None = None
    second_baseline_submitted: bool = False
    #: Drawn for the test-retest mini-wave (survey.evaluation.retest).
    retest_selected: bool = False
    #: When the retest opens: the baseline's submission plus the campaign's ``retest_days``.
    retest_opens_at: datetime | None = None
    retest_submitted: bool = False

    @property
    def delayed(self) -> bool:
        return self.arm == "delayed"

    @property
    def baseline_complete(self) -> bool:
        """Every baseline the GP owes: the pre survey, and for the delayed arm the second baseline too."""
        return self.pre_submitted and (not self.delayed or self.second_baseline_submitted)

    def second_baseline_open(self, now: datetime) -> bool:
        """The delayed arm's second baseline opens after their first one and once the delay has passed."""
        return (self.delayed and self.pre_submitted and self.second_baseline_opens_at is not None
                and now >= self.second_baseline_opens_at)

    @property
    def module_opened(self) -> bool:
        """The GP has opened at least one module: teaching has begun."""
        return any(m.started for m in self.modules)

    def retest_open(self, now: datetime) -> bool:
        """A drawn GP's retest: open from ``retest_opens_at`` until they open a module, then closed for good."""
        return (self.retest_selected and self.pre_submitted and not self.module_opened
                and self.retest_opens_at is not None and now >= self.retest_opens_at)

    @property
    def per_module_certificates(self) -> bool:
        return self.certificate_rule == "module"

    def module(self, slug: str) -> ModuleState | None:
        return next((m for m in self.modules if m.slug == slug), None)

    @property
    def modules_unlocked(self) -> bool:
        """Teaching opens only after the baseline (both, for the delayed arm), or it would be contaminated."""
        return self.baseline_complete

    @property
    def modules_complete(self) -> bool:
        return self.baseline_complete and all(m.complete for m in self.modules)

    @property
    def post_unlocked(self) -> bool:
        return self.modules_complete

    @property
    def reflection_unlocked(self) -> bool:
        """The campaign-wide reflection: after the post survey, unless each module is reflected on."""
        return self.post_submitted_at is not None and not self.per_module_certificates

    def module_reflection_unlocked(self, slug: str) -> bool:
        """A reflection on one module, once that module is complete (per-module certificates only)."""
        module = self.module(slug)
        return self.per_module_certificates and module is not None and self.baseline_complete and module.complete

    def certificate_missing(self, scope: str = CAMPAIGN) -> list[str]:
        """What the GP must still do before the certificate of ``scope``; empty when it may be issued.

        Campaign certificate: every module's pages read and knowledge check passed, the post survey
        submitted and the reflection written. Module certificate (campaigns certifying per module):
        that module's pages read and knowledge check passed and a reflection on it written.
        """
        modules = self.modules if scope == CAMPAIGN else [m for m in self.modules if m.slug == scope]
        if not modules or (scope == CAMPAIGN) == self.per_module_certificates:
            return ["this campaign does not issue that certificate"]
        missing = [] if self.pre_submitted else ["answer the baseline survey"]
        if self.delayed and not self.second_baseline_submitted:
            missing.append("answer the second baseline survey")
        for module in modules:
            if not module.pages_read:
                missing.append(f"read every page of “{module.title}”")
            if not module.passed:
                missing.append(f"pass the knowledge check of “{module.title}”")
        if scope == CAMPAIGN:
            if self.post_submitted_at is None:
                missing.append("answer the post-course survey")
            if not self.reflection_written:
                missing.append("write your reflection")
        elif not modules[0].reflection_written:
            missing.append(f"write your reflection on “{modules[0].title}”")
        return missing

    @property
    def certificate_ready(self) -> bool:
        """The campaign-wide certificate may be issued."""
        return not self.certificate_missing(CAMPAIGN)

    def follow_up_due_at(self) -> datetime | None:
        if self.post_submitted_at is None:
            return None
        return self.post_submitted_at + timedelta(days=self.follow_up_days)

    def follow_up_open(self, now: datetime) -> bool:
        due = self.follow_up_due_at()
        return due is not None and now >= due

    def post_opens_at(self) -> datetime | None:
        """When the post survey opens: ``post_delay_days`` after the last module was completed."""
        if not self.post_unlocked:
            return None
        if not self.post_delay_days or self.modules_completed_at is None:
            return self.modules_completed_at or datetime.min.replace(tzinfo=UTC)
        return self.modules_completed_at + timedelta(days=self.post_delay_days)

    def post_open(self, now: datetime) -> bool:
        opens = self.post_opens_at()
        return opens is not None and now >= opens

    def wave_open(self, wave: str, now: datetime) -> bool:
        """Whether a survey wave may be answered now."""
        if wave == "pre":
            return True
        if wave == "pre2":
            return self.second_baseline_open(now)
        if wave == "retest":
            return self.retest_open(now)
        if wave == "post":
            return self.post_open(now)
        return self.follow_up_open(now)


@dataclass(frozen=True)
class Step:
    kind: str  # pre, pre2_waiting, pre2, module, module_reflection, module_certificate, post, reflection, certificate, follow_up, done
    label: str
    module_slug: str | None = None


def next_step(state: JourneyState, now: datetime) -> Step:
    """The one thing the GP should do next."""
    if not state.pre_submitted:
        return Step("pre", "Answer the baseline survey")
    if state.delayed and not state.second_baseline_submitted:
        if not state.second_baseline_open(now):
            return Step("pre2_waiting", f"Your course opens on {state.second_baseline_opens_at:%-d %B %Y}, "
                                        "after a short second baseline survey")
        return Step("pre2", "Answer the second baseline survey: your course opens straight after")
    for module in state.modules:
        if not module.complete:
            # Shown after "Next:" (and beside the Continue button), so no second colon.
            action = "Take the knowledge check for" if module.pages_read else "Continue with"
            return Step("module", f"{action} {module.title}", module.slug)
        if state.per_module_certificates and not module.reflection_written:
            return Step("module_reflection", f"Reflect on {module.title}", module.slug)
        if state.per_module_certificates and module.certificate_code is None:
            return Step("module_certificate", f"Get your CPD certificate for {module.title}", module.slug)
    if state.post_submitted_at is None:
        if not state.post_open(now):
            return Step("post_waiting", f"The post-course survey opens on {state.post_opens_at():%-d %B %Y}")
        return Step("post", "Answer the post-course survey")
    if not state.per_module_certificates:
        if not state.reflection_written:
            return Step("reflection", "Write your reflection")
        if state.certificate_code is None:
            return Step("certificate", "Get your CPD certificate")
    if state.follow_up_open(now) and not state.follow_up_submitted:
        return Step("follow_up", "Answer the follow-up survey")
    return Step("done", "All done: download your certificates" if state.per_module_certificates
                else "All done: download your certificate")
