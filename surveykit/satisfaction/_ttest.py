"""t tests of the satisfaction wing: one-sample (paired differences), optionally survey-weighted, and Student's two-sample.

The weighted one-sample test: the weighted mean and its Taylor-linearized standard error
sqrt(n / (n - 1) sum (w_i (d_i - m) / sum w)^2), as R ``svymean(~d, svydesign(ids = ~1, weights = ~w))``,
and the t distribution with n - 1 degrees of freedom, so that equal weights give ``t.test(d)``
(= ``t.test(P, E, paired = TRUE)``); survey 4.1's ``svyttest`` uses n - 2.
"""

from __future__ import annotations

import numpy as np

from .._linear import t_test

__all__ = ["one_sample", "student"]


def _t(estimate: float, se: float, df: float, level: float) -> dict:
    t, p, ci_low, ci_high = t_test(estimate, se, df, level)
    return {"estimate": estimate, "se": se, "t": t, "df": df, "p_value": p, "ci_low": ci_low, "ci_high": ci_high}


def one_sample(d: np.ndarray, w: np.ndarray | None, level: float) -> dict:
    """Mean of ``d`` against 0 (weighted by ``w`` when given), its t test and t interval."""
    n = len(d)
    if n < 2:
        return {**_t(float(d.mean()) if n else np.nan, np.nan, np.nan, level), "n_obs": n}
    if w is None:
        est, se = float(d.mean()), float(d.std(ddof=1) / np.sqrt(n))
    else:
        est = float(np.average(d, weights=w))
        se = float(np.sqrt(n / (n - 1) * np.sum((w * (d - est) / w.sum()) ** 2)))
    return {**_t(est, se, n - 1.0, level), "n_obs": n}


def student(high: np.ndarray, low: np.ndarray, level: float) -> dict:
    """Student's two-sample t test of mean(high) - mean(low) with the pooled variance (``t.test(var.equal = TRUE)``)."""
    n1, n2 = len(high), len(low)
    df = n1 + n2 - 2.0
    pooled = ((n1 - 1) * high.var(ddof=1) + (n2 - 1) * low.var(ddof=1)) / df
    se = float(np.sqrt(pooled * (1 / n1 + 1 / n2)))
    return _t(float(high.mean() - low.mean()), se, df, level)
