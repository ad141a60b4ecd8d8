"""Item descriptives: n, mean, sd, distribution and top-/bottom-box of rating items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._render import Summary
from ._result import Result

if TYPE_CHECKING:  # pragma: no cover
    from .data import SurveyData

__all__ = ["effective_n_text", "weight_note", "describe_items", "ItemDescriptives", "SurveyDescriptives", "describe_survey", "SampleProfile", "profile_segments"]


@dataclass(frozen=True)
class ItemDescriptives(Result):
    """Descriptives of items that share one scale.

    Attributes
    ----------
    table : DataFrame
        Indexed by item: ``n_obs``, ``n_missing``, ``mean``, ``sd`` (n - 1 denominator, as
        SPSS and R ``sd``), ``median``, ``top_box`` and ``bottom_box`` (shares of valid
        answers in the ``top_k`` highest / lowest categories).
    distribution : DataFrame
        Indexed by item, one column per scale code: share of valid answers.
    counts : DataFrame
        The same as counts (unweighted).
    weighted : bool
        Whether ``mean``, ``sd``, ``median``, the boxes and ``distribution`` are weighted; the
        table then has ``effective_n`` (Kish, per item) beside the unweighted ``n_obs``.
    """

    table: pd.DataFrame
    distribution: pd.DataFrame
    counts: pd.DataFrame
    scale_min: float
    scale_max: float
    top_k: int = 2
    item_labels: dict = field(default_factory=dict)
    category_labels: dict = field(default_factory=dict)
    scale: str | None = None
    weighted: bool = False

    @property
    def weight_note(self) -> str:
        """'weighted (Kish effective n = 412-430)' or 'unweighted'."""
        return weight_note(self.table["effective_n"] if self.weighted else None)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        t = self.table.copy()
        if self.item_labels:
            t.insert(0, "label", [self.item_labels.get(i, "") for i in t.index])
        name = f"scale {self.scale!r} " if self.scale else ""
        return Summary(
            title="Item descriptives",
            lines=[f"{len(t)} items on {name}{self.scale_min:g}-{self.scale_max:g}; "
                   f"top/bottom box = {self.top_k} highest/lowest categories, of valid answers; "
                   f"{self.weight_note}, n_obs unweighted"],
            tables=[("Items", t)],
        )

    def __repr__(self) -> str:
        return (f"<ItemDescriptives n_items={len(self.table)} scale={self.scale_min:g}-{self.scale_max:g} "
                f"n_obs_max={int(self.table['n_obs'].max()) if len(self.table) else 0}>")


def effective_n_text(effective_n) -> str:
    """Kish effective n rounded, '412', or a range '398-430' when it differs by item ('' if none)."""
    e = np.atleast_1d(np.asarray(effective_n, float))
    e = e[np.isfinite(e)]
    if not len(e):
        return ""
    lo, hi = round(float(e.min())), round(float(e.max()))
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def weight_note(effective_n=None) -> str:
    """'weighted (Kish effective n = 412)' (a range when it differs by item), or 'unweighted'."""
    if effective_n is None:
        return "unweighted"
    text = effective_n_text(effective_n)
    return f"weighted (Kish effective n = {text})" if text else "weighted"


def _weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per column, the smallest value whose weighted cumulative share reaches 1/2 (R ``svyquantile``,
    ``qrule = "math"``); NaN where a column has no answer."""
    out = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        ok = ~np.isnan(x[:, j])
        if ok.any():
            v, ww = x[ok, j], w[ok]
            order = np.argsort(v, kind="stable")
            cum = np.cumsum(ww[order]) / ww.sum()
            out[j] = v[order][np.searchsorted(cum, 0.5 - 1e-12)]
    return out


def describe_items(data: pd.DataFrame, *, scale_min: float, scale_max: float, top_k: int = 2,
                   item_labels: dict | None = None, category_labels: dict | None = None,
                   scale: str | None = None, weights=None) -> ItemDescriptives:
    """Describe rating items on one scale.

    Parameters
    ----------
    data : DataFrame
        Items as columns, codes as values, missing answers as NaN.
    scale_min, scale_max : float
        The scale's end points (the categories are the whole numbers between them).
    top_k : int, default 2
        How many categories make the top (and bottom) box.
    weights : array-like, optional
        Survey weights, one per row (positive). Mean, SD, median, boxes and distribution are
        then weighted as R ``survey::svymean``, ``svyvar``, ``svyquantile(qrule = "math")``
        and ``svytable`` give them, each over the item's valid answers; ``n_obs`` and
        ``counts`` stay unweighted and ``effective_n`` (Kish: (Σw)² / Σw²) is added.

    Returns
    -------
    ItemDescriptives

    Notes
    -----
    Statistics use the valid answers of each item (pairwise), as SPSS FREQUENCIES and R
    ``colMeans(x, na.rm = TRUE)`` do; "don't know" codes are missing, so they are out of the
    top-box base. Values outside the scale are rejected before this point (see ``validate``).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.descriptives import describe_items
    >>> d = describe_items(pd.DataFrame({"q1": [1, 4, 5, 5, None]}), scale_min=1, scale_max=5)
    >>> float(d.table.loc["q1", "top_box"])
    0.75
    """
    if top_k < 1 or top_k > (scale_max - scale_min + 1) / 2:
        raise ValueError(
            f"The 'top_k' parameter of describe_items must be between 1 and half the number of categories. Got {top_k!r} instead.")
    codes = np.arange(scale_min, scale_max + 1, dtype=float)
    x = data.to_numpy(dtype=float)
    counts = np.stack([(x == c).sum(axis=0) for c in codes], axis=1).astype(np.int64)
    n = (~np.isnan(x)).sum(axis=0)
    if weights is None:
        w = np.ones(len(x))
    else:
        from ._design import read_design

        w = read_design(len(x), data.index, weights, None, None, "describe_items").weights
    ok = ~np.isnan(x)
    wm = np.where(ok, w[:, None], 0.0)
    sw = wm.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.stack([(wm * (x == c)).sum(axis=0) for c in codes], axis=1) / sw[:, None]
        mean = (wm * np.where(ok, x, 0.0)).sum(axis=0) / sw
        dev = np.where(ok, x - mean, 0.0)
        # n / (n - 1) times the weighted mean square (R svyvar; the usual sd without weights)
        sd = np.sqrt((wm * dev ** 2).sum(axis=0) / sw * n / (n - 1))
        effective_n = sw ** 2 / (wm ** 2).sum(axis=0)
    median = pd.DataFrame(x).median(axis=0).to_numpy() if weights is None else _weighted_median(x, w)
    table = pd.DataFrame({
        "n_obs": n, "n_missing": len(x) - n, "mean": mean, "sd": sd, "median": median,
        "top_box": shares[:, -top_k:].sum(axis=1), "bottom_box": shares[:, :top_k].sum(axis=1),
    }, index=pd.Index(data.columns, name="item"))
    if weights is not None:
        table.insert(1, "effective_n", effective_n)
    table.loc[n == 0, ["top_box", "bottom_box"]] = np.nan
    return ItemDescriptives(
        table=table,
        distribution=pd.DataFrame(shares, index=table.index, columns=codes),
        counts=pd.DataFrame(counts, index=table.index, columns=codes),
        scale_min=float(scale_min), scale_max=float(scale_max), top_k=top_k,
        item_labels=dict(item_labels or {}), category_labels=dict(category_labels or {}), scale=scale,
        weighted=weights is not None,
    )


@dataclass(frozen=True)
class SurveyDescriptives(Result):
    """Item descriptives of a survey, one :class:`ItemDescriptives` per scale (weighted when the
    questionnaire names a weight column)."""

    groups: dict[str, ItemDescriptives]
    weighted: bool = False

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([g.table.assign(scale=name) for name, g in self.groups.items()])

    def summary(self) -> Summary:
        tables = [(f"Scale {name!r}", g.summary().tables[0][1]) for name, g in self.groups.items()]
        eff = self.to_frame()["effective_n"] if self.weighted else None
        return Summary(title="Item descriptives", lines=[f"{len(self.to_frame())} rating items; {weight_note(eff)}"],
                       tables=tables)

    def __repr__(self) -> str:
        return f"<SurveyDescriptives n_scales={len(self.groups)} n_items={sum(len(g.table) for g in self.groups.values())}>"


def describe_survey(data: "SurveyData", items=None, *, language: str | None = None) -> SurveyDescriptives:
    """Descriptives of the survey's likert and rating items (raw codes, as answered), by scale.

    ``language`` ('zh', 'en' or 'both'; default the questionnaire's) picks the item and
    category labels carried by the result. Weighted by the questionnaire's weight column when
    it names one (see :func:`describe_items`), as the indices are.

    Examples
    --------
    >>> import surveykit as sk
    >>> d = sk.example_data().describe()
    >>> d.weighted, sorted(d.groups)[:2]
    (False, ['agree5', 'expect5'])
    """
    q = data.questionnaire
    lang = language or q.language
    ids = list(items) if items is not None else [i for i in q.item_ids if q.scale_of(i).is_ordered]
    groups: dict[str, ItemDescriptives] = {}
    by_scale: dict[str, list[str]] = {}
    for i in ids:
        by_scale.setdefault(q.item(i).scale, []).append(i)
    for name, its in by_scale.items():
        scale = q.scales[name]
        groups[name] = describe_items(
            data.responses.loc[:, its], scale_min=scale.min, scale_max=scale.max, scale=name,
            item_labels={i: q.item(i).text.get(lang) for i in its},
            category_labels={float(c): t.get(lang) for c, t in scale.labels.items()}, weights=data.weights,
        )
    return SurveyDescriptives(groups=groups, weighted=data.weights is not None)


@dataclass(frozen=True)
class SampleProfile(Result):
    """Who answered: counts and shares of each level of each segment variable.

    ``table`` has one row per (segment, level) with ``count`` (respondents, unweighted) and
    ``share`` (of respondents who answered that question; weighted when ``weighted``, as R
    ``svytable`` / ``svymean`` of the factor) and ``label``; unanswered is shown as its own
    level with ``share`` NaN, so every respondent is counted once per segment.
    ``effective_n`` is Kish's effective sample size of the weights (None unweighted).
    """

    table: pd.DataFrame
    n_obs: int
    weighted: bool = False
    effective_n: float | None = None

    @property
    def weight_note(self) -> str:
        return weight_note(self.effective_n)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        return Summary(title="Sample profile", lines=[f"{self.n_obs} respondents; shares {self.weight_note}"],
                       tables=[("Segments", self.table)])

    def __repr__(self) -> str:
        n_seg = self.table.index.get_level_values(0).nunique() if len(self.table) else 0
        return f"<SampleProfile n_obs={self.n_obs} n_segments={n_seg}>"


def profile_segments(data: "SurveyData") -> SampleProfile:
    """Counts and shares of every segment variable the questionnaire names.

    Shares are weighted by the questionnaire's weight column when it names one; counts stay
    respondents.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.descriptives import profile_segments
    >>> p = profile_segments(sk.example_data())
    >>> p.weighted, int(p.table.loc["gender", "count"].sum())
    (False, 1500)
    """
    q = data.questionnaire
    weights = data.weights
    w = pd.Series(1.0 if weights is None else weights, index=range(data.n_respondents))
    rows = []
    for seg in q.segments:
        s = data.segment(seg).reset_index(drop=True)
        counts = s.value_counts(sort=False, dropna=False)
        totals = w.groupby(s, sort=False, dropna=False, observed=False).sum()
        answered = float(w[s.notna()].sum())
        label = q.item(seg).text.get(q.language)
        for level, n in counts.items():
            missing = pd.isna(level)
            share = np.nan if missing or not answered else float(totals.get(level, 0.0)) / answered
            rows.append({"segment": seg, "level": "(no answer)" if missing else str(level), "label": label,
                         "count": int(n), "share": share})
    table = pd.DataFrame(rows, columns=["segment", "level", "label", "count", "share"]).set_index(["segment", "level"])
    eff = None if weights is None else float(weights.sum() ** 2 / (weights ** 2).sum())
    return SampleProfile(table=table, n_obs=data.n_respondents, weighted=weights is not None, effective_n=eff)
