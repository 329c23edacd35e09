"""Template filters and globals."""
from datetime import date, datetime
from functools import lru_cache

from flask import Flask, url_for
from markupsafe import Markup

from survey.clock import LONDON
from survey.learning import markdown
from survey.web.navigation import is_current, navigation_for


def long_date(value: date | datetime | None) -> str:
    """24 November 2026 (UK style, no leading zero)."""
    return f"{value.day} {value:%B %Y}" if value else ""


def uk_time(value: datetime | None) -> str:
    """1 December 2026 at 10:40 (UK time), for times an educator acts on."""
    if not value:
        return ""
    local = value.astimezone(LONDON)
    return f"{long_date(local)} at {local:%H:%M}"


def credits_text(value: float) -> str:
    return f"{value:g}"


def target_url(target) -> str:
    """The URL of a journey Target (survey.campaigns.tasks)."""
    return url_for(target.endpoint, **dict(target.values))


@lru_cache(maxsize=1024)
def markdown_html(text: str | None) -> Markup:
    """The ``markdown`` filter: content text (a survey intro, a case) rendered once per process, not on every
    page view. The text is its own key, so an edited intro renders anew; the rendering reads nothing else."""
    return Markup(markdown.render(text or ""))


def register(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(credits_text)
    app.add_template_filter(uk_time)
    app.add_template_filter(markdown_html, "markdown")
    app.add_template_global(navigation_for)
    app.add_template_global(target_url)
    app.add_template_global(is_current, "is_current_nav")
