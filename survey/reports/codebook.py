"""The variables of a wide export and their codebook: names, labels, types and value labels. Pure.

Names are valid in R, Stata and SPSS: ``<item>_<wave>`` for answers (waves ``pre``, ``post``,
``fu``), ``score_<scale>_<wave>`` for scale scores, ``version_<wave>`` for the instrument
version a response was given, and ``profile_<field>`` for enrolment answers.
"""
from dataclasses import dataclass

from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.reports.dataset import WAVE_ORDER, Dataset, variants

WAVE_CODES = {"pre": "pre", "post": "post", "follow_up": "fu"}
KINDS = {Likert: "likert", SingleChoice: "single_choice", MultipleChoice: "multiple_choice", Number: "number",
         FreeText: "text"}


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    kind: str  #: likert, single_choice, multiple_choice, number, text, score, or meta (identifiers)
    wave: str = ""
    item: str = ""  #: the instrument item (or scale) it comes from
    values: tuple[tuple[str, str], ...] = ()  #: (stored value, label)
    scale: str = ""
    reverse: bool = False
    versions: str = ""  #: instrument versions, and where the wording differs between them
    integer: bool = False


def _asked(ds: Dataset, item: str, wave: str) -> bool:
    return any(q.id == item for v in ds.versions.values() for s in v.definition.sections_for(wave)
               for q in s.questions())


def _item_variable(question, definition, wave: str, scale: str, versions: str) -> Variable:
    values: tuple = ()
    if isinstance(question, Likert):
        anchors = definition.response_scales[question.response_scale].anchors
        values = tuple((str(i), a) for i, a in enumerate(anchors, start=1))
    elif isinstance(question, SingleChoice | MultipleChoice):
        values = tuple((o.value, o.label) for o in question.options)
    return Variable(
        name=f"{question.id}_{WAVE_CODES[wave]}", label=question.text, kind=KINDS[type(question)], wave=wave,
        item=question.id, values=values, scale=scale, reverse=getattr(question, "reverse", False),
        versions=versions, integer=isinstance(question, Number) and question.integer,
    )


def variables(ds: Dataset) -> list[Variable]:
    """Every column of the wide export in order: identifiers, enrolment answers, then per wave the
    instrument version, each item asked at that wave and each scale score."""
    found = [Variable("participant", "Pseudonymous participant code", "meta"),
             Variable("cohort", "Cohort", "meta")]
    found += [Variable(f"profile_{name}", f"Enrolment answer: {name.replace('_', ' ')}", "meta")
              for name in ds.campaign.enrolment_fields]
    items: dict[str, list] = {}
    for variant in variants(ds.versions, "item"):
        items.setdefault(variant.key, []).append(variant)
    scales: dict[str, list] = {}
    for variant in variants(ds.versions, "scale"):
        scales.setdefault(variant.key, []).append(variant)
    for wave in WAVE_ORDER:
        found.append(Variable(f"version_{WAVE_CODES[wave]}", f"Instrument version answered ({wave})", "meta",
                              wave=wave, integer=True))
        for key, group in items.items():
            if not _asked(ds, key, wave):
                continue
            latest = group[-1]
            question = next(q for q in latest.definition.questions() if q.id == key)
            scale = next((s.key for s in latest.definition.scales if key in s.items), "")
            found.append(_item_variable(question, latest.definition, wave, scale, _versions_note(group)))
        for key, group in scales.items():
            latest = group[-1]
            scale = next(s for s in latest.definition.scales if s.key == key)
            found.append(Variable(
                f"score_{key}_{WAVE_CODES[wave]}", f"Scale score: {latest.label}", "score", wave=wave, item=key,
                scale=key, versions=_versions_note(group),
                values=(("rule", f"mean of {len(scale.items)} items after reverse keying; missing if fewer than "
                                 f"{scale.min_answered:.0%} answered"),),
            ))
    return found


def _versions_note(group) -> str:
    if len(group) == 1:
        return ", ".join(map(str, group[0].version_numbers))
    return "; ".join(f"versions {', '.join(map(str, v.version_numbers))}: definition {i + 1}"
                     for i, v in enumerate(group)) + " (differs between versions: analyse separately)"


def codebook_rows(found: list[Variable]) -> list[list[str]]:
    """The codebook as a table (header first) for the XLSX sheet."""
    rows = [["variable", "label", "type", "wave", "item", "scale", "reverse_keyed", "values", "instrument_versions"]]
    for v in found:
        rows.append([v.name, v.label, v.kind, v.wave, v.item, v.scale, "yes" if v.reverse else "",
                     "; ".join(f"{code} = {label}" for code, label in v.values), v.versions])
    return rows
