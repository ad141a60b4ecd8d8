"""The report's section on open comments: themes, by segment, mentioners vs non-mentioners, quotes."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..data import SurveyData
from ..errors import SurveykitError, SurveykitWarning
from .book import ReportBook

__all__ = ["theme_section"]

QUOTE_CHARS = 120  # quotes are cut to this length in the report (the exports hold the same cut text)
TOP_WORDS = 15

_TEXT = {
    "zh": {
        "title": "开放题：评论主题", "themes": "主题提及", "theme": "主题", "count": "提及人数", "share": "提及比例",
        "plain_count": "未否定提及", "negated_count": "否定提及", "weighted_share": "加权提及比例",
        "by_segment": "按细分群体的提及比例", "segment": "细分变量", "level": "群体", "n": "有效回答",
        "compare": "提及者与未提及者比较", "polarity": "提及方式", "any": "全部提及", "plain": "未否定", "negated": "否定",
        "n_mentioners": "提及者 n", "mentioners": "提及者", "n_non_mentioners": "未提及者 n",
        "non_mentioners": "未提及者", "difference": "差值", "ci_low": "差值 95% CI 下限", "ci_high": "差值 95% CI 上限",
        "p_value": "p 值", "quotes": "示例评论", "text": "评论原文", "respondents": "人数",
        "unmatched": "未匹配任何主题的评论", "word": "词语", "words": "出现人数",
        "read": ("共读取 {read} 条回答：缺失 {missing}，无实质内容（如“无”“没有”）{non_answer}，有效回答 {substantive}"
                 "（其中 {matched} 条提及至少一个主题，{unmatched} 条未匹配任何主题，占 {share}）。"),
        "no_unmatched": "每条有效回答都提及了至少一个主题。",
        "unmatched_line": "未匹配评论中最常见的词（可据此补充主题词典）：",
        "note_counts": ("n = {n} 条有效回答；比例 = 提及该主题的受访者 / 有效回答（一人可提及多个主题，比例之和可超过 100%）；"
                        "否定提及 = 主题词前后 {window} 个词内、同一分句中有否定词（如“不满意”“质量不太好”），同一人可同时计入"
                        "未否定与否定提及；主题词典 {file}。"),
        "note_segments": "比例 = 该群体中提及该主题的受访者 / 该群体的有效回答；n = 该群体的有效回答数。",
        "weighted": "按问卷的权重变量加权。",
        "note_compare": ("在有效回答者中比较提及与未提及该主题的受访者（提及方式“未否定”“否定”仅在两组均不少于 {min_group} "
                         "人时单列）。{test}差值 = 提及者 − 未提及者。主题较多时需注意多重比较：约每 20 个比较中就有 1 个 "
                         "p < 0.05 出于偶然。"),
        "welch_t": "均值差异：Welch t 检验（R t.test）。", "design_t": "均值差异：基于设计的 t 检验（R survey::svyttest）。",
        "z": "NPS 差异：两独立 NPS 的 z 检验（标准误同 surveykit.nps）。",
        "note_quotes": "评论原文（超过 {chars} 字截断）；每个主题最多 {k} 条未否定与 {k} 条否定提及；人数 = 写下完全相同评论的受访者数。",
        "note_words": "未匹配任何主题的有效评论中的词（已去除停用词、否定词、标点与数字）及使用该词的受访者数。",
        "section_note": "开放题评论经 jieba 分词后按主题词典编码（保留否定）；统计的是受访者人数而非提及次数。",
        "fig_bars": "主题提及比例", "fig_by": "按 {segment} 的主题提及比例", "fig_compare": "提及者与未提及者：{measure}",
        "fig_co": "主题共现", "fig_cloud": "评论关键词（TF-IDF）",
    },
    "en": {
        "title": "Open comments: themes", "themes": "Theme mentions", "theme": "Theme", "count": "Mentioners",
        "share": "Share", "plain_count": "Not negated", "negated_count": "Negated", "weighted_share": "Weighted share",
        "by_segment": "Share mentioning each theme, by segment", "segment": "Segment", "level": "Group",
        "n": "Substantive answers", "compare": "Mentioners vs non-mentioners", "polarity": "Mentions",
        "any": "All", "plain": "Not negated", "negated": "Negated", "n_mentioners": "Mentioners n",
        "mentioners": "Mentioners", "n_non_mentioners": "Non-mentioners n", "non_mentioners": "Non-mentioners",
        "difference": "Difference", "ci_low": "Difference 95% CI low", "ci_high": "Difference 95% CI high",
        "p_value": "p", "quotes": "Example comments", "text": "Comment", "respondents": "Respondents",
        "unmatched": "Comments that match no theme", "word": "Word", "words": "Respondents",
        "read": ("{read} answers read: {missing} missing, {non_answer} non-answers (无, 没有, nothing), {substantive} "
                 "substantive ({matched} name at least one theme, {unmatched} match none: {share})."),
        "no_unmatched": "Every substantive answer names at least one theme.",
        "unmatched_line": "Most frequent words of the unmatched comments (candidates for the theme dictionary):",
        "note_counts": ("n = {n} substantive answers; share = respondents mentioning the theme / substantive answers "
                        "(one may mention several themes: shares can add up to more than 100%); negated = a negator "
                        "within {window} tokens of the keyword in the same clause (不满意, 质量不太好); a respondent "
                        "can count under both; theme dictionary {file}."),
        "note_segments": "Share = respondents of the group mentioning the theme / the group's substantive answers; "
                         "n = the group's substantive answers.",
        "weighted": "Weighted by the questionnaire's weight variable.",
        "note_compare": ("Among respondents with a substantive answer, those who mention the theme against those who "
                         "do not (not negated / negated mentions listed separately when both groups have at least "
                         "{min_group}). {test}Difference = mentioners - non-mentioners. With many themes, about one "
                         "comparison in 20 gives p < 0.05 by chance."),
        "welch_t": "Means: Welch's t test (R t.test). ",
        "design_t": "Means: design-based t test (R survey::svyttest). ",
        "z": "NPS: z test of two independent NPS (SEs as surveykit.nps). ",
        "note_quotes": "Comments as written (cut at {chars} characters); up to {k} not negated and {k} negated per "
                       "theme; respondents = how many wrote exactly this.",
        "note_words": "Words of the substantive comments that match no theme (stop words, negators, punctuation "
                      "and numbers removed) and how many respondents used each.",
        "section_note": "Comments are tokenized with jieba and coded with a theme dictionary, negations kept; counts "
                        "are of respondents, not of mentions.",
        "fig_bars": "Theme mentions", "fig_by": "Theme mentions by {segment}",
        "fig_compare": "Mentioners vs non-mentioners: {measure}", "fig_co": "Themes mentioned together",
        "fig_cloud": "Keywords of the comments (TF-IDF)",
    },
}


def _t(key: str, lang: str, **fmt) -> str:
    """The section's words in ``lang`` ('both': Chinese / English); a callable value is given the language."""
    def one(x: str) -> str:
        return _TEXT[x][key].format(**{k: v(x) if callable(v) else v for k, v in fmt.items()})

    return " / ".join(one(x) for x in ("zh", "en")) if lang == "both" else one(lang)


def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def _run(fn, notes: list, *args, **kwargs):
    """Call ``fn``; warnings and errors become notes of the section (a figure that fails never stops the report)."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", SurveykitWarning)
        try:
            out = fn(*args, **kwargs)
        except (SurveykitError, ValueError, FileNotFoundError, ImportError) as exc:
            notes.append(f"{getattr(fn, '__name__', 'analysis')}: {exc}")
            out = None
    notes += [str(w.message) for w in records if issubclass(w.category, SurveykitWarning)]
    return out


def _counts_table(f, lang: str) -> pd.DataFrame:
    t = f.counts.table
    out = pd.DataFrame({_t("count", lang): t["count"], _t("share", lang): t["share"],
                        _t("plain_count", lang): t["plain_count"], _t("negated_count", lang): t["negated_count"]})
    if f.weighted:
        out[_t("weighted_share", lang)] = t["weighted_share"]
    out.index = pd.Index([_name(f, i) for i in t.index], name=_t("theme", lang))
    return out


def _name(f, theme_id: str) -> str:
    from ..text.survey import _theme_name

    return _theme_name(f.counts.themes[theme_id], f.language)


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
            rows.append({_t("segment", lang): label, _t("level", lang): str(level), _t("n", lang): int(n[level]),
                         **{_name(f, t): share.at[t, level] for t in share.index}})
    return pd.DataFrame(rows).set_index([_t("segment", lang), _t("level", lang)])


def _compare_table(f, measure: str, lang: str) -> pd.DataFrame:
    rows = f.comparison.loc[measure]
    out = pd.DataFrame({
        _t("n_mentioners", lang): rows["n_mentioners"], _t("mentioners", lang): rows["mentioners"],
        _t("n_non_mentioners", lang): rows["n_non_mentioners"], _t("non_mentioners", lang): rows["non_mentioners"],
        _t("difference", lang): rows["difference"], _t("ci_low", lang): rows["ci_low"],
        _t("ci_high", lang): rows["ci_high"], _t("p_value", lang): rows["p_value"]})
    out.index = pd.MultiIndex.from_tuples([(_name(f, th), _t(pol, lang)) for th, pol in rows.index],
                                          names=[_t("theme", lang), _t("polarity", lang)])
    return out


def _quotes_table(f, lang: str) -> pd.DataFrame:
    q = f.counts.quotes
    return pd.DataFrame({_t("theme", lang): [_name(f, t) for t in q["theme"]],
                         _t("polarity", lang): [_t(p, lang) for p in q["polarity"]],
                         _t("text", lang): [_cut(s) for s in q["text"]],
                         _t("respondents", lang): q["count"].astype(int)})


def _figures(f, data: SurveyData, book: ReportBook, fig_lang: str, lang: str, notes: list) -> dict:
    """Figures of one field, by the block they belong to."""
    from ..plotting._style import figure_style
    from ..plotting.text import plot_cooccurrence, plot_theme_satisfaction, plot_themes, plot_wordcloud

    q = data.questionnaire
    out: dict[str, list] = {"counts": [], "segments": [], "compare": {}, "unmatched": []}
    name = f"themes_{f.field}"
    with figure_style():
        ax = _run(plot_themes, notes, f, language=fig_lang)
        if ax is not None:
            out["counts"].append(book.figure(ax.figure, f"{name}_bars", _t("fig_bars", lang)))
        if len(f.counts.table) > 1:
            ax = _run(plot_cooccurrence, notes, f, language=fig_lang)
            if ax is not None:
                out["counts"].append(book.figure(ax.figure, f"{name}_cooccurrence", _t("fig_co", lang)))
        if f.segments:
            main = next(iter(f.segments))
            ax = _run(plot_themes, notes, f, by=main, language=fig_lang)
            if ax is not None:
                label = q.label(q.item(main).text, lang) or main
                out["segments"].append(book.figure(ax.figure, f"{name}_by_{main}", _t("fig_by", lang,
                                                                                     segment=label)))
        if f.comparison is not None:  # the outcome's figure (the NPS has its table only)
            for measure in pd.unique(f.comparison.index.get_level_values("measure"))[:1]:
                ax = _run(plot_theme_satisfaction, notes, f, measure=measure, polarity="split", language=fig_lang)
                if ax is not None:
                    label = "NPS" if measure == "nps" else (f.outcome_label or measure)
                    out["compare"][measure] = [book.figure(ax.figure, f"{name}_{measure}",
                                                           _t("fig_compare", lang, measure=label))]
        if f.n_obs:
            ax = _run(plot_wordcloud, notes, f, source="keywords", seed=0, width=1200, height=640)
            if ax is not None:
                out["unmatched"].append(book.figure(ax.figure, f"{name}_wordcloud", _t("fig_cloud", lang)))
    return out


def theme_section(data: SurveyData, book: ReportBook) -> dict | None:
    """Build the open-comment section into ``book``; None when the questionnaire has no open-text field.

    Per open-text field: theme counts (count, share, plain and negated mentions), shares by
    each segment, mentioners vs non-mentioners on the satisfaction index and the NPS, example
    quotes (escaped in the HTML, formula-like text neutralised in the exports), the share of
    comments that match no theme with their most frequent words, and the figures (theme bars,
    by the first segment, co-occurrence, mentioners vs non-mentioners, a keyword cloud). The
    numbers go to ``book.numbers['themes']``. Computes nothing itself: everything comes from
    :func:`surveykit.text.survey.survey_themes`.
    """
    from ..text.survey import survey_themes

    q = data.questionnaire
    if not q.open_text:
        return None
    lang = book.language
    fig_lang = "en" if lang == "en" else "zh"
    section = "themes"
    notes: list[str] = []
    result = _run(survey_themes, notes, data, language=lang)
    if result is None:
        return {"id": section, "title": _t("title", lang), "note": None, "blocks": [], "notes": notes}
    notes += list(result.notes)
    numbers: dict = {}
    blocks: list[dict] = []
    for f in result:
        f_notes = [n for n in f.notes if n not in notes]
        counts = f.counts
        a = counts.accounting
        weighted = " " + _t("weighted", lang) if f.weighted else ""
        figures = _figures(f, data, book, fig_lang, lang, f_notes)
        read_line = _t("read", lang, read=a["read"], missing=a["missing"], non_answer=a["non_answer"],
                       substantive=a["substantive"], matched=a["matched"], unmatched=a["unmatched"],
                       share=f"{counts.unmatched_share:.1%}" if np.isfinite(counts.unmatched_share) else "—")
        note = _t("note_counts", lang, n=f.n_obs, window=counts.themes.negation_window,
                  file=Path(f.themes_file).name) + weighted
        share_cols = (_t("share", lang),) + ((_t("weighted_share", lang),) if f.weighted else ())
        blocks.append({"heading": f"{f.question} ({f.field})", "lines": [read_line, note],
                       "table": book.table(section, f"{_t('themes', lang)}: {f.field}", _counts_table(f, lang),
                                           note=note, percent=share_cols), "figures": figures["counts"]})
        seg = _segments_table(f, data, lang)
        if seg is not None:
            theme_cols = tuple(c for c in seg.columns if c != _t("n", lang))
            seg_note = _t("note_segments", lang) + weighted
            blocks.append({"heading": _t("by_segment", lang), "lines": [seg_note],
                           "table": book.table(section, f"{_t('by_segment', lang)}: {f.field}", seg,
                                               note=seg_note, percent=theme_cols),
                           "figures": figures["segments"]})
        if f.comparison is not None:
            for measure in pd.unique(f.comparison.index.get_level_values("measure")):
                label = "NPS" if measure == "nps" else (f.outcome_label or measure)
                used = sorted(set(f.comparison.loc[measure, "test"]))
                cmp_note = _t("note_compare", lang, min_group=f.min_group,
                              test=lambda x, used=used: "".join(_TEXT[x][t] for t in used)) + weighted
                blocks.append({"heading": f"{_t('compare', lang)}: {label}", "lines": [cmp_note],
                               "table": book.table(section, f"{_t('compare', lang)}: {f.field}, {measure}",
                                                   _compare_table(f, measure, lang), note=cmp_note, decimals=2),
                               "figures": figures["compare"].get(measure, [])})
        if len(counts.quotes):
            q_note = _t("note_quotes", lang, chars=QUOTE_CHARS, k=3)
            blocks.append({"heading": _t("quotes", lang), "lines": [q_note],
                           "table": book.table(section, f"{_t('quotes', lang)}: {f.field}", _quotes_table(f, lang),
                                               note=q_note, index=False),
                           "figures": []})
        words = counts.unmatched_words.head(TOP_WORDS)
        if len(words):
            frame = pd.DataFrame({_t("words", lang): words.to_numpy()},
                                 index=pd.Index(words.index, name=_t("word", lang)))
            table = book.table(section, f"{_t('unmatched', lang)}: {f.field}", frame, note=_t("note_words", lang))
            lines = [_t("unmatched_line", lang), _t("note_words", lang)]
        else:
            table, lines = None, [_t("no_unmatched", lang)]
        blocks.append({"heading": _t("unmatched", lang), "lines": lines, "table": table,
                       "figures": figures["unmatched"]})
        notes += f_notes
        numbers[f.field] = {
            "question": f.question, "themes_file": Path(f.themes_file).name, "weighted": f.weighted,
            "accounting": a.to_dict(), "unmatched_share": counts.unmatched_share,
            "themes": counts.table, "by_segment": {s: c.by_segment.reset_index().to_dict(orient="records")
                                                   for s, c in f.segments.items()},
            "comparison": None if f.comparison is None else f.comparison.reset_index().to_dict(orient="records"),
            "unmatched_words": counts.unmatched_words.head(50).to_dict(),
        }
    book.numbers["themes"] = numbers
    book.options["themes"] = {"outcome": result.outcome, "min_group": next(iter(result)).min_group if len(result)
                              else None, "segments": list(result.segments)}
    return {"id": section, "title": _t("title", lang), "note": _t("section_note", lang), "blocks": blocks,
            "notes": list(dict.fromkeys(notes))}
