"""Instrument definitions: the schema of `modules/instruments/<slug>.yaml` and its loader.

Pure: imports neither Flask nor the database. See docs/content-format.md.
"""
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field, ValidationError, model_validator

from survey.campaigns.fields import CATALOGUE
from survey.contentfiles import (
    ContentInvalid,
    Problem,
    Strict,
    content_hash,
    read_yaml,
    relative_name,
    validation_problems,
)

WAVES = ("pre", "retest", "pre2", "post", "follow_up")
#: What an item's ``enrolment_field`` may name: the enrolment catalogue, and the nation (Enrolment.nation).
ENROLMENT_FIELDS = frozenset(CATALOGUE) | {"nation"}
WAVE_NAMES = {"pre": "Baseline survey", "retest": "Retest survey", "pre2": "Second baseline survey",
              "post": "Post-course survey", "follow_up": "Follow-up survey"}
#: The delayed arm's second baseline asks what both the baseline and the post survey ask, so it is their
#: comparison measure; content files never name it (a section's ``waves`` lists only the three below).
SECOND_BASELINE = "pre2"
#: The optional test-retest mini-wave: the baseline's scored scales only, same wording, so it is short
#: and measures the same thing again (vignettes, behaviour counts and profile questions are left out).
RETEST = "retest"
Wave = Literal["pre", "post", "follow_up"]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]


class ShowIf(Strict):
    """Show an item only when an earlier answer equals a value (or is one of several)."""

    item: Id
    equals: str | None = None
    one_of: list[str] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def exactly_one_test(self):
        if (self.equals is None) == (self.one_of is None):
            raise ValueError("show_if needs exactly one of 'equals' or 'in'")
        return self

    @property
    def values(self) -> set[str]:
        return {self.equals} if self.equals is not None else set(self.one_of or [])


class ChoiceOption(Strict):
    value: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text


class _Question(Strict):
    id: Id
    text: Text
    required: bool = True
    show_if: ShowIf | None = None
    #: The campaign enrolment field asking the same thing: when the GP answered it at enrolment,
    #: the survey does not ask again (profile questions are asked once).
    enrolment_field: Id | None = None


class Likert(_Question):
    type: Literal["likert"]
    response_scale: Id
    reverse: bool = False


class SingleChoice(_Question):
    type: Literal["single_choice"]
    options: Annotated[list[ChoiceOption], Field(min_length=2)]


class MultipleChoice(_Question):
    type: Literal["multiple_choice"]
    options: Annotated[list[ChoiceOption], Field(min_length=2)]


class Number(_Question):
    type: Literal["number"]
    min: float
    max: float
    integer: bool = True

    @model_validator(mode="after")
    def ordered_range(self):
        if self.min > self.max:
            raise ValueError("min must not exceed max")
        return self


class FreeText(_Question):
    type: Literal["text"]
    required: bool = False
    max_length: Annotated[int, Field(ge=1, le=10000)]


class GridRow(Strict):
    id: Id
    text: Text
    reverse: bool = False


class LikertGrid(Strict):
    type: Literal["likert_grid"]
    id: Id
    text: Text
    response_scale: Id
    required: bool = True
    show_if: ShowIf | None = None
    items: Annotated[list[GridRow], Field(min_length=1)]

    def questions(self) -> list[Likert]:
        return [
            Likert(type="likert", id=row.id, text=row.text, required=self.required,
                   show_if=self.show_if, response_scale=self.response_scale, reverse=row.reverse)
            for row in self.items
        ]


Question = Annotated[Union[Likert, SingleChoice, MultipleChoice, Number, FreeText], Field(discriminator="type")]


class VignetteVersion(Strict):
    """One parallel version of a case (e.g. a desk job or a manual job); its questions are the vignette's."""

    key: Id
    label: Text  #: what differs, for educators and the codebook (GPs never see it)
    title: str | None = None
    case: Text


class Vignette(Strict):
    """A case with questions. With ``versions``, each GP is randomly assigned one version
    (permuted blocks seeded per campaign) and sees only that one; the questions are shared so
    decisions can be compared across versions."""

    type: Literal["vignette"]
    id: Id
    title: str | None = None
    case: str | None = None
    versions: list[VignetteVersion] | None = None
    show_if: ShowIf | None = None
    questions: Annotated[list[Question], Field(min_length=1)]

    @model_validator(mode="after")
    def case_or_versions(self):
        if (self.case is None) == (self.versions is None):
            raise ValueError("a vignette needs exactly one of 'case' or 'versions'")
        if self.versions is not None:
            keys = [v.key for v in self.versions]
            if len(keys) < 2:
                raise ValueError("a vignette with versions needs at least two of them")
            if len(set(keys)) != len(keys):
                raise ValueError("vignette version keys must be unique")
        return self

    @property
    def version_keys(self) -> list[str]:
        return [v.key for v in self.versions or []]

    def shown(self, key: str | None) -> tuple[str | None, str]:
        """(title, case text) of the version ``key`` (the only case when there are no versions)."""
        for version in self.versions or []:
            if version.key == key:
                return version.title or self.title, version.case
        if self.versions:
            raise KeyError(f"vignette '{self.id}' has no version '{key}'")
        return self.title, self.case


Block = Annotated[
    Union[Likert, SingleChoice, MultipleChoice, Number, FreeText, LikertGrid, Vignette],
    Field(discriminator="type"),
]


class Section(Strict):
    key: Id
    title: Text
    intro: str | None = None
    waves: Annotated[list[Wave], Field(min_length=1)]
    items: Annotated[list[Block], Field(min_length=1)]

    def holds_any(self, block_ids: Collection[str]) -> bool:
        """Whether one of the page's blocks (a question, a grid or a vignette) has one of these ids."""
        return any(getattr(block, "id", None) in block_ids for block in self.items)

    def questions(self) -> list:
        """The answerable questions of this section in order (grid rows and vignette questions unpacked)."""
        found = []
        for block in self.items:
            if isinstance(block, LikertGrid):
                found += block.questions()
            elif isinstance(block, Vignette):
                found += [q.model_copy(update={"show_if": q.show_if or block.show_if}) for q in block.questions]
            else:
                found.append(block)
        return found


class ResponseScale(Strict):
    anchors: Annotated[list[Text], Field(min_length=5, max_length=7)]

    @model_validator(mode="after")
    def five_or_seven(self):
        if len(self.anchors) not in (5, 7):
            raise ValueError("a Likert scale has 5 or 7 labelled anchors")
        return self

    @property
    def points(self) -> int:
        return len(self.anchors)


class Scale(Strict):
    """A set of Likert items. ``kind: mean`` (default) is scored as the mean of its items;
    ``kind: items`` (e.g. barriers, which are separate causes rather than one trait) is never
    summed and has no alpha: reports and exports show each item on its own."""

    key: Id
    label: Text
    #: What the scale measures, for the codebook (``construct`` in YAML; the name is taken by pydantic).
    construct_text: Text = Field(alias="construct")
    kind: Literal["mean", "items"] = "mean"
    items: Annotated[list[Id], Field(min_length=1)]
    min_answered: Annotated[float, Field(gt=0, le=1)] = 0.8
    #: Which end of the scale is the desired one: reports say "a change for the better" and draw
    #: change towards it. Most scales are scored so that higher is better; a scale of obstacles
    #: (e.g. version 1's barriers) says ``better: lower``.
    better: Literal["higher", "lower"] = "higher"
    #: Where the items come from (citation, and how they were adapted), for the codebook.
    source: str | None = None
    #: The licence under which adapted items are used, or "own wording".
    licence: str | None = None

    @property
    def scored(self) -> bool:
        return self.kind == "mean"


class VignetteSampling(Strict):
    """Planned missingness (matrix sampling): each GP answers ``per_gp`` of the randomised vignettes,
    not all of them, so a wave is shorter. The sets are balanced (every combination equally often, by
    permuted blocks seeded per campaign) and a GP keeps theirs at every wave, so each case's change is
    still measured within the same GPs (see survey.instruments.randomisation)."""

    per_gp: Annotated[int, Field(ge=1)]


class InstrumentFile(Strict):
    title: Text
    version: Annotated[int, Field(ge=1)]
    description: Text
    response_scales: dict[Id, ResponseScale]
    scales: list[Scale]
    sections: Annotated[list[Section], Field(min_length=1)]
    vignette_sampling: VignetteSampling | None = None

    def questions(self) -> Iterator:
        for section in self.sections:
            yield from section.questions()

    def profile_questions(self) -> list:
        """The questions naming an enrolment field, in order, found without unpacking every grid into new
        question objects (a grid's rows cannot name one); read on every survey page."""
        found = []
        for section in self.sections:
            for block in section.items:
                if isinstance(block, Vignette):
                    found += [q for q in block.questions if q.enrolment_field]
                elif not isinstance(block, LikertGrid) and block.enrolment_field:
                    found.append(block)
        return found

    def scale(self, key: str) -> Scale:
        return next(s for s in self.scales if s.key == key)

    @property
    def scored_scales(self) -> list[Scale]:
        """The scales that have a score (``kind: mean``); ``kind: items`` sets are reported item by item."""
        return [s for s in self.scales if s.scored]

    def vignettes(self) -> list[Vignette]:
        return [b for section in self.sections for b in section.items if isinstance(b, Vignette)]

    def randomised_vignettes(self) -> list[Vignette]:
        """Vignettes with parallel versions, each GP being assigned one version."""
        return [v for v in self.vignettes() if v.versions]

    def sampled_vignettes(self) -> list[Vignette]:
        """The vignettes a GP answers only some of (the randomised ones, under ``vignette_sampling``)."""
        return self.randomised_vignettes() if self.vignette_sampling else []

    def retest_sections(self) -> list[Section]:
        """The baseline's pages cut to the items of its scored scales, in the baseline's order and wording."""
        scored = {item for scale in self.scored_scales for item in scale.items}
        found = []
        for section in self.sections_for("pre"):
            blocks = []
            for block in section.items:
                if isinstance(block, LikertGrid):
                    rows = [row for row in block.items if row.id in scored]
                    if rows:
                        blocks.append(block.model_copy(update={"items": rows}))
                elif isinstance(block, Likert) and block.id in scored:
                    blocks.append(block)
            if blocks:
                found.append(section.model_copy(update={"items": blocks}))
        return found

    def sections_for(self, wave: str, cases: Collection[str] | None = None) -> list[Section]:
        """The wave's pages; with ``cases`` (the vignette ids a GP was given), only that GP's pages: a page
        of a sampled vignette the GP was not given is left out. Without, every page (previews, codebook)."""
        if wave == RETEST:
            return self.retest_sections()
        if wave == SECOND_BASELINE:
            found = [s for s in self.sections if "pre" in s.waves and "post" in s.waves]
        else:
            found = [s for s in self.sections if wave in s.waves]
        if cases is None:
            return found
        left_out = {v.id for v in self.sampled_vignettes()} - set(cases)
        return [s for s in found if not s.holds_any(left_out)]


class Instrument:
    """A loaded, validated instrument plus its slug and content hash."""

    def __init__(self, slug: str, data: InstrumentFile, content_hash: str):
        self.slug = slug
        self.data = data
        self.content_hash = content_hash
        self.questions_by_id = {q.id: q for q in data.questions()}

    def __getattr__(self, name):
        return getattr(self.data, name)


def cross_reference_problems(data: InstrumentFile, file: str) -> list[Problem]:
    """Rules that span fields: unique ids, known response scales, scale membership, show_if order."""
    problems = []
    seen: set[str] = set()
    scales_of: dict[str, str] = {}
    for s_index, section in enumerate(data.sections):
        for question in section.questions():
            field = f"sections[{s_index}] item '{question.id}'"
            if question.id in seen:
                problems.append(Problem(file, field, "item id is used more than once"))
            if question.show_if:
                target = question.show_if.item
                if target not in seen:
                    problems.append(Problem(file, f"{field}.show_if", f"refers to '{target}', which is not an earlier item"))
            seen.add(question.id)
            field_name = getattr(question, "enrolment_field", None)
            if field_name and field_name not in ENROLMENT_FIELDS:
                problems.append(Problem(file, f"{field}.enrolment_field",
                                        f"unknown enrolment field '{field_name}' (one of {', '.join(sorted(ENROLMENT_FIELDS))})"))
            if isinstance(question, Likert):
                scales_of[question.id] = question.response_scale
                if question.response_scale not in data.response_scales:
                    problems.append(Problem(file, f"{field}.response_scale", f"unknown response scale '{question.response_scale}'"))
    for index, scale in enumerate(data.scales):
        field = f"scales[{index}] '{scale.key}'.items"
        for item in scale.items:
            if item not in scales_of:
                problems.append(Problem(file, field, f"'{item}' is not a Likert item of this instrument"))
        used = {scales_of[i] for i in scale.items if i in scales_of}
        if len(used) > 1:
            problems.append(Problem(file, field, "items of one scale must share one response scale"))
    problems += _sampling_problems(data, file)
    for kind, keys in (("scales", [s.key for s in data.scales]), ("sections", [s.key for s in data.sections])):
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(Problem(file, f"{kind} '{key}'", "key is used more than once"))
    return problems


def _sampling_problems(data: InstrumentFile, file: str) -> list[Problem]:
    """A GP given only some cases skips the pages of the others, so such a page may hold nothing else."""
    if data.vignette_sampling is None:
        return []
    sampled = {v.id for v in data.randomised_vignettes()}
    if not 1 <= data.vignette_sampling.per_gp < len(sampled):
        return [Problem(file, "vignette_sampling.per_gp",
                        f"must be at least 1 and fewer than the {len(sampled)} randomised vignettes")]
    return [Problem(file, f"sections '{section.key}'", "a page with a sampled vignette holds only that vignette "
                                                        "(a GP not given the case skips the whole page)")
            for section in data.sections
            if section.holds_any(sampled) and len(section.items) > 1]


def load_instrument(path: Path, root: Path, check_name: bool = True) -> tuple[Instrument | None, list[Problem]]:
    """Load and validate one instrument file, returning every problem found."""
    name = relative_name(path, root)
    raw, problems = read_yaml(path, root)
    if problems:
        return None, problems
    try:
        data = InstrumentFile.model_validate(raw)
    except ValidationError as error:
        return None, validation_problems(error, name)
    if check_name and not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", path.stem):
        problems.append(Problem(name, "", "file name must be lowercase-hyphenated"))
    problems += cross_reference_problems(data, name)
    if problems:
        return None, problems
    return Instrument(path.stem, data, content_hash([path])), []


def load_instruments(content_dir: Path) -> tuple[dict[str, Instrument], list[Problem]]:
    folder = content_dir / "instruments"
    instruments, problems = {}, []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        instrument, found = load_instrument(path, content_dir)
        problems += found
        if instrument:
            instruments[instrument.slug] = instrument
    return instruments, problems


def load_instruments_or_raise(content_dir: Path) -> dict[str, Instrument]:
    instruments, problems = load_instruments(content_dir)
    if problems:
        raise ContentInvalid(problems)
    return instruments
