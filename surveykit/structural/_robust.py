"""Robust ML (lavaan's ``estimator = "MLR"``) for complete data, and the pseudo-ML of survey weights
(lavaan's ``sampling.weights``, which uses the same MLR machinery with weighted scores and moments;
private to ``structural``). Under FIML: ``_robust_fiml.py``.

lavaan 0.6.14 conventions followed:

* standard errors ``se = "robust.huber.white"``: ``A⁻¹ B A⁻¹ / N`` with ``A`` the observed
  information (the Hessian of the log-likelihood per respondent, ``information = "observed"``,
  taken here by a 5-point central difference of the analytic gradient, as lavaan's
  ``lav_model_hessian``) and ``B`` the mean outer product of the respondents' scores at the
  model-implied moments (``h1.information = "structured"``; the sample means when the model has
  no mean structure);
* the test ``"yuan.bentler.mplus"``: scaling factor ``c = (Σ_g tr(A1_g⁻¹ B1_g) - tr(A⁻¹ B)) / df``
  with ``A1``, ``B1`` the expected and first-order information of the saturated model at the sample
  moments (``h1.information = "unstructured"``); ``chi2_scaled = chi2 / c``;
* ``cfi_robust``, ``tli_robust`` (Brosseau-Liard & Savalei 2014) and ``rmsea_robust``
  (Brosseau-Liard, Savalei & Li 2012) from the unscaled χ² and the scaling factors of the model and
  of the independence (baseline) model, as ``lav_fit_cfi`` / ``lav_fit_tli`` / ``lav_fit_rmsea``
  with ``c.hat``;
* the scaled difference test of two nested models: Satorra & Bentler (2001), lavaan's
  ``lavTestLRT`` default for MLR.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .._ml import information_vcov
from ._ram import Table, score

__all__ = ["casewise_scores", "hessian", "mlr", "robust_indices", "scaled_difference"]

_H = 1e-5  # step of the numerical Hessian (lavaan's lav_model_hessian uses 1e-5 as well)


def hessian(gradient, theta, h: float = _H):
    """Symmetrised 5-point central-difference Jacobian of ``gradient`` at theta."""
    k = len(theta)
    out = np.empty((k, k))
    for j in range(k):
        cols = []
        for step in (-2, -1, 1, 2):
            t = theta.copy()
            t[j] += step * h
            cols.append(gradient(t))
        out[:, j] = (cols[0] - 8 * cols[1] + 8 * cols[2] - cols[3]) / (12 * h)
    return (out + out.T) / 2


def casewise_scores(table: Table, theta, arrays, wts=None):
    """Per group, the (N_g, k) scores ∂ log L_i / ∂θ of each respondent at the implied moments (times his
    weight with ``wts``; without a mean structure about the (weighted) sample means).

    ½ (uᵢᵀ ∂Σ/∂θ uᵢ - tr(Σ⁻¹ ∂Σ/∂θ)) + uᵢᵀ ∂μ/∂θ with uᵢ = Σ⁻¹ (yᵢ - μ). Every ∂Σ/∂θ of one cell of
    the RAM matrices has rank one or two (``E_a ⊗ (E S Eᵀ)_b`` and its transpose), so each quadratic
    form is a product of two columns of ``u E`` and ``u E S Eᵀ``: O(N) per parameter.
    """
    p = len(table.observed)
    d_sig, _ = table.derivatives(theta)
    out = []
    for g, ((e, sig_all, m_all), y) in enumerate(zip(table.implied(theta), arrays)):
        sig = sig_all[:p, :p]
        w = None if wts is None else wts[g]
        center = m_all[:p] if table.meanstructure else np.average(y, axis=0, weights=w)
        inv = np.linalg.inv(sig)
        u = (y - center) @ inv
        pe, ps = np.asfortranarray(u @ e[:p, :]), np.asfortranarray(u @ sig_all[:p, :])  # columns contiguous
        s = np.repeat(-0.5 * np.einsum("ab,kba->k", inv, d_sig[g])[:, None], len(y), axis=1)  # (k, N)
        for r, (mat, a, b) in zip(table.rows, table.cells):
            if r.group != g or r.free < 0:
                continue
            if mat == "A":
                s[r.free] += pe[:, a] * (ps[:, b] + m_all[b]) if table.meanstructure else pe[:, a] * ps[:, b]
            elif mat == "S":
                s[r.free] += pe[:, a] * pe[:, b] * (0.5 if a == b else 1.0)
            elif table.meanstructure:
                s[r.free] += pe[:, a]
        out.append(s.T if w is None else s.T * w[:, None])
    return out


def _h1_trace(y, w, meanstructure: bool) -> float:
    """tr(A1⁻¹ B1) of the saturated model at the (weighted) sample moments: Σ w² (mᵢ + ½(mᵢ² - 2mᵢ + p)) / Σ w,
    mᵢ = (y - ȳ)ᵀ S⁻¹ (y - ȳ) (the first term only with means; the group's size is Σ w, as lavaan);
    unweighted ½(b₂ - p) (+ p), b₂ Mardia's multivariate kurtosis."""
    ybar = np.average(y, axis=0, weights=w)
    d = y - ybar
    s = (d * w[:, None]).T @ d / w.sum()
    m = np.einsum("ij,ij->i", d @ np.linalg.inv(s), d)
    p = y.shape[1]
    return float(np.sum(w ** 2 * (0.5 * (m ** 2 - 2 * m + p) + (m if meanstructure else 0))) / w.sum())


def _baseline_trace(y, w, meanstructure: bool) -> float:
    """tr(A⁻¹ B) of the independence model (one mean and variance per variable) at its estimates: the same
    sum with zᵢ = (yᵢ - ȳ)² / v per variable; unweighted Σ ½(kurtosis - 1) (+ p)."""
    d2 = (y - np.average(y, axis=0, weights=w)) ** 2
    z = d2 / np.average(d2, axis=0, weights=w)
    return float(np.sum(w ** 2 * np.sum(0.5 * (z ** 2 - 2 * z + 1) + (z if meanstructure else 0), axis=1)) / w.sum())


def mlr(table: Table, theta, arrays, stats_g, weights, df: int, wts=None):
    """(vcov or None, scaling factor, baseline scaling factor) of lavaan's MLR; with survey weights ``wts``
    (per group, scaled to sum to N) the pseudo-likelihood sandwich of lavaan's ``sampling.weights``: each
    respondent's scores multiplied by his weight, the moments weighted."""
    n = sum(len(y) for y in arrays)
    # the Hessian of F is twice the observed information per respondent, so (2/N) H⁻¹ = A⁻¹ / N
    a_inv_n = information_vcov(hessian(lambda t: score(table, t, stats_g, weights)[0], theta), n)
    if a_inv_n is None:
        return None, math.nan, math.nan
    bread = n * a_inv_n
    scores = np.vstack(casewise_scores(table, theta, arrays, wts))
    meat = scores.T @ scores / n
    vcov = bread @ meat @ bread / n
    wts = wts or [np.ones(len(y)) for y in arrays]
    h1 = sum(_h1_trace(y, w, table.meanstructure) for y, w in zip(arrays, wts))
    c = (h1 - float(np.sum(meat * bread.T))) / df if df > 0 else math.nan
    p = len(table.observed)
    df_null = table.n_groups * p * (p - 1) // 2
    c_null = (h1 - sum(_baseline_trace(y, w, table.meanstructure) for y, w in zip(arrays, wts))) / df_null
    return vcov, (c if c > 0 else math.nan), c_null


def robust_indices(chi2, df, chi2_null, df_null, n, n_groups, c, c_null) -> dict:
    """chi2_scaled, its p-value and scaling factor, cfi_robust, tli_robust, rmsea_robust (lavaan 0.6.14)."""
    scaled = chi2 / c if df > 0 else math.nan
    if df > 0 and c != 1 and c_null != 1:
        t1, t2 = max(chi2 - c * df, 0.0), max(chi2 - c * df, chi2_null - c_null * df_null, 0.0)
        u1, u2 = (chi2 - c * df) * df_null, (chi2_null - c_null * df_null) * df
    else:
        t1, t2 = max(chi2 - df, 0.0), max(chi2 - df, chi2_null - df_null, 0.0)
        u1, u2 = (chi2 - df) * df_null, (chi2_null - df_null) * df
    cfi = 1.0 if math.isclose(t1, 0, abs_tol=1.5e-8) and math.isclose(t2, 0, abs_tol=1.5e-8) else 1 - t1 / t2
    tli = 1 - u1 / u2 if df > 0 and abs(u2) > 0 else 1.0
    rmsea = math.sqrt(max(chi2 / (n * df) - c / n, 0.0)) * math.sqrt(n_groups) if df > 0 else 0.0
    if not np.isfinite(c):
        cfi = tli = rmsea = math.nan
    if df == 0:  # a saturated model: lavaan gives chisq.scaled = chisq (0), rmsea.robust 0, cfi/tli.robust NA
        scaled, rmsea = chi2, 0.0
    return {"chi2_scaled": float(scaled), "p_value_scaled": float(stats.chi2.sf(scaled, df)) if df > 0 else math.nan,
            "scaling_factor": float(c), "cfi_robust": float(cfi), "tli_robust": float(tli),
            "rmsea_robust": float(rmsea)}


def scaled_difference(chi2_0, df_0, c_0, chi2_1, df_1, c_1):
    """Satorra-Bentler (2001) scaled Δχ² of the restricted model 0 against model 1: (Δχ², scaling)."""
    if df_1 == 0:
        c_1 = 1.0
    cd = (df_0 * c_0 - df_1 * c_1) / (df_0 - df_1)
    if not cd > 0:
        return math.nan, math.nan
    return (chi2_0 - chi2_1) / cd, cd

