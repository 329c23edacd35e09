"""Security headers on every response."""
from flask import Flask, abort, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _strings(value):
    """Every string inside a decoded JSON value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def submitted_strings():
    """Every string the client sent: the path, each name and EVERY value of each query and form field
    (a repeated field has several), uploaded files' names, and a JSON body's keys and values."""
    yield request.path
    for multi in (request.args, request.form):
        for key, values in multi.lists():
            yield key
            yield from values
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""
    if request.is_json:
        yield from _strings(request.get_json(silent=True))


def refuse_nul_characters() -> None:
    """Refuse NUL anywhere in what was sent: no person types it, and PostgreSQL cannot store it.

    Uploaded files' contents are checked by the code that reads them, which can name the row.
    """
    if any("\x00" in value for value in submitted_strings()):
        abort(400, description="The request contains a NUL character (\\0), which no field may hold.")


def register(app: Flask) -> None:
    app.before_request(refuse_nul_characters)

    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]:
            response.headers.setdefault("X-Frame-Options", "DENY")  # for browsers that predate frame-ancestors
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
