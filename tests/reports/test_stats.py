"""Tests for survey.reports.stats (and survey.reports.reliability).

Run: cd /work/main && .venv/bin/python -m pytest tests/reports/test_stats.py -W error -q
Reference values are SciPy, hand computations written independently of the
module, R's `sleep` data and published worked examples.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as ss

from survey.reports import stats

TOL = dict(rel=1e-9, abs=1e-9)

# R's datasets::sleep (extra sleep, hours), ten subjects, two drugs.
SLEEP_G1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_G2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def ids(n, start=1):
    return [f"P{i:03d}" for i in range(start, start + n)]


def series(values, start=1):
    return pd.Series(values, index=ids(len(values), start), dtype=float)


def strict(fn, *args, **kwargs):
    """Call fn turning any warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def assert_clean(result: dict):
    """Every value is None or a plain, finite int/float (never NaN/numpy)."""
    for key, value in result.items():
        assert value is None or type(value) in (int, float), (key, value)
        if isinstance(value, float):
            assert math.isfinite(value), (key, value)


def hand_average_ranks(values):
    """Average ranks by counting, independent of scipy.stats.rankdata."""
    values = list(values)
    return [sum(w < v for w in values) + (sum(w == v for w in values) + 1) / 2
            for v in values]


def hand_rank_biserial(d):
    nonzero = [x for x in d if x != 0]
    ranks = hand_average_ranks([abs(x) for x in nonzero])
    w_plus = sum(r for r, x in zip(ranks, nonzero) if x > 0)
    w_minus = sum(r for r, x in zip(ranks, nonzero) if x < 0)
    m = len(nonzero)
    return (w_plus - w_minus) / (m * (m + 1) / 2), min(w_plus, w_minus)


def hand_j(df):
    return math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))


# --------------------------------------------------------------- paired_change

def test_paired_keys_exact_and_in_order():
    res = stats.paired_change(series([1, 2, 4]), series([2, 2, 7]))
    assert list(res) == [
        "n_pairs", "pre_mean", "pre_sd", "post_mean", "post_sd", "mean_diff",
        "ci95_low", "ci95_high", "t", "df", "p_t", "wilcoxon_w", "p_wilcoxon",
        "cohens_dz", "dz_ci95_low", "dz_ci95_high", "hedges_gz",
        "rank_biserial"]


def test_paired_sleep_matches_r():
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) gives group1 - group2:
    # t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4599 .. -0.7001,
    # mean difference -1.58.
    res = strict(stats.paired_change, series(SLEEP_G2), series(SLEEP_G1))
    assert_clean(res)
    assert res["n_pairs"] == 10 and res["df"] == 9
    assert round(res["t"], 4) == -4.0621
    assert round(res["p_t"], 6) == 0.002833
    assert round(res["ci95_low"], 4) == -2.4599
    assert round(res["ci95_high"], 4) == -0.7001
    assert res["mean_diff"] == pytest.approx(-1.58, **TOL)
    assert res["pre_mean"] == pytest.approx(2.33, **TOL)   # group 2
    assert res["post_mean"] == pytest.approx(0.75, **TOL)  # group 1
    # One zero difference (subject 5), all others negative: W = 0, r = -1.
    # SciPy 1.17 drops the zero and, because of the zero/ties, uses the
    # exhaustive permutation test: p = 2 / 2**9.  (R's wilcox.test reports
    # V = 0, p = 0.009091 from its normal approximation instead.)
    assert res["wilcoxon_w"] == 0.0
    assert res["p_wilcoxon"] == pytest.approx(2 / 2**9, **TOL)
    assert res["rank_biserial"] == -1.0


@pytest.mark.parametrize("n, seed", [(8, 11), (40, 12), (75, 13)])
def test_paired_matches_scipy_and_hand(n, seed):
    rng = np.random.default_rng(seed)
    pre = rng.normal(50, 10, n)
    post = pre + rng.normal(3, 6, n)
    res = strict(stats.paired_change, series(pre), series(post))
    assert_clean(res)
    d = post - pre
    tt = ss.ttest_rel(post, pre)
    ci = tt.confidence_interval(0.95)
    sd_d = math.sqrt(sum((x - d.mean()) ** 2 for x in d) / (n - 1))
    dz = d.mean() / sd_d
    rb, w_small = hand_rank_biserial(d)
    wx = ss.wilcoxon(d)
    expected = {
        "n_pairs": n, "df": n - 1,
        "pre_mean": np.mean(pre), "pre_sd": np.std(pre, ddof=1),
        "post_mean": np.mean(post), "post_sd": np.std(post, ddof=1),
        "mean_diff": np.mean(d), "ci95_low": ci.low, "ci95_high": ci.high,
        "t": tt.statistic, "p_t": tt.pvalue,
        "wilcoxon_w": wx.statistic, "p_wilcoxon": wx.pvalue,
        "cohens_dz": dz, "hedges_gz": dz * hand_j(n - 1), "rank_biserial": rb,
    }
    for key, value in expected.items():
        assert res[key] == pytest.approx(float(value), **TOL), key
    assert res["wilcoxon_w"] == pytest.approx(w_small, **TOL)
    # the two CIs are hand computations too: mean ± t_.975 · sd / sqrt(n)
    half = ss.t.ppf(0.975, n - 1) * sd_d / math.sqrt(n)
    assert res["ci95_high"] - res["ci95_low"] == pytest.approx(2 * half, **TOL)


def test_paired_hedges_correction_matters_at_n8():
    rng = np.random.default_rng(5)
    pre = rng.normal(0, 1, 8)
    res = stats.paired_change(series(pre), series(pre + rng.normal(1, 1, 8)))
    j = hand_j(7)  # Γ(3.5) / (sqrt(3.5) Γ(3)) = 0.8882...
    assert j == pytest.approx(0.88820, abs=5e-5)
    assert res["hedges_gz"] == pytest.approx(res["cohens_dz"] * j, **TOL)
    assert abs(res["hedges_gz"] - res["cohens_dz"]) > 0.05 * abs(res["cohens_dz"])


@pytest.mark.parametrize("df", [2, 3, 7, 20, 150])
def test_hedges_j_matches_gamma_formula(df):
    assert stats.hedges_j(df) == pytest.approx(hand_j(df), **TOL)


def test_hedges_j_large_df_and_undefined_df():
    # math.gamma overflows here; the gammaln version must stay finite, agree
    # with math.lgamma and with the approximation 1 - 3/(4 df - 1) (error
    # O(df^-2)).
    with pytest.raises(OverflowError):
        hand_j(5000)
    log_j = math.lgamma(2500) - math.lgamma(2499.5)
    assert stats.hedges_j(5000) == pytest.approx(math.exp(log_j) / math.sqrt(2500), **TOL)
    assert stats.hedges_j(5000) == pytest.approx(1 - 3 / (4 * 5000 - 1), abs=1e-8)
    assert stats.hedges_j(1) is None and stats.hedges_j(0) is None


@pytest.mark.parametrize("t_obs, n", [(-4.0621, 10), (0.0, 8), (0.37, 8),
                                      (2.5, 30), (12.0, 15), (-35.0, 200)])
def test_dz_ci_defining_property(t_obs, n):
    low, high = strict(stats.dz_confidence_interval, t_obs, n)
    df, root_n = n - 1, math.sqrt(n)
    assert ss.nct.cdf(t_obs, df, low * root_n) == pytest.approx(0.975, abs=1e-9)
    assert ss.nct.cdf(t_obs, df, high * root_n) == pytest.approx(0.025, abs=1e-9)
    assert low < t_obs / root_n < high


def test_paired_dz_ci_uses_observed_t():
    rng = np.random.default_rng(21)
    pre = rng.normal(0, 1, 9)
    res = stats.paired_change(series(pre), series(pre + rng.normal(0.8, 1, 9)))
    root_n = math.sqrt(9)
    assert res["cohens_dz"] == pytest.approx(res["t"] / root_n, **TOL)
    assert ss.nct.cdf(res["t"], 8, res["dz_ci95_low"] * root_n) == pytest.approx(0.975, abs=1e-9)
    assert ss.nct.cdf(res["t"], 8, res["dz_ci95_high"] * root_n) == pytest.approx(0.025, abs=1e-9)


def test_paired_ties_and_zeros_wilcoxon_drops_zeros():
    pre = [3, 4, 2, 5, 3, 4, 1, 2, 4, 3, 5, 2]
    post = [4, 4, 3, 5, 5, 2, 3, 2, 5, 4, 5, 4]
    d = np.subtract(post, pre, dtype=float)
    assert (d == 0).sum() == 4 and len(set(abs(d[d != 0]))) < (d != 0).sum()
    res = strict(stats.paired_change, series(pre), series(post))
    rb, w_small = hand_rank_biserial(d)
    assert res["wilcoxon_w"] == pytest.approx(w_small, **TOL)  # zeros dropped
    assert res["rank_biserial"] == pytest.approx(rb, **TOL)
    assert res["p_wilcoxon"] == pytest.approx(ss.wilcoxon(d).pvalue, **TOL)
    # |r| = 1 - 2 W / S with S = m(m+1)/2 over the m non-zero differences
    m = (d != 0).sum()
    assert abs(res["rank_biserial"]) == pytest.approx(1 - 2 * w_small / (m * (m + 1) / 2), **TOL)
    # Dropping zeros ourselves gives SciPy's same statistic and p-value.
    assert ss.wilcoxon(d[d != 0]).pvalue == pytest.approx(res["p_wilcoxon"], **TOL)


def test_paired_excludes_unmatched_participants():
    first = pd.Series([10, 11, np.nan, 13, 14, 15, 16],
                      index=["a", "b", "c", "d", "e", "f", "g"], dtype=float)
    second = pd.Series([np.nan, 15, 15, 14, 19, 16, 30],
                       index=["b", "c", "d", "e", "f", "g", "h"], dtype=float)
    # matched: d (13->15), e (14->14), f (15->19), g (16->16);
    # a, h only in one series; b missing in second; c missing in first.
    res = strict(stats.paired_change, first, second)
    expected = stats.paired_change(
        pd.Series([13.0, 14, 15, 16], index=list("defg")),
        pd.Series([15.0, 14, 19, 16], index=list("defg")))
    assert res["n_pairs"] == 4
    assert res["pre_mean"] == pytest.approx(14.5, **TOL)
    assert res["post_mean"] == pytest.approx(16.0, **TOL)
    assert res == expected


def test_paired_aligns_on_index_not_position():
    first = pd.Series([1.0, 2.0, 3.0], index=["x", "y", "z"])
    second = pd.Series([30.0, 10.0, 20.0], index=["z", "x", "y"])
    res = stats.paired_change(first, second)
    assert res["mean_diff"] == pytest.approx(18.0, **TOL)  # 9, 18, 27


@pytest.mark.parametrize("first, second, n", [
    (series([]), series([]), 0),
    (series([1.0, 2.0]), series([5.0, 6.0], start=10), 0),  # no overlap
    (series([1.0, 2.0]), series([3.0, np.nan]), 1),
])
def test_paired_too_few_pairs(first, second, n):
    res = strict(stats.paired_change, first, second)
    assert_clean(res)
    assert res["n_pairs"] == n
    kept = {"n_pairs"} | ({"pre_mean", "post_mean", "mean_diff"} if n else set())
    assert all(v is None for k, v in res.items() if k not in kept)
    if n == 1:
        assert (res["pre_mean"], res["post_mean"], res["mean_diff"]) == (1.0, 3.0, 2.0)


def test_paired_all_differences_zero():
    res = strict(stats.paired_change, series([1, 4, 2, 5]), series([1, 4, 2, 5]))
    assert_clean(res)
    assert res["n_pairs"] == 4 and res["mean_diff"] == 0.0 and res["df"] == 3
    for key in ("ci95_low", "ci95_high", "t", "p_t", "wilcoxon_w", "p_wilcoxon",
                "cohens_dz", "dz_ci95_low", "dz_ci95_high", "hedges_gz",
                "rank_biserial"):
        assert res[key] is None, key


def test_paired_constant_nonzero_difference():
    pre = [1.5, 2.5, 3.25, 4.0, 7.0]
    res = strict(stats.paired_change, series(pre), series([x + 0.5 for x in pre]))
    assert_clean(res)
    assert res["mean_diff"] == pytest.approx(0.5, **TOL)
    for key in ("t", "p_t", "ci95_low", "ci95_high", "cohens_dz", "hedges_gz"):
        assert res[key] is None, key
    assert res["rank_biserial"] == 1.0 and res["wilcoxon_w"] == 0.0
    assert res["p_wilcoxon"] == pytest.approx(ss.wilcoxon([0.5] * 5).pvalue, **TOL)


def test_paired_two_pairs_has_no_hedges_gz():
    res = strict(stats.paired_change, series([1.0, 2.0]), series([2.0, 4.0]))
    assert_clean(res)
    assert res["t"] is not None and res["cohens_dz"] is not None
    assert res["hedges_gz"] is None


def test_paired_rejects_duplicate_ids():
    dup = pd.Series([1.0, 2.0], index=["a", "a"])
    with pytest.raises(ValueError):
        stats.paired_change(dup, pd.Series([1.0], index=["a"]))


# ------------------------------------------------------------------------ holm

def statsmodels_holm(pvals):
    """statsmodels.stats.multitest.multipletests(method='holm'), by hand."""
    pvals = np.asarray(pvals, dtype=float)
    sortind = np.argsort(pvals)
    pvals_sorted = pvals[sortind]
    ntests = len(pvals_sorted)
    corrected = np.maximum.accumulate(pvals_sorted * np.arange(ntests, 0, -1))
    corrected[corrected > 1] = 1
    out = np.empty_like(corrected)
    out[sortind] = corrected
    return out


def test_holm_hand_worked_example():
    # sorted: .005*4 = .02, .01*3 = .03, .03*2 = .06, .04*1 = .04 -> max .06
    got = stats.holm([0.01, None, 0.04, 0.03, 0.005])
    expected = [0.03, None, 0.06, 0.06, 0.02]
    assert got[1] is None
    for g, e in zip(got, expected):
        assert g == pytest.approx(e, **TOL) if e is not None else g is None


def test_holm_published_example_and_nan():
    # pingouin.holm docstring example (same values as R's p.adjust "holm").
    got = stats.holm([0.50, 0.003, 0.32, 0.054, 0.0003])
    assert got == pytest.approx([0.64, 0.012, 0.64, 0.162, 0.0015], **TOL)
    got = stats.holm([0.50, 0.003, float("nan"), 0.054, 0.0003])
    assert got[2] is None
    assert [got[i] for i in (0, 1, 3, 4)] == pytest.approx([0.5, 0.009, 0.108, 0.0012], **TOL)


@pytest.mark.parametrize("seed", range(5))
def test_holm_matches_statsmodels_algorithm(seed):
    rng = np.random.default_rng(seed)
    p = list(rng.uniform(0, 0.3, 12)) + [0.02, 0.02, 0.9, 1.0, 0.0]
    p = [float(x) for x in rng.permutation(p)]
    with_none = p[:5] + [None] + p[5:] + [None]
    got = stats.holm(with_none)
    assert got[5] is None and got[-1] is None
    present = [g for g in got if g is not None]
    assert present == pytest.approx(list(statsmodels_holm(p)), **TOL)
    # properties: >= raw p, <= 1, monotone along the sorted raw p-values
    assert all(a >= b and a <= 1 for a, b in zip(present, p))
    ordered = [present[i] for i in np.argsort(p, kind="stable")]
    assert ordered == sorted(ordered)


def test_holm_capping_degenerate_inputs_and_validation():
    assert stats.holm([0.5, 0.6]) == [1.0, 1.0]
    assert stats.holm([0.04]) == [0.04]
    assert stats.holm([]) == []
    assert stats.holm([None, None]) == [None, None]
    with pytest.raises(ValueError):
        stats.holm([0.1, 1.2])


# ------------------------------------------------------------- cronbach_alpha

def hand_alpha(x):
    """alpha from the covariance matrix: k/(k-1) (1 - trace(C) / sum(C))."""
    c = np.cov(x, rowvar=False, ddof=1)
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


def simulate_items(rng, n, k, loading=0.7):
    true = rng.normal(0, 1, (n, 1))
    return loading * true + rng.normal(0, 1, (n, k))


def test_alpha_matches_hand_and_feldt_formula():
    rng = np.random.default_rng(7)
    x = simulate_items(rng, 60, 5)
    res = strict(stats.cronbach_alpha, pd.DataFrame(x))
    assert_clean(res)
    a = hand_alpha(x)
    df1, df2 = 59, 59 * 4
    assert res["n"] == 60 and res["k"] == 5
    assert res["alpha"] == pytest.approx(a, **TOL)
    assert res["ci95_low"] == pytest.approx(1 - (1 - a) * ss.f.ppf(0.975, df1, df2), **TOL)
    assert res["ci95_high"] == pytest.approx(1 - (1 - a) * ss.f.ppf(0.025, df1, df2), **TOL)
    assert res["ci95_low"] < res["alpha"] < res["ci95_high"]


def test_feldt_published_example():
    # Feldt, Woodruff & Salih (1987): alpha = .79, k = 26, n = 41, 90% CI;
    # cocron's test suite gives (.705, .862) (article: .704/.861 from
    # two-decimal F tables).
    low, high = stats.feldt_interval(0.79, 41, 26, level=0.90)
    assert (round(low, 3), round(high, 3)) == (0.705, 0.862)


def test_feldt_interval_coverage_under_parallel_model():
    rng = np.random.default_rng(2024)
    reps, n, k, lam = 4000, 25, 4, 0.8
    rho = k * lam**2 / (k * lam**2 + 1)  # population alpha of parallel items
    x = lam * rng.normal(size=(reps, n, 1)) + rng.normal(size=(reps, n, k))
    item_var = x.var(axis=1, ddof=1).sum(axis=1)
    total_var = x.sum(axis=2).var(axis=1, ddof=1)
    alpha = k / (k - 1) * (1 - item_var / total_var)
    bounds = np.array([stats.feldt_interval(a, n, k) for a in alpha])
    coverage = np.mean((bounds[:, 0] <= rho) & (rho <= bounds[:, 1]))
    assert 0.935 <= coverage <= 0.965


def test_alpha_listwise_deletion():
    rng = np.random.default_rng(8)
    df = pd.DataFrame(np.round(simulate_items(rng, 30, 4), 1), columns=list("abcd"))
    df.iloc[2, 1] = np.nan
    df.iloc[7, 3] = np.nan
    df.iloc[7, 0] = np.nan
    res = strict(stats.cronbach_alpha, df)
    assert res["n"] == 28 and res["k"] == 4
    assert res["alpha"] == pytest.approx(hand_alpha(df.dropna().to_numpy()), **TOL)


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": [1.0], "b": [2.0]}),                       # n = 1
    pd.DataFrame({"a": [1.0, 2.0, 3.0]}),                         # k = 1
    pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]}),   # totals constant
    pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]}),       # no complete case
])
def test_alpha_undefined_returns_none(frame):
    res = strict(stats.cronbach_alpha, frame)
    assert_clean(res)
    assert res["alpha"] is None and res["ci95_low"] is None and res["ci95_high"] is None
    assert res["n"] == len(frame.dropna()) and res["k"] == frame.shape[1]


# -------------------------------------------------------------- mcnemar_exact

def hand_exact_mcnemar(b, c):
    n = b + c
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


def test_mcnemar_counts_and_exact_p():
    rng = np.random.default_rng(3)
    before = pd.Series(rng.random(80) < 0.4, index=ids(80), dtype="boolean")
    after = pd.Series(rng.random(80) < 0.6, index=ids(80, start=6), dtype="boolean")
    before.iloc[[3, 9]] = pd.NA  # P004 (not in `after` anyway), P010
    after.iloc[20] = pd.NA       # P026
    # overlap P006..P080 = 75 ids, minus P010 and P026 -> 73 matched pairs
    res = strict(stats.mcnemar_exact, before, after)
    joined = pd.concat([before, after], axis=1, join="inner").dropna()
    pre, post = joined[0].astype(bool), joined[1].astype(bool)
    b, c = int((pre & ~post).sum()), int((~pre & post).sum())
    assert res["n_pairs"] == len(joined) == 73
    assert (res["b"], res["c"]) == (b, c)
    assert b + c > 0 and b != c
    assert res["p"] == pytest.approx(hand_exact_mcnemar(b, c), **TOL)
    assert res["p"] == pytest.approx(ss.binomtest(b, b + c, 0.5).pvalue, **TOL)


def test_mcnemar_small_hand_example():
    before = pd.Series([True] * 6 + [False] * 4)
    after = pd.Series([False] * 5 + [True] * 2 + [False] * 2 + [True])
    res = stats.mcnemar_exact(before, after)
    # b = 5 (True -> False), c = 2 (False -> True); p = 2 * 29/128
    assert (res["n_pairs"], res["b"], res["c"]) == (10, 5, 2)
    assert res["p"] == pytest.approx(58 / 128, **TOL)


def test_mcnemar_no_discordant_pairs_and_empty():
    same = pd.Series([True, False, True])
    assert stats.mcnemar_exact(same, same) == {"n_pairs": 3, "b": 0, "c": 0, "p": 1.0}
    empty = pd.Series([], dtype=bool)
    assert stats.mcnemar_exact(empty, empty) == {"n_pairs": 0, "b": 0, "c": 0, "p": 1.0}


def test_mcnemar_rejects_non_boolean():
    with pytest.raises(ValueError):
        stats.mcnemar_exact(pd.Series([1, 2]), pd.Series([0, 1]))


# -------------------------------------------------------------------- welch_t

def test_welch_sleep_matches_r():
    # R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776,
    # p-value = 0.07939
    res = strict(stats.welch_t, series(SLEEP_G1), series(SLEEP_G2))
    assert_clean(res)
    assert round(res["t"], 4) == -1.8608
    assert round(res["df"], 3) == 17.776
    assert round(res["p"], 5) == 0.07939


@pytest.mark.parametrize("n_a, n_b, seed", [(12, 30, 1), (50, 9, 2)])
def test_welch_matches_scipy_and_hand(n_a, n_b, seed):
    rng = np.random.default_rng(seed)
    a = pd.Series(np.append(rng.normal(10, 2, n_a), np.nan))
    b = pd.Series(rng.normal(11, 5, n_b))
    res = strict(stats.welch_t, a, b)
    assert_clean(res)
    xa, xb = a.dropna().to_numpy(), b.to_numpy()
    tt = ss.ttest_ind(xa, xb, equal_var=False)
    va, vb = xa.var(ddof=1) / n_a, xb.var(ddof=1) / n_b
    df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
    assert (res["n_a"], res["n_b"]) == (n_a, n_b)
    assert res["mean_a"] == pytest.approx(xa.mean(), **TOL)
    assert res["sd_b"] == pytest.approx(xb.std(ddof=1), **TOL)
    assert res["t"] == pytest.approx(tt.statistic, **TOL)
    assert res["t"] == pytest.approx((xa.mean() - xb.mean()) / math.sqrt(va + vb), **TOL)
    assert res["df"] == pytest.approx(df, **TOL)
    assert res["df"] == pytest.approx(float(tt.df), **TOL)
    assert res["p"] == pytest.approx(tt.pvalue, **TOL)


@pytest.mark.parametrize("a, b", [
    ([1.0], [2.0, 3.0, 4.0]),            # n_a < 2
    ([], [2.0, 3.0]),                    # empty group
    ([2.0, 2.0, 2.0], [5.0, 5.0]),       # both zero variance
])
def test_welch_undefined_returns_none(a, b):
    res = strict(stats.welch_t, pd.Series(a, dtype=float), pd.Series(b, dtype=float))
    assert_clean(res)
    assert res["t"] is None and res["df"] is None and res["p"] is None
    assert res["n_a"] == len(a) and res["n_b"] == len(b)
    assert (res["mean_a"] is None) == (len(a) == 0)


def test_welch_with_one_constant_group_is_defined_and_silent():
    # A small cohort where everyone who left answered alike: only the other group's variance counts.
    a, b = [3.0, 3.0, 3.0], [2.0, 4.0, 5.0, 3.5]
    res = strict(stats.welch_t, pd.Series(a), pd.Series(b))
    xb = np.array(b)
    assert res["t"] == pytest.approx((3.0 - xb.mean()) / math.sqrt(xb.var(ddof=1) / 4), **TOL)
    assert res["df"] == pytest.approx(3.0, **TOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert res["p"] == pytest.approx(ss.ttest_ind(a, b, equal_var=False).pvalue, **TOL)
