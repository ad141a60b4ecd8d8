"""Questions read into one column per option (multiple choice, ranking), "other, please specify"
texts and skip-logic "not shown" cells, whatever the export layout.

The layouts of one multiple-choice question ``7`` with options 1 早餐, 2 健身房, 3 其他:

=========================  =====================================  ===========================
layout                     headers                                cells
=========================  =====================================  ===========================
one joined column          ``7``                                  ``早餐┋健身房``, ``1,2``
0/1 columns (SPSS)         ``7_1``, ``7_2``, ``7_3``              ``1`` / ``0``
option-text columns        ``7_1`` ... or ``7(早餐)`` ...           ``早餐`` / empty
问卷星 per option           ``7(早餐)``, ``7(健身房)``, ``7(其他)``    ``1`` / ``0`` or option text
Qualtrics                  ``Q7_1`` ... ``Q7_3``                  ``1`` / empty
=========================  =====================================  ===========================

A ranking question has the same per-option layouts, each cell the rank given to that option
(or one joined column listing the options in rank order, ``早餐→健身房→其他``).

Knows cells and headers; the questionnaire's items and scales are passed in.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from .coding import BLANK_MARKERS, _factorize, _label_map, _to_number, label_key
from .table import normalize_name

__all__ = ["SKIP_MARKERS", "WJX_SKIP_CODE", "skipped_cells", "option_columns", "code_option_column",
           "combine_options", "code_ranking_joined", "specify_columns", "shown_by_rule"]

# 问卷星 writes "(跳过)" (text export) or -3 (number export) where skip logic hid a question
SKIP_MARKERS = frozenset({"(跳过)", "（跳过）"})
WJX_SKIP_CODE = -3.0
_RANK_SEPARATORS = re.compile(r"\s*(?:→|->|>|┋|,|，|;|；|\|)\s*")


def skipped_cells(series: pd.Series, *, skip_code: bool) -> np.ndarray:
    """Cells a platform marks as "not shown" (skip logic): ``(跳过)``, and ``-3`` when ``skip_code``."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        if not skip_code:
            return np.zeros(len(series), bool)
        return series.to_numpy(dtype=float, na_value=np.nan) == WJX_SKIP_CODE
    # the cells as the platforms write them (hash lookups: a column of a million comments costs no Python per cell)
    markers = [*SKIP_MARKERS, *((" (跳过)", "(跳过) ", "-3", WJX_SKIP_CODE) if skip_code else (" (跳过)", "(跳过) "))]
    return np.array(series.isin(markers).to_numpy(dtype=bool), dtype=bool)


def option_columns(names, labels: dict, columns) -> tuple[dict[float, str], list[float]]:
    """The per-option columns of a question: ``{name}_{code}`` (SPSS, Qualtrics ``Q7_1``) or
    ``{name}({option text})`` (问卷星 ``7(早餐)``), for each of the question's ``names`` (its
    column, aliases and texts). Returns (code -> column found, codes of options not found); no
    column found at all gives ``({}, [])``."""
    raw = {str(c).strip(): c for c in columns}
    norm: dict[str, list[str]] = {}
    for c in columns:
        norm.setdefault(normalize_name(c), []).append(c)
    found: dict[float, str] = {}
    for code, text in labels.items():
        code = float(code)
        for n in names:
            hit = raw.get(f"{n}_{code:g}")
            if hit is None:
                cands = [c for v in text.variants() for c in norm.get(normalize_name(f"{n}({v})"), [])]
                hit = cands[0] if len(set(cands)) == 1 else None
            if hit is not None:
                found[code] = hit
                break
    if not found:
        return {}, []
    return found, [float(c) for c in labels if float(c) not in found]


def code_option_column(series: pd.Series, code: float, scale, missing: dict, *, ranking: bool):
    """One option's column: chosen 1 / not chosen 0 (multiple choice) or the rank (ranking).

    Returns ``(values, unknown)``: values with NaN where the cell is empty (or a declared missing
    code), and text that is neither a number nor this option's text -> positions. A multiple-choice
    cell holding the option's own text (问卷星 按选项文本, ``早餐`` in column ``7(早餐)``) is chosen.
    """
    own = {label_key(v) for v in scale.labels[_label_code(scale, code)].variants()}
    codes, uniques = _factorize(series.astype(object))
    mapped = np.full(len(uniques) + 1, np.nan)
    unknown: dict[str, np.ndarray] = {}
    for k, u in enumerate(uniques):
        raw = str(int(u) if isinstance(u, float) and u.is_integer() else u).strip()
        if raw in BLANK_MARKERS:
            continue
        num = _to_number(unicodedata.normalize("NFKC", raw))
        if num is not None:
            if num not in missing:
                mapped[k] = num if ranking else float(num > 0)
        elif not ranking and label_key(raw) in own:
            mapped[k] = 1.0
        else:  # another option's text, or text the questionnaire does not know
            unknown[raw] = np.flatnonzero(codes == k)
    return mapped[np.where(codes < 0, len(uniques), codes)], unknown


def _label_code(scale, code: float):
    return next(c for c in scale.labels if float(c) == code)


def combine_options(table: np.ndarray, *, ranking: bool) -> np.ndarray:
    """Rows x options: a row with no option chosen (or ranked) is "not answered" (all NaN); in a
    multiple-choice row with a choice, an empty option cell is "not chosen" (0), as Qualtrics and
    问卷星's text export leave unchosen options empty."""
    out = table.copy()
    answered = (np.nan_to_num(table, nan=0.0) > 0).any(axis=1) if not ranking else (~np.isnan(table)).any(axis=1)
    out[~answered] = np.nan
    if not ranking:
        out[answered] = np.nan_to_num(out[answered], nan=0.0)
    return out


def code_ranking_joined(series: pd.Series, scale, missing: dict):
    """A ranking held in one column, the options in rank order (``早餐→健身房→泳池`` or ``1,3,2``).

    Returns ``(ranks, unknown)``: rows x options, each option's rank (NaN where not ranked or
    not answered), and unknown option text -> positions.
    """
    options = [float(c) for c in scale.labels]
    labels = _label_map(scale, {})
    codes, uniques = _factorize(series.astype(object))
    table = np.full((len(uniques) + 1, len(options)), np.nan)
    unknown: dict[str, list[int]] = {}
    for k, u in enumerate(uniques):
        raw = str(int(u) if isinstance(u, float) and u.is_integer() else u).strip()
        if raw in BLANK_MARKERS or (_to_number(raw) is not None and float(raw) in missing):
            continue
        for rank, part in enumerate(filter(None, _RANK_SEPARATORS.split(raw)), start=1):
            num = _to_number(unicodedata.normalize("NFKC", part))
            code = num if num is not None else labels.get(label_key(part))
            if code in options:
                table[k, options.index(code)] = rank
            else:
                unknown.setdefault(part, []).append(k)
    positions = {part: np.flatnonzero(np.isin(codes, ks)) for part, ks in unknown.items()}
    return table[np.where(codes < 0, len(uniques), codes)], positions


def specify_columns(names, label, code: float, columns) -> list[str]:
    """Columns that may hold the "other, please specify" text of option ``code`` of a question
    named ``names``: 问卷星 ``7(其他)_填空``, Qualtrics ``Q7_5_TEXT``, SPSS-style ``7_5_text``."""
    wanted = set()
    for n in names:
        wanted |= {normalize_name(f"{n}_{code:g}_TEXT"), normalize_name(f"{n}_{code:g}_填空")}
        wanted |= {normalize_name(f"{n}({v}){suffix}") for v in label.variants() for suffix in ("_填空", "_text")}
    return [c for c in columns if normalize_name(c) in wanted]


def shown_by_rule(columns, item: str, codes, option_codes=None) -> tuple[np.ndarray, np.ndarray]:
    """Display logic ``shown_if: {item, codes}`` read from coded answers: (shown, known) per respondent.

    ``columns`` maps coded column names to values (the coded frame, or the columns being coded).
    The condition ``item`` is a single answer (shown when it is one of ``codes``), or, given its
    ``option_codes``, a multiple-choice or ranking question in columns ``{item}_{code}`` (shown when
    one of ``codes`` is chosen or ranked). ``known`` is False where the condition was not answered:
    whether the item was shown cannot be told from the answers there.
    """
    wanted = [float(c) for c in codes]
    if option_codes is None:  # a code, a number (text that is no number: not known)
        x = np.asarray(columns[item])
        x = x.astype(float) if x.dtype.kind in "biuf" else pd.to_numeric(pd.Series(x, dtype=object),
                                                                         errors="coerce").to_numpy(float)
        return np.isin(x, wanted), ~np.isnan(x)
    block = np.column_stack([np.asarray(columns[f"{item}_{float(c):g}"], dtype=float) for c in option_codes])
    picked = np.nan_to_num(block, nan=0.0) > 0
    chosen = [j for j, c in enumerate(option_codes) if float(c) in wanted]
    return picked[:, chosen].any(axis=1), ~np.isnan(block).all(axis=1)
