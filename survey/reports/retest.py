"""Test-retest reliability as intraclass correlations (Shrout and Fleiss 1979). Pure.

For a scale answered twice by the same GPs (e.g. baseline and a retest about 2 weeks later,
before any teaching), rows are GPs and columns are the two occasions. From the two-way ANOVA
mean squares (rows MSR, columns MSC, error MSE; n GPs, k occasions):

* ICC(2,1), two-way random effects, absolute agreement, single measure:
  (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n). It counts a systematic shift between
  occasions as unreliability, so it is the one to report for a retest.
* ICC(3,1), two-way mixed effects, consistency, single measure: (MSR - MSE) / (MSR + (k - 1) MSE).

GPs missing either occasion are left out (complete cases).
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ICC:
    n: int  #: GPs with every occasion
    k: int  #: occasions
    icc2_1: float | None
    icc3_1: float | None


def intraclass(scores) -> ICC:
    """ICC(2,1) and ICC(3,1) of an n x k array of scores (NaN rows are dropped); None below 2 complete rows."""
    x = np.asarray(scores, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape if x.ndim == 2 else (0, 0)
    if n < 2 or k < 2:
        return ICC(n, k, None, None)
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    msr, msc, mse = ss_rows / (n - 1), ss_cols / (k - 1), ss_error / ((n - 1) * (k - 1))
    consistency = msr + (k - 1) * mse
    absolute = consistency + k * (msc - mse) / n
    return ICC(n, k, (msr - mse) / absolute if absolute else None, (msr - mse) / consistency if consistency else None)
