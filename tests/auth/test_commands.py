"""`seed-demo` only where its public password is harmless; `create-user` under the form's rules."""
import pytest
from sqlalchemy import func, select

from survey.auth.models import User
from survey.extensions import db


def test_seed_demo_is_refused_in_production(app):
    app.config["SURVEY_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "seed-demo is refused with SURVEY_ENV=production" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0  # no admin@example.org


@pytest.mark.parametrize("args, message", [
    (["--email", "not-an-email"], "--email: Invalid email address"),
    (["--email", "a" * 250 + "@example.org"], "--email: An email address has at most 254"),
    (["--name", "x" * 121], "--name: Give a name of 1 to 120 characters"),
    (["--name", "   "], "--name: Give a name of 1 to 120 characters"),
    (["--password", "short"], "--password: Use 10 to 200 characters"),
    (["--password", "password123"], "--password: This password is too easy to guess"),
    (["--role", "gp"], "--gmc-number: A GP account needs a GMC number"),
    (["--role", "gp", "--gmc-number", "12345"], "--gmc-number: A GMC number is exactly 7 digits"),
])
def test_create_user_refuses_what_the_form_refuses_with_a_clear_message(app, args, message):
    base = {"--role": "educator", "--name": "Sam Educator", "--email": "sam@example.org",
            "--password": "a-good-password"}
    given = dict(zip(args[::2], args[1::2]))
    argv = ["create-user", *[item for pair in {**base, **given}.items() for item in pair]]
    result = app.test_cli_runner().invoke(args=argv)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_makes_a_confirmed_account_that_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(args=["create-user", "--role", "admin", "--name", "Ada Admin", "--email",
                                                "Ada@Example.org", "--password", "a-good-password"])
    assert result.exit_code == 0, result.output
    assert client.login("ada@example.org").headers["Location"] == "/"
