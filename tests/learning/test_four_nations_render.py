"""Four-nations blocks render one collapsible section per nation, the GP's own first and open."""
import re

from survey.learning.markdown import render

PAGE = """Intro.

::: four-nations Where to refer
#### England
Connect to Work **locally**.
#### Scotland
Working Health Services Scotland.
#### Wales
In Work Support Service.
#### Northern Ireland
Department for Communities.
:::

After.
"""


def summaries(html: str) -> list[str]:
    return re.findall(r"<details[^>]*>\s*<summary>([^<]*)</summary>", html)


def test_the_gps_nation_is_first_and_the_only_one_open():
    html = render(PAGE, nation="scotland")
    assert summaries(html) == ["Scotland (where you practise)", "England", "Wales", "Northern Ireland"]
    assert html.count("<details") == 4 and html.count(' open=""') == 1
    assert re.search(r'<details class="nation" open=""><summary>Scotland', html)
    assert '<section class="four-nations" aria-label="Where to refer: by UK nation">' in html
    assert "<strong>locally</strong>" in html and "<p>After.</p>" in html and "<p>Intro.</p>" in html


def test_without_a_nation_all_are_collapsed_with_a_note():
    html = render(PAGE)
    assert summaries(html) == ["England", "Scotland", "Wales", "Northern Ireland"]
    assert ' open=""' not in html
    assert "Tell us your nation" in html


def test_content_inside_a_block_is_still_sanitised():
    html = render(PAGE.replace("In Work Support Service.", "<script>alert(1)</script> [x](javascript:alert(1))"),
                  nation="wales")
    assert "<script" not in html and "href=\"javascript" not in html


def test_figures_are_links_to_the_full_size_file():
    html = render("![Route chart](../figures/which-route.svg)", lambda kind, target: "/fig/which-route.svg")
    assert '<a href="/fig/which-route.svg" class="figure-link"' in html
    assert '<img src="/fig/which-route.svg" alt="Route chart"' in html and "open full size" in html
