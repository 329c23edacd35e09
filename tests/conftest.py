"""Test fixtures: a migrated database per run (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
emptied after every test, and clients that submit forms with a real CSRF token."""
import os
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from survey import create_app
from survey.extensions import db

PROJECT = Path(__file__).resolve().parent.parent
os.environ["SURVEY_ENV"] = "testing"


def _postgres_database(admin_url: str):
    """Create a uniquely named database so parallel runs never collide; returns (url, drop)."""
    name = f"survey_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure must stop the run, not skip it
        admin.dispose()
        pytest.exit(f"PostgreSQL at {make_url(admin_url).render_as_string(hide_password=True)} is not usable: {error}",
                    returncode=3)

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    url, drop = _postgres_database(admin_url)
    yield url
    drop()


def migrate(database_url: str, instance: Path) -> str:
    """Build the schema of ``database_url`` through the migrations only (a no-op when it is up to date)."""
    from flask_migrate import upgrade

    app = create_app(_test_config(database_url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture(scope="session")
def migrated(database_url, tmp_path_factory):
    """Build the schema once per run."""
    return migrate(database_url, tmp_path_factory.mktemp("instance"))


def _test_config(database_url: str, mail_dir: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        # Tests that enable limits count in the real Redis, under a prefix no other run shares.
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_KEY_PREFIX": f"survey-test-{uuid.uuid4().hex}",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(mail_dir),
        "SERVER_NAME": "localhost",
        "BASE_URL": "http://localhost",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        # Uploads per test, never in the repository's instance/ folder that parallel runs share.
        "UPLOAD_FOLDER": str(Path(mail_dir).parent / "uploads"),
        # scrypt at 1/32 of the production cost (tests/auth/test_password_cost.py checks production's):
        # hashing dominated many tests' time, and what they check does not depend on the cost.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "BADGE_KEYS_FILE": str(Path(mail_dir).parent / "badge-keys.json"),  # made on first use, per test
        "LTI_KEYS_FILE": str(Path(mail_dir).parent / "lti-keys.json"),
    }


@pytest.fixture
def config_overrides():
    """Tests override this to change configuration (e.g. enable rate limits)."""
    return {}


@pytest.fixture
def app(migrated, tmp_path, config_overrides):
    app = create_app({**_test_config(migrated, tmp_path / "mail"), **config_overrides})
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


class FormClient:
    """A test client that sends the CSRF token a browser would have read from the page.

    Each request runs in its own application context, as in production: the test's own
    context (held open for factories) would otherwise share ``g`` and the database
    session with every request, hiding bugs such as a signed-in user leaking across clients.
    """

    TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self._token = None

    def token(self) -> str:
        if self._token is None:
            page = self.get("/join").get_data(as_text=True)
            self._token = self.TOKEN.search(page).group(1)
        return self._token

    # Buffered: the response is read and closed as a browser would, so work done after the
    # response (mail sent on close) has happened when the call returns.
    def get(self, *args, **kwargs):
        with self.app.app_context():
            return self.client.get(*args, buffered=True, **kwargs)

    def post(self, url, data=None, **kwargs):
        data = {"csrf_token": self.token(), **(data or {})}
        with self.app.app_context():
            return self.client.post(url, data=data, buffered=True, **kwargs)

    def login(self, email: str, password: str = "a-good-password"):
        self._token = None
        response = self.post("/login", {"email": email, "password": password})
        self._token = None  # the session changed; read a fresh token
        return response


@pytest.fixture
def client(app):
    return FormClient(app)


@pytest.fixture
def make_client(app):
    """More clients (other people, other devices)."""
    return lambda: FormClient(app)
