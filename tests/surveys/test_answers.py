"""Validating a survey page: every item type, conditions, and messages beside the item."""
import pytest

from survey.instruments.definition import InstrumentFile
from survey.surveys.answers import clean_section, is_visible

DEFINITION = InstrumentFile.model_validate({
    "title": "T", "version": 1, "description": "D",
    "response_scales": {"agree5": {"anchors": ["a", "b", "c", "d", "e"]}},
    "scales": [],
    "sections": [{"key": "s", "title": "S", "waves": ["follow_up"], "items": [
        {"type": "likert", "id": "lk", "text": "x", "response_scale": "agree5"},
        {"type": "single_choice", "id": "any", "text": "Referred anyone?",
         "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]},
        {"type": "number", "id": "how_many", "text": "How many?", "min": 0, "max": 50,
         "show_if": {"item": "any", "equals": "yes"}},
        {"type": "multiple_choice", "id": "where", "text": "Where?",
         "options": [{"value": "ohs", "label": "OH"}, {"value": "atw", "label": "AtW"}, {"value": "ips", "label": "IPS"}]},
        {"type": "text", "id": "note", "text": "Anything else?", "max_length": 10},
        {"type": "vignette", "id": "v", "case": "A case.", "questions": [
            {"type": "number", "id": "chance", "text": "Chance?", "min": 0, "max": 100, "integer": False}]},
    ]}],
})
SECTION = DEFINITION.sections[0]
POINTS = {"agree5": 5}


def clean(submitted, earlier=None):
    return clean_section(SECTION, submitted, earlier or {}, POINTS)


def test_valid_page_is_encoded_canonically():
    values, errors = clean({"lk": ["4"], "any": ["yes"], "how_many": [" 12 "], "where": ["ips", "ohs"],
                            "note": ["short"], "chance": ["62.50"]})
    assert errors == {}
    assert values == {"lk": "4", "any": "yes", "how_many": "12", "where": "ohs;ips", "note": "short", "chance": "62.5"}


def test_required_items_get_a_message_and_optional_text_does_not():
    values, errors = clean({})
    assert set(errors) == {"lk", "any", "where", "chance"}
    assert errors["lk"] == "Please answer this question."
    assert values["note"] is None


@pytest.mark.parametrize("item, raw, message", [
    ("lk", ["6"], "Choose one point on the scale."),
    ("lk", ["1", "2"], "Choose one point on the scale."),
    ("any", ["maybe"], "Choose one of the options."),
    ("where", ["ohs", "gym"], "Choose from the options shown."),
    ("how_many", ["51"], "Enter a number from 0 to 50."),
    ("how_many", ["2.5"], "Enter a whole number."),
    ("how_many", ["lots"], "Enter a number, for example 12."),
    ("how_many", ["nan"], "Enter a whole number."),
    ("note", ["eleven char"], "Please shorten this to 10 characters (now 11)."),
    ("note", ["a\x07b"], "This text contains an invisible control character (U+0007). Remove it and try again."),
])
def test_invalid_answers_get_a_message_and_keep_the_typed_text(item, raw, message):
    submitted = {"lk": ["3"], "any": ["yes"], "how_many": ["3"], "where": ["ohs"], "chance": ["5"], item: raw}
    values, errors = clean(submitted)
    assert errors == {item: message}
    if item in ("how_many", "note"):  # a line break in free text is fine; it is multi-line
        assert values[item] == raw[0]  # shown again as typed, not lost


def test_condition_hides_and_clears_a_dependent_item():
    how_many = SECTION.questions()[2]
    assert not is_visible(how_many, {"any": "no"})
    assert is_visible(how_many, {"any": "yes"})
    values, errors = clean({"lk": ["3"], "any": ["no"], "how_many": ["7"], "where": ["ohs"], "chance": ["5"]})
    assert errors == {} and values["how_many"] is None  # the stale answer is discarded


def test_condition_on_a_multiple_choice_matches_any_chosen_value():
    from survey.instruments.definition import ShowIf, Number

    question = Number(type="number", id="n", text="t", min=0, max=1, show_if=ShowIf(item="where", **{"in": ["ips"]}))
    assert is_visible(question, {"where": "ohs;ips"})
    assert not is_visible(question, {"where": "ohs"})
