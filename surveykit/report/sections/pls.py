"""Satisfaction index model (PLS) and its importance-performance map (IPMA): the paths of the
ACSI / ECSI / CCSI model between the roles, then which predecessor of the target to improve first.

The section appears when the roles give the model (two linked roles among image, expectations,
perceived quality, perceived value, satisfaction, complaints, loyalty) with satisfaction or
loyalty as a target.
"""

from __future__ import annotations

from ..._caught import caught
from ...data import SurveyData
from ...errors import QuestionnaireError
from .._format import new_figure
from .._text import t
from ..book import Block, ReportBook, Section

IPMA_COLUMNS = ["importance", "performance", "performance_se", "std_total", "direct", "quadrant_label", "priority"]
PATH_COLUMNS = ["estimate", "se", "t", "p_value", "r_squared"]


def _records(frame) -> dict:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="index")


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """The PLS paths and the IPMA table and chart of :meth:`SurveyData.ipma`; None when the roles give no model."""
    from ...plotting import figure_style, plot_ipma

    lang = book.language
    fig_lang = "en" if lang == "en" else "zh"
    notes: list[str] = []
    try:
        m = caught(notes, data.ipma, language=fig_lang, reraise=QuestionnaireError)
    except QuestionnaireError:
        return None  # the roles give no satisfaction index model
    title = t("pls.title", lang)
    if m is None:
        return Section(id="pls", title=title, notes=notes)
    model, r = m.model.result, m.result
    labels = m.labels
    target = labels.get(m.target, m.target)
    chain = ", ".join(f"{labels.get(p, p)} → {labels.get(q, q)}" for q, ps in model.paths.items() for p in ps)
    model_note = t("pls.model_note", lang, paths=chain, n=model.n_obs, gof=model.gof, scheme=model.scheme)
    paths = m.model.to_frame()[PATH_COLUMNS]
    blocks = [Block(heading=t("pls.paths", lang), lines=[model_note],
                    table=book.table("pls", t("pls.paths", lang), paths, note=model_note, interpret=m.model))]
    ipma_note = " ".join([t("pls.ipma_note", lang, target=target, split=r.split_method, p=r.split[0], i=r.split[1],
                            perf=r.target_performance, n=r.n_obs),
                          *([t("pls.weighted", lang)] if m.weighted else [])])
    table = r.table[IPMA_COLUMNS].rename(index=labels)
    heading = t("pls.ipma", lang, target=target)
    with figure_style():
        fig, ax = new_figure((7.5, 6))
        plot_ipma(r, language=fig_lang, item_labels=labels, ax=ax)
        figure = book.figure(fig, "ipma", heading)
    blocks.append(Block(heading=heading, lines=[ipma_note], figures=[figure],
                        table=book.table("pls", heading, table, note=ipma_note, interpret=m)))
    book.numbers["pls"] = {"n_obs": model.n_obs, "gof": model.gof, "paths": _records(paths),
                           "r_squared": model.r_squared.to_dict(),
                           "ipma": {"target": m.target, "target_performance": r.target_performance,
                                    "split": list(r.split), "split_method": r.split_method, "weighted": m.weighted,
                                    "table": _records(r.table)}}
    return Section(id="pls", title=title, note=model_note, blocks=blocks, notes=list(dict.fromkeys([*notes, *m.notes])))
