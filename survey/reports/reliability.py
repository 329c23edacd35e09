"""Internal-consistency reliability (Cronbach's alpha with a Feldt CI).

Pure functions: numpy/pandas/scipy only.  Results are plain floats or None.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["cronbach_alpha", "feldt_interval"]


def feldt_interval(alpha: float, n: int, k: int,
                   level: float = 0.95) -> tuple[float, float]:
    """Feldt confidence interval for coefficient alpha.

    Rule (Feldt, 1965; Feldt, Woodruff & Salih, 1987, p. 95, formulas 6-7):
    under the parallel-items normal model (1 - rho) / (1 - alpha_hat) follows
    an F distribution with df1 = n - 1 and df2 = (n - 1)(k - 1), so with
    g = (1 - level) / 2
        lower = 1 - (1 - alpha_hat) · F(1 - g; n - 1, (n - 1)(k - 1))
        upper = 1 - (1 - alpha_hat) · F(g;     n - 1, (n - 1)(k - 1))
    where F(q; df1, df2) is the q-quantile.  For level = 0.95 this is
    F(0.975; ...) for the lower and F(0.025; ...) for the upper bound.  This
    is the form used by R's cocron::cronbach.alpha.CI and
    psychometric::alpha.CI.  (statpsych::ci.cronbach uses df2 = n(k - 1)
    instead, giving slightly different limits.)  Requires n >= 2, k >= 2.
    """
    if n < 2 or k < 2:
        raise ValueError("Feldt interval needs n >= 2 and k >= 2")
    g = (1.0 - level) / 2.0
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - g, df1, df2)
    upper = 1.0 - (1.0 - alpha) * stats.f.ppf(g, df1, df2)
    return float(lower), float(upper)


def cronbach_alpha(items: pd.DataFrame) -> dict:
    """Cronbach's alpha of the item columns, with a 95% Feldt CI.

    Rule: rows with any missing item are dropped (listwise, complete cases);
    n = remaining rows, k = number of item columns;
        alpha = k / (k - 1) · (1 - sum(item variances) / variance(row totals))
    with ddof = 1 variances (the ddof cancels).  ci95_low / ci95_high are
    :func:`feldt_interval` with level 0.95.  alpha and its CI are None when
    n < 2, k < 2 or the row totals have zero variance (all identical);
    n and k are always reported.  Returns keys alpha, ci95_low, ci95_high,
    n, k.
    """
    complete = items.dropna(how="any")
    n, k = complete.shape
    out = {"alpha": None, "ci95_low": None, "ci95_high": None, "n": n, "k": k}
    if n < 2 or k < 2:
        return out
    x = complete.to_numpy(dtype=float)
    totals = x.sum(axis=1)
    if np.ptp(totals) == 0:
        return out
    item_var = x.var(axis=0, ddof=1).sum()
    alpha = k / (k - 1) * (1.0 - item_var / totals.var(ddof=1))
    if not math.isfinite(alpha):
        return out
    low, high = feldt_interval(alpha, n, k)
    out.update(alpha=float(alpha), ci95_low=low, ci95_high=high)
    return out
