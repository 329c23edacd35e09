"""ICC(2,1) and ICC(3,1) against the published worked example and against an independent
ANOVA computed with SciPy."""
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.stats as ss

from survey.reports.retest import intraclass

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
