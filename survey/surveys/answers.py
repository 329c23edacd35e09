"""Turning submitted form values into stored answers: visibility, validation, encoding.

Answers are stored as text: a Likert answer as "1".."points", a single choice as the option
value, a multiple choice as option values joined by ";" in the instrument's order, a number
in canonical form ("12", "2.5"), free text as typed. Pure: no Flask, no database.
"""
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.web.text import multi_line_problem

MISSING = "Please answer this question."


def chosen_values(answer: str | None) -> set[str]:
    return set(answer.split(";")) if answer else set()


def is_visible(question, answers: Mapping[str, str]) -> bool:
    """A question with ``show_if`` shows only when the earlier answer matches."""
    condition = question.show_if
    if condition is None:
        return True
    return bool(chosen_values(answers.get(condition.item)) & condition.values)


def clean_question(question, raw: list[str], points: int | None) -> tuple[str | None, str | None]:
    """Validate one question's submitted values; returns (stored value or None, error or None)."""
    raw = [value.strip() for value in raw if value.strip()]
    if not raw:
        return None, MISSING if question.required else None
    if isinstance(question, Likert):
        allowed = {str(n) for n in range(1, points + 1)}
        return (raw[0], None) if raw[0] in allowed and len(raw) == 1 else (None, "Choose one point on the scale.")
    if isinstance(question, SingleChoice):
        allowed = {o.value for o in question.options}
        return (raw[0], None) if raw[0] in allowed and len(raw) == 1 else (None, "Choose one of the options.")
    if isinstance(question, MultipleChoice):
        order = [o.value for o in question.options]
        if not set(raw) <= set(order):
            return None, "Choose from the options shown."
        return ";".join(v for v in order if v in raw), None
    if isinstance(question, Number):
        return _clean_number(question, raw[0])
    if isinstance(question, FreeText):
        text = raw[0]
        problem = multi_line_problem(text)  # line breaks and tabs are fine in an answer; invisible controls are not
        if problem:
            return text, problem
        if len(text) > question.max_length:
            return text, f"Please shorten this to {question.max_length} characters (now {len(text)})."
        return text, None
    raise TypeError(f"unknown question type {type(question).__name__}")


def _clean_number(question: Number, text: str) -> tuple[str | None, str | None]:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text, "Enter a number, for example 12."
    if not number.is_finite() or (question.integer and number != number.to_integral_value()):
        return text, "Enter a whole number." if question.integer else "Enter a number."
    if not question.min <= number <= question.max:
        return text, f"Enter a number from {_plain(question.min)} to {_plain(question.max)}."
    return _plain(number), None


def _plain(number) -> str:
    value = Decimal(str(number)).normalize()
    return f"{value:f}"


def storable(values: Mapping[str, str | None], errors: Mapping[str, str]) -> dict[str, str | None]:
    """What a save may store: valid answers, and None (clear) for emptied or hidden questions.

    Invalid input is left out, so it never overwrites an answer stored earlier; the page shows it
    again as typed, with its message.
    """
    return {item: value for item, value in values.items() if item not in errors or errors[item] == MISSING}


def shown_answers(sections, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers that still count: those to questions their conditions show, walked in order.

    An answer to a question that an earlier answer (possibly on an earlier page, changed later)
    now hides is dropped, and so are answers that depended on it.
    """
    kept = dict(answers)
    for section in sections:
        for question in section.questions():
            if question.id in kept and not is_visible(question, kept):
                del kept[question.id]
    return kept


def first_incomplete_page(sections, answers: Mapping[str, str]) -> int | None:
    """The first page (1-based) with a required, shown, unanswered question; None when complete."""
    kept = shown_answers(sections, answers)
    for number, section in enumerate(sections, start=1):
        for question in section.questions():
            if question.required and is_visible(question, kept) and not kept.get(question.id):
                return number
    return None


def clean_section(section, submitted: Mapping[str, list[str]], earlier: Mapping[str, str],
                  points_of: Mapping[str, int]) -> tuple[dict[str, str | None], dict[str, str]]:
    """Validate a section page.

    Returns the values to store (None = no answer; hidden questions are cleared) and
    errors by question id. Invalid input is kept in the values so the form shows it again.
    """
    answers = dict(earlier)
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for question in section.questions():
        if not is_visible(question, answers):
            values[question.id] = None
            answers.pop(question.id, None)
            continue
        points = points_of.get(getattr(question, "response_scale", ""), None)
        value, error = clean_question(question, submitted.get(question.id, []), points)
        values[question.id] = value
        if error:
            errors[question.id] = error
        elif value is not None:
            answers[question.id] = value
        else:
            answers.pop(question.id, None)
    return values, errors
