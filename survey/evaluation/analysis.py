"""The analyses of a controlled campaign: ANCOVA of the outcome on arm and baseline, a linear mixed
model over all waves, and the balance of those who stayed and those who left.

Pure: no Flask, no database; plain numbers out (``None`` where a number cannot be computed, never
NaN). Checked against R (``stats::lm`` and ``lme4::lmer``) in ``tests/evaluation/``.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLM, VCSpec
from statsmodels.tools.sm_exceptions import ConvergenceWarning


def _num(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def ancova(data: pd.DataFrame, treated: str, control: str, outcome: str = "post", baseline: str = "pre",
           arm: str = "arm") -> dict | None:
    """The difference between arms in ``outcome`` adjusted for ``baseline`` (ANCOVA, ordinary least
    squares: outcome ~ baseline + arm), ``treated`` minus ``control``, with its 95% interval in the
    scale's points. Complete cases only. The standardised effect divides by the pooled within-arm SD of
    the baseline (Morris 2008, for pretest-posttest-control designs), which the course cannot have moved.
    None when either arm has fewer than two complete cases.
    """
    rows = data.loc[data[arm].isin([treated, control]), [outcome, baseline, arm]].dropna()
    counts = rows[arm].value_counts()
    if counts.get(treated, 0) < 2 or counts.get(control, 0) < 2:
        return None
    design = np.column_stack([np.ones(len(rows)), rows[baseline].to_numpy(float),
                              (rows[arm] == treated).to_numpy(float)])
    fit = sm.OLS(rows[outcome].to_numpy(float), design).fit()
    low, high = fit.conf_int(0.05)[2]
    sd_baseline = _pooled_sd(rows.loc[rows[arm] == treated, baseline], rows.loc[rows[arm] == control, baseline])
    estimate = float(fit.params[2])
    return {
        "n": int(len(rows)), "n_treated": int(counts[treated]), "n_control": int(counts[control]),
        "estimate": estimate, "se": _num(fit.bse[2]), "ci95_low": _num(low), "ci95_high": _num(high),
        "t": _num(fit.tvalues[2]), "df": int(fit.df_resid), "p": _num(fit.pvalues[2]),
        "baseline_slope": float(fit.params[1]),
        "standardised": estimate / sd_baseline if sd_baseline else None,
    }


def _pooled_sd(first: pd.Series, second: pd.Series) -> float | None:
    n1, n2 = len(first), len(second)
    if n1 < 2 or n2 < 2:
        return None
    pooled = ((n1 - 1) * first.var(ddof=1) + (n2 - 1) * second.var(ddof=1)) / (n1 + n2 - 2)
    return math.sqrt(pooled) if pooled > 0 else None


def mixed_model(long: pd.DataFrame, waves: list[str], arms: list[str], cohort: str | None = None,
                contrasts: dict[str, dict[str, float]] | None = None) -> dict | None:
    """A linear mixed model of every available score: score ~ wave * arm with a random intercept per
    participant (and per cohort, with participants nested in cohorts, when ``cohort`` names a column),
    fitted by REML. Everyone with at least one score contributes, which is valid if dropping out depends
    only on what was observed (missing at random), unlike the complete-case ANCOVA.

    ``long`` has columns participant, wave, arm, score (and the cohort column); ``waves`` and ``arms``
    give the levels in order, the first of each being the reference; levels absent from the data have
    no columns, and a wave only one arm answers (the delayed arm's second baseline) no interaction term,
    as lme4 drops it. ``contrasts`` names linear combinations of the fixed effects ({name: {term:
    weight}}), reported like the terms, and left out while a term they need is missing. Fixed effects and
    contrasts are reported with Wald z tests (R's lme4 reports none; see README). None when the model
    cannot be fitted.
    """
    data = long.dropna(subset=["score"]).copy()
    present = set(data["wave"]), set(data["arm"])
    if data["participant"].nunique() < 3 or waves[0] not in present[0] or arms[0] not in present[1]:
        return None  # without the reference levels no term means what its name says
    waves, arms = [w for w in waves if w in present[0]], [a for a in arms if a in present[1]]
    if len(waves) < 2:
        return None
    if cohort:  # participants nested in cohorts: a variance component of participants within each cohort
        data = data.sort_values([cohort, "participant"], kind="stable")
    exog, names = _wave_arm_design(data, waves, arms)
    groups = data[cohort if cohort else "participant"].to_numpy()
    extra = {"exog_vc": _nested_participants(data, cohort)} if cohort else {}
    model = MixedLM(data["score"].to_numpy(float), exog, groups=groups, exog_re=np.ones((len(data), 1)), **extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the result's own flag is checked below
        fit = model.fit(reml=True, method=["bfgs"], gtol=1e-8, maxiter=2000)
    if not fit.converged:
        return None
    covariance = _gls_covariance(data, exog, groups, fit, cohort)
    rows = [_wald(name, fit.fe_params[index], covariance[index, index]) for index, name in enumerate(names)]
    combined = []
    for name, weights in (contrasts or {}).items():
        if not set(weights) <= set(names):
            continue  # a term it needs is not estimable yet (e.g. nobody has answered that wave)
        vector = np.array([weights.get(term, 0.0) for term in names])
        combined.append(_wald(name, vector @ fit.fe_params, vector @ covariance @ vector))
    variances = {"residual": float(fit.scale)}
    if cohort:
        variances["cohort"] = float(np.asarray(fit.cov_re)[0, 0])
        variances["participant"] = float(fit.vcomp[0])
    else:
        variances["participant"] = float(np.asarray(fit.cov_re)[0, 0])
    return {"n_observations": int(len(data)), "n_participants": int(data["participant"].nunique()),
            "fixed": rows, "contrasts": combined, "variances": variances}


def _wald(name: str, estimate: float, variance: float) -> dict:
    """An estimate with its SE, 95% interval and two-sided Wald z test."""
    se = math.sqrt(variance)
    z = estimate / se
    return {"term": name, "estimate": float(estimate), "se": se,
            "ci95_low": float(estimate - 1.959963984540054 * se), "ci95_high": float(estimate + 1.959963984540054 * se),
            "z": float(z), "p": float(2 * stats.norm.sf(abs(z)))}


def _gls_covariance(data: pd.DataFrame, exog: np.ndarray, groups: np.ndarray, fit, cohort: str | None) -> np.ndarray:
    """(X' V^-1 X)^-1 at the fitted variances, as lme4's ``vcov`` gives it. statsmodels' own
    ``cov_params`` inverts the Hessian over fixed effects and variances together, which differs from
    it slightly in finite samples."""
    information = np.zeros((exog.shape[1], exog.shape[1]))
    intercept_variance = float(np.asarray(fit.cov_re)[0, 0])
    for label in np.unique(groups):
        rows = np.flatnonzero(groups == label)
        ones = np.ones((len(rows), 1))
        v = fit.scale * np.eye(len(rows)) + intercept_variance * (ones @ ones.T)
        if cohort:
            dummies = pd.get_dummies(data["participant"].to_numpy()[rows]).to_numpy(float)
            v += float(fit.vcomp[0]) * (dummies @ dummies.T)
        x = exog[rows]
        information += x.T @ np.linalg.solve(v, x)
    return np.linalg.inv(information)


def _nested_participants(data: pd.DataFrame, cohort: str) -> VCSpec:
    """One variance component, participant within cohort: per cohort (in the sorted order MixedLM keeps
    its groups in) a 0/1 column per participant over that cohort's rows."""
    colnames, mats = [], []
    for _, part in sorted(data.groupby(cohort), key=lambda item: item[0]):
        dummies = pd.get_dummies(part["participant"])
        colnames.append([str(c) for c in dummies.columns])
        mats.append(dummies.to_numpy(float))
    return VCSpec(["participant"], [colnames], [mats])


def _wave_arm_design(data: pd.DataFrame, waves: list[str], arms: list[str]) -> tuple[np.ndarray, list[str]]:
    """Treatment-coded columns: intercept, each later wave, each later arm, and their products (but
    none for a wave that only the reference arm answers: that column would be all zeros)."""
    columns, names = [np.ones(len(data))], ["(Intercept)"]
    wave_columns = [(f"wave:{w}", (data["wave"] == w).to_numpy(float)) for w in waves[1:]]
    arm_columns = [(f"arm:{a}", (data["arm"] == a).to_numpy(float)) for a in arms[1:]]
    for name, column in wave_columns + arm_columns:
        names.append(name)
        columns.append(column)
    for wave_name, wave_column in wave_columns:
        for arm_name, arm_column in arm_columns:
            if (wave_column * arm_column).any():
                names.append(f"{wave_name} x {arm_name}")
                columns.append(wave_column * arm_column)
    return np.column_stack(columns), names


def standardised_difference(first: pd.Series, second: pd.Series) -> float | None:
    """Standardised mean difference (first minus second) over the pooled SD: Cohen's d with the
    average-variance denominator sqrt((s1² + s2²) / 2) that balance checks use (Austin 2009). For a
    0/1 variable this is the difference in proportions over sqrt((p1(1-p1) + p2(1-p2)) / 2)."""
    first, second = first.dropna().astype(float), second.dropna().astype(float)
    if len(first) < 2 or len(second) < 2:
        return None
    spread = math.sqrt((first.var(ddof=1) + second.var(ddof=1)) / 2)
    return float((first.mean() - second.mean()) / spread) if spread > 0 else None
