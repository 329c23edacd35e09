"""Work done after the response has gone, so how long it takes reveals nothing.

Registration and password reset do work only when an account exists (or is new): doing it inside
the request made a real address answer measurably slower. Such work (writing a reset token, sending
mail) is queued here and run once the WSGI server has written the response (Werkzeug's
``call_on_close``), in its own application context; failures are logged and rolled back, never shown
to the person who asked. Mail itself is only written to the outbox here and handed to the job queue
(``survey.jobs.mail``), which sends it with retries; jobs enqueued from a request wait here too, so
they see what the request committed.
"""
from flask import Flask, current_app, g

from survey.extensions import db


def after_response(function, *args) -> None:
    """Call ``function(*args)`` once the current response has been delivered."""
    g.setdefault("after_response", []).append((function, args))


def send_after_response(kind: str, to: str, subject: str, body: str) -> None:
    """Send this email (through the outbox and the job queue) once the current response has been delivered."""
    from survey.jobs.mail import send_account_mail

    after_response(send_account_mail, kind, to, subject, body)


def register(app: Flask) -> None:
    @app.after_request
    def _run_pending(response):
        pending = g.pop("after_response", None)
        if pending:
            application = current_app._get_current_object()

            def run():
                for function, args in pending:
                    with application.app_context():
                        try:
                            function(*args)
                        except Exception:  # noqa: BLE001 - the response has gone; log and go on
                            db.session.rollback()
                            application.logger.exception("after-response task %s failed", getattr(function, "__name__", None) or function.name)

            response.call_on_close(run)
        return response
