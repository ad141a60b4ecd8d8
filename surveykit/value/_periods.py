"""What the customer-value analyses share: purchase occasions, calendar periods ending at as_of,
customer segments and their tables, and dates shown in summaries.

A private module of :mod:`surveykit.value` (used by :mod:`.rfm`, :mod:`.retention` and
:mod:`.clv`); its names carry no underscore, the module does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._checks import first_names
from ..errors import DataError, check_option
from .ids import isin, normalize_ids
from .transactions import _EPOCH, PreparedTransactions

__all__ = ["check_basis", "day_timestamps", "display_dates", "period_starts", "periods_table", "purchase_occasions",
           "rate_by_segment", "segment_codes", "segment_column", "segment_table", "window_start"]


def day_timestamps(days: np.ndarray) -> np.ndarray:
    """Day numbers (NaN-safe as float) to datetime64[s] (NaT where missing)."""
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[s]")
    ok = ~np.isnan(days)
    out[ok] = days[ok].astype(np.int64).astype("datetime64[D]").astype("datetime64[s]")
    return out


def purchase_occasions(p: PreparedTransactions, basis: str, since_day: int | None = None):
    """Purchase occasions sorted by customer, most recent first: (customer code, days before as_of).

    A purchase is a used row with a positive amount (returns are not purchases). ``basis``
    'orders' counts every such row; 'days' counts each customer's distinct purchase days.
    """
    keep = p.amount > 0
    if since_day is not None:
        keep &= p.day >= since_day
    code = p.code[keep].astype(np.int64)
    ago = (p.as_of_day - p.day[keep]).astype(np.int64)
    if not len(code):
        return code, ago
    span = int(ago.max()) + 1
    key = code * span + ago
    key.sort()
    if basis == "days":
        key = key[np.r_[True, key[1:] != key[:-1]]]
    return key // span, key % span


def check_basis(frequency: str, function: str) -> str:
    check_option("frequency", frequency, ("orders", "days"), function=function)
    return frequency


def display_dates(df: pd.DataFrame) -> pd.DataFrame:
    """A table for a summary: date columns as 'YYYY-MM-DD' text (the rendering rounds numbers only)."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime("%Y-%m-%d").astype(object)
    return out


def period_starts(as_of: pd.Timestamp, first_day: int, months: int) -> np.ndarray:
    """Start days (ascending) of the periods of ``months`` calendar months ending at ``as_of``.

    The latest period is (as_of + 1 day - months, as_of]; each earlier one ends the day before
    the next starts; periods are added until one starts on or before ``first_day``.
    """
    end = as_of + pd.Timedelta(days=1)
    starts = []
    k = 1
    while True:
        s = end - pd.DateOffset(months=months * k)
        d = int((s - _EPOCH).days)
        starts.append(d)
        if d <= first_day:
            break
        k += 1
    return np.array(starts[::-1], dtype=np.int64)


def periods_table(starts: np.ndarray, end_day: int, first_day: int) -> pd.DataFrame:
    ends = np.append(starts[1:] - 1, end_day)
    return pd.DataFrame({"period_start": (starts.astype("datetime64[D]")).astype("datetime64[s]"),
                         "period_end": (ends.astype("datetime64[D]")).astype("datetime64[s]"),
                         "complete": starts >= first_day})


def segment_codes(by, customers: pd.Index, function: str) -> tuple[np.ndarray, list, list]:
    """Segment code of each customer (-1: not in ``by``), the segment labels, and notes."""
    if isinstance(by, dict):
        by = pd.Series(by)
    if not isinstance(by, pd.Series):
        raise TypeError(f"The 'by' parameter of {function} must be a Series mapping customer id -> segment (e.g. "
                        f"rfm_result.table['layer']), indexed by customer id. Got {type(by).__name__} instead.")
    ids = normalize_ids(pd.Series(by.index), name=f"the ids of 'by' ({function})")
    ok = ids.notna().to_numpy() & by.notna().to_numpy()
    keys = ids[ok].to_numpy()
    vals = by[ok]
    dup = pd.Series(keys).duplicated(keep=False).to_numpy()
    if dup.any():
        clash = pd.DataFrame({"id": keys[dup], "seg": vals.to_numpy()[dup]}).groupby("id")["seg"].nunique()
        clash = clash[clash > 1]
        if len(clash):
            raise DataError(f"The 'by' mapping of {function} gives {len(clash)} customer"
                            f"{'s' if len(clash) > 1 else ''} more than one segment ({first_names(clash.index)}). Give "
                            "each customer one segment.")
    if isinstance(vals.dtype, pd.CategoricalDtype):
        labels = list(vals.cat.categories)
    else:
        try:
            labels = sorted(pd.unique(vals.to_numpy()))
        except TypeError:
            labels = list(pd.unique(vals.to_numpy()))
    seg_of = pd.Series(pd.Categorical(vals.to_numpy(), categories=labels).codes, index=keys)
    seg_of = seg_of[~seg_of.index.duplicated()]
    codes = seg_of.reindex(customers).to_numpy()
    codes = np.where(np.isnan(codes.astype(float)), -1, codes).astype(np.intp)
    notes = []
    n_out = int((codes < 0).sum())
    if n_out:
        notes.append(f"{n_out} of {len(customers)} customers have no segment in 'by' (shown as '(no segment)').")
    extra = int((~isin(keys, customers)).sum())
    if extra:
        notes.append(f"{extra} ids in 'by' have no transactions used (ignored).")
    return codes, labels, notes


def window_start(since, as_of: pd.Timestamp, function: str) -> int | None:
    if since is None:
        return None
    try:
        ts = pd.Timestamp(since)
    except (ValueError, TypeError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ValueError(f"The 'since' parameter of {function} must be a date such as '2025-11-01'. Got {since!r} "
                         "instead.")
    ts = (ts.tz_localize(None) if ts.tzinfo is not None else ts).normalize()
    if ts > as_of:
        raise ValueError(f"The 'since' parameter of {function} ({ts.date()}) is after as_of ({as_of.date()}); the "
                         "window runs from since to as_of.")
    return int((ts - _EPOCH).days)


def segment_table(seg: np.ndarray, labels: list, columns: dict) -> pd.DataFrame:
    """Sums per segment code (-1 = no segment, shown last when present)."""
    k = len(labels)
    has_none = bool((seg < 0).any())
    idx = np.where(seg < 0, k, seg)
    out = {name: np.bincount(idx, weights=v, minlength=k + 1) for name, v in columns.items()}
    index = list(labels) + ["(no segment)"]
    frame = pd.DataFrame(out, index=pd.Index(index, name="segment", dtype=object))
    return frame if has_none else frame.iloc[:k]


def rate_by_segment(seg: np.ndarray, labels: list, hits: np.ndarray, *, base: str, hit: str,
                    rate: str) -> pd.DataFrame:
    """Per segment: ``base`` (how many), ``hit`` (how many with ``hits`` true) and ``rate`` = hit / base."""
    table = segment_table(seg, labels, {base: np.ones(len(seg)), hit: hits.astype(float)})
    table = table.astype({base: np.int64, hit: np.int64})
    with np.errstate(invalid="ignore", divide="ignore"):
        table[rate] = table[hit] / table[base]
    return table


def segment_column(seg: np.ndarray, labels: list):
    """Each customer's segment as a categorical column (NaN without segments)."""
    return pd.Categorical.from_codes(seg, categories=labels) if len(labels) else np.nan
