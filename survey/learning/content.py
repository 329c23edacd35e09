"""Module content: the schema of `modules/<slug>/module.yaml`, its loader and validator.

Pure: imports neither Flask nor the database. See docs/content-format.md.
"""
import re
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, model_validator

from survey.contentfiles import (
    ContentInvalid,
    Problem,
    Strict,
    content_hash,
    read_yaml,
    relative_name,
    validation_problems,
)
from survey.learning import markdown
from survey.learning.content_rules import citation_problems, four_nations_problems, revisit_page_problems

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
Text = Annotated[str, Field(min_length=1)]


class Option(Strict):
    text: Text
    correct: bool = False
    feedback: Text


class Question(Strict):
    id: Annotated[str, Field(pattern=SLUG.pattern)]
    text: Text
    options: Annotated[list[Option], Field(min_length=2)]
    #: Page files to revisit when the question is answered wrongly (checked against the module's pages).
    pages: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+\.md$")]] = []

    @model_validator(mode="after")
    def has_a_correct_option(self):
        if not any(option.correct for option in self.options):
            raise ValueError("a question needs at least one option with correct: true")
        return self

    @property
    def multiple(self) -> bool:
        """More than one correct option: answered with checkboxes, all must be chosen."""
        return sum(option.correct for option in self.options) > 1

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, option in enumerate(self.options) if option.correct)


class KnowledgeCheck(Strict):
    pass_mark: Annotated[int, Field(ge=1, le=100)]
    #: Questions drawn from the bank per attempt; None asks the whole bank.
    draw: Annotated[int, Field(ge=1)] | None = None
    #: After this many failed attempts the full key and explanations are shown; None never.
    reveal_key_after_attempts: Annotated[int, Field(ge=1)] | None = None
    questions: Annotated[list[Question], Field(min_length=1)]

    @property
    def draw_count(self) -> int:
        """Questions per attempt: ``draw``, never more than the bank holds."""
        return min(self.draw or len(self.questions), len(self.questions))

    def question(self, question_id: str) -> "Question | None":
        return next((q for q in self.questions if q.id == question_id), None)

    @model_validator(mode="after")
    def draw_smaller_than_bank(self):
        if self.draw is not None and self.draw >= len(self.questions):
            raise ValueError(f"draw ({self.draw}) must be fewer than the questions in the bank "
                             f"({len(self.questions)}), so a retry is a different test")
        return self

    @model_validator(mode="after")
    def unique_ids(self):
        ids = [q.id for q in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"question ids must be unique: {', '.join(duplicates)}")
        return self


class PageEntry(Strict):
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+\.md$")]
    title: Text


class ModuleFile(Strict):
    title: Text
    summary: Text
    credits: Annotated[float, Field(gt=0, le=10)]
    minutes: Annotated[int, Field(gt=0, le=600)]
    tags: Annotated[list[str], Field(min_length=1)]
    learning_outcomes: Annotated[list[Text], Field(min_length=1)]
    pages: Annotated[list[PageEntry], Field(min_length=1)]
    #: Minimum active study time for completion; None: the default from the word count (study.py).
    min_study_minutes: Annotated[int | None, Field(ge=1, le=600)] = None
    knowledge_check: KnowledgeCheck
    references: Annotated[list[Text], Field(min_length=1)]
    #: Governance: when the content was last checked against its sources, and when it must be again.
    current_as_of: date
    review_by: date
    #: Who reviewed it (a role is enough when no name is available).
    reviewers: Annotated[list[Text], Field(min_length=1)]
    #: Minimum active study time for completion; the engine defaults it from the word count.
    min_study_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    #: The page after which a campaign's "local routes" page appears (see learning/local_routes.py).
    local_routes_after: str | None = None

    @model_validator(mode="after")
    def review_after_check(self):
        if self.review_by <= self.current_as_of:
            raise ValueError("review_by must be after current_as_of")
        return self


class Module:
    """A loaded, validated module: its metadata, page texts and content version."""

    def __init__(self, slug: str, folder: Path, data: ModuleFile, page_texts: list[str], version: str):
        self.slug = slug
        self.folder = folder
        self.data = data
        self.page_texts = page_texts
        self.version = version

    def __getattr__(self, name):
        return getattr(self.data, name)

    @property
    def page_count(self) -> int:
        return len(self.data.pages)

    def page_number_of(self, file: str) -> int | None:
        """1-based number of the page stored in ``file``, or None."""
        for number, page in enumerate(self.data.pages, start=1):
            if page.file == file:
                return number
        return None


def load_module(folder: Path, allowed_tags: set[str]) -> tuple[Module | None, list[Problem]]:
    """Load and validate one module folder, returning every problem found."""
    root = folder.parent
    yaml_path = folder / "module.yaml"
    name = relative_name(yaml_path, root)
    problems: list[Problem] = []
    if not SLUG.match(folder.name):
        problems.append(Problem(relative_name(folder, root), "", "folder name must be lowercase-hyphenated"))
    raw, read_problems = read_yaml(yaml_path, root)
    if read_problems:
        return None, problems + read_problems
    try:
        data = ModuleFile.model_validate(raw)
    except ValidationError as error:
        return None, problems + validation_problems(error, name)

    for index, tag in enumerate(data.tags):
        if tag not in allowed_tags:
            problems.append(Problem(name, f"tags[{index}]", f"unknown tag '{tag}' (see modules/tags.yaml)"))

    page_files = [entry.file for entry in data.pages]
    texts = []
    for index, entry in enumerate(data.pages):
        path = folder / "pages" / entry.file
        if not path.is_file():
            problems.append(Problem(name, f"pages[{index}].file", f"page file pages/{entry.file} does not exist"))
            texts.append("")
            continue
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        problems += _page_reference_problems(folder, path, text, page_files)
        problems += citation_problems(relative_name(path, root), text, data.references)
    problems += revisit_page_problems(name, data.knowledge_check, page_files)
    if data.local_routes_after is not None and data.local_routes_after not in page_files:
        problems.append(Problem(name, "local_routes_after", f"'{data.local_routes_after}' is not a page of this module"))
    problems += four_nations_problems(folder, data.pages, texts)
    if problems:
        return None, problems
    files = [yaml_path] + [p for p in folder.rglob("*") if p.is_file() and p != yaml_path]
    return Module(folder.name, folder, data, texts, content_hash(files)), []


def _page_reference_problems(folder: Path, path: Path, text: str, page_files: list[str]) -> list[Problem]:
    """Broken internal links, missing figures and images without alt text in one page."""
    name = relative_name(path, folder.parent)
    problems = []
    for ref in markdown.references(text):
        if re.match(r"^[a-z]+:", ref.target) or ref.target.startswith("#"):
            continue  # absolute URL or in-page anchor
        target = ref.target.split("#")[0]
        if ref.kind == "link":
            if target not in page_files:
                problems.append(Problem(name, f"link '{ref.target}'", "links to a page that is not in this module"))
            continue
        if not ref.alt.strip():
            problems.append(Problem(name, f"image '{ref.target}'", "image has no alt text"))
        figure = figure_path(folder, target)
        if figure is None or not figure.is_file():
            problems.append(Problem(name, f"image '{ref.target}'", "figure file does not exist in figures/"))
    return problems


FIGURE_TARGET = re.compile(r"^\.\./figures/([A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:svg|png|jpe?g|webp))$")


def figure_path(folder: Path, target: str) -> Path | None:
    """The file a page's image target (``../figures/<name>``) names, or None if malformed."""
    match = FIGURE_TARGET.match(target)
    return folder / "figures" / match.group(1) if match else None


def load_tags(content_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    raw, problems = read_yaml(content_dir / "tags.yaml", content_dir)
    if problems:
        return {}, problems
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        return {}, [Problem(relative_name(content_dir / "tags.yaml", content_dir), "", "must map tag -> label")]
    return raw, []


def load_modules(content_dir: Path) -> tuple[dict[str, Module], list[Problem]]:
    """Load every module folder under ``content_dir`` (folders holding a module.yaml)."""
    tags, problems = load_tags(content_dir)
    modules = {}
    for folder in sorted(p for p in content_dir.iterdir() if (p / "module.yaml").exists()):
        module, module_problems = load_module(folder, set(tags))
        problems += module_problems
        if module:
            modules[module.slug] = module
    return modules, problems


def load_modules_or_raise(content_dir: Path) -> dict[str, Module]:
    modules, problems = load_modules(content_dir)
    if problems:
        raise ContentInvalid(problems)
    return modules
