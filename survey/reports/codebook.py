"""The variables of a wide export and their codebook: names, labels, types and value labels. Pure.

Names are valid in R, Stata and SPSS: ``<item>_<wave>`` for answers (waves ``pre``, ``pre2``
(the delayed arm's second baseline), ``post``, ``fu``), ``score_<scale>_<wave>`` for scale scores, ``version_<wave>`` for the instrument
version a response was given, ``seconds_<wave>`` for the time on the survey's pages,
``assign_<vignette>`` for the vignette version a GP was randomised to, ``retest_subsample`` for the
retest draw (answers of the retest wave end in ``_retest``), and ``profile_<field>``
for enrolment answers.
"""
from dataclasses import dataclass

from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.reports.dataset import WAVE_ORDER, Dataset, present_waves, variants

WAVE_CODES = {"pre": "pre", "retest": "retest", "pre2": "pre2", "post": "post", "follow_up": "fu"}
KINDS = {Likert: "likert", SingleChoice: "single_choice", MultipleChoice: "multiple_choice", Number: "number",
         FreeText: "text"}


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    #: likert, single_choice, multiple_choice, number, text, score, assignment (vignette version), flag (0/1),
    #: seconds (time on the survey), or meta (identifiers)
    kind: str
    wave: str = ""
    item: str = ""  #: the instrument item (or scale) it comes from
    values: tuple[tuple[str, str], ...] = ()  #: (stored value, label)
    scale: str = ""
    reverse: bool = False
    versions: str = ""  #: instrument versions, and where the wording differs between them
    integer: bool = False
    source: str = ""  #: where the item or scale comes from (its scale's source)
    licence: str = ""


RETEST_SUBSAMPLE = Variable(
    "retest_subsample", "Drawn at random, at baseline, for the test-retest mini-wave (empty: never drawn, e.g. no "
    "baseline, no research consent, or the delayed arm)", "flag", values=(("1", "Drawn for the retest"), ("0", "Not drawn")),
    integer=True)

SECONDS_LABEL = ("Time on the survey's pages in seconds ({wave}): server-side, from each page shown to it saved, "
                 "each visit capped at {cap} s")


def randomised_vignettes(ds: Dataset) -> list:
    """The randomised vignettes of every version present, by id, latest definition last seen."""
    found: dict[str, object] = {}
    for version in sorted(ds.versions.values(), key=lambda v: v.number):
        for vignette in version.definition.randomised_vignettes():
            found[vignette.id] = vignette
    return list(found.values())


def _sampling_note(ds: Dataset, vignette_id: str) -> str:
    """Under matrix sampling a blank assignment is by design, not missing data: say so in the label."""
    for version in ds.versions.values():
        sampling, sampled = version.definition.vignette_sampling, version.definition.sampled_vignettes()
        if any(v.id == vignette_id for v in sampled):
            return (f" (blank if the case was not among the GP's {sampling.per_gp} of {len(sampled)}, "
                    f"assigned at random: planned missingness)")
    return ""


def _asked(ds: Dataset, item: str, wave: str) -> bool:
    return any(q.id == item for v in ds.versions.values() for s in v.definition.sections_for(wave)
               for q in s.questions())


def _scale_of(definition, key: str):
    return next((s for s in definition.scales if key in s.items or s.key == key), None)


def _item_variable(question, definition, wave: str, scale: str, versions: str) -> Variable:
    values: tuple = ()
    if isinstance(question, Likert):
        anchors = definition.response_scales[question.response_scale].anchors
        values = tuple((str(i), a) for i, a in enumerate(anchors, start=1))
    elif isinstance(question, SingleChoice | MultipleChoice):
        values = tuple((o.value, o.label) for o in question.options)
    owner = _scale_of(definition, question.id)
    return Variable(
        name=f"{question.id}_{WAVE_CODES[wave]}", label=question.text, kind=KINDS[type(question)], wave=wave,
        item=question.id, values=values, scale=scale, reverse=getattr(question, "reverse", False),
        versions=versions, integer=isinstance(question, Number) and question.integer,
        source=(owner.source or "") if owner else "", licence=(owner.licence or "") if owner else "",
    )


def variables(ds: Dataset) -> list[Variable]:
    """Every column of the wide export in order: identifiers, enrolment answers, then per wave the
    instrument version, each item asked at that wave and each scale score."""
    found = [Variable("participant", "Pseudonymous participant code", "meta"),
             Variable("cohort", "Cohort", "meta")]
    found += [Variable(f"profile_{name}", f"Enrolment answer: {name.replace('_', ' ')}", "meta")
              for name in ds.campaign.enrolment_fields]
    from survey.surveys.timing import IDLE_CAP_SECONDS  # the cap is the timing rule's; named in the label

    found += [Variable(f"assign_{v.id}", f"Vignette version assigned at random: {v.title or v.id}"
                       + _sampling_note(ds, v.id), "assignment",
                       item=v.id, values=tuple((version.key, version.label) for version in v.versions))
              for v in randomised_vignettes(ds)]
    if "retest_subsample" in ds.participants:
        found.append(RETEST_SUBSAMPLE)
    items: dict[str, list] = {}
    for variant in variants(ds.versions, "item"):
        items.setdefault(variant.key, []).append(variant)
    scales: dict[str, list] = {}
    for variant in variants(ds.versions, "scale"):
        scales.setdefault(variant.key, []).append(variant)
    for wave in present_waves(ds.responses):
        found.append(Variable(f"version_{WAVE_CODES[wave]}", f"Instrument version answered ({wave})", "meta",
                              wave=wave, integer=True))
        found.append(Variable(f"seconds_{WAVE_CODES[wave]}", SECONDS_LABEL.format(wave=wave, cap=IDLE_CAP_SECONDS),
                              "seconds", wave=wave, integer=True))
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
                source=scale.source or "", licence=scale.licence or "",
            ))
    return found


def version_codebook(definition, number: int) -> dict:
    """The codebook of one instrument version, for a staff page: each scale's scoring rule, direction,
    construct, source and licence, and per wave the export variables of the items asked then.

    Built from the definition alone (not a campaign's data), so it is there before anyone answers."""
    scales = [{"key": s.key, "label": s.label, "construct": s.construct_text, "items": s.items, "scored": s.scored,
               "rule": (f"Mean of its {len(s.items)} items after reverse keying; missing if fewer than "
                        f"{s.min_answered:.0%} were answered." if s.scored else
                        "Not summed: each item is reported on its own (per cent agreeing)."),
               "better": s.better, "source": s.source or "", "licence": s.licence or ""}
              for s in definition.scales]
    waves = {}
    for wave in WAVE_ORDER:
        found = []
        for section in definition.sections_for(wave):
            for question in section.questions():
                if type(question) in KINDS:
                    scale = next((s.key for s in definition.scales if question.id in s.items), "")
                    found.append(_item_variable(question, definition, wave, scale, str(number)))
        found += [Variable(f"score_{s.key}_{WAVE_CODES[wave]}", f"Scale score: {s.label}", "score", wave=wave,
                           item=s.key, scale=s.key) for s in definition.scored_scales
                  if any(v.item in s.items for v in found)]
        if found:
            waves[wave] = found
    return {"version": number, "title": definition.title, "scales": scales, "waves": waves}


def _versions_note(group) -> str:
    if len(group) == 1:
        return ", ".join(map(str, group[0].version_numbers))
    return "; ".join(f"versions {', '.join(map(str, v.version_numbers))}: definition {i + 1}"
                     for i, v in enumerate(group)) + " (differs between versions: analyse separately)"


def codebook_rows(found: list[Variable]) -> list[list[str]]:
    """The codebook as a table (header first) for the XLSX sheet."""
    rows = [["variable", "label", "type", "wave", "item", "scale", "reverse_keyed", "values", "instrument_versions",
             "source", "licence"]]
    for v in found:
        rows.append([v.name, v.label, v.kind, v.wave, v.item, v.scale, "yes" if v.reverse else "",
                     "; ".join(f"{code} = {label}" for code, label in v.values), v.versions,
                     " ".join(v.source.split()), " ".join(v.licence.split())])
    return rows
