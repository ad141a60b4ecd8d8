"""Reading and auditing a transactions table: one row per order, before any customer-value analysis.

:func:`prepare_transactions` is the one preparation step behind :func:`surveykit.value.rfm`,
:func:`surveykit.value.clv`, :func:`surveykit.value.repurchase_rate`,
:func:`surveykit.value.conversion_rate` and :func:`surveykit.value.profit_contribution`: it
normalises customer ids, parses dates and amounts, and classes every row as used or excluded,
with the reason, so that ``rows read == rows used + rows excluded`` always holds
(:class:`TransactionAudit`). Nothing is dropped silently.

The cleaned columns are kept as numpy arrays (customer code, day number, amount, cost), so the
analyses run vectorised on tables of tens of millions of rows: no per-customer Python.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import FIRST, MAX_MAGNITUDE, MIN_MAGNITUDE, first_names
from .._render import Summary
from .._result import Result
from ..errors import DataError, EmptyDataError, SurveykitWarning, check_option
from .ids import IdFormatWarning, encode_ids

__all__ = ["PreparedTransactions", "TransactionAudit", "TransactionWarning", "prepare_transactions"]

_EPOCH = pd.Timestamp("1970-01-01")
# Money totals per customer are rounded to this many decimals (far below a cent): sums of the
# same amounts in another order differ in the last bit, and two customers who both spent 208.83
# must tie (same rank, same class), in Python as in R.
MONEY_DECIMALS = 8


def _money(x: np.ndarray) -> np.ndarray:
    return np.round(x, MONEY_DECIMALS)


class TransactionWarning(SurveykitWarning):
    """Rows of a transactions table were excluded for a data problem (missing or unreadable values)."""


# the reasons a row is classed under, in order of precedence: each row gets the first that applies
REASONS = {
    "missing_customer": "customer id missing or blank",
    "missing_date": "date missing or blank",
    "unparseable_date": "date not readable as a date",
    "future_date": "date after as_of",
    "missing_amount": "amount missing or blank",
    "non_numeric_amount": "amount not a number (or infinite, or outside 1e-50..1e50 in size)",
    "missing_cost": "cost missing or blank",
    "non_numeric_cost": "cost not a number (or infinite, or outside 1e-50..1e50 in size)",
    "duplicate_row": "exact duplicate of an earlier row (every column equal)",
    "zero_amount": "amount is 0",
    "negative_amount": "negative amount (a return)",
}
_PROBLEMS = ("missing_customer", "missing_date", "unparseable_date", "missing_amount", "non_numeric_amount",
             "missing_cost", "non_numeric_cost")


# ---------------------------------------------------------------------------------------------
# the audit


@dataclass(frozen=True)
class TransactionAudit(Result):
    """How a transactions table was read: rows read, rows used and every row excluded, with the reason.

    Attributes
    ----------
    n_rows_read, n_rows_used, n_excluded : int
        ``n_rows_read == n_rows_used + n_excluded`` (checked when the audit is made).
    reasons : DataFrame
        One row per reason, in order of precedence (a row is classed under the first that
        applies): ``description``, ``action`` ('excluded'; 'netted' for returns kept in the
        monetary totals; 'kept' for duplicates kept on request; 'not checked' for cost checks
        without a cost column), ``count``, ``amount`` (sum of the readable amounts of those
        rows) and ``first_rows`` (0-based positions in the table).
    positions : dict
        Reason -> every 0-based row position (``iloc``) classed under it.
    n_customers : int
        Distinct customers among the rows used.
    first_date, last_date : Timestamp
        Earliest and latest date among the rows used.
    as_of : Timestamp
        The analysis date; rows dated later are excluded (``future_date``).
    columns : dict
        Role ('customer', 'date', 'amount', 'cost') -> column name in the table.
    returns, duplicates : str
        The policies applied ('net' or 'drop'; 'drop' or 'keep').
    notes : tuple of str
        Messages about the ids and values (e.g. unreadable dates quoted).
    """

    n_rows_read: int
    n_rows_used: int
    reasons: pd.DataFrame
    positions: dict = field(repr=False)
    n_customers: int
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    as_of: pd.Timestamp
    columns: dict
    returns: str = "net"
    duplicates: str = "drop"
    notes: tuple = ()

    def __post_init__(self):
        excluded = int(self.reasons.loc[self.reasons["action"] == "excluded", "count"].sum())
        if self.n_rows_read != self.n_rows_used + excluded:
            raise RuntimeError(f"Transaction audit does not add up: {self.n_rows_read} rows read but "
                               f"{self.n_rows_used} used + {excluded} excluded. Please report this as a bug.")

    @property
    def n_excluded(self) -> int:
        return int(self.reasons.loc[self.reasons["action"] == "excluded", "count"].sum())

    @property
    def n_returns(self) -> int:
        """Rows with a negative amount (netted or excluded, as ``returns`` says)."""
        return int(self.reasons.at["negative_amount", "count"])

    def to_frame(self) -> pd.DataFrame:
        """Rows read, each reason, rows used: ``count`` adds up (read = used + excluded)."""
        head = pd.DataFrame({"description": ["rows in the table"], "action": ["read"], "count": [self.n_rows_read],
                             "amount": [np.nan], "first_rows": [""]}, index=["rows_read"])
        tail = pd.DataFrame({"description": ["rows used by the analyses"], "action": ["used"],
                             "count": [self.n_rows_used], "amount": [np.nan], "first_rows": [""]}, index=["rows_used"])
        out = pd.concat([head, self.reasons, tail])
        out.index.name = "reason"
        return out

    def excluded_rows(self) -> pd.DataFrame:
        """Every row not used (or netted / kept with a note): ``position`` (0-based) and ``reason``."""
        parts = [pd.DataFrame({"position": p, "reason": r}) for r, p in self.positions.items() if len(p)]
        if not parts:
            return pd.DataFrame({"position": pd.Series(dtype=np.int64), "reason": pd.Series(dtype=object)})
        return pd.concat(parts, ignore_index=True).sort_values("position", kind="stable").reset_index(drop=True)

    def _line(self) -> str:
        bits = [f"{int(n)} {REASONS[r].split(' (')[0] if r != 'duplicate_row' else 'duplicate rows'}"
                for r, n in self.reasons.loc[self.reasons["action"] == "excluded", "count"].items() if n]
        return (f"{self.n_rows_read} rows read = {self.n_rows_used} used + {self.n_excluded} excluded"
                + (f" ({'; '.join(bits)})" if bits else ""))

    def summary(self) -> Summary:
        lines = [self._line(),
                 (f"{self.n_customers} customers; dates {_day(self.first_date)} to {_day(self.last_date)}; "
                  f"as of {_day(self.as_of)} (rows dated later are excluded)"),
                 (f"Returns (negative amounts): {self.n_returns} rows, "
                  f"{'netted into the customer totals' if self.returns == 'net' else 'excluded'}; duplicate rows "
                  f"{'dropped' if self.duplicates == 'drop' else 'kept'}"),
                 "Columns: " + ", ".join(f"{k} = {v!r}" for k, v in self.columns.items()), *self.notes]
        return Summary(title="Transactions audit", lines=lines, tables=[("Rows by reason", self.to_frame())])

    def __repr__(self) -> str:
        return (f"<TransactionAudit n_rows_read={self.n_rows_read} n_rows_used={self.n_rows_used} "
                f"n_excluded={self.n_excluded} n_customers={self.n_customers}>")


def _day(ts) -> str:
    return "-" if ts is None or pd.isna(ts) else str(pd.Timestamp(ts).date())


# ---------------------------------------------------------------------------------------------
# the prepared table


@dataclass(frozen=True, eq=False)
class PreparedTransactions(Result):
    """A transactions table read and checked once, ready for :func:`rfm`, :func:`clv` and the rates.

    Attributes
    ----------
    customers : Index
        The distinct normalised customer ids (strings, sorted), named ``customer_id``.
    code : ndarray of int
        For each row used, its customer's position in ``customers``.
    day : ndarray of int64
        For each row used, its date as a day number (days since 1970-01-01).
    amount, cost : ndarray of float
        For each row used; ``cost`` is None when no cost column was given.
    row : ndarray of int
        For each row used, its 0-based position in the table read.
    as_of : Timestamp
        The analysis date (a day; it counts as day 0 of recency).
    audit : TransactionAudit
    """

    customers: pd.Index
    code: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    cost: np.ndarray | None
    row: np.ndarray
    as_of: pd.Timestamp
    audit: TransactionAudit

    @property
    def as_of_day(self) -> int:
        return int((self.as_of - _EPOCH).days)

    @property
    def n_customers(self) -> int:
        return len(self.customers)

    @property
    def n_rows(self) -> int:
        return len(self.code)

    def to_frame(self) -> pd.DataFrame:
        """The rows used: ``customer_id`` (normalised), ``date``, ``amount`` and ``cost``, indexed by position read."""
        out = pd.DataFrame({"customer_id": np.asarray(self.customers, dtype=object)[self.code],
                            "date": (self.day.astype("datetime64[D]")).astype("datetime64[s]"),
                            "amount": self.amount}, index=pd.Index(self.row, name="position"))
        if self.cost is not None:
            out["cost"] = self.cost
        return out

    def summary(self) -> Summary:
        return self.audit.summary()

    def __repr__(self) -> str:
        return (f"<PreparedTransactions n_rows={self.n_rows} n_customers={self.n_customers} "
                f"as_of={self.as_of.date()} n_excluded={self.audit.n_excluded}>")


# ---------------------------------------------------------------------------------------------
# preparation


def _column(df: pd.DataFrame, name, role: str, function: str) -> pd.Series:
    if name not in df.columns:
        cols = [str(c) for c in df.columns]
        close = difflib.get_close_matches(str(name), cols, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"The {role!r} parameter of {function} names column {name!r}{hint}, which is not in the "
                         f"table. The table has {df.shape[1]} columns: {first_names(df.columns[:30], 30)}"
                         f"{' ...' if df.shape[1] > 30 else ''}.")
    col = df[name]
    if isinstance(col, pd.DataFrame):
        raise ValueError(  # noqa: TRY004 (a bad table, not a bad type)
            f"The table passed to {function} has {col.shape[1]} columns named {name!r} (the {role!r} column); "
            "rename them so each name is used once.")
    return col


def _as_of(as_of, function: str) -> pd.Timestamp:
    if as_of is None:
        raise TypeError(f"{function} needs the analysis date: pass as_of='2026-10-31' (recency is counted from it, "
                        "and rows dated later are excluded).")
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise ValueError(f"The 'as_of' parameter of {function} must be a date such as '2026-10-31'. Got {as_of!r} "
                         "instead.") from None
    if pd.isna(ts):
        raise ValueError(f"The 'as_of' parameter of {function} must be a date such as '2026-10-31'. Got {as_of!r} "
                         "instead.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _blank(raw: pd.Series) -> np.ndarray:
    """Missing values, and strings that are empty or white space only."""
    miss = raw.isna().to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        s = raw[~miss]
        strings = s.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool) if raw.dtype == object else None
        ss = s[strings] if strings is not None else s
        empty = ss.astype(str).str.strip().eq("").to_numpy(dtype=bool)
        if empty.any():
            where = np.flatnonzero(~miss)
            if strings is not None:
                where = where[strings]
            miss = miss.copy()
            miss[where[empty]] = True
    return miss


def _days(raw: pd.Series, date_format, function: str, name) -> tuple:
    """Day numbers and timestamps (int64 microseconds) of a date column, masks of missing and unreadable dates."""
    notes = []
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        dt = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        missing = dt.isna().to_numpy()
        bad = np.zeros(len(raw), bool)
    elif pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        example = raw.dropna().iloc[0] if raw.notna().any() else None
        raise DataError(f"The date column {name!r} passed to {function} holds numbers (e.g. {example!r}), not dates. "
                        "Excel serial dates convert with pd.to_datetime(x, unit='D', origin='1899-12-30'); "
                        "yyyymmdd numbers with pd.to_datetime(x.astype(str), format='%Y%m%d').")
    else:
        missing = _blank(raw)
        dayfirst = _day_first(raw, missing, name, function) if date_format is None else False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                dt = pd.to_datetime(raw.where(~missing), errors="coerce", format=date_format, dayfirst=dayfirst)
            except (ValueError, TypeError) as exc:
                try:  # mixed time zones: one value per element, as UTC then wall time dropped
                    dt = pd.to_datetime(raw.where(~missing), errors="coerce", format=date_format, utc=True,
                                        dayfirst=dayfirst)
                    dt = dt.dt.tz_localize(None)
                except (ValueError, TypeError):
                    raise DataError(f"The date column {name!r} passed to {function} could not be read: {exc}. Pass "
                                    "date_format (e.g. '%Y-%m-%d' or 'mixed') or convert it with "
                                    "pd.to_datetime first.") from None
        if getattr(dt.dt, "tz", None) is not None:
            dt = dt.dt.tz_localize(None)
        bad = dt.isna().to_numpy() & ~missing
        if bad.any():
            where = np.flatnonzero(bad)
            shown = first_names(pd.unique(raw.iloc[where[:50]].astype(str))[:3], 3)
            notes.append(f"{len(where)} date{'s' if len(where) > 1 else ''} in column {name!r} could not be read "
                         f"(e.g. {shown}; first rows: {', '.join(map(str, where[:FIRST]))}); pass date_format "
                         "(e.g. '%d/%m/%Y' or 'mixed') if they are dates written another way.")
    us = dt.to_numpy(dtype="datetime64[us]")  # microseconds: any year (nanoseconds stop at 2262)
    ok = ~np.isnat(us)
    day = np.zeros(len(raw), np.int64)
    day[ok] = us[ok].astype("datetime64[D]").astype(np.int64)
    return day, us.view(np.int64), missing, bad, notes


_DAY_MONTH = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(?:\D|$)"


def _day_first(raw: pd.Series, missing: np.ndarray, name, function: str) -> bool:
    """Whether text dates written ``a/b/yyyy`` are day-first; a DataError when the column cannot tell.

    pandas guesses the order from the first date alone and reads ``03/04/2026`` month-first, so
    a day-first file would have every date up to the 12th swapped without a word. The order is
    taken from the dates that settle it (a first number above 12: day-first; a second: month-first).
    """
    s = raw[~missing]
    if s.empty or not isinstance(s.iloc[0], str) or not pd.Series([s.iloc[0]]).str.match(_DAY_MONTH).iloc[0]:
        return False  # the format pandas infers from the first date is not day/month: nothing to swap
    parts = s.astype(str).str.extract(_DAY_MONTH).dropna().astype(int)
    day_first, month_first = bool((parts[0] > 12).any()), bool((parts[1] > 12).any())
    if day_first != month_first:
        return day_first
    why = ("some dates have a first number above 12 and others a second" if day_first else
           "no date has a number above 12 in either place")
    raise DataError(f"The dates in column {name!r} passed to {function} are written like {s.iloc[0]!r}, which may be "
                    f"day/month or month/day, and the column does not tell ({why}). Pass date_format='%d/%m/%Y' "
                    "(day first) or '%m/%d/%Y' (month first), with the separator the file uses.")


def _numbers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floats of a column, with masks of missing and of non-numeric values (infinite, or of a magnitude whose
    sums overflow or underflow: outside ``_checks.MIN_MAGNITUDE``..``MAX_MAGNITUDE``, zero aside)."""
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        x = raw.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(x)
        return x, missing, _out_of_range(x)
    missing = _blank(raw)
    x = pd.to_numeric(raw.where(~missing), errors="coerce")
    x = x.to_numpy(dtype=float, na_value=np.nan) if not pd.api.types.is_bool_dtype(x.dtype) else np.full(len(raw), np.nan)
    return x, missing, (np.isnan(x) & ~missing) | _out_of_range(x)


def _out_of_range(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        size = np.abs(x)
        return np.isinf(x) | (size > MAX_MAGNITUDE) | ((size > 0) & (size < MIN_MAGNITUDE))


def _duplicates(df: pd.DataFrame, idx: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """Positions among ``idx`` that repeat an earlier row exactly (every column equal).

    Candidates first, from a 64-bit mix of the parsed columns (customer code, timestamp, amount,
    cost): rows equal in every column are equal there. Then the candidates, usually few, are
    compared exactly on every column of the table, in table order (the first of a group is kept).
    """
    if len(idx) < 2:
        return np.zeros(0, np.int64)
    full = len(idx) == len(keys[0])
    h = np.zeros(len(idx), np.uint64)
    with np.errstate(over="ignore"):
        for j, k in enumerate(keys):  # h = (h ^ k * odd_j) * odd, in place: few passes over the rows
            u = np.ascontiguousarray(k).view(np.uint64)
            v = np.multiply(u if full else u[idx], np.uint64(0x9E3779B97F4A7C15 + 2 * j))
            h ^= v
            h ^= h >> np.uint64(31)
            h *= np.uint64(0xBF58476D1CE4E5B9)
    s = np.sort(h)
    repeated = s[1:][s[1:] == s[:-1]]
    if not len(repeated):
        return np.zeros(0, np.int64)
    cand = idx[pd.Series(h).isin(np.unique(repeated)).to_numpy()]  # hashed: no sort of all rows
    try:
        exact = df.iloc[cand].duplicated(keep="first").to_numpy()
    except TypeError:  # unhashable cells (lists): compare as text
        exact = df.iloc[cand].astype(str).duplicated(keep="first").to_numpy()
    return cand[exact]


def prepare_transactions(df: pd.DataFrame, *, customer, date, amount, cost=None, as_of,
                         returns: str = "net", duplicates: str = "drop", id_format=None,
                         date_format: str | None = None) -> PreparedTransactions:
    """Read a transactions table once: normalised ids, day numbers, amounts, and an audit of every row.

    Parameters
    ----------
    df : DataFrame
        One row per order (aggregate order lines to orders first).
    customer, date, amount : str
        Column names: customer id, order date, order amount (revenue; negative for a return).
    cost : str, optional
        Column of the cost of each order (same sign convention as ``amount``), for profit.
    as_of : date-like
        The analysis date, e.g. ``'2026-10-31'``. Taken as a day (its time is dropped); rows
        dated on it are used (recency 0), rows dated later are excluded as ``future_date``.
    returns : {'net', 'drop'}
        'net' (default): a row with a negative amount is a return; it is used, netted into the
        customer's monetary total (and profit), but it is not a purchase (it counts for neither
        frequency nor recency). 'drop': such rows are excluded.
    duplicates : {'drop', 'keep'}
        'drop' (default): a row equal in every column to an earlier row is excluded as an
        export duplicate. 'keep': counted in the audit but used (a table without an order id
        can hold two genuine equal orders).
    id_format : str or callable, optional
        Format applied to numeric customer ids, as in :func:`normalize_ids` (e.g. ``'{:07d}'``
        when Excel dropped the zero padding).
    date_format : str, optional
        Passed to ``pd.to_datetime(format=...)`` for a text date column ('mixed' to parse each
        value on its own). Default: inferred from the first date.

    Returns
    -------
    PreparedTransactions
        The rows used as arrays, the sorted customer ids and ``audit`` (:class:`TransactionAudit`).

    Raises
    ------
    ValueError
        A column that is not in the table (the message lists the columns); a bad option.
    DataError
        A date column of numbers (Excel serial dates); no row left to use (:class:`EmptyDataError`).

    Warns
    -----
    TransactionWarning
        Rows excluded for missing or unreadable values (the audit has every position).
    IdFormatWarning
        Customer ids that differ only by leading zeros.

    Notes
    -----
    Each row is classed under the first reason that applies, in this order: missing customer,
    missing date, unreadable date, date after ``as_of``, missing amount, non-numeric amount,
    missing cost, non-numeric cost (with a cost column), duplicate row, zero amount, negative
    amount. Rows read = rows used + rows excluded, always (checked). Customer ids are
    normalised by :func:`normalize_ids`. A date with a time of day counts as its calendar day;
    a time-zone-aware date column keeps its wall-clock dates.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.value import prepare_transactions
    >>> tx = pd.DataFrame({"cust": [1, "1", "002", "3"],
    ...                    "date": ["2026-10-01", "2026-10-05", "2026-09-30", "2026-11-02"],
    ...                    "amount": [120.0, -20.0, 35.5, 50.0]})
    >>> p = prepare_transactions(tx, customer="cust", date="date", amount="amount", as_of="2026-10-31")
    >>> list(p.customers), p.audit.n_rows_used, p.audit.n_excluded
    (['002', '1'], 3, 1)
    >>> p.audit.to_frame().loc[["future_date", "negative_amount"], "action"].to_dict()
    {'future_date': 'excluded', 'negative_amount': 'netted'}
    """
    return _prepare(df, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of, returns=returns,
                    duplicates=duplicates, id_format=id_format, date_format=date_format,
                    function="prepare_transactions", stacklevel=3)


def _prepare(df, *, customer, date, amount, cost, as_of, returns, duplicates, id_format, date_format,
             function: str, stacklevel: int) -> PreparedTransactions:
    """The work of :func:`prepare_transactions`, with the messages naming the public ``function`` called."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{function} takes a DataFrame of transactions (one row per order); got "
                        f"{type(df).__name__}.")
    check_option("returns", returns, ("net", "drop"), function=function)
    check_option("duplicates", duplicates, ("drop", "keep"), function=function)
    day_as_of = _as_of(as_of, function)
    roles = {"customer": customer, "date": date, "amount": amount}
    if cost is not None:
        roles["cost"] = cost
    used_twice = [k for k, v in roles.items() if list(roles.values()).count(v) > 1]
    if used_twice:
        raise ValueError(f"The parameters {', '.join(repr(k) for k in used_twice)} of {function} name the same column "
                         f"{roles[used_twice[0]]!r}; each role needs its own column.")
    cols = {role: _column(df, name, role, function) for role, name in roles.items()}
    n = len(df)
    if n == 0:
        raise EmptyDataError(f"The transactions table passed to {function} has no rows (columns: "
                             f"{first_names(df.columns, 8)}).")

    codes, ids, id_notes = encode_ids(cols["customer"], id_format, function, where=f"column {customer!r}")
    day, stamp, miss_date, bad_date, date_notes = _days(cols["date"], date_format, function, date)
    amt, miss_amt, bad_amt = _numbers(cols["amount"])
    masks = {"missing_customer": codes < 0, "missing_date": miss_date, "unparseable_date": bad_date}
    as_of_day = int((day_as_of - _EPOCH).days)
    masks["future_date"] = ~miss_date & ~bad_date & (day > as_of_day)
    masks["missing_amount"], masks["non_numeric_amount"] = miss_amt, bad_amt
    if cost is not None:
        cst, miss_cst, bad_cst = _numbers(cols["cost"])
        masks["missing_cost"], masks["non_numeric_cost"] = miss_cst, bad_cst
    else:
        cst = None
        masks["missing_cost"] = masks["non_numeric_cost"] = np.zeros(n, bool)

    reason = np.full(n, -1, np.int8)  # index into REASONS, -1 while no reason applies
    names = list(REASONS)
    for j, r in enumerate(names[:8]):
        reason[(reason < 0) & masks[r]] = j
    valid = np.flatnonzero(reason < 0)
    keys = [codes, stamp, amt] + ([cst] if cst is not None else [])
    dup = _duplicates(df, valid, keys)
    reason[dup] = names.index("duplicate_row")
    reason[(reason < 0) & (amt == 0)] = names.index("zero_amount")
    reason[(reason < 0) & (amt < 0)] = names.index("negative_amount")

    actions = {r: "excluded" for r in names}
    actions["duplicate_row"] = "excluded" if duplicates == "drop" else "kept"
    actions["negative_amount"] = "netted" if returns == "net" else "excluded"
    if cost is None:
        actions["missing_cost"] = actions["non_numeric_cost"] = "not checked"
    used_codes = [j for j, r in enumerate(names) if actions[r] != "excluded"]
    use = (reason < 0) | np.isin(reason, used_codes)
    positions, rows = {}, []
    counts = np.bincount(reason[reason >= 0].astype(np.intp), minlength=len(names))
    for j, r in enumerate(names):
        pos = np.flatnonzero(reason == j) if counts[j] else np.zeros(0, np.int64)
        positions[r] = pos
        total = float(np.nansum(np.where(np.isfinite(amt[pos]), amt[pos], np.nan))) if len(pos) else 0.0
        rows.append((REASONS[r], actions[r], int(counts[j]), total, ", ".join(map(str, pos[:FIRST]))))
    reasons = pd.DataFrame(rows, columns=["description", "action", "count", "amount", "first_rows"],
                           index=pd.Index(names, name="reason"))

    row = np.flatnonzero(use)
    code_u = codes[row]
    # customers of the rows used only (a customer whose every row was excluded is not a customer here)
    present = np.bincount(code_u, minlength=len(ids)) > 0
    if not present.all():
        remap = np.cumsum(present) - 1
        ids = ids[present]
        code_u = remap[code_u]
    day_u = day[row]
    problems = {r: int(counts[names.index(r)]) for r in _PROBLEMS if counts[names.index(r)]}
    notes = tuple(id_notes + date_notes)
    audit = TransactionAudit(n_rows_read=n, n_rows_used=len(row), reasons=reasons, positions=positions,
                             n_customers=len(ids),
                             first_date=(_EPOCH + pd.Timedelta(days=int(day_u.min()))) if len(row) else None,
                             last_date=(_EPOCH + pd.Timedelta(days=int(day_u.max()))) if len(row) else None,
                             as_of=day_as_of, columns={k: v for k, v in roles.items()}, returns=returns,
                             duplicates=duplicates, notes=notes)
    for note in id_notes:
        warnings.warn(note, IdFormatWarning, stacklevel=stacklevel)
    if problems:
        listed = "; ".join(f"{k}: {v} ({REASONS[k]}, first rows {', '.join(map(str, positions[k][:FIRST]))})"
                           for k, v in problems.items())
        warnings.warn(f"{function} excluded {sum(problems.values())} of {n} rows for missing or unreadable values: "
                      f"{listed}. Fix them in the source, or see result.audit.excluded_rows() for every position.",
                      TransactionWarning, stacklevel=stacklevel)
    if not len(row):
        raise EmptyDataError(f"No row of the {n} in the transactions table passed to {function} can be used: "
                             f"{audit._line()}. Check the columns (customer={customer!r}, date={date!r}, "
                             f"amount={amount!r}) and as_of={str(day_as_of.date())!r}.")
    return PreparedTransactions(customers=ids, code=code_u.astype(np.intp), day=day_u, amount=amt[row],
                                cost=None if cst is None else cst[row], row=row, as_of=day_as_of, audit=audit)


# ---------------------------------------------------------------------------------------------
# shared by the analyses


def _prepared(transactions, *, customer, date, amount, cost, as_of, returns, duplicates, id_format, date_format,
              function: str) -> PreparedTransactions:
    """A PreparedTransactions as given, or prepared from a DataFrame with the column names given."""
    if isinstance(transactions, PreparedTransactions):
        given = {k: v for k, v in {"customer": customer, "date": date, "amount": amount, "cost": cost,
                                   "id_format": id_format, "date_format": date_format}.items() if v is not None}
        if given:
            raise ValueError(f"{function} was given prepared transactions and also {first_names(given)}; those were fixed "
                             "by prepare_transactions. Pass the DataFrame instead, or leave them out.")
        a = transactions.audit
        for name, value, used in [("returns", returns, a.returns), ("duplicates", duplicates, a.duplicates)]:
            if value != used:
                raise ValueError(f"{function} was given {name}={value!r} but the transactions were prepared with "
                                 f"{name}={used!r}; prepare them again, or pass the DataFrame.")
        if as_of is not None and _as_of(as_of, function) != transactions.as_of:
            raise ValueError(f"The 'as_of' parameter of {function} ({_as_of(as_of, function).date()}) differs from "
                             f"the as_of the transactions were prepared with ({transactions.as_of.date()}); "
                             "prepare them again with the new date.")
        return transactions
    if not isinstance(transactions, pd.DataFrame):
        raise TypeError(f"{function} takes a DataFrame of transactions (or the result of prepare_transactions); "
                        f"got {type(transactions).__name__}.")
    missing = [k for k, v in {"customer": customer, "date": date, "amount": amount}.items() if v is None]
    if missing:
        raise TypeError(f"{function} needs the column names of the transactions table: {', '.join(missing)} "
                        f"(e.g. customer='customer_id', date='date', amount='amount'). The table has columns "
                        f"{first_names(transactions.columns, 8)}.")
    return _prepare(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                    returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                    function=function, stacklevel=4)
