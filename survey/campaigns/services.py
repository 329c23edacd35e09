"""Finding campaigns, enrolling GPs with their consent, and reading a GP's journey. Callers commit."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey import clock
from survey.auth.models import User
from survey.campaigns.journey import CAMPAIGN, JourneyState, ModuleState, next_step
from survey.campaigns.tasks import Target, continue_label, step_target
from survey.campaigns.models import Campaign, CampaignModule, Cohort, Enrolment
from survey.campaigns.rules import enrolment_refusal
from survey.certificates.models import Certificate
from survey.codes import normalise_code, random_code
from survey.evaluation import retest_services as retest
from survey.evaluation import services as evaluation
from survey.extensions import db
from survey.learning.local_routes import for_campaign
from survey.learning.models import ModuleProgress, Reflection
from survey.surveys.models import Response


class EnrolmentError(Exception):
    """A GP cannot join a campaign; the message is for the GP."""


def campaign_by_code(typed_code: str) -> Campaign | None:
    code = normalise_code(typed_code)
    return db.session.scalar(select(Campaign).where(Campaign.enrolment_code == code)) if code else None


@dataclass(frozen=True)
class JoinTarget:
    """What an enrolment code opens: a campaign, and the cohort when it is a cohort's code."""

    campaign: Campaign
    cohort: Cohort | None

    @property
    def code(self) -> str:
        return (self.cohort or self.campaign).enrolment_code


def target_by_code(typed_code: str) -> JoinTarget | None:
    """The campaign (and cohort) a campaign or cohort enrolment code belongs to, however it was typed."""
    campaign = campaign_by_code(typed_code)
    if campaign is not None:
        return JoinTarget(campaign, None)
    code = normalise_code(typed_code)
    cohort = db.session.scalar(select(Cohort).where(Cohort.enrolment_code == code)) if code else None
    return JoinTarget(cohort.campaign, cohort) if cohort else None


def refusal_for(campaign: Campaign) -> str | None:
    """Why enrolment in the campaign is refused today (before it opens, after it closes), or None."""
    return enrolment_refusal(campaign.opens_on, campaign.closes_on, campaign.closed_at, clock.uk_today())


def campaign_by_slug(slug: str) -> Campaign | None:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def create_campaign(slug: str, title: str, instrument_slug: str, module_slugs: list[str], consent_version: str,
                    consent_text: str, description: str = "", enrolment_code: str | None = None,
                    follow_up_days: int = 90) -> Campaign:
    """A campaign with its modules in study order and a fresh enrolment code."""
    campaign = Campaign(
        slug=slug, title=title, description=description, instrument_slug=instrument_slug,
        enrolment_code=normalise_code(enrolment_code) if enrolment_code else random_code(8),
        consent_version=consent_version, consent_text=consent_text, follow_up_days=follow_up_days,
        modules=[CampaignModule(module_slug=s, position=i) for i, s in enumerate(module_slugs, start=1)],
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def enrolment_for(user: User, campaign_slug: str) -> Enrolment | None:
    """The user's own enrolment in a campaign; None for anyone else's (views answer 404)."""
    return db.session.scalar(
        select(Enrolment).join(Campaign).where(Enrolment.user_id == user.id, Campaign.slug == campaign_slug)
    )


def enrolments_of(user: User) -> list[Enrolment]:
    return list(db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id)))


def enrol(user: User, campaign: Campaign, research_consent: bool, cohort: Cohort | None = None,
          profile: dict | None = None, nation: str | None = None) -> Enrolment:
    """Join a campaign (through a cohort's code: into that cohort), recording the exact consent text and
    its version and the answers to the campaign's enrolment fields. Joining twice is a no-op; joining is
    refused outside the campaign's enrolment window or once it is closed. In a delayed-start campaign a GP
    who consents to research use is randomised to an arm as they join."""
    if user.role != "gp":
        raise EnrolmentError("Only GP accounts can join a campaign.")
    existing = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.campaign_id == campaign.id)
    )
    if existing:
        return existing
    refusal = refusal_for(campaign)
    if refusal:
        raise EnrolmentError(refusal)
    enrolment = Enrolment(
        user_id=user.id, campaign_id=campaign.id, participant_code="P" + random_code(9),
        consent_version=campaign.consent_version, consent_text=campaign.consent_text,
        consented_at=clock.now(), research_consent=research_consent,
        cohort_id=cohort.id if cohort else None, profile=profile or {}, nation=nation,
    )
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:  # a concurrent double submit enrolled first
        return db.session.scalar(
            select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.campaign_id == campaign.id)
        )
    evaluation.allocate(enrolment)
    return enrolment


def nation_for(user: User, enrolment: Enrolment | None = None) -> str | None:
    """The UK nation whose routes the GP sees first: the one given on this enrolment, else the one on
    their most recent enrolment that has a nation (e.g. studying outside a campaign); None if never given."""
    if enrolment is not None and enrolment.nation:
        return enrolment.nation
    return db.session.scalar(
        select(Enrolment.nation).where(Enrolment.user_id == user.id, Enrolment.nation.is_not(None))
        .order_by(Enrolment.consented_at.desc(), Enrolment.id.desc()).limit(1)
    )


def set_nation(enrolment: Enrolment, nation: str) -> None:
    """Change the nation the GP practises in, for this campaign (the form offers only the four nations)."""
    enrolment.nation = nation
    db.session.flush()


def journey_state(enrolment: Enrolment, modules: dict) -> JourneyState:
    """A snapshot of everything the journey rules need, read in a handful of queries."""
    progress = {
        p.module_slug: p
        for p in db.session.scalars(select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))
    }
    responses = list(db.session.scalars(select(Response).where(Response.enrolment_id == enrolment.id)))
    submitted = {r.wave: r.submitted_at for r in responses if r.submitted_at is not None}
    reflected = {scope for scope, cycle in db.session.execute(select(Reflection.scope, Reflection.cycle)
                                                               .where(Reflection.enrolment_id == enrolment.id))
                 if cycle >= _scope_cycle(enrolment, progress, scope)}
    certificates = _current_certificates(enrolment, progress)
    states = []
    for slug in enrolment.campaign.module_slugs:
        module, row = for_campaign(modules[slug], enrolment.campaign.local_routes), progress.get(slug)
        states.append(ModuleState(
            slug=slug, title=module.title, page_count=module.page_count,
            current_page=row.current_page if row else 1,
            pages_read=bool(row and row.pages_completed_at), passed=bool(row and row.passed_at),
            best_score=row.best_score if row else None,
            reflection_written=slug in reflected, certificate_code=certificates.get(slug), started=row is not None,
        ))
    allocation = evaluation.allocation_of(enrolment)
    campaign = enrolment.campaign
    draw = retest.draw_of(enrolment) if campaign.retest_enabled else None
    return JourneyState(
        retest_selected=bool(draw and draw.selected), retest_submitted="retest" in submitted,
        retest_opens_at=retest.retest_opens_at(campaign, submitted.get("pre")),
        arm=allocation.arm if allocation else None,
        second_baseline_opens_at=evaluation.second_baseline_opens_at(allocation, enrolment.campaign) if allocation else None,
        second_baseline_submitted="pre2" in submitted,
        pre_submitted="pre" in submitted, modules=states, post_submitted_at=submitted.get("post"),
        reflection_written=CAMPAIGN in reflected, certificate_code=certificates.get(CAMPAIGN),
        follow_up_days=enrolment.campaign.follow_up_days, follow_up_submitted="follow_up" in submitted,
        certificate_rule=enrolment.campaign.certificate_rule,
        post_delay_days=enrolment.campaign.post_delay_days or 0,
        modules_completed_at=_completed_at(enrolment.campaign.module_slugs, progress),
        waves_started=frozenset(r.wave for r in responses if r.submitted_at is None),
    )


def _current_certificates(enrolment: Enrolment, progress: dict) -> dict[str, str]:
    """Code of each scope's certificate of the current study cycle: none while a repeat of the course
    (renewal) is under way, so the journey leads the GP through the repeat to the new certificate.
    Reflections count the same way (``journey_state``): a repeat asks for the reflection again."""
    latest = {scope: (code, issued_cycle) for scope, code, issued_cycle in db.session.execute(
        select(Certificate.scope, Certificate.code, Certificate.cycle).where(Certificate.enrolment_id == enrolment.id)
        .order_by(Certificate.cycle))}
    return {scope: code for scope, (code, issued_cycle) in latest.items()
            if issued_cycle >= _scope_cycle(enrolment, progress, scope)}


def _scope_cycle(enrolment: Enrolment, progress: dict, scope: str) -> int:
    """The study cycle of a certificate's scope: of its module, or the latest of the campaign's."""
    slugs = enrolment.campaign.module_slugs if scope == CAMPAIGN else [scope]
    return max((progress[slug].cycle for slug in slugs if slug in progress), default=1)


def _completed_at(slugs: list[str], progress: dict):
    """When the last of the campaign's modules was completed (pages read and check passed), if all are."""
    times = []
    for slug in slugs:
        row = progress.get(slug)
        if row is None or row.pages_completed_at is None or row.passed_at is None:
            return None
        times.append(max(row.pages_completed_at, row.passed_at))
    return max(times) if times else None


def next_action(enrolment: Enrolment, modules: dict) -> tuple[str, Target | None]:
    """The words and page of the GP's next step, for the button after a finished step (a passed check)."""
    state = journey_state(enrolment, modules)
    step = next_step(state, clock.now())
    return continue_label(step), step_target(step, state, enrolment.campaign.slug)
