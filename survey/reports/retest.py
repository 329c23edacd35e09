"""Test-retest reliability as intraclass correlations (Shrout and Fleiss 1979). Pure.

For a scale answered twice by the same GPs (e.g. baseline and a retest about 2 weeks later,
before any teaching), rows are GPs and columns are the two occasions. From the two-way ANOVA
mean squares (rows MSR, columns MSC, error MSE; n GPs, k occasions):

* ICC(2,1), two-way random effects, absolute agreement, single measure:
  (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n). It counts a systematic shift between
  occasions as unreliability, so it is the one to report for a retest.
* ICC(3,1), two-way mixed effects, consistency, single measure: (MSR - MSE) / (MSR + (k - 1) MSE).

The 95% interval of ICC(2,1) is McGraw and Wong's (1996, Psychol Methods 1:30-46, case 2A) F-based
interval with Satterthwaite's degrees of freedom, as R's ``psych::ICC`` computes it (checked against it:
tests/reports/fixtures/icc_reference.R). GPs missing either occasion are left out (complete cases).
"""
from dataclasses import dataclass

import numpy as np
from scipy import stats

from survey.reports.dataset import scale_entry, scale_pairs


@dataclass(frozen=True)
class ICC:
    n: int  #: GPs with every occasion
    k: int  #: occasions
    icc2_1: float | None
    icc3_1: float | None
    ci95_low: float | None = None  #: of ICC(2,1)
    ci95_high: float | None = None


def agreement_interval(msr: float, msc: float, mse: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """McGraw and Wong's interval for ICC(2,1) (absolute agreement, single measure) from the ANOVA mean squares.

    With icc = ICC(2,1), Fj = MSC / MSE and v the Satterthwaite degrees of freedom
    (k-1)(n-1) (k icc Fj + n (1 + (k-1) icc) - k icc)^2 / ((n-1) k^2 icc^2 Fj^2 + (n (1 + (k-1) icc) - k icc)^2),
    F* = F(1 - (1-level)/2; n-1, v) and F_* = F(1 - (1-level)/2; v, n-1):
    lower = n (MSR - F* MSE) / (F* (k MSC + (kn - k - n) MSE) + n MSR),
    upper = n (F_* MSR - MSE) / (k MSC + (kn - k - n) MSE + n F_* MSR).
    """
    icc = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    fj = msc / mse
    spread = n * (1 + (k - 1) * icc) - k * icc
    v = (k - 1) * (n - 1) * (k * icc * fj + spread) ** 2 / ((n - 1) * k ** 2 * icc ** 2 * fj ** 2 + spread ** 2)
    q = 1 - (1 - level) / 2
    f_upper, f_lower = stats.f.ppf(q, n - 1, v), stats.f.ppf(q, v, n - 1)
    others = k * msc + (k * n - k - n) * mse
    return (float(n * (msr - f_upper * mse) / (f_upper * others + n * msr)),
            float(n * (f_lower * msr - mse) / (others + n * f_lower * msr)))


def intraclass(scores) -> ICC:
    """ICC(2,1) with its 95% interval and ICC(3,1) of an n x k array of scores (NaN rows are dropped); None below
    2 complete rows, and no interval when the two occasions agree exactly (no error variance)."""
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
    interval = agreement_interval(msr, msc, mse, n, k) if absolute and mse > 0 else (None, None)
    return ICC(n, k, (msr - mse) / absolute if absolute else None, (msr - mse) / consistency if consistency else None,
               *interval)


#: The repeated baselines a campaign can have, each taken before any teaching: (wave, what it is).
RETESTS = (("retest", "Retest about 2 weeks after the baseline (a random subsample, before opening any module)"),
           ("pre2", "Second baseline of the group that started later (after the wait, before the course)"))


def retest_reliability(ds, scales) -> list[dict]:
    """Per scale and per repeated baseline answered (retest, the delayed arm's second baseline): ICC(2,1) with
    its 95% interval and ICC(3,1) between the baseline and the repeat, GPs with both scores only."""
    answered = set(ds.responses["wave"].unique()) if "wave" in ds.responses else set()
    found = []
    for wave, label in RETESTS:
        if wave not in answered:
            continue
        for variant in scales:
            first, second = scale_pairs(ds, variant, "pre", wave)
            pairs = np.column_stack([first.reindex(second.index).to_numpy(dtype=float), second.to_numpy(dtype=float)]) \
                if len(second) else np.empty((0, 2))
            icc = intraclass(pairs)
            found.append({**scale_entry(variant), "wave": wave, "label_repeat": label, "n": icc.n,
                          "icc2_1": icc.icc2_1, "ci95_low": icc.ci95_low, "ci95_high": icc.ci95_high,
                          "icc3_1": icc.icc3_1})
    return found
