"""Text that a spreadsheet would run as a formula, made harmless (CSV and Excel exports).

A respondent's comment ``=HYPERLINK("http://x", "...")`` or ``+86 ...`` is data: written to a
CSV it must open in Excel as the text written, never as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_START", "is_formula_like", "neutralise"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells (and column names) a spreadsheet would run as formulas, prefixed with ``'``; numbers untouched.

    >>> neutralise(pd.DataFrame({"comment": ["=1+1", "好评"], "n": [-1, 2]}))["comment"].tolist()
    ["'=1+1", '好评']
    """
    def cell(v):
        return "'" + v if is_formula_like(v) else v

    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or isinstance(out[c].dtype, (pd.StringDtype, pd.CategoricalDtype)):
            out[c] = out[c].astype(object).map(cell)
    out.columns = [cell(str(c)) for c in out.columns]
    return out
