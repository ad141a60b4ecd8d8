"""Rendering of result summaries as text, HTML (Jupyter) and Markdown.

Results keep full precision; rounding happens here, when rendering.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from ._stars import is_p_column, star_column, star_note

__all__ = ["Summary", "with_stars"]


@dataclass
class Summary:
    """A titled block of lines and tables that renders as text, HTML and Markdown."""

    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    decimals: int = 3

    def _fmt(self, df: pd.DataFrame) -> pd.DataFrame:
        return with_stars(df).round(self.decimals) if len(df) else df  # stars from the unrounded p

    def as_text(self) -> str:
        out = [self.title, "=" * max(len(self.title), 8), *self.lines]
        for name, df in self.tables:
            out += ["", name, "-" * max(len(name), 4)]
            out.append(self._fmt(df).to_string() if len(df) else "(none)")
            out += [f"Note: {star_note()}"] if _has_p(df) else []
        return "\n".join(out)

    def as_markdown(self) -> str:
        out = [f"### {self.title}", "", *self.lines]
        for name, df in self.tables:
            out += ["", f"**{name}**", ""]
            out.append(_markdown_table(self._fmt(df)) if len(df) else "(none)")
            out += ["", "*Note*: " + star_note().replace("*", "\\*")] if _has_p(df) else []
        return "\n".join(out)

    def as_html(self) -> str:
        esc = html.escape
        parts = [f"<div class='surveykit-summary'><h4>{esc(self.title)}</h4>"]
        parts += [f"<p>{esc(line)}</p>" for line in self.lines]
        for name, df in self.tables:
            parts.append(f"<h5>{esc(name)}</h5>")
            parts.append(self._fmt(df).to_html(escape=True, na_rep="", border=0) if len(df) else "<p>(none)</p>")
            parts += [f"<p><small>Note: {esc(star_note())}</small></p>"] if _has_p(df) else []
        parts.append("</div>")
        return "".join(parts)

    _repr_html_ = as_html

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()


def _has_p(df: pd.DataFrame) -> bool:
    return len(df) > 0 and any(isinstance(c, str) and is_p_column(c) for c in df.columns)


def with_stars(df: pd.DataFrame, p_names=()) -> pd.DataFrame:
    """The table with a column of significance stars right after each p-value column (``sig`` after
    ``p_value`` / ``p`` or a column named in ``p_names``, ``<name>_sig`` after ``<name>_p``,
    ``adjusted_sig`` after ``p_adjusted``), by the
    convention in force (:func:`surveykit.stars`); the values themselves are untouched. The table
    itself comes back when it has no p-value column."""
    cols = [c for c in df.columns if isinstance(c, str) and (is_p_column(c) or c in p_names)]
    if not cols or not isinstance(df.columns, pd.Index) or isinstance(df.columns, pd.MultiIndex):
        return df
    out = df.copy()
    for c in cols:
        stem = "" if c in p_names else c.removesuffix("_value").removesuffix("p").rstrip("_")
        name = "adjusted_sig" if c == "p_adjusted" else f"{stem}_sig" if stem else "sig"
        if name in out.columns:
            continue
        numeric = pd.to_numeric(out[c], errors="coerce")
        out.insert(out.columns.get_loc(c) + 1, name, star_column(numeric.to_numpy(dtype=float)))
    return out


def _markdown_table(df: pd.DataFrame) -> str:
    cols = [str(df.index.name or "")] + [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for idx, row in df.iterrows():
        cells = [str(idx)] + ["" if pd.isna(v) else str(v) for v in row]
        cells = [c.replace("|", "\\|").replace("*", "\\*").replace("\n", " ") for c in cells]  # * would be emphasis
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
