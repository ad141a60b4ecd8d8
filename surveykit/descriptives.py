"""Item descriptives: n, mean, sd, distribution and top-/bottom-box of rating items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._checks import check_finite, rows_where
from ._render import Summary
from ._result import Result
from .errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    from .data import SurveyData

__all__ = ["effective_n_text", "weight_note", "describe_items", "ItemDescriptives", "SurveyDescriptives", "describe_survey", "SampleProfile", "profile_segments",
           "FrequencyTable", "frequencies", "multiple_response", "ranking_summary", "ranking_faults",
           "ChoiceFrequencies", "choice_frequencies"]


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
    notes: tuple = ()  # why a statistic is NaN (an item without answers, or with one)

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


_LISTED_CATEGORIES = 1_000


def _box_share(x: np.ndarray, wm: np.ndarray, sw: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Per column, the weighted share of the valid answers that are whole numbers in ``lo..hi`` (a box)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        inside = (x >= lo) & (x <= hi) & (x == np.round(x))
        return (wm * inside).sum(axis=0) / sw


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
    x = data.to_numpy(dtype=float)
    check_finite(x, data.columns, data.index, "describe_items")  # an infinite or overflowing answer: a DataError
    # the scale's categories; on a scale of more than _LISTED_CATEGORIES (declared 1..1e12, say) the values
    # answered, so that memory follows the data and not the declaration
    codes = (np.arange(scale_min, scale_max + 1, dtype=float) if scale_max - scale_min < _LISTED_CATEGORIES
             else np.unique(x[~np.isnan(x)]))
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
        "top_box": _box_share(x, wm, sw, scale_max - top_k + 1, scale_max),
        "bottom_box": _box_share(x, wm, sw, scale_min, scale_min + top_k - 1),
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
        weighted=weights is not None, notes=_nan_notes(data.columns, n),
    )


def _nan_notes(items, n: np.ndarray) -> tuple:
    """Why an item's statistics are NaN: no answers (every statistic), one answer (the SD)."""
    notes = []
    for k, what in [(0, "no answers: every statistic is NaN"), (1, "one answer: the SD is NaN")]:
        names = [str(i) for i, m in zip(items, n) if m == k]
        if names:
            notes.append(f"{len(names)} item{'s have' if len(names) > 1 else ' has'} {what} "
                         f"({', '.join(map(repr, names[:5]))}{' ...' if len(names) > 5 else ''}).")
    return tuple(notes)


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


# -- frequencies of choice questions (issue 16) ------------------------------------------------

@dataclass(frozen=True)
class FrequencyTable(Result):
    """Answers to one choice question: single choice, multiple choice or ranking.

    Attributes
    ----------
    table : DataFrame
        Indexed by option code, with ``label`` and ``count`` (respondents, unweighted), and
        single choice: ``share`` of the answers; multiple choice: ``share_respondents`` (of
        respondents who answered: the column sums to more than 1) and ``share_responses`` (of
        all options chosen: sums to 1); ranking: ``mean_rank`` (over the respondents who ranked
        the option; 1 = first) and ``first_share`` (share of answering respondents who put it
        first). Shares and mean ranks are weighted when ``weighted``.
    kind : {'single_choice', 'multiple_choice', 'ranking'}
    n_obs : int
        Respondents who answered (unweighted).
    n_not_answered, n_not_shown : int
        Respondents who saw the question and left it empty, and those skip logic did not show it to.
    effective_n : float or None
        Kish's effective n of the answering respondents' weights (None unweighted).
    notes : tuple of str
        Why a share or mean rank is NaN (nobody answered, no option chosen, an option nobody
        ranked), and rankings that repeat a rank or use one outside 1..k.
    """

    table: pd.DataFrame
    kind: str
    n_obs: int
    n_not_answered: int = 0
    n_not_shown: int = 0
    weighted: bool = False
    effective_n: float | None = None
    name: str | None = None
    text: str = ""
    notes: tuple = ()

    @property
    def weight_note(self) -> str:
        return weight_note(self.effective_n if self.weighted else None)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        return Summary(title=f"Frequencies: {self.text or self.name or self.kind}",
                       lines=[f"{self.kind}; n = {self.n_obs} answered, {self.n_not_answered} not answered, "
                              f"{self.n_not_shown} not shown; {self.weight_note}, counts unweighted", *self.notes],
                       tables=[("Options", self.table)])

    def __repr__(self) -> str:
        return self._one_line(f"kind={self.kind!r} n_obs={self.n_obs} n_options={len(self.table)}")


def _choice_weights(n: int, index, weights, function: str) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    from ._design import read_design

    return read_design(n, index, weights, None, None, function).weights


def _kish(w: np.ndarray) -> float:
    return float(w.sum() ** 2 / (w ** 2).sum()) if len(w) else float("nan")


def _not_shown(not_shown, n: int) -> np.ndarray:
    return np.zeros(n, bool) if not_shown is None else np.asarray(not_shown, dtype=bool)


def frequencies(values, *, labels: dict | None = None, weights=None, not_shown=None, name: str | None = None,
                text: str = "") -> FrequencyTable:
    """Counts and shares of a single-choice question.

    Parameters
    ----------
    values : Series or array-like
        One code per respondent; NaN where not answered (or not shown).
    labels : dict, optional
        Code -> option text; every listed option gets a row (count 0 if nobody chose it), in
        this order; codes answered but not listed follow.
    weights : array-like, optional
        Survey weights: ``share`` is then the weighted share (R ``svymean(~factor(x))``, equal to
        ``prop.table(svytable(~x))``); ``count`` stays respondents.
    not_shown : array-like of bool, optional
        Respondents skip logic did not show the question to: counted apart from "not answered".

    Returns
    -------
    FrequencyTable

    Raises
    ------
    DataError
        A code that is infinite, or beyond 1e50 or (non-zero) below 1e-50 in magnitude: no option
        has such a code.

    Notes
    -----
    Shares are of the respondents who answered, as R ``prop.table(table(x))`` and the "valid
    percent" of SPSS FREQUENCIES. When nobody answered, the shares (and the effective n) are
    NaN and ``notes`` says so.

    Examples
    --------
    >>> from surveykit.descriptives import frequencies
    >>> f = frequencies([1, 2, 2, None], labels={1: "男", 2: "女"})
    >>> f.table["share"].round(3).tolist(), f.n_obs, f.n_not_answered
    ([0.333, 0.667], 3, 1)
    """
    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    x = s.to_numpy()
    check_finite(x, [name or "values"], s.index, "frequencies", what="Item")
    w = _choice_weights(len(x), s.index, weights, "frequencies")
    hidden = _not_shown(not_shown, len(x))
    ok = ~np.isnan(x)
    codes = [float(c) for c in (labels or {})]
    codes += sorted(set(np.unique(x[ok]).tolist()) - set(codes))
    count = [int((x == c).sum()) for c in codes]
    total = w[ok].sum()
    share = [float(w[x == c].sum() / total) if total else np.nan for c in codes]
    lab = {float(k): str(v) for k, v in (labels or {}).items()}
    table = pd.DataFrame({"label": [lab.get(c, f"{c:g}") for c in codes], "count": count, "share": share},
                         index=pd.Index(codes, name="code"))
    return FrequencyTable(table=table, kind="single_choice", n_obs=int(ok.sum()),
                          n_not_answered=int((~ok & ~hidden).sum()), n_not_shown=int((~ok & hidden).sum()),
                          weighted=weights is not None, effective_n=_kish(w[ok]) if weights is not None else None,
                          name=name, text=text, notes=_no_answer_note(int(ok.sum()), name))


def _no_answer_note(n_obs: int, name, stats: str = "shares") -> tuple:
    """The note of a question nobody answered: its ``stats`` (and effective n) are NaN."""
    if n_obs:
        return ()
    what = f"question {name!r}" if name else "the question"
    return (f"Nobody answered {what}: its {stats} (and effective n) are NaN (undefined), not 0.",)


def multiple_response(indicators: pd.DataFrame, *, labels: dict | None = None, weights=None, not_shown=None,
                      name: str | None = None, text: str = "") -> FrequencyTable:
    """Counts, % of respondents and % of responses of a multiple-choice question.

    Parameters
    ----------
    indicators : DataFrame
        One column per option (in ``labels`` order), 1 chosen / 0 not; a row of NaN is a
        respondent who did not answer.
    labels : dict, optional
        Code -> option text, one per column.
    weights, not_shown
        As :func:`frequencies`.

    Returns
    -------
    FrequencyTable
        ``share_respondents`` = (Σ w · chosen) / (Σ w over answering respondents), R
        ``svymean(~chosen, subset(design, answered))``; ``share_responses`` = (Σ w · chosen) /
        (Σ w · options chosen), the "percent of responses" of SPSS MULT RESPONSE. When no
        answering respondent chose any option, ``share_responses`` is NaN (0 of 0 responses)
        and ``notes`` says so.

    Raises
    ------
    DataError
        A cell other than 0, 1 or NaN (counting 2 or -1 as "chosen" or "not" would be a guess).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.descriptives import multiple_response
    >>> m = multiple_response(pd.DataFrame({"a": [1, 1, 0, None], "b": [1, 0, 1, None]}))
    >>> m.table[["share_respondents", "share_responses"]].round(3).values.tolist()
    [[0.667, 0.5], [0.667, 0.5]]
    """
    x = indicators.to_numpy(dtype=float)
    _check_indicators(x, indicators)
    w = _choice_weights(len(x), indicators.index, weights, "multiple_response")
    hidden = _not_shown(not_shown, len(x))
    ok = ~np.isnan(x).all(axis=1)
    chosen = np.nan_to_num(x[ok], nan=0.0) > 0
    wk = w[ok]
    wsum = (wk[:, None] * chosen).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({
            "label": _option_labels(indicators.columns, labels),
            "count": chosen.sum(axis=0).astype(np.int64),
            "share_respondents": wsum / wk.sum(),
            "share_responses": wsum / wsum.sum(),
        }, index=_option_index(indicators.columns, labels))
    notes = _no_answer_note(int(ok.sum()), name)
    if ok.any() and not chosen.any():
        notes += (f"None of the {int(ok.sum())} answering respondents chose any option: share_responses (% of "
                  "responses) is NaN, 0 responses of 0; share_respondents is 0.",)
    return FrequencyTable(table=table, kind="multiple_choice", n_obs=int(ok.sum()),
                          n_not_answered=int((~ok & ~hidden).sum()), n_not_shown=int((~ok & hidden).sum()),
                          weighted=weights is not None, effective_n=_kish(wk) if weights is not None else None,
                          name=name, text=text, notes=notes)


def _check_indicators(x: np.ndarray, indicators: pd.DataFrame) -> None:
    """A DataError naming the column, values and rows of cells that are not 0, 1 or NaN."""
    bad = ~np.isnan(x) & (x != 0) & (x != 1)
    if bad.any():
        j = int(np.flatnonzero(bad.any(axis=0))[0])
        values = ", ".join(f"{v:g}" for v in np.unique(x[bad[:, j], j])[:5])
        raise DataError(f"Column {str(indicators.columns[j])!r} of multiple_response holds {values} in "
                        f"{rows_where(bad[:, j], indicators.index)} ({int(bad.sum())} cells in all); an option "
                        "column holds 1 (chosen), 0 (not chosen) or NaN (not answered). Recode the column, "
                        "e.g. (x == code).astype(float).where(x.notna()).")


def ranking_summary(ranks: pd.DataFrame, *, labels: dict | None = None, weights=None, not_shown=None,
                    name: str | None = None, text: str = "") -> FrequencyTable:
    """Mean rank and first-choice share of each option of a ranking question.

    Parameters
    ----------
    ranks : DataFrame
        One column per option, the rank each respondent gave it (1 = first); NaN where not
        ranked. A row of NaN is a respondent who did not answer.
    labels, weights, not_shown
        As :func:`frequencies`.

    Returns
    -------
    FrequencyTable
        ``mean_rank`` over the respondents who ranked the option (weighted: R ``svymean(~rank,
        na.rm = TRUE)``), ``first_share`` of answering respondents who ranked it first, ``count``
        of respondents who ranked it. ``notes`` names NaN mean ranks (an option nobody ranked)
        and respondents who gave one rank to two options, a rank outside 1..k (k options) or
        skipped a rank:
        such rankings are summarised as given, so check them (:func:`surveykit.validate`
        reports them as ``bad_ranking`` for a questionnaire's ranking items).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.descriptives import ranking_summary
    >>> r = ranking_summary(pd.DataFrame({"a": [1, 2, 1], "b": [2, 1, 2]}))
    >>> r.table["mean_rank"].round(3).tolist(), r.table["first_share"].round(3).tolist()
    ([1.333, 1.667], [0.667, 0.333])
    """
    x = ranks.to_numpy(dtype=float)
    w = _choice_weights(len(x), ranks.index, weights, "ranking_summary")
    hidden = _not_shown(not_shown, len(x))
    ok = ~np.isnan(x).all(axis=1)
    xk, wk = x[ok], w[ok]
    ranked = ~np.isnan(xk)
    wm = np.where(ranked, wk[:, None], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({
            "label": _option_labels(ranks.columns, labels),
            "count": ranked.sum(axis=0).astype(np.int64),
            "mean_rank": (wm * np.nan_to_num(xk)).sum(axis=0) / wm.sum(axis=0),
            "first_share": (wk[:, None] * (xk == 1)).sum(axis=0) / wk.sum(),
        }, index=_option_index(ranks.columns, labels))
    notes = _no_answer_note(int(ok.sum()), name, "mean ranks and first-choice shares")
    if ok.any():
        notes += _ranking_notes(xk, ranked, table["label"].tolist(), ranks.index[ok])
    return FrequencyTable(table=table, kind="ranking", n_obs=int(ok.sum()),
                          n_not_answered=int((~ok & ~hidden).sum()), n_not_shown=int((~ok & hidden).sum()),
                          weighted=weights is not None, effective_n=_kish(wk) if weights is not None else None,
                          name=name, text=text, notes=notes)


def ranking_faults(ranks: np.ndarray) -> dict[str, np.ndarray]:
    """Rows of a rows x k array of ranks (NaN: not ranked) that are no ranking: ``repeated`` (one rank given
    to two options), ``outside`` (a rank outside 1..k or not whole) and ``gap`` (distinct ranks in 1..k
    that skip one: 1, 3 without 2; what a joined cell naming one option twice leaves). Shared with the
    ``bad_ranking`` check of :func:`surveykit.validate`."""
    k = ranks.shape[1]
    with np.errstate(invalid="ignore"):
        outside = (~np.isnan(ranks) & ((ranks < 1) | (ranks > k) | (ranks != np.round(ranks)))).any(axis=1)
    ordered = np.sort(ranks, axis=1)  # NaN last
    repeated = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1) if k > 1 else np.zeros(len(ranks), bool)
    n_ranked = (~np.isnan(ranks)).sum(axis=1)
    top = np.nanmax(np.where(np.isnan(ranks), 0.0, ranks), axis=1, initial=0.0)
    gap = ~repeated & ~outside & (top != n_ranked)
    return {"repeated": repeated, "outside": outside, "gap": gap}


def _ranking_notes(xk: np.ndarray, ranked: np.ndarray, labels: list, index) -> tuple:
    """Options nobody ranked (NaN mean rank), rows with a repeated rank or one outside 1..k."""
    notes = []
    never = [lab for lab, r in zip(labels, ranked.any(axis=0)) if not r]
    if never:
        notes.append(f"{len(never)} option(s) ranked by nobody ({', '.join(map(repr, never[:5]))}): "
                     "their mean_rank is NaN (undefined).")
    faults = ranking_faults(xk)
    for fault, what in [("repeated", "gave the same rank to two options"),
                        ("outside", f"gave a rank outside 1..{xk.shape[1]} (or not a whole number)"),
                        ("gap", "skipped a rank (e.g. 1 and 3 without 2)")]:
        mask = faults[fault]
        if mask.any():
            notes.append(f"{int(mask.sum())} respondent(s) {what} ({rows_where(mask, index)}); the summary "
                         "counts their ranks as given: check or exclude them.")
    return tuple(notes)


def _option_index(columns, labels) -> pd.Index:
    if labels is not None and len(labels) == len(columns):
        return pd.Index([float(c) for c in labels], name="code")
    return pd.Index(list(columns), name="code")


def _option_labels(columns, labels) -> list[str]:
    if labels is not None and len(labels) == len(columns):
        return [str(v) for v in labels.values()]
    return [str(c) for c in columns]


@dataclass(frozen=True)
class ChoiceFrequencies(Result):
    """A :class:`FrequencyTable` for every choice question of a survey (single, multiple, ranking), by item id."""

    tables: dict[str, FrequencyTable]
    weighted: bool = False

    def to_frame(self) -> pd.DataFrame:
        return pd.concat({k: v.table for k, v in self.tables.items()}, names=["item", "code"]) if self.tables else \
            pd.DataFrame()

    def summary(self) -> Summary:
        return Summary(title="Choice questions", lines=[f"{len(self.tables)} questions"],
                       tables=[(f"{k} ({v.kind}): {v.text}; {v.weight_note}", v.table) for k, v in self.tables.items()])

    def __repr__(self) -> str:
        return f"<ChoiceFrequencies n_items={len(self.tables)} weighted={self.weighted}>"


def choice_frequencies(data: "SurveyData", items=None, *, language: str | None = None) -> ChoiceFrequencies:
    """Frequencies of the survey's single-choice, multiple-choice and ranking items.

    Weighted by the questionnaire's weight column when it names one (see :func:`frequencies`);
    "not shown" (skip logic) counted apart from "not answered", whatever the export layout.

    Examples
    --------
    >>> import surveykit as sk
    >>> f = sk.example_data().frequencies()
    >>> f.weighted, f.tables["gender"].kind
    (False, 'single_choice')
    """
    q = data.questionnaire
    lang = language or q.language
    kinds = ("single_choice", "multiple_choice", "ranking")
    ids = list(items) if items is not None else [i for i in q.item_ids if q.scale_of(i).type in kinds]
    weights = data.weights
    out = {}
    for i in ids:
        scale = q.scale_of(i)
        if scale.type not in kinds:
            raise ValueError(f"Item {i!r} is {scale.type}; frequencies are for single_choice, multiple_choice "
                             "and ranking items.")
        labels = {float(c): t.get(lang) for c, t in scale.labels.items()}
        hidden = data.meta.get(f"not_shown:{i}")
        opts = dict(labels=labels, weights=weights, name=i, text=q.item(i).text.get(lang),
                    not_shown=None if hidden is None else hidden.to_numpy(bool))
        if scale.type == "single_choice":
            out[i] = frequencies(data.responses[i], **opts)
        else:
            block = data.responses.loc[:, [f"{i}_{c:g}" for c in labels]]
            out[i] = (multiple_response if scale.type == "multiple_choice" else ranking_summary)(block, **opts)
    return ChoiceFrequencies(tables=out, weighted=weights is not None)
