"""The operator's own pages: privacy notice, accessibility statement, contact details.

Each is a Markdown file the operator edits, in ``SITE_DIR`` (default: ``site/`` in the project), rendered by
the content's sanitised Markdown renderer, so an edit can never inject script.
"""
import os
from pathlib import Path

from flask import current_app

from survey.config import PROJECT_ROOT

PAGES = {"privacy": "Privacy notice", "accessibility": "Accessibility statement", "contact": "Contact us"}


def site_dir() -> Path:
    """The folder of the operator's pages: config ``SITE_DIR``, else the environment's, else ``site/``."""
    return Path(current_app.config.get("SITE_DIR") or os.environ.get("SITE_DIR") or PROJECT_ROOT / "site")


def page_text(name: str) -> str | None:
    """The Markdown of one page, or None when the operator has removed the file."""
    path = site_dir() / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None
    except UnicodeDecodeError:
        current_app.logger.error("%s is not UTF-8 text", path)
        return None
