"""The answer key of every shipped module, read straight from its module.yaml, against the app's marking."""
import random
from pathlib import Path

import pytest
import yaml

from survey.learning.content import load_modules
from survey.learning import quiz
from survey.learning.quiz import mark

CONTENT = Path(__file__).resolve().parents[2] / "modules"
FOLDERS = sorted(p.parent for p in CONTENT.glob("*/module.yaml"))
MODULES, PROBLEMS = load_modules(CONTENT)


def raw_questions(folder: Path) -> list[dict]:
    return yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))["knowledge_check"]["questions"]


def test_five_modules_ship_and_load_cleanly():
    assert PROBLEMS == []
    assert len(FOLDERS) >= 5 and {f.name for f in FOLDERS} == set(MODULES)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_answer_key_matches_the_file_and_the_feedback(folder):
    """Every question has a correct option; the loaded key is the file's; feedback agrees with the key."""
    module = MODULES[folder.name]
    raw = raw_questions(folder)
    if module.knowledge_check.draw is None:
        assert 6 <= len(raw) <= 10, "a knowledge check asked in full has 6 to 10 questions"
    else:  # a bank: each attempt draws fewer than the bank, and a wrong answer points to pages to revisit
        assert len(raw) >= 10 and module.knowledge_check.draw < len(raw)
        assert all(question.get("pages") for question in raw), "every question in a bank lists pages to revisit"
    for number, (question, loaded) in enumerate(zip(raw, module.knowledge_check.questions, strict=True), start=1):
        key = {i for i, option in enumerate(question["options"]) if option.get("correct") is True}
        assert key, f"question {number} ({question['id']}) has no correct option"
        assert key != set(range(len(question["options"]))), f"question {number}: every option is correct"
        assert key == loaded.correct_indexes
        for index, option in enumerate(question["options"]):
            says_right = option["feedback"].split()[0].strip(".,:") in ("Correct", "Yes")
            assert says_right == (index in key), f"question {number} option {index + 1}: feedback contradicts the key"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_the_key_scores_100_and_all_wrong_fails(folder):
    check = MODULES[folder.name].knowledge_check
    raw = raw_questions(folder)
    key = {q["id"]: [i for i, o in enumerate(q["options"]) if o.get("correct")] for q in raw}
    marked = mark(check, key)
    assert marked.score == 100 and marked.passed and all(marked.correct.values())

    wrong = {q["id"]: [next(i for i, o in enumerate(q["options"]) if not o.get("correct"))] for q in raw}
    marked = mark(check, wrong)
    assert marked.score == 0 and marked.score < check.pass_mark and not marked.passed


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_the_key_scores_100_on_any_draw(folder):
    """Whatever an attempt draws (and however it orders the options), the key passes it."""
    check = MODULES[folder.name].knowledge_check
    draw = max(1, len(check.questions) - 2)
    bank = check.model_copy(update={"draw": draw}) if check.draw is None else check
    key = {q.id: sorted(q.correct_indexes) for q in check.questions}
    for seed in range(25):
        drawn = quiz.draw(bank, random.Random(seed))
        shown = quiz.shown(bank, drawn)
        form = {item.question.id: [str(p) for p, _, option in item.options if option.correct] for item in shown}
        chosen, errors = quiz.parse_choices(shown, form)
        assert errors == {} and chosen == {i: key[i] for i in chosen}
        marked = mark(bank, chosen, [entry["id"] for entry in drawn])
        assert marked.score == 100 and marked.passed and len(marked.correct) == bank.draw_count
