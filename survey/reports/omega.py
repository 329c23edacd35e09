"""McDonald's omega total from a one-factor model, reported beside Cronbach's alpha.

Pure: numpy/pandas/scipy only. Checked against R's lavaan (one-factor CFA, maximum likelihood) in
tests/evaluation/test_against_r.py.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize

#: A one-factor model of fewer items is not identified (two items: one correlation, three parameters).
MIN_ITEMS = 3
#: A uniqueness this close to zero (relative to the item's variance) is a Heywood case: no proper solution.
HEYWOOD = 1e-6


def mcdonald_omega(items: pd.DataFrame) -> dict:
    """Omega total of the sum score: omega = (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses),
    from a one-factor model fitted by maximum likelihood to the items' covariance matrix (as lavaan's
    ``cfa("f =~ ...", std.lv = TRUE)``; the ML fit does not depend on the covariance divisor).

    Unlike alpha, omega does not assume every item measures the trait equally well (tau-equivalence).
    Rows with any missing item are dropped, as for alpha. omega is None with fewer than 3 items, no more
    rows than items, an item that never varies, or an improper (Heywood) solution; n and k are always given.
    """
    complete = items.dropna(how="any")
    n, k = complete.shape
    out = {"omega": None, "n": n, "k": k}
    x = complete.to_numpy(dtype=float)
    if k < MIN_ITEMS or n <= k or (x.var(axis=0) == 0).any():
        return out
    covariance = np.cov(x, rowvar=False, ddof=0)
    loadings, uniquenesses = _one_factor_ml(covariance)
    if (uniquenesses <= HEYWOOD * np.diag(covariance)).any():
        return out
    common = loadings.sum() ** 2
    omega = common / (common + uniquenesses.sum())
    out["omega"] = float(omega) if math.isfinite(omega) else None
    return out


def _one_factor_ml(covariance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loadings and uniquenesses minimising the ML discrepancy log|Sigma| + tr(S Sigma^-1),
    Sigma = l l' + diag(u), by L-BFGS-B with its analytic gradient, from the first principal component."""
    k = covariance.shape[0]
    values, vectors = np.linalg.eigh(covariance)
    start_loadings = vectors[:, -1] * math.sqrt(values[-1])
    start_loadings *= np.sign(start_loadings.sum()) or 1.0
    start = np.concatenate([start_loadings, np.maximum(np.diag(covariance) - start_loadings ** 2,
                                                       0.1 * np.diag(covariance))])

    def discrepancy(parameters):
        loadings, uniquenesses = parameters[:k], parameters[k:]
        sigma = np.outer(loadings, loadings) + np.diag(uniquenesses)
        inverse = np.linalg.inv(sigma)
        sign, log_det = np.linalg.slogdet(sigma)
        if sign <= 0:
            return np.inf, np.zeros_like(parameters)
        gradient_sigma = inverse - inverse @ covariance @ inverse
        return (log_det + np.trace(covariance @ inverse),
                np.concatenate([2 * gradient_sigma @ loadings, np.diag(gradient_sigma)]))

    bounds = [(None, None)] * k + [(HEYWOOD * v / 10, None) for v in np.diag(covariance)]
    fit = optimize.minimize(discrepancy, start, jac=True, method="L-BFGS-B", bounds=bounds,
                            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    return fit.x[:k], fit.x[k:]
