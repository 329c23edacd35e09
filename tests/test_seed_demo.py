"""`flask seed-demo`: one account per role and a charity's demo campaign, idempotently."""
from sqlalchemy import func, select

from survey.auth.models import User
from survey.campaigns.models import Campaign
from survey.extensions import db


def test_seed_demo_twice_gives_one_of_each(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    assert "DEMO2026" in result.output and "charity@example.org" in result.output
    assert dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all()) == \
        {"gp": 1, "educator": 1, "charity": 1, "admin": 1}
    campaign = db.session.scalar(select(Campaign))
    charity_user = db.session.scalar(select(User).where(User.role == "charity"))
    assert campaign.organisation_id == charity_user.organisation_id is not None
