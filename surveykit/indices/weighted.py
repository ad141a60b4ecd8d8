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

from .._checks import as_series, check_finite, check_level, rows_where
from .._design import design_line, interval, linearized, read_design
from .._render import Summary
from .._result import Result
from ..errors import DataError

__all__ = ["WeightedMeanResult", "WeightedProportionsResult", "weighted_mean", "weighted_proportions"]


# ---------------------------------------------------------------------------------------------
# weighted mean


@dataclass(frozen=True)
class WeightedMeanResult(Result):
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
    notes: tuple = ()  # why a number is NaN (a design effect of values that do not vary)

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
                 self.design, *self.notes]
        return Summary(title="Weighted mean" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Estimate", self.to_frame())])

    def __repr__(self) -> str:
        return self._one_line(f"estimate={self.estimate:.4g} se={self.se:.4g} n_obs={self.n_obs} "
                              f"effective_n={self.effective_n:.1f}")


def _deff_note(deff, names) -> tuple:
    """The note for design effects that are NaN: the answers do not vary (a share of 0 or 1), so the
    variance under simple random sampling they are divided by is 0 (R ``svymean`` gives NaN too)."""
    undefined = [str(n) for n, d in zip(names, np.atleast_1d(deff)) if np.isnan(d)]
    if not undefined:
        return ()
    return (f"Design effect NaN for {', '.join(undefined[:5])}{' ...' if len(undefined) > 5 else ''}: the answers do "
            "not vary (a constant value, or a share of 0 or 1), so there is no variance to compare with.",)


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
    level = check_level(ci_level, function)
    series = as_series(values, "values", function)
    try:
        y = pd.to_numeric(series).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise DataError(f"The values passed to {function} are not numeric (dtype {series.dtype}). Use "
                        "weighted_proportions for categories, or convert label text to codes first.") from None
    check_finite(y, ["values" if series.name is None else series.name], series.index, function, what="The")
    design = read_design(len(y), series.index, weights, strata, fpc, function)
    answered = ~np.isnan(y)
    if not answered.any():
        raise DataError(f"No answers to average in {function}: all {len(y)} values are missing.")
    out = linearized(y[:, None], answered, design)
    est, se = float(out["estimate"][0]), float(out["se"][0])
    lo, hi = interval(est, se, level)
    return WeightedMeanResult(est, se, lo, hi, level, float(out["deff"][0]), out["n_obs"], int((~answered).sum()),
                              float(out["effective_n"]), out["sum_weights"], design.n_strata, design.fpc,
                              name=None if series.name is None else str(series.name), design=design_line(design),
                              notes=_deff_note(out["deff"], ["the values"]))


# ---------------------------------------------------------------------------------------------
# weighted proportions


@dataclass(frozen=True)
class WeightedProportionsResult(Result):
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
    notes: tuple = ()  # why a number is NaN (a design effect of values that do not vary)

    def to_frame(self) -> pd.DataFrame:
        return self.table[["estimate", "se", "ci_low", "ci_high"]].copy()

    def summary(self) -> Summary:
        lines = [(f"n = {self.n_obs} answered ({self.n_dropped} missing, kept in the design as a domain), effective "
                 f"n (Kish) = {self.effective_n:.1f}; {self.ci_level:.0%} normal (Wald) intervals"), self.design,
                 *self.notes]
        return Summary(title="Weighted proportions" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Shares", self.table)])

    def __repr__(self) -> str:
        return self._one_line(f"n_levels={len(self.table)} n_obs={self.n_obs} effective_n={self.effective_n:.1f}")


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
    level = check_level(ci_level, function)
    series = as_series(values, "values", function)
    answered = series.notna().to_numpy()
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = list(series.cat.categories)
    else:
        try:
            levels = sorted(series[answered].unique())
        except TypeError:  # mixed types: order of first appearance
            levels = list(series[answered].unique())
    design = read_design(len(series), series.index, weights, strata, fpc, function)
    if not answered.any():
        raise DataError(f"No answers to count in {function}: all {len(series)} values are missing.")
    codes = pd.Categorical(series, categories=levels).codes
    y = (codes[:, None] == np.arange(len(levels))[None, :]).astype(float)
    out = linearized(y, answered, design)
    lo, hi = interval(out["estimate"], out["se"], level)
    table = pd.DataFrame({"estimate": out["estimate"], "se": out["se"], "ci_low": lo, "ci_high": hi,
                          "deff": out["deff"], "count": y[answered].sum(axis=0).astype(int)},
                         index=pd.Index(levels, name="level"))
    return WeightedProportionsResult(table, level, out["n_obs"], int((~answered).sum()), float(out["effective_n"]),
                                     out["sum_weights"], design.n_strata, design.fpc,
                                     name=None if series.name is None else str(series.name),
                                     design=design_line(design), notes=_deff_note(out["deff"], table.index))
