"""Email sent after the response has gone, so how long sending takes reveals nothing.

Registration and password reset send mail only when an account exists (or is new): sending inside
the request made a real address answer measurably slower. Messages are rendered during the request
and sent once the WSGI server has written the response (Werkzeug's ``call_on_close``). A job queue
can replace this later; failures are logged, never shown to the person who asked.
"""
from flask import Flask, current_app, g

from survey.mail import send_mail


def send_after_response(to: str, subject: str, body: str) -> None:
    """Send this email once the current response has been delivered."""
    g.setdefault("mail_after_response", []).append((to, subject, body))


def register(app: Flask) -> None:
    @app.after_request
    def _send_pending(response):
        pending = g.pop("mail_after_response", None)
        if pending:
            application = current_app._get_current_object()

            def send():
                with application.app_context():
                    for to, subject, body in pending:
                        try:
                            send_mail(to, subject, body)
                        except Exception:  # noqa: BLE001 - the response has gone; log and go on
                            application.logger.exception("could not send %r to %s", subject, to)

            response.call_on_close(send)
        return response
