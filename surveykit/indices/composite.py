"""0-100 composite indices (satisfaction, loyalty) from items rescaled by their scales' end points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import as_vector
from .._render import Summary
from .._result import Result
from ..errors import DataError, numeric_frame
from .bootstrap import BootstrapResult, ci_description, ratio_bootstrap
from .weighted import weighted_mean

__all__ = ["IndexResult", "composite_index", "loyalty_index", "satisfaction_index"]


@dataclass(frozen=True)
class IndexResult(Result):
    """A 0-100 index: its mean over respondents with a design-based CI, and each respondent's value.

    Attributes
    ----------
    estimate, se, ci_low, ci_high : float
        Mean index (0-100) over the respondents used, its standard error (Taylor
        linearization, as ``survey::svymean`` of the respondent indices) and normal interval.
    n_obs, n_dropped : int
        Respondents used; respondents left out because they did not answer every item.
    effective_n : float
        Kish's effective sample size ((sum w)^2 / sum w^2; ``n_obs`` when unweighted).
    item_weights : Series
        The weights of the items, summing to 1.
    scores : Series
        Each respondent's index (NaN for those left out), aligned with the data.
    """

    name: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    ci_level: float
    n_obs: int
    n_dropped: int
    effective_n: float
    item_weights: pd.Series
    scores: pd.Series
    weighted: bool
    notes: tuple[str, ...] = field(default_factory=tuple)
    ci_method: str = "normal"
    bootstrap: BootstrapResult | None = None

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": [self.estimate], "se": [self.se], "ci_low": [self.ci_low],
                             "ci_high": [self.ci_high], "n_obs": [self.n_obs], "effective_n": [self.effective_n]},
                            index=pd.Index([self.name], name="index"))

    def summary(self) -> Summary:
        lines = [(f"{self.name} = {self.estimate:.1f} of 100 (SE {self.se:.2f}; {self.ci_level:.0%} CI "
                 f"{self.ci_low:.1f} to {self.ci_high:.1f}, {ci_description(self.bootstrap)})"),
                 f"n = {self.n_obs} respondents who answered every item ({self.n_dropped} left out)"
                 + (f"; weighted, effective n (Kish) = {self.effective_n:.1f}" if self.weighted else ""), *self.notes]
        return Summary(title=self.name, lines=lines, tables=[("Index", self.to_frame()),
                                                             ("Item weights", self.item_weights.to_frame())])

    def __repr__(self) -> str:
        return (f"<IndexResult {self.name!r} estimate={self.estimate:.2f} se={self.se:.3f} n_obs={self.n_obs}>")


def _per_item(value, items, name: str, function: str) -> np.ndarray:
    if isinstance(value, Mapping):
        missing = [i for i in items if i not in value]
        if missing:
            raise ValueError(f"{function}: '{name}' gives no value for items {missing}; give one per item, or a "
                             "single number for all.")
        return np.array([float(value[i]) for i in items])
    if value is None or isinstance(value, (bool, np.bool_)) or not np.isscalar(value):
        raise TypeError(f"{function}: '{name}' must be a number (the scale's end point) or a mapping item -> number; "
                        f"got {value!r}.")
    return np.full(len(items), float(value))


def composite_index(data: pd.DataFrame, *, scale_min, scale_max, item_weights=None, weights=None, strata=None,
                    fpc=None, ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca", seed=None,
                    name: str = "index") -> IndexResult:
    """A 0-100 index: the weighted mean of items rescaled by their scales' end points.

    Each item x on scale [a, b] becomes ``100 (x - a) / (b - a)`` (the scale's end points,
    not the sample's); a respondent's index is the weighted mean of those with item weights
    summing to 1; the index is the (survey-weighted) mean of the respondents' indices, with a
    design-based standard error from :func:`surveykit.weighted_mean`.

    Parameters
    ----------
    data : DataFrame
        One column per item, reverse-worded items already recoded, missing codes blank.
    scale_min, scale_max : float or mapping item -> float
        The end points of each item's scale (e.g. 1 and 5; 0 and 10).
    item_weights : mapping item -> float or array-like, optional
        Relative importance of the items (e.g. PLS outer weights); normalised to sum to 1.
        Default: equal weights.
    weights, strata, fpc : optional
        Survey design, as :func:`surveykit.weighted_mean`.
    ci_level : float, default 0.95
    bootstrap : int, default 0
        Number of bootstrap resamples (e.g. 2000); when given, ``ci_low`` / ``ci_high`` are the
        bootstrap interval (``ci_method``; resampled within strata) and ``se`` stays the
        linearization standard error. See :func:`surveykit.bootstrap_ci`.
    ci_method : {'bca', 'percentile'}
    seed : int or numpy Generator, optional
    name : str
        Label of the index in tables.

    Returns
    -------
    IndexResult

    Notes
    -----
    Respondents who skipped an item are left out (and counted in ``n_dropped``), so that every
    index averages the same items with the same weights. The standard error treats the
    respondent indices as the measured variable (``svymean(~index, design)``).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit import satisfaction_index
    >>> items = pd.DataFrame({"s1": [5, 4, 3, 5], "s2": [4, 4, 2, 5]})
    >>> round(satisfaction_index(items, scale_min=1, scale_max=5).estimate, 2)
    75.0
    """
    function = name if name.isidentifier() else "composite_index"
    if not isinstance(data, pd.DataFrame) or data.shape[1] < 1:
        raise TypeError(f"{function} takes a DataFrame with one column per item; got {type(data).__name__}.")
    items = list(data.columns)
    lo, hi = _per_item(scale_min, items, "scale_min", function), _per_item(scale_max, items, "scale_max", function)
    if not (hi > lo).all():
        bad = [i for i, a, b in zip(items, lo, hi) if not b > a]
        raise ValueError(f"{function}: scale_max must exceed scale_min; it does not for items {bad}.")
    x = numeric_frame(data, function=function)
    outside = {c: data.index[(x[c] < lo[k]) | (x[c] > hi[k])] for k, c in enumerate(items)}
    outside = {c: rows for c, rows in outside.items() if len(rows)}
    if outside:
        where = "; ".join(f"{c!r}: {len(r)} row{'s' if len(r) > 1 else ''}, e.g. row {r[0]!r} = {x.at[r[0], c]:g}"
                          for c, r in outside.items())
        raise DataError(f"{function}: answers outside the scale ({where}); declare missing codes (e.g. 98, 99) so that "
                        "they are blanked, or fix scale_min / scale_max.")
    if item_weights is None:
        iw = np.ones(len(items))
    elif isinstance(item_weights, Mapping):
        iw = _per_item(item_weights, items, "item_weights", function)
    else:
        iw = np.asarray(item_weights, dtype=float)
        if iw.shape != (len(items),):
            raise ValueError(f"{function}: item_weights has {iw.size} values for {len(items)} items.")
    if not (np.isfinite(iw).all() and (iw >= 0).all() and iw.sum() > 0):
        raise ValueError(f"{function}: item_weights must be non-negative and not all zero; got {iw.tolist()}.")
    iw = iw / iw.sum()
    rescaled = 100 * (x.to_numpy() - lo) / (hi - lo)
    complete = ~np.isnan(rescaled).any(axis=1)
    if not complete.any():
        raise DataError(f"{function}: no respondent answered all {len(items)} items {items}.")
    scores = pd.Series(np.where(complete, np.nan_to_num(rescaled) @ iw, np.nan), index=data.index, name=name)
    w = np.ones(len(data)) if weights is None else weights
    mean = weighted_mean(scores, weights=w, strata=strata, fpc=fpc, ci_level=ci_level)
    boot = None
    if bootstrap:
        ww = np.ones(len(data)) if weights is None else as_vector(weights, "weights", len(data), function,
                                                                    what="one weight per respondent").astype(float)
        codes = None if strata is None else pd.factorize(
            pd.Series(as_vector(strata, "strata", len(data), function, what="one stratum per respondent"))[complete],
            sort=True)[0]
        y = scores.to_numpy()[complete]
        boot = ratio_bootstrap(y, np.ones(len(y)), weights=ww[complete], codes=codes, n_resamples=bootstrap,
                               ci_method=ci_method, ci_level=ci_level, seed=seed, function=function)
    return IndexResult(name=name, estimate=mean.estimate, se=mean.se,
                       ci_low=mean.ci_low if boot is None else boot.ci_low,
                       ci_high=mean.ci_high if boot is None else boot.ci_high,
                       ci_level=ci_level, n_obs=mean.n_obs, n_dropped=int((~complete).sum()),
                       effective_n=mean.effective_n, item_weights=pd.Series(iw, index=pd.Index(items, name="item"),
                                                                            name="weight"),
                       scores=scores, weighted=weights is not None,
                       ci_method="normal" if boot is None else ci_method, bootstrap=boot)


def satisfaction_index(data: pd.DataFrame, *, scale_min, scale_max, item_weights=None, weights=None, strata=None,
                       fpc=None, ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca",
                       seed=None) -> IndexResult:
    """Customer satisfaction index, 0-100 (ACSI / CSI style); see :func:`composite_index`.

    ``data`` holds the satisfaction items (e.g. overall satisfaction, confirmation of
    expectations, comparison with the ideal); ACSI weights them by normalised PLS outer weights
    (``item_weights``), equal weights by default.
    """
    return composite_index(data, scale_min=scale_min, scale_max=scale_max, item_weights=item_weights,
                           weights=weights, strata=strata, fpc=fpc, ci_level=ci_level, bootstrap=bootstrap,
                           ci_method=ci_method, seed=seed, name="satisfaction_index")


def loyalty_index(data: pd.DataFrame, *, scale_min, scale_max, item_weights=None, weights=None, strata=None,
                  fpc=None, ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca",
                  seed=None) -> IndexResult:
    """Loyalty index, 0-100, of repurchase intention, likelihood to recommend and price tolerance.

    Items on different scales (a 1-5 agreement and a 0-10 recommendation) are each rescaled by
    their own end points: give ``scale_min`` / ``scale_max`` as mappings. See
    :func:`composite_index`.
    """
    return composite_index(data, scale_min=scale_min, scale_max=scale_max, item_weights=item_weights,
                           weights=weights, strata=strata, fpc=fpc, ci_level=ci_level, bootstrap=bootstrap,
                           ci_method=ci_method, seed=seed, name="loyalty_index")
