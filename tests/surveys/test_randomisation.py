"""Vignette versions and (under matrix sampling) sets of cases: assignment is reproducible from the
campaign's seed, balanced by permuted blocks, stored once per GP, and each GP sees only their cases,
each in the version assigned."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations

import pytest
from sqlalchemy import select

from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.instruments.randomisation import assigned_case_set, assigned_version, sequence
from survey.library import library
from survey.surveys import versions
from survey.surveys.models import Answer, CaseSetAssignment, Response, VignetteAssignment
from tests.factories import make_campaign
from tests.journey import answer_survey, study_module

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
    gps = [enrolled(instrument=REAL, campaign=campaign)[1] for _ in range(12)]
    for gp in gps:
        assert gp.get(f"/c/{campaign.slug}/survey/pre").status_code == 302
    definition = library().instruments[REAL].data
    vignettes = definition.randomised_vignettes()
    sets = db.session.scalars(select(CaseSetAssignment).order_by(CaseSetAssignment.position)).all()
    # Matrix sampling: 12 GPs are two complete blocks of the 6 pairs of cases, so each case went to 6 GPs.
    assert [s.cases for s in sets] == [assigned_case_set(campaign.assignment_seed, [v.id for v in vignettes], 2, n)
                                       for n in range(12)]
    rows = db.session.scalars(select(VignetteAssignment).order_by(VignetteAssignment.id)).all()
    assert len(rows) == 12 * 2
    for vignette in vignettes:
        mine = sorted((r for r in rows if r.vignette_id == vignette.id), key=lambda r: r.position)
        assert {r.enrolment_id for r in mine} == {s.enrolment_id for s in sets if vignette.id in s.cases}
        assert [r.position for r in mine] == list(range(6))
        # Reproducible: the stored assignments are the campaign's seeded sequence, among the GPs given the case.
        assert [r.version_key for r in mine] == sequence(campaign.assignment_seed, vignette.id, KEYS, 6)
        counts = Counter(r.version_key for r in mine)
        assert abs(counts["desk"] - counts["manual"]) <= 2

    # The GP's page shows the assigned version only.
    msk = next(v for v in vignettes if v.id == "vignette_msk")
    first = next(r for r in rows if r.vignette_id == "vignette_msk" and r.position == 0)
    owner = gps[[s.enrolment_id for s in sets].index(first.enrolment_id)]
    cases = next(s.cases for s in sets if s.enrolment_id == first.enrolment_id)
    page = next(n for n, s in enumerate(definition.sections_for("pre", cases=cases), start=1) if s.key == "case_msk")
    html = owner.get(f"/c/{campaign.slug}/survey/pre/{page}").get_data(as_text=True)
    shown, other = (msk.shown(k)[1] for k in (first.version_key, next(k for k in KEYS if k != first.version_key)))
    marker = {"desk": "software tester", "manual": "scaffolder"}
    assert marker[first.version_key] in html
    assert marker[next(k for k in KEYS if k != first.version_key)] not in html
    assert shown != other

    # Starting the next wave or revisiting changes nothing.
    gps[0].get(f"/c/{campaign.slug}/survey/pre/1")
    assert len(db.session.scalars(select(VignetteAssignment)).all()) == 12 * 2
    assert len(db.session.scalars(select(CaseSetAssignment)).all()) == 12


CASES = ["vignette_cmhc", "vignette_msk", "vignette_cancer", "vignette_smi"]


@pytest.mark.parametrize("seed", [0, 1, 99, 2**31 - 1])
def test_case_sets_give_every_pair_equally_often_and_each_case_to_half_the_gps(seed):
    sets = [assigned_case_set(seed, CASES, 2, n) for n in range(600)]
    assert sets == [assigned_case_set(seed, CASES, 2, n) for n in range(600)]  # reproducible from the seed
    assert sets != [assigned_case_set(seed + 1, CASES, 2, n) for n in range(600)]
    for start in range(0, 600, 6):  # each block of 6 holds each of the 6 pairs once, in the instrument's order
        assert sorted(sets[start:start + 6]) == sorted(combinations(CASES, 2))
    for n in range(1, 601):
        counts = Counter(case for pair in sets[:n] for case in pair)
        assert max(counts.values()) - min(counts.values(), default=0) <= 2, n
    assert len({tuple(sets[i:i + 6]) for i in range(0, 600, 6)}) > 1  # the order within blocks varies


def cases_answered(definition, items) -> set[str]:
    """The vignettes with an answer among ``items`` (item ids)."""
    return {v.id for v in definition.randomised_vignettes() if {q.id for q in v.questions} & set(items)}


def test_a_gp_answers_only_their_two_cases_and_keeps_them_at_every_wave(app, enrolled):
    campaign, gp = enrolled(instrument=REAL, modules=["work-as-health-outcome"])
    definition = library().instruments[REAL].data
    answer_survey(gp, campaign.slug, "pre", definition)
    mine = db.session.scalar(select(CaseSetAssignment)).cases
    assert len(mine) == 2
    answered = set(db.session.scalars(select(Answer.item_id)))
    assert cases_answered(definition, answered) == set(mine)
    # The post survey shows the same two cases, on two pages fewer than the instrument has, and no page beyond.
    study_module(gp, campaign.slug, library().modules["work-as-health-outcome"])
    pages = definition.sections_for("post", cases=mine)
    assert len(pages) == len(definition.sections_for("post")) - 2
    assert f"Page 1 of {len(pages)}" in gp.get(f"/c/{campaign.slug}/survey/post/1").get_data(as_text=True)
    assert gp.get(f"/c/{campaign.slug}/survey/post/{len(pages) + 1}").status_code == 404
    answer_survey(gp, campaign.slug, "post", definition)
    assert db.session.scalar(select(CaseSetAssignment)).cases == mine
    post = db.session.scalar(select(Response).where(Response.wave == "post"))
    assert post.submitted_at is not None
    assert cases_answered(definition, post.answer_map()) == set(mine)


def test_two_gps_starting_at_once_take_different_places_of_the_case_sequence(app, enrolled, monkeypatch):
    campaign = make_campaign(instrument=REAL)
    for _ in range(2):
        enrolled(instrument=REAL, campaign=campaign)
    enrolment_ids = db.session.scalars(select(Enrolment.id).where(Enrolment.campaign_id == campaign.id)).all()
    barrier, first_call, real = threading.Barrier(2, timeout=20), threading.local(), versions.assigned_case_set

    def both_reach_place_0_first(*args):
        if not getattr(first_call, "done", False):
            first_call.done = True
            barrier.wait()  # both requests chose place 0 before either stored it
        return real(*args)

    monkeypatch.setattr(versions, "assigned_case_set", both_reach_place_0_first)

    def start(enrolment_id):
        with app.app_context():
            enrolment = db.session.get(Enrolment, enrolment_id)
            cases = versions.assign_vignettes(enrolment, library().instruments[REAL].data)
            db.session.commit()
            db.session.remove()
            return cases

    with ThreadPoolExecutor(2) as pool:
        results = [f.result(timeout=60) for f in [pool.submit(start, e) for e in enrolment_ids]]
    db.session.expire_all()
    sets = db.session.scalars(select(CaseSetAssignment).order_by(CaseSetAssignment.position)).all()
    assert [s.position for s in sets] == [0, 1]  # the refused one took the next place
    assert [s.cases for s in sets] == [assigned_case_set(campaign.assignment_seed, CASES, 2, n) for n in (0, 1)]
    assert sorted(sorted(r) for r in results) == sorted(sorted(s.cases) for s in sets)
