"""Work & Health Learning: e-learning, attitude surveys and CPD certificates for GPs."""
import os

# One BLAS thread per process unless the operator sets another number. OpenBLAS reads this once, when numpy
# or scipy first loads it, so it is set before any survey module imports them. The statistics multiply small
# matrices (a scale's items: under ten columns), where OpenBLAS's extra threads add no speed, only spin on the
# cores the other app processes and job workers need: a 10,000-GP report build took 0.6 to 2 s of CPU with
# them on a shared 2-core machine and 0.38 s without, the same numbers to the byte (README, Performance).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from flask import Flask  # noqa: E402

from survey.config import PROJECT_ROOT, load_config  # noqa: E402


def create_app(overrides: dict | None = None) -> Flask:
    """Application factory: configuration from the environment, then ``overrides`` (tests)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    register_extensions(app)
    register_blueprints(app)
    register_web(app)
    register_commands(app)
    register_proxies(app)
    return app


def register_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto from exactly ``TRUSTED_PROXIES`` proxies (0: the connecting peer is the
    client). Rate limits key on the client's address, so behind a proxy this must be set, or every user
    shares the proxy's address and its limit; set too high, a client could forge its address."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def register_extensions(app: Flask) -> None:
    from survey import models  # noqa: F401 - every model registered before Alembic looks
    from survey.extensions import csrf, db, limiter, login_manager, migrate
    from survey.jobs import queue as jobs_queue
    from survey.jobs import tasks  # noqa: F401 - every job registered, also in app processes that only enqueue

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    jobs_queue.init_app(app)


def register_blueprints(app: Flask) -> None:
    from survey.admin.gmc_claims import bp as gmc_claims
    from survey.admin.views import bp as admin
    from survey.auth.views import bp as auth
    from survey.badges.views import bp as badges
    from survey.campaigns.admin_views import bp as manage
    from survey.campaigns.local_routes_views import bp as local_routes
    from survey.campaigns.views import bp as campaigns
    from survey.certificates.admin_views import bp as certificate_admin
    from survey.certificates.bundle_views import bp as certificate_bundles
    from survey.certificates.record_views import bp as record
    from survey.certificates.views import bp as certificates
    from survey.educator.views import bp as educator
    from survey.evaluation.views import bp as evaluation
    from survey.instruments.views import bp as instruments
    from survey.invitations.views import bp as invitations
    from survey.learning.catalogue_views import bp as catalogue
    from survey.learning.preview_views import bp as preview
    from survey.learning.views import bp as learning
    from survey.oidc.admin_views import bp as oidc_admin
    from survey.oidc.views import bp as oidc
    from survey.lti.views import bp as lti
    from survey.organisations.views import bp as organisations
    from survey.privacy.views import bp as privacy
    from survey.reports.api import bp as reports_api
    from survey.reports.views import bp as reports
    from survey.surveys.views import bp as surveys
    from survey.web.views import bp as web
    from survey.web import converters

    converters.register(app)  # before any rule is added: an id past the database's range is a 404
    for blueprint in (web, auth, campaigns, surveys, learning, catalogue, preview, certificates, record,
                      certificate_admin, certificate_bundles, educator, instruments, manage, invitations, organisations,
                      privacy, admin, reports, reports_api, badges, gmc_claims, local_routes, oidc, oidc_admin, lti,
                      evaluation):
        app.register_blueprint(blueprint)


def register_web(app: Flask) -> None:
    from survey.auth import access_log, deferred
    from survey.web import errors, security, templating, urls

    errors.register(app)
    security.register(app)
    templating.register(app)
    urls.register(app)
    deferred.register(app)
    access_log.redact_development_log()


def register_commands(app: Flask) -> None:
    from survey.cli import commands

    for command in commands:
        app.cli.add_command(command)
