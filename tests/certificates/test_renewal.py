"""Renewing an expiring certificate by repeating the course: a new certificate, the earlier one kept."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import clock
from survey.certificates import services
from survey.certificates.services import display_code, revoke_certificate
from survey.extensions import db
from survey.learning import attempts, study
from survey.learning import services as learning
from survey.learning.models import PageView
from survey.library import library
from survey.web.templating import long_date
from survey.campaigns import services as campaigns
from tests.certificates.helpers import MODULE, SECOND, complete_module, enrol, expiring, issue, reflect, submit_wave
from tests.factories import PASSWORD, make_user
from tests.journey import moving_clock


@pytest.fixture
def gp(app):
    return make_user(name="Dr Jane Doe", email="jane@example.org", gmc_number="1234567")


@pytest.fixture
def enrolment(gp):
    return expiring(user=gp)


@pytest.fixture
def first(enrolment):
    return issue(enrolment)


@pytest.fixture
def at(monkeypatch, client, gp):
    """Move the clock to a moment and sign in again (the session idles out meanwhile)."""
    def move(moment):
        monkeypatch.setattr(clock, "now", lambda: moment)
        client.login(gp.email, PASSWORD)
        return client
    return move


def study_again_with_the_script(enrolment):
    """Read every page of the module, the study-time script reporting the most a page may count,
    then pass the knowledge check: what the repeat's credits must come from."""
    module = library().modules[MODULE]
    progress = learning.progress_for(enrolment, module)
    with moving_clock() as advance:
        for page in range(1, module.page_count + 1):
            view = learning.show_page(progress, module, page)
            cap = study.page_cap_seconds(study.reading_seconds(module.page_texts[page - 1]))
            advance(cap)
            assert learning.report_active_time(progress, module, view.id, cap)
            learning.finish_page(progress, module, page)
        key = {q.id: sorted(q.correct_indexes) for q in module.knowledge_check.questions}
        attempts.submit_attempt(enrolment, module, progress, attempts.open_attempt(enrolment, module, progress), key)
    db.session.commit()
    return progress


def renew(client, enrolment, **kwargs):
    return client.post(f"/c/{enrolment.campaign.slug}/certificate/renew", **kwargs)


def test_renewal_opens_in_the_window_before_expiry_not_earlier(enrolment, first, at):
    opens = first.valid_until - timedelta(days=60)
    client = at(opens - timedelta(minutes=1))
    page = client.get(f"/c/{enrolment.campaign.slug}/certificate").get_data(as_text=True)
    assert f"You can renew this certificate from {long_date(opens)}." in page and "Renew this certificate" not in page
    response = renew(client, enrolment)
    assert response.status_code == 302
    assert "You can renew this certificate from" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert learning.study_cycle(enrolment, [MODULE]) == 1

    client = at(opens)
    assert "Renew this certificate" in client.get(f"/c/{enrolment.campaign.slug}/certificate").get_data(as_text=True)
    response = renew(client, enrolment)
    assert response.headers["Location"].endswith(f"/c/{enrolment.campaign.slug}")
    assert learning.study_cycle(enrolment, [MODULE]) == 2


def test_a_repeat_must_study_and_pass_again_before_its_certificate(enrolment, first, at):
    client = at(first.valid_until - timedelta(days=10))
    renew(client, enrolment)
    slug = enrolment.campaign.slug
    overview = client.get(f"/c/{slug}").get_data(as_text=True)
    assert "Continue with Work as a health outcome" in overview
    # The knowledge check opens only after the pages are studied again, and shows no key before a pass.
    assert client.get(f"/c/{slug}/m/{MODULE}/check").status_code == 302
    module = library().modules[MODULE]
    progress = learning.progress_for(enrolment, module)
    assert progress.seconds_spent == 0 and not attempts.key_shown(enrolment, module, progress)
    response = client.get(f"/c/{slug}/certificate")
    assert response.status_code == 302
    assert "read every page of “Work as a health outcome”" in client.get(response.headers["Location"]).get_data(as_text=True)
    # Meanwhile the earlier certificate still downloads and verifies until it expires.
    assert client.get(f"/c/{slug}/certificate.pdf").status_code == 200
    assert "Valid certificate" in client.get(f"/verify/{first.code}").get_data(as_text=True)


def test_a_repeat_gets_a_new_certificate_with_credits_from_its_own_study_and_both_verify(enrolment, first, at):
    client = at(first.valid_until - timedelta(days=10))
    renew(client, enrolment)
    progress = study_again_with_the_script(enrolment)
    this_cycle = db.session.scalar(select(func.sum(PageView.seconds)).where(
        PageView.progress_id == progress.id, PageView.cycle == 2))
    assert progress.seconds_spent == this_cycle  # the first cycle's page views are not counted again
    with pytest.raises(services.NotEligible, match="write your reflection"):  # the repeat is reflected on too
        issue(enrolment)
    db.session.rollback()
    reflect(enrolment, "Since the first time I have asked every patient about work; next I will use fit notes better.")

    second = issue(enrolment)
    assert second.code != first.code and second.cycle == 2
    assert first.credits == 0.25  # 25 minutes recorded the first time
    assert second.credits == 0.5  # 40 minutes recorded in the repeat (the module's suggested credits)
    assert second.valid_until > first.valid_until
    assert issue(enrolment).code == second.code  # asking again gives the same new certificate

    for certificate in (first, second):
        assert "Valid certificate" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    record = client.get("/my-learning").get_data(as_text=True)
    assert "Earlier certificates" in record
    assert "best 100% (1 attempt)" in record  # the repeat's attempt, not the first cycle's two as well
    assert record.index(display_code(second.code)) < record.index("Earlier certificates") < record.index(display_code(first.code))

    client = at(first.valid_until + timedelta(days=1))
    assert "Genuine certificate, expired on" in client.get(f"/verify/{first.code}").get_data(as_text=True)
    assert "Valid certificate" in client.get(f"/verify/{second.code}").get_data(as_text=True)


def test_revoked_never_expiring_or_already_renewing_certificates_are_not_renewed(gp, enrolment, first, at):
    client = at(first.valid_until - timedelta(days=10))
    renew(client, enrolment)
    page = renew(client, enrolment, follow_redirects=True).get_data(as_text=True)
    assert "You have already started renewing this certificate." in page
    assert learning.study_cycle(enrolment, [MODULE]) == 2

    revoked = issue(expiring(user=make_user()))
    revoke_certificate(revoked, make_user("admin"), "Issued in error")
    db.session.commit()
    never = issue(expiring(months=None, user=make_user()))
    for certificate, message in ((revoked, "A revoked certificate cannot be renewed."),
                                 (never, "This certificate does not expire, so it needs no renewal.")):
        owner = db.session.get(type(enrolment), certificate.enrolment_id)
        other = at(first.valid_until - timedelta(days=10))
        other.login(owner.user.email, PASSWORD)
        page = other.get(f"/c/{owner.campaign.slug}/certificate").get_data(as_text=True)
        assert "Renew this certificate" not in page
        assert message in renew(other, owner, follow_redirects=True).get_data(as_text=True)
        assert learning.study_cycle(owner, [MODULE]) == 1


def test_another_gp_cannot_renew_someone_elses_certificate(enrolment, first, at, make_client):
    at(first.valid_until - timedelta(days=10))
    stranger = make_client()
    stranger.login(make_user().email, PASSWORD)
    assert renew(stranger, enrolment).status_code == 404
    assert learning.study_cycle(enrolment, [MODULE]) == 1


def test_a_per_module_certificate_renews_its_own_module_only(gp, at):
    enrolment = enrol(user=gp, certificate_rule="module", modules=(MODULE, SECOND))
    enrolment.campaign.validity_months = 12
    submit_wave(enrolment, "pre")
    for slug in (MODULE, SECOND):
        complete_module(enrolment, slug)
        reflect(enrolment, scope=slug)
    renewing, kept = issue(enrolment, MODULE), issue(enrolment, SECOND)

    client = at(renewing.valid_until - timedelta(days=10))
    assert client.post(f"/c/{enrolment.campaign.slug}/m/{MODULE}/certificate/renew").status_code == 302
    assert learning.study_cycle(enrolment, [MODULE]) == 2 and learning.study_cycle(enrolment, [SECOND]) == 1
    state = campaigns.journey_state(enrolment, library().modules)
    assert state.module(MODULE).certificate_code is None and not state.module(MODULE).complete
    assert state.module(SECOND).certificate_code == kept.code and state.module(SECOND).complete
