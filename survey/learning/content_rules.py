"""Content rules beyond the schema: citations in pages, pages to revisit, four-nations blocks,
and which modules are due for review. Pure: imports neither Flask nor the database.
"""
import re
from datetime import date, timedelta
from pathlib import Path

from survey.contentfiles import Problem, relative_name
from survey.learning import markdown

#: A module is "due for review" from this long before its review_by date.
REVIEW_WARNING = timedelta(days=60)

_BRACKETS = re.compile(r"\(([^()]*)\)")
_CITATION = re.compile(
    r"^(?:see |e\.g\. |cited in )?(?P<who>[A-Z][\w'’&.\-]*(?: [\w'’&.\-]+)*?),? (?P<year>(?:19|20)\d\d)[a-z]?$"
)
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December", "Spring", "Summer", "Autumn", "Winter"}
_NOT_NAMES = {"and", "et", "al", "al."}


def citations(text: str) -> list[tuple[str, str]]:
    """The (author, year) citations of a page: bracketed ``(Author Year)``, ``(Author and Other Year)``,
    ``(Author et al. Year)`` or several separated by semicolons. A bracket holding a date such
    as ``(March 2025)`` is not a citation."""
    found = []
    for group in _BRACKETS.findall(text):
        for part in group.split(";"):
            match = _CITATION.match(part.strip())
            if match and match.group("who").split()[0] not in _MONTHS:
                found.append((match.group("who"), match.group("year")))
    return found


def _names_in(name: str, reference: str) -> bool:
    """The author word is in the reference, or (an upper-case abbreviation such as DWP or DHSC) is
    spelt by the initials of consecutive capitalised words in it (Department for Work and Pensions)."""
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", reference):
        return True
    initials = "".join(word[0] for word in re.findall(r"\b[A-Z][\w'’-]*", reference))
    return name.isupper() and len(name) > 1 and name in initials


def is_listed(who: str, year: str, references: list[str]) -> bool:
    """A citation is listed when one reference holds its year and every name word of its author part."""
    names = [w.strip(".,") for w in who.split() if w not in _NOT_NAMES]
    return any(year in ref and all(_names_in(n, ref) for n in names) for ref in references)


def citation_problems(page_name: str, text: str, references: list[str]) -> list[Problem]:
    """Every reference cited in a page must be in the module's references."""
    return [Problem(page_name, f"citation '({who} {year})'", "cited but not in the module's references "
                    "(a reference must contain the author words and the year)")
            for who, year in dict.fromkeys(citations(text)) if not is_listed(who, year, references)]


def revisit_page_problems(yaml_name: str, check, page_files: list[str]) -> list[Problem]:
    """A question's ``pages`` (to revisit after a wrong answer) must name pages of the module."""
    return [Problem(yaml_name, f"knowledge_check.questions[{q_index}].pages[{p_index}]",
                    f"'{file}' is not a page of this module")
            for q_index, question in enumerate(check.questions)
            for p_index, file in enumerate(question.pages) if file not in page_files]


def four_nations_problems(folder: Path, pages, texts: list[str]) -> list[Problem]:
    """Each four-nations block names England, Scotland, Wales and Northern Ireland exactly once."""
    return [Problem(relative_name(folder / "pages" / entry.file, folder.parent), "", message)
            for entry, text in zip(pages, texts) for message in markdown.four_nations_problems(text)]


def due_for_review(review_by: date, today: date) -> bool:
    """Past its review date, or within REVIEW_WARNING of it."""
    return today >= review_by - REVIEW_WARNING
