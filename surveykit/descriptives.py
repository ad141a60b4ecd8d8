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

__all__ = ["describe_items", "ItemDescriptives", "SurveyDescriptives", "describe_survey", "SampleProfile", "profile_segments"]


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
        The same as counts.
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
                   f"top/bottom box = {self.top_k} highest/lowest categories, of valid answers"],
            tables=[("Items", t)],
        )

    def __repr__(self) -> str:
        return (f"<ItemDescriptives n_items={len(self.table)} scale={self.scale_min:g}-{self.scale_max:g} "
                f"n_obs_max={int(self.table['n_obs'].max()) if len(self.table) else 0}>")


def describe_items(data: pd.DataFrame, *, scale_min: float, scale_max: float, top_k: int = 2,
                   item_labels: dict | None = None, category_labels: dict | None = None,
                   scale: str | None = None) -> ItemDescriptives:
    """Describe rating items on one scale.

    Parameters
    ----------
    data : DataFrame
        Items as columns, codes as values, missing answers as NaN.
    scale_min, scale_max : float
        The scale's end points (the categories are the whole numbers between them).
    top_k : int, default 2
        How many categories make the top (and bottom) box.

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
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / n[:, None]
        mean = np.nansum(x, axis=0) / n
        dev = np.where(np.isnan(x), 0.0, x - mean)
        sd = np.sqrt((dev ** 2).sum(axis=0) / (n - 1))
    median = pd.DataFrame(x).median(axis=0).to_numpy()
    table = pd.DataFrame({
        "n_obs": n, "n_missing": len(x) - n, "mean": mean, "sd": sd, "median": median,
        "top_box": shares[:, -top_k:].sum(axis=1), "bottom_box": shares[:, :top_k].sum(axis=1),
    }, index=pd.Index(data.columns, name="item"))
    table.loc[n == 0, ["top_box", "bottom_box"]] = np.nan
    return ItemDescriptives(
        table=table,
        distribution=pd.DataFrame(shares, index=table.index, columns=codes),
        counts=pd.DataFrame(counts, index=table.index, columns=codes),
        scale_min=float(scale_min), scale_max=float(scale_max), top_k=top_k,
        item_labels=dict(item_labels or {}), category_labels=dict(category_labels or {}), scale=scale,
    )


@dataclass(frozen=True)
class SurveyDescriptives(Result):
    """Item descriptives of a survey, one :class:`ItemDescriptives` per scale."""

    groups: dict[str, ItemDescriptives]

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([g.table.assign(scale=name) for name, g in self.groups.items()])

    def summary(self) -> Summary:
        tables = [(f"Scale {name!r}", g.summary().tables[0][1]) for name, g in self.groups.items()]
        return Summary(title="Item descriptives", lines=[f"{len(self.to_frame())} rating items"], tables=tables)

    def __repr__(self) -> str:
        return f"<SurveyDescriptives n_scales={len(self.groups)} n_items={sum(len(g.table) for g in self.groups.values())}>"


def describe_survey(data: "SurveyData", items=None, *, language: str | None = None) -> SurveyDescriptives:
    """Descriptives of the survey's likert and rating items (raw codes, as answered), by scale.

    ``language`` ('zh', 'en' or 'both'; default the questionnaire's) picks the item and
    category labels carried by the result.
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
            category_labels={float(c): t.get(lang) for c, t in scale.labels.items()},
        )
    return SurveyDescriptives(groups=groups)


@dataclass(frozen=True)
class SampleProfile(Result):
    """Who answered: counts and shares of each level of each segment variable.

    ``table`` has one row per (segment, level) with ``count`` and ``share`` (of respondents
    who answered that question) and ``label``; unanswered is shown as its own level with
    ``share`` NaN, so every respondent is counted once per segment.
    """

    table: pd.DataFrame
    n_obs: int

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        return Summary(title="Sample profile", lines=[f"{self.n_obs} respondents"], tables=[("Segments", self.table)])

    def __repr__(self) -> str:
        n_seg = self.table.index.get_level_values(0).nunique() if len(self.table) else 0
        return f"<SampleProfile n_obs={self.n_obs} n_segments={n_seg}>"


def profile_segments(data: "SurveyData") -> SampleProfile:
    """Counts and shares of every segment variable the questionnaire names."""
    q = data.questionnaire
    rows = []
    for seg in q.segments:
        s = data.segment(seg)
        counts = s.value_counts(sort=False, dropna=False)
        answered = int(s.notna().sum())
        label = q.item(seg).text.get(q.language)
        for level, n in counts.items():
            missing = pd.isna(level)
            rows.append({"segment": seg, "level": "(no answer)" if missing else str(level), "label": label,
                         "count": int(n), "share": np.nan if missing or not answered else n / answered})
    table = pd.DataFrame(rows, columns=["segment", "level", "label", "count", "share"]).set_index(["segment", "level"])
    return SampleProfile(table=table, n_obs=data.n_respondents)
