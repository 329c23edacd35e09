"""The content library (modules, instruments, tags) loaded once per app from CONTENT_DIR."""
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from survey.contentfiles import ContentInvalid, Problem
from survey.instruments.archive import load_archive
from survey.instruments.definition import Instrument, load_instruments
from survey.learning.content import Module, load_modules, load_tags


@dataclass(frozen=True)
class Library:
    modules: dict[str, Module]
    instruments: dict[str, Instrument]
    tags: dict[str, str]
    #: Earlier instrument versions by (slug, version), from instruments/archive/.
    archived: dict[tuple[str, int], Instrument] = field(default_factory=dict)


def load_library(content_dir: Path) -> tuple[Library, list[Problem]]:
    """Load and validate everything under ``content_dir``; returns every problem found."""
    modules, problems = load_modules(content_dir)
    instruments, instrument_problems = load_instruments(content_dir)
    archived, archive_problems = load_archive(content_dir)
    for (slug, version), old in archived.items():
        live = instruments.get(slug)
        if live is not None and version >= live.version:
            instrument_problems.append(Problem(f"instruments/archive/{slug}.v{version}.yaml", "version",
                                               f"an archived version must be older than the live file's {live.version}"))
    tags, _ = load_tags(content_dir)  # tag problems are already in the module problems
    return Library(modules, instruments, tags, archived), problems + instrument_problems + archive_problems


def library() -> Library:
    """The current app's content, loaded on first use; invalid content raises ContentInvalid."""
    cached = current_app.extensions.get("survey_library")
    if cached is None:
        cached, problems = load_library(Path(current_app.config["CONTENT_DIR"]))
        if problems:
            raise ContentInvalid(problems)
        current_app.extensions["survey_library"] = cached
    return cached
