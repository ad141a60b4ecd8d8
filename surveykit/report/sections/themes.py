"""The report's section on open comments: themes, by segment, mentioners vs non-mentioners, quotes."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..._caught import caught
from ...data import SurveyData
from .._format import weighted_note
from .._text import t
from ..book import Block, ReportBook, Section

QUOTE_CHARS = 120  # quotes are cut to this length in the report (the exports hold the same cut text)
TOP_WORDS = 15

def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def _counts_table(f, lang: str) -> pd.DataFrame:
    counts = f.counts.table
    keys = ["count", "share", "plain_count", "negated_count", "positive_count", "negative_count", "neutral_count",
            *(["weighted_share"] if f.weighted else [])]
    out = pd.DataFrame({t(f"themes.{k}", lang): counts[k] for k in keys})
    out.index = pd.Index([_name(f, i) for i in counts.index], name=t("themes.theme", lang))
    return out


def _name(f, theme_id: str) -> str:
    return f.counts.themes[theme_id].name(f.language)


def _segments_table(f, data: SurveyData, lang: str) -> pd.DataFrame | None:
    if not f.segments:
        return None
    q = data.questionnaire
    stat = "weighted_share" if f.weighted else "share"
    rows = []
    for s, counts in f.segments.items():
        share = counts.segment_table(stat)
        n = counts.segment_table("n_substantive").iloc[0]
        label = q.label(q.item(s).text, lang) or s
        for level in share.columns:
            rows.append({t("themes.segment", lang): label, t("themes.level", lang): str(level), t("themes.n", lang): int(n[level]),
                         **{_name(f, th): share.at[th, level] for th in share.index}})
    return pd.DataFrame(rows).set_index([t("themes.segment", lang), t("themes.level", lang)])


def _compare_table(f, measure: str, lang: str) -> pd.DataFrame:
    rows = f.comparison.loc[measure]
    out = pd.DataFrame({
        t("themes.n_mentioners", lang): rows["n_mentioners"], t("themes.mentioners", lang): rows["mentioners"],
        t("themes.n_non_mentioners", lang): rows["n_non_mentioners"], t("themes.non_mentioners", lang): rows["non_mentioners"],
        t("themes.difference", lang): rows["difference"], t("themes.ci_low", lang): rows["ci_low"],
        t("themes.ci_high", lang): rows["ci_high"], t("themes.p_value", lang): rows["p_value"]})
    out.index = pd.MultiIndex.from_tuples([(_name(f, th), t(f"themes.{pol}", lang)) for th, pol in rows.index],
                                          names=[t("themes.theme", lang), t("themes.polarity", lang)])
    return out


def _quotes_table(f, lang: str) -> pd.DataFrame:
    q = f.counts.quotes
    return pd.DataFrame({t("themes.theme", lang): [_name(f, th) for th in q["theme"]],
                         t("themes.polarity", lang): [t(f"themes.{p}", lang) for p in q["polarity"]],
                         t("themes.text", lang): [_cut(s) for s in q["text"]],
                         t("themes.respondents", lang): q["count"].astype(int)})


def _weighting(f, lang: str) -> dict:
    """The weighting sentence of each weighted table of a field (issue 16), from the result's own Kish n of the
    rows each uses: ``counts`` (the substantive answers), ``segments`` (each level's), and per measure compared
    (the mentioners and non-mentioners compared); empty when unweighted."""
    if not f.weighted:
        return {"counts": None, "segments": None}
    out = {"counts": weighted_note(lang, f.effective_n, f.n_obs), "segments": None}
    if f.segments:
        eff = pd.concat(list(f.segment_effective_n.values()))
        n = pd.concat([c.segment_table("n_substantive").iloc[0] for c in f.segments.values()])
        out["segments"] = weighted_note(lang, eff, n)
    if f.comparison is not None:
        for measure in pd.unique(f.comparison.index.get_level_values("measure")):
            rows = f.comparison.loc[measure]
            out[measure] = weighted_note(lang, rows["effective_n"], rows["n_mentioners"] + rows["n_non_mentioners"])
    return out


def _figures(f, data: SurveyData, book: ReportBook, fig_lang: str, lang: str, notes: list) -> dict:
    """Figures of one field, by the block they belong to."""
    from ...plotting._style import figure_style
    from ...plotting import plot_cooccurrence, plot_theme_polarity, plot_theme_satisfaction, plot_themes, plot_wordcloud

    q = data.questionnaire
    out: dict[str, list] = {"counts": [], "segments": [], "compare": {}, "unmatched": []}
    name = f"themes_{f.field}"
    with figure_style():
        ax = caught(notes, plot_themes, f, language=fig_lang)
        if ax is not None:
            out["counts"].append(book.figure(ax.figure, f"{name}_bars", t("themes.fig_bars", lang)))
        if f.counts.table["count"].sum() > 0:
            ax = caught(notes, plot_theme_polarity, f, language=fig_lang)
            if ax is not None:
                out["counts"].append(book.figure(ax.figure, f"{name}_polarity", t("themes.fig_polarity", lang)))
        if len(f.counts.table) > 1:
            ax = caught(notes, plot_cooccurrence, f, language=fig_lang)
            if ax is not None:
                out["counts"].append(book.figure(ax.figure, f"{name}_cooccurrence", t("themes.fig_co", lang)))
        if f.segments:
            main = next(iter(f.segments))
            ax = caught(notes, plot_themes, f, by=main, language=fig_lang)
            if ax is not None:
                label = q.label(q.item(main).text, lang) or main
                out["segments"].append(book.figure(ax.figure, f"{name}_by_{main}", t("themes.fig_by", lang,
                                                                                     segment=label)))
        if f.comparison is not None:  # the outcome's figure (the NPS has its table only)
            for measure in pd.unique(f.comparison.index.get_level_values("measure"))[:1]:
                ax = caught(notes, plot_theme_satisfaction, f, measure=measure, polarity="split", language=fig_lang)
                if ax is not None:
                    label = "NPS" if measure == "nps" else (f.outcome_label or measure)
                    out["compare"][measure] = [book.figure(ax.figure, f"{name}_{measure}",
                                                           t("themes.fig_compare", lang, measure=label))]
        if f.n_obs:
            ax = caught(notes, plot_wordcloud, f, source="keywords", seed=0, width=1200, height=640)
            if ax is not None:
                out["unmatched"].append(book.figure(ax.figure, f"{name}_wordcloud", t("themes.fig_cloud", lang)))
    return out


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """Build the open-comment section into ``book``; None when the questionnaire has no open-text field.

    Per open-text field: theme counts (count, share, plain and negated mentions), shares by
    each segment, mentioners vs non-mentioners on the satisfaction index and the NPS, example
    quotes (escaped in the HTML, formula-like text neutralised in the exports), the share of
    comments that match no theme with their most frequent words, and the figures (theme bars,
    by the first segment, co-occurrence, mentioners vs non-mentioners, a keyword cloud). The
    numbers go to ``book.numbers['themes']``. Computes nothing itself: everything comes from
    :func:`surveykit.text.survey.survey_themes`.
    """
    from ...text.survey import survey_themes

    q = data.questionnaire
    if not q.open_text:
        return None
    lang = book.language
    fig_lang = "en" if lang == "en" else "zh"
    section = "themes"
    notes: list[str] = []
    result = caught(notes, survey_themes, data, language=lang)
    if result is None:
        return Section(id=section, title=t("themes.title", lang), notes=notes)
    notes += list(result.notes)
    numbers: dict = {}
    blocks: list[Block] = []
    for f in result:
        f_notes = [n for n in f.notes if n not in notes]
        counts = f.counts
        a = counts.accounting
        weighting = _weighting(f, lang)
        figures = _figures(f, data, book, fig_lang, lang, f_notes)
        read_line = t("themes.read", lang, read=a["read"], missing=a["missing"], non_answer=a["non_answer"],
                       substantive=a["substantive"], matched=a["matched"], unmatched=a["unmatched"],
                       share=f"{counts.unmatched_share:.1%}" if math.isfinite(counts.unmatched_share) else "—")
        note = t("themes.note_counts", lang, n=f.n_obs, window=counts.themes.negation_window,
                  file=Path(f.themes_file).name) + " " + t("themes.note_polarity", lang, method=f.counts.polarity_method)
        share_cols = (t("themes.share", lang),) + ((t("themes.weighted_share", lang),) if f.weighted else ())
        blocks.append(Block(heading=f"{f.question} ({f.field})", lines=[read_line, note],
                       table=book.table(section, f"{t('themes.themes', lang)}: {f.field}", _counts_table(f, lang),
                                           note=note, percent=share_cols, shown_note=weighting["counts"]),
                            figures=figures["counts"]))
        seg = _segments_table(f, data, lang)
        if seg is not None:
            theme_cols = tuple(c for c in seg.columns if c != t("themes.n", lang))
            seg_note = t("themes.note_segments", lang)
            blocks.append(Block(heading=t("themes.by_segment", lang), lines=[seg_note],
                           table=book.table(section, f"{t('themes.by_segment', lang)}: {f.field}", seg,
                                               note=seg_note, percent=theme_cols, shown_note=weighting["segments"]),
                           figures=figures["segments"]))
        if f.comparison is not None:
            for measure in pd.unique(f.comparison.index.get_level_values("measure")):
                label = "NPS" if measure == "nps" else (f.outcome_label or measure)
                used = sorted(set(f.comparison.loc[measure, "test"]))
                cmp_note = t("themes.note_compare", lang, min_group=f.min_group,
                              test=lambda x, used=used: "".join(t(f"themes.{k}", x) for k in used))
                blocks.append(Block(heading=f"{t('themes.compare', lang)}: {label}", lines=[cmp_note],
                               table=book.table(section, f"{t('themes.compare', lang)}: {f.field}, {measure}",
                                                   _compare_table(f, measure, lang), note=cmp_note, decimals=2,
                                                   shown_note=weighting.get(measure)),
                               figures=figures["compare"].get(measure, [])))
        if len(counts.quotes):
            q_note = t("themes.note_quotes", lang, chars=QUOTE_CHARS, k=3)
            blocks.append(Block(heading=t("themes.quotes", lang), lines=[q_note],
                           table=book.table(section, f"{t('themes.quotes', lang)}: {f.field}", _quotes_table(f, lang),
                                               note=q_note, index=False),
                           figures=[]))
        words = counts.unmatched_words.head(TOP_WORDS)
        if len(words):
            frame = pd.DataFrame({t("themes.words", lang): words.to_numpy()},
                                 index=pd.Index(words.index, name=t("themes.word", lang)))
            table = book.table(section, f"{t('themes.unmatched', lang)}: {f.field}", frame, note=t("themes.note_words", lang))
            lines = [t("themes.unmatched_line", lang), t("themes.note_words", lang)]
        else:
            table, lines = None, [t("themes.no_unmatched", lang)]
        blocks.append(Block(heading=t("themes.unmatched", lang), lines=lines, table=table,
                       figures=figures["unmatched"]))
        notes += f_notes
        numbers[f.field] = {
            "question": f.question, "themes_file": Path(f.themes_file).name, "weighted": f.weighted,
            "effective_n": f.effective_n,
            "accounting": a.to_dict(), "unmatched_share": counts.unmatched_share,
            "themes": counts.table, "by_segment": {s: c.by_segment.reset_index().to_dict(orient="records")
                                                   for s, c in f.segments.items()},
            "comparison": None if f.comparison is None else f.comparison.reset_index().to_dict(orient="records"),
            "unmatched_words": counts.unmatched_words.head(50).to_dict(),
        }
    book.numbers["themes"] = numbers
    book.options["themes"] = {"outcome": result.outcome, "min_group": next(iter(result)).min_group if len(result)
                              else None, "segments": list(result.segments)}
    return Section(id=section, title=t("themes.title", lang), note=t("themes.section_note", lang), blocks=blocks,
                   notes=list(dict.fromkeys(notes)))
