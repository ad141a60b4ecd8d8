"""The questionnaire layer of the satisfaction methods: KANO, SERVQUAL gaps, penalty-reward, item discrimination.

Each call reads the items from the questionnaire's roles (``kano``; ``service_expectations`` /
``service_perceptions`` with the ``servqual`` options; ``drivers``; the constructs), applies
reverse keys and the survey weights where the method has a weighted form, labels everything
in the questionnaire's language and calls the numeric layer once. The result keeps what was
chosen (items, rules, weighting) and what the user should know (``notes``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._checks import first_names, first_rows, plural
from .._render import Summary
from .._result import Result
from ..errors import DataError, QuestionnaireError, SurveykitError, SurveykitWarning, check_option
from .discrimination import DiscriminationResult, item_discrimination
from .kano import KanoResult, kano
from .penalty_reward import PenaltyRewardResult, penalty_reward
from .servqual import ServqualResult, servqual

if TYPE_CHECKING:  # pragma: no cover
    from ..data import SurveyData

__all__ = ["SurveyDiscrimination", "SurveyKano", "SurveyPenaltyReward", "SurveyServqual", "survey_item_discrimination",
           "survey_kano", "survey_penalty_reward", "survey_servqual"]

#: names of the five SERVQUAL dimensions (Parasuraman, Zeithaml & Berry 1988) when a role uses these keys
SERVQUAL_DIMENSIONS = {"tangibles": ("有形性", "Tangibles"), "reliability": ("可靠性", "Reliability"),
                       "responsiveness": ("响应性", "Responsiveness"), "assurance": ("保证性", "Assurance"),
                       "empathy": ("移情性", "Empathy")}
#: an item discriminates when its critical ratio is at least this and significant at DISCRIMINATION_ALPHA
#: (the CR >= 3 rule of thumb of Chinese thesis practice, 吴明隆《问卷统计分析实务》2010; the same as
#: surveykit.DEFAULT_RULES.critical_ratio_min, which the interpretation applies)
CR_MIN, DISCRIMINATION_ALPHA = 3.0, 0.05
UNWEIGHTED = ("The study is weighted, but {method} has no weighted form here: it is computed unweighted "
              "(each respondent counts once).")


class _Wrapped(Result):
    """Behaviour of the questionnaire-layer results: the numeric result in ``result``, interpreted as is."""

    __slots__ = ()

    def interpret(self, language: str = "zh", rules=None):
        """The numeric result's interpretation (see :meth:`surveykit._result.Result.interpret`); its
        rows are already named in the questionnaire's language."""
        return self.result.interpret(language, rules)

    def summary(self) -> Summary:
        s = self.result.summary()
        return Summary(title=s.title, lines=[*s.lines, *(n for n in self.notes if n not in s.lines)], tables=s.tables)


def _language(q, language) -> str:
    lang = language or q.language
    check_option("language", lang, ("zh", "en", "both"), function="the satisfaction survey calls")
    return lang


def _unique(labels: dict) -> dict:
    """key -> label, a label given twice made unique by its key ('价格 (price_2)')."""
    counts = pd.Series(list(labels.values())).value_counts()
    return {k: (f"{v} ({k})" if counts[v] > 1 else v) for k, v in labels.items()}


def _run(notes: list, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, its SurveykitWarnings appended to ``notes`` (once each)."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", SurveykitWarning)
        result = fn(*args, **kwargs)
    for message in dict.fromkeys(str(w.message) for w in records if issubclass(w.category, SurveykitWarning)):
        if message not in notes:
            notes.append(message)
    return result


def _read_exclusions(data, items: list, what: str) -> list[str]:
    """Notes for answers to ``items`` that the read set aside (outside the scale, unknown option text)."""
    out = []
    for issue in data.read_issues:
        if issue.item in items and issue.code in ("out_of_range", "unknown_option") and issue.count:
            out.append(f"Item {issue.item!r} (column {issue.column!r}): {plural(issue.count, 'answer')} "
                       f"({first_names(issue.values)}) {'are' if issue.count > 1 else 'is'} none of {what} and "
                       f"{'were' if issue.count > 1 else 'was'} read as missing, so left out "
                       f"(rows {first_rows(issue.rows)}; validation code {issue.code!r}).")
    return out


# -- KANO ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyKano(_Wrapped):
    """KANO analysis of the questionnaire's ``kano`` role.

    Attributes
    ----------
    result : KanoResult
        Indexed by the attributes' labels in ``language``.
    attributes : dict
        Label -> (attribute key, functional item, dysfunctional item).
    weighted : bool
        Counts are sums of the survey weights (the questionnaire names a weight column).
    language : str
    notes : tuple of str
        Answers set aside at reading, attributes without A/O/M/I answers, the weighting.
    """

    result: KanoResult
    attributes: dict
    weighted: bool
    language: str
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The KANO table with the ``attribute`` key, ``functional`` and ``dysfunctional`` item ids."""
        t = self.result.to_frame()
        keys = pd.DataFrame(self.attributes, index=["key", "functional", "dysfunctional"]).T
        return keys.join(t)

    def __repr__(self) -> str:
        return f"<SurveyKano n_attributes={len(self.attributes)} weighted={self.weighted} language={self.language!r}>"


def survey_kano(data: "SurveyData", *, language: str | None = None) -> SurveyKano:
    """KANO analysis of every attribute of the ``kano`` role (:func:`surveykit.kano`).

    Parameters
    ----------
    data : SurveyData
    language : {'zh', 'en', 'both'}, optional
        Language of the attribute labels (default: the questionnaire's).

    Returns
    -------
    SurveyKano
        Counts are sums of the survey weights when the questionnaire names a weight column
        (``weighted`` says so, and Fong's test uses Kish's effective n).

    Raises
    ------
    QuestionnaireError
        The questionnaire has no ``kano`` role.
    DataError
        An answer that is none of the five options (codes 1-5) in the responses: item, export
        column, how many and the first respondents are named. Answers the read itself found
        outside the scale are already missing; they are left out and listed in ``notes``.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.example.satisfaction import kano_data
    >>> r = kano_data().kano()
    >>> sorted(set(r.result.table["category"]) & {"A", "O", "M", "I"})
    ['A', 'I', 'M', 'O']
    """
    q = data.questionnaire
    lang = _language(q, language)
    pairs = q.kano_attributes()
    if not pairs:
        raise QuestionnaireError(q.id, [("roles.kano", "the KANO analysis needs the role 'kano': each attribute "
                                                       "with its functional and dysfunctional question, e.g. "
                                                       "'kano: {wifi: {functional: kf_wifi, dysfunctional: kd_wifi}}'")])
    labels = _unique({a: p.label.get(lang) if p.label is not None else a for a, p in pairs.items()})
    items = [i for p in pairs.values() for i in (p.functional, p.dysfunctional)]
    responses = data.responses
    _check_kano_codes(data, items)
    functional = pd.DataFrame({labels[a]: responses[p.functional] for a, p in pairs.items()})
    dysfunctional = pd.DataFrame({labels[a]: responses[p.dysfunctional] for a, p in pairs.items()})
    notes = _read_exclusions(data, items, "the five Kano options")
    weights = data.weights
    result = _run(notes, kano, functional, dysfunctional, weights=weights)
    if weights is not None:
        notes.append("Weighted: counts and shares are sums of the survey weights; Fong's test uses Kish's effective n.")
    attributes = {labels[a]: (a, p.functional, p.dysfunctional) for a, p in pairs.items()}
    return SurveyKano(result=result, attributes=attributes, weighted=weights is not None, language=lang,
                      notes=tuple(notes))


def _check_kano_codes(data, items: list) -> None:
    """A DataError naming every KANO item holding codes other than 1-5 (a hand-built or edited SurveyData)."""
    parts = []
    for item in items:
        x = pd.to_numeric(data.responses[item], errors="coerce")
        bad = data.responses[item].notna() & ~x.isin([1, 2, 3, 4, 5])
        if bad.any():
            column = data.audit.column_map.get(item, data.questionnaire.item(item).source_column)
            values = list(dict.fromkeys(data.responses.loc[bad, item]))
            parts.append(f"item {item!r} (column {column!r}): {first_names(values)} in {plural(int(bad.sum()), 'row')} "
                         f"(respondents {first_rows(data.responses.index[bad.to_numpy()])})")
    if parts:
        raise DataError(f"KANO answers must be one of the five options, coded 1 我很喜欢/Like, 2 理所当然/Must-be, "
                        f"3 无所谓/Neutral, 4 能忍受/Live with, 5 我很不喜欢/Dislike; {'; '.join(parts)}. Declare "
                        "the other codes under 'missing_codes', or correct the responses.")


# -- SERVQUAL -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyServqual(_Wrapped):
    """SERVQUAL gaps of the roles ``service_expectations`` and ``service_perceptions``.

    Attributes
    ----------
    result : ServqualResult
        Items indexed by their labels (the perception item's text), dimensions by theirs.
    pairs : dict
        Item label -> (expectation item, perception item).
    dimensions : dict
        Dimension label -> dimension key of the roles.
    weighted : bool
        Survey-weighted means with linearized standard errors.
    language : str
    notes : tuple of str
    """

    result: ServqualResult
    pairs: dict
    dimensions: dict
    weighted: bool
    language: str
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The item table with the ``expectation`` item id beside the ``perception`` item id."""
        t = self.result.to_frame()
        t.insert(0, "expectation", [self.pairs[i][0] for i in t.index])
        return t

    def __repr__(self) -> str:
        return f"<SurveyServqual n_items={len(self.pairs)} n_dimensions={len(self.dimensions)} weighted={self.weighted}>"


def survey_servqual(data: "SurveyData", *, ci_level: float = 0.95, language: str | None = None) -> SurveyServqual:
    """SERVQUAL gap scores from the roles (:func:`surveykit.servqual`).

    The k-th expectation item of each dimension pairs with the k-th perception item of the
    same dimension (or as the ``servqual`` role's ``pairs`` say); the dimensions are the
    roles' keys; the ``servqual`` role's ``importance`` (points out of 100) gives the
    weighted SERVQUAL score. Reverse-worded items are recoded first.

    Parameters
    ----------
    data : SurveyData
    ci_level : float, default 0.95
    language : {'zh', 'en', 'both'}, optional

    Returns
    -------
    SurveyServqual
        Weighted means with linearized standard errors when the questionnaire names a weight
        column (``weighted``); the item, dimension and score tables then have ``effective_n``
        after ``n_obs``: Kish's effective n, (Σw)² / Σw², of the respondents each row uses
        (those who answered the pair; every pair of the dimension; every pair of the score).

    Raises
    ------
    QuestionnaireError
        Without the two roles, or with an expectation item that has no perception partner
        (load_questionnaire already refuses such a file; a questionnaire built otherwise is
        checked again here).

    Examples
    --------
    >>> from surveykit.example.satisfaction import servqual_data
    >>> r = servqual_data().servqual(language="zh")  # servqual.yaml is in both languages
    >>> r.result.dimensions.index.tolist()
    ['有形性', '可靠性', '响应性', '保证性', '移情性']
    """
    q = data.questionnaire
    lang = _language(q, language)
    try:
        pairs, dims, importance = q.servqual_design()
    except ValueError as exc:
        raise QuestionnaireError(q.id, [("roles", str(exc))]) from None
    item_labels = _unique({e: q.item(p).text.get(lang) for e, p in pairs.items()})
    dim_labels = _unique({d: _dimension_label(q, d, lang) for d in dims})
    scored = data.scored_items()
    expectations = scored[list(pairs)].rename(columns=item_labels)
    perceptions = scored[list(pairs.values())]
    notes = _read_exclusions(data, [*pairs, *pairs.values()], "the scale's answers")
    weights = data.weights
    result = _run(notes, servqual, expectations, perceptions,
                  pairs={item_labels[e]: p for e, p in pairs.items()},
                  dimensions={dim_labels[d]: [item_labels[e] for e in members] for d, members in dims.items()} or None,
                  importance=None if importance is None else {dim_labels[d]: v for d, v in importance.items()},
                  weights=weights, ci_level=ci_level)
    if weights is not None:
        notes.append("Weighted: survey-weighted means with linearized standard errors (R survey::svymean).")
        result = _with_effective_n(result, perceptions.to_numpy(float) - expectations.to_numpy(float), weights)
    return SurveyServqual(result=result, pairs={item_labels[e]: (e, p) for e, p in pairs.items()},
                          dimensions={dim_labels[d]: d for d in dims}, weighted=weights is not None, language=lang,
                          notes=tuple(notes))


def _with_effective_n(result: ServqualResult, gap: np.ndarray, w: np.ndarray) -> ServqualResult:
    """``result`` with ``effective_n`` (Kish, over the rows each test used) after ``n_obs`` in its three tables.

    ``gap`` is perception - expectation, one column per item in the order of ``result.items``: an item uses
    the respondents with its gap, a dimension those with every gap of its items, a score those with every
    gap of every dimension (of every item without dimensions), as :func:`~surveykit.satisfaction.servqual` does.
    """
    from dataclasses import replace

    ok = ~np.isnan(gap)
    items = list(result.items.index)
    dim_of = result.items["dimension"].to_numpy()

    def kish(rows: np.ndarray) -> float:
        return float(w[rows].sum() ** 2 / (w[rows] ** 2).sum()) if rows.any() else np.nan

    def insert(table: pd.DataFrame, values: list) -> pd.DataFrame:
        out = table.copy()
        out.insert(out.columns.get_loc("n_obs") + 1, "effective_n", values)
        return out

    members = {d: ok[:, dim_of == d].all(axis=1) for d in result.dimensions.index}
    scored = ok[:, [k for k in range(len(items)) if dim_of[k] in members]].all(axis=1) if members else ok.all(axis=1)
    return replace(result, items=insert(result.items, [kish(ok[:, k]) for k in range(len(items))]),
                   dimensions=insert(result.dimensions, [kish(members[d]) for d in result.dimensions.index]),
                   overall=insert(result.overall, [kish(scored)] * len(result.overall)))


def _dimension_label(q, dim: str, lang: str) -> str:
    if dim in SERVQUAL_DIMENSIONS:
        zh, en = SERVQUAL_DIMENSIONS[dim]
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")
    return dim


# -- penalty-reward -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyPenaltyReward(_Wrapped):
    """Penalty-reward analysis of the drivers of an outcome.

    Attributes
    ----------
    result : PenaltyRewardResult
        Indexed by the attributes' labels.
    attributes : dict
        Label -> the construct or item scored (its mean on the answer scale).
    outcome : str
        The construct or item regressed on the dummies (its mean on the answer scale).
    outcome_label : str
    scale_min, scale_max : float
        The attributes' answer scale; the default rules are its bottom and top two boxes.
    weighted : bool
        Always False: the regression is unweighted (a note says so for a weighted study).
    language : str
    notes : tuple of str
    """

    result: PenaltyRewardResult
    attributes: dict
    outcome: str
    outcome_label: str
    scale_min: float
    scale_max: float
    weighted: bool
    language: str
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        t = self.result.to_frame()
        t.insert(0, "key", [self.attributes[a] for a in t.index])
        return t

    def __repr__(self) -> str:
        return f"<SurveyPenaltyReward n_attributes={len(self.attributes)} outcome={self.outcome!r}>"


def _score(data, ref: str):
    """The mean score of a construct (its min_valid rule) or an item's answers, and their items."""
    q = data.questionnaire
    if ref in q.constructs:
        return data.construct_scores()[ref], list(q.items_of(ref))
    return data.scored_items()[ref], [ref]


def _ref_label(q, ref: str, lang: str) -> str:
    return (q.constructs[ref].label if ref in q.constructs else q.item(ref).text).get(lang) or ref


def survey_penalty_reward(data: "SurveyData", *, attributes=None, outcome: str | None = None, low=None, high=None,
                          ci_level: float = 0.95, language: str | None = None) -> SurveyPenaltyReward:
    """Penalty-reward analysis (:func:`surveykit.penalty_reward`) of the ``drivers`` role.

    The attributes are the ``drivers`` role's drivers and the overall rating its outcome
    (each construct scored as the mean of its reverse-coded items, on the answer scale);
    ``attributes`` and ``outcome`` name others. Low performance is a score in the bottom two
    boxes of the declared scale (<= min + 1), high in the top two (>= max - 1), unless
    ``low`` / ``high`` say otherwise.

    Parameters
    ----------
    data : SurveyData
    attributes : list of str, optional
        Constructs or items; default the ``drivers`` role's drivers.
    outcome : str, optional
        Construct or item; default the ``drivers`` role's outcome.
    low, high : number or list, optional
        See :func:`surveykit.penalty_reward`.
    ci_level : float, default 0.95
    language : {'zh', 'en', 'both'}, optional

    Returns
    -------
    SurveyPenaltyReward
        Unweighted: the regression has no survey-weighted form here (a weighted study gets a
        note saying so).

    Raises
    ------
    QuestionnaireError
        No ``drivers`` role and no ``attributes`` / ``outcome``; an unknown construct or item.

    Examples
    --------
    >>> from surveykit.example.satisfaction import kano_data
    >>> r = kano_data().penalty_reward()
    >>> r.result.low, r.result.high
    ('rating <= 2', 'rating >= 4')
    """
    q = data.questionnaire
    lang = _language(q, language)
    declared = q.roles.get("drivers")
    if attributes is None or outcome is None:
        if declared is None or isinstance(declared, str):
            raise QuestionnaireError(q.id, [("roles.drivers", "penalty-reward needs the attributes and the overall "
                                                              "rating: name them in the role 'drivers' (e.g. "
                                                              "'drivers: {outcome: satisfaction, drivers: [hardware, "
                                                              "service]}') or pass attributes= and outcome=")])
        attributes = list(declared.drivers) if attributes is None else attributes
        outcome = declared.outcome if outcome is None else outcome
    attributes = [attributes] if isinstance(attributes, str) else list(attributes)
    unknown = [r for r in [*attributes, outcome] if r not in q.constructs and r not in q.item_ids]
    if unknown:
        raise QuestionnaireError(q.id, [("penalty_reward", f"unknown construct or item {r!r}") for r in unknown])
    labels = _unique({a: _ref_label(q, a, lang) for a in attributes})
    scores, items = {}, []
    for a in attributes:
        scores[labels[a]], members = _score(data, a)
        items += members
    y, _ = _score(data, outcome)
    lo = min(q.scale_of(i).min for i in items)
    hi = max(q.scale_of(i).max for i in items)
    notes: list[str] = []
    result = _run(notes, penalty_reward, pd.DataFrame(scores), y.to_numpy(float),
                  low=lo + 1 if low is None else low, high=hi - 1 if high is None else high, ci_level=ci_level)
    if data.weights is not None:
        notes.append(UNWEIGHTED.format(method="the penalty-reward regression"))
    return SurveyPenaltyReward(result=result, attributes={labels[a]: a for a in attributes}, outcome=outcome,
                               outcome_label=_ref_label(q, outcome, lang), scale_min=lo, scale_max=hi, weighted=False,
                               language=lang, notes=tuple(notes))


# -- item discrimination ------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyDiscrimination(Result):
    """Extreme-group item discrimination (critical ratio) of the questionnaire's constructs.

    Attributes
    ----------
    results : dict
        Construct (or ``'total'``) -> :class:`DiscriminationResult`, items by id.
    labels : dict
        Item id -> its text in ``language``; construct -> its label.
    by : {'construct', 'total'}
        Groups formed by each construct's total score, or by the total of all the items.
    groups : float
    weighted : bool
        Always False (a weighted study gets a note).
    language : str
    notes : tuple of str
        Constructs left out, with the reason; the weighting.
    """

    results: dict[str, DiscriminationResult]
    labels: dict
    by: str
    groups: float
    weighted: bool
    language: str
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per item: ``construct``, ``label`` (the item's text) and the discrimination columns,
        with ``n_low``, ``n_high`` of its groups and ``discriminates`` (CR >= :data:`CR_MIN` and
        p < :data:`DISCRIMINATION_ALPHA`)."""
        frames = []
        for name, r in self.results.items():
            t = r.to_frame()
            t.insert(0, "label", [self.labels.get(i, i) for i in t.index])
            t.insert(0, "construct", name)
            t["n_low"], t["n_high"] = r.n_low, r.n_high
            t["discriminates"] = (t["cr"] >= CR_MIN) & (t["p_value"] < DISCRIMINATION_ALPHA)
            frames.append(t)
        return pd.concat(frames) if frames else pd.DataFrame()

    def summary(self) -> Summary:
        lines = [f"Extreme groups ({self.groups:.0%} each side) by the total score of "
                 f"{'each construct' if self.by == 'construct' else 'all the items'}; CR = Student's t", *self.notes]
        return Summary(title="Item discrimination (critical ratio)", lines=lines, tables=[("Items", self.to_frame())])

    def __repr__(self) -> str:
        n = sum(len(r.table) for r in self.results.values())
        return f"<SurveyDiscrimination n_items={n} n_groups={len(self.results)} by={self.by!r}>"


def survey_item_discrimination(data: "SurveyData", constructs=None, *, by: str = "construct", groups: float = 0.27,
                               language: str | None = None) -> SurveyDiscrimination:
    """Item discrimination (:func:`surveykit.item_discrimination`) of the multi-item constructs.

    Items are reverse-coded first. With ``by='construct'`` (default) the extreme groups are
    formed by each construct's total score, so an item is judged against the scale it belongs
    to; ``by='total'`` forms them once, by the total of all the constructs' items (the
    whole-questionnaire 项目分析 of many theses). Respondents missing an item of the
    construct (or of any construct, for ``'total'``) are left out.

    Parameters
    ----------
    data : SurveyData
    constructs : list of str, optional
        Default: every construct with two or more items.
    by : {'construct', 'total'}, default 'construct'
    groups : float, default 0.27
        Share of respondents in each extreme group (Kelley 1939).
    language : {'zh', 'en', 'both'}, optional

    Returns
    -------
    SurveyDiscrimination
        Unweighted (a weighted study gets a note). A construct whose groups cannot be formed
        (too few respondents, too many ties) is left out with the reason in ``notes``.

    Raises
    ------
    QuestionnaireError
        No construct of two or more items; an unknown construct.

    Examples
    --------
    >>> import surveykit as sk
    >>> r = sk.example_data().item_discrimination()
    >>> bool((r.to_frame()["cr"] > 3).all())
    True
    """
    q = data.questionnaire
    lang = _language(q, language)
    check_option("by", by, ("construct", "total"), function="item_discrimination")
    names = [c for c, k in q.constructs.items() if len(k.items) >= 2] if constructs is None else (
        [constructs] if isinstance(constructs, str) else list(constructs))
    unknown = [c for c in names if c not in q.constructs]
    if unknown or not names:
        raise QuestionnaireError(q.id, [("constructs", f"unknown construct {c!r}") for c in unknown] or [
            ("constructs", "item discrimination needs a construct of two or more items")])
    scored = data.scored_items()
    plan = {c: list(q.items_of(c)) for c in names} if by == "construct" else {
        "total": list(dict.fromkeys(i for c in names for i in q.items_of(c)))}
    results, notes = {}, []
    for name, items in plan.items():
        try:
            results[name] = _run(notes, item_discrimination, scored[items], groups=groups)
        except (SurveykitError, ValueError) as exc:
            notes.append(f"{name}: {exc}")
    if data.weights is not None:
        notes.append(UNWEIGHTED.format(method="the extreme-group t test"))
    labels = {i: q.item(i).text.get(lang) for items in plan.values() for i in items}
    labels.update({c: q.constructs[c].label.get(lang) for c in names})
    return SurveyDiscrimination(results=results, labels=labels, by=by, groups=float(groups), weighted=False,
                                language=lang, notes=tuple(notes))
