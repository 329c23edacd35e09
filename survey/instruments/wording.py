"""Conditions of an instrument in words, for the educator's preview. Pure: no Flask, no database."""
from survey.codes import is_number_text
from survey.instruments.definition import InstrumentFile, Likert, MultipleChoice, ShowIf, SingleChoice, Vignette


def answer_label(question, value: str, definition: InstrumentFile) -> str:
    """The wording a GP sees for a stored answer value (an option's label, a Likert anchor), else the value."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return next((o.label for o in question.options if o.value == value), value)
    if isinstance(question, Likert):
        anchors = definition.response_scales[question.response_scale].anchors
        if is_number_text(value) and 1 <= int(value) <= len(anchors):
            return anchors[int(value) - 1]
    return value


def condition_in_words(condition: ShowIf, definition: InstrumentFile) -> str:
    """E.g. 'Shown only if the answer to "Did you refer?" is "Yes".' (values in the options' order)."""
    target = next(q for q in definition.questions() if q.id == condition.item)
    order = [o.value for o in getattr(target, "options", [])]
    values = sorted(condition.values, key=lambda v: (order.index(v) if v in order else len(order), v))
    labels = " or ".join(f"“{answer_label(target, v, definition)}”" for v in values)
    verb = "includes" if isinstance(target, MultipleChoice) else "is"
    return f"Shown only if the answer to “{target.text}” {verb} {labels}."


def condition_notes(definition: InstrumentFile) -> dict[str, str]:
    """The condition in words of every conditional block (question, grid, vignette) and vignette question, by id."""
    notes = {}
    for section in definition.sections:
        for block in section.items:
            if block.show_if:
                notes[block.id] = condition_in_words(block.show_if, definition)
            if isinstance(block, Vignette):
                notes |= {q.id: condition_in_words(q.show_if, definition) for q in block.questions if q.show_if}
    return notes



def staff_description(description: str) -> str:
    """An instrument's description as staff read it: the file names the repository's docs/codebook.md, which
    an educator cannot open, so the page says "the codebook" and links to the version's codebook page.
    (The file's own text cannot change once the version has responses.)"""
    return description.replace("docs/codebook.md", "the codebook (linked below)")
