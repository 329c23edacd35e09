"""Scale scores by hand-worked examples: reverse keying and the missing-data rule."""
from survey.instruments.definition import InstrumentFile
from survey.surveys.scoring import item_score, score_scales

DEFINITION = InstrumentFile.model_validate({
    "title": "T", "version": 1, "description": "D",
    "response_scales": {"agree5": {"anchors": ["1", "2", "3", "4", "5"]},
                        "agree7": {"anchors": ["1", "2", "3", "4", "5", "6", "7"]}},
    "scales": [
        {"key": "a", "label": "A", "construct": "C", "items": ["a1", "a2", "a3", "a4", "a5"]},
        {"key": "b", "label": "B", "construct": "C", "items": ["b1", "b2"], "min_answered": 0.5},
    ],
    "sections": [{"key": "s", "title": "S", "waves": ["pre"], "items": [
        {"type": "likert_grid", "id": "ga", "text": "t", "response_scale": "agree5", "items": [
            {"id": "a1", "text": "x"}, {"id": "a2", "text": "x", "reverse": True}, {"id": "a3", "text": "x"},
            {"id": "a4", "text": "x"}, {"id": "a5", "text": "x", "reverse": True}]},
        {"type": "likert", "id": "b1", "text": "x", "response_scale": "agree7"},
        {"type": "likert", "id": "b2", "text": "x", "response_scale": "agree7", "reverse": True},
    ]}],
})


def test_reverse_keyed_item_is_points_plus_one_minus_answer():
    assert item_score("1", 5, reverse=True) == 5
    assert item_score("2", 7, reverse=True) == 6
    assert item_score("2", 7, reverse=False) == 2


def test_scale_mean_after_reversing():
    # a: 4, (6-2)=4, 5, 3, (6-1)=5 -> 21/5 = 4.2 ; b: 7, (8-7)=1 -> 4.0
    answers = {"a1": "4", "a2": "2", "a3": "5", "a4": "3", "a5": "1", "b1": "7", "b2": "7"}
    assert score_scales(DEFINITION, answers) == {"a": 4.2, "b": 4.0}


def test_score_needs_the_minimum_share_of_items():
    # 4 of 5 items = 80%: scored from the answered items; 3 of 5 = 60%: missing.
    four = {"a1": "4", "a2": "2", "a3": "5", "a4": "3"}
    assert score_scales(DEFINITION, four)["a"] == 4.0
    three = {"a1": "4", "a2": "2", "a3": "5"}
    assert score_scales(DEFINITION, three)["a"] is None
    # b allows one of two items.
    assert score_scales(DEFINITION, {"b2": "3"})["b"] == 5.0
    assert score_scales(DEFINITION, {})["b"] is None
