"""SERVQUAL gap scores (Parasuraman, Zeithaml & Berry 1988): perception minus expectation.

Per item the gap P - E of each respondent, its mean with a paired t test; per dimension
(tangibles, reliability, responsiveness, assurance, empathy, or any grouping given) the mean
of the dimension's item gaps per respondent, tested the same way; and the unweighted and
importance-weighted SERVQUAL scores (Parasuraman, Zeithaml & Berry 1991: each dimension's gap
weighted by the points out of 100 the respondents allot to it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_level, check_weights, first_names
from .._render import Summary
from .._result import Result
from ..errors import DataError, numeric_frame
from ._ttest import one_sample

__all__ = ["ServqualResult", "servqual"]

TEST_COLUMNS = ["estimate", "se", "t", "df", "p_value", "ci_low", "ci_high", "n_obs"]


@dataclass(frozen=True)
class ServqualResult(Result):
    """SERVQUAL gaps by item, by dimension and overall.

    Attributes
    ----------
    items : DataFrame
        By expectation item: ``perception`` (its partner column), ``dimension``,
        ``expectation_mean``, ``perception_mean`` and the gap P - E: ``estimate``, ``se``,
        ``t``, ``df``, ``p_value``, ``ci_low``, ``ci_high``, ``n_obs`` (respondents with
        both answers).
    dimensions : DataFrame
        By dimension, the same test of each respondent's mean item gap (respondents who
        answered every item pair of the dimension), plus ``n_items`` and ``importance``.
    overall : DataFrame
        Rows 'unweighted' (mean of the dimension gaps per respondent) and 'weighted' (by
        the importance points / 100, when given), respondents with every dimension.
    importance : Series or None
        Points per dimension (summing to 100).
    ci_level : float
    weighted : bool
        Survey weights were used (weighted means, linearized standard errors).
    n_respondents : int
    notes : tuple of str
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    importance: pd.Series | None
    ci_level: float
    weighted: bool
    n_respondents: int
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The item table."""
        return self.items.copy()

    def summary(self) -> Summary:
        test = ("weighted means with linearized standard errors (R survey::svymean), t tests with n - 1 df" if self.weighted
                else "paired t tests (R t.test(P, E, paired = TRUE))")
        lines = [f"Gap = perception - expectation; {test}, {self.ci_level:.0%} t intervals",
                 f"{len(self.items)} item pairs, {len(self.dimensions)} dimensions, {self.n_respondents} respondents",
                 *self.notes]
        tables = [("Items", self.items), ("Dimensions", self.dimensions), ("SERVQUAL score", self.overall)]
        return Summary(title="SERVQUAL gap scores", lines=lines, tables=tables)

    def __repr__(self) -> str:
        score = self.overall["estimate"].get("unweighted", np.nan)
        return (f"<ServqualResult n_items={len(self.items)} n_dimensions={len(self.dimensions)} "
                f"gap={score:.3f} n_respondents={self.n_respondents}>")


# ---------------------------------------------------------------------------------------------


def _pairs(expectations: pd.DataFrame, perceptions: pd.DataFrame, pairs) -> dict:
    function = "servqual"
    for name, frame in [("expectations", expectations), ("perceptions", perceptions)]:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"The {name!r} parameter of {function} must be a DataFrame with one column per item; got "
                            f"{type(frame).__name__}.")
    if len(expectations) != len(perceptions):
        raise ValueError(f"The expectations and perceptions of {function} have different lengths "
                         f"({len(expectations)} and {len(perceptions)} rows); pass one row per respondent in both, "
                         "in the same order.")
    if pairs is None:
        pairs = {c: c for c in expectations.columns}
    elif not isinstance(pairs, dict):
        raise ValueError(f"The 'pairs' parameter of {function} must be a dict of expectation column -> perception "
                         f"column. Got {type(pairs).__name__} instead.")
    lonely = [e for e, p in pairs.items() if p not in perceptions.columns]
    unknown = [e for e in pairs if e not in expectations.columns]
    if unknown:
        raise ValueError(f"The 'pairs' parameter of {function} names expectation items not in expectations: "
                         f"{first_names(unknown)}.")
    if lonely:
        raise DataError(f"{len(lonely)} expectation item{'s have' if len(lonely) > 1 else ' has'} no perception "
                        f"partner in {function}: {first_names(lonely)} (looked for "
                        f"{first_names([pairs[e] for e in lonely])} among the perception columns "
                        f"{first_names(perceptions.columns, 10)}). Name the partners with pairs={{expectation: "
                        "perception}, or drop those items.")
    if not pairs:
        raise ValueError(f"{function} needs at least one expectation-perception pair; got none.")
    return dict(pairs)


def _dimensions(dimensions, items: list, importance) -> dict:
    function = "servqual"
    if dimensions is None:
        if importance is not None:
            raise ValueError(f"The 'importance' parameter of {function} weights dimensions; pass 'dimensions' too.")
        return {}
    if not isinstance(dimensions, dict) or not dimensions:
        raise ValueError(f"The 'dimensions' parameter of {function} must be a dict of dimension -> list of "
                         f"expectation items. Got {dimensions!r} instead.")
    seen = {}
    for dim, members in dimensions.items():
        members = [members] if isinstance(members, str) else list(members)
        bad = [m for m in members if m not in items]
        if bad or not members:
            raise ValueError(f"Dimension {dim!r} of {function} lists {first_names(bad) or 'no items'}, which "
                             f"{'is' if len(bad) == 1 else 'are'} not expectation items ({first_names(items, 10)}).")
        for m in members:
            if m in seen:
                raise ValueError(f"Item {m!r} of {function} is in dimensions {seen[m]!r} and {dim!r}; put each item "
                                 "in one dimension.")
            seen[m] = dim
    if importance is not None:
        imp = pd.Series(importance, dtype=float) if isinstance(importance, dict) else None
        if imp is None or set(imp.index) != set(dimensions):
            raise ValueError(f"The 'importance' parameter of {function} must be a dict giving points to each "
                             f"dimension ({first_names(dimensions, None)}). Got {importance!r} instead.")
        if (imp < 0).any() or not np.isclose(imp.sum(), 100, atol=1e-6):
            raise ValueError(f"The importance points of {function} must be non-negative and sum to 100 (as "
                             f"Parasuraman et al. allot 100 points); they sum to {imp.sum():g}.")
    return {dim: [members] if isinstance(members, str) else list(members) for dim, members in dimensions.items()}


def _test_rows(gaps: dict, w: np.ndarray | None, level: float) -> pd.DataFrame:
    """One test row per named gap vector (NaN where not answered)."""
    rows = {}
    for name, g in gaps.items():
        ok = ~np.isnan(g)
        rows[name] = one_sample(g[ok], None if w is None else w[ok], level)
    return pd.DataFrame.from_dict(rows, orient="index").reindex(columns=TEST_COLUMNS)


def servqual(expectations: pd.DataFrame, perceptions: pd.DataFrame, *, pairs=None, dimensions=None, importance=None,
             weights=None, ci_level: float = 0.95) -> ServqualResult:
    """SERVQUAL gap scores: perception - expectation by item, dimension and overall, with paired tests.

    Parameters
    ----------
    expectations, perceptions : DataFrame
        One row per respondent (same rows, same order), numeric ratings (e.g. 1-7).
    pairs : dict, optional
        Expectation column -> perception column. Default: the same column names.
    dimensions : dict, optional
        Dimension -> list of expectation items (e.g. the five of Parasuraman et al.).
    importance : dict, optional
        Dimension -> points out of 100 (they must sum to 100): the weighted SERVQUAL score.
    weights : array-like, optional
        Survey weights, one per respondent: weighted means with linearized standard errors.
    ci_level : float, default 0.95

    Returns
    -------
    ServqualResult
        ``.items``, ``.dimensions``, ``.overall`` (see :class:`ServqualResult`).

    Raises
    ------
    DataError
        An expectation item without a perception partner; non-numeric answers.
    ValueError
        Different lengths, items in two dimensions, importance points not summing to 100.

    Notes
    -----
    R: ``t.test(P, E, paired = TRUE)`` per item; for a dimension, ``t.test(rowMeans(P_d - E_d))``
    over the respondents who answered all its pairs; the weighted score is the mean over
    respondents of sum_d importance_d / 100 * gap_d (respondents with every dimension).
    With survey weights: the mean and standard error of ``svymean(~gap, svydesign(ids = ~1,
    weights = ~w))`` and a t test with n - 1 df (``svyttest`` in survey 4.1 uses n - 2).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.satisfaction import servqual
    >>> e = pd.DataFrame({"tan1": [6, 7, 6, 5], "rel1": [7, 7, 6, 7], "rel2": [6, 7, 7, 6]})
    >>> p = pd.DataFrame({"tan1": [5, 6, 6, 5], "rel1": [5, 6, 4, 6], "rel2": [6, 5, 5, 6]})
    >>> r = servqual(e, p, dimensions={"tangibles": ["tan1"], "reliability": ["rel1", "rel2"]},
    ...              importance={"tangibles": 40, "reliability": 60})
    >>> r.items["estimate"].round(3).tolist()
    [-0.5, -1.5, -1.0]
    >>> round(float(r.overall.loc["weighted", "estimate"]), 3)
    -0.95
    """
    function = "servqual"
    level = check_level(ci_level, function)
    pairs = _pairs(expectations, perceptions, pairs)
    items = list(pairs)
    dims = _dimensions(dimensions, items, importance)
    w = None if weights is None else check_weights(weights, len(expectations), expectations.index, function)
    e = numeric_frame(expectations[items], function=function).to_numpy()
    p = numeric_frame(perceptions[[pairs[i] for i in items]], function=function).to_numpy()
    gap = p - e
    item_table = _test_rows({i: gap[:, k] for k, i in enumerate(items)}, w, level)
    dim_of = {m: d for d, members in dims.items() for m in members}
    item_table.insert(0, "expectation_mean", [np.nanmean(e[:, k]) if w is None else
                                             _wmean(e[:, k], w) for k in range(len(items))])
    item_table.insert(1, "perception_mean", [np.nanmean(p[:, k]) if w is None else
                                            _wmean(p[:, k], w) for k in range(len(items))])
    item_table.insert(0, "dimension", [dim_of.get(i) for i in items])
    item_table.insert(0, "perception", [pairs[i] for i in items])
    item_table.index.name = "item"
    col = {i: k for k, i in enumerate(items)}
    dim_gaps = {d: gap[:, [col[m] for m in members]].mean(axis=1) for d, members in dims.items()}
    dim_table = _test_rows(dim_gaps, w, level).rename_axis("dimension")
    dim_table.insert(0, "n_items", [len(m) for m in dims.values()])
    imp = None if importance is None else pd.Series(importance, dtype=float)[list(dims)]
    dim_table["importance"] = np.nan if imp is None else imp.to_numpy()
    overall = {}
    if dims:
        stacked = np.column_stack(list(dim_gaps.values()))
        overall["unweighted"] = stacked.mean(axis=1)
        if imp is not None:
            overall["weighted"] = stacked @ (imp.to_numpy() / 100)
    else:
        overall["unweighted"] = gap.mean(axis=1)
    overall_table = _test_rows(overall, w, level).rename_axis("score")
    notes = []
    incomplete = int(np.isnan(gap).any(axis=1).sum())
    if incomplete:
        notes.append(f"{incomplete} respondents miss at least one expectation or perception: each item uses the "
                     "respondents who answered both, each dimension and score those who answered all its pairs.")
    for name, table in [("items", item_table), ("dimensions", dim_table), ("scores", overall_table)]:
        untested = [str(i) for i in table.index[table["p_value"].isna()]]
        if untested:  # a test needs two gaps that differ: the gap's standard error is 0 or undefined
            notes.append(f"No t test for {len(untested)} of the {name} ({', '.join(map(repr, untested[:5]))}"
                         f"{' ...' if len(untested) > 5 else ''}): fewer than 2 respondents, or every respondent's gap "
                         "the same, so the standard error is 0 or undefined and t, p and the interval are NaN.")
    return ServqualResult(items=item_table, dimensions=dim_table, overall=overall_table, importance=imp,
                          ci_level=level, weighted=w is not None, n_respondents=len(expectations), notes=tuple(notes))


def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    ok = ~np.isnan(x)
    return float(np.average(x[ok], weights=w[ok])) if ok.any() else np.nan
