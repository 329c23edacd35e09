"""Each leak class of issue 17 run as an attack on what a charity can download (JSON, CSV, PDF text).

Every attack is the reviewer's: combine published figures to isolate a group, then check, against
the truth computed from the educators' data, that whatever the attacker could isolate holds at
least k GPs (or that the figures needed were not published at all). The scenarios are built so that
each attack would succeed without the rules: small differences between groups are created on purpose.
"""
import csv
import io
import json
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from survey.campaigns.models import Enrolment
from survey.extensions import db
from survey.privacy.consent import withdraw as withdraw_research_consent
from survey.reports import services
from survey.reports.dataset import COMPARISONS, by_participant, variants, vignette_decisions
from survey.reports.exports import long_rows
from survey.surveys.models import Response
from tests.factories import PASSWORD
from tests.reports.conftest import charity_campaign
from tests.reports.datagen import generate

K = 10
LONG_FLOAT = re.compile(r"(?<![<\d])\d+\.\d{3,}")  #: "<0.001" is a band, not a value


def signed_in(make_client, user):
    client = make_client()
    client.login(user.email, PASSWORD)
    return client


def publish(make_client, study) -> None:
    assert signed_in(make_client, study.educator).post(
        f"/educator/campaigns/{study.campaign.slug}/releases").status_code == 302


def charity_view(make_client, study, release: int | None = None) -> tuple[dict, list[dict], str]:
    """What the charity downloads: the API's JSON, the CSV rows and the PDF's text."""
    client = signed_in(make_client, study.charity)
    query = f"?release={release}" if release else ""
    slug = study.campaign.slug
    # The API serves the latest release; an earlier one is read through its CSV and PDF.
    body = None if release else client.get(f"/api/v1/campaigns/{slug}/report").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/charity/reports/{slug}/summary.csv{query}")
                                           .get_data(as_text=True))))
    pdf = client.get(f"/charity/reports/{slug}/report.pdf{query}")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    data = json.loads(body) if body else None
    for output in (body or "", json.dumps(rows), text):
        assert not LONG_FLOAT.search(output), LONG_FLOAT.search(output)  # nothing at full precision
    return data, rows, text


def truth(study) -> dict:
    """Who really is behind each statistic, from the educators' data (the attacker's target)."""
    ds = services.dataset_for(study.campaign)
    sets = {}
    for variant in variants(ds.versions, "scale"):
        for first, second in COMPARISONS:
            a, b = ds.wave_scores(variant, first), ds.wave_scores(variant, second)
            both = pd.concat({"a": a, "b": b}, axis=1, join="inner").dropna()
            sets[("change", variant.key, first, second)] = set(both.index)
    for variant in variants(ds.versions, "item"):
        decision = next((d for d in vignette_decisions(variant.definition) if d[1].id == variant.key), None)
        if decision:
            answers = ds.answers[variant.key]
            by_wave = {w: by_participant(ds, answers, w, variant.version_ids).dropna() for w in ("pre", "post",
                                                                                               "follow_up")}
            for wave, values in by_wave.items():
                sets[("vignette", variant.key, wave)] = set(values.index)
            for first, second in COMPARISONS:
                sets[("pairs", variant.key, first, second)] = set(by_wave[first].index) & set(by_wave[second].index)
    return sets


def isolated_groups_are_large(a: set, b: set) -> bool:
    """Whether subtracting two figures on groups ``a`` and ``b`` (each >= k) isolates only >= k GPs.

    Two figures give sum(a) - sum(b) = sum(a - b) - sum(b - a): a total over fewer than k GPs only
    when both differences are small (e.g. nested groups a few apart, or one leaver and one newcomer).
    """
    return a == b or len(a - b) >= K or len(b - a) >= K


def submit(study, codes: list[str], wave: str) -> None:
    """GPs ``codes`` submit ``wave`` (answers copied from another GP), through the paper-data import."""
    ds = services.dataset_for(study.campaign)
    donor = next(code for code in ds.participants["participant"] if any(
        r[0] == code and r[1] == wave for r in long_rows(ds)))
    rows = [r for r in long_rows(ds) if r[0] == donor and r[1] == wave]
    text = "participant,wave,item,value\n" + "".join(
        f'{code},{wave},{item},"{value}"\n' for code in codes for _, _, item, value in rows)
    services.import_responses(study.campaign, text, services.stored_version(study.campaign, 1))
    db.session.commit()


def codes_with(study, has: set[str], lacks: set[str]) -> list[str]:
    """Included GPs who submitted every wave in ``has`` and never started one in ``lacks``, by code."""
    ds = services.dataset_for(study.campaign)
    waves = ds.responses.groupby("enrolment_id")["wave"].agg(set)
    started = db.session.execute(db.select(Response.enrolment_id, Response.wave)).all()
    begun = {(e, w) for e, w in started}
    ok = [e for e, w in waves.items() if has <= w and not any((e, x) in begun for x in lacks)]
    return [ds.participants.loc[e, "participant"] for e in ok]


@pytest.fixture
def study(app):
    return charity_campaign(150, seed=11)


def test_nested_groups_do_not_reveal_the_people_between_them(study, make_client):
    """Vignette share over everyone at baseline vs over the matched pairs: nested groups 3 apart."""
    missing = codes_with(study, {"pre"}, {"post"})
    submit(study, missing[3:], "post")  # all but 3 baseline GPs now have a post survey
    publish(make_client, study)
    data, rows, text = charity_view(make_client, study)
    sets = truth(study)
    attacked = 0
    for vignette in data["vignettes"]:
        wave = next(w for w in vignette["waves"] if w["wave"] == "pre")
        change = next(c for c in vignette["changes"] if (c["from"], c["to"]) == ("pre", "post"))
        everyone, pairs = sets[("vignette", vignette["item"], "pre")], sets[("pairs", vignette["item"], "pre", "post")]
        if not isolated_groups_are_large(everyone, pairs):
            attacked += 1  # n_pre * share_pre - n_pairs * share_pairs would give the 3 GPs' decisions
            assert wave["percent"] is None or change["first_percent"] is None
    assert attacked, "the scenario should offer nested groups a few GPs apart"
    assert "attrition" not in data and "n_a" not in {r["statistic"] for r in rows}
    assert "reached the post" not in text and "Who stayed" not in text


def test_overlapping_comparisons_do_not_difference(study, make_client):
    """Pre->follow-up and post->follow-up share most GPs; 3 follow-ups without a post survey."""
    submit(study, codes_with(study, {"pre"}, {"post", "follow_up"})[:3], "follow_up")
    publish(make_client, study)
    data, _, _ = charity_view(make_client, study)
    sets = truth(study)
    rows = {(r["scale"], r["from"], r["to"]): r for r in data["changes"]}
    attacked = 0
    for (scale, first, second), row in rows.items():
        for (other, first2, second2), row2 in rows.items():
            shared = {first, second} & {first2, second2}
            if other != scale or (first, second) >= (first2, second2) or not shared:
                continue
            a, b = sets[("change", scale, first, second)], sets[("change", scale, first2, second2)]
            if not isolated_groups_are_large(a, b):
                attacked += 1  # subtracting the shared wave's means would isolate fewer than k GPs
                assert row["mean_diff"] is None or row2["mean_diff"] is None, (scale, first, second, first2)
    assert attacked >= 12


def test_counts_that_add_up_leave_nothing_to_subtract(study, make_client):
    """No totals (instrument-version responses) beside the funnel; funnel steps a few GPs apart are withheld."""
    publish(make_client, study)
    data, rows, text = charity_view(make_client, study)
    assert "instrument" not in data and "responses" not in {r["statistic"] for r in rows}
    ds = services.dataset_for(study.campaign)
    people = ds.participants
    waves = {w: set(ds.responses.loc[ds.responses["wave"] == w, "enrolment_id"]) for w in ("pre", "post", "follow_up")}
    stage_sets = {"enrolled": set(people.index), **waves, "reflection": set(people.index[people["reflection"]]),
                  "certificate": set(people.index[people["certificate"]])}
    stage_sets |= {f"module:{slug}": set(people.index[people[f"module:{slug}"]]) for slug, _ in ds.campaign.modules}
    shown = [row["stage"] for row in data["funnel"] if row["n"] is not None]
    hidden = [row["stage"] for row in data["funnel"] if row["n"] is None]
    for i, a in enumerate(shown):
        assert len(stage_sets[a]) >= K
        for b in shown[i + 1:]:
            assert isolated_groups_are_large(stage_sets[a], stage_sets[b]), (a, b)
    for row in data["funnel"]:
        assert row["n"] is None or row["n"] % 5 == 0  # counts to base 5
    assert hidden, "this study has funnel steps a few GPs apart"


def test_a_test_never_reveals_its_hidden_cells(study, make_client):
    """McNemar's p (and the risk difference and its interval) appear only when every 2x2 cell is 0 or >= k."""
    publish(make_client, study)
    data, _, _ = charity_view(make_client, study)
    ds = services.dataset_for(study.campaign)
    withheld = 0
    for vignette in data["vignettes"]:
        variant = next(v for v in variants(ds.versions, "item") if v.key == vignette["item"])
        _, question, positive, _ = next(d for d in vignette_decisions(variant.definition) if d[1].id == variant.key)
        answers = ds.answers[question.id]
        for change in vignette["changes"]:
            a = by_participant(ds, answers, change["from"], variant.version_ids).dropna() == positive
            b = by_participant(ds, answers, change["to"], variant.version_ids).dropna() == positive
            both = pd.concat({"a": a, "b": b}, axis=1, join="inner")
            table = [int((both.a & both.b).sum()), int((both.a & ~both.b).sum()), int((~both.a & both.b).sum()),
                     int((~both.a & ~both.b).sum())]
            if any(0 < cell < K for cell in table):
                withheld += 1
                assert change["p"] is None and change["risk_difference"] is None and change["ci95_low"] is None
    assert withheld, "this study has a 2x2 table with a small cell"


def release_values(data: dict) -> dict:
    """Every published figure of a release by its identity (status and dates aside)."""
    found = {}
    for row in data["funnel"]:
        found[("funnel", row["stage"])] = row["n"]
    for row in data["changes"]:
        found[("change", row["scale"], row["from"], row["to"])] = {k: v for k, v in row.items()
                                                                   if k not in ("status", "as_of")}
    for vignette in data["vignettes"]:
        for row in vignette["waves"] + vignette["changes"]:
            found[("vignette", vignette["item"], row.get("wave"), row.get("from"), row.get("to"))] = \
                {k: v for k, v in row.items() if k not in ("status", "as_of")}
    return found


def test_two_releases_around_one_submission_or_withdrawal_reveal_nothing(study, make_client):
    """Release, one GP submits; release, one GP withdraws; release: nothing moves. Then k GPs submit: it does."""
    publish(make_client, study)
    first, _, _ = charity_view(make_client, study)
    newcomer = codes_with(study, {"pre"}, {"post"})[0]
    submit(study, [newcomer], "post")
    publish(make_client, study)
    second, _, second_pdf = charity_view(make_client, study)
    assert second["release"]["number"] == 2
    assert release_values(second) == release_values(first)  # n2*m2 - n1*m1 = 0: nothing to isolate
    carried = [r for r in second["changes"] if r["status"] == "carried"]
    assert carried and all(r["as_of"] == first["as_of"] for r in carried)
    assert "unchanged since" in second_pdf

    leaver = db.session.scalar(db.select(Enrolment).where(
        Enrolment.campaign_id == study.campaign.id, Enrolment.participant_code == codes_with(study, {"post"}, set())[0]))
    withdraw_research_consent(leaver)
    db.session.commit()
    publish(make_client, study)
    third, _, _ = charity_view(make_client, study)
    assert release_values(third) == release_values(first)

    _, earlier_rows, _ = charity_view(make_client, study, release=1)  # earlier releases stay as published
    assert {r["value"] for r in earlier_rows if r["section"] == "funnel" and r["scale_or_item"] == "post"} == \
        {str(next(r["n"] for r in first["funnel"] if r["stage"] == "post"))}


def test_figures_move_again_once_enough_gps_have_joined(study, make_client):
    """The rule does not freeze a report: 30 new GPs answering both surveys give fresh figures."""
    publish(make_client, study)
    first, _, _ = charity_view(make_client, study)
    generate(study.campaign, 30, seed=99, cohorts=0, retention=(1.0, 1.0, 0.0))
    db.session.commit()
    publish(make_client, study)
    second, _, _ = charity_view(make_client, study)
    fresh = [r for r in second["changes"] if (r["from"], r["to"]) == ("pre", "post") and r["status"] is None]
    assert len(fresh) == 12 and fresh[0]["as_of"] == second["as_of"]
    assert release_values(second) != release_values(first)
    sets = truth(study)
    assert all(len(sets[("change", r["scale"], "pre", "post")]) >= 10 for r in fresh)
