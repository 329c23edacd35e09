"""A campaign's report data as pandas frames, and scoring over them. Pure: no Flask, no database.

One :class:`Dataset` holds everything a report or an export needs, read in bulk once
(see :mod:`survey.reports.queries`): who takes part, their progress, and one row per
submitted response with its answers as the stored text. Responses are read with the
instrument version they were given; :func:`variants` says which versions may be pooled.
"""
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey.instruments.definition import InstrumentFile, Likert, SingleChoice, Vignette

#: "pre2" is the second baseline of a delayed-start campaign's delayed arm (after the wait, before the course);
#: "retest" the optional test-retest mini-wave of a random subsample (the baseline's scored scales, before the course).
WAVE_ORDER = ("pre", "retest", "pre2", "post", "follow_up")
WAVE_NAMES = {"pre": "Before the course", "retest": "Before the course, retest", "pre2": "Before the course, after the wait",
              "post": "After the course", "follow_up": "Follow-up"}
#: Waves only some campaigns have: tables list them only once someone answered them.
OCCASIONAL_WAVES = frozenset({"retest", "pre2"})
COMPARISONS = (("pre", "post"), ("pre", "follow_up"), ("post", "follow_up"))


def present_waves(responses: pd.DataFrame) -> list[str]:
    """The waves a campaign's tables list: every wave, but the second baseline and the retest only once someone
    answered them (only some campaigns have them), so other campaigns' exports keep their columns."""
    answered = set(responses["wave"]) if "wave" in responses else set()
    return [wave for wave in WAVE_ORDER if wave not in OCCASIONAL_WAVES or wave in answered]


@dataclass(frozen=True)
class CampaignInfo:
    slug: str
    title: str
    min_cell_size: int  #: the effective smallest group shown to a charity
    modules: list[tuple[str, str]]  #: (slug, title) in study order
    enrolment_fields: list[str]
    certificate_rule: str = "campaign"
    organisation: str | None = None
    colour: str | None = None


@dataclass(frozen=True)
class Version:
    id: int
    number: int
    definition: InstrumentFile


@dataclass
class Dataset:
    """Participants (index: enrolment id) and submitted responses (index: response id).

    ``participants`` columns: ``participant`` (pseudonymous code), ``cohort`` (name or None),
    ``profile:<field>`` per enrolment field, ``module:<slug>``, ``reflection`` and
    ``certificate`` (bools). ``responses`` columns: ``enrolment_id``, ``wave``, ``version_id``.
    ``answers`` has one column per item id with the stored text as a category (NaN = no answer), aligned
    with ``responses``. Only consenting, non-withdrawn participants are ever loaded.
    """

    campaign: CampaignInfo
    participants: pd.DataFrame
    responses: pd.DataFrame
    answers: pd.DataFrame
    versions: dict[int, Version]
    cohort: str | None = None
    _scores: pd.DataFrame | None = field(default=None, repr=False)
    _numbers: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    _rows: dict[tuple, pd.Index] = field(default_factory=dict, repr=False)
    _wave_scores: dict[tuple, pd.Series] = field(default_factory=dict, repr=False)
    _questions: dict[int, dict] = field(default_factory=dict, repr=False)
    _submitted: dict[str, pd.Index] = field(default_factory=dict, repr=False)
    _enrolments: dict[tuple, np.ndarray] = field(default_factory=dict, repr=False)
    _asked: dict[int, dict[str, set[str]]] = field(default_factory=dict, repr=False)

    def questions(self, definition: InstrumentFile) -> dict:
        """A version's questions by id, unpacked once: ``definition.questions()`` builds new models on every call."""
        if id(definition) not in self._questions:
            self._questions[id(definition)] = {q.id: q for q in definition.questions()}
        return self._questions[id(definition)]

    def asked_by_wave(self, definition: InstrumentFile) -> dict[str, set[str]]:
        """The item ids each wave of a version asks, found once."""
        if id(definition) not in self._asked:
            self._asked[id(definition)] = {wave: {q.id for section in definition.sections_for(wave)
                                                  for q in section.questions()} for wave in WAVE_ORDER}
        return self._asked[id(definition)]

    def numbers_at(self, item: str, rows: pd.Index, positions: np.ndarray | None = None) -> np.ndarray:
        """``numbers(item).reindex(rows)`` as an array (NaN where a row has no answer), by positions: pass
        ``positions=answer_positions(rows)`` to look the rows up once for many items."""
        if positions is None:
            positions = self.answer_positions(rows)
        return np.append(self.numbers(item).to_numpy(), np.nan)[positions]  # position -1 (no answer): the NaN

    def answer_positions(self, rows: pd.Index) -> np.ndarray:
        """Where each of ``rows`` sits in ``answers`` (-1 for a response that answered nothing)."""
        return self.answers.index.get_indexer(rows)

    def scores(self) -> pd.DataFrame:
        """Scale scores per response (columns: scale keys), computed once."""
        if self._scores is None:
            self._scores = score_responses(self)
        return self._scores

    def numbers(self, item: str) -> pd.Series:
        """An item's answers as numbers (NaN where unanswered or not a number), converted once."""
        if item not in self._numbers:
            column = self.answers[item] if item in self.answers else pd.Series(np.nan, index=self.answers.index)
            self._numbers[item] = pd.to_numeric(column, errors="coerce").astype(float)
        return self._numbers[item]

    def rows(self, wave: str | None, version_ids) -> pd.Index:
        """Response ids of one wave (or every wave) given one of ``version_ids``."""
        key = (wave, tuple(sorted(version_ids)))
        if key not in self._rows:
            chosen = self.responses["version_id"].isin(version_ids)
            if wave is not None:
                chosen &= self.responses["wave"] == wave
            self._rows[key] = self.responses.index[chosen]
        return self._rows[key]

    def enrolments_of(self, wave: str | None, version_ids) -> np.ndarray:
        """The enrolment id of each of ``rows(wave, version_ids)``, looked up once."""
        key = (wave, tuple(sorted(version_ids)))
        if key not in self._enrolments:
            self._enrolments[key] = self.responses["enrolment_id"].reindex(self.rows(wave, version_ids)).to_numpy()
        return self._enrolments[key]

    def submitted_by(self, wave: str) -> pd.Index:
        """Enrolment ids with a submitted response to ``wave``, found once per wave."""
        if wave not in self._submitted:
            self._submitted[wave] = pd.Index(self.responses.loc[self.responses["wave"] == wave, "enrolment_id"].unique())
        return self._submitted[wave]

    def wave_scores(self, variant: "Variant", wave: str) -> pd.Series:
        """A scale's scores at one wave by enrolment id, from responses given one of the variant's versions."""
        key = (variant.key, variant.version_ids, wave)
        if key not in self._wave_scores:
            scores = self.scores()[variant.key] if variant.key in self.scores() else pd.Series(dtype=float)
            self._wave_scores[key] = by_participant(self, scores, wave, variant.version_ids)
        return self._wave_scores[key]


@dataclass(frozen=True)
class Variant:
    """A scale or item as defined identically in a set of instrument versions."""
    key: str
    label: str
    version_ids: tuple[int, ...]
    version_numbers: tuple[int, ...]
    definition: InstrumentFile  #: any of the versions (they agree on this key)


def answers_from_groups(response_ids: pd.Index, groups) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The answers frame and each item's answers as numbers, from ``groups`` of (item, stored text,
    ids of the responses that gave it), one group per distinct answer of an item.

    Each item's column is categorical over its distinct texts (so comparisons with option values
    and exports see the stored text); its numbers are the texts converted once each, exactly as
    :meth:`Dataset.numbers` converts a text column. Only responses in ``response_ids`` (ascending)
    that answered something are kept.
    """
    positions_of = response_ids.to_numpy()
    by_item: dict[str, list[tuple[str, np.ndarray]]] = {}
    for item, value, ids in groups:
        by_item.setdefault(item, []).append((value, ids))
    answered = np.zeros(len(positions_of), dtype=bool)
    codes_of = {}
    for item, found in by_item.items():
        codes = np.full(len(positions_of), -1, dtype=np.int32)
        for code, (_, ids) in enumerate(found):
            positions = np.searchsorted(positions_of, ids)
            inside = (positions < len(positions_of)) & (positions_of[np.minimum(positions, len(positions_of) - 1)] == ids)
            codes[positions[inside]] = code
        answered |= codes >= 0
        codes_of[item] = codes
    index = response_ids[answered]
    columns, numbers = {}, {}
    for item, found in by_item.items():
        texts = [value for value, _ in found]
        codes = codes_of[item][answered]
        columns[item] = pd.Categorical.from_codes(codes, categories=texts)
        converted = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").astype(float).to_numpy()
        numbers[item] = pd.Series(np.append(converted, np.nan)[codes], index=index)  # code -1 (none): NaN
    return pd.DataFrame(columns, index=index), numbers


def scale_points(definition: InstrumentFile, key: str) -> int:
    """The number of points of the response scale a scale's items use (its scores run from 1 to this)."""
    scale = next(s for s in definition.scales if s.key == key)
    question = next(q for q in definition.questions() if q.id == scale.items[0])
    return definition.response_scales[question.response_scale].points


def _question_signature(definition: InstrumentFile, question) -> str:
    """What must match for answers from two versions to mean the same (wording, options, anchors, keying)."""
    data = question.model_dump(mode="json", exclude={"show_if"})
    if isinstance(question, Likert):
        data["anchors"] = definition.response_scales[question.response_scale].anchors
    return json.dumps(data, sort_keys=True)


def _scale_signature(definition: InstrumentFile, key: str) -> str | None:
    scale = next((s for s in definition.scales if s.key == key), None)
    if scale is None:
        return None
    questions = {q.id: q for q in definition.questions()}
    return json.dumps([scale.min_answered] + [_question_signature(definition, questions[i]) for i in scale.items])


def variants(versions: dict[int, Version], kind: str) -> list[Variant]:
    """Scales (``kind="scale"``) or questions (``kind="item"``) grouped by identical definition.

    A key whose definition is the same in every version present gives one variant pooling
    them all; a key whose items, wording, anchors or keying changed gives one variant per
    distinct definition, so answers to different questions are never mixed.
    """
    found: dict[str, dict[str, list[Version]]] = {}  # key -> signature -> versions, in first-seen order
    labels: dict[str, str] = {}
    for version in sorted(versions.values(), key=lambda v: v.number):
        definition = version.definition
        if kind == "scale":
            keyed = [(s.key, s.label, _scale_signature(definition, s.key)) for s in definition.scored_scales]
        else:
            keyed = [(q.id, q.text, _question_signature(definition, q)) for q in definition.questions()]
        for key, label, signature in keyed:
            found.setdefault(key, {}).setdefault(signature, []).append(version)
            labels[key] = label
    return [Variant(key, labels[key], tuple(v.id for v in group), tuple(v.number for v in group), group[-1].definition)
            for key, groups in found.items() for group in groups.values()]


def item_scores(ds: Dataset, definition: InstrumentFile, items: list[str], rows: pd.Index) -> pd.DataFrame:
    """Likert item scores of the responses ``rows``, reverse-keyed items recoded as points + 1 - answer."""
    questions = ds.questions(definition)
    positions = ds.answer_positions(rows)
    frame = {}
    for item in items:
        values = ds.numbers_at(item, rows, positions)
        question = questions[item]
        frame[item] = definition.response_scales[question.response_scale].points + 1 - values \
            if question.reverse else values
    return pd.DataFrame(frame, index=rows)


def score_responses(ds: Dataset) -> pd.DataFrame:
    """Scale scores of every response, the vectorised form of ``survey.surveys.scoring.score_scales``.

    Rule (as score_scales): the mean of the answered items after reverse keying, or missing
    when fewer than ``min_answered`` of the scale's items were answered. Each response is
    scored with the definition of the instrument version it was given.
    """
    parts = []
    for version in ds.versions.values():
        definition = version.definition
        scores = {}
        for scale in definition.scored_scales:
            items = item_scores(ds, definition, scale.items, ds.rows(None, [version.id]))
            answered = items.notna().sum(axis=1)
            enough = (answered >= scale.min_answered * len(scale.items) - 1e-9) & (answered > 0)
            scores[scale.key] = items.mean(axis=1).where(enough)
        parts.append(pd.DataFrame(scores, index=ds.responses.index[ds.responses["version_id"] == version.id]))
    return pd.concat(parts).reindex(ds.responses.index) if parts else pd.DataFrame(index=ds.responses.index)


def by_participant(ds: Dataset, values: pd.Series, wave: str, version_ids) -> pd.Series:
    """``values`` (indexed by response) of one wave's responses in ``version_ids``, re-indexed by enrolment id."""
    chosen = ds.rows(wave, version_ids)
    return pd.Series(values.reindex(chosen).to_numpy(), index=ds.enrolments_of(wave, version_ids))


def scale_pairs(ds: Dataset, variant: Variant, first: str, second: str) -> tuple[pd.Series, pd.Series]:
    """A scale's scores at two waves by enrolment id, from responses given one of the variant's versions only."""
    return ds.wave_scores(variant, first), ds.wave_scores(variant, second)


def scale_entry(variant: Variant) -> dict:
    """What identifies a scale row: key, label, score range and the instrument versions pooled in it."""
    return {"scale": variant.key, "label": variant.label, "points": scale_points(variant.definition, variant.key),
            "instrument_versions": list(variant.version_numbers)}


def vignette_decisions(definition: InstrumentFile) -> list[tuple[str, SingleChoice, str, str]]:
    """The binary decisions of the clinical vignettes: (vignette title, question, positive value, its label).

    Rule: a single-choice vignette question offering "not_fit" is read as "not fit for work"
    versus any other fit-note choice; one offering exactly yes/no is read as "yes" versus "no".
    """
    found = []
    for section in definition.sections:
        for block in section.items:
            if not isinstance(block, Vignette):
                continue
            for question in block.questions:
                if not isinstance(question, SingleChoice):
                    continue
                values = [o.value for o in question.options]
                positive = "not_fit" if "not_fit" in values else "yes" if sorted(values) == ["no", "yes"] else None
                if positive == "not_fit":
                    found.append((block.title or section.title, question, positive,
                                  next(o.label for o in question.options if o.value == positive).lower()))
                elif positive:
                    found.append((block.title or section.title, question, positive,
                                  f'yes to "{question.text}"'))  # whole: a chart wraps it, a table shows it all
    return found
