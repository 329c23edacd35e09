"""Accessible survey markup, checked on the parsed HTML of every page of the real instrument:
fieldset/legend per question, a name for every control, references that resolve, an error
summary linking to each item, and nothing that keyboard or CSP users would trip over."""
import re

import pytest
import tinyhtml5
from sqlalchemy import select

from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.library import library
from tests.journey import gp_sections

INSTRUMENT = "gp-work-health-attitudes"


def parse(html: str):
    return tinyhtml5.parse(html, namespace_html_elements=False)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def markup_problems(html: str) -> list[str]:
    """Everything in a page that would leave a screen-reader or keyboard user stuck."""
    root = parse(html)
    parents = {child: parent for parent in root.iter() for child in parent}
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    problems = [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]

    def ancestors(element):
        while element in parents:
            element = parents[element]
            yield element

    labels_for = {label.get("for"): label for label in root.iter("label") if label.get("for")}
    for control in [*root.iter("input"), *root.iter("textarea"), *root.iter("select")]:
        if control.get("type") == "hidden":
            continue
        name = control.get("name") or control.get("id")
        wrapping = next((a for a in ancestors(control) if a.tag == "label"), None)
        label = wrapping if wrapping is not None else labels_for.get(control.get("id"))
        if (label is None or not text_of(label)) and not control.get("aria-label"):
            problems.append(f"control {name} has no accessible name")
        if control.get("type") in ("radio", "checkbox"):
            group = next((a for a in ancestors(control) if a.tag == "fieldset"), None)
            if group is None or group.find("legend") is None:
                problems.append(f"{control.get('type')} {name} is not grouped under a legend")
    for group in root.iter("fieldset"):
        if len(group) == 0 or group[0].tag != "legend" or not text_of(group[0]):
            problems.append(f"fieldset {group.get('id')} does not start with a legend")
    for element in root.iter():
        for attribute in ("aria-describedby", "aria-labelledby"):
            for ref in (element.get(attribute) or "").split():
                if ref not in ids:
                    problems.append(f"{attribute} of {element.get('id') or element.tag} points to missing {ref}")
        if element.get("style") is not None:
            problems.append(f"inline style on {element.tag}")
        if element.tag == "script" and not element.get("src"):
            problems.append("inline script")
        if int(element.get("tabindex") or 0) > 0:
            problems.append(f"positive tabindex on {element.tag}")
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and href[1:] not in ids:
            problems.append(f"link to missing {href}")
    return problems


@pytest.fixture
def gp_in_campaign(enrolled):
    return enrolled(instrument=INSTRUMENT)


def test_the_checker_finds_unlabelled_controls_and_broken_references():
    html = ('<fieldset id="f"><p>No legend</p><input type="radio" name="a"></fieldset>'
            '<textarea name="t" aria-describedby="nowhere"></textarea><a href="#gone">x</a>')
    assert markup_problems(html) == [
        "control a has no accessible name", "radio a is not grouped under a legend", "control t has no accessible name",
        "fieldset f does not start with a legend", "aria-describedby of textarea points to missing nowhere",
        "link to missing #gone",
    ]


def baseline_pages(campaign) -> list:
    """The baseline's pages for the campaign's one GP (under matrix sampling, with only their cases)."""
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.campaign_id == campaign.id))
    return gp_sections(enrolment, library().instruments[INSTRUMENT].data, "pre")


def test_every_page_of_the_baseline_is_accessible_markup(app, gp_in_campaign):
    campaign, gp = gp_in_campaign
    for number, section in enumerate(baseline_pages(campaign), start=1):
        html = gp.get(f"/c/{campaign.slug}/survey/pre/{number}").get_data(as_text=True)
        assert section.title in html
        assert markup_problems(html) == [], f"page {number}"


def test_each_likert_row_is_a_group_of_native_radios_under_the_grid_prompt(app, gp_in_campaign):
    campaign, gp = gp_in_campaign
    page = next(n for n, s in enumerate(baseline_pages(campaign), start=1) if s.key == "views")
    root = parse(gp.get(f"/c/{campaign.slug}/survey/pre/{page}").get_data(as_text=True))
    grid = next(e for e in root.iter("div") if e.get("aria-labelledby") == "who_grid-prompt")
    assert grid.get("role") == "group"
    rows = grid.findall("fieldset")
    assert [r.get("id") for r in rows] == ["q-who_1", "q-who_3", "q-who_4"]
    radios = rows[1].findall(".//input")
    # Native radios sharing one name: Tab reaches the row, arrow keys move along the 5 points.
    assert {r.get("name") for r in radios} == {"who_3"} and len(radios) == 5
    assert [text_of(label) for label in rows[1].iter("label")] == [
        "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    assert all(r.get("tabindex") is None and r.get("type") == "radio" for r in radios)


def test_errors_are_summarised_with_links_and_tied_to_each_item(app, gp_in_campaign):
    campaign, gp = gp_in_campaign
    response = gp.post(f"/c/{campaign.slug}/survey/pre/1", {"dem_years_gp": "ten", "dem_role": "partner"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert markup_problems(html) == []
    root = parse(html)
    summary = next(e for e in root.iter("div") if "error-summary" in (e.get("class") or "").split())
    links = {a.get("href"): text_of(a) for a in summary.iter("a")}
    assert list(links) == ["#q-dem_years_gp", "#q-dem_wh_training"]  # the nation was asked at enrolment
    assert "Enter a number, for example 12." in text_of(summary)
    number = next(e for e in root.iter("input") if e.get("name") == "dem_years_gp")
    assert number.get("aria-invalid") == "true"
    assert number.get("aria-describedby").split() == ["dem_years_gp-hint", "dem_years_gp-error"]
    assert number.get("value") == "ten"  # kept as typed
    training = next(e for e in root.iter("fieldset") if e.get("id") == "q-dem_wh_training")
    assert training.get("aria-describedby") == "dem_wh_training-error"
    assert re.search(r"dem_role\" value=\"partner\" checked", html)


def test_the_page_loads_its_script_from_our_own_origin(app, gp_in_campaign, client):
    campaign, gp = gp_in_campaign
    root = parse(gp.get(f"/c/{campaign.slug}/survey/pre/1").get_data(as_text=True))
    scripts = [s.get("src") for s in root.iter("script")]
    assert "/static/js/survey.js" in scripts and all(src.startswith("/static/") for src in scripts)
    script = client.get("/static/js/survey.js")
    body = script.get_data(as_text=True)
    script.close()
    assert script.status_code == 200 and "visibilitychange" in body
