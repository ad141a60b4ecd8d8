"""build_report: one self-contained HTML file (figures embedded), the tables as Excel and Word
files, every number as JSON, and the figures as PNG and SVG."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._blas import one_blas_thread
from .._version import __version__
from ..data import SurveyData
from ..io.write import write_docx, write_xlsx
from . import sections as S
from ._text import column_names, t
from ._figures import FigureWriter
from .book import Block, ReportBook, Section
from .export import write_results_json

__all__ = ["ReportOutput", "build_report"]


@dataclass(frozen=True)
class ReportOutput:
    """Where the report was written."""

    directory: Path
    html: Path
    xlsx: Path
    docx: Path
    results_json: Path
    figures: tuple[Path, ...] = field(default_factory=tuple)
    n_tables: int = 0
    lists: tuple[Path, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return f"<ReportOutput html={str(self.html)!r} n_tables={self.n_tables} n_figures={len(self.figures)}>"


def build_report(data: SurveyData, out_dir, *, language: str | None = None, transactions=None,
                 value_options: dict | None = None, progress: bool = True,
                 parallel: bool = True, rules=None, stars=None) -> ReportOutput:
    """Write the report of a survey to ``out_dir``.

    Files: ``report.html`` (one self-contained file: figures embedded, no network needed),
    ``tables.xlsx`` (every table, one sheet each, numbers as numbers), ``tables.docx``
    (three-line tables with titles and notes), ``figures/`` (PNG at 300 dpi and SVG),
    ``lists/`` (every row of a long list, as CSV: the report and ``tables.docx`` show the first 50) and
    ``results.json`` (every number, with the questionnaire id, the data file's SHA-256, the
    package version and the options).

    Sections, in the order a paper uses: data audit (source, rows accounted for, problems
    found, declared missing codes), sample profile, item descriptives with diverging stacked
    bars, reliability and validity, exploratory factor analysis, indices overall and by
    segment, drivers and priorities, open-text themes, customer value (with ``transactions``).
    Under each table a result explains: 分析建议 / How to read and 智能分析 / Interpretation
    (``result.interpret``); at the end, 参考文献 / References (every source those cite).

    Parameters
    ----------
    data : SurveyData
    out_dir : path
        Created if needed.
    language : {'zh', 'en', 'both'}, optional
        Defaults to the questionnaire's language.
    transactions : DataFrame, PreparedTransactions or path, optional
        The customers' orders: adds the customer value section (RFM layers, CLV, ABC classes,
        satisfaction by value segment, the save list), linked by the questionnaire's customer id.
    value_options : dict, optional
        Passed to :func:`surveykit.value.survey.link_survey` (column names, ``as_of``, ``margin``...).
    progress : bool, default True
        Show a progress bar.
    parallel : bool, default True
        Save the figures in a second process while the sections are computed (the same
        files; False saves them in this process).
    rules : surveykit.RuleSet, optional
        The thresholds of the interpretations (default ``surveykit.DEFAULT_RULES``).
    stars : {'apa', '0.1/0.05/0.01', 'econ'} or tuple of 3 floats, optional
        The significance-star convention of every table and figure of this report (default: the
        one in force, :func:`surveykit.get_star_convention`); the convention in force before is
        restored afterwards. The legend ends the note of every table with stars, and
        ``results.json`` records it under ``options.stars``.

    Returns
    -------
    ReportOutput
        The paths written.
    """
    from .._stars import star_convention

    if stars is not None:  # this report only: the convention before is restored when it is written
        with star_convention(stars):
            return build_report(data, out_dir, language=language, transactions=transactions,
                                value_options=value_options, progress=progress, parallel=parallel, rules=rules)
    return _build(data, out_dir, language, transactions, value_options, progress, parallel, rules)


def _build(data: SurveyData, out_dir, language, transactions, value_options, progress, parallel,
           rules) -> ReportOutput:
    """build_report under the star convention in force."""
    from tqdm.auto import tqdm

    from .._stars import get_star_convention, star_note
    from ..errors import check_option

    q = data.questionnaire
    lang = language or q.language
    check_option("language", lang, ("zh", "en", "both"), function="build_report")
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    # figures are saved in a second process beside the sections (see _figures); this process keeps
    # to one BLAS thread, so that the two share the machine's cores instead of contending for them
    with FigureWriter(parallel=parallel) as figures, one_blas_thread():
        book = ReportBook(out=out, language=lang, column_names=column_names(lang), figure_writer=figures,
                          rules=rules)
        convention = get_star_convention()
        book.options["stars"] = {"convention": convention if isinstance(convention, str) else list(convention),
                                 "legend": star_note()}
        steps = tqdm(total=len(S.ANALYSES) + 4, desc="surveykit report", unit="step", disable=not progress)
        report, sections = _sections(data, book, steps, transactions, value_options)
        _state_stars(book, sections, lang)
        _step(steps, "tables")
        xlsx = write_xlsx(book.tables, out / "tables.xlsx")
        references = sorted(book.references)
        if references:
            sections.append(Section(id="references", title=t("interp.references", lang),
                                    blocks=[Block(lines=references)]))
        docx = write_docx(book.word_tables(), out / "tables.docx", title=q.title.get(lang), language=book.language,
                          references=references, references_heading=t("interp.references", lang))
        results = write_results_json(book, out / "results.json", {
            "surveykit_version": __version__,
            "questionnaire": {"id": q.id, "title": q.title.get(lang), "schema_version": q.schema_version},
            "data": data.audit.to_dict(), "options": {"language": lang, **book.options},
            "n_respondents": data.n_respondents, "validation": report.to_dict(),
        })
        steps.update()
        _step(steps, "figures")
        book.finish()
    html_path = _write_html(out, data, lang, sections)
    steps.update()
    steps.close()
    return ReportOutput(directory=out, html=html_path, xlsx=xlsx, docx=docx, results_json=results,
                        figures=tuple(book.figure_paths), n_tables=len(book.tables), lists=tuple(book.list_paths))


def _state_stars(book: ReportBook, sections: list, lang: str) -> None:
    """The star convention, stated once among the notes of each section whose tables carry stars."""
    from .._stars import get_star_convention, star_note

    legend = star_note(language="zh" if lang == "zh" else "en")
    convention = get_star_convention()
    name = convention if isinstance(convention, str) else "/".join(f"{c:g}" for c in convention)
    starred = {table.section for table in book.tables if table.note and legend in table.note}
    for section in sections:
        if section.id in starred:
            section.notes.append(t("stars_note", lang, legend=legend, name=name.upper() if name == "apa" else name))


def _step(steps, name: str) -> None:
    """Name the step the progress bar is on."""
    steps.set_postfix_str(name)


def _sections(data: SurveyData, book: ReportBook, steps, transactions, value_options) -> tuple:
    """(validation report, sections): every section takes its results from the questionnaire
    layer; figures are drawn outside pyplot, so the caller's backend is left as it was."""
    _step(steps, "validating")
    report = data.validate()
    sections = [S.audit.section(data, book, report)]
    steps.update()
    for module in S.ANALYSES:
        _step(steps, module.__name__.rsplit(".", 1)[-1])
        sections.append(module.section(data, book))
        steps.update()
    _step(steps, "customer value")
    sections.append(S.customer_value.section(data, book, transactions, **(value_options or {})))
    steps.update()
    return report, [s for s in sections if s is not None]


def _write_html(out: Path, data: SurveyData, lang: str, sections: list) -> Path:
    """``report.html``: the sections through the one template, figures embedded."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    q = data.questionnaire
    env = Environment(loader=PackageLoader("surveykit.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.get_template("report.html.j2").render(
        lang="zh-CN" if lang in ("zh", "both") else "en", title=q.title.get(lang), report_word=t("title", lang),
        generated=t("generated", lang), notes_word=t("notes", lang), version=__version__, n=data.n_respondents,
        short=lambda title: title.split(" / ")[0],  # the navigation bar names sections in one language
        sections=sections,
    )
    path = out / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
