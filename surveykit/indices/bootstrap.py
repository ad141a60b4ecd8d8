"""Vectorised bootstrap of ratio-of-sums statistics: every index of the package.

Every index here is a ratio of two weighted sums over respondents,
``theta = sum_i w_i a_i / sum_i w_i b_i``: a weighted mean (b = 1: satisfaction and loyalty
indices, NPS with a = 100 / 0 / -100, top box with a = 0 / 1) or a ratio of means (perceived
value as benefits / sacrifices). A bootstrap resample changes only how many times each
respondent is counted, so a replicate is ``sum_i c_i w_i a_i / sum_i c_i w_i b_i`` with
resample counts c.

Respondents with the same (stratum, w a, w b) are interchangeable, and the counts of the U
distinct rows of a resample are multinomial(n_h, m_u / n_h) within each stratum h (m_u: the
rows sharing that value). Drawing those counts directly is the same distribution as drawing
n row numbers, and costs O(U) instead of O(n) per resample: a 0-10 NPS answer has three
distinct rows whatever n is, a three-item 1-5 index at most 125. When the rows repeat too
little for that to pay (U > n / 8, e.g. continuous weights) the counts come from
``rng.integers`` and ``np.bincount`` instead, O(n) per resample. Either way the resamples are drawn in chunks and summed by one matrix
product per chunk: no Python loop over resamples.

The distinct rows and their multiplicities are sums over any partition of the rows, so the
same bootstrap runs on data split in chunks (merge the counts, then resample).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._bootstrap import CI_METHODS, bootstrap_interval
from .._checks import as_series, as_vector, check_finite, check_level, check_weights, rows_where
from .._render import Summary
from .._result import Result
from ..errors import DataError, check_option

__all__ = ["BootstrapResult", "bootstrap_ci"]

_CHUNK_CELLS = 4_000_000  # resamples x distinct rows held at once (32 MB of counts)
_MULTINOMIAL_COST = 8  # a multinomial category costs about 8 row draws (integers + bincount + product)
_DRAWS = 2_000_000  # row draws per chunk when counting respondents


@dataclass(frozen=True)
class _Compressed:
    """Distinct rows (stratum, numerator, denominator) with their multiplicities."""

    strata: np.ndarray  # stratum code of each distinct row
    values: np.ndarray  # (U, 2): w a, w b
    counts: np.ndarray  # rows sharing the value
    inverse: np.ndarray  # distinct row of each respondent


def _compress(num: np.ndarray, den: np.ndarray, codes: np.ndarray) -> _Compressed:
    ca, ua = pd.factorize(num)
    cb, ub = pd.factorize(den)
    first_pair, _ = pd.factorize(codes.astype(np.int64) * len(ua) + ca)  # at most n^2 < 2^63 cells each step
    inverse, uniques = pd.factorize(first_pair.astype(np.int64) * len(ub) + cb)
    counts = np.bincount(inverse, minlength=len(uniques))
    first = np.zeros(len(uniques), dtype=np.intp)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]  # a respondent of each distinct row
    return _Compressed(codes[first], np.column_stack([num[first], den[first]]), counts, inverse)


def resample_sums(num: np.ndarray, den: np.ndarray, codes: np.ndarray, n_boot: int, rng: np.random.Generator,
                  *, progress: bool = False) -> tuple[np.ndarray, _Compressed]:
    """Sums of ``num`` and ``den`` over each of ``n_boot`` stratified bootstrap resamples.

    Returns a (n_boot, 2) array and the compressed rows (for the jackknife).
    """
    comp = _compress(num, den, codes)
    n_strata = int(codes.max()) + 1 if len(codes) else 1
    out = np.zeros((n_boot, 2))
    from tqdm.auto import tqdm

    for h in range(n_strata):
        rows = np.flatnonzero(comp.strata == h)
        if not len(rows):
            continue
        m = comp.counts[rows]
        n_h = int(m.sum())
        multinomial = len(rows) * _MULTINOMIAL_COST < n_h  # cheaper than counting n_h draws
        if multinomial:  # counts of the distinct rows, O(U) per resample
            vals, chunk = comp.values[rows], _CHUNK_CELLS // len(rows)
        else:  # rows hardly repeat: counts of the respondents, O(n_h) per resample (memory-bound: small chunks)
            members = np.flatnonzero(codes == h)
            vals, chunk = np.column_stack([num[members], den[members]]), _DRAWS // n_h
        chunk = int(max(1, min(n_boot, chunk)))
        with tqdm(total=n_boot, desc="bootstrap", unit="resample", disable=not progress, leave=False) as bar:
            for start in range(0, n_boot, chunk):
                c = min(chunk, n_boot - start)
                if multinomial:
                    counts = rng.multinomial(n_h, m / n_h, size=c)
                else:  # c resamples at once: one bincount over (resample, respondent) cells
                    draws = rng.integers(0, n_h, (c, n_h))
                    draws += np.arange(c)[:, None] * n_h
                    counts = np.bincount(draws.ravel(), minlength=c * n_h).reshape(c, n_h)
                out[start:start + c] += counts @ vals
                bar.update(c)
    return out, comp


def _jackknife(comp: _Compressed) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-out ratios, one per distinct row, and how many respondents share each."""
    total = comp.values.T @ comp.counts
    loo = total[None, :] - comp.values
    with np.errstate(divide="ignore", invalid="ignore"):
        return loo[:, 0] / loo[:, 1], comp.counts


@dataclass(frozen=True)
class BootstrapResult(Result):
    """A bootstrap confidence interval of a weighted mean or ratio of means.

    Attributes
    ----------
    estimate : float
        sum w a / sum w b over the rows used.
    se : float
        Standard deviation of the replicates.
    ci_low, ci_high : float
        Percentile or BCa interval at ``ci_level``.
    ci_method : str
    n_resamples, n_obs, n_dropped : int
        Resamples; rows used; rows left out for a missing value.
    effective_n : float
        Kish's effective sample size of the rows used.
    replicates : ndarray
        The ``n_resamples`` replicate estimates (NaN where a resample's denominator is 0).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    ci_level: float
    ci_method: str
    n_resamples: int
    n_obs: int
    n_dropped: int
    effective_n: float
    n_strata: int
    replicates: np.ndarray = field(repr=False)
    name: str | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": [self.estimate], "se": [self.se], "ci_low": [self.ci_low],
                             "ci_high": [self.ci_high], "n_obs": [self.n_obs], "effective_n": [self.effective_n]},
                            index=pd.Index([self.name if self.name is not None else "value"], name="variable"))

    def summary(self) -> Summary:
        method = "BCa" if self.ci_method == "bca" else "percentile"
        strata = f", resampled within {self.n_strata} strata" if self.n_strata > 1 else ""
        lines = [(f"Estimate = {self.estimate:.4g} (bootstrap SE {self.se:.4g}; {self.ci_level:.0%} {method} CI "
                  f"{self.ci_low:.4g} to {self.ci_high:.4g})"),
                 f"{self.n_resamples} resamples of n = {self.n_obs} rows{strata} ({self.n_dropped} left out: missing)",
                 *self.notes]
        return Summary(title="Bootstrap" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Estimate", self.to_frame())])

    def __repr__(self) -> str:
        return self._one_line(f"estimate={self.estimate:.4g} ci=[{self.ci_low:.4g}, {self.ci_high:.4g}] "
                              f"method={self.ci_method!r} n_resamples={self.n_resamples}")


def ci_description(bootstrap: BootstrapResult | None) -> str:
    """'normal' or 'BCa bootstrap, 2000 resamples': how an index's interval was made."""
    if bootstrap is None:
        return "normal"
    return f"{'BCa' if bootstrap.ci_method == 'bca' else 'percentile'} bootstrap, {bootstrap.n_resamples} resamples"


def _check_n_resamples(n_resamples, function: str) -> int:
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 100:
        raise ValueError(f"The 'n_resamples' parameter of {function} must be a whole number of at least 100 "
                         f"(2,000 is usual for a 95% interval). Got {n_resamples!r} instead.")
    return int(n_resamples)


def ratio_bootstrap(num: np.ndarray, den: np.ndarray, *, weights: np.ndarray | None = None,
                    codes: np.ndarray | None = None, n_resamples: int, ci_method: str, ci_level: float, seed,
                    progress: bool = False, name: str | None = None, n_dropped: int = 0,
                    function: str = "bootstrap_ci") -> BootstrapResult:
    """The bootstrap of sum w a / sum w b on checked, complete arrays (the engine of :func:`bootstrap_ci`)."""
    check_option("ci_method", ci_method, CI_METHODS, function=function)
    n_boot = _check_n_resamples(n_resamples, function)
    level = check_level(ci_level, function)
    n = len(num)
    w = np.ones(n) if weights is None else weights
    codes = np.zeros(n, dtype=np.intp) if codes is None else codes
    wa, wb = w * num, w * den
    estimate = wa.sum() / wb.sum()
    rng = np.random.default_rng(seed)
    sums, comp = resample_sums(wa, wb, codes, n_boot, rng, progress=progress)
    with np.errstate(divide="ignore", invalid="ignore"):
        reps = sums[:, 0] / sums[:, 1]
    notes = []
    finite = np.isfinite(reps)
    if not finite.all():
        notes.append(f"{(~finite).sum()} of {n_boot} resamples have a zero denominator and no estimate; the "
                     "interval uses the others.")
    tb = reps[finite]
    jack, jack_counts = _jackknife(comp) if ci_method == "bca" else (None, None)
    low, high = bootstrap_interval(tb, estimate, jack, level, ci_method, jack_counts) if len(tb) else (np.nan, np.nan)
    if not np.isfinite([low, high]).all():
        notes.append("The interval cannot be computed: the replicates are degenerate (e.g. every answer is the same) "
                     "or, for BCa, a leave-one-out estimate is undefined.")
    return BootstrapResult(float(estimate), float(np.std(tb, ddof=1)) if len(tb) > 1 else np.nan, low, high, level,
                           ci_method, n_boot, n, n_dropped, float(w.sum() ** 2 / (w ** 2).sum()),
                           int(codes.max()) + 1 if n else 0, reps, name, tuple(notes))


def bootstrap_ci(values, *, weights=None, denominator=None, strata=None, n_resamples: int = 2000,
                 ci_method: str = "bca", ci_level: float = 0.95, seed=None, progress: bool = False) -> BootstrapResult:
    """Bootstrap confidence interval of a (weighted) mean, or of a ratio of two (weighted) means.

    The statistic is ``sum w a / sum w b`` with ``a = values`` and ``b = denominator``
    (default 1: the weighted mean of ``values``). Any index that is a mean of a per-respondent
    score (a 0-100 satisfaction score, an NPS recode 100 / 0 / -100, a top-box indicator, a
    benefits - sacrifices difference) or a ratio of two means (benefits / sacrifices) is
    bootstrapped by passing its per-respondent parts.

    Parameters
    ----------
    values : array-like or Series
        Numerator score per respondent; NaN is left out (with its denominator).
    weights : array-like, optional
        Sampling weights, positive and finite; each respondent is resampled with its weight.
    denominator : array-like, optional
        Denominator score per respondent (a ratio of means); NaN is left out.
    strata : array-like, optional
        Resample within strata (each stratum keeps its sample size).
    n_resamples : int, default 2000
    ci_method : {'bca', 'percentile'}
        BCa (bias-corrected and accelerated, acceleration from the jackknife) or percentile.
    ci_level : float, default 0.95
    seed : int or numpy Generator, optional
        For reproducible replicates.
    progress : bool
        Show a progress bar.

    Returns
    -------
    BootstrapResult

    Raises
    ------
    DataError
        Non-numeric or infinite values, bad weights, fewer than 2 complete rows, a missing stratum.
    ValueError
        ``n_resamples`` below 100, an unknown ``ci_method``, lengths that differ.

    Notes
    -----
    The resamples are drawn as multinomial counts of the distinct rows (see the module
    docstring): the same distribution as resampling respondents with replacement, not the
    same draws as a loop over ``rng.integers``. Stratified resampling keeps n_h per stratum
    (the naive within-stratum bootstrap: its variance is smaller than the design-based one by
    about (n_h - 1) / n_h; R's ``survey`` uses the Rao-Wu rescaled bootstrap instead). The
    intervals are computed from the replicates as ``scipy.stats.bootstrap`` does (type-7
    quantiles; BCa bias from the share of replicates below the estimate, ties counted half).

    Examples
    --------
    >>> from surveykit import bootstrap_ci
    >>> r = bootstrap_ci([100, 0, -100, 100, 100, 0, -100, 100], n_resamples=1000, seed=1)
    >>> r.estimate
    25.0
    >>> r.ci_low < 25.0 < r.ci_high
    True
    """
    function = "bootstrap_ci"
    series = as_series(values, "values", function)
    n = len(series)

    def numeric(x, name):
        try:
            arr = pd.to_numeric(pd.Series(np.asarray(x))).to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise DataError(f"The {name} passed to {function} are not numeric. Pass one number per respondent; "
                            "convert label text to codes first.") from None
        check_finite(arr, [name], series.index, function, what="The")  # infinite, or overflowing its sums
        return arr

    a = numeric(series.to_numpy(), "values")
    b = np.ones(n) if denominator is None else numeric(
        as_vector(denominator, "denominator", n, function, what="one denominator per respondent"), "denominator")
    w = check_weights(weights, n, series.index, function)
    if strata is None:
        codes = np.zeros(n, dtype=np.intp)
    else:
        codes, _ = pd.factorize(pd.Series(as_vector(strata, "strata", n, function, what="one stratum per respondent")),
                                sort=True)
        if (codes < 0).any():
            raise DataError(f"The strata of {function} are missing in {rows_where(codes < 0, series.index)}; give every "
                            "respondent a stratum or drop those rows.")
    keep = ~np.isnan(a) & ~np.isnan(b)
    if keep.sum() < 2:
        raise DataError(f"{function} needs at least 2 complete rows; got {int(keep.sum())} of {n}.")
    if denominator is not None and (w[keep] * b[keep]).sum() == 0:
        raise DataError(f"The denominator of {function} sums to 0: the ratio is undefined.")
    codes = pd.factorize(codes[keep], sort=True)[0]
    return ratio_bootstrap(a[keep], b[keep], weights=w[keep], codes=codes, n_resamples=n_resamples,
                           ci_method=ci_method, ci_level=ci_level, seed=seed, progress=progress,
                           name=None if series.name is None else str(series.name), n_dropped=int((~keep).sum()),
                           function=function)
