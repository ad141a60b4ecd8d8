"""Least squares and t statistics shared by the wings (as R ``lm``, ``summary.lm``, ``confint``).

Private to the package: the structural wing (mediation, moderation), the satisfaction wing
(penalty-reward, SERVQUAL, item discrimination) and group comparisons all fit ordinary least
squares and read t tests the same way, so each is written once here.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["collinear", "ols", "t_test", "vif"]

COLLINEAR_TOL = 1e-10  # smallest / largest singular value of the scaled design below which it is rank deficient


def t_test(estimate, se, df, level: float) -> tuple[float, float, float, float]:
    """(t, two-sided p, CI low, CI high) of ``estimate`` with standard error ``se`` on ``df`` degrees
    of freedom; NaN where ``se`` is not positive or ``df`` not finite and positive."""
    if not (se > 0 and df > 0):
        return np.nan, np.nan, np.nan, np.nan
    t = estimate / se
    q = stats.t.ppf(0.5 + level / 2, df)
    return t, float(2 * stats.t.sf(abs(t), df)), estimate - q * se, estimate + q * se


def collinear(design: np.ndarray) -> bool:
    """Whether the columns of ``design`` (first column the constant) are (numerically) collinear."""
    z = design - design.mean(axis=0)
    z[:, 0] = 1.0
    sv = np.linalg.svd(z / np.linalg.norm(z, axis=0), compute_uv=False)
    return bool(sv[-1] <= COLLINEAR_TOL * sv[0])


def vif(x: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Variance inflation factor of each column of ``x`` (predictors, no constant column), as R
    ``car::vif`` on an ``lm``: 1 / (1 - R²_j), R²_j of column j regressed on the others with an
    intercept (weighted least squares with ``weights``); a single predictor has VIF 1, one that
    the others reproduce exactly has VIF inf."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] == 0 or len(x) < 2:
        raise ValueError(f"vif takes a 2-d array with one column per predictor and 2+ rows; got shape {x.shape}.")
    a = np.full(len(x), 1.0 / len(x)) if weights is None else np.asarray(weights, float) / np.sum(weights)
    z = np.sqrt(a)[:, None] * (x - a @ x)
    z = z / np.linalg.norm(z, axis=0)
    out = np.ones(x.shape[1])
    for j in range(x.shape[1]):
        others = np.delete(z, j, axis=1)
        if others.shape[1] == 0:
            continue
        coef = np.linalg.lstsq(others, z[:, j], rcond=None)[0]
        resid = float(np.sum((z[:, j] - others @ coef) ** 2))  # 1 - R²_j: the column has unit length
        out[j] = np.inf if resid <= COLLINEAR_TOL else 1.0 / resid
    return out


def ols(design: np.ndarray, y: np.ndarray, level: float) -> dict:
    """OLS of ``y`` on ``design`` (first column the constant), as R ``lm``: estimates, SE, t, p and t
    intervals (arrays), the covariance s²(X'X)⁻¹, the residual df, R² and adjusted R²."""
    n, p = design.shape
    q, r = np.linalg.qr(design)
    beta = np.linalg.solve(r, q.T @ y)
    resid = y - design @ beta
    df = n - p
    sigma2 = float(resid @ resid) / df
    r_inv = np.linalg.inv(r)
    vcov = sigma2 * (r_inv @ r_inv.T)
    se = np.sqrt(np.diag(vcov))
    t = beta / se
    crit = stats.t.ppf(0.5 + level / 2, df)
    r2 = 1 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return {"estimate": beta, "se": se, "t": t, "p_value": 2 * stats.t.sf(np.abs(t), df),
            "ci_low": beta - crit * se, "ci_high": beta + crit * se, "vcov": vcov, "df": df,
            "r_squared": r2, "adj_r_squared": 1 - (1 - r2) * (n - 1) / df}
