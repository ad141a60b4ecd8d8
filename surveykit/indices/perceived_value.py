"""Customer value indices: perceived value, Kotler's delivered value, Gronroos' relationship value.

Each weighs what the customer gets against what it costs; raise value by raising the benefits or
lowering the costs:

* perceived value (顾客感知价值) = perceived benefits (感知利得) against perceived sacrifices
  (感知利失), as a difference ``B - S`` on the common answer scale and as a ratio ``B / S``;
* Kotler's customer delivered value (客户让渡价值) = total customer value (product, service,
  personnel, image value) - total customer cost (monetary, time, energy, physical cost), and
  the value / cost ratio;
* Gronroos' relationship value = (episode benefits + relationship benefits) / (episode
  sacrifices + relationship sacrifices).

The difference is the weighted mean of each respondent's difference; the ratio is a ratio of
weighted means, ``sum w B / sum w S`` (R ``survey::svyratio``), not the mean of each
respondent's ratio, which a single respondent with a tiny cost score can dominate. Standard
errors are by Taylor linearization on the same design as :func:`surveykit.weighted_mean`;
bootstrap intervals on request (:func:`surveykit.bootstrap_ci`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_level
from .._design import interval, linearized, read_design, stratified_variance
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, numeric_frame
from .bootstrap import BootstrapResult, ci_description, ratio_bootstrap

__all__ = ["ValueResult", "delivered_value", "perceived_value", "relationship_value"]

KOTLER_VALUE_PARTS = ("product", "service", "personnel", "image")
KOTLER_COST_PARTS = ("monetary", "time", "energy", "physical")


class ValueRatioWarning(SurveykitWarning):
    """A value ratio was not computed: the sacrifice scale includes zero or negative codes."""


@dataclass(frozen=True)
class ValueResult(Result):
    """A value index: benefits against sacrifices, as a difference and as a ratio.

    Attributes
    ----------
    kind : str
        'perceived_value', 'delivered_value' or 'relationship_value'.
    estimate, se, ci_low, ci_high : float
        The headline: the mean difference (benefits - sacrifices, in scale points) for
        perceived and delivered value, the ratio for relationship value.
    difference, ratio : float
        Mean of B - S; sum w B / sum w S (NaN when the scale has codes <= 0).
    table : DataFrame
        Rows benefits, sacrifices, difference, ratio; columns estimate, se, ci_low, ci_high.
    parts : DataFrame
        Each benefit and sacrifice part: side, mean, se (weighted, over the respondents used).
    scores : DataFrame
        Each respondent's benefits, sacrifices, difference and ratio (NaN when left out).
    n_obs, n_dropped : int
        Respondents with every part answered; respondents left out.
    effective_n : float
        Kish's effective sample size of the respondents used.
    bootstrap : BootstrapResult or None
        Bootstrap of the headline, when asked for (its interval is then ``ci_low`` / ``ci_high``;
        the difference and ratio rows of ``table`` then both hold bootstrap intervals).
    """

    kind: str
    table: pd.DataFrame
    parts: pd.DataFrame
    scores: pd.DataFrame
    ci_level: float
    n_obs: int
    n_dropped: int
    effective_n: float
    weighted: bool
    headline: str = "difference"
    ci_method: str = "normal"
    bootstrap: BootstrapResult | None = None
    notes: tuple[str, ...] = ()

    @property
    def estimate(self) -> float:
        return float(self.table.at[self.headline, "estimate"])

    @property
    def se(self) -> float:
        return float(self.table.at[self.headline, "se"])

    @property
    def ci_low(self) -> float:
        return float(self.table.at[self.headline, "ci_low"])

    @property
    def ci_high(self) -> float:
        return float(self.table.at[self.headline, "ci_high"])

    @property
    def difference(self) -> float:
        return float(self.table.at["difference", "estimate"])

    @property
    def ratio(self) -> float:
        return float(self.table.at["ratio", "estimate"])

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        title = {"perceived_value": "Perceived value (benefits vs sacrifices)",
                 "delivered_value": "Customer delivered value (Kotler)",
                 "relationship_value": "Relationship value (Gronroos)"}[self.kind]
        lines = [f"benefits - sacrifices = {self.difference:.3f} scale points; benefits / sacrifices = "
                 f"{self.ratio:.3f}",
                 (f"{self.headline} {self.estimate:.3f} ({self.ci_level:.0%} CI {self.ci_low:.3f} to "
                  f"{self.ci_high:.3f}, {ci_description(self.bootstrap)})"),
                 f"n = {self.n_obs} respondents who answered every part ({self.n_dropped} left out)"
                 + (f"; weighted, effective n (Kish) = {self.effective_n:.1f}" if self.weighted else ""), *self.notes]
        return Summary(title=title, lines=lines, tables=[("Value", self.table), ("Parts", self.parts)])

    def __repr__(self) -> str:
        return (f"<ValueResult {self.kind} difference={self.difference:.3f} ratio={self.ratio:.3f} "
                f"n_obs={self.n_obs}>")


def _side(parts, name: str, function: str) -> pd.DataFrame:
    """One column per part: the mean of its items per respondent (NaN if any item is missing)."""
    if isinstance(parts, pd.DataFrame):
        frame = numeric_frame(parts, function=function)
        if frame.shape[1] == 0:
            raise ValueError(f"{function}: '{name}' has no columns; pass one column per part (or per item).")
        return frame
    if isinstance(parts, pd.Series):
        return numeric_frame(parts.to_frame(parts.name if parts.name is not None else name), function=function)
    if isinstance(parts, Mapping) and parts:
        cols = {}
        for part, items in parts.items():
            if isinstance(items, pd.Series):
                items = items.to_frame()
            if not isinstance(items, pd.DataFrame) or items.shape[1] == 0:
                raise TypeError(f"{function}: part {part!r} of '{name}' must be a DataFrame of its items or a Series "
                                f"of scores; got {type(items).__name__}.")
            cols[part] = numeric_frame(items, function=function).mean(axis=1, skipna=False)
        index = next(iter(cols.values())).index
        if any(not c.index.equals(index) for c in cols.values()):
            raise ValueError(f"{function}: the parts of '{name}' are not aligned on the same respondents (their "
                             "indexes differ); pass frames cut from the same data.")
        return pd.DataFrame(cols)
    raise TypeError(f"{function}: '{name}' must be a DataFrame (one column per part or item), a Series, or a mapping "
                    f"part -> DataFrame of items; got {type(parts).__name__}.")


def _value(kind: str, benefits, sacrifices, *, scale_min, weights, strata, fpc, ci_level, bootstrap, ci_method, seed,
           function: str, headline: str, combine: str) -> ValueResult:
    level = check_level(ci_level, function)
    b_parts, s_parts = _side(benefits, "benefits", function), _side(sacrifices, "sacrifices", function)
    if not b_parts.index.equals(s_parts.index):
        raise ValueError(f"{function}: benefits and sacrifices are not aligned on the same respondents (their "
                         f"indexes differ: {len(b_parts)} and {len(s_parts)} rows). Pass frames cut from the same data.")
    clash = set(b_parts.columns) & set(s_parts.columns)
    if clash:
        raise ValueError(f"{function}: {sorted(map(str, clash))} appear among both benefits and sacrifices.")
    index = b_parts.index
    n = len(index)
    agg = "sum" if combine == "sum" else "mean"
    b = getattr(b_parts, agg)(axis=1, skipna=False).to_numpy(float)
    s = getattr(s_parts, agg)(axis=1, skipna=False).to_numpy(float)
    complete = ~(np.isnan(b) | np.isnan(s))
    if not complete.any():
        raise DataError(f"{function}: no respondent answered every benefit and sacrifice part "
                        f"({list(b_parts.columns)} and {list(s_parts.columns)}); {n} rows read.")
    design = read_design(n, index, weights, strata, fpc, function)
    notes = []
    ratio_ok = scale_min is None or float(scale_min) > 0
    if not ratio_ok:
        msg = (f"{function}: the ratio benefits / sacrifices is not computed: the scale starts at {scale_min:g}, and a "
               "ratio needs answers coded from a positive number (recode 0-4 as 1-5, or report the difference).")
        warnings.warn(msg, ValueRatioWarning, stacklevel=3)
        notes.append(msg)
    y = np.column_stack([b, s, b - s])
    out = linearized(y, complete, design)
    est, se = out["estimate"], out["se"]
    # ratio of weighted means (svyratio): z_i = w_i (b_i - R s_i) / sum w s over the answered rows, 0 elsewhere
    w = np.where(complete, design.weights, 0.0)
    bb, ss = np.where(complete, b, 0.0), np.where(complete, s, 0.0)
    if ratio_ok and (w * ss).sum() != 0:
        r = (w * bb).sum() / (w * ss).sum()
        r_se = float(np.sqrt(stratified_variance((w * (bb - r * ss) / (w * ss).sum())[:, None], design)[0]))
    else:
        r, r_se = np.nan, np.nan
    estimates, ses = np.append(est, r), np.append(se, r_se)
    lo, hi = interval(estimates, ses, level)
    names = ["benefits", "sacrifices", "difference", "ratio"]
    table = pd.DataFrame({"estimate": estimates, "se": ses, "ci_low": lo, "ci_high": hi},
                         index=pd.Index(names, name="statistic"))
    boot = None
    if bootstrap:  # the difference and the ratio, on independent resamples from one seed
        rng = np.random.default_rng(seed)
        codes = pd.factorize(design.codes[complete], sort=True)[0]
        for row, (num, den) in {"difference": (b - s, np.ones(n)), "ratio": (b, s)}.items():
            if row == "ratio" and not np.isfinite(r):
                continue
            one = ratio_bootstrap(num[complete], den[complete], weights=design.weights[complete], codes=codes,
                                  n_resamples=bootstrap, ci_method=ci_method, ci_level=level, seed=rng,
                                  function=function)
            table.loc[row, ["ci_low", "ci_high"]] = one.ci_low, one.ci_high
            if row == headline:
                boot = one
    part_y = pd.concat([b_parts, s_parts], axis=1).to_numpy(float)
    part_out = linearized(np.where(complete[:, None], part_y, 0.0), complete, design)
    parts = pd.DataFrame({"side": ["benefits"] * b_parts.shape[1] + ["sacrifices"] * s_parts.shape[1],
                          "mean": part_out["estimate"], "se": part_out["se"]},
                         index=pd.Index([str(c) for c in b_parts.columns] + [str(c) for c in s_parts.columns],
                                        name="part"))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_ratio = np.where(complete & ratio_ok, b / s, np.nan)
    scores = pd.DataFrame({"benefits": np.where(complete, b, np.nan), "sacrifices": np.where(complete, s, np.nan),
                           "difference": np.where(complete, b - s, np.nan), "ratio": per_ratio}, index=index)
    return ValueResult(kind, table, parts, scores, level, out["n_obs"], int((~complete).sum()),
                       float(out["effective_n"]), weights is not None, headline,
                       "normal" if boot is None else ci_method, boot, tuple(notes))


_PARAMETERS = """    scale_min : float, optional
        Lowest code of the answer scale; when it is 0 or below the ratio is not computed
        (a warning says so). None: not checked.
    weights, strata, fpc : optional
        Survey design, as :func:`surveykit.weighted_mean`.
    ci_level : float, default 0.95
    bootstrap : int, default 0
        Bootstrap resamples (see :func:`surveykit.bootstrap_ci`) for the intervals of the
        difference and the ratio; 0: normal intervals.
    ci_method : {'bca', 'percentile'}
    seed : int or numpy Generator, optional"""


def perceived_value(benefits, sacrifices, *, scale_min=None, weights=None, strata=None, fpc=None,
                    ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca", seed=None) -> ValueResult:
    """Customer perceived value: perceived benefits against perceived sacrifices.

    Each respondent's benefits score B is the mean of the benefit parts, each part the mean
    of its items (equal weight per part, whatever its number of items); likewise sacrifices
    S. The value is reported both as the difference B - S (on the common answer scale: from
    -(max - min) to +(max - min)) and as the ratio sum w B / sum w S, since both framings
    appear in the literature (Chinese texts on 顾客感知价值 use both).

    Parameters
    ----------
    benefits, sacrifices : DataFrame, Series or mapping part -> DataFrame of items
        A DataFrame is one column per part (scores) or per item; a mapping groups items into
        parts (e.g. {'product': data[['pv1', 'pv2']], 'service': ...}). Sacrifice items must
        already be keyed so that a high answer is a high cost (reverse-worded items recoded).
{parameters}

    Returns
    -------
    ValueResult
        Headline: the difference.

    Notes
    -----
    A respondent missing any part is left out (``n_dropped``) but stays in the design as a
    domain, as ``na.rm=TRUE`` in R ``survey``. R equivalents::

        svymean(~I(B - S), design, na.rm = TRUE)      # difference
        svyratio(~B, ~S, design, na.rm = TRUE)        # ratio

    The tests match R ``survey`` to 1e-10.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit import perceived_value
    >>> b = pd.DataFrame({"quality": [5, 4, 4, 3], "service": [4, 4, 5, 3]})
    >>> s = pd.DataFrame({"price": [3, 2, 4, 3], "effort": [2, 2, 3, 4]})
    >>> r = perceived_value(b, s, scale_min=1)
    >>> round(r.difference, 3), round(r.ratio, 3)
    (1.125, 1.391)
    """
    return _value("perceived_value", benefits, sacrifices, scale_min=scale_min, weights=weights, strata=strata,
                  fpc=fpc, ci_level=ci_level, bootstrap=bootstrap, ci_method=ci_method, seed=seed,
                  function="perceived_value", headline="difference", combine="mean")


def delivered_value(value_parts, cost_parts, *, scale_min=None, weights=None, strata=None, fpc=None,
                    ci_level: float = 0.95, bootstrap: int = 0, ci_method: str = "bca", seed=None) -> ValueResult:
    """Kotler's customer delivered value: total customer value minus total customer cost.

    Total customer value has four parts (product, service, personnel and image value) and
    total customer cost four (monetary, time, energy and physical cost); each total is the
    mean of its parts, so that the difference stays on the answer scale, and the ratio
    total value / total cost is Kotler's value-price ratio form.

    Parameters
    ----------
    value_parts, cost_parts : mapping part -> DataFrame of items (or Series of scores)
        Keys ``product``, ``service``, ``personnel``, ``image`` and ``monetary``, ``time``,
        ``energy``, ``physical``. Other or missing parts raise: use :func:`perceived_value`
        for any other grouping of benefits and sacrifices.
{parameters}

    Returns
    -------
    ValueResult
        Headline: the difference (delivered value, in scale points).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit import delivered_value
    >>> d = pd.DataFrame({"product": [5, 4], "service": [4, 4], "personnel": [4, 3], "image": [5, 5],
    ...                   "monetary": [3, 4], "time": [2, 2], "energy": [2, 3], "physical": [1, 2]})
    >>> r = delivered_value({k: d[k] for k in ["product", "service", "personnel", "image"]},
    ...                     {k: d[k] for k in ["monetary", "time", "energy", "physical"]}, scale_min=1)
    >>> r.difference
    1.875
    """
    function = "delivered_value"
    for given, expected, name in [(value_parts, KOTLER_VALUE_PARTS, "value_parts"),
                                  (cost_parts, KOTLER_COST_PARTS, "cost_parts")]:
        if not isinstance(given, Mapping):
            raise TypeError(f"{function}: '{name}' must be a mapping part -> items with the keys {list(expected)}; "
                            f"got {type(given).__name__}.")
        if set(given) != set(expected):
            missing, extra = sorted(set(expected) - set(given)), sorted(set(given) - set(expected))
            raise ValueError(f"{function}: '{name}' must have Kotler's four parts {list(expected)}"
                             + (f"; missing {missing}" if missing else "") + (f"; unexpected {extra}" if extra else "")
                             + ". For another grouping use perceived_value().")
    return _value("delivered_value", {k: value_parts[k] for k in KOTLER_VALUE_PARTS},
                  {k: cost_parts[k] for k in KOTLER_COST_PARTS}, scale_min=scale_min, weights=weights, strata=strata,
                  fpc=fpc, ci_level=ci_level, bootstrap=bootstrap, ci_method=ci_method, seed=seed, function=function,
                  headline="difference", combine="mean")


def relationship_value(episode_benefits, relationship_benefits, episode_sacrifices, relationship_sacrifices, *,
                       scale_min=None, weights=None, strata=None, fpc=None, ci_level: float = 0.95,
                       bootstrap: int = 0, ci_method: str = "bca", seed=None) -> ValueResult:
    """Gronroos' total episode value in a relationship, as a ratio.

    (episode benefits + relationship benefits) / (episode sacrifices + relationship
    sacrifices): each of the four is the mean of its items per respondent; the ratio is
    sum w (EB + RB) / sum w (ES + RS) over the respondents (a ratio of means). The difference
    of the sums is reported too.

    Parameters
    ----------
    episode_benefits, relationship_benefits, episode_sacrifices, relationship_sacrifices : DataFrame or Series
        The items (or a score) of each part, aligned on the same respondents.
{parameters}

    Returns
    -------
    ValueResult
        Headline: the ratio.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit import relationship_value
    >>> eb, rb = pd.Series([4, 5, 3]), pd.Series([4, 4, 4])
    >>> es, rs = pd.Series([2, 3, 3]), pd.Series([2, 2, 2])
    >>> round(relationship_value(eb, rb, es, rs, scale_min=1).ratio, 4)
    1.7143
    """
    function = "relationship_value"

    def part(x, name):
        frame = _side(x, name, function)
        return frame.mean(axis=1, skipna=False).rename(name)

    benefits = pd.concat([part(episode_benefits, "episode_benefits"),
                          part(relationship_benefits, "relationship_benefits")], axis=1)
    sacrifices = pd.concat([part(episode_sacrifices, "episode_sacrifices"),
                            part(relationship_sacrifices, "relationship_sacrifices")], axis=1)
    return _value("relationship_value", benefits, sacrifices, scale_min=scale_min, weights=weights, strata=strata,
                  fpc=fpc, ci_level=ci_level, bootstrap=bootstrap, ci_method=ci_method, seed=seed, function=function,
                  headline="ratio", combine="sum")


for _f in (perceived_value, delivered_value, relationship_value):
    _f.__doc__ = _f.__doc__.replace("{parameters}", _PARAMETERS)
