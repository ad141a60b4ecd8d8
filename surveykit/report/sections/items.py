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
            panels.append((q.item(others[0]).text.get(language) if len(others) == 1 else scale_name, others))
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
        if group.weighted:
            note = f"{note} {t('weighted_note', lang, n_eff=effective_n_text(group.table['effective_n']))}"
        blocks.append(Block(heading=name, table=book.table(
            "items", f"{t('items', lang)}: {name}", table, percent=("top_box", "bottom_box", *dist.columns),
            note=note)))
    return Section(id="items", title=t("items", lang), note=section_note, blocks=blocks)
