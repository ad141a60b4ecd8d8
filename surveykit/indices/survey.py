"""Every index the questionnaire's roles allow, overall and by segment (``SurveyData.indices``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from ..errors import DataError, QuestionnaireError, check_option
from .composite import composite_index
from .nps import nps, top_box
from .value import (
    KOTLER_COST_PARTS,
    KOTLER_VALUE_PARTS,
    perceived_value,
    relationship_value,
)

__all__ = ["SurveyIndices", "survey_indices"]

# index -> (zh, en) label
LABELS = {
    "satisfaction_index": ("顾客满意度指数（0-100）", "Satisfaction index (0-100)"),
    "loyalty_index": ("顾客忠诚度指数（0-100）", "Loyalty index (0-100)"),
    "value_index": ("感知价值指数（0-100）", "Perceived value index (0-100)"),
    "nps": ("净推荐值 NPS（-100~100）", "Net Promoter Score (-100 to 100)"),
    "top2_box": ("{item} 前两箱比例", "{item}: top-2-box share"),
    "value_difference": ("感知价值：利得 − 利失（量表分）", "Perceived value: benefits − sacrifices (scale points)"),
    "value_ratio": ("感知价值：利得 / 利失", "Perceived value: benefits / sacrifices"),
    "delivered_value": ("客户让渡价值：总价值 − 总成本（Kotler）", "Customer delivered value: value − cost (Kotler)"),
    "delivered_value_ratio": ("客户让渡价值：总价值 / 总成本（Kotler）", "Customer delivered value: value / cost (Kotler)"),
    "relationship_value": ("关系价值比（Grönroos）", "Relationship value ratio (Grönroos)"),
}
OVERALL = "(overall)"
COLUMNS = ["index", "label", "segment", "level", "estimate", "se", "ci_low", "ci_high", "ci_method", "n_obs",
           "effective_n"]


def _label(key: str, language: str, item=None) -> str:
    """The label of an index; ``item`` is the questionnaire Text of the item it is about."""
    zh, en = (t.format(item="" if item is None else item.get(lang)) for t, lang in zip(LABELS[key], ("zh", "en")))
    return {"zh": zh, "en": en}.get(language, f"{zh} / {en}")


@dataclass(frozen=True)
class SurveyIndices:
    """The indices of a survey, overall and by segment.

    Attributes
    ----------
    table : DataFrame
        Long format, one row per index and group: ``index`` (key), ``label``, ``segment``
        (``'(overall)'`` or the segment variable), ``level``, ``estimate``, ``se``,
        ``ci_low``, ``ci_high``, ``ci_method``, ``n_obs``, ``effective_n``. A group whose index
        cannot be computed (no answers, a single respondent) has NaN and a note.
    results : dict
        The overall result object of each index (``IndexResult``, ``NPSResult``, ``ValueResult`` ...).
    segments : tuple of str
    weighted : bool
        Whether the questionnaire's weight column was used.
    notes : tuple of str
        What was skipped and why (a role the questionnaire lacks, a group too small).
    """

    table: pd.DataFrame
    results: dict
    segments: tuple[str, ...]
    weighted: bool
    language: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def overall(self) -> pd.DataFrame:
        """One row per index: the whole sample."""
        t = self.table[self.table["segment"] == OVERALL]
        return t.drop(columns=["segment", "level"]).set_index("index")

    def by_segment(self, segment: str) -> pd.DataFrame:
        """Estimates by level of one segment variable: rows levels, columns indices."""
        if segment not in self.segments:
            raise KeyError(f"No segment {segment!r}; the segments are {list(self.segments)}.")
        t = self.table[self.table["segment"] == segment]
        return t.pivot(index="level", columns="index", values="estimate").reindex(
            index=pd.unique(t["level"]), columns=pd.unique(t["index"]))

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [f"{self.overall.shape[0]} indices, overall and by {len(self.segments)} segments"
                 + (" (weighted)" if self.weighted else " (unweighted)"), *self.notes]
        tables = [("Overall", self.overall[["label", "estimate", "ci_low", "ci_high", "n_obs"]])]
        tables += [(f"By {s}", self.by_segment(s)) for s in self.segments]
        return Summary(title="Indices", lines=lines, tables=tables)

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return (f"<SurveyIndices n_indices={self.overall.shape[0]} segments={list(self.segments)} "
                f"weighted={self.weighted}>")


def _scale_points(q, items) -> tuple[dict, dict]:
    lo = {i: q.scale_of(i).min for i in items}
    hi = {i: q.scale_of(i).max for i in items}
    return lo, hi


def _plan(data, language: str, notes: list) -> list[tuple[list, Callable]]:
    """For every index the roles allow: ([(key, label, row)], compute(rows, weights, **bootstrap) -> result).

    ``row`` is None for the result's own estimate, or the row of its ``table`` to report
    (one value result gives two lines: the difference and the ratio).
    """
    q = data.questionnaire
    scored = data.scored_items()
    plan = []

    def ordered(items):
        return [i for i in items if q.scale_of(i).is_ordered and q.scale_of(i).min is not None]

    def composite(key, items):
        lo, hi = _scale_points(q, items)
        return lambda rows, w, **boot: composite_index(scored.loc[rows, items], scale_min=lo, scale_max=hi,
                                                       weights=w, name=key, **boot)

    sat = ordered(q.resolve_role("satisfaction"))
    if sat:
        plan.append(([("satisfaction_index", _label("satisfaction_index", language), None)],
                     composite("satisfaction_index", sat)))
        for item in sat:
            scale = q.scale_of(item)
            plan.append(([(f"top2_box:{item}", _label("top2_box", language, q.item(item).text), None)],
                         lambda rows, w, item=item, scale=scale, **boot: top_box(
                             scored.loc[rows, item], scale_min=int(scale.min), scale_max=int(scale.max), weights=w,
                             **boot)))
    else:
        notes.append("No satisfaction index: the questionnaire has no 'satisfaction' role.")
    loyal = ordered(dict.fromkeys([*q.resolve_role("loyalty"), *q.resolve_role("repurchase"), *q.resolve_role("nps"),
                                   *q.resolve_role("price_tolerance")]))
    if loyal:
        plan.append(([("loyalty_index", _label("loyalty_index", language), None)], composite("loyalty_index", loyal)))
    else:
        notes.append("No loyalty index: the questionnaire has no 'loyalty', 'repurchase', 'nps' or 'price_tolerance' "
                     "role.")
    nps_items = q.resolve_role("nps")
    if len(nps_items) == 1:
        item = nps_items[0]
        plan.append(([("nps", _label("nps", language), None)],
                     lambda rows, w, **boot: nps(scored.loc[rows, item], weights=w, **boot)))
    elif nps_items:
        notes.append(f"No NPS: the 'nps' role names {len(nps_items)} items; it must name the one 0-10 item.")
    value_items = ordered(q.resolve_role("perceived_value"))
    if value_items:
        plan.append(([("value_index", _label("value_index", language), None)], composite("value_index", value_items)))
    benefits, sacrifices = q.roles.get("perceived_benefits"), q.roles.get("perceived_sacrifices")
    if benefits is not None and sacrifices is not None:
        scores = data.construct_scores()

        def parts(ref):  # a construct's score (mean of its items, its min_valid rule), or an item
            ref = ref if isinstance(ref, dict) else {ref: ref}
            return {k: (scores if r in q.constructs else scored)[[r]] for k, r in ref.items()}

        def items_of(ref):
            ref = ref if isinstance(ref, dict) else {ref: ref}
            return [i for r in ref.values() for i in (q.constructs[r].items if r in q.constructs else (r,))]

        b_parts, s_parts = parts(benefits), parts(sacrifices)
        low = min(q.scale_of(i).min for i in (*items_of(benefits), *items_of(sacrifices)))
        kotler = set(b_parts) == set(KOTLER_VALUE_PARTS) and set(s_parts) == set(KOTLER_COST_PARTS)
        gronroos = set(b_parts) == {"episode", "relationship"} and set(s_parts) == {"episode", "relationship"}
        key = "delivered_value" if kotler else "value_difference"
        ratio_key = "delivered_value_ratio" if kotler else "value_ratio"

        def value(rows, w, **boot):
            return perceived_value({k: v.loc[rows] for k, v in b_parts.items()},
                                   {k: v.loc[rows] for k, v in s_parts.items()}, scale_min=low, weights=w, **boot)

        lines = [(key, _label(key, language), "difference")]
        if low > 0:
            lines.append((ratio_key, _label(ratio_key, language), "ratio"))
        plan.append((lines, value))
        if gronroos:
            plan.append(([("relationship_value", _label("relationship_value", language), None)],
                         lambda rows, w, **boot: relationship_value(
                             b_parts["episode"].loc[rows], b_parts["relationship"].loc[rows],
                             s_parts["episode"].loc[rows], s_parts["relationship"].loc[rows], scale_min=low,
                             weights=w, **boot)))
    else:
        notes.append("No perceived value (benefits vs sacrifices): the questionnaire needs both roles "
                     "'perceived_benefits' and 'perceived_sacrifices'.")
    return plan


def survey_indices(data, *, segments=None, bootstrap: int = 0, ci_method: str = "bca", seed=None,
                   min_group: int = 2, language: str | None = None) -> SurveyIndices:
    """Every index the questionnaire's roles allow, overall and by each segment.

    Satisfaction index (role ``satisfaction``) and the top-2-box share of each satisfaction
    item; loyalty index (``loyalty``, ``repurchase``, ``nps``, ``price_tolerance`` items, each
    rescaled by its own scale); NPS (``nps``); perceived value index (``perceived_value``
    items); perceived value as benefits - sacrifices and benefits / sacrifices
    (``perceived_benefits`` and ``perceived_sacrifices``; labelled Kotler's delivered value
    when their parts are his four value and four cost parts); Gronroos' relationship value
    when both roles have the parts ``episode`` and ``relationship``. Reverse-worded items are
    recoded first; weighted by the questionnaire's weight column when it names one.

    Parameters
    ----------
    data : SurveyData
    segments : sequence of str, optional
        Segment variables (default: the questionnaire's ``segments``).
    bootstrap : int, default 0
        Bootstrap resamples for every interval (0: normal intervals, design-based SEs).
    ci_method : {'bca', 'percentile'}
    seed : int, optional
        Seed of the bootstraps (each index and group gets its own stream from it).
    min_group : int, default 2
        Groups with fewer respondents are not estimated (a note says so).
    language : {'zh', 'en', 'both'}, optional
        Language of the labels (default: the questionnaire's).

    Returns
    -------
    SurveyIndices

    Examples
    --------
    >>> import surveykit as sk
    >>> ix = sk.example_data().indices()
    >>> bool(ix.overall.loc["nps", "n_obs"] > 0)
    True
    """
    q = data.questionnaire
    lang = language or q.language
    check_option("language", lang, ("zh", "en", "both"), function="indices")
    segs = tuple(q.segments if segments is None else segments)
    unknown = [s for s in segs if s not in data.responses.columns]
    if unknown:
        raise QuestionnaireError(q.id, [("segments", f"unknown segment variable {s!r}") for s in unknown])
    weights = None
    if q.weight is not None:
        weights = data.meta["weight"].to_numpy(float)
    notes: list[str] = []
    plan = _plan(data, lang, notes)
    if not plan:
        raise QuestionnaireError(q.id, [("roles", ("no index can be computed: name at least one of the roles "
                                                  "satisfaction, loyalty, nps, perceived_value, or "
                                                  "perceived_benefits with perceived_sacrifices"))])
    seeds = np.random.SeedSequence(seed)
    groups = [(OVERALL, "", np.ones(data.n_respondents, bool))]
    for s in segs:
        labelled = data.segment(s) if q.scale_of(s).labels else data.responses[s]
        missing = int(labelled.isna().sum())
        if missing:
            notes.append(f"{s}: {missing} respondents without an answer are in no group of this segment.")
        for level in (labelled.cat.categories if isinstance(labelled.dtype, pd.CategoricalDtype)
                      else sorted(labelled.dropna().unique())):
            groups.append((s, level, (labelled == level).to_numpy()))
    rows, results = [], {}
    for segment, level, mask in groups:
        idx = data.responses.index[mask]
        w = None if weights is None else weights[mask]
        where = "overall" if segment == OVERALL else f"{segment} = {level}"
        for lines, compute in plan:
            first = lines[0][1]
            r = None
            if mask.sum() < min_group:
                notes.append(f"{first} ({where}): not estimated, {int(mask.sum())} respondent(s) in the group "
                             f"(at least {min_group} needed).")
            else:
                boot = {"bootstrap": bootstrap, "ci_method": ci_method,
                        "seed": np.random.default_rng(seeds.spawn(1)[0])} if bootstrap else {}
                try:
                    r = compute(idx, w, **boot)
                except DataError as e:
                    notes.append(f"{first} ({where}): not estimated: {e}")
            for key, label, line in lines:
                row = {"index": key, "label": label, "segment": segment, "level": level}
                if r is not None:
                    if segment == OVERALL:
                        results[key] = r
                    values = r.table.loc[line] if line is not None else r
                    row.update({c: float(getattr(values, c) if line is None else values[c])
                                for c in ("estimate", "se", "ci_low", "ci_high")})
                    row.update(ci_method=r.ci_method, n_obs=r.n_obs, effective_n=r.effective_n)
                rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    table["n_obs"] = table["n_obs"].astype("Int64")
    return SurveyIndices(table, results, segs, weights is not None, lang, tuple(notes))
