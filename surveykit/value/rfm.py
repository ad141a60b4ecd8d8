"""RFM: recency, frequency and monetary value per customer, quintile scores and RFM layers (RFM分层).

The repurchase and conversion rates are in :mod:`surveykit.value.retention`. DOMAIN.md
section 3.

Every number comes from one sort of the purchases by (customer, day) and ``np.bincount``:
no per-customer Python, so ten million rows take seconds.

*Recency* is the number of days from the last purchase to ``as_of``; *frequency* the number
of purchases (see ``frequency`` of :func:`rfm`); *monetary* the net amount (purchases minus
returns, all dates up to ``as_of``). Money totals per customer are rounded to 8 decimals (far
below a cent): the same amounts summed in another order can differ in the last bit, and two
customers who both spent 208.83 must tie (same score, rank and class).

*Scores* (``_scores``) are quantile classes among the customers with a purchase, as R's
``cut(x, quantile(x, (0:5)/5), include.lowest = TRUE, labels = FALSE)``: type-7 quantiles,
right-closed classes, equal values always share a score. Recency is scored in reverse (the
most recent fifth scores 5). When quantile boundaries coincide, as for frequency where many
customers bought once, the empty classes are skipped (a customer with 2 orders can score 3
when 40% of customers bought once) where ``cut`` stops with 'breaks are not unique'; R:
``findInterval(x, quantile(x, 1:4/5), left.open = TRUE) + 1``. ``dplyr::ntile`` differs on
purpose: it splits ties to make equal-sized classes, so two customers with the same recency
can get different scores.

*Layers* (``_layer_codes``; DOMAIN.md section 3, from the source text): the rules are applied
in this order, each customer taking the first that fits: ``new``, ``active``,
``high_recovery``, ``low_recovery``. Customers those rules leave out are labelled, never left
blank: ``developing`` (bought within the recent window but neither new nor active, e.g. a
second purchase without two earlier ones), ``lapsing`` (last purchase between the recent
window and high recovery: 45-89 days), ``dormant`` (between the two recovery windows, empty
by default), ``lost`` (360 days or more), ``returns_only`` (no purchase in the data, only
returns). Labels in Chinese and English are in :data:`LAYERS` and the layers table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from .._result import Result
from ..errors import DataError, check_option
from ._periods import check_basis, day_timestamps, purchase_occasions
from .transactions import TransactionAudit, _money, _prepared

__all__ = ["LAYERS", "RFMResult", "rfm"]

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
# RFM


@dataclass(frozen=True)
class RFMResult(Result):
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


def _windows(new_days, active_days, high_recovery, low_recovery, function: str) -> tuple:
    """The checked layer windows: (new_days, active_days, high, low)."""
    new_days = _days_param("new_days", new_days, function)
    active_days = _days_param("active_days", active_days, function)
    high = _window("high_recovery", high_recovery, function)
    low = _window("low_recovery", low_recovery, function)
    if high[1] > low[0]:
        raise ValueError(f"The 'high_recovery' window of {function} {high} must end before the 'low_recovery' window "
                         f"{low} starts (high recovery is the more recent dormancy).")
    return new_days, active_days, high, low


def _scores(recency: np.ndarray, counts: np.ndarray, monetary: np.ndarray, bought: np.ndarray,
            bins: int) -> tuple[dict, pd.DataFrame]:
    """The r, f and m scores (Int64, <NA> without a purchase) and the table of their quantile boundaries."""
    n = len(bought)
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
    labels = [f"q{round(100 * k / bins)}" for k in range(1, bins)]
    brk = pd.DataFrame(breaks, index=labels).T
    brk.index.name = "variable"
    return scores, brk


def _layer_codes(bought, counts, recency, earlier, new_days: int, active_days: int, high: tuple,
                 low: tuple) -> np.ndarray:
    """Each customer's layer, as its position in :data:`LAYERS`: the first rule that fits (module docstring)."""
    w = max(new_days, active_days)
    rec = np.where(bought, recency, np.inf)
    choices = list(LAYERS)
    conds = [~bought, (counts == 1) & (rec < new_days), (earlier >= 2) & (rec < active_days),
             (rec >= high[0]) & (rec < high[1]), (rec >= low[0]) & (rec < low[1]),
             rec < w, rec < high[0], rec < low[0]]
    order = ["returns_only", "new", "active", "high_recovery", "low_recovery", "developing", "lapsing", "dormant"]
    return np.select(conds, [choices.index(k) for k in order], default=choices.index("lost"))


def _layers_table(layer_code: np.ndarray, monetary: np.ndarray, profit: np.ndarray | None, rules: dict) -> pd.DataFrame:
    """By layer: labels, rule, customers and share, revenue (and profit) and their shares."""
    choices = list(LAYERS)
    lay = pd.DataFrame({"label_zh": [LAYERS[k]["zh"] for k in choices], "label_en": [LAYERS[k]["en"] for k in choices],
                        "rule": [rules[k] for k in choices]}, index=pd.Index(choices, name="layer"))
    lay["customers"] = np.bincount(layer_code, minlength=len(choices))
    lay["share"] = lay["customers"] / len(layer_code)
    lay["revenue"] = np.bincount(layer_code, weights=monetary, minlength=len(choices))
    lay["revenue_share"] = lay["revenue"] / monetary.sum()
    if profit is not None:
        lay["profit"] = np.bincount(layer_code, weights=profit, minlength=len(choices))
        lay["profit_share"] = lay["profit"] / profit.sum()
    return lay


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
    Scores are quantile classes among the customers with a purchase, as R's ``cut(x,
    quantile(x, (0:5)/5), include.lowest = TRUE, labels = FALSE)``; the definitions of
    recency, frequency, monetary, the scores and the layer rules are in the module docstring
    of :mod:`surveykit.value.rfm`.

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
    basis = check_basis(frequency, function)
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, bool) or not 2 <= bins <= 100:
        raise ValueError(f"The 'bins' parameter of {function} must be a whole number from 2 to 100 (5 for "
                         f"quintiles). Got {bins!r} instead.")
    new_days, active_days, high, low = _windows(new_days, active_days, high_recovery, low_recovery, function)
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    n = p.n_customers
    code, ago = purchase_occasions(p, basis)
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

    scores, breaks = _scores(recency, counts, monetary, bought, bins)
    layer_code = _layer_codes(bought, counts, recency, earlier, new_days, active_days, high, low)
    choices = list(LAYERS)
    layer = pd.Categorical.from_codes(layer_code, categories=choices)

    cols = {"recency_days": pd.array(np.where(bought, recency, 0).astype(np.int64), dtype="Int64"),
            "frequency": counts.astype(np.int64), "monetary": monetary}
    cols["recency_days"][~bought] = pd.NA
    if p.cost is not None:
        cols["profit"] = _money(np.bincount(p.code, weights=p.amount - p.cost, minlength=n))
    cols["returns"] = n_returns.astype(np.int64)
    cols["first_purchase"] = day_timestamps(p.as_of_day - first_ago)
    cols["last_purchase"] = day_timestamps(p.as_of_day - recency)
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

    lay = _layers_table(layer_code, monetary, cols.get("profit"), _rules(new_days, active_days, high, low))
    return RFMResult(table=table, layers=lay, breaks=breaks, audit=p.audit, as_of=p.as_of, bins=int(bins),
                     frequency_basis=basis,
                     windows={"new_days": new_days, "active_days": active_days, "high_recovery": high,
                              "low_recovery": low})
