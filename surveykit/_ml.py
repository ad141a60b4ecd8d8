"""Normal-theory maximum likelihood pieces of ``structural.sem`` (which ``psychometrics.cfa`` fits through).

Fisher scoring on F, the standard errors from its expected information, the ML discrepancy F
(twice lavaan's ``fmin`` per group), lavaan's fit indices from the model and baseline
chi-squares (lavaan 0.6.14 ``lav_fit_cfi``, ``lav_fit_nnfi``, ``lav_fit_rmsea``,
``lav_fit_rmsea_ci``) and the one-line fit summary. Private to the package.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

__all__ = ["discrepancy", "fisher_scoring", "fit_indices", "fit_line", "information_vcov", "rmsea_ci"]

_RMSEA_XTOL = 1e-12  # root-finding tolerance on the non-centrality of the RMSEA interval (far below its rounding)


def discrepancy(s, sigma):
    """ML discrepancy F = log|Σ| + tr(S Σ⁻¹) - log|S| - p (twice lavaan's fmin); inf when
    Σ is not positive definite."""
    sign, logdet = np.linalg.slogdet(sigma)
    if sign <= 0:
        return np.inf
    return logdet + np.trace(np.linalg.solve(sigma, s)) - np.linalg.slogdet(s)[1] - len(s)


def fit_indices(chi2, df, chi2_null, df_null, n, n_groups=1) -> dict:
    """p-value, CFI, TLI, RMSEA and its 90% interval as lavaan (RMSEA times sqrt(G) with G groups)."""
    t1, t2 = max(chi2 - df, 0.0), max(chi2 - df, chi2_null - df_null, 0.0)
    cfi = 1.0 if math.isclose(t1, 0, abs_tol=1.5e-8) and math.isclose(t2, 0, abs_tol=1.5e-8) else 1 - t1 / t2
    u1, u2 = (chi2 - df) * df_null, (chi2_null - df_null) * df
    tli = 1 - u1 / u2 if df > 0 and abs(u2) > 0 else 1.0
    g = math.sqrt(n_groups)
    rmsea = math.sqrt(max(chi2 / (n * df) - 1 / n, 0.0)) * g if df > 0 else 0.0
    low, high = rmsea_ci(chi2, df, n)
    return {"p_value": float(stats.chi2.sf(chi2, df)) if df > 0 else math.nan, "cfi": float(cfi), "tli": float(tli),
            "rmsea": float(rmsea), "rmsea_ci_low": low * g, "rmsea_ci_high": high * g}


def rmsea_ci(chi2, df, n, level=0.90):
    """lavaan's 90% interval: the non-centralities at which chi2 sits at the 95th / 5th percentile."""
    if df < 1:
        return 0.0, 0.0
    hi_p, lo_p = 1 - (1 - level) / 2, (1 - level) / 2

    def cdf(lam):
        return stats.chi2.cdf(chi2, df) if lam == 0 else stats.ncx2.cdf(chi2, df, lam)

    if cdf(0) < hi_p:
        low = 0.0
    else:
        low = math.sqrt(optimize.brentq(lambda l: cdf(l) - hi_p, 0, chi2, xtol=_RMSEA_XTOL) / (n * df))
    top = max(n, 4 * chi2)
    if cdf(top) - lo_p > 0 or cdf(0) < lo_p:
        high = 0.0
    else:
        high = math.sqrt(optimize.brentq(lambda l: cdf(l) - lo_p, 0, top, xtol=_RMSEA_XTOL) / (n * df))
    return float(low), float(high)


def fisher_scoring(objective, score, x, *, max_iter: int, step_tol: float, min_step: float,
                   descent_slack: float = 1e-14):
    """Minimise ``objective`` by Fisher scoring with step halving: ``(theta, converged, iterations)``.

    ``score(x)`` gives (gradient, expected information) of the objective. A step may raise the
    objective by ``descent_slack`` (relative) and count as descent (the rounding of F);
    converged when the largest step is below ``step_tol`` relative to 1 + |theta|; not
    converged when halving reaches ``min_step`` of the Fisher step without descent.
    """
    f = objective(x)
    for it in range(1, max_iter + 1):
        grad, info = score(x)
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(info, grad, rcond=None)[0]
        t = 1.0
        while t > min_step:
            new = x - t * step
            f_new = objective(new)
            if f_new <= f + descent_slack * max(1.0, abs(f)):
                break
            t /= 2
        else:
            return x, False, it
        x, f = new, f_new
        if np.max(np.abs(t * step) / (1 + np.abs(x)), initial=0.0) < step_tol:
            return x, bool(np.isfinite(f)), it
    return x, False, max_iter


def information_vcov(info, n: int, max_cond: float = 1e12):
    """(2/N) times the inverse of the expected information of F, or None when it is singular.

    Jacobi-scaled first, so that the condition number does not depend on the variables' units.
    """
    try:
        if not np.all(np.diag(info) > 0):
            raise np.linalg.LinAlgError
        d = 1 / np.sqrt(np.diag(info))
        scaled = info * np.outer(d, d)
        if np.linalg.cond(scaled) > max_cond:
            raise np.linalg.LinAlgError
        return 2 / n * np.linalg.inv(scaled) * np.outer(d, d)
    except np.linalg.LinAlgError:
        return None


def fit_line(f: dict) -> str:
    """The fit in one line, as papers report it: chi2(df), p, CFI, TLI, RMSEA (90% CI), SRMR."""
    p = "NA" if math.isnan(f["p_value"]) else f"{f['p_value']:.3g}"
    return (f"chi2({f['df']}) = {f['chi2']:.2f}, p = {p}; CFI = {f['cfi']:.3f}, TLI = {f['tli']:.3f}, "
            f"RMSEA = {f['rmsea']:.3f} (90% CI {f['rmsea_ci_low']:.3f} to {f['rmsea_ci_high']:.3f}), "
            f"SRMR = {f['srmr']:.3f}")
