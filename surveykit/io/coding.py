"""Turning raw cells into codes: option text -> code, declared missing codes -> missing.

Vectorised: each column is factorised and only its distinct values are looked at in
Python, so a million rows cost about as much as their distinct answers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..questionnaire.model import Scale, Text

__all__ = ["TEXT_DTYPE", "CodedColumn", "code_column", "code_text", "code_multiple", "label_key", "BLANK_MARKERS"]

# The dtype of open-text columns in coded responses: pandas' own string dtype where it is
# the default (pandas >= 3), else object; missing text is NaN either way.
TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object

# What survey platforms write into a cell that was not answered (问卷星: "(空)" empty,
# "(跳过)" skipped by logic).
BLANK_MARKERS = frozenset({"", "(空)", "(跳过)", "（空）", "（跳过）"})
_WS = re.compile(r"\s+")
# the "other, please specify" text 问卷星 writes after the option in a joined cell: '其他〖会议室〗'
SPECIFIED = re.compile(r"〖(.*?)〗")


def label_key(text) -> str:
    """Comparison key of option text: NFKC (full-width -> half-width), no whitespace, case folded."""
    return _WS.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


@dataclass
class CodedColumn:
    """A coded column and what was found on the way."""

    values: np.ndarray
    missing_counts: dict[float, int] = field(default_factory=dict)
    n_blank: int = 0
    unknown: dict[str, np.ndarray] = field(default_factory=dict)  # text -> positions
    out_of_range: dict[float, np.ndarray] = field(default_factory=dict)  # value -> positions
    not_numbers: dict[str, np.ndarray] = field(default_factory=dict)


def _label_map(scale: Scale, missing: dict[float, Text | None]) -> dict[str, float]:
    out: dict[str, float] = {}
    for code, text in [*scale.labels.items(), *missing.items()]:
        if text is not None:
            for v in text.variants():
                out.setdefault(label_key(v), float(code))
    return out


# A number as written in an export: digits with an optional sign, decimal point and exponent.
# Stricter than float(), which also reads "nan", "inf", "infinity" and "1_0" (as 10): a cell
# "nan" or "N/A" is then an unknown answer (a validation problem), never a silent missing value.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _to_number(s: str) -> float | None:
    """``s`` as a float when it is written as a finite number, else None.

    >>> _to_number(" 4 "), _to_number("1e2"), _to_number("1_0"), _to_number("nan"), _to_number("inf")
    (4.0, 100.0, None, None, None)
    """
    s = s.strip()
    if not _NUMBER.fullmatch(s):
        return None
    x = float(s)
    return x if np.isfinite(x) else None


def _factorize(series: pd.Series):
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, list(uniques)


def _positions(codes: np.ndarray, k: int) -> np.ndarray:
    return np.flatnonzero(codes == k)


def code_column(series: pd.Series, scale: Scale, missing: dict[float, Text | None]) -> CodedColumn:
    """Code one item's column: numbers are kept, option text is mapped through the scale's
    labels (and the labels of missing codes), declared missing codes become NaN, values
    outside the scale become NaN and are reported."""
    result = CodedColumn(values=np.empty(0))
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        infinite = np.isinf(values)  # pandas reads "inf" and "Infinity" in a number column as numbers
        if infinite.any():
            for v in np.unique(values[infinite]):
                result.not_numbers[f"{v}"] = np.flatnonzero(values == v)
            values = np.where(infinite, np.nan, values)
    else:
        codes, uniques = _factorize(series)
        labels = _label_map(scale, missing) if scale.is_coded else {}
        mapped = np.full(len(uniques) + 1, np.nan)  # last slot: NaN sentinel
        for k, u in enumerate(uniques):
            if isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool):
                if np.isfinite(u):
                    mapped[k] = float(u)
                else:
                    result.not_numbers[f"{u}"] = _positions(codes, k)
                continue
            raw = str(u).strip()
            if raw in BLANK_MARKERS:
                continue
            num = _to_number(unicodedata.normalize("NFKC", raw))
            if num is not None:
                mapped[k] = num
            elif label_key(raw) in labels:
                mapped[k] = labels[label_key(raw)]
            elif scale.is_coded:
                result.unknown[raw] = _positions(codes, k)
            else:
                result.not_numbers[raw] = _positions(codes, k)
        values = mapped[np.where(codes < 0, len(uniques), codes)]
    result.n_blank = int(np.isnan(values).sum()) - sum(len(p) for p in (*result.unknown.values(), *result.not_numbers.values()))

    if missing:
        codes_arr = np.fromiter(missing, dtype=float)
        is_missing = np.isin(values, codes_arr)
        if is_missing.any():
            found, counts = np.unique(values[is_missing], return_counts=True)
            result.missing_counts = {float(f): int(c) for f, c in zip(found, counts)}
            values = np.where(is_missing, np.nan, values)

    if scale.is_ordered:  # the whole numbers min..max, checked by arithmetic: a scale declared 1..1e12 costs nothing
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(values) & ((values < int(scale.min)) | (values > int(scale.max)) | (values != np.round(values)))
    elif scale.type in ("single_choice", "multiple_choice"):
        bad = ~np.isnan(values) & ~np.isin(values, np.fromiter(scale.labels, dtype=float))
    else:
        lo = -np.inf if scale.min is None else scale.min
        hi = np.inf if scale.max is None else scale.max
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(values) & ((values < lo) | (values > hi))
    if bad.any():
        bad_pos = np.flatnonzero(bad)
        for v in np.unique(values[bad_pos]):
            result.out_of_range[float(v)] = bad_pos[values[bad_pos] == v]
        values = np.where(bad, np.nan, values)
    result.values = values
    return result


def code_text(series: pd.Series) -> np.ndarray:
    """Open text as str (object array); blanks and platform blank markers become NaN.

    Numbers that a spreadsheet stored as numbers come back without a spurious '.0'.
    Vectorised: ids and comments are mostly distinct, so no per-value Python here.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        v = series.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(v) & (v == np.round(v))
        text = np.where(whole, pd.Series(v).map("{:.0f}".format), series.astype(str).to_numpy(dtype=object))
        return np.where(np.isnan(v), np.nan, text).astype(object)
    s = series.astype(object).where(series.notna(), None)
    as_str = s.map(lambda u: u if isinstance(u, str) or u is None else (f"{u:.0f}" if isinstance(u, float) and u.is_integer() else str(u))) \
        if not pd.api.types.is_string_dtype(series.dtype) else series
    stripped = (as_str if pd.api.types.is_string_dtype(as_str.dtype) and as_str.dtype != object
                else as_str.astype("string")).str.strip()
    blank = (stripped.isna() | stripped.isin(list(BLANK_MARKERS))).to_numpy(dtype=bool)
    out = np.array(as_str.to_numpy(dtype=object, na_value=np.nan), dtype=object, copy=True)
    out[blank] = np.nan
    return out


def text_column(series: pd.Series):
    """:func:`code_text` as a column of :data:`TEXT_DTYPE`.

    A column of pandas' string dtype (what pandas 3 reads text as) keeps its own buffers, its
    blanks masked: no round trip through a million Python strings and back.
    """
    dtype = series.dtype
    if TEXT_DTYPE == "str" and isinstance(dtype, pd.StringDtype) and dtype == pd.StringDtype(na_value=np.nan):
        stripped = series.str.strip()
        blank = (stripped.isna() | stripped.isin(list(BLANK_MARKERS))).to_numpy(dtype=bool)
        return series.where(~blank).array if blank.any() else series.array
    return pd.array(code_text(series), dtype=TEXT_DTYPE) if TEXT_DTYPE == "str" else code_text(series)


def code_multiple(series: pd.Series, scale: Scale, missing: dict[float, Text | None]):
    """A multiple-choice answer held in one column ("官方网站┋线下门店" or "1,3").

    Returns ``(indicators, unknown)``: a float array (rows x options, 1 chosen, 0 not,
    NaN where the question was not answered) and unknown option text -> positions.
    """
    options = [float(c) for c in scale.labels]
    labels = _label_map(scale, {})
    seps = [scale.separator] if scale.separator else []
    splitter = re.compile("|".join(re.escape(s) for s in [*seps, "┋", ",", "，", ";", "；", "|"]))
    # pandas' own strings factorised as they are (no copy to a million Python objects); else as objects
    codes, uniques = _factorize(series if isinstance(series.dtype, pd.StringDtype) else series.astype(object))
    table = np.full((len(uniques) + 1, len(options)), np.nan)
    unknown: dict[str, np.ndarray] = {}
    for k, u in enumerate(uniques):
        raw = str(int(u) if isinstance(u, float) and u.is_integer() else u).strip()
        if raw in BLANK_MARKERS:
            continue
        if _to_number(raw) is not None and float(raw) in missing:
            continue
        row = np.zeros(len(options))
        for part in filter(None, (p.strip() for p in splitter.split(raw))):
            part = SPECIFIED.sub("", part).strip() or part  # 问卷星 '其他〖会议室〗': the option, its text read apart
            num = _to_number(unicodedata.normalize("NFKC", part))
            code = num if num is not None else labels.get(label_key(part))
            if code in options:
                row[options.index(code)] = 1.0
            else:
                unknown.setdefault(part, []).append(k)
        table[k] = row
    for part, ks in list(unknown.items()):
        unknown[part] = np.flatnonzero(np.isin(codes, ks))
    return table[np.where(codes < 0, len(uniques), codes)], unknown
