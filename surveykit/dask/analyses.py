"""Analyses of a DaskSurveyData: each partition reduced to sufficient statistics, merged exactly.

Every function here equals its pandas counterpart on the same responses (sums and moments to
1e-12 relative, counts exactly) whatever the partitioning, because the pandas statistics are
functions of the same sums (``surveykit._moments``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import reduce

import numpy as np
import pandas as pd

from .. import _moments as mo
from .._design import interval
from .._labels import index_label
from .._render import Summary
from .._result import Result
from ..descriptives import ItemDescriptives, SurveyDescriptives
from ..errors import DataError, QuestionnaireError, check_option
from ..indices.nps import nps_points
from ..scoring import reverse_code
from .read import DaskSurveyData, require_dask

__all__ = ["DaskIndices", "ItemCovariance", "describe_dask", "indices_dask", "item_covariance_dask",
           "survey_summary_dask"]

OVERALL = "(overall)"
COLUMNS = ["index", "label", "segment", "level", "estimate", "se", "ci_low", "ci_high", "ci_method", "n_obs",
           "effective_n"]


def _reduce(data: DaskSurveyData, *steps):
    """Run each ``step(partition) -> statistics`` on every partition in one pass; the merged statistics of each."""
    dask, _ = require_dask()
    parts = data.frame.to_delayed()
    out = dask.compute(*[dask.delayed(lambda p, s=s: s(p))(part) for part in parts for s in steps])
    k = len(steps)
    return [reduce(mo.merge, out[j::k]) for j in range(k)]


def _weights(frame: pd.DataFrame, data: DaskSurveyData):
    if not data.weighted:
        return None
    w = frame["weight"].to_numpy(float)
    bad = ~(w > 0) | ~np.isfinite(w)
    if bad.any():
        rows = frame["source_row"].to_numpy()[bad][:5].tolist()
        raise DataError(f"{int(bad.sum())} respondents of a partition have a missing, zero or negative weight "
                        f"(source rows {rows}); correct the weights or exclude these respondents before analysing.")
    return w


# -- descriptives ---------------------------------------------------------------------------------------

def _describe_plan(data: DaskSurveyData, items) -> dict:
    q = data.questionnaire
    ids = list(items) if items is not None else [i for i in q.item_ids if q.scale_of(i).is_ordered]
    by_scale: dict[str, list[str]] = {}
    for i in ids:
        by_scale.setdefault(q.item(i).scale, []).append(i)
    return by_scale


def _describe_step(data: DaskSurveyData, by_scale: dict):
    q = data.questionnaire

    def step(frame: pd.DataFrame) -> dict:
        w = _weights(frame, data)
        out = {}
        for name, its in by_scale.items():
            x = frame.loc[:, its].to_numpy(float)
            scale = q.scales[name]
            out[name] = (mo.moments(x, w), mo.category_counts(x, np.arange(scale.min, scale.max + 1), w))
        return out

    return step


def _describe_result(data: DaskSurveyData, stats: dict, by_scale: dict, language: str | None) -> SurveyDescriptives:
    q = data.questionnaire
    lang = language or q.language
    weighted = data.weighted
    groups = {}
    for name, its in by_scale.items():
        m, c = stats[name]
        scale = q.scales[name]
        n = m.n[0]
        share = c.weighted[0] / m.sw[0][:, None]
        top = share[:, -2:].sum(axis=1)
        bottom = share[:, :2].sum(axis=1)
        median = mo.coded_median(c, weighted)[0]
        notes = []
        off_code = np.flatnonzero(c.count[0].sum(axis=1) != n)
        if len(off_code):
            median[off_code] = np.nan
            notes.append(f"{len(off_code)} items have answers that are not codes of the scale: their median is not "
                         "computed on Dask yet.")
        table = pd.DataFrame({"n_obs": n, "n_missing": data.n_respondents - n, "mean": mo.mean(m)[0],
                              "sd": mo.sd(m)[0], "median": median, "top_box": top, "bottom_box": bottom},
                             index=pd.Index(its, name="item"))
        if weighted:
            table.insert(1, "effective_n", mo.effective_n(m)[0])
        table.loc[n == 0, ["top_box", "bottom_box"]] = np.nan
        for k, what in [(0, "no answers: every statistic is NaN"), (1, "one answer: the SD is NaN")]:
            hit = [i for i, v in zip(its, n) if v == k]
            if hit:
                notes.append(f"{len(hit)} items have {what} ({', '.join(map(repr, hit[:5]))}).")
        groups[name] = ItemDescriptives(
            table=table, distribution=pd.DataFrame(share, index=table.index, columns=c.codes),
            counts=pd.DataFrame(c.count[0], index=table.index, columns=c.codes), scale_min=float(scale.min),
            scale_max=float(scale.max), top_k=2, item_labels={i: q.item(i).text.get(lang) for i in its},
            category_labels={float(k): t.get(lang) for k, t in scale.labels.items()}, scale=name,
            weighted=weighted, notes=tuple(notes))
    return SurveyDescriptives(groups=groups, weighted=weighted)


def describe_dask(data: DaskSurveyData, items=None, *, language: str | None = None) -> SurveyDescriptives:
    """Item descriptives of the likert and rating items, by scale, as :meth:`surveykit.SurveyData.describe`.

    n, missing, mean, SD, median, top-2 and bottom-2 box and the distribution, weighted by the
    questionnaire's weight column when it names one, from per-partition sums merged exactly
    (``surveykit._moments``). The median is read from the counts of each code (exact for
    coded scales).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from surveykit.example import generate_example
    >>> from surveykit.dask import read_responses_dask
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> raw = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    >>> data = read_responses_dask(dd.from_pandas(raw, npartitions=2), study.questionnaire)
    >>> d = describe_dask(data)
    >>> int(d.groups["agree5"].table["n_obs"].max()) <= 200
    True
    """
    by_scale = _describe_plan(data, items)
    (stats,) = _reduce(data, _describe_step(data, by_scale))
    return _describe_result(data, stats, by_scale, language)


# -- indices -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DaskIndices(Result):
    """NPS, top-2-box shares and 0-100 composite indices, overall and by segment, computed on Dask.

    ``table`` has the columns of :class:`surveykit.indices.survey.SurveyIndices` (``index``,
    ``label``, ``segment``, ``level``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
    ``ci_method``, ``n_obs``, ``effective_n``) and the same rows for these indices.
    """

    table: pd.DataFrame
    segments: tuple
    weighted: bool
    language: str
    notes: tuple = field(default_factory=tuple)

    @property
    def overall(self) -> pd.DataFrame:
        t = self.table[self.table["segment"] == OVERALL]
        return t.drop(columns=["segment", "level"]).set_index("index")

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        return Summary(title="Indices (Dask)", lines=[f"{len(self.overall)} indices, overall and by "
                                                      f"{len(self.segments)} segments", *self.notes],
                       tables=[("Overall", self.overall[["label", "estimate", "ci_low", "ci_high", "n_obs"]])])

    def __repr__(self) -> str:
        return f"<DaskIndices n_indices={len(self.overall)} segments={list(self.segments)} weighted={self.weighted}>"


def _index_plan(q, lang: str, notes: list) -> list[dict]:
    """Each index: key, label, kind ('composite' | 'box' | 'nps'), items, and its derived columns."""
    def ordered(items):
        return [i for i in items if q.scale_of(i).is_ordered and q.scale_of(i).min is not None]

    plan = []
    sat = ordered(q.resolve_role("satisfaction"))
    if sat:
        plan.append({"key": "satisfaction_index", "kind": "composite", "items": sat})
        plan += [{"key": f"top2_box:{i}", "kind": "box", "items": [i], "text": q.item(i).text} for i in sat]
    recommend = q.resolve_role("nps") if q.recommend_in_loyalty else ()
    loyal = ordered(dict.fromkeys([*q.resolve_role("loyalty"), *q.resolve_role("repurchase"), *recommend,
                                   *q.resolve_role("price_tolerance")]))
    if loyal:
        plan.append({"key": "loyalty_index", "kind": "composite", "items": loyal})
    nps_items = q.resolve_role("nps")
    if len(nps_items) == 1:
        plan.append({"key": "nps", "kind": "nps", "items": list(nps_items)})
    value = ordered(q.resolve_role("perceived_value"))
    if value:
        plan.append({"key": "value_index", "kind": "composite", "items": value})
    if q.roles.get("perceived_benefits") is not None and q.roles.get("perceived_sacrifices") is not None:
        notes.append("Perceived value as benefits against sacrifices is not computed on Dask yet.")
    for p in plan:
        p["label"] = index_label("top2_box", lang, p["text"]) if p["kind"] == "box" else index_label(p["key"], lang)
    return plan


def _derived(scored: pd.DataFrame, q, plan: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Per respondent, one column per index (composite score, box indicator, NPS points; NaN = not in the base),
    and per index the number of answers it cannot use (outside the scale, not whole numbers)."""
    cols, bad = [], []
    for p in plan:
        x = scored.loc[:, p["items"]].to_numpy(float)
        lo = np.array([q.scale_of(i).min for i in p["items"]], float)
        hi = np.array([q.scale_of(i).max for i in p["items"]], float)
        with np.errstate(invalid="ignore"):
            outside = ~np.isnan(x) & ((x < lo) | (x > hi) | ((p["kind"] != "composite") & (x != np.round(x))))
        bad.append(int(outside.sum()))
        if p["kind"] == "composite":
            rescaled = 100 * (x - lo) / (hi - lo)
            complete = ~np.isnan(rescaled).any(axis=1)
            iw = np.ones(len(p["items"])) / len(p["items"])
            cols.append(np.where(complete, np.nan_to_num(rescaled) @ iw, np.nan))
        elif p["kind"] == "box":
            v = x[:, 0]
            cols.append(np.where(np.isnan(v), np.nan, (v >= hi[0] - 1).astype(float)))
        else:
            v = np.where(outside[:, 0], np.nan, x[:, 0])  # answers off the scale: counted in bad, not estimated
            cols.append(nps_points(v))
            for share in (v >= 9, (v >= 7) & (v <= 8), v <= 6):
                cols.append(np.where(np.isnan(v), np.nan, share.astype(float)))
    return np.column_stack(cols), np.array(bad)


def _segment_codes(q, seg: str) -> tuple[list, dict]:
    """The levels of a labelled segment (its labels in scale order) and code -> level position."""
    scale = q.scale_of(seg)
    labels = {float(c): t.get(q.language) for c, t in scale.labels.items()}
    levels = list(dict.fromkeys(labels.values()))
    return levels, {c: levels.index(lab) for c, lab in labels.items()}


def _row_ids(frame: pd.DataFrame) -> np.ndarray:
    """Each row's global number (its file's position x 2^32 + its source row): the seed of its Poisson draws,
    the same whatever the partitioning."""
    return frame["source_file"].cat.codes.to_numpy(np.int64) * 2 ** 32 + frame["source_row"].to_numpy(np.int64)


def _indices_step(data: DaskSurveyData, plan: list[dict], segs: tuple, boot: tuple | None = None):
    q = data.questionnaire
    maps = {s: _segment_codes(q, s) for s in segs}
    needed = list(dict.fromkeys(i for p in plan for i in p["items"]))

    def step(frame: pd.DataFrame) -> dict:
        w = _weights(frame, data)
        y, bad = _derived(reverse_code(frame.loc[:, needed], q), q, plan)
        groupings = [(None, 1)] + [(frame[s].map(code_of).fillna(-1).to_numpy(np.intp), len(levels))
                                   for s, (levels, code_of) in maps.items()]
        overall, *by_segment = mo.moments_by(y, w, groupings)
        out = {OVERALL: (overall, bad), **dict(zip(maps, by_segment))}
        if boot:  # Poisson resamples seeded per block of rows (surveykit._bootstrap.poisson_counts)
            ids = _row_ids(frame)
            out["boot"] = {name: mo.poisson_sums(y, w, ids, boot[0], boot[1], codes, n_groups)
                           for name, (codes, n_groups) in zip([OVERALL, *maps], groupings)}
        return out

    return step


def _index_rows(plan, m: mo.Moments, bad, segment: str, levels: list, min_group: int, notes: list,
                boot: mo.PoissonSums | None = None) -> list[dict]:
    rows, col = [], 0
    if boot is not None:
        boot_lo, boot_hi = mo.poisson_interval(boot, 0.95)
    for k, p in enumerate(plan):
        width = 4 if p["kind"] == "nps" else 1
        for g, level in enumerate(levels):
            row = {"index": p["key"], "label": p["label"], "segment": segment, "level": level}
            where = "overall" if segment == OVERALL else f"{segment} = {level}"
            n, big_n = int(m.n[g, col]), int(m.rows[g])
            if big_n < min_group:
                notes.append(f"{p['label']} ({where}): not estimated, {big_n} respondent(s) in the group "
                             f"(at least {min_group} needed).")
            elif bad[k]:
                notes.append(f"{p['label']} ({where}): not estimated: {int(bad[k])} answers outside the scale or "
                             "not whole numbers (declare them as missing codes, or correct the export).")
            elif n == 0 or (p["kind"] != "composite" and n < 2):
                notes.append(f"{p['label']} ({where}): not estimated: {n} valid answers.")
            else:  # the estimator of nps / top_box / the composite indices on this group's moments
                out = mo.design_mean(mo.select(m, g), rows=None if p["kind"] == "composite" else m.n[g])
                est, se = float(out["estimate"][col]), float(out["se"][col])
                lo, hi = interval(est, se, 0.95) if boot is None else (boot_lo[g, col], boot_hi[g, col])
                row.update(estimate=est, se=se, ci_low=float(lo), ci_high=float(hi), n_obs=n,
                           ci_method="normal" if boot is None else "poisson_percentile",
                           effective_n=float(mo.effective_n(m)[g, col]))
            rows.append(row)
        col += width
    return rows


def indices_dask(data: DaskSurveyData, *, segments=None, min_group: int = 2, bootstrap: int = 0, seed: int = 0,
                 language: str | None = None) -> DaskIndices:
    """NPS, the top-2-box share of each satisfaction item and the 0-100 composite indices, overall and by segment.

    The satisfaction, loyalty and perceived-value indices, top-2-box shares and NPS of
    :func:`surveykit.indices.survey.survey_indices` (same roles, items, reverse keys, weights
    and normal intervals; the rows of its table for these indices), from per-partition
    weighted moments by segment level merged exactly. Standard errors are Taylor-linearized
    as R ``survey::svymean`` without strata. Not yet on Dask: perceived value as benefits
    against sacrifices, segments without labels.

    ``bootstrap`` > 0: 95% percentile intervals from that many Poisson bootstrap resamples
    (``ci_method`` 'poisson_percentile'; the standard error stays the linearized one). Each
    row is drawn Poisson(1) times per resample from a generator seeded with ``seed`` and its
    block of rows (:func:`surveykit._bootstrap.poisson_counts`), so the intervals are the same
    whatever the partitioning and the scheduler; they differ from the classic bootstrap of
    :func:`surveykit.indices.survey.survey_indices` (another resampling scheme).
    """
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise ValueError(f"The 'bootstrap' parameter of indices_dask must be a whole number of resamples, 0 or more. "
                         f"Got {bootstrap!r} instead.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"The 'seed' parameter of indices_dask must be a whole number, 0 or more. Got {seed!r} "
                         "instead.")
    q = data.questionnaire
    lang = language or q.language
    check_option("language", lang, ("zh", "en", "both"), function="indices_dask")
    segs = tuple(q.segments if segments is None else segments)
    unknown = [s for s in segs if s not in q.item_ids]
    if unknown:
        raise QuestionnaireError(q.id, [("segments", f"unknown segment variable {s!r}") for s in unknown])
    notes: list[str] = []
    plan = _index_plan(q, lang, notes)
    if not plan:
        raise QuestionnaireError(q.id, [("roles", "no index can be computed on Dask: name at least one of the roles "
                                                  "satisfaction, loyalty, nps, perceived_value")])
    unlabelled = [s for s in segs if not q.scale_of(s).labels]
    if unlabelled:
        notes.append(f"Segments without labels are not grouped on Dask yet: {', '.join(map(repr, unlabelled))}.")
        segs = tuple(s for s in segs if s not in unlabelled)
    (stats,) = _reduce(data, _indices_step(data, plan, segs, (int(bootstrap), int(seed)) if bootstrap else None))
    return _indices_result(data, plan, stats, segs, min_group, lang, notes)


def _indices_result(data, plan, stats: dict, segs: tuple, min_group: int, lang: str, notes: list) -> DaskIndices:
    q = data.questionnaire
    overall, bad = stats[OVERALL]
    boot = stats.get("boot", {})
    rows = _index_rows(plan, overall, bad, OVERALL, [""], min_group, notes, boot.get(OVERALL))
    for s in segs:
        rows += _index_rows(plan, stats[s], bad, s, _segment_codes(q, s)[0], min_group, notes, boot.get(s))
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    table["n_obs"] = table["n_obs"].astype("Int64")
    return DaskIndices(table, segs, data.weighted, lang, tuple(notes))


# -- item covariance and reliability -------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemCovariance(Result):
    """Covariance and correlation of items over the respondents who answered them all, with Cronbach's alpha.

    ``cov`` is the n - 1 covariance (pandas ``DataFrame.cov()`` of the complete rows, reverse keys
    applied); ``alpha``, ``std_alpha`` and ``average_r`` as :func:`surveykit.reliability`.
    """

    cov: pd.DataFrame
    corr: pd.DataFrame
    mean: pd.Series
    n_obs: int
    n_dropped: int
    alpha: float
    std_alpha: float
    average_r: float
    name: str | None = None
    nan_policy: str = "listwise"

    def to_frame(self) -> pd.DataFrame:
        return self.cov.copy()

    def summary(self) -> Summary:
        return Summary(title="Item covariance" + (f": {self.name}" if self.name else ""),
                       lines=[f"alpha = {self.alpha:.3f} (standardised {self.std_alpha:.3f}); n = {self.n_obs} "
                              f"complete rows ({self.n_dropped} dropped, listwise)"],
                       tables=[("Covariance", self.cov), ("Correlation", self.corr)])

    def __repr__(self) -> str:
        return self._one_line(f"alpha={self.alpha:.3f} n_items={len(self.cov)} n_obs={self.n_obs}")


def item_covariance_dask(data: DaskSurveyData, construct: str | None = None, *, items=None) -> ItemCovariance:
    """The covariance and correlation matrix of a construct's items (reverse keys applied) from one pass of
    per-partition cross-products over the complete rows, and Cronbach's alpha from it (unweighted, as
    :func:`surveykit.reliability` with ``nan_policy='listwise'``; omega and the bootstrap are not on Dask yet)."""
    q = data.questionnaire
    if (construct is None) == (items is None):
        raise ValueError("The 'construct' and 'items' parameters of item_covariance_dask: give exactly one. "
                         f"Got construct={construct!r}, items={items!r} instead.")
    its = list(q.items_of(construct) if construct is not None else items)
    if len(its) < 2:
        raise ValueError(f"item_covariance_dask needs at least 2 items; got {its}.")

    def step(frame: pd.DataFrame) -> mo.CrossMoments:
        return mo.cross_moments(reverse_code(frame.loc[:, its], q).to_numpy(float))

    (cm,) = _reduce(data, step)
    if cm.n < 2:
        raise DataError(f"item_covariance_dask: {cm.n} respondents answered all of {its}; at least 2 are needed.")
    from ..psychometrics.reliability import reliability_from_moments

    cov, corr = mo.covariance(cm), mo.correlation(cm)
    idx = pd.Index(its, name="item")
    cov = pd.DataFrame(cov, idx, its)
    with warnings.catch_warnings():  # the alpha of the result; reliability_dask gives the full analysis and notes
        warnings.simplefilter("ignore")
        a = reliability_from_moments(cov, cm.mean, cm.n) if cm.n >= 3 else None
    nan = float("nan")
    return ItemCovariance(cov, pd.DataFrame(corr, idx, its), pd.Series(cm.mean, idx), cm.n, data.n_respondents - cm.n,
                          a.alpha if a else nan, a.std_alpha if a else nan, a.average_r if a else nan, name=construct)


def survey_summary_dask(data: DaskSurveyData, *, segments=None, language: str | None = None):
    """Item descriptives and indices in one pass over the partitions: ``(SurveyDescriptives, DaskIndices)``."""
    q = data.questionnaire
    lang = language or q.language
    segs = tuple(s for s in (q.segments if segments is None else segments) if q.scale_of(s).labels)
    notes: list[str] = []
    plan = _index_plan(q, lang, notes)
    by_scale = _describe_plan(data, None)
    desc, ix = _reduce(data, _describe_step(data, by_scale), _indices_step(data, plan, segs))
    return _describe_result(data, desc, by_scale, language), _indices_result(data, plan, ix, segs, 2, lang, notes)
