"""Shared helpers for content files: YAML reading, problem reports and content hashes.

Pure: imports neither Flask nor the database.
"""
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError


class Strict(BaseModel):
    """Base for content schemas: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, named by file and field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class ContentInvalid(Exception):
    """Raised when content files have problems; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_yaml(path: Path, root: Path) -> tuple[object, list[Problem]]:
    """Parse a YAML file, reporting a syntax error with its line instead of raising."""
    name = relative_name(path, root)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except FileNotFoundError:
        return None, [Problem(name, "", "file is missing")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        return None, [Problem(name, where, f"not valid YAML: {getattr(error, 'problem', error)}")]


def validation_problems(error: ValidationError, file: str) -> list[Problem]:
    """Turn pydantic's errors into problems whose field reads like `pages[2].title`."""
    problems = []
    for item in error.errors():
        field = ""
        for part in item["loc"]:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        problems.append(Problem(file, field, item["msg"]))
    return problems


def relative_name(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def content_hash(paths: list[Path]) -> str:
    """A short hash over file names and bytes: any edit gives a new content version."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
