"""Item discrimination by extreme groups (项目分析, 临界比值法): the thesis checklist's CR test.

Respondents are sorted by their total score; the lowest and highest 27 % (Kelley 1939) form
the low and high groups, and each item's means in the two groups are compared by Student's
independent t test (pooled variance). The t value is the item's critical ratio (CR); an
item whose CR is not significant (or below 3, a common rule of thumb) does not discriminate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import as_vector, check_level
from .._render import Summary
from .._result import Result
from ..errors import DataError, numeric_frame
from ._ttest import student

__all__ = ["DiscriminationResult", "item_discrimination"]


@dataclass(frozen=True)
class DiscriminationResult(Result):
    """Extreme-group item discrimination.

    Attributes
    ----------
    table : DataFrame
        By item: ``mean_low``, ``mean_high``, ``sd_low``, ``sd_high``, ``estimate`` (mean_high
        - mean_low), ``se``, ``cr`` (the Student t), ``df``, ``p_value``, ``ci_low``, ``ci_high``.
    low_cut, high_cut : float
        Total scores at or below ``low_cut`` form the low group, at or above ``high_cut`` the
        high group.
    n_low, n_high : int
        Group sizes (ties at a cut are all included, so a group can exceed 27 %).
    groups : float
    n_obs, n_dropped : int
    notes : tuple of str
    """

    table: pd.DataFrame
    low_cut: float
    high_cut: float
    n_low: int
    n_high: int
    groups: float
    ci_level: float
    n_obs: int
    n_dropped: int
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [f"Extreme groups by total score: low <= {self.low_cut:g} (n = {self.n_low}), high >= "
                 f"{self.high_cut:g} (n = {self.n_high}), {self.groups:.0%} each side; n = {self.n_obs} "
                 f"({self.n_dropped} dropped: a missing item or total)",
                 "CR = Student's t (pooled variance, R t.test(var.equal = TRUE)) of mean(high) - mean(low)",
                 *self.notes]
        return Summary(title="Item discrimination (critical ratio)", lines=lines, tables=[("Items", self.table)])

    def __repr__(self) -> str:
        weakest = self.table["cr"].idxmin() if self.table["cr"].notna().any() else None
        return (f"<DiscriminationResult n_items={len(self.table)} min_cr={self.table['cr'].min():.2f} "
                f"weakest={weakest!r} n_obs={self.n_obs}>")


def item_discrimination(items: pd.DataFrame, *, total=None, groups: float = 0.27,
                        ci_level: float = 0.95) -> DiscriminationResult:
    """Critical ratio (CR) of each item: Student's t between the lowest and highest 27 % by total score.

    Parameters
    ----------
    items : DataFrame
        Item scores (reverse-keyed items already reversed), one row per respondent.
    total : Series or array-like, optional
        The total score that sorts the respondents; default the row sum of ``items``.
    groups : float, default 0.27
        Share of respondents in each extreme group (0 < groups < 0.5).
    ci_level : float, default 0.95

    Returns
    -------
    DiscriminationResult

    Raises
    ------
    DataError
        Fewer than 2 respondents in a group, or groups that meet (too many ties at the cuts).
    ValueError
        Bad ``groups``, a ``total`` of the wrong length.

    Notes
    -----
    k = ceil(groups * n): the low cut is the k-th smallest total, the high cut the k-th
    largest; everyone tied with a cut joins its group, as SPSS users do with 'Recode' at the
    27th and 73rd percentile scores. The test is Student's (pooled variance), the thesis
    convention and SPSS's 'Equal variances assumed' row; R ``t.test(high, low, var.equal =
    TRUE)``. Rows with a missing item or total are dropped (listwise).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.satisfaction import item_discrimination
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=300)
    >>> x = pd.DataFrame({f"q{i}": np.clip(np.round(3 + f + rng.normal(size=300)), 1, 5) for i in range(4)})
    >>> r = item_discrimination(x)
    >>> bool((r.table["cr"] > 3).all()), r.n_low >= 81
    (True, True)
    """
    function = "item_discrimination"
    level = check_level(ci_level, function)
    if isinstance(groups, bool) or not isinstance(groups, (int, float)) or not 0 < groups < 0.5:
        raise ValueError(f"The 'groups' parameter of {function} must be a share between 0 and 0.5 (e.g. 0.27). "
                         f"Got {groups!r} instead.")
    if not isinstance(items, pd.DataFrame) or items.shape[1] == 0:
        raise TypeError(f"The 'items' parameter of {function} must be a DataFrame with one column per item; got "
                        f"{type(items).__name__}.")
    x = numeric_frame(items, function=function)
    t = x.sum(axis=1, skipna=False).to_numpy() if total is None else pd.to_numeric(
        pd.Series(as_vector(total, "total", len(x), function, what="one total score per respondent")),
        errors="coerce").to_numpy(float)
    ok = ~np.isnan(t) & ~x.isna().any(axis=1).to_numpy()
    x, t = x.loc[ok], t[ok]
    n = len(t)
    k = math.ceil(groups * n)
    if k < 2:
        raise DataError(f"{function} has {n} complete rows: {groups:.0%} of them is fewer than 2 per group.")
    ordered = np.sort(t)
    low_cut, high_cut = float(ordered[k - 1]), float(ordered[n - k])
    low, high = t <= low_cut, t >= high_cut
    if low_cut >= high_cut:
        raise DataError(f"The extreme groups of {function} meet: the low cut ({low_cut:g}) is not below the high cut "
                        f"({high_cut:g}), the total scores are too tied. Use a finer total or fewer respondents per "
                        "group (groups=...).")
    rows, notes = {}, []
    for col in x.columns:
        hi, lo = x.loc[high, col].to_numpy(), x.loc[low, col].to_numpy()
        res = student(hi, lo, level)
        rows[col] = {"mean_low": lo.mean(), "mean_high": hi.mean(), "sd_low": lo.std(ddof=1), "sd_high": hi.std(ddof=1),
                     "estimate": res["estimate"], "se": res["se"], "cr": res["t"], "df": res["df"],
                     "p_value": res["p_value"], "ci_low": res["ci_low"], "ci_high": res["ci_high"]}
        if not res["se"] > 0:
            notes.append(f"Item {col!r} is constant within both groups: its CR is undefined.")
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("item")
    return DiscriminationResult(table=table, low_cut=low_cut, high_cut=high_cut, n_low=int(low.sum()),
                                n_high=int(high.sum()), groups=float(groups), ci_level=level, n_obs=n,
                                n_dropped=int((~ok).sum()), notes=tuple(notes))
