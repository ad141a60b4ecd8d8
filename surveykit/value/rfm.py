"""RFM: recency, frequency and monetary value per customer, quintile scores and RFM layers (RFM分层).

Also the repurchase rate (share of buyers with two or more purchases) and the conversion rate
(share of a customer list, prospects included, who bought), overall, by period and by segment.
DOMAIN.md section 3.

Every number comes from one sort of the purchases by (customer, day) and ``np.bincount``:
no per-customer Python, so ten million rows take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from ..errors import DataError, check_option
from ..indices.weighted import _as_series, _names
from .transactions import (
    _EPOCH,
    PreparedTransactions,
    TransactionAudit,
    _encode_ids,
    _isin,
    _money,
    _prepared,
    _warn_zero_stripped,
    normalize_ids,
)

__all__ = ["LAYERS", "ConversionResult", "RFMResult", "RepurchaseResult", "conversion_rate", "repurchase_rate", "rfm"]

# layer -> labels; the order is the order of the layers table (by recency, then the leftovers)
LAYERS = {
    "new": {"zh": "新客户", "en": "New"},
    "active": {"zh": "活跃客户", "en": "Active"},
    "developing": {"zh": "成长客户", "en": "Developing"},
    "lapsing": {"zh": "预流失客户", "en": "Lapsing"},
    "high_recovery": {"zh": "高挽回客户", "en": "High recovery"},
    "dormant": {"zh": "休眠客户", "en": "Dormant"},
    "low_recovery": {"zh": "低挽回客户", "en": "Low recovery"},
    "lost": {"zh": "流失客户", "en": "Lost"},
    "returns_only": {"zh": "仅退货客户", "en": "Returns only"},
}
_PERIOD_MONTHS = {"year": 12, "quarter": 3, "month": 1}


def _day_ts(days: np.ndarray) -> np.ndarray:
    """Day numbers (NaN-safe as float) to datetime64[s] (NaT where missing)."""
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[s]")
    ok = ~np.isnan(days)
    out[ok] = days[ok].astype(np.int64).astype("datetime64[D]").astype("datetime64[s]")
    return out


def _purchases(p: PreparedTransactions, basis: str, since_day: int | None = None):
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


def _check_basis(frequency: str, function: str) -> str:
    check_option("frequency", frequency, ("orders", "days"), function=function)
    return frequency


def _window(name, value, function: str) -> tuple[int, int]:
    ok = (isinstance(value, (tuple, list)) and len(value) == 2
          and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
          and 0 <= value[0] < value[1])
    if not ok:
        raise ValueError(f"The {name!r} parameter of {function} must be a pair of whole days (start, end) with "
                         f"0 <= start < end, e.g. (90, 180). Got {value!r} instead.")
    return int(value[0]), int(value[1])


def _days_param(name, value, function: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"The {name!r} parameter of {function} must be a whole number of days >= 1 (e.g. 45). "
                         f"Got {value!r} instead.")
    return int(value)


def _quantile_scores(x: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Quantile class 1..bins of each value, as R ``cut(x, quantile(x, (0:bins)/bins), include.lowest=TRUE)``.

    Class = 1 + the number of quantile boundaries strictly below the value (right-closed
    classes, type-7 quantiles). With type 7 the k-th boundary lies between the order statistics
    x_(j) and x_(j+1), j = floor((n - 1) k / bins) (0-based), and no value lies strictly between
    them, so ``value > boundary`` is exactly ``value > x_(j)``: the classes do not depend on
    rounding in the interpolation. Equal values always share a class; when boundaries coincide
    (many equal values) the classes in between are empty (skipped), where ``cut`` would stop
    with 'breaks are not unique'. Returns (classes, boundaries).
    """
    s = np.sort(x)
    probs = np.arange(1, bins) / bins
    j = np.floor((len(s) - 1) * probs).astype(np.int64)
    classes = 1 + np.searchsorted(s[j], x, side="left")
    return classes, np.quantile(s, probs)


# ---------------------------------------------------------------------------------------------
# shared by the analyses: periods, segments, display


def _display(df: pd.DataFrame) -> pd.DataFrame:
    """A table for a summary: date columns as 'YYYY-MM-DD' text (the rendering rounds numbers only)."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime("%Y-%m-%d").astype(object)
    return out


def _period_starts(as_of: pd.Timestamp, first_day: int, months: int) -> np.ndarray:
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


def _periods_table(starts: np.ndarray, end_day: int, first_day: int) -> pd.DataFrame:
    ends = np.append(starts[1:] - 1, end_day)
    return pd.DataFrame({"period_start": (starts.astype("datetime64[D]")).astype("datetime64[s]"),
                         "period_end": (ends.astype("datetime64[D]")).astype("datetime64[s]"),
                         "complete": starts >= first_day})


def _segments(by, customers: pd.Index, function: str) -> tuple[np.ndarray, list, list]:
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
                            f"{'s' if len(clash) > 1 else ''} more than one segment ({_names(clash.index)}). Give "
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
    extra = int((~_isin(keys, customers)).sum())
    if extra:
        notes.append(f"{extra} ids in 'by' have no transactions used (ignored).")
    return codes, labels, notes


# ---------------------------------------------------------------------------------------------
# RFM


@dataclass(frozen=True)
class RFMResult:
    """Recency, frequency and monetary value per customer, with quantile scores and layers.

    Attributes
    ----------
    table : DataFrame
        One row per customer (index ``customer_id``, normalised ids): ``recency_days`` (days
        from the last purchase to ``as_of``; <NA> for a customer with returns only),
        ``frequency`` (purchases: positive orders, or distinct purchase days), ``monetary``
        (net amount: purchases minus returns), ``profit`` (amount - cost, with a cost column),
        ``returns`` (rows with a negative amount), ``first_purchase``, ``last_purchase``,
        ``r_score``, ``f_score``, ``m_score`` (1..bins, bins = best), ``rfm_score`` (their
        sum), ``rfm_cell`` (e.g. '545'), ``layer`` (categorical, see :data:`LAYERS`).
    layers : DataFrame
        By layer: ``label_zh``, ``label_en``, ``rule``, ``customers``, ``share``,
        ``revenue``, ``revenue_share`` (and ``profit``, ``profit_share``).
    breaks : DataFrame
        The quantile boundaries of recency, frequency and monetary (type 7, as R ``quantile``).
    audit : TransactionAudit
    """

    table: pd.DataFrame
    layers: pd.DataFrame
    breaks: pd.DataFrame
    audit: TransactionAudit
    as_of: pd.Timestamp
    bins: int
    frequency_basis: str
    windows: dict = field(default_factory=dict)

    @property
    def n_customers(self) -> int:
        return len(self.table)

    @property
    def n_scored(self) -> int:
        return int(self.table["r_score"].notna().sum())

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def layer_labels(self, language: str = "zh") -> pd.Series:
        """Each customer's layer as label text ('zh': 新客户 ..., 'en': New ...)."""
        check_option("language", language, ("zh", "en"), function="RFMResult.layer_labels")
        return self.table["layer"].map({k: v[language] for k, v in LAYERS.items()}).rename("layer_label")

    def summary(self) -> Summary:
        basis = "positive orders" if self.frequency_basis == "orders" else "distinct purchase days"
        lines = [(f"{self.n_customers} customers as of {self.as_of.date()}; {self.n_scored} with a purchase are "
                  f"scored 1-{self.bins} ({self.bins} = most recent, most frequent, highest spend)"),
                 (f"Frequency counts {basis}; monetary is net of returns; scores as R cut(x, quantile(x, "
                  f"(0:{self.bins})/{self.bins}), include.lowest = TRUE), ties share a score"),
                 self.audit._line()]
        return Summary(title="RFM", lines=lines,
                       tables=[("Layers", self.layers), ("Quantile boundaries", self.breaks),
                               ("Transactions", self.audit.to_frame())])

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return (f"<RFMResult n_customers={self.n_customers} as_of={self.as_of.date()} bins={self.bins} "
                f"layers={int((self.layers['customers'] > 0).sum())}>")


def _rules(new_days, active_days, high, low) -> dict:
    return {
        "new": f"exactly one purchase, within the last {new_days} days",
        "active": f"two or more purchases {active_days}+ days ago and one within the last {active_days} days",
        "developing": f"bought within the last {max(new_days, active_days)} days, neither new nor active",
        "lapsing": f"last purchase {max(new_days, active_days)}-{high[0] - 1} days ago",
        "high_recovery": f"last purchase {high[0]}-{high[1] - 1} days ago",
        "dormant": (f"last purchase {high[1]}-{low[0] - 1} days ago" if high[1] < low[0]
                    else "between the recovery windows (none with these windows)"),
        "low_recovery": f"last purchase {low[0]}-{low[1] - 1} days ago",
        "lost": f"last purchase {low[1]}+ days ago",
        "returns_only": "no purchase, only returns",
    }


def rfm(transactions, *, customer=None, date=None, amount=None, as_of=None, cost=None, bins: int = 5,
        frequency: str = "orders", new_days: int = 45, active_days: int = 45, high_recovery=(90, 180),
        low_recovery=(180, 360), returns: str = "net", duplicates: str = "drop", id_format=None,
        date_format: str | None = None) -> RFMResult:
    """Recency, frequency, monetary value, quantile scores and RFM layers (RFM分层) per customer.

    Parameters
    ----------
    transactions : DataFrame or PreparedTransactions
        One row per order; or the result of :func:`prepare_transactions` (then leave out the
        column names).
    customer, date, amount, cost, as_of, returns, duplicates, id_format, date_format
        As :func:`prepare_transactions`. Returns are netted into ``monetary`` by default.
    bins : int, default 5
        Number of quantile classes of each score (5: quintiles).
    frequency : {'orders', 'days'}
        'orders' (default): frequency counts the customer's orders with a positive amount.
        'days': it counts distinct purchase days (two orders on one day are one occasion).
        The layer rules count purchases the same way.
    new_days : int, default 45
        A new customer (新客户) has exactly one purchase, made fewer than ``new_days`` days
        before ``as_of`` (the ``as_of`` day is day 0).
    active_days : int, default 45
        An active customer (活跃客户) bought within the last ``active_days`` days and made
        two or more purchases before them (``active_days`` or more days ago).
    high_recovery, low_recovery : (int, int)
        Days since the last purchase, [start, end): high-recovery (高挽回) 90-179 and
        low-recovery (低挽回) 180-359 days by default.

    Returns
    -------
    RFMResult
        ``to_frame()``: one row per customer; ``layers``: size and revenue of each layer.

    Raises
    ------
    ValueError
        A column not in the table; windows that are not ordered
        (high_recovery must end before low_recovery starts); bad options.
    DataError
        No customer with a purchase.

    Notes
    -----
    *Recency* is the number of days from the last purchase to ``as_of``; *frequency* the
    number of purchases (see ``frequency``); *monetary* the net amount (purchases minus
    returns, all dates up to ``as_of``). Money totals per customer are rounded to 8 decimals
    (far below a cent): the same amounts summed in another order can differ in the last bit,
    and two customers who both spent 208.83 must tie (same score, rank and class).

    *Scores* are quantile classes among the customers with a purchase, as R's
    ``cut(x, quantile(x, (0:5)/5), include.lowest = TRUE, labels = FALSE)``: type-7
    quantiles, right-closed classes, equal values always share a score. Recency is scored in
    reverse (the most recent fifth scores 5). When quantile boundaries coincide, as for
    frequency where many customers bought once, the empty classes are skipped (a customer
    with 2 orders can score 3 when 40% of customers bought once) where ``cut`` stops with
    'breaks are not unique'; R: ``findInterval(x, quantile(x, 1:4/5), left.open = TRUE) + 1``.
    ``dplyr::ntile`` differs on purpose: it splits ties to make equal-sized classes, so two
    customers with the same recency can get different scores.

    *Layers* (DOMAIN.md section 3, from the source text): the rules are applied in this order,
    each customer taking the first that fits: ``new``, ``active``, ``high_recovery``,
    ``low_recovery``. Customers those rules leave out are labelled, never left blank:
    ``developing`` (bought within the recent window but neither new nor active, e.g. a second
    purchase without two earlier ones), ``lapsing`` (last purchase between the recent window
    and high recovery: 45-89 days), ``dormant`` (between the two recovery windows, empty by
    default), ``lost`` (360 days or more), ``returns_only`` (no purchase in the data, only
    returns). Labels in Chinese and English are in :data:`LAYERS` and the layers table.

    Examples
    --------
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value import rfm
    >>> tx = generate_example(n_respondents=100, n_customers=800).transactions
    >>> r = rfm(tx, customer="customer_id", date="date", amount="amount", cost="cost", as_of=AS_OF)
    >>> r.audit.n_rows_read == r.audit.n_rows_used + r.audit.n_excluded
    True
    >>> list(r.to_frame().columns[:4])
    ['recency_days', 'frequency', 'monetary', 'profit']
    >>> r.layers.loc["high_recovery", "label_zh"]
    '高挽回客户'
    """
    function = "rfm"
    basis = _check_basis(frequency, function)
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, bool) or not 2 <= bins <= 100:
        raise ValueError(f"The 'bins' parameter of {function} must be a whole number from 2 to 100 (5 for "
                         f"quintiles). Got {bins!r} instead.")
    new_days = _days_param("new_days", new_days, function)
    active_days = _days_param("active_days", active_days, function)
    high = _window("high_recovery", high_recovery, function)
    low = _window("low_recovery", low_recovery, function)
    if high[1] > low[0]:
        raise ValueError(f"The 'high_recovery' window of {function} {high} must end before the 'low_recovery' window "
                         f"{low} starts (high recovery is the more recent dormancy).")
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    n = p.n_customers
    code, ago = _purchases(p, basis)
    if not len(code):
        raise DataError(f"No purchase (positive amount) among the {p.n_rows} rows used by {function}: the table "
                        "holds returns only. Check the sign of the amount column.")
    counts = np.bincount(code, minlength=n)
    bought = counts > 0
    start = np.cumsum(counts) - counts
    recency = np.full(n, np.nan)
    first_ago = np.full(n, np.nan)
    recency[bought] = ago[start[bought]]
    first_ago[bought] = ago[start[bought] + counts[bought] - 1]
    earlier = np.bincount(code[ago >= active_days], minlength=n)
    monetary = _money(np.bincount(p.code, weights=p.amount, minlength=n))
    n_returns = np.bincount(p.code[p.amount < 0], minlength=n)

    scores = {}
    breaks = {}
    for name, x, reverse in [("r_score", recency, True), ("f_score", counts.astype(float), False),
                             ("m_score", monetary, False)]:
        cls, b = _quantile_scores(x[bought], bins)
        s = np.zeros(n, np.int64)
        s[bought] = bins + 1 - cls if reverse else cls
        scores[name] = pd.array(np.where(bought, s, 0), dtype="Int64")
        scores[name][~bought] = pd.NA
        breaks[{"r_score": "recency_days", "f_score": "frequency", "m_score": "monetary"}[name]] = b

    w = max(new_days, active_days)
    rec = np.where(bought, recency, np.inf)
    choices = list(LAYERS)
    conds = [~bought, (counts == 1) & (rec < new_days), (earlier >= 2) & (rec < active_days),
             (rec >= high[0]) & (rec < high[1]), (rec >= low[0]) & (rec < low[1]),
             rec < w, rec < high[0], rec < low[0]]
    order = ["returns_only", "new", "active", "high_recovery", "low_recovery", "developing", "lapsing", "dormant"]
    layer_code = np.select(conds, [choices.index(k) for k in order], default=choices.index("lost"))
    layer = pd.Categorical.from_codes(layer_code, categories=choices)

    cols = {"recency_days": pd.array(np.where(bought, recency, 0).astype(np.int64), dtype="Int64"),
            "frequency": counts.astype(np.int64), "monetary": monetary}
    cols["recency_days"][~bought] = pd.NA
    if p.cost is not None:
        cols["profit"] = _money(np.bincount(p.code, weights=p.amount - p.cost, minlength=n))
    cols["returns"] = n_returns.astype(np.int64)
    cols["first_purchase"] = _day_ts(p.as_of_day - first_ago)
    cols["last_purchase"] = _day_ts(p.as_of_day - recency)
    cols.update(scores)
    total = scores["r_score"] + scores["f_score"] + scores["m_score"]
    cols["rfm_score"] = total
    sep = "" if bins <= 9 else "-"
    grid = np.arange(1, bins + 1).astype(str).astype(object)
    cells = np.array([f"{a}{sep}{b}{sep}{c}" for a in grid for b in grid for c in grid] + [None], dtype=object)
    r_, f_, m_ = (scores[k].to_numpy(dtype=np.int64, na_value=0) - 1 for k in ("r_score", "f_score", "m_score"))
    cols["rfm_cell"] = cells[np.where(bought, (r_ * bins + f_) * bins + m_, bins ** 3)]
    cols["layer"] = layer
    table = pd.DataFrame(cols, index=p.customers)

    rules = _rules(new_days, active_days, high, low)
    lay = pd.DataFrame({"label_zh": [LAYERS[k]["zh"] for k in choices], "label_en": [LAYERS[k]["en"] for k in choices],
                        "rule": [rules[k] for k in choices]}, index=pd.Index(choices, name="layer"))
    lay["customers"] = np.bincount(layer_code, minlength=len(choices))
    lay["share"] = lay["customers"] / n
    lay["revenue"] = np.bincount(layer_code, weights=monetary, minlength=len(choices))
    lay["revenue_share"] = lay["revenue"] / monetary.sum()
    if p.cost is not None:
        lay["profit"] = np.bincount(layer_code, weights=cols["profit"], minlength=len(choices))
        lay["profit_share"] = lay["profit"] / cols["profit"].sum()
    labels = [f"q{round(100 * k / bins)}" for k in range(1, bins)]
    brk = pd.DataFrame(breaks, index=labels).T
    brk.index.name = "variable"
    return RFMResult(table=table, layers=lay, breaks=brk, audit=p.audit, as_of=p.as_of, bins=int(bins),
                     frequency_basis=basis,
                     windows={"new_days": new_days, "active_days": active_days, "high_recovery": high,
                              "low_recovery": low})


# ---------------------------------------------------------------------------------------------
# repurchase rate


@dataclass(frozen=True)
class RepurchaseResult:
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
        tables = [(f"By {self.period}", _display(self.by_period))]
        if self.by_segment is not None:
            tables.append(("By segment", self.by_segment))
        return Summary(title="Repurchase rate", lines=lines, tables=tables)

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return (f"<RepurchaseResult rate={self.rate:.3f} n_customers={self.n_customers} "
                f"n_repurchasers={self.n_repurchasers} periods={len(self.by_period)}>")


def _since(since, as_of: pd.Timestamp, function: str) -> int | None:
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


def _segment_table(seg: np.ndarray, labels: list, columns: dict) -> pd.DataFrame:
    """Sums per segment code (-1 = no segment, shown last when present)."""
    k = len(labels)
    has_none = bool((seg < 0).any())
    idx = np.where(seg < 0, k, seg)
    out = {name: np.bincount(idx, weights=v, minlength=k + 1) for name, v in columns.items()}
    index = list(labels) + ["(no segment)"]
    frame = pd.DataFrame(out, index=pd.Index(index, name="segment", dtype=object))
    return frame if has_none else frame.iloc[:k]


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
    basis = _check_basis(frequency, function)
    check_option("period", period, tuple(_PERIOD_MONTHS), function=function)
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=None, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    since_day = _since(since, p.as_of, function)
    n = p.n_customers
    code, ago = _purchases(p, basis)
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
    starts = _period_starts(p.as_of, first_day, _PERIOD_MONTHS[period])
    k = len(starts)
    per = np.searchsorted(starts, day, side="right") - 1
    cnt = np.bincount(code * k + per, minlength=n * k).reshape(n, k)
    per_tab = _periods_table(starts, p.as_of_day, first_day)
    per_tab["customers"] = (cnt >= 1).sum(axis=0)
    per_tab["repurchasers"] = (cnt >= 2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_tab["repurchase_rate"] = per_tab["repurchasers"] / per_tab["customers"]
    notes = []
    seg_tab = None
    if by is not None:
        seg, labels, notes = _segments(by, p.customers, function)
        s = seg[buyers]
        seg_tab = _segment_table(s, labels, {"customers": np.ones(len(s)), "repurchasers": rep.astype(float)})
        seg_tab = seg_tab.astype({"customers": np.int64, "repurchasers": np.int64})
        with np.errstate(invalid="ignore", divide="ignore"):
            seg_tab["repurchase_rate"] = seg_tab["repurchasers"] / seg_tab["customers"]
        table["segment"] = pd.Categorical.from_codes(s, categories=labels) if len(labels) else np.nan
    return RepurchaseResult(rate=float(rep.mean()), n_customers=len(buyers), n_repurchasers=int(rep.sum()),
                            table=table, by_period=per_tab, by_segment=seg_tab, audit=p.audit, as_of=p.as_of,
                            since=None if since_day is None else _EPOCH + pd.Timedelta(days=since_day),
                            period=period, frequency_basis=basis, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------
# conversion rate


@dataclass(frozen=True)
class ConversionResult:
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

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

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
                        f"columns {_names(customers.columns)}. Pass e.g. leads['customer_id'].")
    listed = _as_series(pd.Index(customers) if isinstance(customers, pd.Index) else customers, "customers", function)
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=None, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    codes, ids, id_notes = _encode_ids(listed.reset_index(drop=True), id_format if not isinstance(
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
    since_day = _since(since, p.as_of, function)
    code, ago = _purchases(p, "orders", since_day)
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
    table = pd.DataFrame({"converted": converted, "purchases": n_buy, "first_purchase": _day_ts(first)}, index=ids)
    buyer_ids = p.customers[purchases > 0]
    unlisted = int((~_isin(buyer_ids, ids)).sum())
    _warn_zero_stripped(ids[~converted], buyer_ids, "the customer list", stacklevel=2)
    seg_tab = None
    if by is not None:
        seg, labels, seg_notes = _segments(by, ids, function)
        notes += [s.replace("customers have no segment", "listed customers have no segment") for s in seg_notes]
        seg_tab = _segment_table(seg, labels, {"listed": np.ones(len(ids)), "converted": converted.astype(float)})
        seg_tab = seg_tab.astype({"listed": np.int64, "converted": np.int64})
        with np.errstate(invalid="ignore", divide="ignore"):
            seg_tab["conversion_rate"] = seg_tab["converted"] / seg_tab["listed"]
        table["segment"] = pd.Categorical.from_codes(seg, categories=labels) if len(labels) else np.nan
    return ConversionResult(rate=float(converted.mean()), n_listed=len(ids), n_converted=int(converted.sum()),
                            n_unlisted_buyers=unlisted, table=table, by_segment=seg_tab, audit=p.audit,
                            as_of=p.as_of,
                            since=None if since_day is None else _EPOCH + pd.Timedelta(days=since_day),
                            notes=tuple(notes))
