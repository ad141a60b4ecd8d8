"""Net Promoter Score and top / bottom box shares, with (weighted) standard errors.

Each is the mean of a recoded answer over the valid answers (NPS: promoter 100, passive 0,
detractor -100; top box: 1 in the top k categories, else 0), so its standard error is the
one of a weighted mean, from :mod:`surveykit.indices.weighted` (R ``survey::svymean``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import FIRST, as_series, as_vector, check_level, check_weights, plural, rows_where
from .._design import interval, linearized, read_design
from .._render import Summary
from .._result import Result
from ..errors import DataError, check_option
from .bootstrap import BootstrapResult, ci_description, ratio_bootstrap

__all__ = ["BoxResult", "NPSResult", "bottom_box", "nps", "nps_points", "top_box"]


def nps_points(x) -> np.ndarray:
    """0-10 answers recoded to NPS points: 100 a promoter (9-10), 0 a passive (7-8), -100 a detractor (0-6).

    NaN stays NaN. The NPS of a group is the (weighted) mean of its points.

    Raises
    ------
    DataError
        If an answer is not a whole number from 0 to 10.

    Examples
    --------
    >>> from surveykit.indices.nps import nps_points
    >>> nps_points([10, 8, 3, float("nan")]).tolist()
    [100.0, 0.0, -100.0, nan]
    """
    x = np.asarray(x, dtype=float)
    bad = ~np.isnan(x) & ((x < 0) | (x > 10) | (x != np.round(x)))
    if bad.any():
        shown = ", ".join(f"{v:g}" for v in pd.unique(x[bad])[:FIRST])
        raise DataError(f"NPS answers must be whole numbers from 0 to 10; found {shown} in "
                        f"{plural(int(bad.sum()), 'answer')}.")
    return np.where(np.isnan(x), np.nan, np.select([x >= 9, x <= 6], [100.0, -100.0], 0.0))


def _scores(scores, function: str, lo: int, hi: int, missing_codes=()) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Numeric answers, the valid mask; values outside lo..hi or not whole numbers raise."""
    series = as_series(scores, "scores", function)
    try:
        x = pd.to_numeric(series).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise DataError(f"The scores passed to {function} are not numeric (dtype {series.dtype}). Convert label "
                        "text to codes first.") from None
    missing = np.isnan(x) | np.isin(x, np.asarray(list(missing_codes), dtype=float))
    bad = ~missing & ((x < lo) | (x > hi) | (x != np.round(x)))
    if bad.any():
        shown = ", ".join(f"{v:g}" for v in pd.unique(x[bad])[:5])
        fix = "Declare codes such as 98/99 in 'missing_codes', set them to NaN, " if function != "nps" else \
            "Set non-answers (e.g. 98/99 codes) to NaN, "
        raise DataError(f"The scores of {function} must be whole numbers from {lo} to {hi}; found {shown} in "
                        f"{rows_where(bad, series.index)}. {fix}or correct the export.")
    return series, x, ~missing


def _valid_design(series: pd.Series, valid: np.ndarray, weights, function: str):
    n = len(series)
    if weights is not None:
        w = check_weights(as_vector(weights, "weights", n, function, what="one weight per respondent"), n,
                           series.index, function)
    else:
        w = None
    if not valid.any():
        raise DataError(f"No valid answers in {function}: all {n} scores are missing.")
    if valid.sum() < 2:
        raise DataError(f"{function} needs at least 2 valid answers for a standard error; got {int(valid.sum())}.")
    return read_design(int(valid.sum()), series.index[valid], None if w is None else w[valid], None, None, function)


# ---------------------------------------------------------------------------------------------
# NPS


@dataclass(frozen=True)
class NPSResult(Result):
    """Net Promoter Score.

    Attributes
    ----------
    score : float
        NPS = 100 * (share of promoters - share of detractors), from -100 to 100. Also ``estimate``.
    promoters, passives, detractors : float
        Shares (0-1) of the valid answers: 9-10, 7-8, 0-6.
    se, ci_low, ci_high : float
        Standard error and normal (Wald) interval of the score, in points.
    table : DataFrame
        By statistic (``promoters``, ``passives``, ``detractors``: shares 0-1; ``nps``:
        points): ``estimate``, ``se``, ``ci_low``, ``ci_high``.
    n_obs, n_dropped : int
        Valid answers; missing answers (not in the base).
    effective_n : float
        Kish's effective sample size; equals ``n_obs`` when unweighted.
    weighted : bool
    """

    score: float
    se: float
    ci_low: float
    ci_high: float
    ci_level: float
    promoters: float
    passives: float
    detractors: float
    table: pd.DataFrame
    n_obs: int
    n_dropped: int
    effective_n: float
    weighted: bool
    name: str | None = None
    ci_method: str = "normal"
    bootstrap: BootstrapResult | None = None

    @property
    def estimate(self) -> float:
        return self.score

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [(f"NPS = {self.score:.1f} (SE {self.se:.2f}; {self.ci_level:.0%} CI {self.ci_low:.1f} to "
                 f"{self.ci_high:.1f}, {ci_description(self.bootstrap)})"),
                 f"promoters {self.promoters:.1%}, passives {self.passives:.1%}, detractors {self.detractors:.1%}",
                 f"n = {self.n_obs} valid answers ({self.n_dropped} missing, not in the base)"
                 + (f", weighted, effective n (Kish) = {self.effective_n:.1f}" if self.weighted else ", unweighted")]
        return Summary(title="Net Promoter Score" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("NPS (shares 0-1, nps in points)", self.table)])

    def __repr__(self) -> str:
        return self._one_line(f"score={self.score:.1f} se={self.se:.2f} n_obs={self.n_obs}")


def _bootstrapped(y: np.ndarray, design, bootstrap, ci_method, level, seed, function):
    """The bootstrap of the mean of ``y`` on the design's weights, or None when not asked for."""
    if not bootstrap:
        return None
    return ratio_bootstrap(y, np.ones(len(y)), weights=design.weights, codes=design.codes, n_resamples=bootstrap,
                           ci_method=ci_method, ci_level=level, seed=seed, function=function)


def nps(scores, *, weights=None, ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca",
        seed=None) -> NPSResult:
    """Net Promoter Score of 0-10 "how likely are you to recommend" answers.

    Parameters
    ----------
    scores : array-like or Series
        Whole numbers 0-10, one per respondent; NaN is a missing answer (not in the base).
    weights : array-like, optional
        Sampling weights, positive and finite, aligned by position.
    ci_level : float
        Level of the interval: normal (Wald), score +- z * se, unless bootstrapped.
    bootstrap : int, default 0
        Number of bootstrap resamples (e.g. 2000); when given, ``ci_low`` / ``ci_high`` are
        the bootstrap interval of the score (``ci_method``) and ``bootstrap`` holds the
        replicates; ``se`` stays the linearization standard error. See :func:`surveykit.bootstrap_ci`.
    ci_method : {'bca', 'percentile'}
    seed : int or numpy Generator, optional
        Seed of the bootstrap.

    Returns
    -------
    NPSResult

    Raises
    ------
    DataError
        Scores outside 0-10 or not whole numbers (naming the rows); bad weights.

    Notes
    -----
    Promoters answer 9-10, passives 7-8, detractors 0-6; NPS = 100 (p - d). It is the
    (weighted) mean of the recoded answer r = 100 / 0 / -100, and its standard error is
    that of a mean, ``svymean(~r, svydesign(ids=~1, weights=~w, data=valid))`` in R. The
    base is the valid answers: the design is built on them. Unweighted this is the
    multinomial closed form with n - 1::

        se = 100 * sqrt((p + d - (p - d)^2) / (n - 1))

    (the sample variance of r over n); the plug-in form with n is smaller by a factor
    sqrt((n - 1) / n). The tests match R to 1e-10.

    Examples
    --------
    >>> from surveykit.indices.nps import nps
    >>> r = nps([10, 9, 8, 7, 6, 3, 10, 9, 9, 0])
    >>> r.score, r.promoters, r.detractors
    (20.0, 0.5, 0.3)
    >>> round(r.se, 2)  # 100 * sqrt((0.5 + 0.3 - 0.2 ** 2) / 9)
    29.06
    """
    function = "nps"
    level = check_level(ci_level, function)
    series, x, valid = _scores(scores, function, 0, 10)
    design = _valid_design(series, valid, weights, function)
    v = x[valid]
    y = np.column_stack([v >= 9, (v >= 7) & (v <= 8), v <= 6, nps_points(v)])
    out = linearized(y.astype(float), np.ones(len(v), bool), design)
    lo, hi = interval(out["estimate"], out["se"], level)
    table = pd.DataFrame({"estimate": out["estimate"], "se": out["se"], "ci_low": lo, "ci_high": hi},
                         index=pd.Index(["promoters", "passives", "detractors", "nps"], name="statistic"))
    est = out["estimate"]
    boot = _bootstrapped(y[:, 3], design, bootstrap, ci_method, level, seed, function)
    if boot is not None:
        lo[3], hi[3] = boot.ci_low, boot.ci_high
        table.loc["nps", ["ci_low", "ci_high"]] = lo[3], hi[3]
    return NPSResult(float(est[3]), float(out["se"][3]), float(lo[3]), float(hi[3]), level, float(est[0]),
                     float(est[1]), float(est[2]), table, out["n_obs"], int((~valid).sum()),
                     float(out["effective_n"]), weights is not None,
                     name=None if series.name is None else str(series.name),
                     ci_method="normal" if boot is None else ci_method, bootstrap=boot)


# ---------------------------------------------------------------------------------------------
# top / bottom box


@dataclass(frozen=True)
class BoxResult(Result):
    """Share of valid answers in the top (or bottom) k categories of a scale.

    Attributes
    ----------
    estimate : float
        Share, 0-1.
    se, ci_low, ci_high : float
        Standard error and normal (Wald) interval, as the weighted mean of the indicator.
    categories : tuple of int
        The categories counted (e.g. (4, 5) for top-2 of 1-5).
    side : str
        'top' or 'bottom'.
    n_obs, n_dropped : int
        Valid answers; missing answers and ``missing_codes`` (not in the base).
    effective_n : float
        Kish's effective sample size; equals ``n_obs`` when unweighted.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    ci_level: float
    side: str
    k: int
    categories: tuple
    scale_min: int
    scale_max: int
    n_obs: int
    n_dropped: int
    effective_n: float
    weighted: bool
    name: str | None = None
    ci_method: str = "normal"
    bootstrap: BootstrapResult | None = None

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": [self.estimate], "se": [self.se], "ci_low": [self.ci_low],
                             "ci_high": [self.ci_high], "n_obs": [self.n_obs]},
                            index=pd.Index([f"{self.side}_{self.k}_box"], name="statistic"))

    def summary(self) -> Summary:
        cats = ", ".join(str(c) for c in self.categories)
        lines = [(f"{self.side.capitalize()}-{self.k}-box ({cats} of {self.scale_min}-{self.scale_max}) = "
                 f"{self.estimate:.1%} (SE {self.se:.1%}; {self.ci_level:.0%} CI {self.ci_low:.1%} to "
                 f"{self.ci_high:.1%}, {ci_description(self.bootstrap)})"),
                 f"n = {self.n_obs} valid answers ({self.n_dropped} missing or excluded codes, not in the base)"
                 + (f", weighted, effective n (Kish) = {self.effective_n:.1f}" if self.weighted else ", unweighted")]
        return Summary(title=f"{self.side.capitalize()} box" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Share", self.to_frame())])

    def __repr__(self) -> str:
        return self._one_line(f"side={self.side!r} k={self.k} estimate={self.estimate:.3f} n_obs={self.n_obs}")


def _box(scores, side, k, scale_min, scale_max, weights, missing_codes, ci_level, bootstrap, ci_method, seed,
         function) -> BoxResult:
    level = check_level(ci_level, function)
    check_option("side", side, ("top", "bottom"), function=function)
    for name, value in [("scale_min", scale_min), ("scale_max", scale_max), ("k", k)]:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            # a ValueError, not a TypeError: every bad option of the package is a ValueError naming the parameter
            raise ValueError(  # noqa: TRY004
                f"The {name!r} parameter of {function} must be a whole number. Got {value!r} instead.")
    if scale_max <= scale_min:
        raise ValueError(f"The 'scale_max' parameter of {function} must be above scale_min={scale_min}. "
                         f"Got {scale_max!r} instead.")
    n_cat = scale_max - scale_min + 1
    if not 1 <= k < n_cat:
        raise ValueError(f"The 'k' parameter of {function} must be from 1 to {n_cat - 1} for a scale "
                         f"{scale_min}-{scale_max}. Got {k!r} instead.")
    series, x, valid = _scores(scores, function, scale_min, scale_max, missing_codes)
    design = _valid_design(series, valid, weights, function)
    cats = tuple(range(scale_max - k + 1, scale_max + 1)) if side == "top" else tuple(range(scale_min, scale_min + k))
    y = np.isin(x[valid], cats).astype(float)[:, None]
    out = linearized(y, np.ones(len(y), bool), design)
    est, se = float(out["estimate"][0]), float(out["se"][0])
    lo, hi = interval(est, se, level)
    boot = _bootstrapped(y[:, 0], design, bootstrap, ci_method, level, seed, function)
    if boot is not None:
        lo, hi = boot.ci_low, boot.ci_high
    return BoxResult(est, se, lo, hi, level, side, int(k), cats, int(scale_min), int(scale_max), out["n_obs"],
                     int((~valid).sum()), float(out["effective_n"]), weights is not None,
                     name=None if series.name is None else str(series.name),
                     ci_method="normal" if boot is None else ci_method, bootstrap=boot)


def top_box(scores, *, k: int = 2, scale_min: int, scale_max: int, weights=None, missing_codes=(),
            ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca", seed=None) -> BoxResult:
    """Share of valid answers in the top ``k`` categories of a scale (top-2-box: 4-5 of 1-5).

    Parameters
    ----------
    scores : array-like or Series
        Whole numbers from ``scale_min`` to ``scale_max``; NaN is a missing answer.
    k : int
        Number of categories counted, 1 to (number of categories - 1).
    scale_min, scale_max : int
        End points of the scale (the questionnaire's, not the sample's).
    weights : array-like, optional
        Sampling weights, positive and finite, aligned by position.
    missing_codes : sequence, optional
        Codes ("don't know", "not applicable", e.g. 98, 99) excluded from the base, like NaN.
    ci_level : float
        Level of the interval: normal (Wald) unless bootstrapped.
    bootstrap, ci_method, seed
        Bootstrap interval instead of the normal one, as in :func:`nps`.

    Returns
    -------
    BoxResult

    Raises
    ------
    DataError
        Answers outside the scale or not whole numbers (naming the rows); bad weights.
    ValueError
        ``k`` or the scale end points out of range.

    Notes
    -----
    The share is the (weighted) mean of the indicator over the valid answers; its standard
    error is R's ``svymean(~I(x >= 4), svydesign(ids=~1, weights=~w, data=valid))``,
    unweighted sqrt(p (1 - p) / (n - 1)). The interval is Wald's (``confint``), which can
    leave [0, 1] when p is near 0 or 1 in small samples.

    Examples
    --------
    >>> from surveykit.indices.nps import top_box
    >>> r = top_box([5, 4, 3, 2, 4, 99], scale_min=1, scale_max=5, missing_codes=[99])
    >>> r.estimate, r.n_obs, r.n_dropped
    (0.6, 5, 1)
    """
    return _box(scores, "top", k, scale_min, scale_max, weights, missing_codes, ci_level, bootstrap, ci_method,
                seed, "top_box")


def bottom_box(scores, *, k: int = 2, scale_min: int, scale_max: int, weights=None, missing_codes=(),
               ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca", seed=None) -> BoxResult:
    """Share of valid answers in the bottom ``k`` categories of a scale (bottom-2-box: 1-2 of 1-5).

    Parameters and Notes as :func:`top_box`.

    Examples
    --------
    >>> from surveykit.indices.nps import bottom_box
    >>> bottom_box([5, 4, 3, 2, 1, 1], scale_min=1, scale_max=5).estimate
    0.5
    """
    return _box(scores, "bottom", k, scale_min, scale_max, weights, missing_codes, ci_level, bootstrap, ci_method,
                seed, "bottom_box")
