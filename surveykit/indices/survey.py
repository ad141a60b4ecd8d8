"""Every index the questionnaire's roles allow, overall and by segment (``SurveyData.indices``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._labels import index_label
from .._render import Summary
from .._result import Result
from ..errors import DataError, QuestionnaireError, SurveykitError, SurveykitWarning, check_option
from .banner import banner
from .composite import composite_index
from .drivers import DriversResult, key_drivers
from .ipa import IPAResult, ipa
from .nps import nps, top_box
from .perceived_value import (
    KOTLER_COST_PARTS,
    KOTLER_VALUE_PARTS,
    perceived_value,
    relationship_value,
)

__all__ = ["SurveyDrivers", "SurveyIndices", "index_banners", "nps_by_segment", "survey_drivers", "survey_indices",
           "value_by_segment"]

OVERALL = "(overall)"
COLUMNS = ["index", "label", "segment", "level", "estimate", "se", "ci_low", "ci_high", "ci_method", "n_obs",
           "effective_n"]


@dataclass(frozen=True)
class SurveyIndices(Result):
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
        The items of each index with their scales, and what was skipped and why (a role the
        questionnaire lacks, a group too small).
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
        notes.append(f"{index_label(key, language)} ({key}): the mean of {_listed(q, items)}, each rescaled to "
                     "0-100 by its own scale.")
        lo, hi = _scale_points(q, items)
        return lambda rows, w, **boot: composite_index(scored.loc[rows, items], scale_min=lo, scale_max=hi,
                                                       weights=w, name=key, **boot)

    sat = ordered(q.resolve_role("satisfaction"))
    if sat:
        plan.append(([("satisfaction_index", index_label("satisfaction_index", language), None)],
                     composite("satisfaction_index", sat)))
        for item in sat:
            scale = q.scale_of(item)
            plan.append(([(f"top2_box:{item}", index_label("top2_box", language, q.item(item).text), None)],
                         lambda rows, w, item=item, scale=scale, **boot: top_box(
                             scored.loc[rows, item], scale_min=int(scale.min), scale_max=int(scale.max), weights=w,
                             **boot)))
    else:
        notes.append("No satisfaction index: the questionnaire has no 'satisfaction' role.")
    # the 0-10 recommend item joins the loyalty items only when the questionnaire says so
    recommend = q.resolve_role("nps") if q.recommend_in_loyalty else ()
    loyal = ordered(dict.fromkeys([*q.resolve_role("loyalty"), *q.resolve_role("repurchase"), *recommend,
                                   *q.resolve_role("price_tolerance")]))
    if loyal:
        plan.append(([("loyalty_index", index_label("loyalty_index", language), None)], composite("loyalty_index", loyal)))
    else:
        notes.append("No loyalty index: the questionnaire has no 'loyalty', 'repurchase', 'nps' or 'price_tolerance' "
                     "role.")
    nps_items = q.resolve_role("nps")
    if len(nps_items) == 1:
        item = nps_items[0]
        notes.append(f"{index_label('nps', language)} (nps): {_listed(q, nps_items)}; promoters 9-10 minus "
                     "detractors 0-6, in points."
                     + ("" if q.recommend_in_loyalty or "loyalty_index" not in [k for ls, _ in plan for k, *_ in ls]
                        else " Not in the loyalty index (roles: loyalty: {items: ..., include_recommend: true} "
                             "puts it there)."))
        plan.append(([("nps", index_label("nps", language), None)],
                     lambda rows, w, **boot: nps(scored.loc[rows, item], weights=w, **boot)))
    elif nps_items:
        notes.append(f"No NPS: the 'nps' role names {len(nps_items)} items; it must name the one 0-10 item.")
    value_items = ordered(q.resolve_role("perceived_value"))
    if value_items:
        plan.append(([("value_index", index_label("value_index", language), None)], composite("value_index", value_items)))
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

        notes.append(f"{index_label(key, language)} ({key}): benefits {_listed(q, items_of(benefits))} against "
                     f"sacrifices {_listed(q, items_of(sacrifices))}, each part the mean of its items.")
        lines = [(key, index_label(key, language), "difference")]
        if low > 0:
            lines.append((ratio_key, index_label(ratio_key, language), "ratio"))
        plan.append((lines, value))
        if gronroos:
            plan.append(([("relationship_value", index_label("relationship_value", language), None)],
                         lambda rows, w, **boot: relationship_value(
                             b_parts["episode"].loc[rows], b_parts["relationship"].loc[rows],
                             s_parts["episode"].loc[rows], s_parts["relationship"].loc[rows], scale_min=low,
                             weights=w, **boot)))
    else:
        notes.append("No perceived value (benefits vs sacrifices): the questionnaire needs both roles "
                     "'perceived_benefits' and 'perceived_sacrifices'.")
    return plan


def _listed(q, items) -> str:
    """'sat_1 (1-5), sat_2 (1-5)': the items of an index with their scales, for its note."""
    return ", ".join(f"{i} ({q.scale_of(i).describe_range()}{', reversed' if q.item(i).reverse else ''})" for i in items)


def survey_indices(data, *, segments=None, bootstrap: int = 0, ci_method: str = "bca", seed=None,
                   min_group: int = 2, language: str | None = None) -> SurveyIndices:
    """Every index the questionnaire's roles allow, overall and by each segment.

    Satisfaction index (role ``satisfaction``) and the top-2-box share of each satisfaction
    item; loyalty index (``loyalty``, ``repurchase`` and ``price_tolerance`` items, each
    rescaled by its own scale; the 0-10 ``nps`` item only with ``loyalty: {items: ...,
    include_recommend: true}``); NPS (``nps``); perceived value index (``perceived_value``
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
    # computed once per SurveyData: the report, survey_themes and link_survey share the scores. The
    # overall rows do not depend on the segments (their bootstrap streams are spawned first), so an
    # overall-only call is served by a call with segments.
    cache = getattr(data, "_cache", None)
    if cache is None or not (bootstrap == 0 or isinstance(seed, (int, np.integer))):  # a random bootstrap is drawn anew
        return _survey_indices(data, segs, bootstrap, ci_method, seed, min_group, lang)[0]
    args = (bootstrap, ci_method, seed, min_group, lang)
    key = ("survey_indices", segs, *args)
    if key not in cache and not segs:
        wider = next((k for k in cache if k[0] == "survey_indices" and k[2:] == args), None)
        if wider is not None:
            ix, overall_notes = cache[wider]
            cache[key] = (SurveyIndices(ix.table[ix.table["segment"] == OVERALL], ix.results, (), ix.weighted,
                                        ix.language, overall_notes), overall_notes)
    if key not in cache:
        cache[key] = _survey_indices(data, segs, *args)
    return cache[key][0]


def _survey_indices(data, segs: tuple, bootstrap: int, ci_method: str, seed, min_group: int,
                    lang: str) -> tuple[SurveyIndices, tuple[str, ...]]:
    """The indices of ``survey_indices``, and the notes an overall-only call would give."""
    q = data.questionnaire
    weights = data.weights
    notes: list[str] = []
    plan = _plan(data, lang, notes)
    if not plan:
        raise QuestionnaireError(q.id, [("roles", ("no index can be computed: name at least one of the roles "
                                                  "satisfaction, loyalty, nps, perceived_value, or "
                                                  "perceived_benefits with perceived_sacrifices"))])
    overall_notes = list(notes)
    seeds = np.random.SeedSequence(seed)
    groups = [(OVERALL, "", np.ones(data.n_respondents, bool))]
    for s in segs:
        labelled = data.segment_labels(s)
        missing = int(labelled.isna().sum())
        if missing:
            notes.append(f"{s}: {missing} respondents without an answer are in no group of this segment.")
        for level in _levels(labelled):
            groups.append((s, level, (labelled == level).to_numpy()))
    rows, results, n_before = [], {}, len(notes)
    for segment, level, mask in groups:
        if segment != OVERALL and n_before is not None:  # the overall group is done: keep its notes
            overall_notes += notes[n_before:]
            n_before = None
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
    if n_before is not None:
        overall_notes += notes[n_before:]
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    table["n_obs"] = table["n_obs"].astype("Int64")
    return SurveyIndices(table, results, segs, weights is not None, lang, tuple(notes)), tuple(overall_notes)


def _levels(labelled: pd.Series) -> list:
    """The groups of a segment: its categories in order, or its sorted distinct codes."""
    if isinstance(labelled.dtype, pd.CategoricalDtype):
        return list(labelled.cat.categories)
    return sorted(labelled.dropna().unique())


# ---------------------------------------------------------------------------------------------
# drivers and priorities, NPS and perceived value by segment, banners of the indices

DRIVERS_BOOTSTRAP, DRIVERS_SEED = 1000, 20261123  # fixed, so that the report is reproducible


@dataclass(frozen=True)
class SurveyDrivers(Result):
    """Drivers of an outcome index (the ``drivers`` role, or the parts of perceived value), and their priorities.

    Attributes
    ----------
    ols : DriversResult
        OLS coefficients with HC3 robust standard errors.
    relative_weights : DriversResult
        Johnson's relative weights (share of R²) with bootstrap intervals.
    performance : Series
        Mean score of each part on the answer scale; sacrifice parts reversed
        (``min + max - mean``), so that higher is better everywhere.
    ipa : IPAResult or None
        Importance (relative weight) against performance, split at the grand means; None
        (with a note) when it cannot be computed.
    benefits, sacrifices : tuple of str
        The driver constructs: those of the ``drivers`` role (``sacrifices`` empty), or those
        named by the roles ``perceived_benefits`` and ``perceived_sacrifices``.
    labels : dict
        Construct -> label in ``language``.
    scale_min, scale_max : float
        The answer scale of the parts' items.
    bootstrap, seed : int
        Resamples and seed of the relative weights' intervals.
    outcome : str
        The index the parts drive (``'satisfaction_index'``, or ``'<construct>_index'``).
    weighted : bool
    language : str
    notes : tuple of str
    """

    ols: DriversResult
    relative_weights: DriversResult
    performance: pd.Series
    ipa: IPAResult | None
    benefits: tuple[str, ...]
    sacrifices: tuple[str, ...]
    labels: dict
    scale_min: float
    scale_max: float
    bootstrap: int
    seed: int
    outcome: str = "satisfaction_index"
    weighted: bool = False
    language: str = "zh"
    notes: tuple[str, ...] = ()

    @property
    def drivers(self) -> tuple[str, ...]:
        return (*self.benefits, *self.sacrifices)

    @property
    def r_squared(self) -> float:
        return self.relative_weights.r_squared

    @property
    def n_obs(self) -> int:
        return self.relative_weights.n_obs

    def to_frame(self) -> pd.DataFrame:
        """One row per part: OLS ``estimate``, ``se``, ``p_value``, ``std_estimate``, ``vif``, ``tolerance``;
        relative weight ``share`` with ``share_ci_low``, ``share_ci_high``; ``performance`` (sacrifices reversed)."""
        t = self.ols.coefficients[["estimate", "se", "p_value", "std_estimate", "vif", "tolerance"]].join(
            self.relative_weights.coefficients[["share", "share_ci_low", "share_ci_high"]])
        t["performance"] = self.performance.reindex(t.index)
        return t

    def summary(self) -> Summary:
        lines = [f"Outcome {self.outcome}; drivers {list(self.drivers)}; R² = {self.r_squared:.3f}, "
                 f"n = {self.n_obs}; relative weights with {self.bootstrap} bootstrap resamples (seed {self.seed})"
                 + (" (weighted)" if self.weighted else ""), *self.notes]
        tables = [("Drivers", self.to_frame())]
        if self.ipa is not None:
            tables.append(("Importance-performance", self.ipa.table))
        return Summary(title="Drivers and priorities", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<SurveyDrivers outcome={self.outcome!r} n_drivers={len(self.drivers)} "
                f"r_squared={self.r_squared:.3f} n_obs={self.n_obs}>")


def _value_parts(q) -> tuple[list, list]:
    """The benefit and sacrifice constructs of the roles, or a QuestionnaireError saying what is missing."""
    b, s = q.roles.get("perceived_benefits"), q.roles.get("perceived_sacrifices")
    if not isinstance(b, dict) or not isinstance(s, dict) or not all(n in q.constructs
                                                                      for n in (*b.values(), *s.values())):
        raise QuestionnaireError(q.id, [("roles", "drivers need the roles 'perceived_benefits' and "
                                                  "'perceived_sacrifices', each mapping its parts to constructs")])
    return list(b.values()), list(s.values())


def _declared_drivers(q):
    """(outcome, drivers) of the ``drivers`` role, or None when the questionnaire has none."""
    from ..questionnaire.model import DriversRole

    role = q.roles.get("drivers")
    return (role.outcome, list(role.drivers)) if isinstance(role, DriversRole) else None


def _outcome_scores(data, outcome: str, lang: str):
    """(key, 0-100 scores) of the ``drivers`` role's outcome: the satisfaction index when it is the
    satisfaction role's construct, else the composite index of the outcome's items."""
    q = data.questionnaire
    if outcome == q.roles.get("satisfaction"):
        sat = survey_indices(data, segments=(), language=lang).results.get("satisfaction_index")
        if sat is not None:
            return "satisfaction_index", sat.scores
    items = list(q.items_of(outcome) if outcome in q.constructs else (outcome,))
    lo, hi = _scale_points(q, items)
    r = composite_index(data.scored_items()[items], scale_min=lo, scale_max=hi, weights=data.weights,
                        name=f"{outcome}_index")
    return f"{outcome}_index", r.scores


def survey_drivers(data, *, bootstrap: int = DRIVERS_BOOTSTRAP, seed: int = DRIVERS_SEED,
                   language: str | None = None) -> SurveyDrivers:
    """The drivers of an outcome: OLS, relative weights and IPA, for any study that declares them.

    With the role ``drivers: {outcome: satisfaction, drivers: [hardware, service, food]}`` the
    outcome is that construct as a 0-100 index (the satisfaction index when it is the
    ``satisfaction`` role's construct) and the drivers are the named constructs' scores
    (quality dimensions, SERVQUAL dimensions ...). Without it, the outcome is the
    satisfaction index (0-100, :func:`survey_indices`) and the drivers are the construct
    scores of the parts named by ``perceived_benefits`` and ``perceived_sacrifices``.
    OLS with HC3 robust standard errors and Johnson's relative weights (share of R², bootstrap
    percentile intervals) are fitted on the same respondents; the importance-performance
    analysis takes the relative weights as importance and the part means as performance,
    sacrifices reversed so that higher is better everywhere, split at the grand means.
    Weighted by the questionnaire's weight column when it names one.

    Parameters
    ----------
    data : SurveyData
    bootstrap : int, default 1000
        Resamples of the relative weights' intervals.
    seed : int, default 20261123
        Seed of the bootstrap (fixed, so that the report is reproducible).
    language : {'zh', 'en', 'both'}, optional
        Language of the labels (default: the questionnaire's); the IPA quadrants use
        Chinese unless ``'en'``.

    Returns
    -------
    SurveyDrivers

    Raises
    ------
    QuestionnaireError
        When the questionnaire has neither a ``drivers`` role nor a satisfaction role with
        benefit and sacrifice parts.

    Examples
    --------
    >>> import surveykit as sk
    >>> d = sk.example_data().drivers(bootstrap=50)
    >>> round(float(d.to_frame()["share"].sum()), 6)  # percent of R²
    100.0
    """
    q = data.questionnaire
    lang = language or q.language
    declared = _declared_drivers(q)
    if declared is not None:
        outcome, benefits = declared
        sacrifices = []
        outcome_key, outcome_scores = _outcome_scores(data, outcome, lang)
    else:
        benefits, sacrifices = _value_parts(q)
        sat = survey_indices(data, segments=(), language=lang).results.get("satisfaction_index")
        if sat is None:
            raise QuestionnaireError(q.id, [("roles", "drivers need a satisfaction index: name the role "
                                                      "'satisfaction'")])
        outcome_key, outcome_scores = "satisfaction_index", sat.scores
    parts = benefits + sacrifices
    constructs = data.construct_scores()
    scored = data.scored_items()
    scores = pd.DataFrame({c: (constructs if c in q.constructs else scored)[c] for c in parts})
    labels = {c: (q.constructs[c].label if c in q.constructs else q.item(c).text).get(lang) or c for c in parts}
    frame = scores[parts].assign(satisfaction=outcome_scores)
    weights = data.weights
    rw = key_drivers(frame, "satisfaction", parts, method="relative_weights", weights=weights, bootstrap=bootstrap,
                     seed=seed)
    ols = key_drivers(frame, "satisfaction", parts, method="ols", weights=weights)
    # performance: part means on the answer scale, costs reversed so that higher is better everywhere
    part_items = [i for c in parts for i in (q.items_of(c) if c in q.constructs else (c,))]
    lo = min(q.scale_of(i).min for i in part_items)
    hi = max(q.scale_of(i).max for i in part_items)
    perf = {}
    for c in parts:
        m = np.average(scores[c].dropna(), weights=None if weights is None else weights[scores[c].notna().to_numpy()])
        perf[c] = (lo + hi - m) if c in sacrifices else m
    notes: list[str] = []
    try:
        priorities = ipa(pd.Series(perf), rw, scale_min=(lo, None), scale_max=(hi, None),
                         language="en" if lang == "en" else "zh")
    except (SurveykitError, ValueError) as exc:
        priorities = None
        notes.append(f"ipa: {exc}")
    return SurveyDrivers(ols=ols, relative_weights=rw, performance=pd.Series(perf, name="performance"),
                         ipa=priorities, benefits=tuple(benefits), sacrifices=tuple(sacrifices), labels=labels,
                         scale_min=lo, scale_max=hi, bootstrap=bootstrap, seed=seed, outcome=outcome_key,
                         weighted=weights is not None,
                         language=lang, notes=tuple(dict.fromkeys([*notes, *rw.notes])))


def nps_by_segment(data, *, segments=None) -> dict:
    """The NPS of every level of every segment.

    Parameters
    ----------
    data : SurveyData
    segments : sequence of str, optional
        Default: the questionnaire's segments.

    Returns
    -------
    dict
        ``'segment: level'`` -> :class:`NPSResult`, levels with fewer than two answers left
        out; what :func:`surveykit.plotting.plot_nps` draws.

    Raises
    ------
    QuestionnaireError
        When the role ``nps`` does not name exactly one item.

    Examples
    --------
    >>> import surveykit as sk
    >>> by = sk.example_data().nps_by_segment()
    >>> all(-100 <= r.score <= 100 for r in by.values())
    True
    """
    q = data.questionnaire
    items = q.resolve_role("nps")
    if len(items) != 1:
        raise QuestionnaireError(q.id, [("roles", f"the 'nps' role names {len(items)} items; it must name the one "
                                                  "0-10 item")])
    scored = data.scored_items()[items[0]]
    w = data.weights
    out = {}
    for s in (q.segments if segments is None else segments):
        labelled = data.segment_labels(s)
        for level in _levels(labelled):  # the questionnaire's order of the levels
            mask = (labelled == level).to_numpy()
            if np.isfinite(scored[mask]).sum() >= 2:
                out[f"{s}: {level}"] = nps(scored[mask], weights=None if w is None else w[mask])
    return out


def value_by_segment(data, segment: str | None = None) -> dict:
    """Perceived value (benefits against sacrifices, from the roles) of each level of a segment.

    Parameters
    ----------
    data : SurveyData
    segment : str, optional
        Default: the questionnaire's segment with the most levels.

    Returns
    -------
    dict
        Level -> :class:`ValueResult` (levels that cannot be estimated are left out); what
        :func:`surveykit.plotting.plot_value_map` draws.

    Examples
    --------
    >>> import surveykit as sk
    >>> points = sk.example_data().value_by_segment()
    >>> len(points) >= 2
    True
    """
    q = data.questionnaire
    b, s = q.roles.get("perceived_benefits"), q.roles.get("perceived_sacrifices")
    if b is None or s is None:
        raise QuestionnaireError(q.id, [("roles", "perceived value needs the roles 'perceived_benefits' and "
                                                  "'perceived_sacrifices'")])
    if segment is None:
        if not q.segments:
            return {}
        segment = max(q.segments, key=lambda x: len(_levels(data.segment_labels(x))))
    b = b if isinstance(b, dict) else {b: b}
    s = s if isinstance(s, dict) else {s: s}
    scores = data.construct_scores()
    labelled = data.segment_labels(segment)
    weights = data.weights
    out = {}
    for level in _levels(labelled):
        mask = (labelled == level).to_numpy()
        sub = scores.loc[mask]
        try:
            out[str(level)] = perceived_value({k: sub[[v]] for k, v in b.items()}, {k: sub[[v]] for k, v in s.items()},
                                              weights=None if weights is None else weights[mask])
        except (SurveykitError, ValueError):
            continue  # a level too small to estimate has no point on the map
    return out


def index_banners(data, *, segments=None, language: str | None = None) -> dict:
    """The satisfaction, loyalty and value indices compared across the levels of each segment.

    Weighted means with column tests in SPSS letter notation (Bonferroni-adjusted, α = 0.05;
    see :func:`surveykit.indices.banner`), rows labelled in ``language``.

    Returns
    -------
    dict
        Segment -> :class:`BannerResult`; a segment whose banner cannot be computed is left out
        with a warning.

    Examples
    --------
    >>> import surveykit as sk
    >>> banners = sk.example_data().index_banners()
    >>> sorted(banners) == sorted(sk.example_data().questionnaire.segments)
    True
    """
    q = data.questionnaire
    ix = survey_indices(data, segments=(), language=language)
    rows = {ix.overall.at[k, "label"]: ix.results[k].scores for k in ("satisfaction_index", "loyalty_index",
                                                                       "value_index") if k in ix.results}
    out = {}
    if not rows:
        return out
    frame = pd.DataFrame(rows)
    for s in (q.segments if segments is None else segments):
        try:
            out[s] = banner(frame.assign(**{s: data.segment_labels(s).array}), s, list(rows), kind="mean",
                            weights=data.weights)
        except (SurveykitError, ValueError) as exc:
            warnings.warn(f"{s}: {exc}", SurveykitWarning, stacklevel=2)
    return out
