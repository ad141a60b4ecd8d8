"""Item descriptives: diverging stacked bars per construct, and a table per answer scale."""

from __future__ import annotations

from dataclasses import replace

from ...data import SurveyData
from ...descriptives import effective_n_text
from .._format import new_figure
from .._text import t
from ..book import Block, ReportBook, Section


def _likert_panels(data: SurveyData, language: str):
    """(title, ItemDescriptives) per construct on a short rating scale, then the scale's other items."""
    q = data.questionnaire
    desc = data.describe(language=language)
    for scale_name, group in desc.groups.items():
        if group.scale_max - group.scale_min > 6:
            continue  # diverging bars suit agree / satisfaction scales, not 0-10 ratings
        rest = list(group.table.index)
        panels = [(c.label.get(language), [i for i in c.items if i in rest]) for c in q.constructs.values()]
        panels = [(title, its) for title, its in panels if its]
        in_constructs = {i for _, its in panels for i in its}
        others = [i for i in rest if i not in in_constructs]
        if others:
            stems = {q.item(i).matrix for i in others}  # the rows of one matrix: titled by its stem, said once
            title = (q.item(others[0]).text.get(language) if len(others) == 1 else
                     q.matrices[next(iter(stems))].stem.get(language) if len(stems) == 1 and None not in stems
                     else scale_name)
            panels.append((title, others))
        for title, its in panels:
            yield title, replace(group, table=group.table.loc[its], distribution=group.distribution.loc[its],
                                 counts=group.counts.loc[its])


def section(data: SurveyData, book: ReportBook) -> Section:
    """Per answer scale: n, mean, SD, top- and bottom-box shares and the share of each answer."""
    from ...plotting import figure_style, plot_likert

    lang = book.language
    fig_lang = "en" if lang == "en" else "zh"  # one language per figure keeps labels readable
    figures = []
    for title, group in _likert_panels(data, fig_lang):
        with figure_style():
            fig, ax = new_figure((8, 0.5 * len(group.table) + 1.4))
            plot_likert(group, ax=ax)
            ax.set_title(title, loc="left")
        figures.append(book.figure(fig, f"likert_{len(figures) + 1:02d}", title))
    blocks = [Block(figures=figures)]
    desc = data.describe()
    section_note = t("n_note", lang)
    if desc.weighted:
        section_note += " " + t("weighted_note", lang, n_eff=effective_n_text(desc.to_frame()["effective_n"]))
    for name, group in desc.groups.items():
        table = group.table.copy()
        table.insert(0, "text", [group.item_labels.get(i, "") for i in table.index])
        dist = group.distribution.rename(columns=lambda c: f"{c:g}")
        table = table.drop(columns=["median"]).join(dist)
        note = t("n_note", lang)
        if stems := _matrix_note(data, table.index, lang):
            note = f"{stems} {note}"
        if group.weighted:
            note = f"{note} {t('weighted_note', lang, n_eff=effective_n_text(group.table['effective_n']))}"
        blocks.append(Block(heading=name, table=book.table(
            "items", f"{t('items', lang)}: {name}", table, percent=("top_box", "bottom_box", *dist.columns),
            note=note)))
    blocks += _choice_blocks(data, book)
    return Section(id="items", title=t("items", lang), note=section_note, blocks=blocks)


# -- question types (issue 16): matrix stems said once, a frequency table per choice question ------

def _matrix_note(data: SurveyData, items, lang: str) -> str:
    """'Rows of the matrix "stem": row, row.' for the matrices whose rows a table lists (the stem said once)."""
    q = data.questionnaire
    by_matrix: dict[str, list[str]] = {}
    for i in items:
        m = q.item(i).matrix
        if m is not None:
            by_matrix.setdefault(m, []).append(q.item(i).text.get(lang))
    return " ".join(t("matrix_rows", lang, stem=q.matrices[m].stem.get(lang), rows="、".join(rows) if lang != "en"
                      else ", ".join(rows)) for m, rows in by_matrix.items())


def _choice_blocks(data: SurveyData, book: ReportBook) -> list[Block]:
    """One table per single-choice, multiple-choice and ranking question: n and shares (% of respondents and
    of responses for multiple choice), mean rank and first-choice share for a ranking; weighted as the study is."""
    lang = book.language
    freq = data.frequencies(language="en" if lang == "en" else "zh")
    if not freq.tables:
        return []
    blocks = [Block(heading=t("choices", lang), lines=[t("choices_note", lang)])]
    for item, f in freq.tables.items():
        table = f.table.rename(index=lambda c: int(c) if float(c).is_integer() else c)  # codes: numbers in tables.xlsx
        percent = tuple(c for c in ("share", "share_respondents", "share_responses", "first_share") if c in table)
        note = t("choice_counts", lang, n=f.n_obs, not_answered=f.n_not_answered, not_shown=f.n_not_shown)
        if f.weighted:
            note = f"{note} {t('weighted_note', lang, n_eff=effective_n_text(f.effective_n))}"
        note = " ".join([note, *f.notes])  # why a cell is empty (nobody answered, an option never ranked)
        blocks.append(Block(heading=f.text or item, table=book.table(
            "choices", f"{item}: {f.text}", table, percent=percent, note=note)))
    return blocks
