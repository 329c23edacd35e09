"""Template filters and globals."""
from datetime import date, datetime

from flask import Flask
from markupsafe import Markup

from survey.learning import markdown


def long_date(value: date | datetime | None) -> str:
    """24 November 2026 (UK style, no leading zero)."""
    return f"{value.day} {value:%B %Y}" if value else ""


def credits_text(value: float) -> str:
    return f"{value:g}"


def register(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(credits_text)
    app.add_template_filter(lambda text: Markup(markdown.render(text or "")), "markdown")
