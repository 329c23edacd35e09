"""check-content's knowledge-check rules: errors and warnings, each naming file and field."""
import pytest

from survey.learning.bank_rules import bank_findings
from survey.learning.content import load_modules
from tests.content.test_check_content import CONTENT, content, edit_yaml  # noqa: F401

MODULE = "work-as-health-outcome"
OTHER = "cancer-and-work"


def findings(content_dir):
    modules, problems = load_modules(content_dir)
    assert problems == []
    return [(f.severity, str(f.problem)) for f in bank_findings(modules)]


@pytest.fixture
def clean(content):  # noqa: F811
    assert findings(content) == []
    return content


def change(clean, slug, edit):
    edit_yaml(clean / slug / "module.yaml", edit)
    return findings(clean)


def test_the_shipped_content_meets_every_rule():
    """The rewritten banks: a draw smaller than each bank, pages to revisit, no repeated question, and the
    right answer neither systematically the longest nor in one position."""
    assert findings(CONTENT) == []


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["knowledge_check"].pop("draw"), "knowledge_check.draw: set draw to fewer than the"),
    (lambda d: d["knowledge_check"]["questions"][1].update(pages=[]),
     "knowledge_check.questions[1].pages: name the page files to revisit"),
    (lambda d: d["knowledge_check"]["questions"][0].update(text="Which apply? Choose all that apply."),
     "knowledge_check.questions[0].text: leave out \"choose all that apply\""),
])
def test_errors_in_one_module(clean, edit, expected):
    reported = change(clean, MODULE, edit)
    assert any(severity == "error" and f"modules/{MODULE}/module.yaml" in text and expected in text
               for severity, text in reported), reported


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["knowledge_check"].update(draw=len(d["knowledge_check"]["questions"])),
     ("knowledge_check", "must be fewer than the questions in the bank")),
    (lambda d: d["knowledge_check"]["questions"][1].update(pages=["99-nowhere.md"]),
     ("knowledge_check.questions[1].pages[0]", "'99-nowhere.md' is not a page of this module")),
])
def test_a_draw_as_large_as_the_bank_or_an_unknown_page_is_refused_at_load(clean, edit, expected):
    edit_yaml(clean / MODULE / "module.yaml", edit)
    field, message = expected
    assert any(p.field == field and message in p.message for p in load_modules(clean)[1])


def single_answer_count(content_dir) -> int:
    return sum(not q.multiple for q in load_modules(content_dir)[0][MODULE].knowledge_check.questions)


def test_question_ids_and_texts_must_be_unique_across_modules(clean):
    other = load_modules(clean)[0][OTHER].knowledge_check.questions[0]
    reported = change(clean, MODULE, lambda d: d["knowledge_check"]["questions"][0].update(id=other.id, text=other.text))
    assert ("error", f"modules/{MODULE}/module.yaml: knowledge_check.questions[0].id: question id '{other.id}' is also "
            f"used in module {OTHER}; ids must be unique across modules") in reported
    assert ("error", f"modules/{MODULE}/module.yaml: knowledge_check.questions[0].text: the same question is in module {OTHER}") in reported


def make_correct_longest(data):
    for question in data["knowledge_check"]["questions"]:
        for option in question["options"]:
            option["text"] += " because of the evidence reviewed" * 9 if option.get("correct") else ""


def test_correct_options_systematically_longest_is_an_error(clean):
    n = single_answer_count(clean)
    reported = change(clean, MODULE, make_correct_longest)
    assert any(s == "error" and f"correct option is the longest in {n} of {n} single-answer questions" in t
               for s, t in reported)


def test_longest_in_half_or_fewer_is_accepted(clean):
    def half(data):
        single = [q for q in data["knowledge_check"]["questions"] if sum(bool(o.get("correct")) for o in q["options"]) == 1]
        longest_already = sum(max(q["options"], key=lambda o: len(o["text"])).get("correct", False) for q in single)
        for question in [q for q in single if not max(q["options"], key=lambda o: len(o["text"])).get("correct")][
                :len(single) // 2 - longest_already]:
            for option in question["options"]:
                if option.get("correct"):
                    option["text"] += " because of the evidence reviewed" * 9
    assert not any("is the longest" in t for _, t in change(clean, MODULE, half))


def test_correct_options_in_one_position_is_a_warning(clean):
    def first(data):
        for question in data["knowledge_check"]["questions"]:
            question["options"].sort(key=lambda option: not option.get("correct"))
    n = single_answer_count(clean)
    reported = change(clean, MODULE, first)
    assert reported == [("warning", f"modules/{MODULE}/module.yaml: knowledge_check.questions: the correct option "
                                    f"is option 1 in {n} of {n} single-answer questions")]


def test_check_content_prints_warnings_and_still_passes(app, clean):
    edit_yaml(clean / MODULE / "module.yaml",
              lambda d: [q["options"].sort(key=lambda o: not o.get("correct")) for q in d["knowledge_check"]["questions"]])
    result = app.test_cli_runner().invoke(args=["check-content", "--content-dir", str(clean)])
    assert result.exit_code == 0 and "warning: modules/work-as-health-outcome/module.yaml" in result.output
