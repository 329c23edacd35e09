"""Each kind of content mistake is reported as exactly `file: field: message`, by the loader and by check-content."""
import pytest

from tests.content.test_check_content import MODULE, content, edit_yaml, problems_in  # noqa: F401 - content is a fixture

YAML = f"modules/{MODULE}/module.yaml"
PAGE = f"modules/{MODULE}/pages/01-why-work-matters.md"


def break_yaml(change):
    return lambda content: edit_yaml(content / MODULE / "module.yaml", change)


def append_to_page(markdown):
    def change(content):
        page = content / MODULE / "pages" / "01-why-work-matters.md"
        page.write_text(page.read_text() + "\n\n" + markdown + "\n")
    return change


MISTAKES = {
    "missing field": (break_yaml(lambda d: d.pop("learning_outcomes")),
                      f"{YAML}: learning_outcomes: Field required"),
    "missing nested field": (break_yaml(lambda d: d["knowledge_check"].pop("pass_mark")),
                             f"{YAML}: knowledge_check.pass_mark: Field required"),
    "unknown tag": (break_yaml(lambda d: d.update(tags=["general", "astrology"])),
                    f"{YAML}: tags[1]: unknown tag 'astrology' (see modules/tags.yaml)"),
    "question without a correct answer": (
        break_yaml(lambda d: [o.update(correct=False) for o in d["knowledge_check"]["questions"][2]["options"]]),
        f"{YAML}: knowledge_check.questions[2]: Value error, a question needs at least one option with correct: true"),
    "broken internal link": (append_to_page("See [the old page](09-gone.md#top)."),
                             f"{PAGE}: link '09-gone.md#top': links to a page that is not in this module"),
    "missing alt text": (append_to_page("![](../figures/fit-note-outcomes-2018.svg)"),
                         f"{PAGE}: image '../figures/fit-note-outcomes-2018.svg': image has no alt text"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_problem_names_file_and_field(content, mistake):
    make, expected = MISTAKES[mistake]
    make(content)
    found = problems_in(content)
    assert found == [expected]


@pytest.mark.parametrize("mistake", MISTAKES)
def test_check_content_prints_it_and_fails(app, content, mistake):
    make, expected = MISTAKES[mistake]
    make(content)
    result = app.test_cli_runner().invoke(args=["check-content", "--content-dir", str(content)])
    assert result.exit_code == 1
    assert expected in result.output and "1 problem(s) found." in result.output
