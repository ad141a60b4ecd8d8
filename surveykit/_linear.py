"""Least squares and t statistics shared by the wings (as R ``lm``, ``summary.lm``, ``confint``).

Private to the package: the structural wing (mediation, moderation), the satisfaction wing
(penalty-reward, SERVQUAL, item discrimination) and group comparisons all fit ordinary least
squares and read t tests the same way, so each is written once here.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["collinear", "hc_meat", "hc_vcov", "ols", "ols_from_moments", "t_test", "vif"]

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


# -- least squares on sufficient statistics (blocks of rows merged: surveykit._moments.CrossMoments) --------

def ols_from_moments(mean: np.ndarray, cross: np.ndarray, sw: float, n: int, level: float) -> dict:
    """Weighted least squares of the last column on the others (and a constant), from sufficient statistics.

    ``mean`` (k,) and ``cross`` (k x k) are the weighted means and centred cross-products
    Σw (z - z̄)(z - z̄)ᵀ of the complete rows z = (x, y), ``sw`` their Σw and ``n`` their count
    (one pass over the rows, merged exactly across blocks). The fit is that of :func:`ols` on
    the rows (R ``lm(y ~ x, weights = w)``): slopes Sxx⁻¹ Sxy, intercept ȳ - x̄ᵀb, s² = Σw e² /
    (n - p), the model-based covariance s² (XᵀWX)⁻¹, R² = 1 - Σw e² / Σw (y - ȳ)² and its
    adjusted value. The same dict as :func:`ols` (intercept first), plus ``"bread"``: the
    pieces :func:`hc_meat` and :func:`hc_vcov` need for the sandwich.
    """
    sxx, sxy, syy = cross[:-1, :-1], cross[:-1, -1], float(cross[-1, -1])
    sxx_inv = np.linalg.inv(sxx)
    slopes = sxx_inv @ sxy
    ssr = max(syy - float(sxy @ slopes), 0.0)
    p = len(slopes) + 1
    df = n - p
    sigma2 = ssr / df
    bread = {"mean": mean, "slopes": slopes, "sw": float(sw), "sxx_inv": sxx_inv, "n": int(n)}
    out = _with_vcov(bread, _centred_to_raw(bread, sigma2 * _block(1.0 / sw, sxx_inv)), level)
    r2 = 1 - ssr / syy
    out.update(r_squared=r2, adj_r_squared=1 - (1 - r2) * (n - 1) / df, bread=bread)
    return out


def _block(a: float, b: np.ndarray) -> np.ndarray:
    out = np.zeros((len(b) + 1, len(b) + 1))
    out[0, 0], out[1:, 1:] = a, b
    return out


def _centred_to_raw(bread: dict, vcov_c: np.ndarray) -> np.ndarray:
    """The covariance of (intercept, slopes) from that of (ȳ, slopes) in the model on centred x."""
    t = np.eye(len(vcov_c))
    t[0, 1:] = -bread["mean"][:-1]
    return t @ vcov_c @ t.T


def _with_vcov(bread: dict, vcov: np.ndarray, level: float) -> dict:
    mean, slopes = bread["mean"], bread["slopes"]
    beta = np.r_[mean[-1] - mean[:-1] @ slopes, slopes]
    df = bread["n"] - len(beta)
    se = np.sqrt(np.diag(vcov))
    t = beta / se
    crit = stats.t.ppf(0.5 + level / 2, df)
    return {"estimate": beta, "se": se, "t": t, "p_value": 2 * stats.t.sf(np.abs(t), df), "ci_low": beta - crit * se,
            "ci_high": beta + crit * se, "vcov": vcov, "df": df}


def hc_meat(z: np.ndarray, w: np.ndarray | None, bread: dict, robust: str) -> np.ndarray:
    """One block's part of the sandwich's meat Σ w² e² cᵢcᵢᵀ / (1 - hᵢ)^δ (cᵢ = (1, xᵢ - x̄); δ 0 for HC0/HC1, 1
    for HC2, 2 for HC3; h the leverage) over the complete rows of ``z`` = (x, y); blocks' meats add up."""
    z = np.asarray(z, dtype=float)
    w = np.ones(len(z)) if w is None else np.asarray(w, dtype=float)
    ok = ~np.isnan(z).any(axis=1)
    z, w = z[ok], w[ok]
    dx = z[:, :-1] - bread["mean"][:-1]
    e = z[:, -1] - bread["mean"][-1] - dx @ bread["slopes"]
    c = np.column_stack([np.ones(len(z)), dx])
    u = (w * e) ** 2
    if robust in ("HC2", "HC3"):
        h = w * (1 / bread["sw"] + np.einsum("ij,jk,ik->i", dx, bread["sxx_inv"], dx))
        u = u / (1 - h) ** (1 if robust == "HC2" else 2)
    return (c * u[:, None]).T @ c


def hc_vcov(fit: dict, meat: np.ndarray, robust: str, level: float) -> dict:
    """The fit of :func:`ols_from_moments` with heteroskedasticity-consistent standard errors from the summed
    meat (R ``sandwich::vcovHC(type = robust)``; HC1 scales HC0 by n / (n - p)); t tests on the residual df."""
    bread = fit["bread"]
    b = _block(1.0 / bread["sw"], bread["sxx_inv"])
    vcov_c = b @ meat @ b
    if robust == "HC1":
        vcov_c = vcov_c * bread["n"] / fit["df"]
    return {**fit, **_with_vcov(bread, _centred_to_raw(bread, vcov_c), level)}
