"""Governance fields, question pages, citations and four-nations blocks are validated by check-content."""
from datetime import date

import pytest

from survey.learning.content_rules import citations, due_for_review, is_listed
from tests.content.test_check_content import MODULE, content, edit_yaml, problems_in  # noqa: F401 (fixture)


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.pop("review_by"), "module.yaml: review_by: Field required"),
    (lambda d: d.pop("current_as_of"), "module.yaml: current_as_of: Field required"),
    (lambda d: d.update(reviewers=[]), "module.yaml: reviewers: List should have at least 1 item"),
    (lambda d: d.update(review_by="next year"), "module.yaml: review_by: Input should be a valid date"),
    (lambda d: d.update(review_by=d["current_as_of"]), "review_by must be after current_as_of"),
    (lambda d: d["knowledge_check"].update(draw=len(d["knowledge_check"]["questions"])),
     "must be fewer than the questions in the bank"),
    (lambda d: d["knowledge_check"]["questions"][0].update(pages=["99-nowhere.md"]),
     "knowledge_check.questions[0].pages[0]: '99-nowhere.md' is not a page of this module"),
    (lambda d: d["knowledge_check"].update(reveal_key_after_attempts=0),
     "knowledge_check.reveal_key_after_attempts: Input should be greater than or equal to 1"),
    (lambda d: d.update(min_study_minutes="a while"), "min_study_minutes: Input should be a valid integer"),
])
def test_governance_and_bank_mistakes_are_reported(content, change, expected):
    edit_yaml(content / MODULE / "module.yaml", change)
    found = problems_in(content)
    assert any(expected in p for p in found), found


def test_the_new_fields_are_accepted(content):
    def change(d):
        d["min_study_minutes"] = 20
        d["knowledge_check"].update(draw=1, reveal_key_after_attempts=3)
        d["knowledge_check"]["questions"][0]["pages"] = [d["pages"][0]["file"]]
    edit_yaml(content / MODULE / "module.yaml", change)
    assert problems_in(content) == []


def test_a_citation_missing_from_the_references_is_reported(content):
    page = content / MODULE / "pages" / "01-why-work-matters.md"
    page.write_text(page.read_text() + "\n\nSickness absence is costly (Nobody and Other 2031; Waddell and Burton 2006).\n")
    found = problems_in(content)
    assert any("01-why-work-matters.md: citation '(Nobody and Other 2031)': cited but not in" in p for p in found)
    assert not any("Waddell" in p for p in found)


def test_citation_forms():
    text = ("Work helps (Waddell and Burton 2006; Hill et al. 2011). From (April 2026) or (2 weeks) "
            "or (see DWP 2023) or (about 30%).")
    assert citations(text) == [("Waddell and Burton", "2006"), ("Hill et al.", "2011"), ("DWP", "2023")]
    assert is_listed("DWP", "2023", ["Department for Work and Pensions. Fit note guidance. 2023."])
    assert is_listed("NICE", "2019", ["National Institute for Health and Care Excellence. NG146. London: NICE; 2019."])
    assert not is_listed("DWP", "2024", ["Department for Work and Pensions. Fit note guidance. 2023."])
    assert not is_listed("Hill et al.", "2011", ["Hall J. Something. 2011."])


BLOCK = """
::: four-nations Where to refer
#### England
Connect to Work.
#### Scotland
Working Health Services Scotland.
#### Wales
In Work Support.
{last}
:::
"""


@pytest.mark.parametrize("last, expected", [
    ("#### Northern Ireland\nNI text.", None),
    ("", "'#### Northern Ireland' is missing"),
    ("#### Wales\nAgain.\n#### Northern Ireland\nNI.", "'#### Wales' appears more than once"),
    ("#### Ulster\nNo.\n#### Northern Ireland\nNI.", "heading '#### Ulster' is not one of"),
])
def test_four_nations_blocks_are_checked(content, last, expected):
    page = content / MODULE / "pages" / "01-why-work-matters.md"
    page.write_text(page.read_text() + BLOCK.format(last=last))
    found = [p for p in problems_in(content) if "four-nations" in p]
    if expected is None:
        assert found == []
    else:
        assert any(expected in p and "01-why-work-matters.md" in p for p in found), found


@pytest.mark.parametrize("today, due", [
    (date(2027, 9, 30), False), (date(2027, 10, 2), True), (date(2027, 12, 1), True), (date(2028, 1, 1), True),
])
def test_due_for_review_from_sixty_days_before(today, due):
    assert due_for_review(date(2027, 12, 1), today) is due
