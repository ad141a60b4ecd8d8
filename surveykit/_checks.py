"""Argument and data checks shared by the wings, and the pieces of their messages.

Private to the package: every wing imports these, none defines its own. Messages follow
the two templates of STYLE.md ("Errors"): options in scikit-learn's wording, data problems
naming what, where, how many, the first examples and the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError, check_option, numeric_frame

FIRST = 5  # rows or names quoted in an error message
#: The most items an item-by-item analysis (reliability, efa, cfa, kmo, bartlett, ...) takes: its
#: k x k matrices then stay under 8 MB each (10,000 items would need 0.8 GB per matrix, several at once).
MAX_ITEMS = 1_000
NAN_POLICIES = ("listwise", "pairwise")


# ---------------------------------------------------------------------------------------------
# pieces of messages


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 row', '3 rows' (``many`` for an irregular plural)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def first_rows(rows, limit: int = FIRST) -> str:
    """'3, 18, 22' or '3, 18, 22, 40, 41 ...': row labels for a message, text labels quoted."""
    rows = list(rows)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in rows[:limit])
    return shown + (" ..." if len(rows) > limit else "")


def rows_where(mask: np.ndarray, index: pd.Index) -> str:
    """'3 rows (first rows: 4, 17, 20)' naming the rows where ``mask`` holds by the index of the input."""
    where = np.flatnonzero(mask)
    return f"{plural(len(where), 'row')} (first rows: {first_rows(index[where])})"


def first_names(values, limit: int | None = FIRST, *, empty: str = "") -> str:
    """"'a', 'b', 'c', 'd', 'e' and 3 more": the first few of a list, quoted (all of them if ``limit`` is None)."""
    values = list(values)
    if not values:
        return empty
    if limit is None or len(values) <= limit:
        return ", ".join(repr(v) for v in values)
    return ", ".join(repr(v) for v in values[:limit]) + f" and {len(values) - limit} more"


# ---------------------------------------------------------------------------------------------
# arguments


def check_level(ci_level, function: str) -> float:
    if not isinstance(ci_level, (int, float)) or isinstance(ci_level, bool) or not 0 < ci_level < 1:
        raise ValueError(f"The 'ci_level' parameter of {function} must be a number between 0 and 1 (e.g. 0.95). "
                         f"Got {ci_level!r} instead.")
    return float(ci_level)


def as_series(values, name: str, function: str) -> pd.Series:
    """One column of answers (Series, one-column DataFrame or 1-d array-like) as a Series."""
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(f"The {name!r} parameter of {function} must be one column of answers; got a DataFrame "
                             f"with {values.shape[1]} columns. Pass one column, e.g. frame['q1'].")
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series):
        return values
    arr = np.asarray(values, dtype=object if not isinstance(values, np.ndarray) else None)
    if arr.ndim != 1:
        raise ValueError(f"The {name!r} parameter of {function} must be one-dimensional; got shape {arr.shape}.")
    return pd.Series(arr)


def as_vector(x, name: str, n: int, function: str, *, what: str) -> np.ndarray:
    """``x`` as n values aligned by position with the answers (a scalar is repeated)."""
    arr = np.asarray(x.to_numpy() if isinstance(x, (pd.Series, pd.Index)) else x)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.ndim != 1 or len(arr) != n:
        got = f"{len(arr)} values" if arr.ndim == 1 else f"shape {arr.shape}"
        raise ValueError(f"The {name!r} parameter of {function} has {got} but there are {n} answers; pass {what}, "
                         "aligned by position with the answers.")
    return arr


def object_column(texts):
    """A list, tuple or object array of cells as a Series of Python objects, as they are.

    pandas 3 would convert strings to its own string type on the way in (a second of work for a
    million comments), only for them to be converted back.
    """
    if isinstance(texts, (list, tuple)) or (isinstance(texts, np.ndarray) and texts.dtype == object):
        arr = np.asarray(texts, dtype=object)
        if arr.ndim == 1:
            return pd.Series(arr, dtype=object, copy=False)
    return texts


def check_weights(weights, n: int, index: pd.Index, function: str) -> np.ndarray:
    """Survey weights as positive finite floats (ones when ``weights`` is None)."""
    if weights is None:
        return np.ones(n)
    raw = as_vector(weights, "weights", n, function, what="one weight per respondent")
    try:
        w = raw.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"The weights passed to {function} are not numeric (dtype {raw.dtype}). Pass numbers, "
                        "e.g. frame['weight'].astype(float).") from None
    problems = []
    for mask, label in [(~np.isfinite(w), "missing or infinite"), (np.isfinite(w) & (w == 0), "zero"),
                        (np.isfinite(w) & (w < 0), "negative")]:
        if mask.any():
            problems.append(f"{label} in {rows_where(mask, index)}")
    if problems:
        raise DataError(f"Weights of {function} must be positive and finite: {'; '.join(problems)}. Drop those "
                        "respondents before the call, or fix the weights (a respondent outside the population of "
                        "inference is dropped, not given weight 0).")
    return w


def check_in_data(data: pd.DataFrame, name: str, wanted: list, function: str) -> None:
    """ValueError naming the columns of ``wanted`` (parameter ``name``) not in ``data``, each with its closest match."""
    missing = [c for c in wanted if c not in data.columns]
    if not missing:
        return
    import difflib

    cols = [str(c) for c in data.columns]
    hints = []
    for c in missing[:FIRST]:
        close = difflib.get_close_matches(str(c), cols, n=1)
        hints.append(f"{c!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    raise ValueError(f"The {name!r} parameter of {function} names {plural(len(missing), 'column')} not in data: "
                     f"{', '.join(hints)}. The columns are: {first_names(data.columns[:30], None)}"
                     f"{' ...' if data.shape[1] > 30 else ''}.")


# ---------------------------------------------------------------------------------------------
# data


#: Values no answer, amount or score reaches: beyond them sums of squares and cross-products (and the
#: fourth powers of kurtosis or interactions) overflow or underflow double precision, and every
#: statistic would be computed from inf or 0 instead of the data.
MAX_MAGNITUDE, MIN_MAGNITUDE = 1e50, 1e-50


def check_finite(values: np.ndarray, columns, index: pd.Index, function: str, *, what: str = "Column") -> None:
    """A DataError naming the column and rows of an infinite value, or of one whose magnitude is outside
    ``MIN_MAGNITUDE``..``MAX_MAGNITUDE`` (zero aside), in a 2-d array of floats (NaN is missing, and fine)."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    with np.errstate(invalid="ignore"):
        size = np.abs(values)
        for mask, why in [(np.isinf(values), "infinite"),
                          (np.isfinite(size) & (size > MAX_MAGNITUDE), f"larger than {MAX_MAGNITUDE:g} in magnitude"),
                          ((size > 0) & (size < MIN_MAGNITUDE), f"non-zero but smaller than {MIN_MAGNITUDE:g} in magnitude")]:
            if not mask.any():
                continue
            j = int(np.flatnonzero(mask.any(axis=0))[0])
            fix = ("Set those values to NaN (missing) or correct them." if why == "infinite" else
                   "Sums of squares of such values overflow or underflow double precision, so no statistic would be "
                   "right: correct them, or rescale the column (e.g. to thousands or millions).")
            raise DataError(f"{what} {list(columns)[j]!r} of {function} is {why} in {rows_where(mask[:, j], index)}. {fix}")


def complete_numeric_rows(frame: pd.DataFrame, function: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(values, mask of the rows with every column answered, "'col' k, ..." missing answers by
    column, most first) of a numeric frame; a DataError naming the rows of an infinite value."""
    values = frame.to_numpy()
    check_finite(values, frame.columns, frame.index, function)
    missing = pd.Series(np.isnan(values).sum(axis=0), index=frame.columns)
    missing = missing[missing > 0].sort_values(ascending=False, kind="stable")
    return values, ~np.isnan(values).any(axis=1), ", ".join(f"{c!r} {k}" for c, k in missing.items())


def item_frame(data, *, function: str, nan_policy: str = "listwise", min_items: int = 2):
    """Validate a DataFrame of items; returns (numeric frame after nan_policy, n_dropped)."""
    check_option("nan_policy", nan_policy, NAN_POLICIES, function=function)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{function} takes a DataFrame of items (one column per item); got {type(data).__name__}.")
    if data.shape[1] < min_items:
        raise ValueError(f"{function} needs at least {min_items} items; got {data.shape[1]} ({list(data.columns)}).")
    if data.shape[1] > MAX_ITEMS:
        gb = 8 * data.shape[1] ** 2 / 1e9
        raise DataError(f"{function} takes at most {MAX_ITEMS:,} items; got {data.shape[1]:,} (first: "
                        f"{first_names(data.columns)}). Its item-by-item matrices grow with the square of the items "
                        f"({gb:,.1f} GB each here): pass the items of one scale or construct, not a whole table.")
    x = numeric_frame(data, function=function)
    if nan_policy == "listwise":
        kept = x.dropna()
        dropped = len(x) - len(kept)
        x = kept
    else:
        dropped = int(x.isna().all(axis=1).sum())
        x = x.loc[~x.isna().all(axis=1)]
    spread = x.max() - x.min()
    constant = [c for c in x.columns if not spread[c] > 0]  # NaN: the column is empty
    if constant:
        raise DataError(f"{function}: items {constant} are constant (or empty) among the {len(x)} rows used; "
                        "a constant item has no variance: drop it.")
    if len(x) < 3:
        raise DataError(f"{function}: only {len(x)} usable rows ({dropped} dropped under nan_policy={nan_policy!r}).")
    return x, dropped
