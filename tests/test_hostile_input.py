"""Hostile input: random, oversized, malformed and unicode values in every form never give a 500
and never leave a partial write; script in user text is shown as text."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey.auth.models import User
from survey.extensions import db
from survey.library import library
from survey.surveys.answers import clean_question
from survey.surveys.models import Answer
from tests.factories import PASSWORD, make_campaign, make_user
from tests.journey import answer_survey, register, valid_answer

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Text a client could send: any unicode but lone surrogates (not encodable as UTF-8), NUL included,
#: short and long.
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=300) | st.sampled_from(
    ["", " ", "0", "-1", "1e309", "NaN", "9" * 400, "<script>alert(1)</script>", "=cmd|' /C calc'!A0",
     "' OR 1=1 --", "%00", "a\x00b", "１２３４５６７", "\u202egnp.exe", "a" * 20000]
)
values = st.lists(texts, max_size=3)


def _ok(response):
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


@FUZZ
@given(name=texts, email=texts, gmc=texts, password=texts)
def test_registration_never_fails_or_half_writes(client, name, email, gmc, password):
    before = db.session.scalar(select(func.count()).select_from(User))
    # PostgreSQL cannot even compare text with NUL; the app refuses such a form before any query.
    existed = "\x00" not in email and db.session.scalar(select(User.id).where(User.email == email.strip().lower()))
    response = client.post("/register", {"name": name, "email": email, "gmc_number": gmc,
                                         "password": password, "confirm": password})
    _ok(response)
    after = db.session.scalar(select(func.count()).select_from(User))
    assert after == before + (1 if response.status_code == 302 and not existed else 0)
    if response.status_code == 302:
        client.post("/logout")


@FUZZ
@given(email=texts, password=texts, code=texts)
def test_sign_in_and_join_forms_never_fail(client, email, password, code):
    _ok(client.post("/login", {"email": email, "password": password}))
    _ok(client.post("/join", {"code": code}))
    _ok(client.get(f"/join/{code}" if code.strip("/.") and "/" not in code else "/join/x"))
    _ok(client.post("/reset-password", {"email": email}))
    _ok(client.get(f"/verify/{code}" if code.strip("/.") and "/" not in code else "/verify/x"))


@pytest.fixture
def enrolled(app, client):
    campaign = make_campaign()
    user = make_user(email="fuzz@example.org")
    client.login(user.email, PASSWORD)
    client.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    return campaign, library().instruments["gp-work-health-attitudes"].data


@FUZZ
@given(data=st.data())
def test_survey_pages_never_fail_and_store_only_valid_answers(enrolled, client, data):
    campaign, definition = enrolled
    sections = definition.sections_for("pre")
    number = data.draw(st.integers(1, len(sections)))
    section = sections[number - 1]
    form = {}
    for question in section.questions():
        form[question.id] = data.draw(st.one_of(values, st.just(valid_answer(question))))
    _ok(client.post(f"/c/{campaign.slug}/survey/pre/{number}", form))
    questions = {q.id: q for q in definition.questions()}
    points = {key: scale.points for key, scale in definition.response_scales.items()}
    db.session.expire_all()
    for answer in db.session.scalars(select(Answer)):
        question = questions[answer.item_id]
        # Whatever was stored is exactly what validation accepts: invalid input is never written.
        assert clean_question(question, [answer.value], points.get(getattr(question, "response_scale", ""))) == \
            (answer.value, None)


@pytest.fixture
def studying(enrolled, client):
    """Baseline answered and the module's pages read: its knowledge check is open."""
    campaign, definition = enrolled
    module = library().modules["work-as-health-outcome"]
    answer_survey(client, campaign.slug, "pre", definition)
    for page in range(1, module.page_count + 1):
        client.post(f"/c/{campaign.slug}/m/{module.slug}/{page}")
    return campaign, module


@FUZZ
@given(data=st.data())
def test_knowledge_check_and_reflection_never_fail(studying, client, data):
    campaign, module = studying
    form = {q.id: data.draw(values) for q in module.knowledge_check.questions}
    reflection = data.draw(texts)
    _ok(client.post(f"/c/{campaign.slug}/m/{module.slug}/check", form))
    _ok(client.post(f"/c/{campaign.slug}/reflection", {"learned": reflection, "change": reflection, "next_steps": reflection, "impact": reflection}))


@pytest.mark.parametrize("path, field", [
    ("/register", "name"), ("/login", "email"), ("/join", "code"), ("/reset-password", "email"),
])
def test_nul_characters_are_refused_cleanly(client, path, field):
    form = {"name": "Dr A", "email": "a@example.org", "gmc_number": "1234567", "password": PASSWORD,
            "confirm": PASSWORD, "code": "ABC", field: "a\x00b"}
    assert client.post(path, form).status_code == 400
    assert client.get("/verify/AB%00CD").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_script_in_a_name_is_shown_as_text(client):
    register(client, {"name": "<script>alert(1)</script>", "email": "x@example.org", "gmc_number": "1234567",
                      "password": PASSWORD, "confirm": PASSWORD})
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
