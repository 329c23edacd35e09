"""Educators preview each instrument version and each wave: every item, read-only, with each
conditional item's condition in words; only educators and admins may."""
import re

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import instrument_version
from survey.library import library
from tests.factories import PASSWORD, make_user
from tests.surveys.conftest import TEST_INSTRUMENT
from tests.surveys.test_accessibility import markup_problems, parse

REAL = "gp-work-health-attitudes"


@pytest.fixture
def educator(make_client):
    client = make_client()
    client.login(make_user("educator").email, PASSWORD)
    return client


def _definition(version: int):
    live = library().instruments[REAL]
    return live.data if live.version == version else library().archived[(REAL, version)].data


@pytest.mark.parametrize("version", [1, 2, 3])
def test_each_wave_shows_every_section_and_item_read_only(app, educator, version):
    definition = _definition(version)
    for wave in ("pre", "post", "follow_up"):
        response = educator.get(f"/educator/instruments/{REAL}/{version}/{wave}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert markup_problems(html) == [], wave
        root = parse(html)
        titles = [" ".join("".join(h.itertext()).split()) for h in root.iter("h2") if (h.get("id") or "").startswith("section-")]
        sections = definition.sections_for(wave)
        assert titles == [f"Page {n}: {s.title}" for n, s in enumerate(sections, start=1)]
        shown = {f.get("id") for f in root.iter("fieldset")}
        assert shown == {f"q-{q.id}" for s in sections for q in s.questions()}
        controls = [c for c in [*root.iter("input"), *root.iter("textarea")] if c.get("type") != "hidden"]
        assert controls and all(c.get("disabled") is not None for c in controls)
        assert not list(root.iter("form")) or all(f.get("action") == "/logout" for f in root.iter("form"))
        main = next(root.iter("main"))  # the header's phone menu starts hidden; the preview's content never does
        assert not any(e.get("hidden") is not None for e in main.iter())  # conditional items too


def test_under_matrix_sampling_every_case_is_shown_with_the_rule(app, educator):
    html = educator.get(f"/educator/instruments/{REAL}/3/pre").get_data(as_text=True)
    assert all(f"A consultation: {name}" in html for name in ("Priya", "Tom", "Sarah", "Kwame"))
    assert ("Each GP answers 2 of these 4 cases, given at their first survey start and kept at every wave: "
            "the 6 possible sets are assigned by permuted blocks of 6 seeded per campaign") in html
    assert "Each GP answers" not in educator.get(f"/educator/instruments/{REAL}/2/pre").get_data(as_text=True)


def test_conditional_items_carry_their_condition_in_words(app, educator):
    html = educator.get(f"/educator/instruments/{REAL}/1/pre").get_data(as_text=True)
    adjust = re.search(r'id="q-vc_adjust".*?</fieldset>', html, re.S).group(0)
    assert ('Shown only if the answer to “What would you record on his fit note today?” is '
            '“May be fit for work taking account of advice”.') in adjust
    follow_up = educator.get(f"/educator/instruments/{REAL}/1/follow_up").get_data(as_text=True)
    count = re.search(r'id="q-beh_referred_count".*?</fieldset>', follow_up, re.S).group(0)
    assert ("Shown only if the answer to “In the last 3 months, did you refer any patient to a vocational "
            "support service?” is “Yes”.") in count
    # Noted once per conditional item (three vignettes' adjustments, two behaviour items), never elsewhere.
    assert follow_up.count("Shown only if") == 5


def test_versions_are_listed_with_their_responses_and_each_can_be_previewed(app, educator, enrolled, redeploy):
    campaign, gp = enrolled()
    gp.post(f"/c/{campaign.slug}/survey/pre/1", {"out_1": "4", "out_2": "2", "out_3": "5", "referred": "no"})
    redeploy(TEST_INSTRUMENT, "version: 1", "version: 2")
    redeploy(TEST_INSTRUMENT, "Anything else?", "Anything more to add?")

    page = educator.get(f"/educator/instruments/{TEST_INSTRUMENT}").get_data(as_text=True)
    assert re.search(r"Version 2</h2>\s*<p>0 responses.\s*This is the version in the instrument file now.", page)
    assert re.search(r"Version 1</h2>\s*<p>0 responses \(frozen\).", page)  # not this educator's campaign: no count
    assert page.index("Version 2") < page.index("Version 1")
    assert "Anything else?" in educator.get(f"/educator/instruments/{TEST_INSTRUMENT}/1/pre").get_data(as_text=True)
    assert "Anything more to add?" in educator.get(f"/educator/instruments/{TEST_INSTRUMENT}/2/pre").get_data(as_text=True)


def test_a_refused_change_is_flagged_and_the_frozen_version_shown(app, educator, enrolled, redeploy):
    campaign, gp = enrolled()
    gp.post(f"/c/{campaign.slug}/survey/pre/1", {"out_1": "4"})
    redeploy(TEST_INSTRUMENT, "Anything else?", "Anything more to add?")
    page = educator.get(f"/educator/instruments/{TEST_INSTRUMENT}").get_data(as_text=True)
    assert "The file has changed since this version got responses, so GPs cannot start it." in page
    preview = educator.get(f"/educator/instruments/{TEST_INSTRUMENT}/1/pre").get_data(as_text=True)
    assert "Anything else?" in preview and "Anything more to add?" not in preview


@pytest.mark.parametrize("path", [f"/educator/instruments/{REAL}/9/pre", f"/educator/instruments/{REAL}/1/during",
                                  "/educator/instruments/no-such-instrument", "/educator/instruments/nope/1/pre"])
def test_unknown_versions_waves_and_instruments_are_not_found(app, educator, path):
    assert educator.get(path).status_code == 404


@pytest.mark.parametrize("role, status", [("gp", 403), ("charity", 403), ("educator", 200), ("admin", 200)])
def test_only_educators_and_admins_may_preview(app, make_client, role, status):
    client = make_client()
    client.login(make_user(role).email, PASSWORD)
    for path in ("/educator/instruments/", f"/educator/instruments/{REAL}", f"/educator/instruments/{REAL}/1/post"):
        assert client.get(path).status_code == status, path
    assert "/educator/instruments/" in client.get("/educator/").get_data(as_text=True) or status == 403


def test_previewing_stores_nothing(app, educator):
    educator.get(f"/educator/instruments/{REAL}/1/pre")
    educator.get(f"/educator/instruments/{REAL}/2/pre")
    assert db.session.scalar(select(func.count(InstrumentVersion.id))) == 0
    instrument_version(library().instruments[REAL])
    db.session.commit()
    assert educator.get(f"/educator/instruments/{REAL}/2/pre").status_code == 200


def test_every_vignette_version_and_the_assignment_rule_are_shown(app, educator):
    html = educator.get(f"/educator/instruments/{REAL}/2/pre").get_data(as_text=True)
    definition = _definition(2)
    assert len(definition.randomised_vignettes()) == 4
    for vignette in definition.randomised_vignettes():
        for version in vignette.versions:
            assert f"Version “{version.key}”: {version.label}" in html
            first_line = version.case.strip().splitlines()[0].replace("**", "")
            assert first_line.split(",")[0] in html
    assert html.count("by permuted blocks of 4 seeded per campaign") == 4


def test_response_counts_cover_only_the_educators_own_campaigns(app, make_client, enrolled):
    owner = make_user("educator")
    campaign, gp = enrolled(educators=[owner])
    gp.post(f"/c/{campaign.slug}/survey/pre/1", {"out_1": "4"})
    url = f"/educator/instruments/{TEST_INSTRUMENT}"
    mine = make_client()
    mine.login(owner.email, PASSWORD)
    assert re.search(r"Version 1</h2>\s*<p>1 response \(frozen\).", mine.get(url).get_data(as_text=True))
    stranger = make_client()
    stranger.login(make_user("educator").email, PASSWORD)
    assert re.search(r"Version 1</h2>\s*<p>0 responses \(frozen\).", stranger.get(url).get_data(as_text=True))
    admin = make_client()
    admin.login(make_user("admin").email, PASSWORD)
    assert re.search(r"Version 1</h2>\s*<p>1 response \(frozen\).", admin.get(url).get_data(as_text=True))
