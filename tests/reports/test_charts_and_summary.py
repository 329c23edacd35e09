"""Charts are accessible, safe SVG; the plain-language summary says what the numbers say."""
import xml.etree.ElementTree as ET

import pytest

from survey.reports.charts import accent_colour, better_change_chart, funnel_chart, likert_bars, report_charts
from survey.reports.services import campaign_report
from survey.reports.summary import effect_word, enrolled_note, gps, scale_sentence, summarise, vignette_sentence

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def assert_accessible(svg: ET.Element) -> None:
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text
    assert svg.find(f"{SVG}desc").get("id") == desc_id and svg.find(f"{SVG}desc").text
    assert not any("style" in element.attrib for element in svg.iter())  # the CSP forbids inline styles


def row(**values) -> dict:
    base = {"scale": "s", "label": "Scale", "better": "higher", "points": 5, "n_pairs": 212, "ci95_low": 0.6,
            "ci95_high": 1.0, "pre_mean": 3.1, "post_mean": 3.9,
            "mean_diff": 0.8, "cohens_dz": 0.81, "dz_ci95_low": 0.65, "dz_ci95_high": 0.97, "p_holm": 1e-6}
    return base | values


def test_every_chart_of_a_real_report_is_accessible_svg(study):
    charts = report_charts(campaign_report(study.campaign), "educator")
    drawn = [charts["funnel"], charts["vignettes"], *charts["change"], *charts["likert"].values()]
    assert all(drawn)
    ids = set()
    for chart in drawn:
        svg = parsed(chart)
        assert_accessible(svg)
        ids |= set(svg.get("aria-labelledby").split())
    assert len(ids) == 2 * len(drawn)  # unique ids on one page
    desc = parsed(charts["change"][0]).find(f"{SVG}desc").text
    assert "Knowledge and confidence in discussing work (higher is better): +" in desc
    assert "Perceived barriers to supporting work (lower is better)" in desc


def test_the_change_chart_draws_a_fall_in_barriers_as_a_change_for_the_better():
    svg = parsed(better_change_chart([row(label="Barriers", better="lower", mean_diff=-0.4, ci95_low=-0.6,
                                          ci95_high=-0.2)], "c", "Change"))
    assert "Barriers (lower is better): +0.40 points towards better, 95% interval +0.20 to +0.60" in \
        svg.find(f"{SVG}desc").text


def test_item_wording_is_never_cut_off():
    text = "A patient with a long-term condition can usually do their usual job with adjustments, " * 3
    item = {"item": "i", "text": text.strip(), "reverse": False, "wave": "pre", "instrument_versions": [1],
            "anchors": ["D", "N", "A"], "n": 40, "counts": [20, 10, 10]}
    drawn = " ".join(t.text for t in parsed(likert_bars([item], "l", "Items")).iter(f"{SVG}text"))
    assert " ".join(drawn.split()).count("usual job with adjustments") == 3 and "…" not in drawn


def test_suppressed_values_are_not_drawn():
    funnel = {"enrolled": 40, "pre": 30, "modules": [], "post": "<10", "reflection": "<10", "certificate": "<10",
              "follow_up": "<10"}
    svg = parsed(funnel_chart(funnel, "f", "Funnel"))
    assert len(svg.findall(f"{SVG}rect")) == 2
    assert "Survey after the course: <10" in svg.find(f"{SVG}desc").text
    assert better_change_chart([row(mean_diff=None, ci95_low=None)], "x", "Change") is None
    item = {"item": "i", "text": "Item", "reverse": False, "wave": "pre", "instrument_versions": [1],
            "anchors": ["D", "N", "A"], "n": 40, "counts": [20, "<10", "suppressed"]}
    assert likert_bars([item], "l", "Items") is None


def test_labels_are_escaped():
    svg = parsed(better_change_chart([row(label="Scale <script>alert(1)</script> & more")], "x", "Change <b>"))
    assert svg.find(f"{SVG}title").text == "Change <b>"
    assert not list(svg.iter(f"{SVG}script"))


def test_brand_colour_must_be_a_hex_colour():
    assert accent_colour("#7a2e0b") == "#7a2e0b"
    assert accent_colour("red;}body{display:none") == "#0b6b66" and accent_colour(None) == "#0b6b66"


@pytest.mark.parametrize("dz, word", [(0.0, "negligible"), (0.19, "negligible"), (0.2, "small"), (0.49, "small"),
                                      (0.5, "medium"), (0.79, "medium"), (0.8, "large"), (-0.85, "large")])
def test_effect_words_follow_cohens_conventions(dz, word):
    assert effect_word(dz) == word


def test_a_clear_change_is_stated_with_its_numbers():
    sentence = scale_sentence(row(label="Expectations of work capability for patients with cancer"), "pre", "post")
    assert sentence == ("Expectations of work capability for patients with cancer rose from 3.1 before the course "
                        "to 3.9 after the course on a 1-5 scale where higher is better, a change for the better "
                        "(212 GPs; large effect, dz = 0.81, 95% CI 0.65 to 0.97).")
    fall = scale_sentence(row(better="lower", label="Perceived barriers", pre_mean=3.4, post_mean=3.0, mean_diff=-0.4, cohens_dz=-0.3,
                              dz_ci95_low=-0.45, dz_ci95_high=-0.15), "pre", "follow_up")
    assert fall.startswith("Perceived barriers fell from 3.4 before the course to 3.0 at follow-up on a 1-5 scale "
                           "where lower is better, a change for the better")
    assert "small effect, dz = -0.30" in fall


def test_a_change_that_could_be_chance_is_not_called_a_rise():
    sentence = scale_sentence(row(p_holm=0.21, cohens_dz=0.1, dz_ci95_low=-0.05, dz_ci95_high=0.25, ci95_low=-0.04,
                                  ci95_high=0.2), "pre", "post")
    assert "rose" not in sentence and "no change" not in sentence and "Holm-adjusted p = 0.210" in sentence
    assert "no clear evidence of change" in sentence and "the change runs from -0.04 to 0.20 points" in sentence
    one = scale_sentence(row(n_pairs=2, p_holm=0.5), "pre", "post")
    assert "2 GPs" in one and gps(1) == "1 GP"


def test_the_summary_counts_gps_and_skips_what_cannot_be_said():
    report = {"funnel": {"enrolled": 1, "pre": 1, "post": 0, "follow_up": 0},
              "comparisons": [{"from": "pre", "to": "post", "scales": [row(n_pairs=0, cohens_dz=None)]}],
              "vignettes": []}
    summary = summarise(report)
    assert summary["headline"] == "1 GP took part: 1 answered the survey before the course, 0 after it and 0 at follow-up."
    assert summary["findings"] == []


def test_vignette_shares_are_over_the_pairs_their_test_uses_and_no_p_for_no_pairs():
    test = {"from": "pre", "to": "post", "n_pairs": 21, "b": 2, "c": 9, "p": 0.065, "first_percent": 100 * 8 / 21,
            "second_percent": 100 * 15 / 21}
    vignette = {"vignette": "Case 1: Ann", "decision_label": "not fit for work", "mcnemar": [test],
                "waves": [{"wave": "pre", "n": 25, "percent": 40.0}, {"wave": "post", "n": 21, "percent": 71.4}]}
    assert vignette_sentence(vignette) == ("Case 1: Ann, not fit for work: 38% of the 21 GPs who answered both surveys "
                                           "before the course and 71% after the course (McNemar's exact test: "
                                           "p = 0.065).")
    assert vignette_sentence({**vignette, "mcnemar": [{**test, "n_pairs": 0, "p": 1.0, "first_percent": None}]}) is None


def test_the_enrolled_note_explains_a_difference_from_the_campaign_page():
    assert "26 enrolments; this report counts 25. The other 1 GP did not agree" in enrolled_note(26, 25)
    assert enrolled_note(25, 25).startswith("The report counts all 25 GPs enrolled")
