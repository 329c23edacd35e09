"""The content library (modules, instruments, tags) loaded once per app from CONTENT_DIR."""
import hashlib
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


#: The last parse of each content folder in this process, with the hash of the files it was parsed from.
_PARSED: dict[Path, tuple[str, tuple[Library, list[Problem]]]] = {}


def folder_hash(content_dir: Path) -> str:
    """A hash over every file's relative path and bytes under ``content_dir``: any edit changes it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(content_dir)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_library_once(content_dir: Path) -> tuple[Library, list[Problem]]:
    """``load_library``, parsed once per process while the files stay the same.

    Parsed content is immutable data, so apps in one process (the tests make one per test) share one
    parse; hashing the files (a millisecond) instead of parsing them (about half a second) means an
    edit is still seen by the next app, exactly as a fresh parse would see it.
    """
    current = folder_hash(content_dir)
    parsed = _PARSED.get(content_dir)
    if parsed is None or parsed[0] != current:
        parsed = current, load_library(content_dir)
        _PARSED[content_dir] = parsed
    return parsed[1]


def library() -> Library:
    """The current app's content, loaded on first use; invalid content raises ContentInvalid."""
    cached = current_app.extensions.get("survey_library")
    if cached is None:
        cached, problems = load_library_once(Path(current_app.config["CONTENT_DIR"]))
        if problems:
            raise ContentInvalid(problems)
        current_app.extensions["survey_library"] = cached
    return cached
