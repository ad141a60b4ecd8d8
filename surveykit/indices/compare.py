"""Is one group of respondents rated differently from another? Two group estimates and the test of their difference.

The numeric layer under the comparison of mentioners with non-mentioners of a theme
(:func:`surveykit.text.survey.survey_themes`): arrays in, a row out. A mean is compared by
Welch's t test (R ``t.test``), or, with weights, by the design-based t test of
``survey::svyttest``; an NPS by a z test of two independent estimates, each with the standard
error of :func:`surveykit.indices.nps.nps`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import check_level
from .._linear import t_test
from .._design import read_design, stratified_variance
from ..errors import check_option
from .nps import nps, nps_points
from .weighted import weighted_mean

__all__ = ["MEASURES", "TESTS", "compare_groups"]

MEASURES = ("mean", "nps")
TESTS = {"welch_t": "Welch's t test (R t.test)", "design_t": "design-based t test (R survey::svyttest)",
         "z": "z test of two independent NPS"}


def _group_mean(y: np.ndarray, w: np.ndarray, level: float) -> dict:
    """Mean, SE and normal interval of one group, as ``svymean`` on the group's own design."""
    n = len(y)
    if n == 0:
        return {"n": 0, "estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    if n == 1:
        return {"n": 1, "estimate": float(y[0]), "se": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    r = weighted_mean(y, weights=w, ci_level=level)
    return {"n": n, "estimate": r.estimate, "se": r.se, "ci_low": r.ci_low, "ci_high": r.ci_high}


def _group_nps(x: np.ndarray, w: np.ndarray | None, level: float) -> dict:
    """NPS of one group from its 0-10 answers: :func:`surveykit.nps` (its SE and normal interval)."""
    n = len(x)
    if n < 2:
        return {"n": n, "estimate": float(nps_points(x)[0]) if n else np.nan, "se": np.nan, "ci_low": np.nan,
                "ci_high": np.nan}
    r = nps(x, weights=w, ci_level=level)
    return {"n": n, "estimate": r.score, "se": r.se, "ci_low": r.ci_low, "ci_high": r.ci_high}


def _t_row(diff: float, se: float, df: float, level: float) -> dict:
    t, p, ci_low, ci_high = t_test(diff, se, df, level)
    return {"difference": diff, "se": se, "df": df, "statistic": t, "p_value": p, "ci_low": ci_low, "ci_high": ci_high}


def _welch(y1: np.ndarray, y0: np.ndarray, level: float) -> dict:
    n1, n0 = len(y1), len(y0)
    v1, v0 = y1.var(ddof=1) / n1, y0.var(ddof=1) / n0
    se = float(np.sqrt(v1 + v0))
    diff = float(y1.mean() - y0.mean())
    if not se > 0:
        return _t_row(diff, se, np.nan, level)
    df = (v1 + v0) ** 2 / (v1 ** 2 / (n1 - 1) + v0 ** 2 / (n0 - 1))
    return _t_row(diff, se, float(df), level)


def _design_t(y: np.ndarray, g: np.ndarray, w: np.ndarray, level: float, function: str) -> dict:
    """svyttest(y ~ g, svydesign(ids=~1, weights=~w)): the weighted difference of means, linearized.

    The coefficient of g in the weighted regression y ~ g is the difference of the weighted
    group means; its influence values are z_i = w_i (y_i - mean of i's group) (g_i / W_1 -
    (1 - g_i) / W_0), whose design variance is n / (n - 1) sum z_i^2 (one stage, no strata);
    t has n - 2 degrees of freedom (the residual df of svyglm).
    """
    n = len(y)
    design = read_design(n, pd.RangeIndex(n), w, None, None, function)
    w1, w0 = w[g].sum(), w[~g].sum()
    m1, m0 = (w[g] * y[g]).sum() / w1, (w[~g] * y[~g]).sum() / w0
    z = w * (y - np.where(g, m1, m0)) * np.where(g, 1 / w1, -1 / w0)
    se = float(np.sqrt(stratified_variance(z[:, None], design)[0]))
    return _t_row(float(m1 - m0), se, float(n - 2), level)


def _z(m1: dict, m0: dict, level: float) -> dict:
    diff = m1["estimate"] - m0["estimate"]
    se = float(np.sqrt(m1["se"] ** 2 + m0["se"] ** 2))
    if not se > 0:
        return {"difference": diff, "se": se, "df": np.nan, "statistic": np.nan, "p_value": np.nan,
                "ci_low": np.nan, "ci_high": np.nan}
    z = diff / se
    q = stats.norm.ppf(0.5 + level / 2)
    return {"difference": diff, "se": se, "df": np.nan, "statistic": z, "p_value": float(2 * stats.norm.sf(abs(z))),
            "ci_low": diff - q * se, "ci_high": diff + q * se}


def compare_groups(y, group, rest, *, weights=None, measure: str = "mean", ci_level: float = 0.95,
                   function: str = "compare_groups") -> dict:
    """The estimate of each of two groups of respondents, their difference and its test.

    Parameters
    ----------
    y : array-like
        One value per respondent: a score (``measure='mean'``) or a 0-10 answer
        (``measure='nps'``).
    group, rest : array-like of bool
        The two groups (disjoint masks over the respondents; rows in neither are left out).
    weights : array-like, optional
        Respondent weights (positive, finite).
    measure : {'mean', 'nps'}
    ci_level : float
        Level of the intervals of the estimates and of the difference.
    function : str
        The name errors quote (the caller's).

    Returns
    -------
    dict
        ``group`` and ``rest``: each ``{n, estimate, se, ci_low, ci_high}`` (a group of one
        has no standard error); ``test``: the key of :data:`TESTS`; and, when both groups have
        two respondents or more, ``difference``, ``se``, ``ci_low``, ``ci_high``,
        ``statistic``, ``df`` and ``p_value`` (else ``difference`` only, NaN when a group is
        empty).

    Notes
    -----
    Means: Welch's t test unweighted (R ``t.test(y1, y0)``); weighted, the design-based
    t test ``svyttest(y ~ g, svydesign(ids = ~1, weights = ~w))`` on the respondents of both
    groups. NPS: each group's NPS with the standard error of a weighted mean of the points
    (:func:`~surveykit.indices.nps.nps`), and a z test of the difference of two independent
    estimates.

    Examples
    --------
    >>> import numpy as np
    >>> from surveykit.indices.compare import compare_groups
    >>> y = np.array([80.0, 90, 70, 60, 50, 55])
    >>> g = np.array([True, True, True, False, False, False])
    >>> r = compare_groups(y, g, ~g)
    >>> r["test"], r["difference"], round(r["p_value"], 4)
    ('welch_t', 25.0, 0.0316)
    """
    level = check_level(ci_level, function)
    check_option("measure", measure, MEASURES, function=function)
    y = np.asarray(y, dtype=float)
    g, others = np.asarray(group, dtype=bool), np.asarray(rest, dtype=bool)
    w = None if weights is None else np.asarray(weights, dtype=float)
    if measure == "nps":
        m1, m0 = (_group_nps(y[m], None if w is None else w[m], level) for m in (g, others))
        test = "z"
    else:
        ww = np.ones(len(y)) if w is None else w
        m1, m0 = (_group_mean(y[m], ww[m], level) for m in (g, others))
        test = "welch_t" if w is None else "design_t"
    out = {"group": m1, "rest": m0, "test": test}
    if m1["n"] >= 2 and m0["n"] >= 2:
        if test == "z":
            out.update(_z(m1, m0, level))
        elif test == "design_t":
            both = g | others
            out.update(_design_t(y[both], g[both], w[both], level, function))
        else:
            out.update(_welch(y[g], y[others], level))
    else:
        out["difference"] = m1["estimate"] - m0["estimate"] if m1["n"] and m0["n"] else np.nan
    return out
