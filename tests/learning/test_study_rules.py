"""The pure rules: credits from recorded time, caps on one page view, the completion minimum, the draw."""
import random
import shutil
from types import SimpleNamespace

import pytest
import yaml

from survey.learning import quiz, study
from survey.library import load_library
from tests.learning.test_answer_key import MODULES


@pytest.mark.parametrize("seconds, suggested, credits", [
    (0, 0.5, 0.0), (14 * 60 + 59, 0.5, 0.0), (15 * 60, 0.5, 0.25), (29 * 60, 0.5, 0.25), (30 * 60, 0.5, 0.5),
    (3 * 3600, 0.5, 0.5),            # capped at the suggested credits
    (5399, 2.5, 1.25), (5400, 2.5, 1.5), (10 * 3600, 2.5, 2.5), (-5, 1.0, 0.0),
])
def test_one_credit_per_hour_rounded_down_to_a_quarter_up_to_the_suggested(seconds, suggested, credits):
    assert study.credits_for(seconds, suggested) == credits


def test_tapping_through_in_seconds_earns_nothing():
    assert study.credits_for(2, 2.5) == 0.0


def test_reading_time_and_the_cap_on_one_page_view():
    text = "word " * 400  # two minutes at 200 words a minute
    assert study.word_count(text) == 400 and study.reading_seconds(text) == 120
    assert study.page_cap_seconds(120) == 360                     # three times the reading time
    assert study.page_cap_seconds(10) == study.PAGE_CAP_FLOOR       # a short page still gets two minutes
    assert study.page_cap_seconds(4000) == study.PAGE_CAP_ABSOLUTE  # never more than 20 minutes
    assert study.word_count("See [the fit note](02-fit-note.md) ![A chart](../figures/x.svg)\n::: key-fact Title\n:::") == 4  # "See the fit note"


def test_the_server_never_accepts_more_than_it_saw():
    assert study.accepted_active_seconds(500, open_seconds=60, reading=120) == 60 + study.CLIENT_SLACK_SECONDS
    assert study.accepted_active_seconds(500, open_seconds=3600, reading=120) == 360  # the page cap
    assert study.accepted_active_seconds(-3, open_seconds=60, reading=120) == 0
    assert study.fallback_seconds(3600, reading=120) == 120  # without JavaScript: at most the reading time
    assert study.fallback_seconds(30, reading=120) == 30


def test_minimum_study_time_defaults_from_the_word_count():
    module = SimpleNamespace(min_study_minutes=None, page_texts=["word " * 2000, "word " * 1000])  # 15 min reading
    assert study.min_study_seconds(module) == 8 * 60  # half of 15 minutes, rounded up to a minute
    module.min_study_minutes = 20
    assert study.min_study_seconds(module) == 20 * 60


def test_completion_needs_every_page_and_the_minimum():
    pages = [SimpleNamespace(file="01.md", title="One"), SimpleNamespace(file="02.md", title="Two")]
    module = SimpleNamespace(min_study_minutes=10, page_texts=["a", "b"], pages=pages)
    assert study.study_status(module, 600, {"01.md"}).unviewed_pages == ("Two",)
    assert not study.study_status(module, 599, {"01.md", "02.md"}).studied
    status = study.study_status(module, 600, {"01.md", "02.md"})
    assert status.studied and status.remaining_seconds == 0


def test_min_study_minutes_is_read_from_module_yaml(tmp_path):
    shutil.copytree(MODULES["cancer-and-work"].folder.parent, tmp_path / "modules")
    path = tmp_path / "modules" / "cancer-and-work" / "module.yaml"
    data = yaml.safe_load(path.read_text())
    data["min_study_minutes"] = 25
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    library, problems = load_library(tmp_path / "modules")
    assert problems == [] and study.min_study_seconds(library.modules["cancer-and-work"]) == 25 * 60


def bank(draw: int):
    check = MODULES["musculoskeletal-and-work"].knowledge_check  # a bank of 10
    return check.model_copy(update={"draw": draw})


def test_the_draw_is_reproducible_with_a_seed_and_shuffles_options():
    first, again = quiz.draw(bank(6), random.Random(7)), quiz.draw(bank(6), random.Random(7))
    assert first == again and len(first) == 6 and len({entry["id"] for entry in first}) == 6
    assert quiz.draw(bank(6), random.Random(8)) != first
    for entry in first:
        assert sorted(entry["order"]) == list(range(len(bank(6).question(entry["id"]).options)))
    orders = [entry["order"] for seed in range(20) for entry in quiz.draw(bank(6), random.Random(seed))]
    assert sum(order != sorted(order) for order in orders) > 0.6 * len(orders)


def test_the_draw_prefers_questions_not_in_the_previous_attempt():
    check = bank(5)
    for seed in range(30):
        first = quiz.draw(check, random.Random(seed))
        second = quiz.draw(check, random.Random(seed + 1000), [e["id"] for e in first])
        assert not {e["id"] for e in first} & {e["id"] for e in second}
    overlap = quiz.draw(bank(6), random.Random(1), [q.id for q in bank(6).questions[:6]])
    assert {e["id"] for e in overlap} >= {q.id for q in bank(6).questions[6:]}  # all 4 fresh ones, then 2 repeats


def test_positions_map_back_to_file_indexes_and_tampering_is_refused():
    check = bank(3)
    shown = quiz.shown(check, quiz.draw(check, random.Random(3)))
    item = shown[0]
    right = [str(position) for position, index, option in item.options if option.correct]
    chosen, errors = quiz.parse_choices(shown[:1], {item.question.id: right})
    assert errors == {} and chosen[item.question.id] == sorted(item.question.correct_indexes)
    _, errors = quiz.parse_choices(shown[:1], {item.question.id: ["17"]})
    assert errors == {item.question.id: "Choose from the options shown."}


def test_the_choose_all_hint_is_not_repeated_from_the_text():
    multiple = next(q for m in MODULES.values() for q in m.knowledge_check.questions if q.multiple)
    question = multiple.model_copy(update={"text": multiple.text + " Choose all that apply."})  # as older files had it
    assert "choose all that apply" not in quiz.Shown(question, tuple(range(len(question.options)))).text.lower()
