"""Banner tables: means and column percentages by segment, with column tests.

A banner table puts the segments of one variable (region, customer type, channel) in the
columns and the questions in the rows: a mean for a rating, the column percentage of each
answer for a category. Each cell carries the letters of the columns it beats in a pairwise
test, the notation of SPSS Custom Tables: columns get the keys A, B, C ... in order, and the
key of the lower column appears in the cell of the higher one when their difference is
significant after the multiple-comparison adjustment. Each variable also gets one overall
test across the columns (Welch and classic one-way ANOVA for a mean, Pearson's chi-square
for a distribution).

Every statistic is a closed form of per-column sums (weighted counts, means, variances and
Kish's effective base), so the pairwise tests run over all pairs of columns and all levels
of a variable at once.

The column tests, their formulas and the weighting (Kish's effective base) are in
:mod:`surveykit.indices._column_tests`.

Differences from SPSS Custom Tables (``CTABLES /COMPARETEST TYPE=PROP`` or ``TYPE=MEAN``,
``ADJUST=BONFERRONI``), on purpose: SPSS's column-means test pools the variance over the
columns (it assumes equal variances); here each pair gets Welch's test, which keeps its level
when a small segment has a different spread. SPSS leaves a column whose proportion is 0 or 1
out of the proportion tests; here it is tested whenever the pooled share is strictly between
0 and 1 (a level that is 0% in both columns gives no test). The tests are tested against R
to 1e-10.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import as_vector, check_level, check_weights, first_names, rows_where
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option, numeric_frame
from ._banner_sums import Cells, cells, row_sums
from ._column_tests import adjust, anovas, cell_letters, chi_square, column_key, column_pairs, welch_pairs, z_pairs

__all__ = ["BannerResult", "banner"]

_KINDS = ("mean", "proportions")
_CORRECTIONS = ("bonferroni", "holm", None)
_TEST_COLUMNS = ["variable", "test", "statistic", "df1", "df2", "p_value", "n_obs", "n_columns"]


# ---------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True)
class BannerResult(Result):
    """A banner table: one column per segment (and Total), rows of means and column percentages.

    Attributes
    ----------
    table : DataFrame
        Rows: a MultiIndex (variable, row), where row is ``"mean"`` for a mean variable and
        each level for a distribution. Columns: the segment levels, then ``"Total"``. Cells:
        the (weighted) mean, or the (weighted) column percentage, 0-100. A column without
        answers to a variable is NaN.
    letters : DataFrame
        Same shape: the keys of the columns this cell is significantly higher than, e.g.
        ``"B D"``; ``""`` for none, for untested columns and for Total.
    column_keys : dict
        Segment level -> key (``"A"``, ``"B"`` ...), in column order.
    tests : DataFrame
        The overall test of each variable, indexed by (variable, test) with test
        ``"welch_anova"`` and ``"anova"`` for a mean, ``"chi_square"`` for a distribution;
        columns statistic, df1, df2 (NaN for chi-square), p_value, n_obs (answers in the
        tested columns), n_columns (columns tested).
    pairwise : DataFrame
        One row per variable, row and pair of tested columns: column, other, test
        (``"welch_t"`` or ``"z"``), difference (column - other, in table units), statistic,
        df (Welch df; NaN for z), p_value, p_adjusted, significant.
    estimates : DataFrame
        Tidy cells: variable, row, column, estimate (as in ``table``), se, ci_low, ci_high
        (t interval with effective base - 1 df for a mean, normal for a percentage), n_obs,
        effective_n.
    counts : DataFrame
        Unweighted base (answers) of each variable (rows) in each column.
    effective_base : DataFrame
        Kish's effective base (sum w)^2 / sum w^2 of the same answers (= counts unweighted).
    kinds : dict
        Variable -> ``"mean"`` or ``"proportions"``.
    notes : tuple of str
        Columns shown empty or left out of the tests, rows without a segment, sparse tables.
    n_obs, n_dropped : int
        Respondents in a column; respondents with a missing segment (in no column).
    """

    table: pd.DataFrame
    letters: pd.DataFrame
    column_keys: dict
    tests: pd.DataFrame
    pairwise: pd.DataFrame
    estimates: pd.DataFrame
    counts: pd.DataFrame
    effective_base: pd.DataFrame
    kinds: dict
    segment: str
    alpha: float
    correction: str | None
    weighted: bool
    ci_level: float
    n_obs: int
    n_dropped: int
    notes: tuple[str, ...] = ()

    def to_frame(self, *, decimals: int | None = None) -> pd.DataFrame:
        """The table as it is read: ``"value letters"`` strings, with the base of each variable.

        Means get 2 decimals and percentages 1 (with ``%``) unless ``decimals`` is given.
        Columns are a MultiIndex (segment level, key); each variable starts with its
        unweighted base row ``"base (n)"`` (and ``"base (effective n)"`` when weighted).
        """
        keys = [self.column_keys.get(c, "") for c in self.table.columns]
        blocks = []
        for variable in self.kinds:
            kind = self.kinds[variable]
            values = self.table.loc[[variable]]
            d = decimals if decimals is not None else (2 if kind == "mean" else 1)
            unit = "" if kind == "mean" else "%"
            cells = values.map(lambda v, d=d, u=unit: "" if pd.isna(v) else f"{v:.{d}f}{u}")
            lets = self.letters.loc[[variable]]
            cells = cells.where(lets == "", cells + " " + lets)
            base = [pd.DataFrame([[str(int(v)) for v in self.counts.loc[variable]]], columns=self.table.columns,
                                 index=pd.MultiIndex.from_tuples([(variable, "base (n)")]))]
            if self.weighted:
                base.append(pd.DataFrame([[f"{v:.1f}" for v in self.effective_base.loc[variable]]],
                                         columns=self.table.columns,
                                         index=pd.MultiIndex.from_tuples([(variable, "base (effective n)")])))
            blocks += base + [cells]
        out = pd.concat(blocks)
        out.index.names = ["variable", "row"]
        out.columns = pd.MultiIndex.from_arrays([list(self.table.columns), keys], names=[self.segment, "key"])
        return out

    def summary(self) -> Summary:
        keys = ", ".join(f"{k} = {c!r}" for c, k in self.column_keys.items())
        adjust = {"bonferroni": "Bonferroni-adjusted over the pairs of each row",
                  "holm": "Holm-adjusted over the pairs of each row", None: "not adjusted"}[self.correction]
        lines = [f"Columns by {self.segment!r}: {keys}; {self.n_obs} respondents"
                 + (f" ({self.n_dropped} with a missing {self.segment!r} are in no column)" if self.n_dropped else ""),
                 (f"A letter in a cell: that column is significantly lower (two-sided, alpha = {self.alpha:g}, p "
                  f"{adjust}). Means: Welch t test; percentages: column-proportions z test (pooled)."),
                 ("Overall tests: Welch and classic one-way ANOVA for means, Pearson chi-square for distributions.")]
        if self.weighted:
            lines.append("Weighted: means and percentages are weighted; the tests use Kish's effective base of each "
                         "column in place of its count (an approximation, SPSS's 'effective base').")
        lines += list(self.notes)
        return Summary(title=f"Banner table by {self.segment}", lines=lines,
                       tables=[("Table", self.to_frame()), ("Overall tests", self.tests)])

    def __repr__(self) -> str:
        return (f"<BannerResult segment={self.segment!r} n_columns={len(self.column_keys)} "
                f"n_variables={len(self.kinds)} n_obs={self.n_obs} weighted={self.weighted}>")


# ---------------------------------------------------------------------------------------------
# arguments


def _is_column(data: pd.DataFrame, x) -> bool:
    try:
        return x in data.columns
    except TypeError:  # unhashable: an array
        return False


def _segment(data: pd.DataFrame, segment, function: str):
    """Name, codes (-1 for missing) and levels of the segment variable."""
    n = len(data)
    if isinstance(segment, pd.Series):
        if len(segment) != n:
            raise ValueError(f"The 'segment' parameter of {function} has {len(segment)} values but data has {n} rows; "
                             "pass one segment label per respondent, aligned by position, or a column name.")
        series = pd.Series(segment.to_numpy(), index=data.index, name=segment.name, dtype=segment.dtype)
    elif _is_column(data, segment):
        series = data[segment]
        if isinstance(series, pd.DataFrame):
            raise DataError(f"The 'segment' parameter of {function} names {series.shape[1]} columns called "
                            f"{segment!r}; rename the duplicates.")
    elif isinstance(segment, str):
        raise ValueError(f"The 'segment' parameter of {function} names column {segment!r}, which is not in data. "
                         f"Columns are: {first_names(data.columns)}.")
    else:
        series = pd.Series(as_vector(segment, "segment", n, function, what="one segment label per respondent"),
                           index=data.index)
    name = "segment" if series.name is None else str(series.name)
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = list(series.cat.categories)
    else:
        known = series.dropna().unique()
        try:
            levels = sorted(known)
        except TypeError:  # mixed types: order of first appearance
            levels = list(known)
    codes = pd.Categorical(series, categories=levels).codes.astype(np.intp)
    if not (codes >= 0).any():
        raise DataError(f"The segment {name!r} of {function} is missing for all {n} respondents: there is no column "
                        "to show. Pass a segment variable with answers.")
    return name, codes, levels


def row_spec(data: pd.DataFrame, rows, function: str) -> list[tuple]:
    if isinstance(rows, str) or not isinstance(rows, (Mapping, list, tuple, pd.Index)):
        rows = [rows]
    spec = list(rows.items()) if isinstance(rows, Mapping) else [(c, c) for c in rows]
    if not spec:
        raise ValueError(f"The 'rows' parameter of {function} is empty; pass the columns to tabulate, e.g. "
                         "['sat', 'nps'] or {'Satisfaction': 'sat'}.")
    missing = [c for _, c in spec if not _is_column(data, c)]
    if missing:
        raise ValueError(f"The 'rows' parameter of {function} names {len(missing)} column"
                         f"{'s' if len(missing) > 1 else ''} not in data: {first_names(missing)}. Columns are: "
                         f"{first_names(data.columns)}.")
    labels = [label for label, _ in spec]
    dup = sorted({repr(x) for x in labels if labels.count(x) > 1})
    if dup:
        raise ValueError(f"The 'rows' parameter of {function} lists {', '.join(dup)} more than once; pass a mapping "
                         "label -> column to show one column twice (e.g. as a mean and as a distribution).")
    return spec


def _infer_kind(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype):
        return "proportions"
    return "mean" if pd.api.types.is_numeric_dtype(dtype) else "proportions"


def row_kinds(data: pd.DataFrame, spec, kind, function: str) -> dict:
    labels = [label for label, _ in spec]
    if kind is None or isinstance(kind, str):
        if kind is not None:
            check_option("kind", kind, _KINDS, function=function)
        given = {label: kind for label in labels} if kind is not None else {}
    elif isinstance(kind, Mapping):
        unknown = [k for k in kind if k not in labels]
        if unknown:
            raise ValueError(f"The 'kind' parameter of {function} names {first_names(unknown)}, not among the rows "
                             f"({first_names(labels)}).")
        for k in kind.values():
            check_option("kind", k, _KINDS, function=function)
        given = dict(kind)
    else:
        raise TypeError(f"The 'kind' parameter of {function} must be None, 'mean', 'proportions' or a mapping row "
                        f"-> kind. Got {type(kind).__name__} instead.")
    return {label: given.get(label) or _infer_kind(data[column]) for label, column in spec}


# ---------------------------------------------------------------------------------------------
# the function


def banner(data: pd.DataFrame, segment, rows, *, kind=None, weights=None, alpha: float = 0.05,
           correction: str | None = "bonferroni", total: bool = True, ci_level: float = 0.95) -> BannerResult:
    """Means and column percentages by segment, with column tests in SPSS letter notation.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    segment : str or array-like
        The column of ``data`` that defines the columns of the table, or one label per
        respondent (aligned by position). Its levels are the categories of a categorical
        column (in their order, unused ones included) or its sorted distinct values.
        Respondents with a missing segment go to no column (not even Total).
    rows : str, list or mapping
        The columns to tabulate, or a mapping label -> column (the label names the row
        block; one column may appear under two labels, e.g. as a mean and as a distribution).
    kind : None, "mean", "proportions" or mapping
        ``"mean"``: one row with the (weighted) mean; ``"proportions"``: one row per level
        with the column percentage; a mapping gives the kind of some rows by label. None:
        numeric columns are averaged, categorical, text and boolean ones give percentages
        (pass ``"proportions"`` for numeric category codes or a rating's distribution).
    weights : str or array-like, optional
        A column of ``data`` or one weight per respondent; positive and finite.
    alpha : float
        Significance level of the letters (after adjustment).
    correction : {"bonferroni", "holm", None}
        Adjustment of the pairwise p values over the pairs of columns tested in one row
        (R ``p.adjust``; pairs without a defined p are not counted).
    total : bool
        Add a "Total" column (all respondents with a segment; never tested).
    ci_level : float
        Level of the intervals in ``estimates``.

    Returns
    -------
    BannerResult
        ``table``, ``letters``, ``tests``, ``pairwise``, ``estimates``, ``counts``,
        ``notes``; ``to_frame()`` gives the display table.

    Raises
    ------
    DataError
        Weights missing, zero or negative; a mean row that is not numeric or is infinite; a
        row variable without any answer in any column; a segment missing for everyone.
    ValueError, TypeError
        Unknown columns, options outside their choices, lengths that differ.

    Notes
    -----
    A column with no answers to a variable is shown empty and not tested; a column with one
    answer is shown but left out of that variable's tests; both are listed in ``notes`` (and
    warned about). Pairwise tests, two-sided, over the pairs of tested columns: Welch's t for
    means (R ``t.test(var.equal = FALSE)``), the pooled column-proportions z test for each
    level (R ``prop.test(correct = FALSE)``); the higher cell gets the lower column's key
    when the adjusted p is below ``alpha``. Overall tests: Welch's and the classic one-way
    ANOVA (R ``oneway.test``), Pearson's chi-square without continuity correction (R
    ``chisq.test(correct = FALSE)``). The formulas, the weighting (Kish's effective base) and
    the deliberate differences from SPSS Custom Tables are in the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.indices.banner import banner
    >>> x = pd.DataFrame({"region": ["n", "n", "n", "n", "s", "s", "s", "s"],
    ...                   "sat": [5, 4, 5, 5, 2, 3, 2, 1]})
    >>> r = banner(x, "region", ["sat"])
    >>> r.table.loc[("sat", "mean")].to_dict()
    {'n': 4.75, 's': 2.0, 'Total': 3.375}
    >>> r.letters.loc[("sat", "mean")].to_dict()
    {'n': 'B', 's': '', 'Total': ''}
    >>> r.column_keys
    {'n': 'A', 's': 'B'}
    >>> r.to_frame()  # doctest: +NORMALIZE_WHITESPACE
    region                  n     s Total
    key                     A     B
    variable row
    sat      base (n)       4     4     8
             mean      4.75 B  2.00  3.38
    """
    function = "banner"
    options = _check_options(data, alpha, correction, total, ci_level)
    name, codes, levels = _segment(data, segment, function)
    spec = row_spec(data, rows, function)
    kinds = row_kinds(data, spec, kind, function)
    w = check_weights(data[weights] if _is_column(data, weights) else weights, len(data), data.index, function)
    in_col = codes >= 0
    notes = []
    if (~in_col).any():
        notes.append(f"{rows_where(~in_col, data.index)} have a missing {name!r} and are in no column (not even Total).")
    sums = block_sums(data, spec, kinds, codes, w, len(levels))
    return banner_from_sums(sums, dict(spec), kinds, levels, name, np.bincount(codes[in_col], minlength=len(levels)),
                            options, weighted=weights is not None, n_dropped=int((~in_col).sum()), notes=notes,
                            stacklevel=3)


@dataclass(frozen=True)
class BannerOptions:
    """The checked test options of a banner table."""

    alpha: float
    correction: str | None
    total: bool
    ci_level: float


def banner_options(alpha, correction, total, ci_level, function: str = "banner") -> BannerOptions:
    """:class:`BannerOptions` after the checks of banner's options (one error template per option)."""
    level = check_level(ci_level, function)
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not 0 < alpha < 1:
        raise ValueError(f"The 'alpha' parameter of {function} must be a number between 0 and 1 (e.g. 0.05). Got "
                         f"{alpha!r} instead.")
    check_option("correction", correction, _CORRECTIONS, function=function)
    if not isinstance(total, (bool, np.bool_)):
        raise TypeError(f"The 'total' parameter of {function} must be True or False. Got {total!r} instead.")
    return BannerOptions(float(alpha), correction, bool(total), level)


def block_sums(data: pd.DataFrame, spec, kinds: dict, codes: np.ndarray, w: np.ndarray, k: int) -> dict:
    """Label -> :class:`RowSums` of each row variable in the rows of ``data`` (one block): the per-column
    sums every cell and test is read from. ``codes``: each row's column (-1 in none)."""
    in_col = codes >= 0
    out = {}
    for label, column in spec:
        if kinds[label] == "mean":
            # an infinite or overflowing value is refused there, named by the row's label
            y = numeric_frame(data[[column]].set_axis([label], axis=1), function="banner",
                              what="Row").iloc[:, 0].to_numpy()
            out[label] = row_sums(y, "mean", codes, in_col & ~np.isnan(y), w, k)
        else:
            series = data[column]
            ok = in_col & series.notna().to_numpy()
            lcodes, levels, order = _level_codes(series, ok)
            out[label] = row_sums(lcodes, "proportions", codes, ok, w, k, levels=levels, order=order)
    return out


def banner_from_sums(sums: dict, columns_of: dict, kinds: dict, levels: list, name: str, seg_n: np.ndarray,
                     options: BannerOptions, *, weighted: bool, n_dropped: int, notes: list,
                     stacklevel: int = 2) -> BannerResult:
    """The banner table from the per-column sums of its row variables (label -> :class:`RowSums`, from one
    block or merged from many): the final step of :func:`banner` and of its Dask version."""
    function = "banner"
    notes = list(notes)
    keys = {lv: column_key(i) for i, lv in enumerate(levels)}
    total_label = "Total" if "Total" not in levels else "Total (all)"
    columns = list(levels) + ([total_label] if options.total else [])
    blocks, pair_frames, est_frames, test_rows = [], [], [], []
    for label, s in sums.items():
        c = cells(s)
        if c.n_answers == 0:
            column = columns_of[label]
            what = repr(label) + (f" (column {column!r})" if label != column else "")
            raise DataError(f"Row {what} of {function} has no answers in any column of {name!r} ({int(seg_n.sum())} "
                            "respondents with a segment, all missing here). Drop it from rows or check the column.")
        letters, pairs, tests = _tests(label, c, levels, options.alpha, options.correction, notes)
        blocks.append((label, c, letters))
        pair_frames.append(pairs)
        test_rows.extend(tests)
        est_frames.append(_estimates(label, c, columns, 1.0 if c.kind == "mean" else 100.0, options.total,
                                     options.ci_level))
    notes.extend(_column_notes(blocks, levels, keys, seg_n))
    if notes:
        warnings.warn(SurveykitWarning(f"{function}: " + " ".join(notes)), stacklevel=stacklevel)

    return BannerResult(
        **_tables(blocks, pd.Index(columns, name=name, dtype=object), options.total), column_keys=keys,
        tests=pd.DataFrame(test_rows, columns=_TEST_COLUMNS).set_index(["variable", "test"]),
        pairwise=pd.concat(pair_frames, ignore_index=True), estimates=pd.concat(est_frames, ignore_index=True),
        kinds=dict(kinds), segment=name, alpha=options.alpha, correction=options.correction, weighted=weighted,
        ci_level=options.ci_level, n_obs=int(seg_n.sum()), n_dropped=int(n_dropped), notes=tuple(notes))


def _check_options(data, alpha, correction, total, ci_level) -> BannerOptions:
    """The checked options, after the check of banner's data."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"The 'data' parameter of banner must be a DataFrame with one row per respondent. Got "
                        f"{type(data).__name__} instead.")
    return banner_options(alpha, correction, total, ci_level)


def _tables(blocks: list, col_index: pd.Index, total: bool) -> dict:
    """The display tables of banner (cells, letters, counts, effective bases) from each row variable's block."""
    index, table_rows, letter_rows, counts, bases = [], [], [], [], []
    for label, cells, letters in blocks:
        scale = 1.0 if cells.kind == "mean" else 100.0
        for r, row in enumerate(cells.row_labels):
            index.append((label, row))
            table_rows.append(list(scale * cells.est[r]) + ([scale * cells.t_est[r]] if total else []))
            letter_rows.append(letters[r] + ([""] if total else []))
        counts.append(list(cells.n_obs) + ([int(cells.t_n[0])] if total else []))
        bases.append(list(cells.ne) + ([float(cells.t_ne[0])] if total else []))
    row_index = pd.MultiIndex.from_tuples(index, names=["variable", "row"])
    variables = pd.Index([label for label, _, _ in blocks], name="variable")
    return {"table": pd.DataFrame(table_rows, index=row_index, columns=col_index, dtype=float),
            "letters": pd.DataFrame(letter_rows, index=row_index, columns=col_index, dtype=object),
            "counts": pd.DataFrame(counts, index=variables, columns=col_index),
            "effective_base": pd.DataFrame(bases, index=variables, columns=col_index, dtype=float)}


def _tests(label, cells: Cells, levels: list, alpha: float, correction, notes: list):
    """The letters of each cell, the pairwise tests (a frame) and the overall test rows of one row variable."""
    tested = cells.n_obs >= 2
    i_, j_ = column_pairs(tested)
    est, ne, var = cells.est, cells.ne, cells.var
    if cells.kind == "mean":
        stat, df, p = welch_pairs(est[0], var, ne, i_, j_)
    else:
        stat, df, p = z_pairs(est, ne, i_, j_)
    padj = adjust(p, correction)
    letters = cell_letters(est, padj, i_, j_, alpha, len(levels))
    kt = int(tested.sum())
    n_tested = int(cells.n_obs[tested].sum())
    test_rows = []
    if cells.kind == "mean":
        welch, classic = anovas(est[0][tested], var[tested], ne[tested]) if kt >= 2 else ((np.nan,) * 4,) * 2
        flat = np.flatnonzero(tested & (var == 0))
        if kt >= 2 and not np.isfinite(welch[0]) and len(flat):
            notes.append(f"Welch's ANOVA of {label!r} is undefined: column{'s' if len(flat) > 1 else ''} "
                         f"{first_names(levels[j] for j in flat)} {'have' if len(flat) > 1 else 'has'} no variance "
                         "(all answers equal); the classic ANOVA is given, and a pair of such columns has no "
                         "t test.")
        for test, res in (("welch_anova", welch), ("anova", classic)):
            test_rows.append((label, test, *map(float, res), n_tested, kt))
    else:
        if kt >= 2:
            x2, cdf, cp, low, cells_n = chi_square(ne[tested][None, :] * est[:, tested])
            if low:
                notes.append(f"Chi-square of {label!r}: {low} of {cells_n} expected counts are below 5; the "
                             "approximation may be poor (combine sparse levels or columns).")
        else:
            x2, cdf, cp = np.nan, np.nan, np.nan
        test_rows.append((label, "chi_square", float(x2), float(cdf), np.nan, float(cp), n_tested, kt))
    if kt < 2:
        notes.append(f"Fewer than two columns have 2 or more answers to {label!r}: no tests for it.")
    rows = cells.row_labels
    scale = 1.0 if cells.kind == "mean" else 100.0
    pairs = pd.DataFrame({
        "variable": [label] * stat.size, "row": [r for r in rows for _ in i_],
        "column": [levels[a] for a in i_] * len(rows), "other": [levels[b] for b in j_] * len(rows),
        "test": "welch_t" if cells.kind == "mean" else "z",
        "difference": (scale * (est[:, i_] - est[:, j_])).ravel(), "statistic": stat.ravel(),
        "df": df.ravel(), "p_value": p.ravel(), "p_adjusted": padj.ravel(),
        "significant": (np.nan_to_num(padj, nan=1.0) < alpha).ravel()})
    return letters, pairs, test_rows


def _column_notes(blocks: list, levels: list, keys: dict, seg_n: np.ndarray) -> list:
    """Notes on the columns without respondents, or with no or one answer to some row variables."""
    empty, single, notes = {}, {}, []
    for label, cells, _ in blocks:
        for j in np.flatnonzero(cells.n_obs < 2):
            (empty if cells.n_obs[j] == 0 else single).setdefault(j, []).append(label)
    for j in sorted(set(empty) | set(single)):
        where = f"Column {levels[j]!r} ({keys[levels[j]]})"
        if seg_n[j] == 0:
            notes.append(f"{where} has no respondents: shown empty, not tested.")
            continue
        if j in empty:
            notes.append(f"{where} has no answers to {first_names(empty[j])}: shown empty, not tested there.")
        if j in single:
            notes.append(f"{where} has one answer to {first_names(single[j])}: shown, but left out of the tests there "
                         "(no variance from one respondent).")
    return notes


def _level_codes(series: pd.Series, ok: np.ndarray):
    """Level code of each row (-1 where missing), the levels and how the table orders them, for a distribution row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy().astype(np.intp), list(series.cat.categories), "categories"
    values = series.to_numpy()
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        x = values.astype(float)
        uniques = np.unique(x[ok])
        return np.where(np.isnan(x), -1, np.searchsorted(uniques, x)).astype(np.intp), list(uniques), "numeric"
    known = pd.unique(series[ok])  # first appearance; sorted (where they sort) in the table
    return pd.Categorical(series, categories=known).codes.astype(np.intp), list(known), "values"


def _estimates(label, cells: Cells, columns: list, scale: float, total: bool, level: float) -> pd.DataFrame:
    """Tidy cells with standard errors and intervals (t with n_eff - 1 df for means, normal for shares)."""
    row_labels, kind = cells.row_labels, cells.kind
    e = np.hstack([cells.est, cells.t_est[:, None]]) if total else cells.est
    s = np.hstack([cells.se, cells.t_se[:, None]]) if total else cells.se
    nn = np.r_[cells.n_obs, cells.t_n] if total else cells.n_obs
    nb = np.r_[cells.ne, cells.t_ne] if total else cells.ne
    with np.errstate(invalid="ignore"):
        q = (stats.t.ppf(0.5 + level / 2, nb - 1) if kind == "mean"
             else np.full(len(nb), stats.norm.ppf(0.5 + level / 2)))
    q = np.where(nn >= 2, q, np.nan)
    return pd.DataFrame({
        "variable": [label] * e.size, "row": [r for r in row_labels for _ in columns],
        "column": list(columns) * len(row_labels), "estimate": scale * e.ravel(), "se": scale * s.ravel(),
        "ci_low": scale * (e - q * s).ravel(), "ci_high": scale * (e + q * s).ravel(),
        "n_obs": np.tile(nn, len(row_labels)).astype(int), "effective_n": np.tile(nb, len(row_labels))})
