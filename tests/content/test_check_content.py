"""check-content: the real content is valid, and each kind of mistake is reported with file and field."""
import shutil
from pathlib import Path

import pytest
import yaml

from survey.library import load_library

CONTENT = Path(__file__).resolve().parents[2] / "modules"
MODULE = "work-as-health-outcome"


@pytest.fixture
def content(tmp_path):
    """A private copy of modules/ to break."""
    copy = tmp_path / "modules"
    shutil.copytree(CONTENT, copy)
    return copy


def edit_yaml(path: Path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def problems_in(content_dir: Path) -> list[str]:
    return [str(p) for p in load_library(content_dir)[1]]


def test_shipped_content_is_valid():
    library, problems = load_library(CONTENT)
    assert problems == []
    assert len(library.modules) >= 1 and "gp-work-health-attitudes" in library.instruments


def test_check_content_command_exit_codes(app, content):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-content", "--content-dir", str(content)])
    assert result.exit_code == 0, result.output
    edit_yaml(content / MODULE / "module.yaml", lambda d: d.pop("title"))
    result = runner.invoke(args=["check-content", "--content-dir", str(content)])
    assert result.exit_code == 1
    assert f"modules/{MODULE}/module.yaml: title: Field required" in result.output


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.pop("credits"), "module.yaml: credits: Field required"),
    (lambda d: d["tags"].append("astrology"), "module.yaml: tags[1]: unknown tag 'astrology'"),
    (lambda d: [o.update(correct=False) for o in d["knowledge_check"]["questions"][0]["options"]],
     "module.yaml: knowledge_check.questions[0]: Value error, a question needs at least one option with correct: true"),
    (lambda d: d["knowledge_check"]["questions"][1]["options"][0].pop("feedback"),
     "module.yaml: knowledge_check.questions[1].options[0].feedback: Field required"),
    (lambda d: d["pages"].append({"file": "99-missing.md", "title": "Gone"}),
     "pages[7].file: page file pages/99-missing.md does not exist"),
    (lambda d: d.update(colour="blue"), "module.yaml: colour: Extra inputs are not permitted"),
])
def test_module_mistakes_name_file_and_field(content, change, expected):
    edit_yaml(content / MODULE / "module.yaml", change)
    assert any(expected in p for p in problems_in(content)), problems_in(content)


def test_page_links_and_figures_are_checked(content):
    page = content / MODULE / "pages" / "01-why-work-matters.md"
    page.write_text(page.read_text() + "\n\nSee [the missing page](07-nowhere.md).\n\n![](../figures/none.svg)\n")
    found = problems_in(content)
    assert any("01-why-work-matters.md: link '07-nowhere.md': links to a page that is not in this module" in p for p in found)
    assert any("image '../figures/none.svg': image has no alt text" in p for p in found)
    assert any("image '../figures/none.svg': figure file does not exist" in p for p in found)


def test_yaml_syntax_error_names_the_line(content):
    (content / MODULE / "module.yaml").write_text("title: [unclosed\n")
    assert any(f"{MODULE}/module.yaml: line" in p and "not valid YAML" in p for p in problems_in(content))


INSTRUMENT = "instruments/gp-work-health-attitudes.yaml"


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["scales"][0]["items"].append("no_such_item"), "'no_such_item' is not a Likert item"),
    (lambda d: d["sections"][0]["items"][0].update(type="slider"), "sections[0].items[0]: Input tag 'slider'"),
    (lambda d: d["response_scales"]["agree7"]["anchors"].pop(), "a Likert scale has 5 or 7 labelled anchors"),
    (lambda d: next(s for s in d["sections"] if s["key"] == "recent_practice")["items"].reverse(),
     "which is not an earlier item"),
    (lambda d: d["sections"][0]["items"][0].update(enrolment_field="shoe_size"), "unknown enrolment field 'shoe_size'"),
    (lambda d: next(b for s in d["sections"] for b in s["items"] if b.get("versions"))["versions"].pop(),
     "a vignette with versions needs at least two of them"),
    (lambda d: d["scales"][0].update(better="up"), "scales[0].better: Input should be 'higher' or 'lower'"),
    (lambda d: d["vignette_sampling"].update(per_gp=4), "must be at least 1 and fewer than the 4 randomised vignettes"),
    (lambda d: next(s for s in d["sections"] if s["key"] == "case_msk")["items"].append(
        {"id": "extra", "type": "number", "text": "Anything?", "min": 0, "max": 1}),
     "sections 'case_msk': a page with a sampled vignette holds only that vignette"),
])
def test_instrument_mistakes_name_file_and_field(content, change, expected):
    edit_yaml(content / INSTRUMENT, change)
    found = problems_in(content)
    assert any(INSTRUMENT in p and expected in p for p in found), found
