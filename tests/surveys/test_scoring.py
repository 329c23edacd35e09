"""Scale scores by hand-worked examples: reverse keying and the missing-data rule."""
from survey.instruments.definition import InstrumentFile, load_instrument
from survey.surveys.scoring import item_score, score_scales
from tests.conftest import PROJECT

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


# Hand-worked examples on the platform's own instrument, version 1 (archived; docs/codebook.md
# keeps its rules), which must stay scorable for the responses it has.
REAL = load_instrument(PROJECT / "modules" / "instruments" / "archive" / "gp-work-health-attitudes.v1.yaml",
                       PROJECT / "modules", check_name=False)[0].data
V2 = load_instrument(PROJECT / "modules" / "instruments" / "archive" / "gp-work-health-attitudes.v2.yaml",
                    PROJECT / "modules", check_name=False)[0].data


def test_work_health_outcome_reverses_who_2_who_5_and_who_6():
    # who_1..who_6 answered 4, 2, 5, 3, 1, 2; R items (agree5) become 6 - answer: who_2 4, who_5 5, who_6 4.
    # Score = (4 + 4 + 5 + 3 + 5 + 4) / 6 = 25 / 6.
    answers = {"who_1": "4", "who_2": "2", "who_3": "5", "who_4": "3", "who_5": "1", "who_6": "2"}
    assert score_scales(REAL, answers)["work_health_outcome"] == 25 / 6
    # 5 of 6 answered (83% >= 80%): the mean of the five, (4 + 4 + 5 + 3 + 5) / 5 = 4.2.
    del answers["who_6"]
    assert score_scales(REAL, answers)["work_health_outcome"] == 4.2
    # 4 of 6 answered (67%): missing, not imputed.
    del answers["who_5"]
    assert score_scales(REAL, answers)["work_health_outcome"] is None


def test_intention_to_refer_on_seven_points_reverses_int_4():
    # int_4 = 2 is recoded 8 - 2 = 6; (6 + 5 + 7 + 6 + 6) / 5 = 6.0.
    answers = {"int_1": "6", "int_2": "5", "int_3": "7", "int_4": "2", "int_5": "6"}
    assert score_scales(REAL, answers)["intention_refer"] == 6.0


def test_barriers_score_high_for_more_barriers():
    # Agreeing with every barrier and disagreeing with the two R items (bar_4, bar_6) is the maximum, 5.
    most = {"bar_1": "5", "bar_2": "5", "bar_3": "5", "bar_4": "1", "bar_5": "5", "bar_6": "1"}
    assert score_scales(REAL, most)["barriers"] == 5.0
    # Strong agreement with everything: (5 + 5 + 5 + 1 + 5 + 1) / 6 = 22 / 6.
    assert score_scales(REAL, dict.fromkeys(most, "5"))["barriers"] == 22 / 6


def test_every_scale_of_the_real_instrument_is_missing_with_no_answers():
    assert score_scales(REAL, {}) == dict.fromkeys([s.key for s in REAL.scales])
    assert len(REAL.scales) == 12


def test_version_2_has_30_scored_items_and_reports_barriers_item_by_item():
    assert V2.version == 2
    assert sum(len(s.items) for s in V2.scales) == 30
    barriers = next(s for s in V2.scales if s.key == "barriers")
    assert barriers.kind == "items" and not barriers.scored
    scores = score_scales(V2, dict.fromkeys(barriers.items, "5"))
    assert "barriers" not in scores  # never summed
    assert set(scores) == {s.key for s in V2.scales} - {"barriers"}
    assert all(s.source and s.licence for s in V2.scales)  # each scale cites its source and licence


def test_version_2_hand_worked_scores():
    # work_health_outcome: who_1 4, who_3 5, who_4 3 -> 4.0; two of three (67% >= 60%) -> mean of two.
    assert score_scales(V2, {"who_1": "4", "who_3": "5", "who_4": "3"})["work_health_outcome"] == 4.0
    assert score_scales(V2, {"who_1": "4", "who_3": "5"})["work_health_outcome"] == 4.5
    # expect_smi: exsmi_2 (R) 2 -> 4, exsmi_3 5 -> 4.5; one of two is not enough.
    assert score_scales(V2, {"exsmi_2": "2", "exsmi_3": "5"})["expect_smi"] == 4.5
    assert score_scales(V2, {"exsmi_3": "5"})["expect_smi"] is None
    # control_support on 7 points: sw_pbc_2 (R) 3 -> 5; (6 + 5 + 7) / 3 = 6.0.
    assert score_scales(V2, {"sw_pbc_1": "6", "sw_pbc_2": "3", "sw_pbc_3": "7"})["control_support"] == 6.0
