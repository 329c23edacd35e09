"""ICC(2,1) and ICC(3,1) against the published worked example, an independent ANOVA computed with SciPy,
and R's psych::ICC (fixtures/icc_reference.R, with the interval); and the report's table built from them."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.stats as ss

from survey.library import library
from survey.reports.dataset import CampaignInfo, Dataset, Version, variants
from survey.reports.retest import intraclass, retest_reliability

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "shrout_fleiss_1979.json").read_text())


def test_the_published_example_is_reproduced():
    found = intraclass(FIXTURE["ratings"])
    assert (found.n, found.k) == (6, 4)
    assert round(found.icc2_1, 2) == FIXTURE["published"]["icc2_1"]
    assert round(found.icc3_1, 2) == FIXTURE["published"]["icc3_1"]


def test_agrees_with_mean_squares_from_scipy_on_retest_like_data():
    rng = np.random.default_rng(4)
    trait = rng.normal(3.5, 0.6, 80)
    x = np.column_stack([trait + rng.normal(0, 0.3, 80), trait + 0.1 + rng.normal(0, 0.3, 80)])
    n, k = x.shape
    # Rows mean square from a one-way ANOVA across GPs' pairs; columns from the two occasions' means.
    f_rows = ss.f_oneway(*x)  # one group per GP (its two occasions)
    within = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum() / (n * (k - 1))
    msr = f_rows.statistic * within
    msc = n * ((x.mean(axis=0) - x.mean()) ** 2).sum() / (k - 1)
    mse = (within * n * (k - 1) - msc * (k - 1)) / ((n - 1) * (k - 1))
    found = intraclass(x)
    assert found.icc3_1 == pytest.approx((msr - mse) / (msr + (k - 1) * mse), rel=1e-9)
    assert found.icc2_1 == pytest.approx((msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n), rel=1e-9)
    assert found.icc2_1 < found.icc3_1  # the shift between occasions counts against absolute agreement


def test_incomplete_rows_are_dropped_and_too_few_give_none():
    assert intraclass([[1, 2], [np.nan, 3], [2, 2], [4, 5]]).n == 3
    assert intraclass([[1, 2]]).icc2_1 is None


PAIRS = pd.read_csv(Path(__file__).parent / "fixtures" / "icc_pairs.csv")
EXPECTED = pd.read_csv(Path(__file__).parent / "fixtures" / "icc_expected.csv").set_index("dataset")


@pytest.mark.parametrize("dataset", list(EXPECTED.index))
def test_icc2_1_and_its_interval_match_r_psych(dataset):
    pairs = PAIRS[PAIRS["dataset"] == dataset][["first", "second"]].to_numpy()
    found, expected = intraclass(pairs), EXPECTED.loc[dataset]
    assert found.n == expected["n"]
    for key in ("icc2_1", "ci95_low", "ci95_high", "icc3_1"):
        assert getattr(found, key) == pytest.approx(expected[key], abs=1e-6), key


def _dataset_with_repeats(first: np.ndarray, second: np.ndarray, wave: str) -> Dataset:
    """GPs whose every item of every scored scale is answered so that the scale scores are ``first`` at the
    baseline and ``second`` at ``wave`` (whole points; reverse-keyed items answered the other way round)."""
    definition = library().instruments["gp-work-health-attitudes"].data
    questions = {q.id: q for q in definition.questions()}
    items = [i for s in definition.scored_scales for i in s.items]
    n = len(first)
    responses = pd.DataFrame({"enrolment_id": np.tile(np.arange(1, n + 1), 2), "wave": ["pre"] * n + [wave] * n,
                              "version_id": 1}, index=pd.RangeIndex(1, 2 * n + 1))
    scores = np.concatenate([first, second]).astype(int)
    answers = pd.DataFrame({item: pd.Categorical([str(6 - s if questions[item].reverse else s) for s in scores])
                            for item in items}, index=responses.index)
    info = CampaignInfo("c", "C", 10, [], [])
    participants = pd.DataFrame({"participant": [f"P{i}" for i in range(1, n + 1)]}, index=np.arange(1, n + 1))
    return Dataset(info, participants, responses, answers, {1: Version(1, 2, definition)})


@pytest.mark.parametrize("wave", ["retest", "pre2"])
def test_the_reports_retest_table_matches_r_for_every_scale_and_names_the_repeat(app, wave):
    pairs = PAIRS[PAIRS["dataset"] == "small"]
    ds = _dataset_with_repeats(pairs["first"].to_numpy(), pairs["second"].to_numpy(), wave)
    rows = retest_reliability(ds, variants(ds.versions, "scale"))
    expected = EXPECTED.loc["small"]
    assert {row["wave"] for row in rows} == {wave} and len(rows) == len(ds.versions[1].definition.scored_scales)
    assert ("Retest" if wave == "retest" else "Second baseline") in rows[0]["label_repeat"]
    for row in rows:
        assert row["n"] == expected["n"]
        assert row["icc2_1"] == pytest.approx(expected["icc2_1"], abs=1e-6)
        assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((expected["ci95_low"], expected["ci95_high"]), abs=1e-6)


def test_a_campaign_without_a_repeat_has_no_retest_rows(app):
    pairs = PAIRS[PAIRS["dataset"] == "small"]
    ds = _dataset_with_repeats(pairs["first"].to_numpy(), pairs["second"].to_numpy(), "post")
    assert retest_reliability(ds, variants(ds.versions, "scale")) == []
