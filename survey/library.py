"""The content library (modules, instruments, tags) loaded once per app from CONTENT_DIR."""
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from survey.contentfiles import ContentInvalid, Problem
from survey.instruments.definition import Instrument, load_instruments
from survey.learning.content import Module, load_modules, load_tags


@dataclass(frozen=True)
class Library:
    modules: dict[str, Module]
    instruments: dict[str, Instrument]
    tags: dict[str, str]


def load_library(content_dir: Path) -> tuple[Library, list[Problem]]:
    """Load and validate everything under ``content_dir``; returns every problem found."""
    modules, problems = load_modules(content_dir)
    instruments, instrument_problems = load_instruments(content_dir)
    tags, _ = load_tags(content_dir)  # tag problems are already in the module problems
    return Library(modules, instruments, tags), problems + instrument_problems


def library() -> Library:
    """The current app's content, loaded on first use; invalid content raises ContentInvalid."""
    cached = current_app.extensions.get("survey_library")
    if cached is None:
        cached, problems = load_library(Path(current_app.config["CONTENT_DIR"]))
        if problems:
            raise ContentInvalid(problems)
        current_app.extensions["survey_library"] = cached
    return cached
