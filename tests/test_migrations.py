"""The schema comes only from migrations: from empty to head, matching the models, and back down."""
import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from survey import create_app
from survey.campaigns import services as campaigns
from survey.extensions import db
from tests.conftest import _postgres_database, _test_config
from tests.factories import PASSWORD, make_user


def _fresh_url(tmp_path):
    import os

    admin = os.environ.get("TEST_DATABASE_URL")
    if admin:
        return _postgres_database(admin)
    return f"sqlite:///{tmp_path / 'fresh.sqlite'}", lambda: None


def test_migrations_build_the_models_schema_from_empty_and_roll_back(tmp_path):
    url, drop = _fresh_url(tmp_path)
    try:
        app = create_app(_test_config(url, tmp_path))
        with app.app_context():
            upgrade()
            from alembic.autogenerate import compare_metadata
            from alembic.migration import MigrationContext

            with db.engine.connect() as connection:
                differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert differences == []
            assert set(inspect(db.engine).get_table_names()) >= {t.name for t in db.metadata.sorted_tables}
            downgrade(revision="base")
            assert inspect(db.engine).get_table_names() == ["alembic_version"]
            db.engine.dispose()
    finally:
        drop()


def test_version_1_frozen_before_scale_directions_learns_that_lower_barriers_are_better(tmp_path):
    """reports17a01 writes ``better: lower`` into the frozen copy of version 1's barriers scale only."""
    url, drop = _fresh_url(tmp_path)
    scales = [{"key": "barriers", "label": "Barriers"}, {"key": "confidence", "label": "Confidence"}]
    insert = text("INSERT INTO instrument_versions (slug, version, content_hash, title, definition, created_at) "
                  "VALUES (:slug, :version, 'h', 't', :definition, CURRENT_TIMESTAMP)")
    read = text("SELECT definition FROM instrument_versions WHERE slug = :slug AND version = :version")

    def frozen(slug, version):
        value = db.session.execute(read, {"slug": slug, "version": version}).scalar_one()
        return {s["key"]: s.get("better") for s in (json.loads(value) if isinstance(value, str) else value)["scales"]}

    try:
        app = create_app(_test_config(url, tmp_path))
        with app.app_context():
            upgrade(revision="reportsdc01")
            for slug, version in (("gp-work-health-attitudes", 1), ("gp-work-health-attitudes", 2), ("other", 1)):
                db.session.execute(insert, {"slug": slug, "version": version,
                                            "definition": json.dumps({"scales": scales})})
            db.session.commit()
            upgrade(revision="reports17a01")
            assert frozen("gp-work-health-attitudes", 1) == {"barriers": "lower", "confidence": None}
            assert frozen("gp-work-health-attitudes", 2) == frozen("other", 1) == {"barriers": None, "confidence": None}
            db.session.commit()
            downgrade(revision="reportsdc01")
            assert frozen("gp-work-health-attitudes", 1) == {"barriers": None, "confidence": None}
            db.session.commit()
            downgrade(revision="base")
            db.engine.dispose()
    finally:
        drop()


def test_healthz_reports_the_database(app, client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").json == {"status": "ok", "database": "up"}


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    app = create_app(_test_config("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_a_signed_in_visitor_gets_the_503_page_when_the_database_goes_away(app, client):
    """During a database outage every request, even one that must load the user, ends on the styled 503 page."""
    user = make_user(email="outage@example.org")
    client.login(user.email, PASSWORD)
    broken = create_app(_test_config("postgresql+psycopg://nobody@127.0.0.1:1/none", app.instance_path))
    broken.config["SECRET_KEY"] = app.config["SECRET_KEY"]
    cookie = client.client.get_cookie("session")
    outage = broken.test_client()
    outage.set_cookie("session", cookie.value, domain="localhost")
    response = outage.get("/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.get_data(as_text=True)


def test_an_outage_in_the_middle_of_a_request_still_ends_on_the_503_page(app, client, monkeypatch):
    """The user loaded before the database fails is expired by the rollback; the error page must not reload it."""
    user = make_user(email="midway@example.org")
    client.login(user.email, PASSWORD)

    def outage(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("the database system is shutting down"))

    def enrolments_during_outage(user):
        monkeypatch.setattr(Session, "execute", outage)  # the database goes away mid-request
        outage()

    monkeypatch.setattr(campaigns, "enrolments_of", enrolments_during_outage)
    response = client.get("/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.get_data(as_text=True)
