"""Styled error pages; a failed request's transaction is rolled back."""
from flask import Flask, g, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from survey.extensions import db, login_manager

MESSAGES = {
    400: ("Something in that request was not right", "Please go back and try again."),
    403: ("You do not have access to this page", "If you think you should, ask your campaign's educator."),
    404: ("Page not found", "The page may have moved, or the address may be mistyped."),
    405: ("That action is not allowed here", "Please go back and try again."),
    413: ("That upload is too large", "Please send a smaller file."),
    429: ("Too many attempts", "Please wait a minute and try again."),
    500: ("Something went wrong on our side", "The error has been logged. Please try again shortly."),
    503: ("The service is briefly unavailable", "Your answers already saved are safe. Please try again in a minute."),
}


def _user_or_anonymous() -> None:
    """Load the signed-in user for the page header, or show the page signed out if the database is down.

    Otherwise an error page rendered during a database outage fails again on ``current_user``
    and the visitor gets a bare 500 instead of the 503 page.
    """
    try:
        user = current_user._get_current_object()
        if user.is_authenticated:
            user.name  # after a rollback the user is expired: this reloads it, or fails while the database is down
    except SQLAlchemyError:
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()


def render_error(status: int, detail: str | None = None):
    _user_or_anonymous()
    title, hint = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=title, hint=detail or hint), status


def _own_description(error) -> str | None:
    """The message a view gave ``abort(status, description=...)``, not Werkzeug's generic one."""
    description = getattr(error, "description", None)
    return description if description and description != type(error).description else None


def register(app: Flask) -> None:
    for status in MESSAGES:
        if status not in (500, 503):
            app.register_error_handler(status, lambda error, s=status: render_error(s, _own_description(error)))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(400, "This form had expired or was sent from elsewhere. Please reload the page and submit again.")

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error)
        return render_error(503)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
