"""ReportBook: every table, figure and number of a report, collected once, exported four ways.

Sections add their tables and figures through one :class:`ReportBook`; the HTML report
embeds them, :mod:`surveykit.io.write` writes the same tables to ``tables.xlsx``
(numbers as numbers) and ``tables.docx`` (three-line tables), and
:mod:`surveykit.report.export` every number to ``results.json``. A table shown in the report but missing from the exports cannot happen.

Every section is a module of :mod:`surveykit.report.sections` with a function
``section(data, book, ...) -> Section | None`` (None: the questionnaire has nothing for it).
It takes its results from the questionnaire layer (``data.factor_analysis()``,
``data.drivers()`` ...), registers its tables and figures here, and returns the one form the
template renders::

    Section(id="themes", title="...", note="method and n" or None,
            blocks=[Block(heading="..." or None, lines=["..."], pairs=[("key", "value")],
                          table=book.table(...) or None, figures=[book.figure(...)])],
            notes=["warnings and problems shown under the section"])

A table that a result explains passes it: ``book.table(..., interpret=result)`` (or a list of
results). Under the table the report then shows 分析建议 / How to read (the interpretation's
guidance) and 智能分析 / Interpretation (its paragraph), from ``result.interpret(language,
book.rules)`` in the report's language (both, for 'both'); ``tables.docx`` prints the same text
under the table, ``results.json`` carries each interpretation with the table, and every
reference cited goes once to the 参考文献 / References list at the end (:attr:`ReportBook.references`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._caught import FAILURES
from .._render import with_stars
from .._stars import is_p_column, star_note
from ..io.write import Table, number_formats, write_csv
from ._figures import save_figure
from ._format import interpretation_html, table_html
from ._text import t

if TYPE_CHECKING:
    from ..interpretation import RuleSet
    from ._figures import FigureWriter

__all__ = ["LIST_ROWS", "Block", "ReportBook", "ReportTable", "Section"]

#: rows of a long list shown in the report and in ``tables.docx`` (all of them go to ``tables.xlsx`` and a CSV)
LIST_ROWS = 50


@dataclass
class Block:
    """One part of a section: a heading, lines of text, key-value rows, a table and figures."""

    heading: str | None = None
    lines: list[str] = field(default_factory=list)
    table: str | None = None
    figures: list[dict] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    """A section of the report as the template renders it (``<section id=...>``)."""

    id: str
    title: str
    note: str | None = None
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ReportTable(Table):
    """One table of the report, as numbers (``frame``, the :class:`~surveykit.io.write.Table` the
    exports write) and as the reader sees it (``html``), with its number in the report."""

    number: int
    html: str
    interpretations: tuple = ()  # the Interpretation of each result explained, in each language shown
    display: pd.DataFrame | None = None  # the cells as the reader sees them, when they are more than formatted numbers

    def as_shown(self) -> ReportTable:
        """The table as the report shows it: :attr:`display` in place of the numbers when it has one
        (``tables.docx`` prints this; ``tables.xlsx`` and ``results.json`` take :attr:`frame`)."""
        return self if self.display is None else replace(self, frame=self.display, formats=None)


@dataclass
class ReportBook:
    """Collects a report's tables, figures and numbers while its sections are built.

    Parameters
    ----------
    out : Path
        The report folder; figures go to ``out / 'figures'``.
    language : {'zh', 'en', 'both'}
    column_names : dict, optional
        Column (and index) name -> header as the reader sees it, applied to every table as it
        is registered, so that the HTML, ``tables.xlsx``, ``tables.docx`` and the tables of
        ``results.json`` show the same headers (the report passes its language's table,
        :func:`surveykit.report._text.column_names`).

    Attributes
    ----------
    tables : list of ReportTable
    figure_paths : list of Path
    list_paths : list of Path
        The CSVs of the long lists.
    numbers : dict
        Each section's numbers, for ``results.json``.
    options : dict
        Each section's options (seeds, resamples), for ``results.json``.
    rules : surveykit.RuleSet, optional
        The thresholds of the interpretations (default: ``surveykit.DEFAULT_RULES``).
    references : dict
        Full reference -> None, every source an interpretation shown cites, in the order first cited
        (the report lists them sorted).
    """

    out: Path
    language: str
    tables: list[ReportTable] = field(default_factory=list)
    figure_paths: list[Path] = field(default_factory=list)
    list_paths: list[Path] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    column_names: dict = field(default_factory=dict)
    figure_writer: FigureWriter | None = None
    rules: RuleSet | None = None
    references: dict = field(default_factory=dict)
    _pending: list = field(default_factory=list, repr=False)

    def table(self, section: str, title: str, frame: pd.DataFrame, *, note: str | None = None,
              percent: tuple[str, ...] = (), decimals: int = 3, index: bool = True,
              long_list: bool = False, interpret=None, display: pd.DataFrame | None = None,
              shown_note: str | None = None) -> str:
        """Register a table and return its HTML (three-line, escaped, formatted).

        ``interpret``: a result (or a list of results, each optionally a ``(label, result)`` pair)
        whose interpretation is shown under the table (see the module's docstring); with several, each
        paragraph starts with its label, or the interpretation's title.

        ``frame`` keeps the numbers as numbers: the report formats them, the exports do not.
        ``section`` and ``title`` name the table in ``tables.xlsx`` / ``tables.docx``.

        A ``long_list`` (one row per respondent or customer: the save list, the respondents not
        linked) shows its first :data:`LIST_ROWS` rows in the report and in ``tables.docx``, so
        that neither grows with n; every row goes to ``tables.xlsx`` and to a CSV in
        ``out / 'lists'``, and the note says so.

        A column of p-values (``p_value``, ``*_p``) gets its significance stars in a column next to
        it and the note the stars' legend, by the one convention of :func:`surveykit.stars`.

        ``display`` (issue 16): the cells as the reader sees them when a cell holds more than one
        number (a banner's ``"69.75 B"``, a CI ``"64.3 – 67.8"``). The report and ``tables.docx``
        show it; ``frame`` then holds the numbers (letters and interval ends in columns of their
        own), which ``tables.xlsx`` writes as numeric cells and ``results.json`` as numbers.
        Each numeric cell of ``tables.xlsx`` gets a number format (:func:`~surveykit.io.write.number_formats`):
        whole numbers ``0``, ``percent`` columns ``0.0%``, the others the decimals the reader sees
        (``display``'s, else ``decimals``); the value stays at full precision.

        ``shown_note``: a sentence the reader must not miss (the weighting of the table): it ends the
        note and the report shows it under the table as well (the report shows other notes once, at
        the top of the section).
        """
        if shown_note:
            note = f"{note} {shown_note}" if note else shown_note
        p_names = {v for k, v in self.column_names.items() if is_p_column(k)}  # a p column already translated
        starred = with_stars(frame, p_names)  # issue 20: stars, the same in every table
        if starred is not frame:
            frame, legend = starred, star_note(language="zh" if self.language == "zh" else "en")
            note = f"{note} {legend}" if note else legend
            display = None if display is None else with_stars(display, p_names)
        frame, percent = self._headers(frame, percent)
        if display is not None:
            display, _ = self._headers(display, ())
        number = len(self.tables) + 1
        shown = None
        if long_list and len(frame) > LIST_ROWS:
            shown = LIST_ROWS
            csv = self._write_list(number, section, frame, index)
            more = t("long_list", self.language, shown=shown, n=len(frame), csv=csv)
            note = f"{note} {more}" if note else more
        seen = frame if display is None else display
        html = table_html(seen if shown is None else seen.head(shown), decimals=decimals, percent=percent,
                          index=index)
        if shown is not None:  # the report shows table notes only here: say where the other rows are
            html += f'<p class="note">{escape(more)}</p>'
        if shown_note:
            html += f'<p class="note">{escape(shown_note)}</p>'
        interpretations, texts = self._interpret(interpret)
        html += interpretation_html(texts)
        self.tables.append(ReportTable(number=number, section=section, title=str(title), frame=frame, note=note,
                                       percent=tuple(percent), decimals=decimals, index=index, html=html,
                                       shown=shown, interpretations=interpretations, texts=texts, display=display,
                                       formats=number_formats(frame, decimals, percent, display)))
        return html

    def _headers(self, frame: pd.DataFrame, percent: tuple) -> tuple[pd.DataFrame, tuple]:
        """``frame`` with its column and axis names as the reader sees them (:attr:`column_names`), and
        ``percent`` so."""
        if not self.column_names:
            return frame, percent
        names = self.column_names
        frame = frame.rename(columns=lambda c: names.get(c, c) if isinstance(c, str) else c)
        for axis in (frame.index, frame.columns):
            axis.names = [names.get(n, n) if isinstance(n, str) else n for n in axis.names]
        return frame, tuple(names.get(c, c) for c in percent)

    def word_tables(self) -> list[ReportTable]:
        """The tables for ``tables.docx``: as the report shows them (:meth:`ReportTable.as_shown`)."""
        return [table.as_shown() for table in self.tables]

    def _interpret(self, results) -> tuple:
        """(the Interpretations of ``results`` in the report's language(s), the texts shown:
        ``((heading, paragraphs), ...)``); the references cited are added to :attr:`references`.

        An interpretation that fails on the data shows as not available, with the reason; a result
        without an interpreter raises ``NotImplementedError`` (a section asked for one that does not exist).
        """
        if results is None:
            return (), ()
        results = list(results) if isinstance(results, list) else [results]
        results = [item if isinstance(item, tuple) else (None, item) for item in results]
        languages = ("zh", "en") if self.language == "both" else (self.language,)
        found, guidance, paragraphs = [], [], []
        for label, result in results:
            for lang in languages:
                colon = "：" if lang == "zh" else ": "
                try:
                    it = result.interpret(lang, self.rules)
                except FAILURES as exc:
                    paragraphs.append(f"{label}{colon}" * (label is not None) + t("interp.unavailable", lang, error=exc))
                    continue
                found.append(it)
                guidance += [g for g in it.guidance if g not in guidance]
                lead = label if label is not None else it.title if len(results) > 1 else ""
                paragraphs.append(f"{lead}{colon}" * bool(lead) + it.paragraph)
                self.references.update(dict.fromkeys(it.references))
        texts = ((t("interp.how", self.language), tuple(guidance)), (t("interp.text", self.language), tuple(paragraphs)))
        return tuple(found), tuple((h, p) for h, p in texts if p)

    def _write_list(self, number: int, section: str, frame: pd.DataFrame, index: bool) -> str:
        """Every row of a long list as ``lists/<section>_<number>.csv``; returns the path as the note gives it."""
        name = f"lists/{section}_{number}.csv"
        (self.out / "lists").mkdir(parents=True, exist_ok=True)
        write_csv(Table(title=name, frame=frame, index=index), self.out / name)
        self.list_paths.append(self.out / name)
        return name

    def figure(self, fig, name: str, title: str) -> dict:
        """Save ``fig`` as ``figures/<name>.png`` (300 dpi) and ``.svg`` and return what the template
        embeds: ``{'title', 'png'}`` (a screen-resolution PNG, base64).

        With a :class:`~surveykit.report._figures.FigureWriter` the figure is saved in its worker
        process and ``'png'`` is filled in by :meth:`finish`; the report calls it before it renders.
        """
        import matplotlib.pyplot as plt

        from ..plotting._style import use_cjk_fonts

        use_cjk_fonts(fig)
        (self.out / "figures").mkdir(parents=True, exist_ok=True)
        path = self.out / "figures" / f"{name}.png"
        embedded = {"title": title, "png": None}
        if self.figure_writer is None:
            embedded["png"] = save_figure(fig, path)
        else:
            self._pending.append((embedded, fig, path, self.figure_writer.submit(fig, path)))
        self.figure_paths += [path, path.with_suffix(".svg")]
        plt.close(fig)  # a pyplot figure leaves pyplot's list; the object itself lives on until saved
        return embedded

    def finish(self) -> None:
        """Wait for the figures being saved and fill in their embedded images.

        The figures the worker has not started yet are saved here, from the last one back, while
        the worker goes on from the front: both cores work on the backlog. A figure whose worker
        failed (the process died, the figure would not pickle) is also saved here, so that the
        files are the same either way.
        """
        for embedded, fig, path, future in reversed(self._pending):
            if future.cancel():
                embedded["png"] = save_figure(fig, path)
        for embedded, fig, path, future in self._pending:
            if embedded["png"] is None:
                try:
                    embedded["png"] = future.result()
                except Exception:  # noqa: BLE001 - any failure of the worker: save it here instead
                    embedded["png"] = save_figure(fig, path)
        self._pending.clear()
