"""KANO analysis: each attribute's category from a functional and a dysfunctional question.

Each attribute is asked twice on the five-option Kano scale, 1 我很喜欢 / Like, 2 理所当然 /
Must-be, 3 无所谓 / Neutral, 4 能忍受 / Live with, 5 我很不喜欢 / Dislike: functional (if the
attribute is present) and dysfunctional (if it is absent). The pair of answers maps to a
category by Berger et al.'s (1993) evaluation table (rows functional, columns dysfunctional)::

                 Like  Must-be  Neutral  Live with  Dislike
    Like           Q      A        A         A         O
    Must-be        R      I        I         I         M
    Neutral        R      I        I         I         M
    Live with      R      I        I         I         M
    Dislike        R      R        R         R         Q

A attractive, O one-dimensional, M must-be, I indifferent, R reverse, Q questionable.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_weights, first_names, first_rows, plural
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning

__all__ = ["CATEGORIES", "KanoResult", "KanoWarning", "kano"]

#: Kano categories, in the order of the result's columns.
CATEGORIES = ("A", "O", "M", "I", "R", "Q")
CATEGORY_NAMES = {"A": ("魅力属性", "Attractive"), "O": ("期望属性", "One-dimensional"), "M": ("必备属性", "Must-be"),
                  "I": ("无差异属性", "Indifferent"), "R": ("反向属性", "Reverse"), "Q": ("可疑结果", "Questionable")}
# Berger et al. (1993): row = functional answer 1..5, column = dysfunctional answer 1..5
TABLE = np.array([list("QAAAO"), list("RIIIM"), list("RIIIM"), list("RIIIM"), list("RRRRQ")])
_CODE = {c: k for k, c in enumerate(CATEGORIES)}
TABLE_CODES = np.vectorize(_CODE.get)(TABLE)
#: The five options: code -> (Chinese, English) label; further accepted spellings in OPTION_ALIASES.
OPTIONS = {1: ("我很喜欢", "Like"), 2: ("理所当然", "Must-be"), 3: ("无所谓", "Neutral"), 4: ("能忍受", "Live with"),
           5: ("我很不喜欢", "Dislike")}
OPTION_ALIASES = {"喜欢": 1, "非常喜欢": 1, "i like it": 1, "like it": 1, "它理应如此": 2, "必须如此": 2, "must be": 2,
                  "mustbe": 2, "i expect it": 2, "expect it": 2, "i am neutral": 3, "neutral": 3, "无所谓": 3,
                  "可以忍受": 4, "i can live with it": 4, "live with it": 4, "tolerate": 4, "不喜欢": 5,
                  "非常不喜欢": 5, "i dislike it": 5, "dislike it": 5}
FONG_Z = 1.65  # Fong (1996): the critical value at about the 10 % level, as published


class KanoWarning(SurveykitWarning):
    """A Kano attribute has no A/O/M/I answers (Better and Worse are undefined)."""


@dataclass(frozen=True)
class KanoResult(Result):
    """KANO analysis of several attributes.

    Attributes
    ----------
    table : DataFrame
        One row per attribute (in the order given): ``count_a`` .. ``count_q`` (weighted
        counts when weights are given), ``share_a`` .. ``share_q`` (of all classified
        answers), ``n_obs`` (respondents who answered both questions), ``n_dropped``,
        ``effective_n`` (Kish, (sum w)^2 / sum w^2; n_obs unweighted), ``category`` (the
        most frequent category; tied categories joined by '/', e.g. 'A/O'), ``tied``,
        ``better`` = (A+O)/(A+O+M+I), ``worse`` = -(O+M)/(A+O+M+I), and Fong's (1996) test of
        the two most frequent categories: ``first``, ``second``, ``fong_difference`` |a - b|,
        ``fong_critical`` 1.65 sqrt((a+b)(2n-a-b)/(2n)) and ``fong_significant``
        (difference >= critical: the category is clear).
    weighted : bool
    notes : tuple of str
        What the user should know (attributes with no A/O/M/I answers, weighting).
    """

    table: pd.DataFrame
    weighted: bool
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        w = ("weighted counts (survey weights); Fong's test on shares times the Kish effective n"
             if self.weighted else "counts of respondents")
        lines = [f"{len(self.table)} attributes; Berger et al. (1993) evaluation table, {w}",
                 "Category: the most frequent (maximum rule); Better = (A+O)/(A+O+M+I), Worse = -(O+M)/(A+O+M+I)",
                 f"Fong (1996): the two most frequent categories differ when |a-b| >= {FONG_Z} sqrt((a+b)(2n-a-b)/(2n))",
                 *self.notes]
        cols = ["count_a", "count_o", "count_m", "count_i", "count_r", "count_q", "n_obs", "category", "better",
                "worse", "fong_difference", "fong_critical", "fong_significant"]
        return Summary(title="KANO analysis", lines=lines, tables=[("Attributes", self.table[cols])])

    def __repr__(self) -> str:
        cats = ",".join(f"{a}={c}" for a, c in zip(self.table.index[:4], self.table["category"][:4]))
        more = " ..." if len(self.table) > 4 else ""
        return f"<KanoResult n_attributes={len(self.table)} {cats}{more} weighted={self.weighted}>"


# ---------------------------------------------------------------------------------------------


def _label_map(labels) -> dict:
    """Answer text (lower case, spaces squeezed) -> code 1..5: the built-in labels plus ``labels``."""
    out = {}
    for code, (zh, en) in OPTIONS.items():
        out[zh] = out[en.lower()] = code
    out.update(OPTION_ALIASES)
    if labels is None:
        return out
    if isinstance(labels, dict):
        items = labels.items()
    elif isinstance(labels, (list, tuple)) and len(labels) == 5:
        items = ((t, k + 1) for k, t in enumerate(labels))
    else:
        raise ValueError("The 'labels' parameter of kano must be a dict of answer text -> code 1..5 (1 Like, 2 Must-be, "
                         "3 Neutral, 4 Live with, 5 Dislike) or the five option texts in that order. "
                         f"Got {labels!r} instead.")
    for text, code in items:
        if code not in OPTIONS:
            raise ValueError(f"The 'labels' parameter of kano maps {text!r} to {code!r}; codes are 1..5.")
        out[" ".join(str(text).lower().split())] = int(code)
    return out


def _code(v, mapping: dict):
    """One answer as a code 1..5, NaN when missing, None when it is none of the five options."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return np.nan
    if isinstance(v, str):
        code = mapping.get(" ".join(v.lower().split()))
        if code is not None:
            return code
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f in (1, 2, 3, 4, 5) else None


def _codes(frame: pd.DataFrame, which: str, mapping: dict) -> np.ndarray:
    """The answers as codes 1..5 (NaN when missing); a DataError names each bad attribute, rows and values."""
    out = np.full(frame.shape, np.nan)
    problems = []
    for j, col in enumerate(frame.columns):
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            x = values.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isnan(x) & ~np.isin(x, [1, 2, 3, 4, 5])
            out[:, j] = np.where(bad, np.nan, x)
            problems += [(col, i, int(x[i]) if float(x[i]).is_integer() else float(x[i])) for i in np.flatnonzero(bad)]
            continue
        for i, v in enumerate(values.to_numpy(dtype=object)):
            code = _code(v, mapping)
            if code is None:
                problems.append((col, i, v))
            else:
                out[i, j] = code
    if problems:
        by_col = {}
        for col, i, v in problems:
            by_col.setdefault(col, []).append((i, v))
        parts = []
        for col, hits in list(by_col.items())[:5]:
            rows = [frame.index[i] for i, _ in hits]
            vals = list(dict.fromkeys(v for _, v in hits))
            parts.append(f"attribute {col!r}: {first_names(vals)} in {plural(len(hits), 'row')} "
                         f"(first rows: {first_rows(rows)})")
        raise DataError(f"The {which} answers of kano have values outside the five Kano options in "
                        f"{plural(len(by_col), 'attribute')}: {'; '.join(parts)}. Code them 1 我很喜欢/Like, 2 "
                        "理所当然/Must-be, 3 无所谓/Neutral, 4 能忍受/Live with, 5 我很不喜欢/Dislike (or pass their "
                        "wording as labels=...), or blank them.")
    return out


def _check_frames(functional, dysfunctional, weights):
    for name, frame in [("functional", functional), ("dysfunctional", dysfunctional)]:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"The {name!r} parameter of kano must be a DataFrame with one column per attribute; got "
                            f"{type(frame).__name__}.")
        if frame.shape[1] == 0:
            raise ValueError(f"The {name!r} parameter of kano has no columns; pass one column per attribute.")
    if len(functional) != len(dysfunctional):
        raise ValueError(f"The functional and dysfunctional answers of kano have different lengths ({len(functional)} "
                         f"and {len(dysfunctional)} rows); pass one row per respondent in both, in the same order.")
    f_cols, d_cols = list(functional.columns), list(dysfunctional.columns)
    if f_cols != d_cols:
        only_f = [c for c in f_cols if c not in d_cols]
        only_d = [c for c in d_cols if c not in f_cols]
        raise ValueError(f"The functional and dysfunctional answers of kano must have the same columns (one per "
                         f"attribute), in the same order. Only functional: {first_names(only_f, empty='none')}; only "
                         f"dysfunctional: {first_names(only_d, empty='none')}. Rename the columns to the attribute "
                         "names, e.g. functional.columns = dysfunctional.columns = ['价格', '物流'].")
    return check_weights(weights, len(functional), functional.index, "kano")


def _fong(counts: np.ndarray, n: float) -> tuple:
    order = np.argsort(-counts, kind="stable")
    a, b = counts[order[0]], counts[order[1]]
    critical = FONG_Z * np.sqrt((a + b) * (2 * n - a - b) / (2 * n)) if n > 0 else np.nan
    return CATEGORIES[order[0]], CATEGORIES[order[1]], abs(a - b), critical


def kano(functional: pd.DataFrame, dysfunctional: pd.DataFrame, *, weights=None, labels=None) -> KanoResult:
    """KANO analysis: the A/O/M/I/R/Q category of each attribute, Better and Worse, Fong's test.

    Parameters
    ----------
    functional, dysfunctional : DataFrame
        One row per respondent, one column per attribute (the same columns in both, in the
        same order). Answers are codes 1..5 (1 我很喜欢 / Like, 2 理所当然 / Must-be, 3 无所谓 /
        Neutral, 4 能忍受 / Live with, 5 我很不喜欢 / Dislike) or those option texts in Chinese
        or English. A respondent who left either question of an attribute blank is left out
        of that attribute (counted in ``n_dropped``).
    weights : array-like, optional
        Survey weights, one positive weight per respondent: counts become sums of weights.
    labels : dict or sequence of 5 str, optional
        Further option wordings: text -> code 1..5, or the five texts in the order above.

    Returns
    -------
    KanoResult
        ``.table`` by attribute (see :class:`KanoResult`); ``to_frame()`` is that table.

    Raises
    ------
    DataError
        An answer outside the five options (attribute, rows and values named).
    ValueError
        Functional and dysfunctional answers with different columns or lengths; bad labels.

    Warns
    -----
    KanoWarning
        An attribute with no A, O, M or I answer (only Q or R): Better and Worse are NaN; the
        warning is also in ``.notes``.

    Notes
    -----
    Berger et al. (1993) evaluation table (module docstring); the category is the most
    frequent (the maximum rule), ties reported as 'A/O'. Better = (A+O)/(A+O+M+I) and
    Worse = -(O+M)/(A+O+M+I) leave R and Q out. Fong's (1996) test compares the two most
    frequent of the six categories with n = all classified answers: they differ when
    |a - b| >= 1.65 sqrt((a + b)(2n - a - b) / (2n)); otherwise the attribute is a mix of the
    two. With weights, a and b are the weighted shares times Kish's effective n and n is the
    effective n. There is no R package for this; the reference test recomputes it in base R.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.satisfaction import kano
    >>> f = pd.DataFrame({"快速配送": [1, 1, 2, 1, 3, 1], "包装": [2, 2, 3, 2, 1, 2]})
    >>> d = pd.DataFrame({"快速配送": ["能忍受", "无所谓", 4, 5, 4, 3], "包装": [5, 5, 5, 4, 5, 5]})
    >>> r = kano(f, d)
    >>> r.table.loc["快速配送", ["count_a", "count_o", "count_m", "count_i"]].tolist(), r.table["category"].tolist()
    ([3.0, 1.0, 0.0, 2.0], ['A', 'M'])
    >>> round(float(r.table.loc["快速配送", "better"]), 4), round(float(r.table.loc["包装", "worse"]), 4)
    (0.6667, -0.8333)
    """
    w_all = _check_frames(functional, dysfunctional, weights)
    mapping = _label_map(labels)
    f = _codes(functional, "functional", mapping)
    d = _codes(dysfunctional, "dysfunctional", mapping)
    rows, notes = [], []
    for j, attr in enumerate(functional.columns):
        ok = ~np.isnan(f[:, j]) & ~np.isnan(d[:, j])
        cat = TABLE_CODES[f[ok, j].astype(int) - 1, d[ok, j].astype(int) - 1]
        w = w_all[ok]
        counts = np.bincount(cat, weights=w, minlength=6).astype(float)
        total = counts.sum()
        n_eff = total ** 2 / (w ** 2).sum() if ok.any() else 0.0
        shares = counts / total if total > 0 else np.full(6, np.nan)
        a, o, m, i = counts[:4]
        aomi = a + o + m + i
        if aomi > 0:
            better, worse = (a + o) / aomi, -(o + m) / aomi
        else:
            better = worse = np.nan
            notes.append(f"Attribute {attr!r} has no A, O, M or I answer ({int(ok.sum())} respondents, all Q or R): "
                         "Better and Worse are undefined (NaN). Check the questions' wording and coding.")
        top = np.flatnonzero(counts == counts.max()) if total > 0 else np.array([], dtype=int)
        category = "/".join(CATEGORIES[k] for k in top) if total > 0 else ""
        first, second, diff, crit = _fong(shares * n_eff, n_eff) if total > 0 else ("", "", np.nan, np.nan)
        rows.append({**{f"count_{c.lower()}": counts[k] for k, c in enumerate(CATEGORIES)},
                     **{f"share_{c.lower()}": shares[k] for k, c in enumerate(CATEGORIES)},
                     "n_obs": int(ok.sum()), "n_dropped": int((~ok).sum()), "effective_n": n_eff,
                     "category": category, "tied": len(top) > 1, "better": better, "worse": worse,
                     "first": first, "second": second, "fong_difference": diff, "fong_critical": crit,
                     "fong_significant": bool(diff >= crit) if np.isfinite(crit) else False})
    for note in notes:
        warnings.warn(note, KanoWarning, stacklevel=2)
    table = pd.DataFrame(rows, index=pd.Index(list(functional.columns), name="attribute"))
    return KanoResult(table=table, weighted=weights is not None, notes=tuple(notes))
