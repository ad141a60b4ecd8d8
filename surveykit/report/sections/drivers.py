"""Drivers and priorities: the parts of perceived value as drivers of satisfaction, and the IPA quadrants."""

from __future__ import annotations

from dataclasses import replace

from ..._caught import caught
from ...data import SurveyData
from ...errors import QuestionnaireError
from .._format import new_figure, weighted_note
from .._text import t
from ..book import Block, ReportBook, Section


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """The table, figures and IPA of :meth:`SurveyData.drivers`; None without a ``drivers`` role or the benefit,
    sacrifice and satisfaction roles."""
    from ...plotting import figure_style, plot_drivers, plot_ipa

    lang = book.language
    fig_lang = "en" if lang == "en" else "zh"
    notes: list[str] = []
    try:
        d = caught(notes, data.drivers, language=fig_lang, reraise=QuestionnaireError)
    except QuestionnaireError:
        return None  # the questionnaire has no parts of value to drive satisfaction
    title = t("drivers", lang)
    if d is None:
        return Section(id="drivers", title=title, notes=notes)
    book.options["drivers"] = {"method": "relative_weights + ols (HC3)", "bootstrap": d.bootstrap, "seed": d.seed}
    reversed_word = t("indices_words.reversed", fig_lang)
    labels = {c: d.labels[c] + (reversed_word if c in d.sacrifices else "") for c in d.drivers}
    declared = data.questionnaire.roles.get("drivers")
    if declared is not None:  # the questionnaire's drivers role: any outcome, any driver constructs
        q = data.questionnaire
        outcome = declared.outcome
        outcome = (q.constructs[outcome].label if outcome in q.constructs else q.item(outcome).text).get(fig_lang)
        dr_note = t("dr_note_declared", lang, bootstrap=d.bootstrap, outcome=outcome,
                    drivers=", ".join(d.labels[c] for c in d.drivers))
    else:
        dr_note = t("dr_note", lang, bootstrap=d.bootstrap)
    note = f"{dr_note} R² = {d.r_squared:.3f}, n = {d.n_obs}."
    rw = d.relative_weights  # the drivers and the IPA: the same (weighted) respondents
    weighting = weighted_note(lang, rw.effective_n, rw.n_obs) if d.weighted else None
    table = d.to_frame().drop(columns=["performance"]).rename(index=d.labels)
    vif = d.ols.coefficients["vif"]  # issue 20: the VIF / tolerance columns, read in the table note
    vif_note = t("dr_vif", lang, vif=vif.max(), driver=d.labels.get(vif.idxmax(), vif.idxmax()))
    figures = []
    with figure_style():
        fig, ax = new_figure((7, 0.45 * len(table) + 1.2))
        plot_drivers(d.relative_weights, language=fig_lang, item_labels=d.labels, ax=ax)
        figures.append(book.figure(fig, "drivers", "drivers"))
        if d.ipa is not None:
            fig, ax = new_figure((7.5, 6))
            plot_ipa(d.ipa, language=fig_lang, item_labels=labels, ax=ax)
            figures.append(book.figure(fig, "ipa", "IPA"))
    blocks = [Block(lines=[f"R² = {d.r_squared:.3f}, n = {d.n_obs}"], figures=figures,
                    table=book.table("drivers", title, table, note=f"{note} {vif_note}", shown_note=weighting,
                                     interpret=d))]
    if d.ipa is not None:
        blocks.append(Block(heading=t("ipa", lang), table=book.table("drivers", t("ipa", lang),
                                                                     d.ipa.table.rename(index=labels), note=note,
                                                                     shown_note=weighting,
                                                                     interpret=replace(d.ipa, table=d.ipa.table.rename(
                                                                         index=labels)))))
    book.numbers["drivers"] = {"r_squared": d.r_squared, "n_obs": d.n_obs, "bootstrap": d.bootstrap, "seed": d.seed,
                               "table": table.astype(object).where(table.notna(), None).to_dict(orient="index"),
                               "ipa": None if d.ipa is None else d.ipa.table.to_dict(orient="index")}
    return Section(id="drivers", title=title, note=dr_note, blocks=blocks,
                   notes=list(dict.fromkeys([*notes, *d.notes])))
