"""Penalty-reward (asymmetric impact) analysis, Mittal, Ross & Baldasare (1998).

Each attribute rating is dummy-coded into low performance (e.g. the bottom two boxes) and
high performance (the top two boxes) against the middle; overall satisfaction is regressed
on all the dummies in one OLS (R ``lm``). The penalty of an attribute is the drop in overall
satisfaction when it performs low, -b_low; its reward the gain when it performs high, b_high.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import as_vector, check_level
from .._linear import collinear, ols, t_test, vif
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, numeric_frame

__all__ = ["PenaltyRewardResult", "PenaltyRewardWarning", "penalty_reward"]

CLASSES = ("basic", "performance", "excitement", "none")


class PenaltyRewardWarning(SurveykitWarning):
    """A penalty-reward dummy was left out (its group is empty): that coefficient is NaN."""


@dataclass(frozen=True)
class PenaltyRewardResult(Result):
    """Penalties and rewards of several attributes on overall satisfaction.

    Attributes
    ----------
    table : DataFrame
        By attribute: ``n_low``, ``n_high`` (respondents in each group), ``penalty`` (-b_low),
        ``penalty_se``, ``penalty_ci_low``, ``penalty_ci_high``, ``penalty_p``, ``reward``
        (b_high) with the same columns, ``difference`` = penalty - reward with its ``_se``
        and ``_p`` (t test of -b_low - b_high from the coefficient covariance), and ``category``:
        'basic' (penalty significantly greater than reward), 'excitement' (reward
        significantly greater), 'performance' (no significant difference, at least one of
        them significant), 'none' (neither significant) or '' (a coefficient is missing);
        ``penalty_vif``, ``reward_vif``: the variance inflation factor of the low and high dummy
        in the one regression (1 / (1 - R²) of the dummy on the other dummies; R ``car::vif``).
    intercept : float
        Mean overall satisfaction when every attribute is in its middle group.
    r_squared, adj_r_squared : float
    df_resid : int
    low, high : str
        The rules used (e.g. 'rating <= 2').
    alpha : float
        1 - ci_level, the significance level of the classification.
    n_obs, n_dropped : int
    notes : tuple of str
    """

    table: pd.DataFrame
    intercept: float
    r_squared: float
    adj_r_squared: float
    df_resid: int
    low: str
    high: str
    ci_level: float
    n_obs: int
    n_dropped: int
    notes: tuple[str, ...] = ()

    @property
    def alpha(self) -> float:
        return 1 - self.ci_level

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [f"OLS of overall satisfaction on low ({self.low}) and high ({self.high}) dummies of "
                 f"{len(self.table)} attributes (R lm); n = {self.n_obs} ({self.n_dropped} dropped: a missing answer)",
                 f"R² = {self.r_squared:.3f}, adjusted R² = {self.adj_r_squared:.3f}; {self.ci_level:.0%} t intervals "
                 f"with {self.df_resid} df",
                 f"Class at alpha = {self.alpha:.2g}: basic if penalty - reward > 0 significantly, excitement if "
                 "< 0 significantly, otherwise performance when penalty or reward is significant, none when neither is",
                 *self.notes]
        return Summary(title="Penalty-reward analysis", lines=lines, tables=[("Attributes", self.table)])

    def __repr__(self) -> str:
        counts = self.table["category"].value_counts()
        parts = " ".join(f"{c}={int(counts.get(c, 0))}" for c in ("basic", "performance", "excitement"))
        return f"<PenaltyRewardResult n_attributes={len(self.table)} {parts} n_obs={self.n_obs}>"


# ---------------------------------------------------------------------------------------------


def _rule(value, side: str, default: float) -> tuple:
    """(test on a rating array, text) for a threshold or a list of values."""
    if value is None:
        value = default
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        v = float(value)
        return ((lambda x: x <= v), f"rating <= {v:g}") if side == "low" else ((lambda x: x >= v), f"rating >= {v:g}")
    if isinstance(value, (list, tuple, set, frozenset)) and value:
        vals = sorted(float(v) for v in value)
        return (lambda x: np.isin(x, vals)), f"rating in {{{', '.join(f'{v:g}' for v in vals)}}}"
    raise ValueError(f"The {side!r} parameter of penalty_reward must be a number (a threshold: {side} performance is "
                     f"a rating {'<=' if side == 'low' else '>='} it) or a list of ratings. Got {value!r} instead.")


def _prepare(attributes, overall, function: str):
    if not isinstance(attributes, pd.DataFrame) or attributes.shape[1] == 0:
        raise TypeError(f"The 'attributes' parameter of {function} must be a DataFrame with one column per attribute; "
                        f"got {type(attributes).__name__}.")
    if isinstance(overall, str):
        raise ValueError(f"The 'overall' parameter of {function} must be the ratings (a Series or array), not a "
                         f"column name; pass frame[{overall!r}].")
    y = as_vector(overall, "overall", len(attributes), function, what="one overall rating per respondent")
    x = numeric_frame(attributes, function=function)
    # numbers only (a text rating is named, not made missing), finite and of a sane size
    y = numeric_frame(pd.DataFrame({"overall": y}, index=attributes.index), function=function).iloc[:, 0].to_numpy()
    complete = ~np.isnan(y) & ~np.isnan(x.to_numpy()).any(axis=1)
    return x.loc[complete], y[complete], int((~complete).sum())


def penalty_reward(attributes: pd.DataFrame, overall, *, low=None, high=None,
                   ci_level: float = 0.95) -> PenaltyRewardResult:
    """Penalty-reward analysis: the asymmetric effect of low and high attribute performance.

    Parameters
    ----------
    attributes : DataFrame
        Attribute ratings, one column per attribute, one row per respondent.
    overall : Series or array-like
        Overall satisfaction, one per respondent (by position).
    low, high : number or list of numbers, optional
        Low performance: a rating <= ``low`` (or in the list); high: a rating >= ``high``.
        Default: the bottom two and top two boxes of the observed scale (min + 1, max - 1).
    ci_level : float, default 0.95
        Level of the intervals; 1 - ci_level is the significance level of the classes.

    Returns
    -------
    PenaltyRewardResult

    Raises
    ------
    DataError
        An attribute whose low and high groups cover every respondent (no middle group);
        fewer complete rows than coefficients + 1.
    ValueError
        Mismatched lengths, bad options.

    Warns
    -----
    PenaltyRewardWarning
        An attribute's low or high group is empty: that dummy is left out of the model and
        its coefficient is NaN (also in ``.notes``).

    Notes
    -----
    R: ``lm(overall ~ low_a + high_a + low_b + high_b + ...)``; penalty = -coef(low), reward =
    coef(high), difference tested with the contrast c = (-1, -1) on ``vcov(fit)``. The penalty
    equals |b_low| when low performance lowers satisfaction (the usual sign); a negative
    penalty is listed in the notes. Mittal, Ross & Baldasare (1998) call an attribute with a
    larger penalty than reward basic (must-be), the reverse exciting, and similar effects
    performance (one-dimensional).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.satisfaction import penalty_reward
    >>> rng = np.random.default_rng(1)
    >>> x = pd.DataFrame(rng.integers(1, 6, size=(400, 2)), columns=["卫生", "装修"])
    >>> y = 3 - 1.0 * (x["卫生"] <= 2) + 0.8 * (x["装修"] >= 4) + rng.normal(0, 0.5, 400)
    >>> r = penalty_reward(x, y)
    >>> r.table["category"].tolist()
    ['basic', 'excitement']
    """
    function = "penalty_reward"
    level = check_level(ci_level, function)
    x, y, n_dropped = _prepare(attributes, overall, function)
    values = x.to_numpy()
    lo_test, lo_text = _rule(low, "low", np.nanmin(values) + 1 if values.size else 0)
    hi_test, hi_text = _rule(high, "high", np.nanmax(values) - 1 if values.size else 0)
    columns, names, notes = [], [], []
    for j, attr in enumerate(x.columns):
        is_low, is_high = lo_test(values[:, j]), hi_test(values[:, j])
        if (is_low & is_high).any():
            if low is None and high is None:  # the default rules, from the answers: too few distinct ratings
                raise DataError(f"The ratings of {function} span {np.nanmin(values):g} to {np.nanmax(values):g} "
                                f"only, so the default low ({lo_text}) and high ({hi_text}) groups overlap; it needs "
                                "ratings spread over at least 3 values, or rules passed as low= and high=.")
            raise ValueError(f"The low ({lo_text}) and high ({hi_text}) groups of {function} overlap; choose rules "
                             "that leave a middle group between them.")
        middle = ~is_low & ~is_high
        if not middle.any():
            raise DataError(f"Attribute {x.columns[j]!r} of {function} has no respondent in its middle group (neither "
                            f"{lo_text} nor {hi_text}); the dummies are measured against the middle. Widen the middle "
                            "(low=..., high=...), or drop the attribute.")
        for kind, mask in (("low", is_low), ("high", is_high)):
            if mask.any():
                columns.append(mask.astype(float))
                names.append((attr, kind))
            else:
                notes.append(f"Attribute {attr!r} has no respondent in its {kind} group "
                             f"({lo_text if kind == 'low' else hi_text}): its {'penalty' if kind == 'low' else 'reward'}"
                             " is NaN and the model is fitted without that dummy.")
    p = len(columns) + 1
    if len(y) <= p:
        raise DataError(f"{function} needs more complete rows than coefficients ({p}); {len(y)} rows are complete.")
    design = np.column_stack([np.ones(len(y)), *columns])
    if collinear(design):
        raise DataError(f"The low/high dummies of {function} are perfectly collinear (e.g. two attributes rated "
                        "identically by every respondent); drop one of the attributes.")
    fit = ols(design, y, level)
    inflation = vif(design[:, 1:])
    beta, cov, df, r2, adj = fit["estimate"], fit["vcov"], fit["df"], fit["r_squared"], fit["adj_r_squared"]
    index = {name: k + 1 for k, name in enumerate(names)}
    rows = {}
    for j, attr in enumerate(x.columns):
        row = {"n_low": int(lo_test(values[:, j]).sum()), "n_high": int(hi_test(values[:, j]).sum())}
        c = np.zeros(p)
        for kind, sign, label in (("low", -1.0, "penalty"), ("high", 1.0, "reward")):
            k = index.get((attr, kind))
            est, se = (sign * beta[k], np.sqrt(cov[k, k])) if k is not None else (np.nan, np.nan)
            if k is not None:
                c[k] = -1.0
            _, p_value, ci_low, ci_high = t_test(est, se, df, level)
            row.update({label: est, f"{label}_se": se, f"{label}_ci_low": ci_low, f"{label}_ci_high": ci_high,
                        f"{label}_p": p_value, f"{label}_vif": inflation[k - 1] if k is not None else np.nan})
        both = (attr, "low") in index and (attr, "high") in index
        diff, dse = (c @ beta, np.sqrt(c @ cov @ c)) if both else (np.nan, np.nan)
        row.update({"difference": diff, "difference_se": dse, "difference_p": t_test(diff, dse, df, level)[1]})
        row["category"] = _classify(row, 1 - level)
        if row["penalty"] < 0:
            notes.append(f"Attribute {attr!r} has a negative penalty ({row['penalty']:.3g}): low performance goes with "
                         "higher overall satisfaction than the middle; check its coding (reverse-keyed?).")
        rows[attr] = row
    for note in notes:
        if "no respondent" in note:
            warnings.warn(note, PenaltyRewardWarning, stacklevel=2)
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("attribute")
    return PenaltyRewardResult(table=table, intercept=float(beta[0]), r_squared=r2, adj_r_squared=adj,
                               df_resid=int(df), low=lo_text, high=hi_text, ci_level=level, n_obs=len(y),
                               n_dropped=n_dropped, notes=tuple(notes))


def _classify(row: dict, alpha: float) -> str:
    if not np.isfinite(row["difference_p"]):
        return ""
    if row["difference_p"] < alpha:
        return "basic" if row["difference"] > 0 else "excitement"
    return "performance" if min(row["penalty_p"], row["reward_p"]) < alpha else "none"
