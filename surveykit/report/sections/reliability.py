"""Reliability and validity: alpha per construct with the item-total figure, and one CFA of all constructs."""

from __future__ import annotations

import math

import pandas as pd

from ..._caught import caught
from ...data import SurveyData
from ...descriptives import effective_n_text
from ...psychometrics.survey import AVE_MIN, CR_MIN, HTMT_MAX
from .._format import missing_rule, new_figure
from .._text import t
from ..book import Block, ReportBook, Section


def _item_total(rel, data: SurveyData, book: ReportBook, fig_lang: str) -> dict:
    """One panel per construct: corrected item-total correlations, titled with the construct's alpha."""
    from ...plotting import figure_style, plot_item_total

    q = data.questionnaire
    item_text = {i: q.item(i).text.get(fig_lang) for i in q.item_ids}
    with figure_style():
        ncols = min(3, len(rel.results))
        nrows = math.ceil(len(rel.results) / ncols)
        height = max(len(r.items) for r in rel.results.values()) * 0.45 + 1.2
        fig, axes = new_figure((5.2 * ncols, height * nrows), nrows, ncols, squeeze=False)
        for ax, (name, r) in zip(axes.ravel(), rel.results.items()):
            plot_item_total(r, item_labels=item_text, label_width=22, language=fig_lang, ax=ax)
            ax.set_title(f"{q.constructs[name].label.get(fig_lang)} (α = {r.alpha:.3f})", loc="left")
        for ax in axes.ravel()[len(rel.results):]:
            ax.set_visible(False)
    return book.figure(fig, "item_total", "item-total")


def _rel_note(rel, lang: str, weighted: bool) -> str:
    """The reliability note: the method, each construct's missing-data rule and n (from its result), and that the
    answers are unweighted in a weighted study."""
    parts = [t("rel_note", lang)]
    for policy in dict.fromkeys(r.nan_policy for r in rel.results.values()):
        rs = [r for r in rel.results.values() if r.nan_policy == policy]
        key = "table_words.reliability_pairwise" if policy == "pairwise" else "table_words.reliability"
        parts.append(t(key, lang, rule=missing_rule(policy), n=effective_n_text([r.n_obs for r in rs]),
                       total=max(r.n_obs + r.n_dropped for r in rs)))
    if weighted:
        parts.append(t("table_words.unweighted_psy", lang))
    return " ".join(parts)


def _validity_blocks(validity, book: ReportBook, weighted: bool) -> list[Block]:
    lang = book.language
    labels = validity.labels
    c = validity.cfa
    note = (f"{t('val_note', lang, cr_min=CR_MIN, ave_min=AVE_MIN, htmt_max=HTMT_MAX)} "
            + t("table_words.validity", lang, rule=missing_rule(c.nan_policy), n=c.n_obs, total=c.n_obs + c.n_dropped,
                dropped=c.n_dropped)
            + (f" {t('table_words.unweighted_psy', lang)}" if weighted else ""))

    def table(key, frame, interpret=None):
        return book.table("validity", t(key, lang), frame, note=note, interpret=interpret)

    fit = pd.DataFrame([validity.cfa.fit]).rename(index={0: "CFA"})
    loadings = validity.cfa.estimates.set_index(["factor", "item"])[["std_estimate", "estimate", "se", "z", "p_value"]]
    return [Block(heading=t("validity", lang), lines=[note]),
            Block(heading=t("fit", lang), table=table("fit", fit)),
            Block(table=table("validity", validity.to_frame(), interpret=validity)),
            Block(heading=t("fornell", lang), table=table("fornell", validity.fornell_larcker.rename(
                index=labels, columns=labels))),
            Block(heading=t("htmt", lang), table=table("htmt", validity.htmt.rename(index=labels, columns=labels))),
            Block(heading=t("std_loadings", lang), table=table("std_loadings", loadings))]


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """Alpha of every multi-item construct (listwise per construct), then CR, AVE, Fornell-Larcker and HTMT."""
    lang = book.language
    if not any(len(c.items) >= 2 for c in data.questionnaire.constructs.values()):
        return None
    fig_lang = "en" if lang == "en" else "zh"
    numbers = book.numbers.setdefault("psychometrics", {})
    rel = data.reliability(language=lang)
    notes = [f"{name}: {n}" for name, r in rel.results.items() for n in r.notes]
    rel_note = _rel_note(rel, lang, data.weights is not None)
    blocks = [Block(table=book.table("reliability", t("reliability", lang), rel.to_frame(), note=rel_note,
                                     interpret=rel),
                    figures=[_item_total(rel, data, book, fig_lang)])]
    numbers["reliability"] = rel.to_frame().drop(columns=["label"]).to_dict(orient="index")
    validity = caught(notes, data.validity, language=lang)
    if validity is not None:
        blocks += _validity_blocks(validity, book, data.weights is not None)
        numbers["validity"] = {"fit": validity.cfa.fit, "constructs": validity.to_frame().drop(columns=["label"])
                               .to_dict(orient="index"), "htmt": validity.htmt.to_dict()}
    return Section(id="reliability", title=t("reliability", lang), note=rel_note, blocks=blocks,
                   notes=list(dict.fromkeys(notes)))
