"""`flask seed-demo`: one account per role, a charity's demo campaign with a population of GPs at every
stage, and one charity release, idempotently."""
from sqlalchemy import func, select

from survey.auth.models import User
from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.certificates.models import Certificate
from survey.extensions import db
from survey.learning.models import ModuleProgress, PageView, QuizAttempt
from survey.privacy.models import ConsentRecord
from survey.reports.models import ReportRelease
from survey.surveys.models import Answer, Response

DEMO_PASSWORD = "demo-password-1"
COUNTED = [User, Cohort, Enrolment, ConsentRecord, Response, Answer, ModuleProgress, PageView, QuizAttempt,
           Certificate, ReportRelease]


def _seed(app) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def test_seed_demo_twice_adds_nothing_the_second_time(app):
    output = _seed(app)
    assert "DEMO2026" in output and "charity@example.org" in output
    first = _counts()
    _seed(app)
    assert _counts() == first
    assert dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all()) == \
        {"gp": 61, "educator": 1, "charity": 1, "admin": 1}
    assert first["Cohort"] == 3 and first["ReportRelease"] == 1 and first["Certificate"] >= 20
    campaign = db.session.scalar(select(Campaign))
    charity_user = db.session.scalar(select(User).where(User.role == "charity"))
    assert campaign.organisation_id == charity_user.organisation_id is not None


def test_demo_shows_results_to_educator_and_charity_and_leaves_the_demo_gp_mid_journey(app, make_client):
    _seed(app)
    educator = make_client()
    educator.login("educator@example.org", DEMO_PASSWORD)
    report = educator.get("/api/v1/campaigns/demo/report").get_json()
    cell = report["min_cell_size"]
    funnel = report["funnel"]
    assert funnel["enrolled"] > funnel["pre"] > funnel["post"] > funnel["follow_up"] >= cell
    pre_post = next(c for c in report["comparisons"] if (c["from"], c["to"]) == ("pre", "post"))
    assert min(s["n_pairs"] for s in pre_post["scales"]) >= cell
    assert sum(s["mean_diff"] > 0 for s in pre_post["scales"] if s["better"] == "higher") >= 3

    charity = make_client()
    charity.login("charity@example.org", DEMO_PASSWORD)
    page = charity.get("/charity/reports/demo")
    assert page.status_code == 200
    release = db.session.scalar(select(ReportRelease))
    assert any(row["status"] is None and row["n"] >= cell for row in release.public["changes"])
    assert "Release 1, published" in page.get_data(as_text=True)

    gp = make_client()
    gp.login("gp@example.org", DEMO_PASSWORD)
    progress = db.session.scalars(select(ModuleProgress).join(Enrolment).join(User)
                                  .where(User.email == "gp@example.org")).all()
    assert [(p.current_page > 1, p.passed_at) for p in progress] == [(True, None)]
