"""Exploratory factor analysis: KMO, Bartlett, parallel analysis with the scree plot, EFA, Harman's test."""

from __future__ import annotations

from ..._caught import caught
from ...data import SurveyData
from .._format import missing_rule, p_text
from .._text import t
from ..book import Block, ReportBook, Section


def _lines(fa, lang: str) -> list[str]:
    k, b, pa, h = fa.kmo, fa.bartlett, fa.parallel, fa.harman
    lines = []
    if k is not None and b is not None:
        lines.append(t("fa_kmo", lang, kmo=k.overall, df=b.df, chi2=b.chi2, p=p_text(b.p_value), n=b.n_obs))
    if pa is not None:
        lines.append(t("fa_parallel", lang, n_iter=pa.n_iter, threshold=pa.threshold, n_factors=pa.n_factors,
                       n_components=pa.n_components, k=fa.n_factors))
    if h is not None:
        verdict = "fa_harman_over" if h.flagged else "fa_harman_under"
        lines.append(t("fa_harman", lang, method=h.method, items=h.n_items, share=h.variance_share,
                       verdict=lambda L: t(verdict, L), threshold=h.threshold, n_eigen=h.n_eigen_above_1))
    return lines


def _figures(fa, data: SurveyData, book: ReportBook, fig_lang: str) -> list[dict]:
    from ...plotting import figure_style, plot_loadings, plot_scree

    q = data.questionnaire
    figures = []
    # sized by the plotting functions themselves (their own figure, closed by book.figure)
    if fa.parallel is not None:
        with figure_style():
            ax = plot_scree(fa.parallel, language=fig_lang)
        figures.append(book.figure(ax.figure, "scree", "scree"))
    if fa.efa is not None:
        with figure_style():
            ax = plot_loadings(fa.efa, item_labels={i: q.item(i).text.get(fig_lang) for i in fa.items},
                               language=fig_lang)
        figures.append(book.figure(ax.figure, "loadings", "loadings"))
    return figures


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """The battery of :meth:`SurveyData.factor_analysis` (its ``n_iter`` and ``seed`` go to ``results.json``)."""
    lang = book.language
    if not any(len(c.items) >= 2 for c in data.questionnaire.constructs.values()):
        return None
    notes: list[str] = []
    fa = caught(notes, data.factor_analysis)
    if fa is None:
        return Section(id="factor", title=t("factor", lang), notes=notes)
    notes += list(fa.notes)
    fig_lang = "en" if lang == "en" else "zh"
    e = fa.efa
    method = None if e is None else f"{e.method}, {e.rotation}, n = {e.n_obs}"
    used = next((r for r in (e, fa.kmo, fa.parallel) if r is not None), None)  # listwise throughout, as the EFA
    parts = [t("fa_note", lang)] + ([f"{method}."] if method else [])
    if used is not None:  # the n and the missing-data rule, from the result
        parts.append(t("table_words.factor", lang, rule=missing_rule(used.nan_policy), n=used.n_obs,
                       total=used.n_obs + used.n_dropped, dropped=used.n_dropped))
    if data.weights is not None:
        parts.append(t("table_words.unweighted_psy", lang))
    fa_note = " ".join(parts)

    def table(key, frame, decimals=3, interpret=None):
        return book.table("factor", t(key, lang), frame, note=fa_note, decimals=decimals, interpret=interpret)

    blocks = [Block(lines=_lines(fa, lang), figures=_figures(fa, data, book, fig_lang))]
    if e is not None:
        blocks += [Block(heading=f"{t('loadings', lang)} ({method})", table=table(
                       "loadings", e.to_frame(), 2, interpret=[r for r in (fa.parallel, e) if r is not None])),
                   Block(heading=t("variance", lang), table=table("variance", e.variance, interpret=fa.harman))]
        if e.phi is not None:
            blocks.append(Block(heading=t("phi", lang), table=table("phi", e.phi, 2)))
    if fa.kmo is not None:
        adequacy = [r for r in (fa.kmo, fa.bartlett) if r is not None]
        blocks.append(Block(heading=t("kmo_items", lang), table=table("kmo_items", fa.kmo.items, interpret=adequacy)))
    book.options["parallel_analysis"] = {"n_iter": fa.n_iter, "seed": fa.seed}
    b, pa = fa.bartlett, fa.parallel
    book.numbers.setdefault("psychometrics", {})["factor_analysis"] = {
        "kmo": None if fa.kmo is None else fa.kmo.overall,
        "bartlett": None if b is None else {"chi2": b.chi2, "df": b.df, "p_value": b.p_value},
        "parallel_analysis": None if pa is None else {"n_factors": pa.n_factors, "n_components": pa.n_components,
                                                      "n_iter": pa.n_iter, "seed": fa.seed},
        "harman_variance_share": None if fa.harman is None else fa.harman.variance_share,
        "efa": None if e is None else {"method": e.method, "rotation": e.rotation, "n_factors": e.n_factors,
                                       "loadings": e.loadings.to_dict()},
    }
    return Section(id="factor", title=t("factor", lang), note=fa_note, blocks=blocks, notes=list(dict.fromkeys(notes)))
