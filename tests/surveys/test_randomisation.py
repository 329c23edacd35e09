"""Vignette versions: assignment is reproducible from the campaign's seed, balanced by permuted
blocks, stored once per GP and vignette, and each GP sees only the version assigned."""
from collections import Counter

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.instruments.randomisation import assigned_version, sequence
from survey.library import library
from survey.surveys.models import VignetteAssignment
from tests.factories import make_campaign

REAL = "gp-work-health-attitudes"
KEYS = ["desk", "manual"]


def test_the_same_seed_gives_the_same_sequence_and_another_seed_another():
    first = sequence(1234, "vignette_msk", KEYS, 200)
    assert first == sequence(1234, "vignette_msk", KEYS, 200)
    assert first != sequence(1235, "vignette_msk", KEYS, 200)
    assert first != sequence(1234, "vignette_cmhc", KEYS, 200)  # each vignette has its own sequence


@pytest.mark.parametrize("seed", [0, 1, 99, 2**31 - 1])
def test_permuted_blocks_keep_the_versions_balanced_at_every_point(seed):
    places = sequence(seed, "vignette_cancer", KEYS, 400)
    for n in range(1, len(places) + 1):
        counts = Counter(places[:n])
        assert abs(counts["desk"] - counts["manual"]) <= 2, n  # blocks of 4: never more than 2 apart
        if n % 4 == 0:
            assert counts["desk"] == counts["manual"], n  # equal after every complete block
    # Not a fixed alternation: the order within blocks varies.
    assert len({tuple(places[i:i + 4]) for i in range(0, 400, 4)}) > 1


def test_three_versions_balance_too():
    places = sequence(7, "v", ["a", "b", "c"], 60)
    assert Counter(places) == {"a": 20, "b": 20, "c": 20}
    assert assigned_version(7, "v", ["a", "b", "c"], 5) == places[5]


def test_gps_are_assigned_in_sequence_once_and_see_only_their_version(app, enrolled):
    campaign = make_campaign(instrument=REAL)
    gps = [enrolled(instrument=REAL, campaign=campaign)[1] for _ in range(8)]
    for gp in gps:
        assert gp.get(f"/c/{campaign.slug}/survey/pre").status_code == 302
    vignettes = library().instruments[REAL].data.randomised_vignettes()
    rows = db.session.scalars(select(VignetteAssignment).order_by(VignetteAssignment.id)).all()
    assert len(rows) == 8 * len(vignettes)
    for vignette in vignettes:
        mine = sorted((r for r in rows if r.vignette_id == vignette.id), key=lambda r: r.position)
        assert [r.position for r in mine] == list(range(8))
        # Reproducible: the stored assignments are the campaign's seeded sequence.
        assert [r.version_key for r in mine] == sequence(campaign.assignment_seed, vignette.id, KEYS, 8)
        assert Counter(r.version_key for r in mine) == {"desk": 4, "manual": 4}

    # Starting the next wave or revisiting changes nothing.
    gps[0].get(f"/c/{campaign.slug}/survey/pre/1")
    assert len(db.session.scalars(select(VignetteAssignment)).all()) == 8 * len(vignettes)

    # The GP's page shows the assigned case only.
    msk = next(v for v in vignettes if v.id == "vignette_msk")
    page = next(n for n, s in enumerate(library().instruments[REAL].data.sections_for("pre"), start=1)
                if s.key == "case_msk")
    first = next(r for r in rows if r.vignette_id == "vignette_msk" and r.position == 0)
    owner = gps[[r.enrolment_id for r in rows if r.vignette_id == "vignette_msk"].index(first.enrolment_id)]
    html = owner.get(f"/c/{campaign.slug}/survey/pre/{page}").get_data(as_text=True)
    shown, other = (msk.shown(k)[1] for k in (first.version_key, next(k for k in KEYS if k != first.version_key)))
    marker = {"desk": "software tester", "manual": "scaffolder"}
    assert marker[first.version_key] in html
    assert marker[next(k for k in KEYS if k != first.version_key)] not in html
    assert shown != other
