"""Customer lifetime value (客户生命周期价值) and profit contribution, from transactions.

Two forms (DOMAIN.md section 3):

* the simple form of the source text, ``CLV = (annual revenue - annual cost) x expected
  relationship years``;
* the discounted retention form, ``CLV = m r / (1 + d - r)`` (Gupta and Lehmann 2003):
  the present value of the margin ``m`` of every future year a customer stays, with yearly
  retention ``r`` and discount rate ``d``.

Retention is estimated from the data on annual periods ending at ``as_of``; per customer and
per segment. Profit contribution (amount - cost) per customer and segment in a window.

How :func:`clv` computes them:

*Annual periods* end at ``as_of``: the latest is the 12 months to ``as_of``, the one
before the 12 months before that, and so on back to the first date in the data; a period
is complete when it starts on or after the first date in the data.

*Retention* r is the share of the customers active (one purchase or more) in a period who
are active again in the next, pooled over every pair of consecutive periods whose earlier
period is complete: r = sum retained / sum active in the earlier period. R:
``sum(a_prev & a_next) / sum(a_prev)``. This is the "lost for good" view of retention.

*Annual margin* m of a customer = (net revenue - cost) / years observed, where years
observed counts the annual periods from the one holding the customer's first transaction
to the latest (a customer who started this year has 1). With ``margin``, cost =
(1 - margin) x revenue.

*Simple form* (source text): CLV = m x years, years = 1 / (1 - r) by default: the mean
length, counting the current year, of a relationship that ends each year with probability
1 - r. *Retention form*: CLV = m r / (1 + d - r), the discounted margins of the years
after the current one, for a customer active in the latest period; a customer who did not
buy in it is taken as lost (CLV 0) under the same view of retention. The two forms answer
different questions (the whole relationship, undiscounted, vs the future, discounted),
so they differ even for the same r.

Per segment, every customer's CLV uses the overall r (a segment defined from recent
purchases, such as an RFM layer, has a retention biased by its own definition); the
segment's own retention is shown, and can be passed as ``retention`` in a call on the
segment's transactions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import first_names
from .._render import Summary
from .._result import Result
from ..errors import DataError
from ._periods import (
    display_dates,
    period_starts,
    periods_table,
    segment_codes,
    segment_column,
    segment_table,
    window_start,
)
from .transactions import _EPOCH, TransactionAudit, _money, _prepared

__all__ = ["CLVResult", "ProfitResult", "clv", "profit_contribution"]


def _number(name, value, function: str, *, low: float, high: float, low_open: bool, high_open: bool,
            example: str) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and np.isfinite(value)
    if ok:
        v = float(value)
        ok = (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not ok:
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"The {name!r} parameter of {function} must be a number in {lo}{low:g}, {high:g}{hi} "
                         f"(e.g. {example}). Got {value!r} instead.")
    return float(value)


def _margin_or_cost(p, margin, function: str):
    """Each used row's cost: from the cost column, or (1 - margin) x amount."""
    if p.cost is not None and margin is not None:
        raise ValueError(f"{function} was given both a cost column and margin={margin!r}; pass one: the cost column "
                         "gives each order's margin, 'margin' a fixed share of revenue.")
    if p.cost is None and margin is None:
        raise ValueError(f"{function} needs the cost of the orders: pass cost='cost' (a column) or margin=0.3 (the "
                         "share of revenue that is margin).")
    if margin is not None:
        m = _number("margin", margin, function, low=0, high=1, low_open=True, high_open=False, example="0.3")
        return (1 - m) * p.amount, m
    return p.cost, None


def _pooled_retention(active: np.ndarray, complete: np.ndarray, groups: np.ndarray | None, n_groups: int):
    """Retained / at-risk summed over consecutive period pairs whose earlier period is complete.

    ``active`` is customers x periods (oldest first). Returns (retained, at_risk) per pair
    (pairs x groups, or pairs x 1 without groups).
    """
    k = active.shape[1]
    g = np.zeros(active.shape[0], np.intp) if groups is None else np.where(groups < 0, n_groups, groups)
    m = 1 if groups is None else n_groups + 1
    retained, at_risk = [], []
    for t in range(1, k):
        if not complete[t - 1]:
            continue
        prev = active[:, t - 1]
        at_risk.append(np.bincount(g[prev], minlength=m))
        retained.append(np.bincount(g[prev & active[:, t]], minlength=m))
    if not retained:
        return np.zeros((0, m)), np.zeros((0, m))
    return np.array(retained, dtype=float), np.array(at_risk, dtype=float)


@dataclass(frozen=True)
class CLVResult(Result):
    """Customer lifetime value per customer and segment, in the simple and the retention form.

    Attributes
    ----------
    table : DataFrame
        Per customer (index ``customer_id``): ``revenue``, ``cost`` (net, all dates up to
        ``as_of``), ``years_observed`` (annual periods from the customer's first transaction
        to ``as_of``), ``annual_revenue``, ``annual_cost``, ``annual_margin`` (per observed
        year), ``active`` (bought in the latest annual period), ``clv_simple``
        (annual_margin x years), ``clv_retention`` (annual_margin x r / (1 + d - r) for an
        active customer, 0 otherwise), ``segment`` (with ``by``).
    retention : float
        Yearly retention r used (estimated unless given).
    years : float
        Expected relationship years used by the simple form (1 / (1 - r) unless given).
    discount : float
    retention_table : DataFrame
        Per pair of consecutive annual periods: ``period_start`` (of the later one),
        ``customers_prior`` (active in the earlier period), ``retained`` (also active in the
        later one), ``retention``.
    periods : DataFrame
        The annual periods ending at ``as_of``: start, end, complete, active customers.
    by_segment : DataFrame or None
        Per segment: ``customers``, ``active_customers``, ``retention`` (the segment's own,
        descriptive), means of ``annual_revenue``, ``annual_margin``, ``clv_simple``,
        ``clv_retention``, and ``clv_simple_total``, ``clv_retention_total``,
        ``clv_retention_share``.
    """

    table: pd.DataFrame
    retention: float
    years: float
    discount: float
    retention_estimated: bool
    years_estimated: bool
    margin: float | None
    retention_table: pd.DataFrame
    periods: pd.DataFrame
    by_segment: pd.DataFrame | None
    audit: TransactionAudit
    as_of: pd.Timestamp
    notes: tuple = ()

    @property
    def n_customers(self) -> int:
        return len(self.table)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        r, d = self.retention, self.discount
        lines = [(f"Simple form: CLV = annual margin x {self.years:.3g} years "
                  f"({'1 / (1 - r), estimated' if self.years_estimated else 'given'}); mean "
                  f"{self.table['clv_simple'].mean():,.2f}, total {self.table['clv_simple'].sum():,.2f}"),
                 (f"Retention form: CLV = m x r / (1 + d - r) with r = {r:.4f} "
                  f"({'estimated from the annual periods' if self.retention_estimated else 'given'}), d = {d:g}: "
                  f"x{r / (1 + d - r):.4f} of the annual margin for the {int(self.table['active'].sum())} customers "
                  f"active in the last year (0 for the others); total {self.table['clv_retention'].sum():,.2f}"),
                 ("Annual margin = (revenue - cost) / annual periods since the customer's first transaction"
                  + (f"; cost = {1 - self.margin:g} x revenue (margin {self.margin:g})" if self.margin is not None
                     else "; cost from the cost column")),
                 *self.notes, self.audit._line()]
        tables = [("Retention by year", display_dates(self.retention_table)), ("Annual periods", display_dates(self.periods))]
        if self.by_segment is not None:
            tables.insert(0, ("By segment", self.by_segment))
        return Summary(title="Customer lifetime value", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<CLVResult n_customers={self.n_customers} retention={self.retention:.3f} years={self.years:.3g} "
                f"discount={self.discount:g}>")


def _by_segment(by, p, table: pd.DataFrame, active: np.ndarray, complete: np.ndarray, *, estimated: bool,
                notes: list) -> pd.DataFrame:
    """CLV by segment of ``by``: customers, the segment's own retention, means and totals of both forms.

    Adds each customer's ``segment`` to ``table`` (in place).
    """
    function = "clv"
    n = p.n_customers
    is_active = table["active"].to_numpy()
    annual_revenue, annual_margin = table["annual_revenue"].to_numpy(), table["annual_margin"].to_numpy()
    seg, labels, seg_notes = segment_codes(by, p.customers, function)
    notes += seg_notes
    sums = segment_table(seg, labels, {"customers": np.ones(n), "active_customers": is_active.astype(float),
                                        "annual_revenue": annual_revenue, "annual_margin": annual_margin,
                                        "clv_simple": table["clv_simple"].to_numpy(),
                                        "clv_retention": table["clv_retention"].to_numpy()})
    sr, sa = _pooled_retention(active, complete, seg, len(labels))
    sr, sa = sr.sum(axis=0)[: len(sums)], sa.sum(axis=0)[: len(sums)]
    seg_tab = pd.DataFrame({"customers": sums["customers"].astype(np.int64),
                            "active_customers": sums["active_customers"].astype(np.int64)}, index=sums.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        seg_tab["retention"] = sr / sa
        for c in ("annual_revenue", "annual_margin", "clv_simple", "clv_retention"):
            seg_tab[c] = sums[c] / sums["customers"]
    seg_tab["clv_simple_total"] = sums["clv_simple"]
    seg_tab["clv_retention_total"] = sums["clv_retention"]
    seg_tab["clv_retention_share"] = sums["clv_retention"] / table["clv_retention"].sum()
    no_base = [lab for lab, a, c in zip(seg_tab.index, sa, seg_tab["customers"]) if a == 0 and c > 0]
    if no_base and estimated:
        msg = (f"{len(no_base)} segment{'s have' if len(no_base) > 1 else ' has'} no customer active in a complete "
               f"year before the last ({first_names(no_base)}): its retention is NaN.")
        notes.append(msg)
    table["segment"] = segment_column(seg, labels)
    return seg_tab


def clv(transactions, *, customer=None, date=None, amount=None, as_of=None, cost=None, margin=None,
        discount: float = 0.1, years=None, retention=None, by=None, returns: str = "net",
        duplicates: str = "drop", id_format=None, date_format: str | None = None) -> CLVResult:
    """Customer lifetime value (CLV, 客户生命周期价值): simple and discounted retention forms.

    Parameters
    ----------
    transactions, customer, date, amount, as_of, returns, duplicates, id_format, date_format
        As :func:`rfm`.
    cost : str, optional
        Column of each order's cost; or give ``margin``.
    margin : float, optional
        Share of revenue that is margin, in (0, 1], when there is no cost column.
    discount : float, default 0.1
        Yearly discount rate d of the retention form.
    years : float, optional
        Expected relationship years of the simple form; default 1 / (1 - r).
    retention : float, optional
        Yearly retention r in [0, 1); default estimated from the data (see Notes).
    by : Series, optional
        Segment of each customer, indexed by customer id (e.g. ``rfm_result.table['layer']``).

    Returns
    -------
    CLVResult

    Raises
    ------
    ValueError
        Neither (or both) of ``cost`` and ``margin``; values out of range.
    DataError
        Retention not estimable (fewer than two annual periods, the earlier complete) and
        not given; an estimated retention of 1 without ``years``.

    Notes
    -----
    The annual periods, the pooled retention r (R: ``sum(a_prev & a_next) / sum(a_prev)``),
    the annual margin, both forms and the per-segment values are defined in the module
    docstring of :mod:`surveykit.value.clv`.

    Examples
    --------
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value import clv
    >>> tx = generate_example(n_respondents=100, n_customers=800).transactions
    >>> r = clv(tx, customer="customer_id", date="date", amount="amount", cost="cost", as_of=AS_OF)
    >>> 0 < r.retention < 1, r.years == 1 / (1 - r.retention)
    (True, True)
    >>> bool((r.table.loc[~r.table.active, "clv_retention"] == 0).all())
    True
    """
    function = "clv"
    d = _number("discount", discount, function, low=0, high=1e6, low_open=False, high_open=False, example="0.1")
    if retention is not None:
        retention = _number("retention", retention, function, low=0, high=1, low_open=False, high_open=True,
                            example="0.7")
    if years is not None:
        years = _number("years", years, function, low=0, high=1e6, low_open=True, high_open=False, example="3")
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    row_cost, m_given = _margin_or_cost(p, margin, function)
    n = p.n_customers
    first_day = int(p.day.min())
    starts = period_starts(p.as_of, first_day, 12)
    k = len(starts)
    per = np.searchsorted(starts, p.day, side="right") - 1
    key = p.code.astype(np.int64) * k + per
    buy = p.amount > 0
    active = (np.bincount(key[buy], minlength=n * k) > 0).reshape(n, k)
    seen = (np.bincount(key, minlength=n * k) > 0).reshape(n, k)
    years_observed = k - np.argmax(seen, axis=1)
    periods = periods_table(starts, p.as_of_day, first_day)
    periods["active_customers"] = active.sum(axis=0)
    complete = periods["complete"].to_numpy()

    retained, at_risk = _pooled_retention(active, complete, None, 0)
    pairs = [t for t in range(1, k) if complete[t - 1]]
    ret_tab = pd.DataFrame({"period_start": periods["period_start"].to_numpy()[pairs],
                            "customers_prior": at_risk[:, 0].astype(np.int64),
                            "retained": retained[:, 0].astype(np.int64)})
    with np.errstate(invalid="ignore", divide="ignore"):
        ret_tab["retention"] = ret_tab["retained"] / ret_tab["customers_prior"]
    notes = []
    estimated = retention is None
    if estimated:
        if not len(pairs) or at_risk.sum() == 0:
            raise DataError(f"{function} cannot estimate retention: it needs two annual periods ending at as_of "
                            f"({p.as_of.date()}) with the earlier one complete, but the data run from "
                            f"{p.audit.first_date.date()} ({k} period{'s' if k > 1 else ''}, "
                            f"{int(complete.sum())} complete). Pass retention= (and years=) from another source.")
        r = float(retained.sum() / at_risk.sum())
    else:
        r = retention
    years_estimated = years is None
    if years_estimated:
        if r >= 1:
            raise DataError(f"Every customer active in one year of the data bought again the next (retention 1), so "
                            f"{function} cannot estimate the relationship length 1 / (1 - r). Pass years=.")
        years = 1.0 / (1.0 - r)

    revenue = _money(np.bincount(p.code, weights=p.amount, minlength=n))
    costs = _money(np.bincount(p.code, weights=row_cost, minlength=n))
    annual_revenue = revenue / years_observed
    annual_cost = costs / years_observed
    annual_margin = annual_revenue - annual_cost
    is_active = active[:, k - 1]
    factor = r / (1 + d - r)
    table = pd.DataFrame({"revenue": revenue, "cost": costs, "years_observed": years_observed.astype(np.int64),
                          "annual_revenue": annual_revenue, "annual_cost": annual_cost,
                          "annual_margin": annual_margin, "active": is_active,
                          "clv_simple": annual_margin * years,
                          "clv_retention": np.where(is_active, annual_margin * factor, 0.0)}, index=p.customers)
    seg_tab = None
    if by is not None:
        seg_tab = _by_segment(by, p, table, active, complete, estimated=estimated, notes=notes)
    return CLVResult(table=table, retention=r, years=float(years), discount=d, retention_estimated=estimated,
                     years_estimated=years_estimated, margin=m_given, retention_table=ret_tab, periods=periods,
                     by_segment=seg_tab, audit=p.audit, as_of=p.as_of, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------
# profit contribution


@dataclass(frozen=True)
class ProfitResult(Result):
    """Profit contribution (利润贡献) per customer and segment in a window: amount - cost.

    Attributes
    ----------
    table : DataFrame
        Per customer with a transaction in the window: ``revenue``, ``cost``, ``profit``,
        ``margin_rate`` (profit / revenue), ``profit_share`` (of the total profit),
        ``segment`` (with ``by``).
    by_segment : DataFrame or None
        Per segment: ``customers``, ``revenue``, ``cost``, ``profit``, ``profit_share``,
        ``profit_per_customer``.
    total_revenue, total_profit : float
    """

    table: pd.DataFrame
    by_segment: pd.DataFrame | None
    total_revenue: float
    total_profit: float
    audit: TransactionAudit
    as_of: pd.Timestamp
    since: pd.Timestamp | None
    margin: float | None
    notes: tuple = ()

    @property
    def n_customers(self) -> int:
        return len(self.table)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        window = f"{self.since.date()} to {self.as_of.date()}" if self.since is not None else f"up to {self.as_of.date()}"
        lines = [(f"Profit = revenue - cost over {window}: {self.total_profit:,.2f} from {self.n_customers} "
                  f"customers (revenue {self.total_revenue:,.2f}, net of returns)"
                  + (f"; cost = {1 - self.margin:g} x revenue" if self.margin is not None else "")),
                 *self.notes, self.audit._line()]
        tables = [("By segment", self.by_segment)] if self.by_segment is not None else []
        top = self.table.sort_values("profit", ascending=False).head(10)
        tables.append(("Top 10 customers", top))
        return Summary(title="Profit contribution", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<ProfitResult n_customers={self.n_customers} total_profit={self.total_profit:.2f} "
                f"as_of={self.as_of.date()}>")


def profit_contribution(transactions, *, customer=None, date=None, amount=None, as_of=None, cost=None,
                        margin=None, since=None, by=None, returns: str = "net", duplicates: str = "drop",
                        id_format=None, date_format: str | None = None) -> ProfitResult:
    """Profit contribution per customer and segment: purchase amount - cost in a window.

    Parameters
    ----------
    transactions, customer, date, amount, as_of, returns, duplicates, id_format, date_format
        As :func:`rfm`.
    cost, margin
        As :func:`clv`: a cost column, or the margin share of revenue.
    since : date-like, optional
        Start of the window (inclusive), e.g. the first day of the year; default all dates.
    by : Series, optional
        Segment of each customer, indexed by customer id.

    Returns
    -------
    ProfitResult

    Notes
    -----
    Returns are netted (their amount and cost are negative). ``profit_share`` divides by the
    total profit of all customers, so loss-making customers have negative shares and the
    shares add up to 1. R: ``tapply(amount - cost, customer, sum)``.

    Examples
    --------
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value import profit_contribution
    >>> tx = generate_example(n_respondents=100, n_customers=800).transactions
    >>> r = profit_contribution(tx, customer="customer_id", date="date", amount="amount", cost="cost",
    ...                         as_of=AS_OF, since="2025-11-01")
    >>> round(float(r.table["profit_share"].sum()), 10)
    1.0
    """
    function = "profit_contribution"
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    row_cost, m_given = _margin_or_cost(p, margin, function)
    since_day = window_start(since, p.as_of, function)
    inside = np.ones(p.n_rows, bool) if since_day is None else p.day >= since_day
    n = p.n_customers
    code = p.code[inside]
    rows = np.bincount(code, minlength=n)
    keep = np.flatnonzero(rows > 0)
    if not len(keep):
        raise DataError(f"No transaction in the window of {function} (since {since} to {p.as_of.date()}).")
    revenue = _money(np.bincount(code, weights=p.amount[inside], minlength=n)[keep])
    costs = _money(np.bincount(code, weights=row_cost[inside], minlength=n)[keep])
    profit = _money(revenue - costs)
    total = profit.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({"revenue": revenue, "cost": costs, "profit": profit, "margin_rate": profit / revenue,
                              "profit_share": profit / total}, index=p.customers[keep])
    notes = []
    seg_tab = None
    if by is not None:
        seg, labels, notes = segment_codes(by, p.customers[keep], function)
        notes = list(notes)
        sums = segment_table(seg, labels, {"customers": np.ones(len(keep)), "revenue": revenue, "cost": costs,
                                            "profit": profit})
        seg_tab = sums.astype({"customers": np.int64})
        with np.errstate(invalid="ignore", divide="ignore"):
            seg_tab["profit_share"] = sums["profit"] / total
            seg_tab["profit_per_customer"] = sums["profit"] / sums["customers"]
        table["segment"] = segment_column(seg, labels)
    return ProfitResult(table=table, by_segment=seg_tab, total_revenue=float(revenue.sum()), total_profit=float(total),
                        audit=p.audit, as_of=p.as_of,
                        since=None if since_day is None else _EPOCH + pd.Timedelta(days=since_day), margin=m_given,
                        notes=tuple(notes))
