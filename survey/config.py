"""Configuration read from environment variables, with safe development defaults."""
import os
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'survey.sqlite'}"
    # Heroku-style URLs name a driver SQLAlchemy no longer accepts; we use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _trusted_hosts(base_url: str, development: bool) -> list[str] | None:
    """Hosts the app answers: ``TRUSTED_HOSTS`` (comma-separated), else BASE_URL's host in production."""
    configured = os.environ.get("TRUSTED_HOSTS")
    if configured:
        return [host.strip() for host in configured.split(",") if host.strip()]
    if development:
        return None
    return [urlsplit(base_url).hostname]


def _production_problems(env_value) -> list[str]:
    """What production refuses to start without: a secret, a public address, a shared rate-limit store."""
    problems = []
    if not env_value("SECRET_KEY"):
        problems.append("SECRET_KEY must be set.")
    base_url = env_value("BASE_URL")
    if not base_url:
        problems.append("BASE_URL must be set to the site's public address, e.g. https://learning.example.org.")
    elif urlsplit(base_url).scheme not in {"http", "https"} or not urlsplit(base_url).hostname:
        problems.append(f"BASE_URL {base_url!r} is not an http(s) address.")
    storage = env_value("RATELIMIT_STORAGE_URI") or "memory://"
    if storage.startswith("memory://"):
        problems.append("RATELIMIT_STORAGE_URI must name a shared store (e.g. redis://127.0.0.1:6379), "
                        "or each worker counts on its own.")
    if (env_value("JOBS_BROKER_URL") or "inline") == "inline":
        problems.append("JOBS_BROKER_URL must name the job queue's Redis (e.g. redis://127.0.0.1:6379/1), "
                        "or no email is ever sent.")
    return problems


def load_config(instance_path: str) -> dict:
    """Build the Flask config dict from the environment.

    Outside development (``SURVEY_ENV`` unset or not ``development``/``testing``) the app refuses to
    start without ``SECRET_KEY``, ``BASE_URL`` (every absolute link is built from it, never from the
    request's Host) and a shared rate-limit store, rather than fall back to unsafe defaults.
    """
    env = os.environ.get("SURVEY_ENV", "production")
    development = env in {"development", "testing"}
    if not development:
        problems = _production_problems(os.environ.get)
        if problems:
            raise ConfigError(f"SURVEY_ENV={env}: " + " ".join(problems))
    secret = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    base_url = (os.environ.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    return {
        "SURVEY_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        #: Sign-in sessions end after this long without a request (autosave on survey pages counts).
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "60")),
        #: ... and this long after signing in, however active.
        "SESSION_MAX_HOURS": int(os.environ.get("SESSION_MAX_HOURS", "12")),
        # A CSRF token lives as long as the longest session, so a GP who keeps a survey page open
        # (autosave keeps the session alive) can still submit it; a new sign-in gives a new token.
        "WTF_CSRF_TIME_LIMIT": int(os.environ.get("SESSION_MAX_HOURS", "12")) * 3600,
        #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "TRUSTED_HOSTS": _trusted_hosts(base_url, development),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "survey"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "20 per hour"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "30 per minute"),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console" if development else "smtp"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Work & Health Learning <no-reply@localhost>"),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", str(Path(instance_path) / "mail")),
        #: A failed campaign email is retried after MAIL_RETRY_SECONDS, doubling each time, at most MAIL_MAX_ATTEMPTS times.
        "MAIL_RETRY_SECONDS": int(os.environ.get("MAIL_RETRY_SECONDS", "600")),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        #: An expiring certificate may be renewed from this many days before its end (and any time after).
        "RENEWAL_WINDOW_DAYS": int(os.environ.get("RENEWAL_WINDOW_DAYS", "60")),
        #: The renewal reminder goes this many days before a certificate expires.
        "RENEWAL_REMINDER_DAYS": int(os.environ.get("RENEWAL_REMINDER_DAYS", "30")),
        #: A message a worker claimed but never recorded (it died) is taken over after this long.
        "MAIL_SENDING_LEASE_SECONDS": int(os.environ.get("MAIL_SENDING_LEASE_SECONDS", "1800")),
        #: The job queue: redis://... (production), sqlite:///path (one machine), or inline (jobs run
        #: in the process that enqueues them, at once: development and most tests).
        "JOBS_BROKER_URL": os.environ.get("JOBS_BROKER_URL", "inline"),
        "JOBS_QUEUE_NAME": os.environ.get("JOBS_QUEUE_NAME", "survey"),
        #: Werkzeug's scrypt with its default cost (n=2**15, r=8, p=1); deliberately not read from the
        #: environment. Only the tests' configuration names a cheaper cost (tests/conftest.py).
        "PASSWORD_HASH_METHOD": "scrypt",
        "PASSWORD_RESET_HOURS": int(os.environ.get("PASSWORD_RESET_HOURS", "2")),
        "CONFIRM_EMAIL_HOURS": int(os.environ.get("CONFIRM_EMAIL_HOURS", "48")),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "modules")),
        "MIN_CELL_SIZE": max(10, int(os.environ.get("MIN_CELL_SIZE", "10"))),
        #: A full report with at most this many submitted responses (about 1,000 GPs, well under a second)
        #: is built within the request when its data changed; a larger one is rebuilt in the background.
        "REPORT_INLINE_MAX_RESPONSES": int(os.environ.get("REPORT_INLINE_MAX_RESPONSES", "3000")),
        #: A report build claimed longer ago than this is taken to have died and may be started again.
        "REPORT_BUILD_TIMEOUT_SECONDS": int(os.environ.get("REPORT_BUILD_TIMEOUT_SECONDS", "900")),
        #: Uploaded files (organisations' logos); served only through routes, never as static files.
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(Path(instance_path) / "uploads")),
        #: The site's public address: every absolute link (emails, certificates, QR codes) is built from it.
        "BASE_URL": base_url,
        "ISSUER_NAME": os.environ.get("ISSUER_NAME", "Work & Health Learning"),
        "BADGE_KEYS_FILE": os.environ.get("BADGE_KEYS_FILE", str(Path(instance_path) / "badge-keys.json")),
        #: The LTI tool's private signing keys (JWKS file, outside the repository), newest first.
        "LTI_KEYS_FILE": os.environ.get("LTI_KEYS_FILE", str(Path(instance_path) / "lti-keys.json")),
    }
