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
import re
import unicodedata
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from ..errors import DataError, EmptyDataError, SurveykitWarning, check_option
from ..indices.weighted import _FIRST, _as_series, _names

__all__ = ["IdFormatWarning", "PreparedTransactions", "TransactionAudit", "TransactionWarning", "normalize_ids",
           "prepare_transactions"]

_EPOCH = pd.Timestamp("1970-01-01")
# Money totals per customer are rounded to this many decimals (far below a cent): sums of the
# same amounts in another order differ in the last bit, and two customers who both spent 208.83
# must tie (same rank, same class), in Python as in R.
MONEY_DECIMALS = 8


def _money(x: np.ndarray) -> np.ndarray:
    return np.round(x, MONEY_DECIMALS)


class TransactionWarning(SurveykitWarning):
    """Rows of a transactions table were excluded for a data problem (missing or unreadable values)."""


class IdFormatWarning(SurveykitWarning):
    """Customer ids that differ only by leading zeros: probably one id written two ways."""


# the reasons a row is classed under, in order of precedence: each row gets the first that applies
REASONS = {
    "missing_customer": "customer id missing or blank",
    "missing_date": "date missing or blank",
    "unparseable_date": "date not readable as a date",
    "future_date": "date after as_of",
    "missing_amount": "amount missing or blank",
    "non_numeric_amount": "amount not a number (or infinite)",
    "missing_cost": "cost missing or blank",
    "non_numeric_cost": "cost not a number (or infinite)",
    "duplicate_row": "exact duplicate of an earlier row (every column equal)",
    "zero_amount": "amount is 0",
    "negative_amount": "negative amount (a return)",
}
_PROBLEMS = ("missing_customer", "missing_date", "unparseable_date", "missing_amount", "non_numeric_amount",
             "missing_cost", "non_numeric_cost")


# ---------------------------------------------------------------------------------------------
# customer ids


def _digit_key(ids: pd.Series) -> pd.Series:
    """Each run of digits without its leading zeros: 'C0042' -> 'C42', '007' -> '7' (zero stays '0')."""
    return ids.str.replace(r"(^|[^0-9])0+([0-9])", r"\1\2", regex=True)


def _format_id(fmt, value: str, from_number: bool):
    if callable(fmt):
        out = fmt(value)
        return None if out is None else str(out)
    if from_number or (value.isascii() and value.isdigit()):
        return fmt.format(int(value))
    return value


def _clean_unique(value, fmt) -> str | None:
    """One distinct raw id as its normalised string (None for a blank)."""
    from_number = False
    if isinstance(value, (bool, np.bool_)):
        text = str(value)
    elif isinstance(value, (int, np.integer)):
        text, from_number = str(int(value)), True
    elif isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return None
        if float(value).is_integer():
            text, from_number = str(int(value)), True  # 42.0 read from Excel -> '42'
        else:
            text = repr(float(value))
    else:
        text = str(value)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)  # full-width digits and letters, U+3000 spaces
        text = text.strip()
    if not text:
        return None
    return _format_id(fmt, text, from_number) if fmt is not None else text


def _check_id_format(id_format, function: str):
    if id_format is None or callable(id_format):
        return id_format
    if not isinstance(id_format, str):
        raise TypeError(f"The 'id_format' parameter of {function} must be a format string such as '{{:07d}}' or "
                        f"'C{{:07d}}', a function of one id, or None. Got {type(id_format).__name__} instead.")
    try:
        id_format.format(42)
    except (ValueError, IndexError, KeyError):
        raise ValueError(f"The 'id_format' parameter of {function} must format one integer, e.g. '{{:07d}}' "
                         f"(zero-padded to 7 digits) or 'C{{:07d}}'. Got {id_format!r} instead.") from None
    return id_format


def _factorize_fixed_width(values: pd.Series):
    """``pd.factorize(values, sort=True)`` of a pyarrow string column of values of one byte length, or None.

    Customer ids are often fixed-width codes ('C0000001'); hashing ten million of them as
    strings is the slowest step of reading a large table. Here the ids are read as rows of
    bytes: each byte position takes the ranks of the byte values that occur there, and the
    ranks, read as a mixed-radix number (first byte most significant), number the ids in
    byte order, which is code-point order for UTF-8. When those numbers fit a table of a few
    times the rows, one ``bincount`` factorises them; else they are factorised as integers.
    None when the values are not all of one length, hold missing values, or are too varied.
    The third value returned says whether no two ids can differ only by leading zeros.
    """
    import pyarrow as pa

    if getattr(values.dtype, "storage", None) != "pyarrow":
        return None
    arr = pa.array(values.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    large = pa.types.is_large_string(arr.type)
    n = len(arr)
    if not n or arr.null_count or not (large or pa.types.is_string(arr.type)):
        return None
    _, off_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64 if large else np.int32)[arr.offset: arr.offset + n + 1]
    width = int(offsets[1] - offsets[0])
    if not 0 < width <= 64 or int(offsets[-1] - offsets[0]) != n * width or not (np.diff(offsets) == width).all():
        return None
    raw = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]: offsets[0] + n * width].reshape(n, width)
    x = np.zeros(n, np.int64)
    size = 1
    for j in range(width):
        col = np.ascontiguousarray(raw[:, j])
        present = np.bincount(col, minlength=256) > 0
        radix = int(present.sum())
        if radix == 1:
            continue
        if size > (2 ** 62) // radix:
            return None
        x *= radix
        x += (np.cumsum(present) - 1)[col]
        size *= radix
    if size <= min(4 * n + 1024, 1 << 26):
        seen = np.bincount(x, minlength=size) > 0
        codes = (np.cumsum(seen) - 1)[x]
        k = int(seen.sum())
    else:
        codes, uniq = pd.factorize(x, sort=True)
        k = len(uniq)
    rep = np.empty(k, np.intp)
    rep[codes] = np.arange(n)  # a row of each id (all its rows are equal)
    ubytes = np.ascontiguousarray(raw[rep])
    off = np.arange(0, k * width + 1, width, dtype=np.int64 if large else np.int32)
    cls = pa.LargeStringArray if large else pa.StringArray
    uniques = cls.from_buffers(k, pa.py_buffer(off.tobytes()), pa.py_buffer(ubytes.tobytes()))
    # ids of one length with at most one run of digits each cannot differ only by leading zeros
    digit = (ubytes >= ord("0")) & (ubytes <= ord("9"))
    runs = digit[:, 0].astype(np.int64) + (digit[:, 1:] & ~digit[:, :-1]).sum(axis=1)
    return codes.astype(np.intp), pd.array(uniques, dtype=values.dtype), bool((runs <= 1).all())


def _encode_ids(values: pd.Series, id_format, function: str, *, where: str | None = None, check_zeros: bool = True):
    """Customer codes (-1 for a missing id) into the sorted distinct normalised ids, and warnings to raise.

    ``function`` names the public function (for the argument errors), ``where`` the ids in the
    messages (e.g. "column 'customer_id' of rfm").
    """
    where = where or f"the ids of {function}"
    fmt = _check_id_format(id_format, function)
    fast = _factorize_fixed_width(values) if isinstance(values.dtype, pd.StringDtype) else None
    if fast is not None:
        codes, uniques, no_clash = fast
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if isinstance(values.dtype, pd.StringDtype) and fmt is None:
        u = pd.Series(uniques)  # a string array: vectorised (pyarrow) string functions
        clean = u.str.strip()
        odd = np.flatnonzero(~u.str.isascii().to_numpy(dtype=bool))
        if len(odd):
            clean = clean.astype(object)
            clean.iloc[odd] = [_clean_unique(u.iloc[j], None) for j in odd]
        clean = clean.where(clean.notna() & (clean != ""))
        if fast is not None and clean.notna().all() and (clean == u).all():
            # already distinct, normalised and in sorted order: nothing to merge or sort
            ids = pd.Index(uniques, name="customer_id")
            return codes, ids, _zero_notes(ids, where, check_zeros and not no_clash)
    else:
        try:
            clean = pd.Series([_clean_unique(v, fmt) for v in np.asarray(uniques, dtype=object)], dtype=object)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"The 'id_format' of {function} could not format the customer ids: {exc}.") from None
    # the distinct normalised ids, sorted, by one sort of the raw distinct ids (two raw ids can
    # normalise to one: 42 and '42'); mapping[j] is the id of raw distinct id j, -1 if blank
    keep = np.flatnonzero(clean.notna().to_numpy())
    vals = clean.iloc[keep].reset_index(drop=True)
    order = vals.argsort(kind="stable").to_numpy()
    ranked = vals.iloc[order].reset_index(drop=True)
    new = np.ones(len(ranked), bool)
    if len(ranked) > 1:
        new[1:] = (ranked.iloc[1:].reset_index(drop=True) != ranked.iloc[:-1].reset_index(drop=True)).to_numpy()
    mapping = np.full(len(clean) + 1, -1, np.intp)  # the last slot maps a missing raw id (-1) to -1
    mapping[keep[order]] = np.cumsum(new) - 1
    ids = ranked[new]
    ids = pd.Index(ids.array if isinstance(ids.dtype, pd.StringDtype) else np.asarray(ids, dtype=object),
                   name="customer_id")
    codes = mapping[np.where(codes < 0, len(clean), codes)]
    return codes, ids, _zero_notes(ids, where, check_zeros)


def _zero_notes(ids: pd.Index, where: str, check_zeros: bool) -> list:
    """A message when some of the distinct ids differ only by leading zeros ('0042' and '42')."""
    notes = []
    if check_zeros and len(ids) > 1:
        key = _digit_key(pd.Series(ids))
        clash = key.duplicated(keep=False).to_numpy()
        if clash.any():
            groups = pd.Series(ids[clash]).groupby(key[clash].to_numpy()).agg(list)
            shown = "; ".join(" and ".join(repr(i) for i in g[:3]) for g in groups.iloc[:3])
            k = len(groups)
            notes.append(f"{k} customer id{'s are' if k > 1 else ' is'} written two ways in {where}, differing only "
                         f"by leading zeros ({shown}); they are kept as different customers. If they are the same "
                         "customer (a number column read from Excel loses its leading zeros), pass id_format, e.g. "
                         f"id_format={_suggest_format(ids[clash])!r}.")
    return notes


def _suggest_format(examples) -> str:
    """A format string that writes a number like the longest of the example ids: 'C0000042' -> 'C{:07d}'."""
    best = max((str(e) for e in examples), key=len, default="")
    m = re.fullmatch(r"(\D*?)(\d+)", best)
    if not m:
        return "{:d}"
    prefix, digits = m.groups()
    return f"{prefix.replace('{', '{{').replace('}', '}}')}{{:0{len(digits)}d}}"


def normalize_ids(values, *, id_format=None, match=None, name: str | None = None) -> pd.Series:
    """Customer ids as comparable strings, the same way on every side of a join.

    Parameters
    ----------
    values : Series or array-like
        Customer ids as read: strings, integers, floats from Excel (42.0), or a mix.
    id_format : str or callable, optional
        Applied to ids that are whole numbers (numbers, or strings of ASCII digits), e.g.
        ``'{:07d}'`` to restore the zero padding Excel dropped, or ``'C{:07d}'`` to add a
        prefix. A callable is applied to every id (after the rules below).
    match : array-like, optional
        The ids of the other side of a join (e.g. the survey's customer ids). When ids here
        that are not found there do match after leading zeros are ignored, an
        :class:`IdFormatWarning` says how many and suggests an ``id_format``.
    name : str, optional
        What the ids are, for the messages (default: the Series name).

    Returns
    -------
    Series
        Same index as ``values``; each id a string, missing ids (None, NaN, blank) NaN.

    Notes
    -----
    The rules: an integer (or an integral float such as 42.0, as Excel and pandas give for a
    column of numbers with gaps) becomes its decimal digits (42 and '42' are one customer); a
    string keeps its characters, including leading zeros ('0042' stays '0042'), with
    surrounding white space removed and full-width characters (全角) folded to their ASCII
    forms (Unicode NFKC); an empty string is missing. An id list in which two ids differ
    only by leading zeros ('0042' and '42') raises an :class:`IdFormatWarning`: they are kept
    apart, since only the user knows whether they are one customer.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.value.transactions import normalize_ids
    >>> normalize_ids(pd.Series([42, "42", " C0007 ", 7.0, None])).tolist()
    ['42', '42', 'C0007', '7', nan]
    >>> normalize_ids(pd.Series([42, 7]), id_format="{:05d}").tolist()
    ['00042', '00007']
    """
    series = _as_series(values, "values", "normalize_ids")
    label = name or (f"column {series.name!r}" if series.name is not None else "this list")
    codes, ids, notes = _encode_ids(series, id_format, "normalize_ids", where=label)
    for note in notes:
        warnings.warn(note, IdFormatWarning, stacklevel=2)
    out = np.asarray(ids, dtype=object).take(np.where(codes < 0, 0, codes)) if len(ids) else np.full(len(codes), None)
    out = np.where(codes < 0, np.nan, out) if len(codes) else out
    result = pd.Series(out, index=series.index, name=series.name)
    if match is not None:
        other = _as_series(match, "match", "normalize_ids")
        _, other_ids, _ = _encode_ids(other, None, "normalize_ids", check_zeros=False)
        _warn_zero_stripped(ids, other_ids, label, stacklevel=3)
    return result


def _isin(values, candidates) -> np.ndarray:
    """``values.isin(candidates)`` for strings by a hash lookup (pandas' isin loops in Python for pyarrow strings)."""
    idx = pd.Index(candidates)
    if not idx.is_unique:
        idx = idx.unique()
    return idx.get_indexer(pd.Index(values)) >= 0


def _warn_zero_stripped(ids: pd.Index, other: pd.Index, label: str, stacklevel: int = 2) -> None:
    """IdFormatWarning when ids absent from ``other`` match ids there once leading zeros are ignored."""
    missing = pd.Series(ids[~_isin(ids, other)])
    if not len(missing):
        return
    key = _digit_key(missing)
    other_s = pd.Series(other)
    other_key = _digit_key(other_s)
    hit = _isin(key, other_key)
    if not hit.any():
        return
    lookup = dict(zip(other_key, other_s))
    pairs = [(a, lookup[k]) for a, k in zip(missing[hit][:3], key[hit][:3])]
    shown = ", ".join(f"{a!r} ~ {b!r}" for a, b in pairs)
    targets = [b for _, b in pairs]
    k = int(hit.sum())
    warnings.warn(f"{k} id{'s' if k > 1 else ''} in {label} {'are' if k > 1 else 'is'} not found on the other side "
                  f"but match{'' if k > 1 else 'es'} an id there once leading zeros are ignored ({shown}): the two "
                  "files write the ids differently (a number column read "
                  "from Excel loses its leading zeros). Normalise both sides with normalize_ids(..., "
                  f"id_format={_suggest_format(targets)!r}) so they match.", IdFormatWarning, stacklevel=stacklevel)


# ---------------------------------------------------------------------------------------------
# the audit


@dataclass(frozen=True)
class TransactionAudit:
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

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return (f"<TransactionAudit n_rows_read={self.n_rows_read} n_rows_used={self.n_rows_used} "
                f"n_excluded={self.n_excluded} n_customers={self.n_customers}>")


def _day(ts) -> str:
    return "-" if ts is None or pd.isna(ts) else str(pd.Timestamp(ts).date())


# ---------------------------------------------------------------------------------------------
# the prepared table


@dataclass(frozen=True, eq=False)
class PreparedTransactions:
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

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

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
                         f"table. The table has {df.shape[1]} columns: {_names(df.columns[:30], 30)}"
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                dt = pd.to_datetime(raw.where(~missing), errors="coerce", format=date_format)
            except (ValueError, TypeError) as exc:
                try:  # mixed time zones: one value per element, as UTC then wall time dropped
                    dt = pd.to_datetime(raw.where(~missing), errors="coerce", format=date_format, utc=True)
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
            shown = _names(pd.unique(raw.iloc[where[:50]].astype(str))[:3], 3)
            notes.append(f"{len(where)} date{'s' if len(where) > 1 else ''} in column {name!r} could not be read "
                         f"(e.g. {shown}; first rows: {', '.join(map(str, where[:_FIRST]))}); pass date_format "
                         "(e.g. '%d/%m/%Y' or 'mixed') if they are dates written another way.")
    us = dt.to_numpy(dtype="datetime64[us]")  # microseconds: any year (nanoseconds stop at 2262)
    ok = ~np.isnat(us)
    day = np.zeros(len(raw), np.int64)
    day[ok] = us[ok].astype("datetime64[D]").astype(np.int64)
    return day, us.view(np.int64), missing, bad, notes


def _numbers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floats of a column, with masks of missing and of non-numeric (or infinite) values."""
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        x = raw.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(x)
        return x, missing, np.isinf(x)
    missing = _blank(raw)
    x = pd.to_numeric(raw.where(~missing), errors="coerce")
    x = x.to_numpy(dtype=float, na_value=np.nan) if not pd.api.types.is_bool_dtype(x.dtype) else np.full(len(raw), np.nan)
    return x, missing, (np.isnan(x) & ~missing) | np.isinf(x)


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
                             f"{_names(df.columns, 8)}).")

    codes, ids, id_notes = _encode_ids(cols["customer"], id_format, function, where=f"column {customer!r}")
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
        rows.append((REASONS[r], actions[r], int(counts[j]), total, ", ".join(map(str, pos[:_FIRST]))))
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
        listed = "; ".join(f"{k}: {v} ({REASONS[k]}, first rows {', '.join(map(str, positions[k][:_FIRST]))})"
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
            raise ValueError(f"{function} was given prepared transactions and also {_names(given)}; those were fixed "
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
                        f"{_names(transactions.columns, 8)}.")
    return _prepare(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                    returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                    function=function, stacklevel=4)
