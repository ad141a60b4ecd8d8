"""Importance-performance analysis (IPA, 四分图): which attributes to fix, keep up, or let be.

Martilla & James (1977): each attribute is a point, performance (its mean rating) against
importance (stated, or derived from how it moves with overall satisfaction); lines at the
grand means (or the scale midpoints) cut the plane into four quadrants, each with an action.
The diagonal (iso-priority) variant (Slack 1994; Abalo, Varela & Manzano 2007) draws the
45° line importance = performance on a common 0-1 scale instead: items above it are
priorities. Computation only; the figure is :func:`surveykit.plotting.drivers.plot_ipa`.

Quadrants, with performance on x and importance on y: high importance and low performance:
'concentrate' (修补区, concentrate here); high and high: 'keep_up' (优势区, keep up the good
work); low and low: 'low_priority' (机会区, low priority); low importance and high
performance: 'overkill' (维持区, possible overkill). An item on a split line counts as high
(an item at the crosshair itself is 'keep_up'). Source texts name the quadrants differently,
so the names are configurable, with these defaults.

Common 0-1 scale: ``(x - a) / (b - a)`` with the scale end points a, b; an axis without a
scale (derived importance, driver shares, no scale given) uses the lowest and highest item
instead, which makes the diagonal relative to the items analysed. ``gap`` = importance -
performance on that scale. With ``split='diagonal'`` an item above the line (gap > 0) is
'concentrate'; one on the line (|gap| < 1e-12) or below it meets its importance and is
sorted by the grand means: importance >= mean: 'keep_up'; else performance >= mean:
'overkill'; else 'low_priority'.

References: Martilla, J. A., & James, J. C. (1977). Importance-performance analysis.
Journal of Marketing, 41(1), 77-79. Slack, N. (1994). The importance-performance matrix as a
determinant of improvement priority. IJOPM, 14(5), 59-75. Abalo, J., Varela, J., & Manzano,
V. (2007). Importance values for importance-performance analysis. Journal of Business
Research, 60(2), 115-121.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import FIRST, as_vector, check_finite, check_weights, first_names
from .._labels import LANGUAGES
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option, numeric_frame
from .weighted import weighted_mean

__all__ = ["QUADRANTS", "QUADRANT_LABELS", "IPAResult", "ipa", "quadrant_labels"]


#: Quadrant codes, in the order of action: fix first.
QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")
#: Default quadrant names (Martilla & James 1977; the Chinese names of the 四分图 in Chinese texts).
QUADRANT_LABELS = {
    "zh": {"concentrate": "修补区", "keep_up": "优势区", "low_priority": "机会区", "overkill": "维持区"},
    "en": {"concentrate": "Concentrate here", "keep_up": "Keep up the good work", "low_priority": "Low priority",
           "overkill": "Possible overkill"},
}
IPA_LANGUAGES = ("both", *LANGUAGES)
SPLITS = ("mean", "midpoint", "diagonal")
CORRELATIONS = ("pearson", "spearman")
_ON_LINE = 1e-12  # |gap| below this is on the diagonal (rounding of the 0-1 rescaling)


def quadrant_labels(language: str = "both", overrides: Mapping | None = None, *, sep: str = " ") -> dict[str, str]:
    """Quadrant code -> name in ``language`` ('both': Chinese, ``sep``, English); ``overrides`` win."""
    check_option("language", language, IPA_LANGUAGES, function="quadrant_labels")
    zh, en = QUADRANT_LABELS["zh"], QUADRANT_LABELS["en"]
    names = {c: f"{zh[c]}{sep}{en[c]}" for c in QUADRANTS} if language == "both" else dict(QUADRANT_LABELS[language])
    return {**names, **dict(overrides or {})}


# ---------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True)
class IPAResult(Result):
    """An importance-performance analysis: one point per item, its quadrant and its priority.

    Attributes
    ----------
    table : DataFrame
        Indexed by item (in input order): ``performance`` (mean rating), ``importance``
        (stated mean, correlation with the outcome, or driver share), ``quadrant`` (code:
        ``'concentrate'``, ``'keep_up'``, ``'low_priority'``, ``'overkill'``),
        ``quadrant_label`` (its name in ``language``), ``gap`` (importance - performance,
        both on the common 0-1 scale; > 0 is above the diagonal), ``priority`` (1 = first to
        act on: the concentrate-here items by decreasing gap, then the others by decreasing
        gap), ``n_obs`` (answers behind the performance mean; NA when means were given) and
        ``n_pairs`` (respondents with both the item and the outcome; derived importance only).
    split : tuple of float
        The crosshair (performance, importance), in the units of the two axes. With
        ``split_method='diagonal'`` it is the pair of grand means that sorts the items on or
        below the diagonal.
    split_method : str
        'mean', 'midpoint', 'diagonal' or 'custom' (a pair of numbers was given).
    method : str
        How importance was obtained: 'stated', 'derived_pearson', 'derived_spearman' or
        'drivers' (the ``importance`` shares of a driver analysis).
    performance_range, importance_range : tuple of float
        The values mapped to 0 and 1 on the common scale (the scale's end points, or the
        lowest and highest item when no scale applies); the diagonal joins
        (performance_range[0], importance_range[0]) and (performance_range[1], importance_range[1]).
    labels : dict
        Quadrant code -> name used in ``table`` (defaults in ``language``, with ``label_overrides``).
    n_obs : int or None
        Respondents (rows) in the answers, None when means were given.
    notes : tuple of str
        Warnings raised during the analysis (also emitted as :class:`SurveykitWarning`).
    """

    table: pd.DataFrame
    split: tuple[float, float]
    split_method: str
    method: str
    language: str
    labels: dict
    performance_range: tuple[float, float]
    importance_range: tuple[float, float]
    label_overrides: dict = field(default_factory=dict)
    outcome: str | None = None
    n_obs: int | None = None
    weighted: bool = False
    split_note: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_items(self) -> int:
        return len(self.table)

    def items_in(self, quadrant: str) -> list:
        """Items of one quadrant (a code of :data:`QUADRANTS`), by priority."""
        check_option("quadrant", quadrant, QUADRANTS, function="IPAResult.items_in")
        t = self.table[self.table["quadrant"] == quadrant]
        return list(t.sort_values("priority").index)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        what = {"stated": "stated (mean rating of importance)",
                "derived_pearson": f"derived: Pearson correlation with {self.outcome!r}",
                "derived_spearman": f"derived: Spearman correlation with {self.outcome!r}",
                "drivers": "driver shares (relative importance from a driver model)"}[self.method]
        lines = [f"{self.n_items} items; importance {what}" + ("; weighted" if self.weighted else ""),
                 self.split_note]
        for code in QUADRANTS:
            items = self.items_in(code)
            lines.append(f"{self.labels[code]}: {len(items)}" + (f" ({', '.join(map(str, items))})" if items else ""))
        return Summary(title="Importance-performance analysis (IPA)", lines=[*lines, *self.notes],
                       tables=[("Items by priority", self.table.sort_values("priority"))])

    def __repr__(self) -> str:
        n_fix = int((self.table["quadrant"] == "concentrate").sum())
        return (f"<IPAResult n_items={self.n_items} method={self.method!r} split={self.split_method!r} "
                f"concentrate={n_fix}>")


# ---------------------------------------------------------------------------------------------
# input checks


def _means(values, name: str) -> pd.Series:
    """A mapping / Series item -> number as a float Series; non-numbers, NaN, inf raise DataError."""
    if isinstance(values, Mapping):
        values = pd.Series(dict(values), dtype=object)
    if not isinstance(values, pd.Series):
        raise TypeError(f"The {name!r} parameter of ipa must be a mapping or Series item -> mean, or a DataFrame of "
                        f"answers (one column per item). Got {type(values).__name__} instead; for a list of "
                        "columns of `data`, pass data=frame as well.")
    if values.empty:
        raise DataError(f"The {name!r} parameter of ipa holds no items.")
    if values.index.has_duplicates:
        dup = values.index[values.index.duplicated()].unique()
        raise DataError(f"The {name} values of ipa name {len(dup)} item{'s' if len(dup) > 1 else ''} twice: "
                        f"{first_names(dup)}. Give each item once.")
    x = pd.to_numeric(values, errors="coerce").astype(float)
    bad = x.isna() & values.notna()
    if bad.any():
        raise DataError(f"The {name} values of ipa are not numbers for {bad.sum()} item(s): "
                        + ", ".join(f"{i!r} = {values[i]!r}" for i in values.index[bad][:FIRST])
                        + ". Pass the mean of each item.")
    empty = x.isna() | np.isinf(x)
    if empty.any():
        raise DataError(f"The {name} of {empty.sum()} item(s) is missing or infinite: {first_names(x.index[empty])}. An "
                        "item without a value cannot be placed; drop it or supply its mean.")
    return x


def _item_means(answers: pd.DataFrame, w: np.ndarray, name: str) -> tuple[pd.Series, pd.Series]:
    """(Weighted) mean and count of answers of each column; an unanswered item raises DataError."""
    n_ans = answers.notna().sum()
    empty = n_ans.index[n_ans == 0]
    if len(empty):
        raise DataError(f"{len(empty)} {name} item(s) have no answers in the {len(answers)} rows given: "
                        f"{first_names(empty)}. Drop them from the analysis (or check the missing-value codes).")
    means = pd.Series({c: weighted_mean(answers[c].to_numpy(), weights=w).estimate for c in answers.columns},
                      dtype=float)
    return means, n_ans.astype("Int64")


def _column(value, data, name: str, n: int, index: pd.Index) -> np.ndarray:
    """``value`` (a column name of ``data`` or one value per row) as a 1-d array aligned with the answers."""
    if isinstance(value, str):
        if data is None:
            raise ValueError(f"The {name!r} parameter of ipa names a column ({value!r}) but no data was given; pass "
                             f"data=frame, or the values themselves.")
        if value not in data.columns:
            raise ValueError(f"The {name!r} parameter of ipa names column {value!r}, which is not in data "
                             f"({len(data.columns)} columns, e.g. {first_names(data.columns)}).")
        value = data[value]
    if isinstance(value, pd.DataFrame):
        raise TypeError(f"The {name!r} parameter of ipa must be one column; got a DataFrame with "
                         f"{value.shape[1]} columns.")
    if isinstance(value, pd.Series) and len(value) == n and not value.index.equals(index):
        raise ValueError(f"The {name!r} parameter of ipa is a Series whose index differs from the answers' index; "
                         f"align it first (e.g. {name}.reindex(answers.index)) or pass {name}.to_numpy() to align "
                         "by position.")
    return as_vector(value, name, n, "ipa", what=f"one {name} value per respondent")


def _scales(scale_min, scale_max, stated: bool) -> tuple:
    """((lo, hi) or None for performance, (lo, hi) or None for importance)."""
    if (scale_min is None) != (scale_max is None):
        raise ValueError("ipa needs both 'scale_min' and 'scale_max' (the end points of the rating scale, e.g. 1 "
                         f"and 5), or neither. Got scale_min={scale_min!r}, scale_max={scale_max!r}.")
    if scale_min is None:
        return None, None

    def pair(value, name):
        if isinstance(value, (tuple, list)):
            if len(value) != 2:
                raise ValueError(f"The {name!r} parameter of ipa must be a number or a (performance, importance) "
                                 f"pair. Got {value!r} instead.")
            return tuple(value)
        return value, value if stated else None

    p_lo, i_lo = pair(scale_min, "scale_min")
    p_hi, i_hi = pair(scale_max, "scale_max")
    out = []
    for what, lo, hi in (("performance", p_lo, p_hi), ("importance", i_lo, i_hi)):
        if lo is None and hi is None:
            out.append(None)
            continue
        for name, v in (("scale_min", lo), ("scale_max", hi)):
            if isinstance(v, bool) or not isinstance(v, Real) or not np.isfinite(v):
                raise ValueError(f"The {name!r} parameter of ipa must give a finite number for the {what} scale. "
                                 f"Got {v!r} instead.")
        if not lo < hi:
            raise ValueError(f"ipa: the {what} scale must have scale_min < scale_max. Got {lo!r} and {hi!r}.")
        out.append((float(lo), float(hi)))
    return out[0], out[1]


def _check_split(split):
    if isinstance(split, str) and split in SPLITS:
        return split, None
    if (isinstance(split, (tuple, list)) and len(split) == 2
            and all(isinstance(v, Real) and not isinstance(v, bool) and np.isfinite(v) for v in split)):
        return "custom", (float(split[0]), float(split[1]))
    raise ValueError("The 'split' parameter of ipa must be one of 'mean', 'midpoint', 'diagonal', or a "
                     f"(performance, importance) pair of numbers. Got {split!r} instead.")


def _check_labels(labels) -> dict:
    if labels is None:
        return {}
    if not isinstance(labels, Mapping):
        raise TypeError(f"The 'labels' parameter of ipa must be a mapping quadrant code -> name, e.g. "
                        f"{{'concentrate': '重点改进区'}}. Got {type(labels).__name__} instead.")
    unknown = [k for k in labels if k not in QUADRANTS]
    if unknown:
        raise ValueError(f"The 'labels' parameter of ipa has unknown quadrant code(s) {first_names(unknown)}; the codes "
                         f"are {', '.join(map(repr, QUADRANTS))}.")
    bad = [k for k, v in labels.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise ValueError(f"The 'labels' parameter of ipa must give a non-empty text for each code; not so for "
                         f"{first_names(bad)}.")
    return dict(labels)


def _in_scale(values: pd.Series, scale, what: str) -> None:
    if scale is None:
        return
    out = (values < scale[0]) | (values > scale[1])
    if out.any():
        shown = ", ".join(f"{i!r} = {values[i]:.4g}" for i in values.index[out][:FIRST])
        raise DataError(f"The {what} of {out.sum()} item(s) lies outside the scale {scale[0]:g}-{scale[1]:g}: "
                        f"{shown}. Check scale_min / scale_max (a (performance, importance) pair sets the two "
                        "scales separately) or the missing-value codes (e.g. 98/99 left in the answers).")


# ---------------------------------------------------------------------------------------------
# derived importance


def _correlations(answers: pd.DataFrame, y: np.ndarray, w: np.ndarray, method: str, outcome: str):
    """Correlation of each column with ``y`` over the rows where both are answered (weighted Pearson if w varies)."""
    y_ok = ~np.isnan(y)
    if y_ok.sum() < 3:
        raise DataError(f"The outcome {outcome!r} of ipa has {y_ok.sum()} answer(s); derived importance needs at "
                        "least 3 (and variation).")
    if np.ptp(y[y_ok]) == 0:
        raise DataError(f"The outcome {outcome!r} of ipa is constant ({y[y_ok][0]:g} in all {y_ok.sum()} answered "
                        "rows), so no item can correlate with it. Use stated importance, or another outcome.")
    r, n_pairs, problems = {}, {}, []
    for item in answers.columns:
        x = answers[item].to_numpy(dtype=float)
        ok = y_ok & ~np.isnan(x)
        n_pairs[item] = int(ok.sum())
        xs, ys, ws = x[ok], y[ok], w[ok]
        if len(xs) < 3:
            problems.append(f"{item!r}: {len(xs)} respondent(s) answered both it and the outcome")
            continue
        if np.ptp(xs) == 0 or np.ptp(ys) == 0:
            which = "the item" if np.ptp(xs) == 0 else "the outcome"
            problems.append(f"{item!r}: {which} is constant over the {len(xs)} respondents who answered both")
            continue
        if method == "spearman":
            xs, ys = stats.rankdata(xs), stats.rankdata(ys)
        ws = ws / ws.sum()
        dx, dy = xs - ws @ xs, ys - ws @ ys
        r[item] = float(ws @ (dx * dy) / np.sqrt((ws @ dx ** 2) * (ws @ dy ** 2)))
    if problems:
        raise DataError(f"Derived importance (correlation with {outcome!r}) is undefined for {len(problems)} "
                        f"item(s): {'; '.join(problems[:FIRST])}. Drop those items or use stated importance.")
    return pd.Series(r, dtype=float), pd.Series(n_pairs).astype("Int64")


# ---------------------------------------------------------------------------------------------
# ipa


def _unit_range(values: pd.Series, scale) -> tuple[float, float]:
    if scale is not None:
        return scale
    lo, hi = float(values.min()), float(values.max())
    return (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)


def _check_options(language, correlation, labels, split, data, importance):
    """The quadrant names given and the split (method, values), after checking ipa's options."""
    check_option("language", language, IPA_LANGUAGES, function="ipa")
    check_option("correlation", correlation, CORRELATIONS, function="ipa")
    overrides = _check_labels(labels)
    split = _check_split(split)
    if data is not None and not isinstance(data, pd.DataFrame):
        raise TypeError(f"The 'data' parameter of ipa must be a DataFrame. Got {type(data).__name__} instead.")
    if isinstance(importance, str):
        check_option("importance", importance, ("derived",), function="ipa")
    return overrides, split


def _performance(performance, data, weights, function: str):
    """Performance by item with its number of answers, and the answers with their weights (None for means)."""
    if isinstance(performance, (list, tuple, pd.Index)) and data is not None:
        missing = [c for c in performance if c not in data.columns]
        if missing:
            raise ValueError(f"The 'performance' parameter of ipa names {len(missing)} column(s) that are not in "
                             f"data: {first_names(missing)}.")
        performance = data[list(performance)]
    if isinstance(performance, pd.DataFrame):
        if performance.shape[1] == 0:
            raise DataError("The 'performance' answers of ipa have no item columns.")
        answers = numeric_frame(performance, function=function)
        n = len(answers)
        w = check_weights(None if weights is None else _column(weights, data, "weights", n, answers.index), n,
                          answers.index, function)
        perf, n_obs = _item_means(answers, w, "performance")
        return perf, n_obs, answers, w
    if weights is not None:
        raise ValueError("The 'weights' parameter of ipa applies to answers; performance was given as means. "
                         "Pass the DataFrame of answers instead (the weighted means are computed), or drop "
                         "weights.")
    perf = _means(performance, "performance")
    return perf, pd.Series(pd.NA, index=perf.index, dtype="Int64"), None, None


def _importance(importance, answers, w, data, outcome, weights, correlation: str):
    """Importance by item, pairs used by item (derived only), the method and the outcome's name."""
    function = "ipa"
    derived = isinstance(importance, str)
    if importance is None:
        raise ValueError("The 'importance' parameter of ipa is missing: pass stated importance (a mapping / Series "
                         "item -> mean, or a DataFrame of importance answers), 'derived' with an outcome, or a "
                         "driver result.")
    if not derived and outcome is not None:
        raise ValueError("The 'outcome' parameter of ipa is used only with importance='derived'.")
    if not derived and correlation != "pearson":
        raise ValueError("The 'correlation' parameter of ipa applies to importance='derived' only.")
    no_pairs = pd.Series(pd.NA, index=pd.Index([]), dtype="Int64")
    if derived:
        return _derived_importance(answers, w, data, outcome, weights, correlation)
    if isinstance(importance, pd.DataFrame):
        stated_answers = numeric_frame(importance, function=function)
        wi = check_weights(None if weights is None else _column(weights, data, "weights", len(stated_answers),
                                                                 stated_answers.index),
                           len(stated_answers), stated_answers.index, function)
        return _item_means(stated_answers, wi, "importance")[0], no_pairs, "stated", None
    if not isinstance(importance, (Mapping, pd.Series)) and hasattr(importance, "importance"):
        shares = importance.importance
        if isinstance(shares, pd.DataFrame) and "share" in shares.columns:
            shares = shares["share"]
        return _means(shares, "importance"), no_pairs, "drivers", None
    return _means(importance, "importance"), no_pairs, "stated", None


def _derived_importance(answers, w, data, outcome, weights, correlation: str):
    """Each item's correlation with the outcome, pairs used by item, the method and the outcome's name."""
    if answers is None:
        raise ValueError("importance='derived' in ipa correlates each item's answers with the outcome, so "
                         "'performance' must be the DataFrame of answers, not means.")
    if outcome is None:
        raise ValueError("importance='derived' in ipa needs 'outcome': the overall rating (e.g. overall "
                         "satisfaction) as a Series, array or column name of data.")
    if correlation == "spearman" and weights is not None:
        raise ValueError("The 'correlation' parameter of ipa: a weighted Spearman correlation is not defined "
                         "here; use correlation='pearson' with weights, or drop the weights.")
    if isinstance(outcome, str):
        outcome_name = outcome
    elif isinstance(outcome, pd.Series) and outcome.name is not None:
        outcome_name = str(outcome.name)
    else:
        outcome_name = "outcome"
    raw_y = _column(outcome, data, "outcome", len(answers), answers.index)
    try:
        y = pd.to_numeric(pd.Series(raw_y)).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise DataError(f"The outcome {outcome_name!r} of ipa is not numeric; code it as numbers first.") from None
    check_finite(y, [outcome_name], answers.index, "ipa", what="The outcome")
    imp, n_pairs = _correlations(answers, y, w, correlation, outcome_name)
    return imp, n_pairs, f"derived_{correlation}", outcome_name


def _aligned(imp: pd.Series, items: pd.Index, method: str, outcome_name) -> tuple[pd.Series, list]:
    """Importance in the order of the performance items (every item needed), and the notes to warn with."""
    notes = []
    absent = [i for i in items if i not in imp.index]
    if absent:
        raise DataError(f"Importance is missing for {len(absent)} of the {len(items)} performance items: "
                        f"{first_names(absent)}. Give importance for every item (the ids must match the performance "
                        "items exactly), or drop those items.")
    extra = [i for i in imp.index if i not in items]
    if extra:
        notes.append(f"Importance was given for {len(extra)} item(s) not in performance, ignored: {first_names(extra)}.")
    imp = imp.reindex(items)
    if method.startswith("derived") and (imp < 0).any():
        neg = imp.index[imp < 0]
        notes.append(f"{len(neg)} item(s) correlate negatively with {outcome_name!r}: {first_names(neg)}; check that "
                     "reverse-worded items were recoded. They count as low importance.")
    if len(items) < 3:
        notes.append(f"Only {len(items)} item(s): the grand means and quadrants of so few points say little; IPA "
                     "is meant for a list of attributes.")
    return imp, notes


def _on_scales(perf: pd.Series, imp: pd.Series, scale_min, scale_max, stated: bool):
    """The scales of performance and importance (None: no scale) and the ranges that map each to 0-1."""
    p_scale, i_scale = _scales(scale_min, scale_max, stated=stated)
    _in_scale(perf, p_scale, "performance")
    _in_scale(imp, i_scale, "importance")
    return (p_scale, i_scale), (_unit_range(perf, p_scale), _unit_range(imp, i_scale))


def _crosshair(split_method: str, split_values, perf: pd.Series, imp: pd.Series, p_scale, i_scale):
    """The (performance, importance) split that sorts the items, and the note that says how it was chosen."""
    grand = (float(perf.mean()), float(imp.mean()))
    if split_method in ("mean", "diagonal"):
        cross = grand
        split_note = (f"Split at the grand means: performance {grand[0]:.4g}, importance {grand[1]:.4g}")
    elif split_method == "midpoint":
        if p_scale is None:
            raise ValueError("split='midpoint' in ipa needs the scale end points: pass scale_min and scale_max "
                             "(e.g. 1 and 5).")
        cross = (sum(p_scale) / 2, sum(i_scale) / 2 if i_scale is not None else grand[1])
        split_note = (f"Split at the scale midpoints: performance {cross[0]:.4g}, importance {cross[1]:.4g}"
                      + ("" if i_scale is not None else " (the grand mean: importance has no rating scale)"))
    else:
        cross = split_values
        split_note = f"Split at performance {cross[0]:.4g}, importance {cross[1]:.4g} (given)"
    if split_method == "diagonal":
        how = ["scale end points" if s is not None else "lowest and highest item" for s in (p_scale, i_scale)]
        split_note = ("Iso-priority diagonal: importance = performance on a common 0-1 scale (performance: "
                      f"{how[0]}; importance: {how[1]}); items on or below it split at the grand means "
                      f"(performance {grand[0]:.4g}, importance {grand[1]:.4g})")
    return cross, split_note


def _quadrants(perf: pd.Series, imp: pd.Series, gap: pd.Series, cross, split_method: str):
    """Each item's quadrant code and its priority (1 = fix first)."""
    high_p = (perf >= cross[0]).to_numpy()
    high_i = (imp >= cross[1]).to_numpy()
    quadrant = np.where(high_i, np.where(high_p, "keep_up", "concentrate"),
                        np.where(high_p, "overkill", "low_priority")).astype(object)
    if split_method == "diagonal":
        above = (gap > _ON_LINE).to_numpy()
        quadrant = np.where(above, "concentrate",
                            np.where(high_i, "keep_up", np.where(high_p, "overkill", "low_priority"))).astype(object)
    first = quadrant != "concentrate"
    order = np.lexsort((-gap.to_numpy(), first))  # concentrate first, then by decreasing gap; stable by input
    priority = np.empty(len(perf), dtype=int)
    priority[order] = np.arange(1, len(perf) + 1)
    return quadrant, priority


def ipa(performance, importance=None, *, data=None, outcome=None, split="mean", scale_min=None, scale_max=None,
        labels=None, language="both", weights=None, correlation="pearson") -> IPAResult:
    """Importance-performance analysis (IPA, 四分图): sort attributes into four action quadrants.

    Parameters
    ----------
    performance : mapping, Series, DataFrame or list of str
        A mapping / Series item -> mean performance (satisfaction) rating; or a DataFrame of
        answers, one column per item, NaN for no answer (its mean per item is computed,
        weighted by ``weights``, with the number of answers); or a list of columns of ``data``.
    importance : mapping, Series, DataFrame, 'derived' or driver result
        Stated importance (item -> mean rating, or a DataFrame of importance answers averaged
        like performance); ``'derived'``: each item's ``correlation`` with ``outcome`` over the
        respondents who answered both (needs answers as ``performance``); or an object with
        an ``importance`` Series item -> share, such as a key-driver result. Extra items are
        ignored with a warning; a missing one is an error.
    data : DataFrame, optional
        Where ``outcome``, ``weights`` and a list ``performance`` are looked up by column name.
    outcome : str, Series or array-like, optional
        The overall rating derived importance correlates with (e.g. overall satisfaction),
        one value per respondent aligned with the answers (a Series must share their index).
    split : {'mean', 'midpoint', 'diagonal'} or (float, float), default 'mean'
        Where the quadrants divide. 'mean': the grand means (over items) of performance and
        importance (Martilla & James 1977). 'midpoint': the scale midpoints (scale_min +
        scale_max) / 2 (importance without a rating scale: its grand mean). 'diagonal': the
        iso-priority line importance = performance on the common 0-1 scale (module docstring).
        A pair of numbers: the crosshair (performance, importance) itself.
    scale_min, scale_max : float or (float, float), optional
        End points of the rating scale (e.g. 1 and 5). A number applies to performance, and
        to stated importance; a (performance, importance) pair sets each (None for none).
        Needed for 'midpoint'; used by 'diagonal' (and ``gap``) to put both on 0-1. Means
        outside the scale raise.
    labels : mapping, optional
        Quadrant code -> name, overriding the defaults (e.g. ``{'low_priority': '次要区'}``).
    language : {'both', 'zh', 'en'}, default 'both'
        Language of the default names in ``quadrant_label``: 'zh' 优势区, 'en' Keep up the
        good work, 'both' 优势区 Keep up the good work.
    weights : array-like or str, optional
        Survey weights, one per respondent (or a column of ``data``), positive and finite:
        weighted means sum w x / sum w, weighted Pearson derived importance. Only with answers.
    correlation : {'pearson', 'spearman'}, default 'pearson'
        The correlation of derived importance. Spearman (ranks with ties averaged) takes no
        weights.

    Returns
    -------
    IPAResult
        ``table`` by item with performance, importance, quadrant, quadrant_label, gap,
        priority, n_obs, n_pairs; ``split`` the crosshair; ``items_in(code)``.

    Raises
    ------
    DataError
        An item without answers or a value, values that are not numbers, means outside the
        scale, an item missing from importance, an outcome (or an item where it meets the
        outcome) that is constant or has fewer than 3 answers.
    ValueError, TypeError
        A bad option (``split``, ``language``, ``correlation``, ``labels``, scales), 'derived'
        without answers or an outcome, an outcome without 'derived', weights with means or
        with Spearman, lengths that differ.

    Warns
    -----
    SurveykitWarning
        Fewer than 3 items (the grand means then say little); importance items that are not
        in performance (ignored); items correlating negatively with the outcome (check
        reverse coding).

    Notes
    -----
    Quadrants (Martilla & James 1977) and the diagonal split (Slack 1994): module docstring.
    Derived importance is as R ``cor(x, y, use = "complete.obs")``; weighted, as
    ``cov.wt(cbind(x, y), wt = w, cor = TRUE)`` on those rows (no standard errors). Driver
    shares are used as given. SPSS has no IPA procedure (a scatter plot with reference lines
    at the means).

    Examples
    --------
    >>> from surveykit.indices.ipa import ipa
    >>> performance = {"质量": 4.3, "价格": 3.1, "服务": 3.4, "物流": 4.1}
    >>> importance = {"质量": 4.6, "价格": 4.4, "服务": 3.2, "物流": 3.5}
    >>> r = ipa(performance, importance, language="zh")
    >>> r.table["quadrant_label"].to_dict()
    {'质量': '优势区', '价格': '修补区', '服务': '机会区', '物流': '维持区'}
    >>> r.split
    (3.725, 3.925)
    >>> ipa(performance, importance, split="diagonal", scale_min=1, scale_max=5).items_in("concentrate")
    ['价格', '质量']
    """
    function = "ipa"
    overrides, (split_method, split_values) = _check_options(language, correlation, labels, split, data, importance)
    perf, n_obs, answers, w = _performance(performance, data, weights, function)
    items = perf.index
    imp, n_pairs, method, outcome_name = _importance(importance, answers, w, data, outcome, weights, correlation)
    imp, notes = _aligned(imp, items, method, outcome_name)

    (p_scale, i_scale), (p_range, i_range) = _on_scales(perf, imp, scale_min, scale_max, method == "stated")
    cross, split_note = _crosshair(split_method, split_values, perf, imp, p_scale, i_scale)
    gap = (imp - i_range[0]) / (i_range[1] - i_range[0]) - (perf - p_range[0]) / (p_range[1] - p_range[0])
    quadrant, priority = _quadrants(perf, imp, gap, cross, split_method)

    names = quadrant_labels(language, overrides)
    table = pd.DataFrame({"performance": perf.to_numpy(), "importance": imp.to_numpy(), "quadrant": quadrant,
                          "quadrant_label": [names[q] for q in quadrant], "gap": gap.to_numpy(),
                          "priority": priority, "n_obs": n_obs.reindex(items).to_numpy(),
                          "n_pairs": n_pairs.reindex(items).to_numpy()},
                         index=pd.Index(items, name="item")).astype({"n_obs": "Int64", "n_pairs": "Int64"})
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=2)
    return IPAResult(table=table, split=(float(cross[0]), float(cross[1])), split_method=split_method,
                     method=method, language=language, labels=names,
                     performance_range=(float(p_range[0]), float(p_range[1])),
                     importance_range=(float(i_range[0]), float(i_range[1])), label_overrides=overrides,
                     outcome=outcome_name, n_obs=None if answers is None else len(answers),
                     weighted=weights is not None, split_note=split_note, notes=tuple(notes))
