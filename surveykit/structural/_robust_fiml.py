"""Robust ML with missing answers (lavaan's ``estimator = "MLR", missing = "ml"``; private to ``structural``).

lavaan 0.6.14 conventions followed (its defaults for this case: ``information = "observed"``,
``observed.information = "hessian"``, ``h1.information = "structured"``, ``test = "yuan.bentler.mplus"``):

* standard errors: ``A⁻¹ B A⁻¹ / N``, ``A`` the observed information of the casewise likelihood (a
  numerical Hessian of its analytic gradient), ``B`` the mean outer product of the respondents'
  casewise scores at the model-implied moments;
* the scaling factor ``c = (Σ_g tr(W_g⁻¹ J_g) - tr(A⁻¹ B)) / df`` with ``W_g`` and ``J_g`` the observed
  and first-order information of the saturated model at its EM estimates (``h1.information =
  "unstructured"`` for this test, as lavaan's ``lav_test_yuan_bentler``); ``chi2_scaled = chi2 / c``;
* ``cfi_robust``, ``tli_robust``, ``rmsea_robust``: lavaan's FIML-corrected statistics (Zhang & Savalei,
  ``lav_fit_fiml_corrected`` version "V3"): the complete-data χ² of the FIML estimates against the EM
  moments (``XX3``), and of the FIML independence model (``XX3.null``), each with the correction
  ``c = tr(U W⁻¹ W_c W⁻¹ U Γ) / df``, ``U = W - W Δ E⁻¹ Δᵀ W``, ``E = Δᵀ W Δ``, ``W_c`` the complete-data
  information at the EM moments and ``Γ = W⁻¹ J W⁻¹`` (groups weighted by N_g/N).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.linalg import block_diag

from .._ml import discrepancy, information_vcov
from . import _fiml as fiml
from . import _h1 as h1
from ._robust import hessian, robust_indices

__all__ = ["mlr_fiml"]


def mlr_fiml(table, theta, sample, fit):
    """(vcov or None, robust fit measures) of lavaan's MLR under ``missing = "ml"``."""
    n, df, p = sample.n, fit["df"], len(table.observed)
    info = hessian(lambda t: fiml.score(table, t, sample.patterns, n, info_too=False)[0], theta)
    a_inv_n = information_vcov(info, n)  # (2/N) H⁻¹ of F = -2 log L / N, i.e. A⁻¹ / N
    nan = dict.fromkeys(("chi2_scaled", "p_value_scaled", "scaling_factor", "cfi_robust", "tli_robust",
                         "rmsea_robust"), math.nan)
    if a_inv_n is None:
        return None, nan
    bread = n * a_inv_n
    d_sig, d_mu = table.derivatives(theta)
    deltas = [h1.delta(d_sig[g], d_mu[g]) for g in range(table.n_groups)]
    implied = table.moments(theta)
    meat = sum(h1.crossprod(sig, mu, y, dl) for (sig, mu), y, dl in zip(implied, sample.arrays, deltas)) / n
    vcov = bread @ meat @ bread / n
    w_obs, j_h1, w_comp = [], [], []
    for (sig, mu), y, pats in zip(sample.stats, sample.arrays, sample.patterns):
        w_obs.append(h1.observed(sig, mu, pats, hessian))
        j_h1.append(h1.crossprod(sig, mu, y) / len(y))
        w_comp.append(h1.expected(sig))
    tr_h1 = sum(float(np.trace(np.linalg.solve(w, j))) for w, j in zip(w_obs, j_h1))
    c = (tr_h1 - float(np.sum(meat * bread.T))) / df if df > 0 else math.nan
    out = _corrected(table, theta, sample, df, deltas, w_obs, j_h1, w_comp)
    out.update({"chi2_scaled": fit["chi2"] / c if c > 0 else math.nan,
                "scaling_factor": c if c > 0 else math.nan})
    out["p_value_scaled"] = float(stats.chi2.sf(out["chi2_scaled"], df)) if c > 0 else math.nan
    if df == 0:  # a saturated model, as lavaan: chisq.scaled 0 (its factor NA), cfi/tli.robust 1, rmsea.robust 0
        out.update(chi2_scaled=fit["chi2"], cfi_robust=1.0, tli_robust=1.0, rmsea_robust=0.0)
    return vcov, out


def _chi2(stats_g, moments, ns):
    """Σ_g N_g (F(S_g, Σ_g) + dᵀ Σ_g⁻¹ d): the complete-data χ² of moments against the EM moments."""
    return sum(n_g * (discrepancy(s, sig) + (ybar - mu) @ np.linalg.solve(sig, ybar - mu))
               for (s, ybar), (sig, mu), n_g in zip(stats_g, moments, ns))


def _corrected(table, theta, sample, df, deltas, w_obs, j_h1, w_comp):
    """cfi_robust, tli_robust, rmsea_robust from lavaan's FIML-corrected statistics (version V3)."""
    p, n_groups = len(table.observed), table.n_groups
    ns = [len(y) for y in sample.arrays]
    fg = np.array(ns, float) / sample.n
    w_inv = [np.linalg.inv(w) for w in w_obs]
    wm = block_diag(*[f * w for f, w in zip(fg, w_obs)])
    wmi = block_diag(*[wi / f for f, wi in zip(fg, w_inv)])
    wc = block_diag(*[f * w for f, w in zip(fg, w_comp)])
    gamma = block_diag(*[wi @ j @ wi / f for f, wi, j in zip(fg, w_inv, j_h1)])
    dl = np.vstack(deltas)
    e_inv = np.linalg.inv(dl.T @ wm @ dl)
    middle = wmi @ wc @ wmi

    def k_fimlc(u):
        return float(np.trace(u @ middle @ u @ gamma))

    xx3 = _chi2(sample.stats, table.moments(theta), ns)
    c3 = k_fimlc(wm - wm @ dl @ e_inv @ dl.T @ wm) / df if df > 0 else math.nan
    if df == 0:
        return {}
    # the independence model fitted by FIML (each variable's mean and variance from its answers)
    sub = h1.sub_info(p)
    m = len(w_obs[0])
    dl_b = np.zeros((n_groups * m, n_groups * len(sub)))
    for g in range(n_groups):
        dl_b[g * m + sub, g * len(sub) + np.arange(len(sub))] = 1
    u_b = wm - wm @ dl_b @ np.linalg.inv(dl_b.T @ wm @ dl_b) @ dl_b.T @ wm
    base = [(np.diag(np.nanvar(y, axis=0)), np.nanmean(y, axis=0)) for y in sample.arrays]
    xx3_null = _chi2(sample.stats, base, ns)
    df_null = n_groups * p * (p - 1) // 2
    c3_null = k_fimlc(u_b) / df_null
    robust = robust_indices(xx3, df, xx3_null, df_null, sample.n, n_groups, c3, c3_null)
    return {k: robust[k] for k in ("cfi_robust", "tli_robust", "rmsea_robust")}
