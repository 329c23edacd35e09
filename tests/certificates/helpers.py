"""Bring an enrolment to any point of the journey through the services, without the survey pages."""
from survey.campaigns import services as campaigns
from survey.campaigns.journey import CAMPAIGN
from survey.certificates import services as certificates
from survey.extensions import db
from survey.instruments.services import instrument_version
from survey.learning import attempts, study
from survey.learning import services as learning
from survey.library import library
from survey.surveys import services as surveys
from survey.surveys.answers import is_visible
from tests.factories import make_campaign, make_user
from tests.journey import gp_sections, moving_clock, valid_answer

MODULE = "work-as-health-outcome"
SECOND = "cancer-and-work"
REFLECTION = "I will ask every patient of working age about their job at the first consultation."


def enrol(user=None, campaign=None, certificate_rule="campaign", modules=(MODULE,)):
    user = user or make_user()
    campaign = campaign or make_campaign(modules=modules)
    campaign.certificate_rule = certificate_rule
    enrolment = campaigns.enrol(user, campaign, research_consent=True)
    db.session.commit()
    return enrolment


def submit_wave(enrolment, wave: str):
    """Answer every shown question of the wave validly and submit it."""
    instrument = library().instruments[enrolment.campaign.instrument_slug]
    response = surveys.start_response(enrolment, wave, instrument_version(instrument))
    sections = gp_sections(enrolment, instrument.data, wave)
    answers: dict[str, str] = {}
    for question in (q for section in sections for q in section.questions()):
        if is_visible(question, answers):
            answers[question.id] = ";".join(valid_answer(question))
    surveys.save_page(response, answers)
    surveys.submit(response, sections)
    db.session.commit()


def complete_module(enrolment, slug: str = MODULE, seconds: int = 1500, read=True, passed=True):
    """Read every page (``read``) and pass the knowledge check (``passed``), with ``seconds`` of page time."""
    module = library().modules[slug]
    progress = learning.progress_for(enrolment, module)
    if read:
        with moving_clock() as advance:
            for page in range(1, module.page_count + 1):
                learning.show_page(progress, module, page)
                advance(study.reading_seconds(module.page_texts[page - 1]))
                learning.finish_page(progress, module, page)
        assert progress.pages_completed_at is not None
        if passed:
            key = {q.id: sorted(q.correct_indexes) for q in module.knowledge_check.questions}
            attempt = attempts.open_attempt(enrolment, module, progress)
            attempts.submit_attempt(enrolment, module, progress, attempt, {q: [] for q in key})
            attempt = attempts.open_attempt(enrolment, module, progress)
            attempts.submit_attempt(enrolment, module, progress, attempt, key)
    progress.seconds_spent = seconds
    db.session.commit()
    return progress


def reflect(enrolment, text: str = REFLECTION, scope: str = CAMPAIGN):
    learning.save_reflection(enrolment, text, scope)
    db.session.commit()


def ready_enrolment(**kwargs):
    """An enrolment that has met every rule of a campaign-wide certificate."""
    enrolment = enrol(**kwargs)
    submit_wave(enrolment, "pre")
    for slug in enrolment.campaign.module_slugs:
        complete_module(enrolment, slug)
    submit_wave(enrolment, "post")
    reflect(enrolment)
    return enrolment


def expiring(months: int | None = 12, **kwargs):
    """An enrolment that has met every rule of a campaign whose certificates are valid for ``months``."""
    enrolment = ready_enrolment(**kwargs)
    enrolment.campaign.validity_months = months
    db.session.commit()
    return enrolment


def issue(enrolment, scope: str = CAMPAIGN):
    state = campaigns.journey_state(enrolment, library().modules)
    certificate = certificates.issue_certificate(enrolment, state, library().modules, scope)
    db.session.commit()
    return certificate
