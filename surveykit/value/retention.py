"""Repurchase and conversion: the share of buyers who bought again, and of a customer list who bought.

Both overall, by calendar period ending at ``as_of`` and by segment (DOMAIN.md section 3),
from one sort of the purchases and ``np.bincount``, as :func:`surveykit.value.rfm`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import as_series, first_names
from .._render import Summary
from .._result import Result
from ..errors import DataError, check_option
from ._periods import (
    check_basis,
    day_timestamps,
    display_dates,
    period_starts,
    periods_table,
    purchase_occasions,
    rate_by_segment,
    segment_codes,
    segment_column,
    window_start,
)
from .ids import encode_ids, isin, warn_zero_stripped
from .transactions import _EPOCH, PreparedTransactions, TransactionAudit, _prepared

__all__ = ["ConversionResult", "RepurchaseResult", "conversion_rate", "repurchase_rate"]

_PERIOD_MONTHS = {"year": 12, "quarter": 3, "month": 1}


# ---------------------------------------------------------------------------------------------
# repurchase rate


@dataclass(frozen=True)
class RepurchaseResult(Result):
    """Repurchase rate: the share of buyers with two or more purchase occasions.

    Attributes
    ----------
    rate : float
        Over the window (``since`` to ``as_of``): repurchasers / buyers.
    n_customers, n_repurchasers : int
        Buyers (one or more purchases in the window); those with two or more.
    table : DataFrame
        Per buyer: ``occasions`` (purchases in the window), ``repurchased`` (bool), ``segment``
        (with ``by``).
    by_period : DataFrame
        Per period ending at ``as_of`` (oldest first): ``period_start``, ``period_end``,
        ``complete`` (the data cover the whole period), ``customers``, ``repurchasers``,
        ``repurchase_rate`` (occasions counted within the period).
    by_segment : DataFrame or None
        Per segment: ``customers``, ``repurchasers``, ``repurchase_rate``.
    """

    rate: float
    n_customers: int
    n_repurchasers: int
    table: pd.DataFrame
    by_period: pd.DataFrame
    by_segment: pd.DataFrame | None
    audit: TransactionAudit
    as_of: pd.Timestamp
    since: pd.Timestamp | None
    period: str
    frequency_basis: str
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        window = f"{self.since.date()} to {self.as_of.date()}" if self.since is not None else f"up to {self.as_of.date()}"
        basis = "orders" if self.frequency_basis == "orders" else "distinct purchase days"
        lines = [(f"Repurchase rate = {self.rate:.1%}: {self.n_repurchasers} of {self.n_customers} buyers "
                  f"({window}) made two or more purchases (counting {basis})"), *self.notes, self.audit._line()]
        tables = [(f"By {self.period}", display_dates(self.by_period))]
        if self.by_segment is not None:
            tables.append(("By segment", self.by_segment))
        return Summary(title="Repurchase rate", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<RepurchaseResult rate={self.rate:.3f} n_customers={self.n_customers} "
                f"n_repurchasers={self.n_repurchasers} periods={len(self.by_period)}>")


def repurchase_rate(transactions, *, customer=None, date=None, amount=None, as_of=None, since=None,
                    period: str = "year", frequency: str = "orders", by=None, returns: str = "net",
                    duplicates: str = "drop", id_format=None, date_format: str | None = None) -> RepurchaseResult:
    """Repurchase rate (重复购买率): the share of buyers who bought two or more times.

    Parameters
    ----------
    transactions, customer, date, amount, as_of, returns, duplicates, id_format, date_format
        As :func:`rfm`.
    since : date-like, optional
        Start of the window (inclusive); default: all dates up to ``as_of``.
    period : {'year', 'quarter', 'month'}
        Length of the periods of ``by_period``: calendar periods ending at ``as_of`` (the
        latest runs from the day after ``as_of`` one period earlier to ``as_of``).
    frequency : {'orders', 'days'}
        What counts as a purchase occasion, as in :func:`rfm`.
    by : Series, optional
        Segment of each customer, indexed by customer id (e.g. ``rfm_result.table['layer']``).

    Returns
    -------
    RepurchaseResult

    Notes
    -----
    Rate = (customers with >= 2 purchase occasions in the window) / (customers with >= 1).
    Returns are not purchases. Per period, occasions are counted within the period, and a
    period is ``complete`` when it starts on or after the first date in the data. R:
    ``mean(table(customer[amount > 0]) >= 2)``.

    Examples
    --------
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value import repurchase_rate
    >>> tx = generate_example(n_respondents=100, n_customers=800).transactions
    >>> r = repurchase_rate(tx, customer="customer_id", date="date", amount="amount", as_of=AS_OF)
    >>> 0 < r.rate < 1, list(r.by_period["complete"])
    (True, [True, True])
    """
    function = "repurchase_rate"
    basis = check_basis(frequency, function)
    check_option("period", period, tuple(_PERIOD_MONTHS), function=function)
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=None, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    since_day = window_start(since, p.as_of, function)
    n = p.n_customers
    code, ago = purchase_occasions(p, basis)
    day = p.as_of_day - ago
    inside = np.ones(len(code), bool) if since_day is None else day >= since_day
    occ = np.bincount(code[inside], minlength=n)
    buyers = np.flatnonzero(occ > 0)
    if not len(buyers):
        raise DataError(f"No purchase in the window of {function} ({'since ' + str(since) if since else 'all dates'} "
                        f"to {p.as_of.date()}).")
    rep = occ[buyers] >= 2
    table = pd.DataFrame({"occasions": occ[buyers], "repurchased": rep}, index=p.customers[buyers])

    first_day = int(p.day.min())
    starts = period_starts(p.as_of, first_day, _PERIOD_MONTHS[period])
    k = len(starts)
    per = np.searchsorted(starts, day, side="right") - 1
    cnt = np.bincount(code * k + per, minlength=n * k).reshape(n, k)
    per_tab = periods_table(starts, p.as_of_day, first_day)
    per_tab["customers"] = (cnt >= 1).sum(axis=0)
    per_tab["repurchasers"] = (cnt >= 2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_tab["repurchase_rate"] = per_tab["repurchasers"] / per_tab["customers"]
    notes = []
    seg_tab = None
    if by is not None:
        seg, labels, notes = segment_codes(by, p.customers, function)
        s = seg[buyers]
        seg_tab = rate_by_segment(s, labels, rep, base="customers", hit="repurchasers", rate="repurchase_rate")
        table["segment"] = segment_column(s, labels)
    return RepurchaseResult(rate=float(rep.mean()), n_customers=len(buyers), n_repurchasers=int(rep.sum()),
                            table=table, by_period=per_tab, by_segment=seg_tab, audit=p.audit, as_of=p.as_of,
                            since=None if since_day is None else _EPOCH + pd.Timedelta(days=since_day),
                            period=period, frequency_basis=basis, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------
# conversion rate


@dataclass(frozen=True)
class ConversionResult(Result):
    """Conversion rate (客户转化率): the share of a customer list, prospects included, who bought.

    Attributes
    ----------
    rate : float
        Converted / listed.
    n_listed, n_converted : int
        Distinct customers on the list; those with a purchase in the window.
    n_unlisted_buyers : int
        Buyers in the transactions who are not on the list (not in the base; reported).
    table : DataFrame
        Per listed customer: ``converted`` (bool), ``purchases``, ``first_purchase``,
        ``segment`` (with ``by``).
    by_segment : DataFrame or None
        Per segment: ``listed``, ``converted``, ``conversion_rate``.
    """

    rate: float
    n_listed: int
    n_converted: int
    n_unlisted_buyers: int
    table: pd.DataFrame
    by_segment: pd.DataFrame | None
    audit: TransactionAudit
    as_of: pd.Timestamp
    since: pd.Timestamp | None
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [(f"Conversion rate = {self.rate:.1%}: {self.n_converted} of {self.n_listed} listed customers "
                  f"bought ({'since ' + str(self.since.date()) if self.since is not None else 'any date'} up to "
                  f"{self.as_of.date()})"),
                 f"{self.n_unlisted_buyers} buyers are not on the list (not in the base)", *self.notes,
                 self.audit._line()]
        tables = [("By segment", self.by_segment)] if self.by_segment is not None else []
        return Summary(title="Conversion rate", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<ConversionResult rate={self.rate:.3f} n_listed={self.n_listed} n_converted={self.n_converted} "
                f"n_unlisted_buyers={self.n_unlisted_buyers}>")


def conversion_rate(customers, transactions, *, customer=None, date=None, amount=None, as_of=None, since=None,
                    by=None, returns: str = "net", duplicates: str = "drop", id_format=None,
                    date_format: str | None = None) -> ConversionResult:
    """Conversion rate (客户转化率): the share of listed customers (prospects too) who bought.

    Parameters
    ----------
    customers : Series, Index or array-like
        The customer list: every potential customer's id, those who never bought included
        (e.g. a CRM export of leads). Normalised as :func:`normalize_ids` (with ``id_format``);
        an id listed twice counts once.
    transactions, customer, date, amount, as_of, returns, duplicates, id_format, date_format
        As :func:`rfm`.
    since : date-like, optional
        Count only purchases from this date (e.g. the start of a campaign).
    by : Series, optional
        Segment of each listed customer, indexed by customer id.

    Returns
    -------
    ConversionResult

    Warns
    -----
    IdFormatWarning
        Listed ids not found among the buyers match buyers' ids once leading zeros are ignored.

    Notes
    -----
    Converted = at least one purchase (positive amount) in the window. Buyers who are not on
    the list are counted (``n_unlisted_buyers``) but are not in the base.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.value import conversion_rate
    >>> tx = pd.DataFrame({"id": ["a", "b", "b", "z"], "date": ["2026-01-05"] * 4, "amount": [10, 5, 7, 3]})
    >>> r = conversion_rate(["a", "b", "c", "d"], tx, customer="id", date="date", amount="amount",
    ...                     as_of="2026-10-31")
    >>> r.rate, r.n_unlisted_buyers
    (0.5, 1)
    """
    function = "conversion_rate"
    if isinstance(customers, pd.DataFrame):
        raise TypeError(f"The 'customers' parameter of {function} is one column of customer ids; got a DataFrame with "
                        f"columns {first_names(customers.columns)}. Pass e.g. leads['customer_id'].")
    listed = as_series(pd.Index(customers) if isinstance(customers, pd.Index) else customers, "customers", function)
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=None, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    codes, ids, id_notes = encode_ids(listed.reset_index(drop=True), id_format if not isinstance(
        transactions, PreparedTransactions) else None, function, where="the customer list")
    if not len(ids):
        raise DataError(f"The customer list passed to {function} holds no ids ({len(listed)} values, all missing).")
    notes = list(id_notes)
    n_missing = int((codes < 0).sum())
    n_dups = int(len(codes) - n_missing - len(ids))
    if n_missing:
        notes.append(f"{n_missing} missing ids on the customer list (ignored).")
    if n_dups:
        notes.append(f"{n_dups} ids listed more than once (counted once).")
    since_day = window_start(since, p.as_of, function)
    code, ago = purchase_occasions(p, "orders", since_day)
    purchases = np.bincount(code, minlength=p.n_customers)
    first_ago = np.full(p.n_customers, np.nan)
    if len(code):
        cnt = purchases
        last = np.cumsum(cnt) - 1
        has = cnt > 0
        first_ago[has] = ago[last[has]]
    where = p.customers.get_indexer(ids)
    found = where >= 0
    n_buy = np.zeros(len(ids), np.int64)
    n_buy[found] = purchases[where[found]]
    first = np.full(len(ids), np.nan)
    first[found] = p.as_of_day - first_ago[where[found]]
    converted = n_buy > 0
    table = pd.DataFrame({"converted": converted, "purchases": n_buy, "first_purchase": day_timestamps(first)}, index=ids)
    buyer_ids = p.customers[purchases > 0]
    unlisted = int((~isin(buyer_ids, ids)).sum())
    warn_zero_stripped(ids[~converted], buyer_ids, "the customer list", stacklevel=2)
    seg_tab = None
    if by is not None:
        seg, labels, seg_notes = segment_codes(by, ids, function)
        notes += [s.replace("customers have no segment", "listed customers have no segment") for s in seg_notes]
        seg_tab = rate_by_segment(seg, labels, converted, base="listed", hit="converted", rate="conversion_rate")
        table["segment"] = segment_column(seg, labels)
    return ConversionResult(rate=float(converted.mean()), n_listed=len(ids), n_converted=int(converted.sum()),
                            n_unlisted_buyers=unlisted, table=table, by_segment=seg_tab, audit=p.audit,
                            as_of=p.as_of,
                            since=None if since_day is None else _EPOCH + pd.Timedelta(days=since_day),
                            notes=tuple(notes))
