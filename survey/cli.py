"""Command-line tasks; they call the same services as the web views."""
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from survey import demo
from survey.auth import services as accounts
from survey.auth.models import ROLES, User
from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.instruments.services import frozen_version_problems
from survey.badges.cli import badge_keys
from survey.lti.cli import lti_keys
from survey.invitations.commands import send_reminders
from survey.jobs.cli import worker
from survey.learning.bank_rules import bank_findings
from survey.library import load_library
from survey.organisations.models import Organisation
from survey.organisations.services import save_organisation
from survey.reports import releases
from survey.reports.cli import import_responses

DEMO_PASSWORD = "demo-password-1"
DEMO_USERS = [
    ("gp", "Dr Alex Morgan", "gp@example.org", "1234567"),
    ("educator", "Sam Educator", "educator@example.org", None),
    ("charity", "Charity Reader", "charity@example.org", None),
    ("admin", "Ada Admin", "admin@example.org", None),
]
DEMO_CHARITY = "Demo Charity for Work and Health"
DEMO_CONSENT = (
    "This campaign is an evaluation of e-learning about work and health. You will answer a survey before "
    "the modules, after them, and about three months later. Each survey takes about 8 to 10 minutes; its first "
    "page shows the current estimate before you start. Your answers are stored securely and reported only "
    "in groups of at least 10 GPs, never by name. Taking part is voluntary; you may withdraw at any time."
)


@click.command("create-user")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--gmc-number", default=None, help="7 digits; required for GPs.")
@click.password_option()
@with_appcontext
def create_user(role, name, email, gmc_number, password):
    """Create an account of any role, under the registration form's rules; the address counts as confirmed."""
    try:
        user = accounts.create_user(name, email, password, role, gmc_number)
    except accounts.AccountError as error:
        raise click.ClickException(f"--{error.field.replace('_', '-')}: {error.message}") from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")


@click.command("check-content")
@click.option("--content-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@with_appcontext
def check_content(content_dir):
    """Validate modules/ and report every problem with file and field; exit 1 if any (warnings do not fail)."""
    folder = content_dir or Path(current_app.config["CONTENT_DIR"])
    library, problems = load_library(folder)
    try:
        problems += frozen_version_problems(library.instruments, folder)
    except SQLAlchemyError:  # e.g. before the first `db upgrade`: nothing can be frozen yet
        db.session.rollback()
        click.echo("Instrument versions not checked against the database (not reachable or not migrated).", err=True)
    findings = bank_findings(library.modules)
    problems += [f.problem for f in findings if f.severity == "error"]
    for problem in problems:
        click.echo(str(problem), err=True)
    for finding in findings:
        if finding.severity == "warning":
            click.echo(f"warning: {finding.problem}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"Content is valid: {len(library.modules)} module(s), {len(library.instruments)} instrument(s).")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load demo accounts (one per role), a demo campaign commissioned by a demo charity, about 60 demo GPs
    at every stage of it (survey/demo.py) and one charity release; safe to run again.

    Development and testing only: the demo password is public (it is in the README), so in production
    these accounts, an admin among them, would be open to anyone.
    """
    if current_app.config["SURVEY_ENV"] not in {"development", "testing"}:
        raise click.ClickException(
            f"seed-demo is refused with SURVEY_ENV={current_app.config['SURVEY_ENV']}: its accounts have a public "
            "password. Use it only with SURVEY_ENV=development or testing; make real accounts with create-user.")
    library, problems = load_library(Path(current_app.config["CONTENT_DIR"]))
    if problems:
        raise click.ClickException("content has problems; run check-content")
    opened = demo.opened_at()
    with demo.clock_at(opened - timedelta(days=7)):
        campaign = _demo_accounts_and_campaign(library)
    educator, admin, gp = (db.session.scalar(select(User).where(User.email == f"{role}@example.org"))
                           for role in ("educator", "admin", "gp"))
    population = demo.Population(campaign, library, educator)
    added = population.enrol_all(opened, DEMO_PASSWORD)
    population.demo_gp(gp)
    db.session.flush()
    if not releases.campaign_releases(campaign):
        releases.publish_release(admin, campaign)
    db.session.commit()
    click.echo(f"Demo ready: {added} demo GPs enrolled now, {len(demo.STAGES)} stages, one charity release. "
               "Enrolment code: DEMO2026. Sign in with any of these (password "
               f"'{DEMO_PASSWORD}'):")
    for role, _, email, _ in DEMO_USERS:
        click.echo(f"  {role:9} {email}")


def _demo_accounts_and_campaign(library):
    """One account per role, the demo charity and its campaign (every module), each made once."""
    for role, name, email, gmc in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            accounts.create_user(name, email, DEMO_PASSWORD, role, gmc)
    charity = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_CHARITY))
    if charity is None:
        charity = save_organisation(None, DEMO_CHARITY, "#7a1f5c", None)
        db.session.scalar(select(User).where(User.email == "charity@example.org")).organisation_id = charity.id
    campaign = campaigns.campaign_by_slug("demo")
    if campaign is None:
        campaign = campaigns.create_campaign(
            slug="demo", title="Work and health for GPs (demo)", instrument_slug=next(iter(library.instruments)),
            module_slugs=list(library.modules), consent_version="2026-11", consent_text=DEMO_CONSENT,
            description="A demonstration campaign with every module.", enrolment_code="DEMO2026",
        )
        educator = db.session.scalar(select(User).where(User.email == "educator@example.org"))
        campaign.educators.append(educator)
        campaign.organisation_id = charity.id
    db.session.flush()
    return campaign


commands = [create_user, check_content, seed_demo, send_reminders, import_responses, badge_keys, lti_keys, worker]
