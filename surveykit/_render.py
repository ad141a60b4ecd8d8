"""Rendering of result summaries as text, HTML (Jupyter) and Markdown.

Results keep full precision; rounding happens here, when rendering.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Summary"]


@dataclass
class Summary:
    """A titled block of lines and tables that renders as text, HTML and Markdown."""

    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    decimals: int = 3

    def _fmt(self, df: pd.DataFrame) -> pd.DataFrame:
        return df.round(self.decimals) if len(df) else df

    def as_text(self) -> str:
        out = [self.title, "=" * max(len(self.title), 8), *self.lines]
        for name, df in self.tables:
            out += ["", name, "-" * max(len(name), 4)]
            out.append(self._fmt(df).to_string() if len(df) else "(none)")
        return "\n".join(out)

    def as_markdown(self) -> str:
        out = [f"### {self.title}", "", *self.lines]
        for name, df in self.tables:
            out += ["", f"**{name}**", ""]
            out.append(_markdown_table(self._fmt(df)) if len(df) else "(none)")
        return "\n".join(out)

    def as_html(self) -> str:
        esc = html.escape
        parts = [f"<div class='surveykit-summary'><h4>{esc(self.title)}</h4>"]
        parts += [f"<p>{esc(line)}</p>" for line in self.lines]
        for name, df in self.tables:
            parts.append(f"<h5>{esc(name)}</h5>")
            parts.append(self._fmt(df).to_html(escape=True, na_rep="", border=0) if len(df) else "<p>(none)</p>")
        parts.append("</div>")
        return "".join(parts)

    _repr_html_ = as_html

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()


def _markdown_table(df: pd.DataFrame) -> str:
    cols = [str(df.index.name or "")] + [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for idx, row in df.iterrows():
        cells = [str(idx)] + ["" if pd.isna(v) else str(v) for v in row]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)
