"""The assembled report against SciPy and hand computations on generated data, read back independently."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats as ss
from sqlalchemy import and_, select, update

from survey.campaigns.models import Enrolment
from survey.certificates.models import Certificate
from survey.db import utcnow
from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.surveys.versions import campaign_definition
from survey.reports.breakdowns import categories, grouped_change
from survey.reports.omega import mcdonald_omega
from survey.reports.dataset import COMPARISONS
from survey.reports.services import campaign_report, cell_size, dataset_for
from survey.reports.slides import slide_rows
from survey.reports.stats import PAIRED_KEYS, paired_change
from survey.surveys.models import Response
from survey.surveys.scoring import score_scales
from tests.reports.conftest import MODULES

TOL = dict(rel=1e-9, abs=1e-9)


def independent_scores(campaign) -> dict[tuple[int, str], dict]:
    """Scores per (enrolment, wave) the slow, obvious way: one response at a time through score_scales."""
    definition = campaign_definition(campaign)
    responses = db.session.scalars(
        select(Response).join(Enrolment).where(Enrolment.campaign_id == campaign.id,
                                               Enrolment.research_consent.is_(True), Enrolment.withdrawn_at.is_(None),
                                               Response.submitted_at.is_not(None)))
    return {(r.enrolment_id, r.wave): score_scales(definition, r.answer_map()) for r in responses}


def pairs(scores: dict, scale: str, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    people = sorted({e for e, w in scores if w == first} & {e for e, w in scores if w == second})
    both = [(scores[e, first][scale], scores[e, second][scale]) for e in people]
    both = [(a, b) for a, b in both if a is not None and b is not None]
    return np.array([a for a, _ in both]), np.array([b for _, b in both])


def hand_holm(p: list[float]) -> list[float]:
    order = np.argsort(p)
    adjusted, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def test_paired_statistics_match_scipy_for_every_scale_and_comparison(study):
    report = campaign_report(study.campaign)
    scores = independent_scores(study.campaign)
    assert [(c["from"], c["to"]) for c in report["comparisons"]] == list(COMPARISONS)
    for comparison in report["comparisons"]:
        assert len(comparison["scales"]) == 12
        for row in comparison["scales"]:
            assert set(PAIRED_KEYS) | {"p_holm", "scale", "label"} <= set(row)
            first, second = pairs(scores, row["scale"], comparison["from"], comparison["to"])
            assert row["n_pairs"] == len(first) > 20
            d = second - first
            t = ss.ttest_rel(second, first)
            assert row["pre_mean"] == pytest.approx(first.mean(), **TOL)
            assert row["post_mean"] == pytest.approx(second.mean(), **TOL)
            assert row["pre_sd"] == pytest.approx(first.std(ddof=1), **TOL)
            assert row["t"] == pytest.approx(t.statistic, **TOL) and row["p_t"] == pytest.approx(t.pvalue, **TOL)
            assert row["cohens_dz"] == pytest.approx(d.mean() / d.std(ddof=1), **TOL)
            w = ss.wilcoxon(d)
            assert row["wilcoxon_w"] == pytest.approx(w.statistic, **TOL)
            assert row["p_wilcoxon"] == pytest.approx(w.pvalue, **TOL)
            half = ss.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
            assert row["ci95_low"] == pytest.approx(d.mean() - half, **TOL)


def test_holm_adjusts_across_the_scales_of_one_comparison_only(study):
    report = campaign_report(study.campaign)
    for comparison in report["comparisons"]:
        p = [row["p_t"] for row in comparison["scales"]]
        assert [row["p_holm"] for row in comparison["scales"]] == pytest.approx(hand_holm(p), **TOL)
    # A family of twelve, not thirty-six: the smallest p is multiplied by 12 at most.
    pre_post = report["comparisons"][0]["scales"]
    smallest = min(pre_post, key=lambda row: row["p_t"])
    assert smallest["p_holm"] == pytest.approx(min(1.0, 12 * smallest["p_t"]), **TOL)


def test_the_generated_effects_are_found(study):
    rows = {row["scale"]: row for row in campaign_report(study.campaign)["comparisons"][0]["scales"]}
    assert rows["knowledge_confidence"]["cohens_dz"] > 0.5 and rows["knowledge_confidence"]["p_holm"] < 0.001
    assert rows["barriers"]["mean_diff"] < 0
    assert rows["subjective_norm"]["dz_ci95_low"] < 0.3  # generated with no effect


def test_alpha_matches_a_hand_computation(study):
    report = campaign_report(study.campaign)
    definition = campaign_definition(study.campaign)
    responses = db.session.scalars(
        select(Response).join(Enrolment).where(Enrolment.campaign_id == study.campaign.id,
                                               Enrolment.research_consent.is_(True), Enrolment.withdrawn_at.is_(None),
                                               Response.submitted_at.is_not(None), Response.wave == "post")).all()
    scale = next(s for s in definition.scales if s.key == "work_health_outcome")
    reverse = {q.id: q.reverse for q in definition.questions() if q.id in scale.items}
    rows = [[6 - int(r.answer_map()[i]) if reverse[i] else int(r.answer_map()[i]) for i in scale.items]
            for r in responses if all(i in r.answer_map() for i in scale.items)]
    x = np.array(rows, dtype=float)
    k, n = x.shape[1], x.shape[0]
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    found = next(a for a in report["alpha"] if a["scale"] == "work_health_outcome" and a["wave"] == "post")
    assert found["n"] == n and found["alpha"] == pytest.approx(alpha, **TOL)
    assert found["ci95_low"] == pytest.approx(1 - (1 - alpha) * ss.f.ppf(0.975, n - 1, (n - 1) * (k - 1)), **TOL)
    assert k >= 3 and found["omega"] == pytest.approx(mcdonald_omega(pd.DataFrame(x))["omega"], **TOL)  # beside alpha
    assert all(a["omega"] is None for a in report["alpha"] if a["k"] < 3)


def test_vignette_decisions_and_mcnemar_match_scipy(study):
    report = campaign_report(study.campaign)
    answers = {}
    for response in db.session.scalars(
            select(Response).join(Enrolment).where(Enrolment.campaign_id == study.campaign.id,
                                                   Enrolment.research_consent.is_(True),
                                                   Enrolment.withdrawn_at.is_(None), Response.submitted_at.is_not(None))):
        answers[response.enrolment_id, response.wave] = response.answer_map()
    decisions = {v["item"]: v for v in report["vignettes"]}
    assert set(decisions) == {f"v{c}_{q}" for c in "csm" for q in ("fit_note", "refer")}
    for item, positive in (("vc_fit_note", "not_fit"), ("vm_refer", "yes")):
        vignette = decisions[item]
        assert vignette["decision"] == positive
        pre = {e: a[item] == positive for (e, w), a in answers.items() if w == "pre" and item in a}
        post = {e: a[item] == positive for (e, w), a in answers.items() if w == "post" and item in a}
        assert vignette["waves"][0]["decision_n"] == sum(pre.values())
        both = sorted(pre.keys() & post.keys())
        b = sum(pre[e] and not post[e] for e in both)
        c = sum(post[e] and not pre[e] for e in both)
        test = vignette["mcnemar"][0]
        assert (test["n_pairs"], test["b"], test["c"]) == (len(both), b, c)
        assert test["p"] == pytest.approx(ss.binomtest(b, b + c, 0.5).pvalue, **TOL)


def test_funnel_counts_only_consenting_participants_who_have_not_withdrawn(study):
    report = campaign_report(study.campaign)
    included, submitted = study.data.included, study.data.submitted
    funnel = report["funnel"]
    assert funnel["enrolled"] == included.sum() < len(included)
    for wave in ("pre", "post", "follow_up"):
        assert funnel[wave] == (included & submitted[wave]).sum()
    assert funnel["post"] >= funnel["reflection"] >= funnel["certificate"] > 0
    assert [m["module"] for m in funnel["modules"]] == list(study.campaign.module_slugs)


def test_withdrawing_removes_a_gp_from_every_number(study):
    before = campaign_report(study.campaign)
    code = study.data.codes[int(np.flatnonzero(study.data.included & study.data.submitted["post"])[0])]
    db.session.execute(update(Enrolment).where(Enrolment.participant_code == code).values(withdrawn_at=utcnow()))
    db.session.commit()
    after = campaign_report(study.campaign)
    assert after["funnel"]["enrolled"] == before["funnel"]["enrolled"] - 1
    assert after["comparisons"][0]["scales"][0]["n_pairs"] == before["comparisons"][0]["scales"][0]["n_pairs"] - 1
    assert code not in dataset_for(study.campaign).participants["participant"].tolist()


def test_attrition_check_is_welch_t_of_baseline_scores(study):
    report = campaign_report(study.campaign)
    scores = independent_scores(study.campaign)
    reached = {e for e, w in scores if w == "post"}
    baseline = [(e, s["expect_cancer"]) for (e, w), s in scores.items() if w == "pre" and s["expect_cancer"] is not None]
    stayed = [v for e, v in baseline if e in reached]
    left = [v for e, v in baseline if e not in reached]
    row = next(r for r in report["attrition"] if r["scale"] == "expect_cancer")
    expected = ss.ttest_ind(stayed, left, equal_var=False)
    assert (row["n_a"], row["n_b"]) == (len(stayed), len(left))
    assert row["t"] == pytest.approx(expected.statistic, **TOL) and row["p"] == pytest.approx(expected.pvalue, **TOL)


def test_breakdowns_cover_everyone_and_match_paired_change_per_group(study):
    report = campaign_report(study.campaign)
    by = {b["by"]: b for b in report["breakdowns"]}
    assert set(by) == {"cohort", "profile:gp_role", "profile:nhs_region"}
    for breakdown in by.values():
        assert sum(row["funnel"]["enrolled"] for row in breakdown["rows"]) == report["funnel"]["enrolled"]
        assert sum(row["funnel"]["pre"] for row in breakdown["rows"]) == report["funnel"]["pre"]
    assert by["cohort"]["rows"][-1]["group"] == "No cohort"
    assert by["profile:gp_role"]["rows"][-1]["group"] == "Not given"
    scores = independent_scores(study.campaign)
    roles = {e.id: (e.profile or {}).get("gp_role") for e in db.session.scalars(select(Enrolment))}
    for row in by["profile:gp_role"]["rows"][:-1]:
        cell = next(c for c in row["scales"] if c["scale"] == "intention_refer")
        first, second = pairs({k: v for k, v in scores.items() if roles[k[0]] == row["group"]},
                              "intention_refer", "pre", "post")
        expected = paired_change(pd.Series(first), pd.Series(second))
        for key in ("n_pairs", "pre_mean", "post_mean", "mean_diff", "cohens_dz"):
            assert cell[key] == pytest.approx(expected[key], **TOL), key


def test_grouped_change_edge_cases_follow_paired_change():
    first = pd.DataFrame({0: [1.0, 2.0, 3.0, 4.0, 5.0]}, index=list("abcde"))
    second = pd.DataFrame({0: [2.0, 3.0, 4.0, 4.0, np.nan]}, index=list("abcde"))
    groups = pd.Series(["same", "same", "same", "one", "none"], index=list("abcde"))
    found = grouped_change(first, second, groups)
    assert found["same", 0]["cohens_dz"] is None  # every difference equal: no SD
    assert found["same", 0]["n_pairs"] == 3 and found["one", 0]["n_pairs"] == 1
    assert ("none", 0) not in found  # no pair at all


def test_vectorised_scores_equal_score_scales_for_every_response(study):
    dataset = dataset_for(study.campaign)
    scores = dataset.scores()
    expected = independent_scores(study.campaign)
    for response_id, row in dataset.responses.iterrows():
        for key, value in expected[row["enrolment_id"], row["wave"]].items():
            got = scores.at[response_id, key]
            assert (value is None and np.isnan(got)) or got == pytest.approx(value, **TOL)


def test_instrument_versions_are_never_pooled_silently(study):
    """Version 2 rewords one cancer item: that scale is analysed per version, the others are pooled."""
    v1 = db.session.scalar(select(InstrumentVersion))
    changed = dict(v1.definition)
    changed["version"] = 2
    changed["sections"] = [
        {**section, "items": [{**block, "items": [{**row, "text": "Reworded."} if row["id"] == "excan_1" else row
                                                  for row in block["items"]]} if block.get("id") == "excan_grid" else block
                              for block in section["items"]]}
        for section in changed["sections"]]
    v2 = InstrumentVersion(slug=v1.slug, version=2, content_hash="v2-test", title=v1.title, definition=changed)
    db.session.add(v2)
    db.session.flush()
    moved = db.session.scalars(select(Response.id).where(Response.wave == "post")).all()[::2]
    db.session.execute(update(Response).where(Response.id.in_(moved)).values(instrument_version_id=v2.id))
    db.session.commit()
    report = campaign_report(study.campaign)
    rows = report["comparisons"][0]["scales"]
    cancer = [row for row in rows if row["scale"] == "expect_cancer"]
    assert [row["instrument_versions"] for row in cancer] == [[1], [2]]
    assert all(row["instrument_versions"] == [1, 2] for row in rows if row["scale"] != "expect_cancer")
    pooled = next(row for row in rows if row["scale"] == "expect_smi")
    # Nobody answered version 2 at baseline, so no version-2 cancer pairs exist; version-1 pairs lost half.
    assert cancer[1]["n_pairs"] == 0 and 0 < cancer[0]["n_pairs"] < pooled["n_pairs"]
    assert any("expect_cancer" in note and "per version" in note for note in report["instrument"]["notes"])
    assert len(report["comparisons"][0]["scales"]) == 13
    assert [v["version"] for v in report["instrument"]["versions"]] == [1, 2]


def test_the_certificate_step_follows_the_campaigns_certificate_rule(study):
    counted = and_(Enrolment.campaign_id == study.campaign.id, Enrolment.research_consent.is_(True),
                   Enrolment.withdrawn_at.is_(None), Certificate.revoked_at.is_(None))
    one, both, revoked = db.session.scalars(select(Certificate).join(Enrolment).where(counted)
                                            .order_by(Certificate.id)).all()[:3]
    revoked.revoked_at = utcnow()
    db.session.commit()
    flags = dataset_for(study.campaign).participants["certificate"]
    assert flags[one.enrolment_id] and flags[both.enrolment_id] and not flags[revoked.enrolment_id]

    # Per-module rule: a certificate for every module counts, one module's alone does not.
    study.campaign.certificate_rule = "module"
    one.scope = both.scope = MODULES[0]
    copied = {c.key: getattr(both, c.key) for c in Certificate.__table__.columns if c.key not in ("id", "code")}
    db.session.add(Certificate(**{**copied, "code": both.code + "M", "scope": MODULES[1]}))
    db.session.commit()
    flags = dataset_for(study.campaign).participants["certificate"]
    assert flags[flags].index.tolist() == [both.enrolment_id]


def test_enrolment_answers_become_groups_with_numbers_in_bands():
    years = categories(pd.Series([0, "4", 7, 12.5, 25, 31, None, ""]))
    assert years.tolist() == ["0 to 4", "0 to 4", "5 to 9", "10 to 19", "20 to 29", "30 or more", "Not given",
                              "Not given"]
    assert categories(pd.Series(["salaried", None, "partner"])).tolist() == ["salaried", "Not given", "partner"]


def test_which_way_is_better_comes_from_the_instrument(study):
    """Version 1 says ``better: lower`` for barriers; flipping another scale in the stored definition flips
    the report's direction, its sentence and the slides' "Better" column."""
    def rows():
        return {row["scale"]: row for row in campaign_report(study.campaign)["comparisons"][0]["scales"]}

    assert rows()["barriers"]["better"] == "lower" and rows()["work_health_outcome"]["better"] == "higher"
    stored = db.session.scalar(select(InstrumentVersion))
    stored.definition = {**stored.definition, "scales": [
        {**scale, "better": "lower"} if scale["key"] == "work_health_outcome" else scale
        for scale in stored.definition["scales"]]}
    stored.content_hash = "flipped-test"
    db.session.commit()
    flipped = rows()["work_health_outcome"]
    assert flipped["better"] == "lower"
    slide = next(r for r in slide_rows(campaign_report(study.campaign)) if r[2].startswith("Work as a health outcome"))
    assert slide[3] == "lower"


def test_the_cell_size_is_the_campaigns_but_never_below_the_platforms(app, study):
    study.campaign.min_cell_size = 12
    assert cell_size(study.campaign) == 12
    study.campaign.min_cell_size = 3
    assert cell_size(study.campaign) == 10
    app.config["MIN_CELL_SIZE"] = 25
    assert cell_size(study.campaign) == 25
