"""ABC classification of customers by value (ABC分类): the few who bring most of the profit.

Customers are ranked by value (profit or volume); A = the top customers who together bring
the first 80% of the value, B = the next 15%, C = the rest (DOMAIN.md section 3; the shares
are parameters). The Pareto curve is the cumulative share of value against the cumulative
share of customers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import as_series, check_finite, rows_where
from .._render import Summary
from .._result import Result
from ..errors import DataError

__all__ = ["ABCResult", "abc"]

CLASSES = ("A", "B", "C")
_EPS = 1e-12


@dataclass(frozen=True)
class ABCResult(Result):
    """A/B/C classes of customers by cumulative share of value.

    Attributes
    ----------
    table : DataFrame
        Indexed and ordered like ``values``: ``value``, ``share`` (of the positive total),
        ``cumulative_share`` (in rank order, ties in input order), ``rank`` (1 = highest;
        equal values share the best rank), ``class`` (categorical A, B, C).
    pareto : DataFrame
        The Pareto curve, starting at (0, 0): ``customer_share`` (cumulative share of
        customers, highest value first) and ``value_share`` (cumulative share of value).
    classes : DataFrame
        Per class: ``customers``, ``customer_share``, ``value``, ``value_share``,
        ``min_value``, ``max_value``.
    shares : tuple
        The class shares used, e.g. (0.8, 0.15, 0.05).
    n_negative, n_zero : int
        Customers with a negative or zero value (class C, see Notes of :func:`abc`).
    """

    table: pd.DataFrame
    pareto: pd.DataFrame
    classes: pd.DataFrame
    shares: tuple
    total: float
    positive_total: float
    n_negative: int
    n_zero: int
    name: str | None = None
    notes: tuple = ()

    @property
    def n_customers(self) -> int:
        return len(self.table)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        a, b, _ = self.shares
        counts = self.classes["customers"]
        lines = [(f"A: the top customers bringing the first {a:.0%} of the value ({counts['A']} customers, "
                  f"{self.classes.at['A', 'customer_share']:.1%}); B: the next {b:.0%} ({counts['B']}); "
                  f"C: the rest ({counts['C']})"),
                 ("The customer whose value crosses a boundary belongs to the class below it (A takes the one that "
                  "reaches 80%); equal values share a class"),
                 *self.notes]
        return Summary(title="ABC classification" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Classes", self.classes)])

    def __repr__(self) -> str:
        c = self.classes["customers"]
        name = f" name={self.name!r}" if self.name else ""
        return f"<ABCResult{name} n_customers={self.n_customers} A={c['A']} B={c['B']} C={c['C']}>"


def _check_shares(shares, function: str) -> tuple[float, float, float]:
    ok = isinstance(shares, (tuple, list)) and len(shares) == 3
    if ok:
        try:
            vals = tuple(float(s) for s in shares)
        except (TypeError, ValueError):
            ok = False
        else:
            ok = all(np.isfinite(v) and v > 0 for v in vals) and abs(sum(vals) - 1) < 1e-9
    if not ok:
        raise ValueError(f"The 'shares' parameter of {function} must be three positive shares of value for A, B and "
                         f"C that add up to 1, e.g. (0.8, 0.15, 0.05). Got {shares!r} instead.")
    return vals


def abc(values, *, shares=(0.8, 0.15, 0.05)) -> ABCResult:
    """ABC classification (ABC分类) of customers by their share of value, with the Pareto curve.

    Parameters
    ----------
    values : Series or array-like
        One value per customer, e.g. profit or revenue (``rfm_result.table['profit']``,
        ``clv_result.table['clv_retention']``), indexed by customer id.
    shares : (float, float, float), default (0.8, 0.15, 0.05)
        Shares of the total value brought by classes A, B and C; they add up to 1.

    Returns
    -------
    ABCResult
        ``to_frame()`` indexed like ``values``; ``pareto``; ``classes``.

    Raises
    ------
    DataError
        Missing, infinite or non-numeric values (the rows are named); no positive value.
    ValueError
        ``shares`` not three positive numbers adding up to 1.

    Notes
    -----
    Customers are sorted by value, highest first. A customer's class depends on the share of
    value brought by the customers with a strictly *higher* value: below 80% -> A, below 95%
    -> B, else C. So the customer whose value crosses 80% is in A (A is the smallest set of top
    customers that reaches 80%), and customers with equal values always share a class (and
    the best rank). Shares within 1e-12 of a boundary count as on it, so that rounding cannot
    move a customer who starts exactly at 95% into B.

    Negative values (loss-making customers, or customers whose returns exceed their
    purchases) and zero values are put in class C, with a note. Shares are of the total of
    the *positive* values, so the Pareto curve rises to 1 over the customers who bring value,
    stays flat over zeros and falls back over the loss-makers (the "whale curve" of
    profitability analysis) to total / positive total.

    R: ``o <- order(-x); cs <- cumsum(x[o]) / sum(x[x > 0])``, the class from
    ``c(0, head(cs, -1))`` taken at the first member of each run of equal values.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.value import abc
    >>> r = abc(pd.Series([500, 300, 100, 60, 40, -20], index=list("uvwxyz")))
    >>> r.to_frame()["class"].tolist()
    ['A', 'A', 'B', 'B', 'C', 'C']
    >>> r.to_frame()["cumulative_share"].round(2).tolist()
    [0.5, 0.8, 0.9, 0.96, 1.0, 0.98]
    """
    function = "abc"
    a, b, c = _check_shares(shares, function)
    series = as_series(values, "values", function)
    if not len(series):
        raise DataError(f"{function} was given no values (an empty {type(values).__name__}).")
    if pd.api.types.is_bool_dtype(series.dtype):
        raise DataError(f"The values passed to {function} are True/False, not amounts. Pass profit or revenue per "
                        "customer.")
    x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(x) & series.notna().to_numpy()
    if bad.any():
        raise DataError(f"The values passed to {function} are not numbers in {rows_where(bad, series.index)}. Pass "
                        "numbers (profit or revenue per customer).")
    if np.isnan(x).any():
        raise DataError(f"The values passed to {function} are missing in {rows_where(np.isnan(x), series.index)}; drop "
                        "those customers or fill in 0 if they brought nothing.")
    check_finite(x, ["values" if series.name is None else series.name], series.index, function, what="The")
    positive = x > 0
    if not positive.any():
        raise DataError(f"None of the {len(x)} values passed to {function} is positive, so there is no value to "
                        "share out. Check the sign of the values (profit, not cost).")
    n = len(x)
    total_pos = x[positive].sum()
    order = np.argsort(-x, kind="stable")
    sv = x[order]
    cs = np.cumsum(sv)
    cum = cs / total_pos
    prev = np.r_[0.0, cum[:-1]]
    first = np.r_[True, sv[1:] != sv[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    before = prev[group_start]  # share of value brought by strictly higher values
    # a share within _EPS of a boundary is on it: 95/100 must not fall below 0.8 + 0.15 = 0.9500000000000001
    cls_sorted = np.where(sv > 0, np.where(before < a - _EPS, 0, np.where(before < a + b - _EPS, 1, 2)), 2)
    cls = np.empty(n, np.int8)
    cls[order] = cls_sorted
    rank = np.empty(n, np.int64)
    rank[order] = group_start + 1
    cumulative = np.empty(n)
    cumulative[order] = cum
    table = pd.DataFrame({"value": x, "share": x / total_pos, "cumulative_share": cumulative, "rank": rank,
                          "class": pd.Categorical.from_codes(cls, categories=list(CLASSES))}, index=series.index)
    pareto = pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": np.r_[0.0, cum]})
    pareto.index.name = "position"
    counts = np.bincount(cls, minlength=3)
    val = np.bincount(cls, weights=x, minlength=3)
    lo = np.array([x[cls == k].min() if counts[k] else np.nan for k in range(3)])
    hi = np.array([x[cls == k].max() if counts[k] else np.nan for k in range(3)])
    classes = pd.DataFrame({"customers": counts, "customer_share": counts / n, "value": val,
                            "value_share": val / total_pos, "min_value": lo, "max_value": hi},
                           index=pd.Index(list(CLASSES), name="class"))
    n_neg, n_zero = int((x < 0).sum()), int((x == 0).sum())
    notes = []
    if n_neg:
        notes.append(f"{n_neg} customer{'s have' if n_neg > 1 else ' has'} a negative value (total {x[x < 0].sum():,.2f}): "
                     "class C; shares are of the total of the positive values, so the cumulative share ends at "
                     f"{cum[-1]:.3f}.")
    if n_zero:
        notes.append(f"{n_zero} customer{'s have' if n_zero > 1 else ' has'} a value of 0: class C.")
    empty = [c for c, k in zip(CLASSES, counts) if not k]
    if empty:
        notes.append(f"Class{'es' if len(empty) > 1 else ''} {', '.join(empty)} {'have' if len(empty) > 1 else 'has'} "
                     "no customers (equal values share a class), so their min_value and max_value are NaN.")
    return ABCResult(table=table, pareto=pareto, classes=classes, shares=(a, b, c), total=float(x.sum()),
                     positive_total=float(total_pos), n_negative=n_neg, n_zero=n_zero,
                     name=None if series.name is None else str(series.name), notes=tuple(notes))
