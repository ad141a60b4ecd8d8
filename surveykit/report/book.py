"""ReportBook: every table, figure and number of a report, collected once, exported four ways.

Sections add their tables and figures through one :class:`ReportBook`; the HTML report
embeds them, and :mod:`surveykit.report.export` writes the same tables to ``tables.xlsx``
(numbers as numbers) and ``tables.docx`` (three-line tables), and every number to
``results.json``. A table shown in the report but missing from the exports cannot happen.

A section added after the first ones is a function ``xxx_section(data, book, ...) -> dict | None``
returning the generic form the template renders::

    {"id": "themes", "title": "...", "note": "method and n" or None,
     "blocks": [{"heading": "..." or None, "lines": ["..."], "table": book.table(...) or None,
                 "figures": [book.figure(...)]}],
     "notes": ["warnings and problems shown under the section"]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._format import figure_png, table_html

__all__ = ["ReportBook", "ReportTable"]


@dataclass(frozen=True)
class ReportTable:
    """One table of the report, as numbers (``frame``) and as the reader sees it (``html``)."""

    number: int
    section: str
    title: str
    frame: pd.DataFrame
    note: str | None
    percent: tuple[str, ...]
    decimals: int
    index: bool
    html: str


@dataclass
class ReportBook:
    """Collects a report's tables, figures and numbers while its sections are built.

    Parameters
    ----------
    out : Path
        The report folder; figures go to ``out / 'figures'``.
    language : {'zh', 'en', 'both'}

    Attributes
    ----------
    tables : list of ReportTable
    figure_paths : list of Path
    numbers : dict
        Each section's numbers, for ``results.json``.
    options : dict
        Each section's options (seeds, resamples), for ``results.json``.
    """

    out: Path
    language: str
    tables: list[ReportTable] = field(default_factory=list)
    figure_paths: list[Path] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def table(self, section: str, title: str, frame: pd.DataFrame, *, note: str | None = None,
              percent: tuple[str, ...] = (), decimals: int = 3, index: bool = True) -> str:
        """Register a table and return its HTML (three-line, escaped, formatted).

        ``frame`` keeps the numbers as numbers: the report formats them, the exports do not.
        ``section`` and ``title`` name the table in ``tables.xlsx`` / ``tables.docx``.
        """
        html = table_html(frame, decimals=decimals, percent=percent, index=index)
        self.tables.append(ReportTable(number=len(self.tables) + 1, section=section, title=str(title),
                                       frame=frame, note=note, percent=tuple(percent), decimals=decimals,
                                       index=index, html=html))
        return html

    def figure(self, fig, name: str, title: str) -> dict:
        """Save ``fig`` as ``figures/<name>.png`` (300 dpi) and ``.svg``, close it, and return what the
        template embeds: ``{'title', 'png'}`` (a screen-resolution PNG, base64)."""
        import matplotlib.pyplot as plt

        from ..plotting._style import use_cjk_fonts

        use_cjk_fonts(fig)
        (self.out / "figures").mkdir(parents=True, exist_ok=True)
        path = self.out / "figures" / f"{name}.png"
        embedded = {"title": title, "png": figure_png(fig, path)}
        self.figure_paths += [path, path.with_suffix(".svg")]
        plt.close(fig)
        return embedded
