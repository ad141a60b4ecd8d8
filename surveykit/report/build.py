"""build_report: one self-contained HTML file (figures embedded), the tables as Excel and Word
files, every number as JSON, and the figures as PNG and SVG."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import __version__
from ..data import SurveyData
from ..descriptives import profile_segments
from ._text import t as text
from .book import ReportBook
from .customer_value import value_section
from .export import write_docx, write_results_json, write_xlsx
from .indices import index_sections
from .psychometrics import psychometric_sections
from .themes import theme_section

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

    def __repr__(self) -> str:
        return f"<ReportOutput html={str(self.html)!r} n_tables={self.n_tables} n_figures={len(self.figures)}>"


def _likert_panels(data: SurveyData, language: str):
    """(title, ItemDescriptives) per construct on a short rating scale, then the scale's other items."""
    q = data.questionnaire
    desc = data.describe(language=language)
    for scale_name, group in desc.groups.items():
        if group.scale_max - group.scale_min > 6:
            continue  # diverging bars suit agree / satisfaction scales, not 0-10 ratings
        rest = list(group.table.index)
        panels = [(c.label.get(language), [i for i in c.items if i in rest]) for c in q.constructs.values()]
        panels = [(t, its) for t, its in panels if its]
        in_constructs = {i for _, its in panels for i in its}
        others = [i for i in rest if i not in in_constructs]
        if others:
            panels.append((q.item(others[0]).text.get(language) if len(others) == 1 else scale_name, others))
        for title, its in panels:
            yield title, replace(group, table=group.table.loc[its], distribution=group.distribution.loc[its],
                                 counts=group.counts.loc[its])


def _profile_table(profile, q, lang: str) -> pd.DataFrame:
    """The sample profile with each segment named by its question rather than its id."""
    t = profile.table.drop(columns=["label"]).reset_index()
    t["segment"] = t["segment"].map(lambda s: q.item(s).text.get(lang))
    return t.set_index(["segment", "level"])


def build_report(data: SurveyData, out_dir, *, language: str | None = None, transactions=None,
                 value_options: dict | None = None, progress: bool = True) -> ReportOutput:
    """Write the report of a survey to ``out_dir``.

    Files: ``report.html`` (one self-contained file: figures embedded, no network needed),
    ``tables.xlsx`` (every table, one sheet each, numbers as numbers), ``tables.docx``
    (three-line tables with titles and notes), ``figures/`` (PNG at 300 dpi and SVG) and
    ``results.json`` (every number, with the questionnaire id, the data file's SHA-256, the
    package version and the options).

    Sections, in the order a paper uses: data audit (source, rows accounted for, problems
    found, declared missing codes), sample profile, item descriptives with diverging stacked
    bars, reliability and validity, exploratory factor analysis, indices overall and by
    segment, drivers and priorities, open-text themes, customer value (with ``transactions``).

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

    Returns
    -------
    ReportOutput
        The paths written.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from jinja2 import Environment, PackageLoader, select_autoescape
    from tqdm.auto import tqdm

    from ..errors import check_option
    from ..plotting import figure_style, plot_likert

    q = data.questionnaire
    lang = language or q.language
    check_option("language", lang, ("zh", "en", "both"), function="build_report")
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    book = ReportBook(out=out, language=lang)
    steps = tqdm(total=9, desc="surveykit report", unit="step", disable=not progress)

    def step(name: str) -> None:
        steps.set_postfix_str(name)

    step("validating")
    report = data.validate()
    steps.update()
    step("describing")
    profile = profile_segments(data)
    desc = data.describe()
    audit = data.audit
    accounting = book.table("audit", text("rows", lang), data.accounting())
    issues = report.to_frame().drop(columns=["item", "column"]) if report.issues else None
    issues = book.table("audit", text("issues", lang), issues, index=False) if issues is not None else None
    missing = None
    if len(audit.missing_codes):
        codes = audit.missing_codes.groupby(["code", "label"])["count"].sum().reset_index().set_index("code")
        missing = book.table("audit", text("missing", lang), codes)
    profile_html = book.table("profile", text("profile", lang), _profile_table(profile, q, lang), percent=("share",),
                              note=f"n = {data.n_respondents}")
    item_tables = []
    for name, group in desc.groups.items():
        t = group.table.copy()
        t.insert(0, "text", [group.item_labels.get(i, "") for i in t.index])
        t = t.drop(columns=["median"])
        dist = group.distribution.rename(columns=lambda c: f"{c:g}")
        t = t.join(dist)
        item_tables.append({"scale": name, "html": book.table(
            "items", f"{text('items', lang)}: {name}", t, percent=("top_box", "bottom_box", *dist.columns),
            note=text("n_note", lang))})
    steps.update()

    step("figures")
    figures = []
    fig_lang = "en" if lang == "en" else "zh"  # one language per figure keeps labels readable
    for title, group in _likert_panels(data, fig_lang):
        with figure_style():
            fig, ax = plt.subplots(figsize=(8, 0.5 * len(group.table) + 1.4))
            plot_likert(group, ax=ax)
            ax.set_title(title, loc="left")
        figures.append(book.figure(fig, f"likert_{len(figures) + 1:02d}", title))
    steps.update()

    step("psychometrics")
    psychometrics = psychometric_sections(data, book)
    steps.update()
    step("indices")
    index_ctx = index_sections(data, book)
    steps.update()
    step("open text")
    themes_ctx = theme_section(data, book)
    steps.update()
    step("customer value")
    value_ctx = value_section(data, book, transactions, **(value_options or {}))
    steps.update()

    # later sections, in ReportBook's generic form (see surveykit.report.book)
    sections = [s for s in (themes_ctx, value_ctx) if s is not None]
    step("writing")
    source_rows = [
        ("questionnaire", f"{q.id} — {q.title.get(lang)}"),
        ("file", audit.source), ("format / layout", f"{audit.format} / {audit.layout}"),
        ("encoding", audit.encoding or "—"), ("header row", str(audit.header_row)),
        ("sha256", audit.sha256 or "—"),
    ]
    env = Environment(loader=PackageLoader("surveykit.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.get_template("report.html.j2").render(
        lang="zh-CN" if lang in ("zh", "both") else "en", title=q.title.get(lang), t=lambda k: text(k, lang),
        short=lambda title: title.split(" / ")[0],  # the navigation bar names sections in one language
        source_rows=source_rows, accounting=accounting, issues=issues, missing=missing, profile=profile_html,
        items=item_tables, figures=figures, version=__version__, n=data.n_respondents, **psychometrics,
        **index_ctx, sections=sections,
    )
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    steps.update()
    step("tables")
    xlsx = write_xlsx(book, out / "tables.xlsx")
    docx = write_docx(book, out / "tables.docx", title=q.title.get(lang))
    results = write_results_json(book, out / "results.json", {
        "surveykit_version": __version__,
        "questionnaire": {"id": q.id, "title": q.title.get(lang), "schema_version": q.schema_version},
        "data": audit.to_dict(), "options": {"language": lang, **book.options},
        "n_respondents": data.n_respondents, "validation": report.to_dict(),
    })
    steps.update()
    steps.close()
    return ReportOutput(directory=out, html=html_path, xlsx=xlsx, docx=docx, results_json=results,
                        figures=tuple(book.figure_paths), n_tables=len(book.tables))
