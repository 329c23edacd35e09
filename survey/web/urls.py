"""Absolute links, always on the configured public address (BASE_URL), never the request's Host header.

A link built from the Host header lets anyone who sends ``Host: evil.example`` receive, in a real
user's inbox, a password-reset link pointing at their own server (host-header poisoning).
"""
from urllib.parse import urlsplit

from flask import Flask, Response, current_app
from werkzeug.exceptions import SecurityError


def external_url(endpoint: str, **values) -> str:
    """``endpoint``'s absolute URL on BASE_URL; works inside and outside a request (e.g. from cron)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _untrusted_host(error: SecurityError):
    """400 for a Host outside TRUSTED_HOSTS. Plain text: with no trusted host no URL can be built, so the
    usual error page (whose layout links to other pages) cannot be rendered."""
    return Response("Bad request: this site does not answer to that host name.\n", 400, mimetype="text/plain")


def register(app: Flask) -> None:
    app.add_template_global(external_url)
    app.register_error_handler(SecurityError, _untrusted_host)
