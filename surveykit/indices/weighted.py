"""Survey-weighted means and proportions with design-based standard errors.

Single-stage stratified designs: respondents drawn without clustering within strata,
with sampling weights and optionally a finite population correction, the design R writes
``svydesign(ids=~1, strata=~strata, weights=~w, fpc=~fpc)``. Standard errors are by Taylor
linearization and equal ``survey::svymean`` (survey 4.1.1) to rounding.

Every quantity is a sum per stratum (two passes: the weighted totals give the estimate;
the sums of the linearized values and of their squares within strata give the variance),
so the same computation runs over row partitions of a table too large for memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._render import Summary
from ..errors import DataError

__all__ = ["WeightedMeanResult", "WeightedProportionsResult", "weighted_mean", "weighted_proportions"]

_FIRST = 5  # rows quoted in an error message


# ---------------------------------------------------------------------------------------------
# input checks


def _rows(mask: np.ndarray, index: pd.Index) -> str:
    """'3 rows (first rows: 4, 17, 20)' naming rows by the index of the input."""
    where = np.flatnonzero(mask)
    first = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in index[where[:_FIRST]])
    return f"{len(where)} row{'s' if len(where) != 1 else ''} (first rows: {first})"


def _names(values, limit: int = _FIRST) -> str:
    """"'a', 'b', 'c', 'd', 'e' and 3 more": the first few of a list, quoted, for a message."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _as_series(values, name: str, function: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(f"The {name!r} parameter of {function} must be one column of answers; got a DataFrame "
                             f"with {values.shape[1]} columns. Pass one column, e.g. frame['q1'].")
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series):
        return values
    arr = np.asarray(values, dtype=object if not isinstance(values, np.ndarray) else None)
    if arr.ndim != 1:
        raise ValueError(f"The {name!r} parameter of {function} must be one-dimensional; got shape {arr.shape}.")
    return pd.Series(arr)


def _as_vector(x, name: str, n: int, function: str, *, what: str) -> np.ndarray:
    arr = np.asarray(x.to_numpy() if isinstance(x, (pd.Series, pd.Index)) else x)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.ndim != 1 or len(arr) != n:
        got = f"{len(arr)} values" if arr.ndim == 1 else f"shape {arr.shape}"
        raise ValueError(f"The {name!r} parameter of {function} has {got} but there are {n} answers; pass {what}, "
                         "aligned by position with the answers.")
    return arr


def _check_weights(weights, n: int, index: pd.Index, function: str) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    raw = _as_vector(weights, "weights", n, function, what="one weight per respondent")
    try:
        w = raw.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"The weights passed to {function} are not numeric (dtype {raw.dtype}). Pass numbers, "
                        "e.g. frame['weight'].astype(float).") from None
    problems = []
    for mask, label in [(~np.isfinite(w), "missing or infinite"), (np.isfinite(w) & (w == 0), "zero"),
                        (np.isfinite(w) & (w < 0), "negative")]:
        if mask.any():
            problems.append(f"{label} in {_rows(mask, index)}")
    if problems:
        raise DataError(f"Weights of {function} must be positive and finite: {'; '.join(problems)}. Drop those "
                        "respondents before the call, or fix the weights (a respondent outside the population of "
                        "inference is dropped, not given weight 0).")
    return w


@dataclass(frozen=True)
class _Design:
    """Weights, stratum codes and the per-stratum sample sizes and variance factors of a design."""

    weights: np.ndarray
    codes: np.ndarray  # stratum of each row, 0 .. n_strata - 1
    labels: list  # stratum labels
    n_h: np.ndarray  # respondents per stratum (all rows, answered or not: the sample)
    factor: np.ndarray  # (1 - f_h) n_h / (n_h - 1), 0 for a census stratum
    fpc: bool

    @property
    def n_strata(self) -> int:
        return len(self.labels)


def _design(n: int, index: pd.Index, weights, strata, fpc, function: str) -> _Design:
    w = _check_weights(weights, n, index, function)
    if strata is None:
        codes, labels = np.zeros(n, dtype=np.intp), ["(all)"]
    else:
        s = _as_vector(strata, "strata", n, function, what="one stratum label per respondent")
        codes, uniques = pd.factorize(pd.Series(s), sort=True)
        if (codes < 0).any():
            raise DataError(f"The strata of {function} are missing in {_rows(codes < 0, index)}. Every respondent "
                            "needs a stratum: fill them in or drop those rows before the call.")
        labels = list(uniques)
    n_h = np.bincount(codes, minlength=len(labels)).astype(float)
    f_keep = np.ones(len(labels))  # (N_h - n_h) / N_h, as R; 1 without fpc
    if fpc is not None:
        raw = _as_vector(fpc, "fpc", n, function, what="one population size (or sampling fraction) per respondent")
        try:
            fp = raw.astype(float)
        except (TypeError, ValueError):
            raise DataError(f"The fpc passed to {function} is not numeric (dtype {raw.dtype}).") from None
        bad = ~np.isfinite(fp) | (fp <= 0)
        if bad.any():
            raise DataError(f"The fpc of {function} must be positive and finite; it is not in {_rows(bad, index)}.")
        if (fp > 1).any() and (fp < 1).any():
            raise DataError(f"The fpc of {function} mixes population sizes (values > 1) and sampling fractions "
                            f"(values < 1): {_rows(fp < 1, index)} hold fractions. Pass one or the other for every "
                            "respondent (R survey stops with 'Must have all fpc>=1 or all fpc<=1').")
        lo = np.full(len(labels), np.inf)
        hi = np.full(len(labels), -np.inf)
        np.minimum.at(lo, codes, fp)
        np.maximum.at(hi, codes, fp)
        varies = np.flatnonzero(lo != hi)
        if len(varies):
            h = varies[0]
            raise DataError(f"The fpc of {function} varies within stratum {labels[h]!r} (from {lo[h]:g} to {hi[h]:g}); "
                            f"{len(varies)} strata affected. It is the population size (or sampling fraction) of "
                            "the stratum and must be the same for all its respondents.")
        popsize = lo if (fp > 1).any() else n_h / lo
        small = np.flatnonzero(popsize < n_h)
        if len(small):
            h = small[0]
            raise DataError(f"The fpc of {function} gives stratum {labels[h]!r} a population of {popsize[h]:g} but "
                            f"{n_h[h]:g} respondents were sampled there ({len(small)} strata affected). fpc is the "
                            "population size N_h of the stratum (or the sampling fraction n_h / N_h when every "
                            "value is at most 1); the sample counts every respondent, answered or not.")
        f_keep = (popsize - n_h) / popsize
        fpc_used = True
    else:
        fpc_used = False
    census = f_keep < 1e-7  # as R: a fully enumerated stratum adds no variance
    lonely = np.flatnonzero((n_h < 2) & ~census)
    if len(lonely):
        names = ", ".join(repr(labels[h]) for h in lonely[:_FIRST])
        raise DataError(f"Stratum {names} of {function} has only one respondent ({len(lonely)} such strata); a "
                        "design-based variance needs at least 2 per stratum (R survey stops with 'Stratum (...) has "
                        "only one PSU'). Merge it with a similar stratum, or give its population size as fpc if "
                        "it is a census of the stratum.")
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(census, 0.0, f_keep * n_h / (n_h - 1))
    return _Design(w, codes, labels, n_h, factor, fpc_used)


# ---------------------------------------------------------------------------------------------
# the estimator


def _stratified_variance(z: np.ndarray, design: _Design) -> np.ndarray:
    """Design variance of the totals of the columns of the linearized values ``z`` (n x k).

    sum_h (1 - f_h) n_h / (n_h - 1) sum_i (z_i - zbar_h)^2, from per-stratum sums.
    """
    k, h = z.shape[1], design.n_strata
    zbar = np.stack([np.bincount(design.codes, z[:, j], minlength=h) for j in range(k)], axis=1) / design.n_h[:, None]
    zc = z - zbar[design.codes]
    ss = np.stack([np.bincount(design.codes, zc[:, j] ** 2, minlength=h) for j in range(k)], axis=1)
    return design.factor @ ss


def _linearized(y: np.ndarray, answered: np.ndarray, design: _Design) -> dict:
    """Weighted means of the columns of ``y`` and their design-based variances.

    ``y`` (n x k) is read only where ``answered``. The unanswered rows stay in the design
    with a linearized value of 0, as ``svymean(na.rm=TRUE)`` (domain estimation: the
    stratum sample sizes n_h count them). Pass 1: totals sum w and sum w y. Pass 2: by
    stratum, the sums of z = w (y - mean) / sum w and of (z - zbar_h)^2
    (:func:`_stratified_variance`).
    """
    w = np.where(answered, design.weights, 0.0)
    yy = np.where(answered[:, None], y, 0.0)
    total = w.sum()
    estimate = (w[:, None] * yy).sum(axis=0) / total
    var = _stratified_variance(w[:, None] * (yy - estimate) / total, design)
    # deff as svymean(deff="replace"): against simple random sampling with replacement of the same n
    m = int(answered.sum())
    var_srs = (w[:, None] * (yy - estimate) ** 2).sum(axis=0) / total / (m - 1) if m > 1 else np.full(y.shape[1], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = var / var_srs
    wa = design.weights[answered]
    return {"estimate": estimate, "se": np.sqrt(var), "deff": deff, "n_obs": m,
            "effective_n": wa.sum() ** 2 / (wa ** 2).sum() if m else np.nan, "sum_weights": float(total)}


def _interval(estimate, se, ci_level: float):
    z = stats.norm.ppf(0.5 + ci_level / 2)
    return estimate - z * se, estimate + z * se


def _check_level(ci_level, function: str) -> float:
    if not isinstance(ci_level, (int, float)) or isinstance(ci_level, bool) or not 0 < ci_level < 1:
        raise ValueError(f"The 'ci_level' parameter of {function} must be a number between 0 and 1 (e.g. 0.95). "
                         f"Got {ci_level!r} instead.")
    return float(ci_level)


def _design_line(design: _Design) -> str:
    strata = "no strata" if design.labels == ["(all)"] else f"{design.n_strata} strata"
    return (f"Design: one stage, {strata}, {'with' if design.fpc else 'without'} finite population correction; "
            "Taylor linearization (R survey::svymean)")


# ---------------------------------------------------------------------------------------------
# weighted mean


@dataclass(frozen=True)
class WeightedMeanResult:
    """A design-based weighted mean.

    Attributes
    ----------
    estimate : float
        Weighted mean of the answered rows, sum w y / sum w.
    se : float
        Taylor-linearization standard error, as ``survey::svymean``.
    ci_low, ci_high : float
        Normal (Wald) interval at ``ci_level``, as ``confint(svymean(...))``.
    deff : float
        Design effect against simple random sampling with replacement of ``n_obs``
        respondents (``svymean(..., deff="replace")``).
    n_obs, n_dropped : int
        Answered rows used; rows with a missing value (kept in the design as a domain).
    effective_n : float
        Kish's effective sample size of the answered rows, (sum w)^2 / sum w^2.
    sum_weights : float
        Sum of the weights of the answered rows (the estimated population size when the
        weights are expansion weights).
    n_strata : int
    fpc : bool
        Whether a finite population correction was applied.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    ci_level: float
    deff: float
    n_obs: int
    n_dropped: int
    effective_n: float
    sum_weights: float
    n_strata: int
    fpc: bool
    name: str | None = None
    design: str = ""
    nan_policy: str = "domain"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": [self.estimate], "se": [self.se], "ci_low": [self.ci_low],
                             "ci_high": [self.ci_high], "deff": [self.deff], "n_obs": [self.n_obs],
                             "effective_n": [self.effective_n]},
                            index=pd.Index([self.name if self.name is not None else "value"], name="variable"))

    def summary(self) -> Summary:
        lines = [(f"Weighted mean = {self.estimate:.4g} (SE {self.se:.4g}; {self.ci_level:.0%} CI {self.ci_low:.4g} "
                 f"to {self.ci_high:.4g}, normal)"),
                 (f"n = {self.n_obs} answered ({self.n_dropped} missing, kept in the design as a domain), "
                 f"effective n (Kish) = {self.effective_n:.1f}, design effect = {self.deff:.3f}"),
                 self.design]
        return Summary(title="Weighted mean" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Estimate", self.to_frame())])

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        name = f" name={self.name!r}" if self.name is not None else ""
        return (f"<WeightedMeanResult{name} estimate={self.estimate:.4g} se={self.se:.4g} n_obs={self.n_obs} "
                f"effective_n={self.effective_n:.1f}>")


def weighted_mean(values, *, weights, strata=None, fpc=None, ci_level: float = 0.95) -> WeightedMeanResult:
    """Weighted mean with a design-based standard error (single-stage stratified design).

    Parameters
    ----------
    values : array-like or Series
        One numeric answer per respondent; NaN is a missing answer.
    weights : array-like
        Sampling weights, one per respondent, positive and finite; aligned by position.
    strata : array-like, optional
        Stratum label of each respondent (any labels). None: one stratum.
    fpc : array-like or float, optional
        Finite population correction, one value per respondent (or one for all): the
        population size N_h of the respondent's stratum or, when every value is at most 1,
        the sampling fraction n_h / N_h, as R's ``fpc``. None: sampling with replacement.
    ci_level : float
        Level of the normal (Wald) interval, estimate +- z * se.

    Returns
    -------
    WeightedMeanResult

    Raises
    ------
    DataError
        Weights missing, zero or negative; a missing stratum; a stratum with a single
        respondent (unless it is a census); an fpc that varies within a stratum, mixes
        sizes and fractions, or is smaller than the stratum's sample.
    ValueError
        Lengths that differ, a ``ci_level`` outside (0, 1).

    Notes
    -----
    R equivalent::

        d <- svydesign(ids = ~1, strata = ~strata, weights = ~w, fpc = ~fpc, data = x)
        m <- svymean(~y, d, na.rm = TRUE, deff = "replace"); confint(m)

    The estimate is sum w y / sum w over the answered rows; the variance is
    sum_h (1 - n_h / N_h) n_h / (n_h - 1) sum_i (z_i - zbar_h)^2 with
    z_i = w_i (y_i - mean) / sum w. Missing answers are handled as ``na.rm=TRUE`` does for
    such a design: the respondents without an answer stay in the sample (z_i = 0) and n_h
    counts them, i.e. the answerers are a domain of the sample. Dropping them before the
    call gives a (slightly) different standard error: it treats the number of answerers
    per stratum as fixed by design. The tests match R to 1e-10.

    Examples
    --------
    >>> import numpy as np
    >>> from surveykit.indices.weighted import weighted_mean
    >>> r = weighted_mean([4, 5, 3, np.nan, 4, 2], weights=[1, 2, 1, 1, 2, 1], strata=list("aaabbb"))
    >>> round(r.estimate, 4), r.n_obs, r.n_dropped
    (3.8571, 5, 1)
    >>> round(r.se, 4)
    0.4906
    """
    function = "weighted_mean"
    level = _check_level(ci_level, function)
    series = _as_series(values, "values", function)
    try:
        y = pd.to_numeric(series).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise DataError(f"The values passed to {function} are not numeric (dtype {series.dtype}). Use "
                        "weighted_proportions for categories, or convert label text to codes first.") from None
    inf = np.isinf(y)
    if inf.any():
        raise DataError(f"The values of {function} are infinite in {_rows(inf, series.index)}. Set them to NaN "
                        "(missing) or correct them.")
    design = _design(len(y), series.index, weights, strata, fpc, function)
    answered = ~np.isnan(y)
    if not answered.any():
        raise DataError(f"No answers to average in {function}: all {len(y)} values are missing.")
    out = _linearized(y[:, None], answered, design)
    est, se = float(out["estimate"][0]), float(out["se"][0])
    lo, hi = _interval(est, se, level)
    return WeightedMeanResult(est, se, lo, hi, level, float(out["deff"][0]), out["n_obs"], int((~answered).sum()),
                              float(out["effective_n"]), out["sum_weights"], design.n_strata, design.fpc,
                              name=None if series.name is None else str(series.name), design=_design_line(design))


# ---------------------------------------------------------------------------------------------
# weighted proportions


@dataclass(frozen=True)
class WeightedProportionsResult:
    """Design-based weighted shares of the categories of one variable.

    Attributes
    ----------
    table : DataFrame
        By level: ``estimate`` (share, 0-1), ``se``, ``ci_low``, ``ci_high`` (normal
        interval, as ``confint(svymean(~factor(x)))``; it can leave [0, 1] for a rare
        level), ``deff`` (as ``svymean(deff="replace")``), ``count`` (unweighted answers).
    n_obs, n_dropped : int
        Answered rows; rows with a missing value (kept in the design as a domain).
    effective_n : float
        Kish's effective sample size of the answered rows.
    """

    table: pd.DataFrame
    ci_level: float
    n_obs: int
    n_dropped: int
    effective_n: float
    sum_weights: float
    n_strata: int
    fpc: bool
    name: str | None = None
    design: str = ""
    nan_policy: str = "domain"

    def to_frame(self) -> pd.DataFrame:
        return self.table[["estimate", "se", "ci_low", "ci_high"]].copy()

    def summary(self) -> Summary:
        lines = [(f"n = {self.n_obs} answered ({self.n_dropped} missing, kept in the design as a domain), effective "
                 f"n (Kish) = {self.effective_n:.1f}; {self.ci_level:.0%} normal (Wald) intervals"), self.design]
        return Summary(title="Weighted proportions" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Shares", self.table)])

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        name = f" name={self.name!r}" if self.name is not None else ""
        return (f"<WeightedProportionsResult{name} n_levels={len(self.table)} n_obs={self.n_obs} "
                f"effective_n={self.effective_n:.1f}>")


def weighted_proportions(values, *, weights, strata=None, fpc=None,
                         ci_level: float = 0.95) -> WeightedProportionsResult:
    """Weighted shares of categories with design-based standard errors.

    Parameters
    ----------
    values : array-like or Series
        One category per respondent (codes or labels); NaN / None is a missing answer.
        The levels are the categories of a categorical Series (unused ones included, with
        share 0), else the sorted distinct values.
    weights, strata, fpc, ci_level
        As :func:`weighted_mean`.

    Returns
    -------
    WeightedProportionsResult
        ``to_frame()`` is indexed by level, with columns estimate, se, ci_low, ci_high.

    Raises
    ------
    DataError, ValueError
        As :func:`weighted_mean`.

    Notes
    -----
    The share of each level is the weighted mean of its indicator, so everything in
    :func:`weighted_mean` applies; R equivalent
    ``svymean(~factor(x), design, na.rm = TRUE)`` and ``confint`` (Wald). For intervals
    that stay inside [0, 1] use R's ``svyciprop`` (not provided here).

    Examples
    --------
    >>> from surveykit.indices.weighted import weighted_proportions
    >>> r = weighted_proportions(["a", "b", "a", None, "b", "b"], weights=[1, 2, 1, 1, 2, 1])
    >>> r.to_frame()["estimate"].round(3).to_dict()
    {'a': 0.286, 'b': 0.714}
    """
    function = "weighted_proportions"
    level = _check_level(ci_level, function)
    series = _as_series(values, "values", function)
    answered = series.notna().to_numpy()
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = list(series.cat.categories)
    else:
        try:
            levels = sorted(series[answered].unique())
        except TypeError:  # mixed types: order of first appearance
            levels = list(series[answered].unique())
    design = _design(len(series), series.index, weights, strata, fpc, function)
    if not answered.any():
        raise DataError(f"No answers to count in {function}: all {len(series)} values are missing.")
    codes = pd.Categorical(series, categories=levels).codes
    y = (codes[:, None] == np.arange(len(levels))[None, :]).astype(float)
    out = _linearized(y, answered, design)
    lo, hi = _interval(out["estimate"], out["se"], level)
    table = pd.DataFrame({"estimate": out["estimate"], "se": out["se"], "ci_low": lo, "ci_high": hi,
                          "deff": out["deff"], "count": y[answered].sum(axis=0).astype(int)},
                         index=pd.Index(levels, name="level"))
    return WeightedProportionsResult(table, level, out["n_obs"], int((~answered).sum()), float(out["effective_n"]),
                                     out["sum_weights"], design.n_strata, design.fpc,
                                     name=None if series.name is None else str(series.name),
                                     design=_design_line(design))
