"""The demo population `flask seed-demo` enrols: about 60 GPs at every stage of the journey.

Each GP is driven through the same services the views call (enrolment and consent, survey pages
and submission, page views, knowledge-check attempts, reflection, certificate issue, withdrawal),
on a clock set back in time, so every rule holds and the time stamps read like a real campaign
that opened about seven months ago. Each GP's choices come from a random generator seeded with
their number, so a fresh database always gets the same population and a GP already present is
skipped (running the seed again adds nothing).
"""
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from survey import clock
from survey.auth import services as accounts
from survey.auth.models import User, hash_password
from survey.campaigns import services as campaigns
from survey.campaigns.admin_services import create_cohort
from survey.campaigns.models import Campaign, Cohort
from survey.certificates.services import issue_certificate
from survey.extensions import db
from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.instruments.services import definition_of
from survey.learning import attempts, study
from survey.learning.services import finish_page, progress_for, save_reflection, show_page
from survey.privacy import consent
from survey.surveys import services as surveys
from survey.surveys.answers import clean_section, is_visible, storable
from survey.surveys.profile import enrolment_answers
from survey.surveys.versions import assign_vignettes, campaign_version

SEED = 13
COHORTS = ["North Thames training scheme", "Peninsula practice network", "Borders and Valleys locums"]
NATIONS = ["england"] * 6 + ["scotland", "scotland", "wales", "northern-ireland"]
#: How many GPs stop at each stage, in journey order; a GP at a later stage did every earlier one.
STAGES = [("joined", 6), ("baseline", 8), ("studying", 10), ("post", 8), ("certified", 16), ("follow_up", 12)]
#: Days after the campaign opened that GPs at a stage joined (others: 0 to 150), so that every step,
#: a withdrawal after it included, lies in the past and the follow-up is due for those who answered it.
JOINED_DAYS = {"joined": (150, 205), "follow_up": (0, 20)}
#: GP numbers (1-based) who withdraw their research consent along the way, one at most stages.
WITHDRAWN = {3, 10, 30, 40}
#: Mean change of a GP's attitude after the course, in scale points; other scales rise by DEFAULT_GAIN.
GAINS = {"barriers": -0.3, "subjective_norm": 0.0}
DEFAULT_GAIN = 0.5
#: The share of the post-course gain still there at follow-up.
KEPT_AT_FOLLOW_UP = 0.7
FIRST_NAMES = ["Aisha", "Ben", "Catriona", "Dev", "Eilidh", "Femi", "Gareth", "Hannah", "Imran", "Jo", "Kiran",
               "Lowri", "Mark", "Niamh", "Owen", "Priya", "Rhys", "Sarah", "Tom", "Usha", "Wen", "Yusuf"]
LAST_NAMES = ["Ahmed", "Bell", "Campbell", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Jones", "Kaur", "Lewis",
              "McBride", "Nolan", "Okafor", "Patel", "Quinn", "Roberts", "Shah", "Thomas", "Walsh", "Young"]
REFLECTIONS = [
    "I will ask about work whenever health affects it, and use the fit note's 'may be fit' box more.",
    "I will refer patients with low back pain to the practice's vocational support service earlier.",
    "I will talk about a phased return with patients after cancer treatment instead of signing them off by default.",
]


@dataclass
class DemoClock:
    """A clock the seed moves forward by hand while ``survey.clock.now`` reads it."""
    at: datetime

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)

    def jump(self, to: datetime) -> None:
        self.at = max(self.at, to)


@contextmanager
def clock_at(start: datetime):
    """Set the platform clock (``survey.clock.now``, which every time stamp reads) to ``start`` until the end."""
    demo_clock, real_now = DemoClock(start), clock.now
    clock.now = lambda: demo_clock.at
    try:
        yield demo_clock
    finally:
        clock.now = real_now


def opened_at() -> datetime:
    """When the demo campaign opened: long enough ago for a 90-day follow-up after a summer's study."""
    return clock.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=210)


class Population:
    """Enrols the demo GPs in ``campaign`` with ``library``'s modules and instrument."""

    def __init__(self, campaign: Campaign, library, educator: User):
        self.campaign, self.modules, self.educator = campaign, library.modules, educator
        self.cohorts = [self._cohort(name) for name in COHORTS]

    def _cohort(self, name: str) -> Cohort:
        existing = db.session.scalar(select(Cohort).where(Cohort.campaign_id == self.campaign.id, Cohort.name == name))
        return existing or create_cohort(self.campaign, name, [self.educator.id], self.educator)

    def enrol_all(self, start: datetime, password: str) -> int:
        """Enrol every demo GP not yet present; returns how many were added."""
        added, password_hash = 0, hash_password(password)
        stages = [stage for stage, count in STAGES for _ in range(count)]
        for number, stage in enumerate(stages, start=1):
            email = f"demo-gp-{number:02d}@example.org"
            if db.session.scalar(select(User.id).where(User.email == email)) is not None:
                continue
            rng = random.Random(SEED * 1000 + number)
            joined = start + timedelta(days=rng.randint(*JOINED_DAYS.get(stage, (0, 150))), hours=rng.randint(0, 8))
            with clock_at(joined) as demo_clock:
                user = _demo_account(f"Dr {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", email,
                                     f"{4100000 + number}", password, password_hash)
                GP(self, user, rng, demo_clock).go_to(stage, withdraw=number in WITHDRAWN)
            added += 1
        return added

    def demo_gp(self, user: User) -> None:
        """The GP a visitor signs in as: baseline done, part-way through the first module, nothing more."""
        if campaigns.enrolment_for(user, self.campaign.slug) is not None:
            return
        with clock_at(clock.now() - timedelta(days=4)) as demo_clock:  # studying advances up to three days
            gp = GP(self, user, random.Random(SEED), demo_clock, nation="england", cohort=self.cohorts[0])
            gp.go_to("baseline")
            gp.study(self.modules[self.campaign.module_slugs[0]], pages=2)


def _demo_account(name: str, email: str, gmc_number: str, password: str, password_hash: str) -> User:
    """A confirmed GP account like ``accounts.create_user`` makes, with a password hashed once for all
    demo GPs: scrypt is slow on purpose, and hashing 60 times would take most of the seed's time."""
    accounts.check_account_fields(name, email, password, "gp", gmc_number)
    user = User(name=name, email=email, gmc_number=gmc_number, role="gp", email_confirmed_at=clock.now(),
                password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    return user


class GP:
    """One demo GP's journey, answered with a latent attitude that rises after the course."""

    def __init__(self, population: Population, user: User, rng: random.Random, demo_clock: DemoClock,
                 nation: str | None = None, cohort: Cohort | None = None):
        self.population, self.rng, self.clock = population, rng, demo_clock
        self.attitude = rng.gauss(0, 0.7)  #: offset from the middle of each response scale
        self.enrolment = campaigns.enrol(user, population.campaign, research_consent=rng.random() > 0.05,
                                         cohort=cohort or rng.choice(population.cohorts),
                                         nation=nation or rng.choice(NATIONS))
        consent.record_enrolment(self.enrolment)

    def go_to(self, stage: str, withdraw: bool = False) -> None:
        """Take the GP through every step up to and including ``stage``; withdraw consent at the end when asked."""
        order = [name for name, _ in STAGES]
        reached = order.index(stage)
        modules = [self.population.modules[slug] for slug in self.population.campaign.module_slugs]
        if reached >= order.index("baseline"):
            self.answer("pre")
        if stage == "studying":
            done = self.rng.randint(0, len(modules) - 1)
            for module in modules[:done]:
                self.study(module)
            self.study(modules[done], pages=self.rng.randint(1, modules[done].page_count))
        elif reached >= order.index("post"):
            for module in modules:
                self.study(module)
            self.answer("post")
        if reached >= order.index("certified"):
            self.clock.advance(minutes=self.rng.randint(2, 30))
            save_reflection(self.enrolment, self.rng.choice(REFLECTIONS))
            issue_certificate(self.enrolment, campaigns.journey_state(self.enrolment, self.population.modules),
                              self.population.modules)
        if stage == "follow_up":
            self.clock.advance(days=self.population.campaign.follow_up_days + self.rng.randint(0, 10))
            self.answer("follow_up")
        if withdraw:
            self.clock.advance(days=self.rng.randint(1, 14))
            consent.withdraw(self.enrolment)
        db.session.flush()

    def study(self, module, pages: int | None = None) -> None:
        """Read ``pages`` pages (all when None) for their reading time; having read all, pass the check,
        one GP in five only at the second attempt."""
        self.clock.advance(hours=self.rng.randint(2, 72))
        progress = progress_for(self.enrolment, module)
        for page in range(1, (pages or module.page_count) + 1):
            show_page(progress, module, page)
            self.clock.advance(seconds=study.reading_seconds(module.page_texts[page - 1]) + self.rng.randint(5, 90))
            finish_page(progress, module, page)
        if pages is not None:
            return
        for passing in ([False, True] if self.rng.random() < 0.2 else [True]):
            attempt = attempts.open_attempt(self.enrolment, module, progress, self.rng)
            chosen = {entry["id"]: self._choice(module.knowledge_check.question(entry["id"]), passing)
                      for entry in attempt.questions}
            self.clock.advance(minutes=self.rng.randint(3, 8))
            attempts.submit_attempt(self.enrolment, module, progress, attempt, chosen)

    @staticmethod
    def _choice(question, correct: bool) -> list[int]:
        if correct:
            return sorted(question.correct_indexes)
        return [next(i for i in range(len(question.options)) if i not in question.correct_indexes)]

    def answer(self, wave: str) -> None:
        """Answer every page of ``wave`` as the survey pages would store it, then submit."""
        self.clock.advance(minutes=self.rng.randint(5, 60))
        response = surveys.start_response(self.enrolment, wave, campaign_version(self.population.campaign))
        definition = definition_of(response.version)
        assigned = assign_vignettes(self.enrolment, definition)
        given = enrolment_answers(definition, self.enrolment.profile or {}, self.enrolment.nation)
        points = {key: scale.points for key, scale in definition.response_scales.items()}
        scale_of = {item: scale.key for scale in definition.scales for item in scale.items}
        answers = dict(given)
        sections = definition.sections_for(wave, cases=assigned)
        for number, section in enumerate(sections, start=1):
            submitted = self._page(section, wave, given, answers, points, scale_of)
            values, errors = clean_section(section, submitted, answers, points)
            answers.update({item: value for item, value in values.items() if value is not None})
            surveys.save_page(response, storable(values, errors), number + 1)
            self.clock.advance(seconds=self.rng.randint(40, 150))
        surveys.submit(response, sections)

    def _page(self, section, wave: str, given: dict, earlier: dict, points: dict,
              scale_of: dict) -> dict[str, list[str]]:
        """The form a GP would post for a page: an answer to each question shown, given what they answered above it."""
        answers, submitted = dict(earlier), {}
        for question in section.questions():
            if is_visible(question, answers):
                submitted[question.id] = [given[question.id]] if question.id in given else \
                    self._answer(question, wave, points, scale_of)
                answers[question.id] = ";".join(submitted[question.id])
        return submitted

    def _answer(self, question, wave: str, points: dict, scale_of: dict) -> list[str]:
        """A plausible answer: Likert items follow the GP's attitude (reverse-keyed items the other way)."""
        if isinstance(question, Likert):
            top = points[question.response_scale]
            gain = GAINS.get(scale_of.get(question.id), DEFAULT_GAIN)
            shift = {"pre": 0, "post": gain, "follow_up": gain * KEPT_AT_FOLLOW_UP}[wave]
            value = (top + 1) / 2 + self.attitude + shift + self.rng.gauss(0, 0.7)
            value = min(top, max(1, round(value)))
            return [str(top + 1 - value if question.reverse else value)]
        if isinstance(question, SingleChoice):
            return [self.rng.choice(question.options).value]
        if isinstance(question, MultipleChoice):
            return [option.value for option in self.rng.sample(question.options, self.rng.randint(1, 2))]
        if isinstance(question, Number):
            return [str(self.rng.randint(int(question.min), int(min(question.max, question.min + 6))))]
        if isinstance(question, FreeText):
            return []
        raise TypeError(question)
