"""gunicorn's access log without the secrets some links carry (reset, confirmation, invitation tokens).

A reset token in a log file is a password for whoever reads the logs until the link expires; a
request for a page's stylesheet repeats the page's address in its Referer, so that is cleaned too.
"""
import logging
import re

from gunicorn.glogging import Logger

SECRET_PATH = re.compile(r"(/(?:reset-password|confirm-email|invite|unsubscribe)/)[^/?#\s\"]+")


def redact(text: str) -> str:
    """``text`` with the token of every secret-bearing path replaced by ``[redacted]``."""
    return SECRET_PATH.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    """The stock logger, with every string atom (request line, path, Referer, headers) redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


class RedactingFilter(logging.Filter):
    """The same for the development server's request log (the ``werkzeug`` logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


def redact_development_log() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
