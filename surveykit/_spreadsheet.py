"""Text that a spreadsheet would run as a formula, made harmless (CSV and Excel exports).

A respondent's comment ``=HYPERLINK("http://x", "...")`` or ``+86 ...`` is data: written to a
CSV it must open in Excel as the text written, never as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["FORMULA_START", "is_formula_like", "neutralise", "strip_control", "to_csv"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Control characters that XML 1.0 (xlsx, docx) cannot hold: openpyxl refuses them
# (IllegalCharacterError), Word will not open the file.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_control(value):
    """Text without the control characters a spreadsheet or Word file cannot hold; anything else unchanged.

    >>> strip_control("好\x01评\x0b"), strip_control(3)
    ('好评', 3)
    """
    return CONTROL.sub("", value) if isinstance(value, str) else value


def is_formula_like(value) -> bool:
    """True for text starting with ``=``, ``+``, ``-``, ``@``, a tab or a line break (``\\r``, ``\\n``)."""
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


def to_csv(frame: pd.DataFrame, target, **kwargs) -> None:
    """Write ``frame`` (neutralised) as CSV, every cell holding a line break or carriage return quoted.

    Records end in CRLF as RFC 4180 and Excel have it: the csv module quotes a cell only when it
    holds a character of the line terminator, so with a bare ``\\n`` a comment holding ``\\r``
    would be written unquoted and a spreadsheet would split its row there.

    >>> import io
    >>> buf = io.StringIO()
    >>> to_csv(pd.DataFrame({"comment": ["a\\rb", "\\r=1"]}), buf)
    >>> print(buf.getvalue().replace("\\r\\n", "|").replace("\\r", "<CR>"))
    comment|"a<CR>b"|"'<CR>=1"|
    """
    neutralise(frame).to_csv(target, index=False, lineterminator="\r\n", **kwargs)
