"""Moderation on observed scores (PROCESS model 1): an interaction, simple slopes, Johnson-Neyman.

y = b0 + b1 x + b2 w + b3 x w (+ covariates), by OLS as R ``lm``. The slope of x at a value
w0 of the moderator is b1 + b3 (w0 - centre of w), with variance V11 + 2 u V13 + u^2 V33
(u = w0 - centre). The Johnson-Neyman bounds are the w0 where that slope's t equals the
critical t: the real roots of (b3^2 - t^2 V33) u^2 + 2 (b1 b3 - t^2 V13) u + b1^2 - t^2 V11 = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import check_level
from .._linear import ols
from .._render import Summary
from .._result import Result
from ._ols import as_names, check_columns, complete_rows, rank_check

__all__ = ["ModerationResult", "moderation"]


@dataclass(frozen=True)
class ModerationResult(Result):
    """An interaction model with simple slopes and Johnson-Neyman bounds.

    Attributes
    ----------
    coefficients : DataFrame
        Indexed by term (``'intercept'``, x, w, ``'x:w'`` with the column names, covariates):
        ``estimate``, ``se``, ``t``, ``p_value``, ``ci_low``, ``ci_high`` (as ``summary(lm)``
        and ``confint``). With ``center=True`` x and w are centred at their means before the
        product, so x's and w's coefficients are their slopes at the other's mean.
    simple_slopes : DataFrame
        The slope of x at each value of w (on w's own scale, column ``w``; ``at`` names the
        value: 'mean - 1 SD', 'mean', 'mean + 1 SD' or the value given): ``estimate``, ``se``,
        ``t``, ``p_value``, ``ci_low``, ``ci_high``.
    jn_bounds : tuple of float
        Every value of w (own scale) where the slope's p-value equals 1 - ci_level: none, one
        or two (the real roots of a quadratic).
    jn_in_range : tuple of float
        The bounds inside the observed range of w.
    jn_region : str
        In words: where within the observed range of w the slope of x is significant.
    predicted : DataFrame
        Predicted y at x = mean - 1 SD and mean + 1 SD for each simple-slope value of w
        (covariates at their means): what ``plot_simple_slopes`` draws.
    """

    x: str
    w: str
    y: str
    covariates: tuple
    coefficients: pd.DataFrame
    simple_slopes: pd.DataFrame
    jn_bounds: tuple
    jn_in_range: tuple
    jn_region: str
    w_range: tuple
    predicted: pd.DataFrame
    r_squared: float
    r_squared_change: float
    center: bool
    ci_level: float
    n_obs: int
    n_dropped: int
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        """The simple slopes of x at the chosen values of w."""
        return self.simple_slopes.copy()

    def summary(self) -> Summary:
        inter = self.coefficients.iloc[3]
        cov = f"; covariates {', '.join(repr(c) for c in self.covariates)}" if self.covariates else ""
        lines = [f"Moderation (PROCESS model 1): x = {self.x!r}, moderator w = {self.w!r}, y = {self.y!r}{cov}"
                 + ("; x and w centred at their means" if self.center else ""),
                 f"n = {self.n_obs} complete rows ({self.n_dropped} dropped: a missing answer)",
                 f"R² = {self.r_squared:.3f}; the interaction adds ΔR² = {self.r_squared_change:.4f} "
                 f"(b = {inter.estimate:.4g}, p = {inter.p_value:.3g})",
                 f"Johnson-Neyman (alpha = {1 - self.ci_level:.2g}): {self.jn_region}", *self.notes]
        return Summary(title=f"Moderation of {self.x!r} -> {self.y!r} by {self.w!r}", lines=lines,
                       tables=[("Coefficients", self.coefficients), ("Simple slopes of x", self.simple_slopes)])

    def __repr__(self) -> str:
        inter = self.coefficients.iloc[3]
        return self._one_line(f"x={self.x!r} w={self.w!r} y={self.y!r} interaction={inter.estimate:.3f} "
                              f"p_value={inter.p_value:.3g} n_jn_bounds={len(self.jn_in_range)} n_obs={self.n_obs}")


def _slopes(fit: dict, at: np.ndarray, labels: list, shift: float, level: float) -> pd.DataFrame:
    b, v = fit["estimate"], fit["vcov"]
    u = at - shift
    est = b[1] + b[3] * u
    se = np.sqrt(v[1, 1] + 2 * u * v[1, 3] + u ** 2 * v[3, 3])
    t = est / se
    crit = stats.t.ppf(0.5 + level / 2, fit["df"])
    return pd.DataFrame({"w": at, "estimate": est, "se": se, "t": t, "p_value": 2 * stats.t.sf(np.abs(t), fit["df"]),
                         "ci_low": est - crit * se, "ci_high": est + crit * se},
                        index=pd.Index(labels, name="at"))


def _johnson_neyman(fit: dict, shift: float, level: float) -> list:
    """Values of w (own scale) where the slope of x has |t| = critical t, sorted."""
    b, v = fit["estimate"], fit["vcov"]
    t2 = stats.t.ppf(0.5 + level / 2, fit["df"]) ** 2
    qa = b[3] ** 2 - t2 * v[3, 3]
    qb = 2 * (b[1] * b[3] - t2 * v[1, 3])
    qc = b[1] ** 2 - t2 * v[1, 1]
    if qa == 0:
        roots = [] if qb == 0 else [-qc / qb]
    else:
        disc = qb ** 2 - 4 * qa * qc
        if disc < 0:
            roots = []
        else:
            s = np.sqrt(disc)
            # the numerically stable pair of roots
            q = -0.5 * (qb + np.copysign(s, qb))
            roots = [q / qa, qc / q] if q != 0 else [0.0, 0.0]
    return sorted(float(r + shift) for r in roots)


def _region(fit, bounds_in: list, lo: float, hi: float, shift: float, level: float, w: str) -> str:
    cuts = [lo, *bounds_in, hi]
    segments = []
    for a, c in zip(cuts, cuts[1:]):
        mid = _slopes(fit, np.array([(a + c) / 2]), ["mid"], shift, level)
        if mid.p_value.iloc[0] < 1 - level:
            segments.append((a, c))
    observed = f"the observed range of {w!r} ({lo:.4g} to {hi:.4g})"
    if not bounds_in:
        where = "everywhere" if segments else "nowhere"
        return f"no bound within {observed}: the slope of x is significant {where} in it."
    parts = []
    for a, c in segments:
        if a == lo:
            parts.append(f"{w!r} <= {c:.4g}")
        elif c == hi:
            parts.append(f"{w!r} >= {a:.4g}")
        else:
            parts.append(f"{a:.4g} <= {w!r} <= {c:.4g}")
    n = len(bounds_in)
    return (f"{'one bound' if n == 1 else 'two bounds'} within {observed}: the slope of x is significant for "
            f"{' and for '.join(parts) if parts else 'no value'}.")


def moderation(data: pd.DataFrame, x, w, y, *, covariates=(), center: bool = True, at=None,
               ci_level: float = 0.95) -> ModerationResult:
    """Moderation of x's effect on y by w: interaction, simple slopes and Johnson-Neyman bounds.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the named columns must be numeric. Rows with a missing
        value in any of them are dropped (listwise) and counted.
    x, w, y : str
        Columns of the predictor, the moderator and the outcome.
    covariates : list of str, optional
        Columns added to the model.
    center : bool, default True
        Centre x and w at their means before forming the product (the interaction, the
        simple slopes and the bounds do not change; x's and w's own coefficients do).
    at : list of float, optional
        Values of w (its own scale) for the simple slopes; default its mean and mean +- 1 SD.
    ci_level : float, default 0.95
        Level of the intervals; the Johnson-Neyman alpha is 1 - ci_level.

    Returns
    -------
    ModerationResult
        ``.coefficients``, ``.simple_slopes`` (``to_frame()``), ``.jn_bounds``,
        ``.jn_in_range``, ``.jn_region``.

    Raises
    ------
    ValueError
        A column not in data, a column in two roles, a bad option.
    DataError
        A non-numeric or infinite value; fewer complete rows than the predictors + 2; a
        variable (e.g. the moderator) with one value only; collinear predictors.

    Notes
    -----
    R equivalent: ``fit <- lm(y ~ xc * wc + cov)`` with ``xc``, ``wc`` the centred columns;
    ``vcov(fit)`` for the simple slopes; the bounds solve the quadratic of the module
    docstring (as ``interactions::johnson_neyman``). Checked to 1e-8 in
    ``tests/reference/mediation.R``. The SD of w is the sample SD (n - 1).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import moderation
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"price": rng.normal(size=500), "involvement": rng.normal(3, 1, 500)})
    >>> d["loyalty"] = 0.3 * d.price + 0.2 * d.price * d.involvement + rng.normal(size=500)
    >>> r = moderation(d, "price", "involvement", "loyalty")
    >>> r.simple_slopes.index.tolist()
    ['mean - 1 SD', 'mean', 'mean + 1 SD']
    >>> len(r.jn_bounds) <= 2
    True
    """
    function = "moderation"
    level = check_level(ci_level, function)
    if not isinstance(center, (bool, np.bool_)):
        raise ValueError(f"The 'center' parameter of {function} must be True or False. Got {center!r} instead.")
    covs = as_names(covariates, "covariates", function, allow_empty=True)
    check_columns(data, {"x": [x], "w": [w], "y": [y], "covariates": covs}, function)
    values, _, n_dropped, notes = complete_rows(data, {"x": [x], "w": [w], "y": [y], "covariates": covs},
                                                len(covs) + 6, function)
    xv, wv, yv, cv = values[:, 0], values[:, 1], values[:, 2], values[:, 3:]
    cx, cw = (xv.mean(), wv.mean()) if center else (0.0, 0.0)
    xc, wc = xv - cx, wv - cw
    design = np.column_stack([np.ones(len(yv)), xc, wc, xc * wc, cv])
    inter = f"{x}:{w}"
    terms = ["intercept", x, w, inter, *covs]
    rank_check(design, terms, y, function)
    fit = ols(design, yv, level)
    keys = ["estimate", "se", "t", "p_value", "ci_low", "ci_high"]
    coefficients = pd.DataFrame({k: fit[k] for k in keys}, index=pd.Index(terms, name="term"))
    r2_main = ols(np.delete(design, 3, axis=1), yv, level)["r_squared"]

    mean, sd = wv.mean(), wv.std(ddof=1)
    if at is None:
        at_values, labels = np.array([mean - sd, mean, mean + sd]), ["mean - 1 SD", "mean", "mean + 1 SD"]
    else:
        at_values = np.atleast_1d(np.asarray(at, dtype=float))
        if at_values.ndim != 1 or not len(at_values) or not np.isfinite(at_values).all():
            raise ValueError(f"The 'at' parameter of {function} must be one or more finite values of {w!r}; got "
                             f"{at!r}.")
        labels = [f"{v:g}" for v in at_values]
    slopes = _slopes(fit, at_values, labels, cw, level)
    bounds = _johnson_neyman(fit, cw, level)
    lo, hi = float(wv.min()), float(wv.max())
    inside = [b for b in bounds if lo <= b <= hi]
    region = _region(fit, inside, lo, hi, cw, level, w)

    xs = np.array([xv.mean() - xv.std(ddof=1), xv.mean() + xv.std(ddof=1)])
    b = fit["estimate"]
    base = b[0] + (cv.mean(axis=0) @ b[4:] if covs else 0.0)
    rows = [{"at": lab, "w": wval, "x": xval,
             "y_hat": base + b[1] * (xval - cx) + b[2] * (wval - cw) + b[3] * (xval - cx) * (wval - cw)}
            for lab, wval in zip(labels, at_values) for xval in xs]
    return ModerationResult(x=x, w=w, y=y, covariates=tuple(covs), coefficients=coefficients, simple_slopes=slopes,
                            jn_bounds=tuple(bounds), jn_in_range=tuple(inside), jn_region=region, w_range=(lo, hi),
                            predicted=pd.DataFrame(rows), r_squared=fit["r_squared"],
                            r_squared_change=fit["r_squared"] - r2_main, center=bool(center), ci_level=level,
                            n_obs=len(yv), n_dropped=n_dropped, notes=notes)
