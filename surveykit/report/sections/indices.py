"""Indices: satisfaction, loyalty, NPS and perceived value, overall and by segment, with segment comparisons."""

from __future__ import annotations

import pandas as pd

from ..._caught import caught
from ...data import SurveyData
from .._format import banner_tables, banner_weighted_note, new_figure, weighted_note
from .._text import t
from ..book import Block, ReportBook, Section


def _fmt_ci(lo: float, hi: float, decimals: int) -> str:
    return "" if pd.isna(lo) else f"{lo:.{decimals}f} – {hi:.{decimals}f}"


def _decimals(key: str) -> int:
    return 3 if key.startswith("top2_box") or "value" in key and "index" not in key else 1


def _overall_tables(ix, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(numbers, display) of the overall indices: the estimate and the ends of its interval as numbers in
    ``tables.xlsx``; each estimate to its own decimals and the interval as 'low – high' in the report."""
    w = t("indices_words", "en" if lang == "en" else "zh")
    o = ix.overall
    n = o["n_obs"].astype("Int64")
    numbers = pd.DataFrame({w["index"]: o["label"], w["estimate"]: o["estimate"].astype(float),
                            t("table_words.ci_low", lang): o["ci_low"].astype(float),
                            t("table_words.ci_high", lang): o["ci_high"].astype(float), w["n"]: n},
                           index=o.index).set_index(w["index"])
    display = pd.DataFrame({
        w["index"]: o["label"],
        w["estimate"]: [f"{v:.{_decimals(k)}f}" for k, v in o["estimate"].items()],
        w["ci"]: [_fmt_ci(lo, hi, _decimals(k)) for k, lo, hi in zip(o.index, o["ci_low"], o["ci_high"])],
        w["n"]: n,
    }, index=o.index).set_index(w["index"])
    return numbers, display


def _weighting(ix, lang: str, rows) -> str | None:
    """The weighting of ``rows`` (of ``ix.table``) when the indices are weighted, else None."""
    return weighted_note(lang, rows["effective_n"], rows["n_obs"]) if ix.weighted else None


def _figures(data: SurveyData, ix, book: ReportBook, notes: list) -> list[dict]:
    """Each index by segment, the NPS of every segment level, and the value map of the segment with most levels."""
    from ...plotting import figure_style, plot_indices, plot_nps, plot_value_map

    q = data.questionnaire
    fig_lang = "en" if book.language == "en" else "zh"
    figures: list = []
    if not ix.segments:
        return figures
    with figure_style():
        for key in [k for k in ("satisfaction_index", "loyalty_index", "nps") if k in ix.overall.index]:
            fig, ax = new_figure((7.5, 0.32 * len(ix.table) / len(ix.overall) + 1.5))
            plot_indices(ix, key, language=fig_lang, ax=ax,
                         segment_labels={s: q.label(q.item(s).text, fig_lang) or s for s in ix.segments})
            figures.append(book.figure(fig, f"index_{key}", ix.overall.at[key, "label"]))
        if "nps" in ix.overall.index:
            by = caught(notes, data.nps_by_segment)
            if by:
                fig, ax = new_figure((7.5, 0.32 * len(by) + 1.3))
                plot_nps(by, language=fig_lang, ax=ax)
                figures.append(book.figure(fig, "nps_by_segment", ix.overall.at["nps", "label"]))
        if "delivered_value" in ix.results or "value_difference" in ix.results:
            points = caught(notes, data.value_by_segment) or {}
            if len(points) >= 2:
                fig, ax = new_figure((6.5, 5.5))
                plot_value_map(points, language=fig_lang, ax=ax)
                figures.append(book.figure(fig, "value_map", "value map"))
    return figures


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """The indices of :meth:`SurveyData.indices` overall and by segment, and :meth:`SurveyData.index_banners`."""
    q, lang = data.questionnaire, book.language
    notes: list[str] = []
    ix = caught(notes, data.indices, language=lang)
    if ix is None:
        return None
    notes += list(ix.notes)
    book.numbers["indices"] = ix.table.astype(object).where(ix.table.notna(), None).to_dict(orient="records")
    ix_note = t("ix_note", lang)
    numbers, display = _overall_tables(ix, lang)
    blocks = [Block(heading=t("overall", lang), figures=_figures(data, ix, book, notes),
                    table=book.table("indices", t("overall", lang), numbers, display=display, decimals=3, note=ix_note,
                                     shown_note=_weighting(ix, lang, ix.overall), interpret=ix.results.get("nps")))]
    for s in ix.segments:
        label = q.label(q.item(s).text, lang) or s
        wide = ix.by_segment(s).rename(columns=lambda k: ix.overall["label"].get(k, k))
        blocks.append(Block(heading=f"{t('by_segment', lang)}: {label}", table=book.table(
            "indices", f"{t('by_segment', lang)}: {label}", wide,
            note=ix_note, shown_note=_weighting(ix, lang, ix.table[ix.table["segment"] == s]))))
    banners = caught(notes, data.index_banners, segments=ix.segments, language=lang) or {}
    for i, (s, b) in enumerate(banners.items()):
        label = q.label(q.item(s).text, lang) or s
        b_note = t("banner", lang, correction=(b.correction or "none").capitalize(), alpha=b.alpha)
        numbers, display = banner_tables(b, lang)
        for frame in (numbers, display):
            frame.columns = frame.columns.set_names(label, level=0)  # the segment by its question
        blocks.append(Block(heading=b_note if i == 0 else None, lines=[label], table=book.table(
            "indices", f"{t('comparisons', lang)}: {label}", numbers, display=display, decimals=2, note=b_note,
            shown_note=banner_weighted_note(b, lang) or None, interpret=b)))
        notes += [f"{s}: {n}" for n in b.notes]
    return Section(id="indices", title=t("indices", lang), note=ix_note, blocks=blocks,
                   notes=list(dict.fromkeys(notes)))
