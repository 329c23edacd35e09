"""Pure statistical helpers for survey reports (no Flask, no database).

Every function returns plain Python numbers (``int``/``float``) or ``None``.
``None`` means "cannot be computed for these data" -- never NaN.
Cronbach's alpha lives in :mod:`reliability` (re-exported here).

Conventions
-----------
* Series are indexed by participant id; paired functions align on that index
  and keep only *matched pairs* (id present in both series and both values
  non-missing).  Duplicate ids are a data error and raise ``ValueError``.
* SDs use ``ddof=1``.  A set of values "has zero variance" when all values are
  identical (tested exactly, so rounding in the mean cannot fake a tiny SD).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .reliability import cronbach_alpha, feldt_interval

__all__ = [
    "paired_change", "holm", "cronbach_alpha", "feldt_interval",
    "mcnemar_exact", "welch_t", "hedges_j", "dz_confidence_interval",
]

PAIRED_KEYS = (
    "n_pairs", "pre_mean", "pre_sd", "post_mean", "post_sd", "mean_diff",
    "ci95_low", "ci95_high", "t", "df", "p_t", "wilcoxon_w", "p_wilcoxon",
    "cohens_dz", "dz_ci95_low", "dz_ci95_high", "hedges_gz", "rank_biserial",
)


def _num(x) -> float | None:
    """Plain float, or None for None/NaN/inf."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _matched_pairs(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The values of the participants in both series with neither value missing, in ``first``'s order (an inner
    join on participant id, as ``pd.concat(join="inner").dropna()`` gives, in numpy: a report asks for 54)."""
    for name, s in (("first", first), ("second", second)):
        if not s.index.is_unique:
            raise ValueError(f"duplicate participant ids in {name!r}")
    where = second.index.get_indexer(first.index)
    both = where >= 0
    first_values, second_values = first.to_numpy()[both], second.to_numpy()[where[both]]
    complete = ~(pd.isna(first_values) | pd.isna(second_values))
    return first_values[complete], second_values[complete]


def hedges_j(df: int) -> float | None:
    """Small-sample correction J = Γ(df/2) / (sqrt(df/2) · Γ((df-1)/2)).

    Computed on the log scale with ``gammaln``.  None for df < 2, where
    Γ((df-1)/2) is infinite/undefined (J would degenerate to 0).
    """
    if df < 2:
        return None
    log_j = special.gammaln(df / 2) - special.gammaln((df - 1) / 2)
    return float(math.exp(log_j) / math.sqrt(df / 2))


def _solve_ncp(t_obs: float, df: int, prob: float) -> float | None:
    """ncp with nct.cdf(t_obs, df, ncp) == prob (cdf decreases in ncp)."""
    # nct.cdf's own kernel, called without the distribution's argument checks around it: the same number,
    # for a twentieth of the time (about 800 calls a report).
    def f(ncp: float) -> float:
        return float(special.nctdtr(df, ncp, t_obs)) - prob

    lo, hi, step = t_obs - 1.0, t_obs + 1.0, 1.0
    for _ in range(60):  # widen the bracket until the sign changes
        if f(lo) > 0 and f(hi) < 0:
            return float(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-14))
        step *= 2
        if f(lo) <= 0:
            lo -= step
        if f(hi) >= 0:
            hi += step
    return None


def dz_confidence_interval(t_obs: float, n: int) -> tuple:
    """95% CI for Cohen's dz by inverting the noncentral t distribution.

    Rule: with df = n - 1, find ncp_low with nct.cdf(t_obs, df, ncp_low) =
    0.975 and ncp_high with nct.cdf(t_obs, df, ncp_high) = 0.025 (brentq);
    the interval is (ncp_low / sqrt(n), ncp_high / sqrt(n)).
    (None, None) if n < 2, t_obs is not finite or a root is not bracketed.
    """
    if n < 2 or not math.isfinite(t_obs):
        return None, None
    lo = _solve_ncp(t_obs, n - 1, 0.975)
    hi = _solve_ncp(t_obs, n - 1, 0.025)
    if lo is None or hi is None:
        return None, None
    return lo / math.sqrt(n), hi / math.sqrt(n)


def _signed_rank_part(d: np.ndarray) -> dict:
    """Wilcoxon W, its p and the matched-pairs rank-biserial r."""
    nonzero = d[d != 0]
    m = len(nonzero)
    if m == 0:
        return {"wilcoxon_w": None, "p_wilcoxon": None, "rank_biserial": None}
    res = stats.wilcoxon(d)  # SciPy defaults on the full d; see paired_change
    ranks = stats.rankdata(np.abs(nonzero), method="average")
    w_plus = ranks[nonzero > 0].sum()
    w_minus = ranks[nonzero < 0].sum()
    return {
        "wilcoxon_w": _num(res.statistic),
        "p_wilcoxon": _num(res.pvalue),
        "rank_biserial": float((w_plus - w_minus) / (m * (m + 1) / 2)),
    }


def paired_change(first: pd.Series, second: pd.Series) -> dict:
    """Pre/post change on matched pairs (second wave minus first wave).

    Rules:
    * Only participants present in both series with both values non-missing.
      ``pre_*`` describe ``first``, ``post_*`` describe ``second``;
      ``mean_diff`` = mean(second - first); SDs use ddof = 1.
    * ci95_low/high: mean_diff ± t(0.975, n-1) · SD(d)/sqrt(n).
    * t, df, p_t: ``scipy.stats.ttest_rel(second, first)``, two-sided.
    * cohens_dz = mean_diff / SD(d); dz_ci95_*: noncentral-t inversion, see
      :func:`dz_confidence_interval`; hedges_gz = dz · :func:`hedges_j`(n-1).
    * wilcoxon_w, p_wilcoxon: ``scipy.stats.wilcoxon(second - first)`` with
      SciPy's defaults.  In SciPy 1.17 these are zero_method="wilcox",
      correction=False, method="auto": zero differences are DISCARDED (W is
      the smaller of W+ and W- over the non-zero differences).  "auto" picks
      the p-value method from len(d) *including* zeros: > 50 -> normal
      approximation (tie-corrected, no continuity correction); <= 50 with no
      ties and no zeros -> exact null distribution; ties or zeros and
      len(d) <= 13 -> exhaustive sign-flip permutation test (deterministic);
      ties or zeros and 14..50 -> normal approximation.  SciPy itself
      returns NaN (with a RuntimeWarning) when every difference is zero; we
      return None without calling it.
    * rank_biserial = (W+ - W-) / (m(m+1)/2) over the m non-zero differences,
      average ranks for tied |d|; positive means second > first.

    Edge cases (never raise, never NaN): n_pairs is always reported.
    n_pairs == 0: everything else None.  n_pairs == 1: only the means and
    mean_diff.  All differences identical (SD(d) = 0, including all zero):
    t, p_t, the CI, dz, its CI and gz are None; the Wilcoxon statistics and
    rank_biserial are None only when every difference is zero.
    hedges_gz is None for n_pairs == 2 (J undefined for df = 1).
    """
    pre, post = (values.astype(float) for values in _matched_pairs(first, second))
    out: dict = dict.fromkeys(PAIRED_KEYS)
    n = len(pre)
    out["n_pairs"] = n
    if n == 0:
        return out
    d = post - pre
    out.update(pre_mean=_num(pre.mean()), post_mean=_num(post.mean()),
               mean_diff=_num(d.mean()))
    if n < 2:
        return out
    out.update(pre_sd=_num(pre.std(ddof=1)), post_sd=_num(post.std(ddof=1)),
               df=n - 1)
    out.update(_signed_rank_part(d))
    if np.ptp(d) == 0:
        return out
    sd_d = float(d.std(ddof=1))
    half_width = stats.t.ppf(0.975, n - 1) * sd_d / math.sqrt(n)
    res = stats.ttest_rel(post, pre)
    dz = float(d.mean()) / sd_d
    dz_low, dz_high = dz_confidence_interval(float(res.statistic), n)
    j = hedges_j(n - 1)
    out.update(
        ci95_low=_num(d.mean() - half_width),
        ci95_high=_num(d.mean() + half_width),
        t=_num(res.statistic), p_t=_num(res.pvalue),
        cohens_dz=_num(dz), dz_ci95_low=dz_low, dz_ci95_high=dz_high,
        hedges_gz=None if j is None else _num(dz * j),
    )
    return out


def _is_missing(p) -> bool:
    return p is None or (isinstance(p, float) and math.isnan(p))


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm (1979) step-down adjusted p-values, in the input order.

    Rule: drop missing entries (None or NaN); with the m remaining p-values
    sorted ascending, p_(1) <= ... <= p_(m),
        adj_(i) = max_{j <= i} min(1, (m - j + 1) · p_(j)),
    which is monotone in the sorted order and capped at 1.  Missing entries
    are returned as None and do not count towards m.  Tied p-values get the
    same adjusted value.  Raises ValueError for a p-value outside [0, 1].
    """
    present = [i for i, p in enumerate(p_values) if not _is_missing(p)]
    for i in present:
        if not 0.0 <= float(p_values[i]) <= 1.0:
            raise ValueError(f"p-value out of [0, 1]: {p_values[i]!r}")
    order = sorted(present, key=lambda i: float(p_values[i]))
    m = len(order)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):  # rank 0 gets multiplier m
        running = max(running, min(1.0, (m - rank) * float(p_values[i])))
        adjusted[i] = running
    return adjusted


def mcnemar_exact(before: pd.Series, after: pd.Series) -> dict:
    """Exact McNemar test on matched pairs of booleans.

    Rule: align on participant id, keep pairs with both values non-missing
    (values must be True/False or 1/0, else ValueError).
    b = count(True -> False), c = count(False -> True);
    p = scipy.stats.binomtest(b, b + c, 0.5).pvalue (exact, two-sided),
    and p = 1.0 when b + c = 0 (no discordant pairs, including n_pairs = 0).
    """
    first, second = _matched_pairs(before, after)
    values = set(first.tolist()) | set(second.tolist())
    if not values <= {True, False}:
        raise ValueError(f"non-boolean values: {sorted(map(repr, values))}")
    pre, post = first.astype(bool), second.astype(bool)
    b = int(np.sum(pre & ~post))
    c = int(np.sum(~pre & post))
    p = 1.0 if b + c == 0 else float(stats.binomtest(b, b + c, 0.5).pvalue)
    return {"n_pairs": len(pre), "b": b, "c": c, "p": p}


def _describe(x: np.ndarray) -> tuple:
    n = len(x)
    mean = _num(x.mean()) if n >= 1 else None
    sd = _num(x.std(ddof=1)) if n >= 2 else None
    return n, mean, sd


def welch_t(a: pd.Series, b: pd.Series) -> dict:
    """Welch's unequal-variance t test of two independent groups.

    Rule: missing values are dropped (groups are not aligned on the index).
    t, p = scipy.stats.ttest_ind(a, b, equal_var=False) (two-sided, a - b);
    df = (va + vb)^2 / (va^2/(n_a-1) + vb^2/(n_b-1)) with va = s_a^2/n_a,
    vb = s_b^2/n_b (Welch-Satterthwaite).  Used for the attrition check
    (first-wave scores of those who did vs did not reach the second wave).
    t, df, p are None when a group has fewer than 2 values or both groups
    have zero variance; a mean is None for an empty group, an SD for n < 2.
    One group of identical values is fine (its variance is 0).
    """
    xa = pd.Series(a).dropna().to_numpy(dtype=float)
    xb = pd.Series(b).dropna().to_numpy(dtype=float)
    n_a, mean_a, sd_a = _describe(xa)
    n_b, mean_b, sd_b = _describe(xb)
    out = {"n_a": n_a, "mean_a": mean_a, "sd_a": sd_a,
           "n_b": n_b, "mean_b": mean_b, "sd_b": sd_b,
           "t": None, "df": None, "p": None}
    if n_a < 2 or n_b < 2 or (np.ptp(xa) == 0 and np.ptp(xb) == 0):
        return out
    va, vb = sd_a**2 / n_a, sd_b**2 / n_b
    df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
    with warnings.catch_warnings():
        # One group with identical values: SciPy warns of "precision loss", but its variance
        # is exactly 0 and Welch's t stays well defined (only the other group's variance counts).
        warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        res = stats.ttest_ind(xa, xb, equal_var=False)
    out.update(t=_num(res.statistic), df=_num(df), p=_num(res.pvalue))
    return out
