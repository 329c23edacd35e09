"""Knowledge-check quality rules that ``check-content`` reports across all modules. Pure.

Errors (check-content exits 1):
- no ``draw``, so an attempt asks the whole bank and a retry is the same test (a ``draw`` not less
  than the bank is refused when the module loads, see ``content.KnowledgeCheck``);
- a question id used in more than one module, or the same question text in two modules;
- a question with no ``pages`` to revisit (a page file the module lacks is refused at load,
  see ``content_rules.revisit_page_problems``);
- "choose all that apply" inside a question's text (the page adds the hint once);
- correct options systematically the longest: strictly the longest option in more than half of a
  module's single-answer questions (LONGEST_SHARE). Shuffling does not hide length, so a GP who
  picks the longest answer would pass without reading: this is an error, not a warning.

Warning (reported, exit 0): the correct option in the same position of the file in more than half
of a module's single-answer questions (SAME_POSITION_SHARE). Options are shuffled for every
attempt, so the GP never sees the file's order; it is a sign of a writing habit worth fixing.
"""
import re
from collections import Counter
from dataclasses import dataclass

from survey.contentfiles import Problem, relative_name

LONGEST_SHARE = 0.5
SAME_POSITION_SHARE = 0.5
MIN_QUESTIONS_FOR_PATTERNS = 3
CHOOSE_ALL = re.compile(r"choose all that apply", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    problem: Problem
    severity: str  #: "error" or "warning"


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _module_findings(module) -> list[Finding]:
    name = relative_name(module.folder / "module.yaml", module.folder.parent)
    check = module.knowledge_check
    found = []

    def add(field, message, severity="error"):
        found.append(Finding(Problem(name, field, message), severity))

    if check.draw is None:
        add("knowledge_check.draw", f"set draw to fewer than the {len(check.questions)} questions in the bank, "
                                    "so a retry is a different test")
    for index, question in enumerate(check.questions):
        field = f"knowledge_check.questions[{index}]"
        if not question.pages:
            add(f"{field}.pages", "name the page files to revisit when this question is answered wrongly")
        if CHOOSE_ALL.search(question.text):
            add(f"{field}.text", "leave out \"choose all that apply\": the page adds the hint to multiple-answer questions")
    single = [q for q in check.questions if not q.multiple]
    if len(single) >= MIN_QUESTIONS_FOR_PATTERNS:
        longest = sum(_correct_is_longest(q) for q in single)
        if longest > LONGEST_SHARE * len(single):
            add("knowledge_check.questions", f"the correct option is the longest in {longest} of {len(single)} "
                "single-answer questions: a GP could pass by picking the longest answer")
        position, count = Counter(next(iter(q.correct_indexes)) for q in single).most_common(1)[0]
        if count > SAME_POSITION_SHARE * len(single):
            add("knowledge_check.questions", f"the correct option is option {position + 1} in {count} of {len(single)} "
                "single-answer questions", "warning")
    return found


def _correct_is_longest(question) -> bool:
    lengths = [len(option.text) for option in question.options]
    right = next(iter(question.correct_indexes))
    return all(lengths[right] > length for i, length in enumerate(lengths) if i != right)


def bank_findings(modules: dict) -> list[Finding]:
    """Every knowledge-check rule above, for every module, and across modules."""
    found = [finding for module in modules.values() for finding in _module_findings(module)]
    owners, texts = {}, {}
    for module in modules.values():
        name = relative_name(module.folder / "module.yaml", module.folder.parent)
        for index, question in enumerate(module.knowledge_check.questions):
            field = f"knowledge_check.questions[{index}]"
            if question.id in owners and owners[question.id] != module.slug:
                found.append(Finding(Problem(name, f"{field}.id", f"question id '{question.id}' is also used in "
                                             f"module {owners[question.id]}; ids must be unique across modules"), "error"))
            owners.setdefault(question.id, module.slug)
            text = _normal(question.text)
            if text in texts and texts[text] != module.slug:
                found.append(Finding(Problem(name, f"{field}.text", f"the same question is in module {texts[text]}"), "error"))
            texts.setdefault(text, module.slug)
    return found
