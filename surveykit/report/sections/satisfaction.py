"""Satisfaction methods: the KANO categories, the SERVQUAL gaps and the penalty-reward analysis.

Each part appears only when the questionnaire has its roles (``kano``; ``service_expectations``
and ``service_perceptions``; ``drivers``); the section only when one of them does.
"""

from __future__ import annotations

from ..._caught import caught
from ...data import SurveyData
from ...errors import QuestionnaireError
from ...satisfaction.survey import survey_kano, survey_penalty_reward, survey_servqual
from .._format import new_figure, weighted_note
from .._text import t
from ..book import Block, ReportBook, Section

SHARES = ["share_a", "share_o", "share_m", "share_i", "share_r", "share_q"]


def explained(results):
    """The results to interpret under a table (``book.table(interpret=...)``): those whose class has an
    interpreter, None when none has (the table is then shown without the 分析建议 / 智能分析 blocks)."""
    from ...interpretation import interpreted_types

    many = isinstance(results, (list, tuple))
    known = [r for r in (results if many else [results]) if isinstance(r, interpreted_types())]
    return (known or None) if many else (known[0] if known else None)


def _weighted(result, lang: str) -> list[str]:
    return [t("satisfaction.weighted", lang)] if result.weighted else []


def _kano(data: SurveyData, book: ReportBook, notes: list) -> list[Block]:
    from ...plotting import figure_style, plot_kano

    lang, fig_lang = book.language, "en" if book.language == "en" else "zh"
    k = caught(notes, survey_kano, data, language=fig_lang)
    if k is None:
        return []
    names = t("satisfaction.categories", lang)
    table = k.result.table
    shown = table[["category", *SHARES, "better", "worse", "fong_difference", "fong_critical", "fong_significant",
                   "n_obs"]].copy()
    shown["category"] = [" / ".join(f"{names[c]} {c}" for c in str(v).split("/")) if v else "—"
                         for v in table["category"]]
    note = " ".join([t("satisfaction.kano_note", lang), *_weighted(k, lang)])
    heading = t("satisfaction.kano", lang)
    weighting = weighted_note(lang, table["effective_n"], table["n_obs"]) if k.weighted else None  # issue 16
    html = book.table("satisfaction", heading, shown, note=note, percent=tuple(SHARES), interpret=explained(k.result),
                      shown_note=weighting)
    figures = []
    if table["better"].notna().any():
        with figure_style():
            fig, ax = new_figure((7, 5.6))
            plot_kano(k.result, language=fig_lang, ax=ax)
            figures.append(book.figure(fig, "kano", t("satisfaction.kano_fig", lang)))
    book.numbers.setdefault("satisfaction", {})["kano"] = {
        "weighted": k.weighted, "attributes": {a: v[0] for a, v in k.attributes.items()},
        "table": table.astype(object).where(table.notna(), None).to_dict(orient="index")}
    notes += [n for n in k.notes if n not in notes and not n.startswith("Weighted:")]
    return [Block(heading=heading, lines=[note], table=html, figures=figures)]


def _servqual(data: SurveyData, book: ReportBook, notes: list) -> list[Block]:
    from ...plotting import figure_style, plot_gaps

    lang, fig_lang = book.language, "en" if book.language == "en" else "zh"
    s = caught(notes, survey_servqual, data, language=fig_lang)
    if s is None:
        return []
    r = s.result
    note = " ".join([t("satisfaction.servqual_note", lang, level=r.ci_level), *_weighted(s, lang)])
    test = ["estimate", "se", "t", "df", "p_value", "ci_low", "ci_high", "n_obs"]
    items = s.to_frame()[["expectation", "perception", "dimension", "expectation_mean", "perception_mean", *test]]

    def weighting(table):  # issue 16: each table's own Kish n, of the respondents its rows use
        return weighted_note(lang, table["effective_n"], table["n_obs"]) if s.weighted else None

    blocks = [Block(heading=t("satisfaction.servqual", lang), lines=[note],
                    table=book.table("satisfaction", t("satisfaction.servqual_items", lang),
                                     items.rename(columns={"estimate": "gap"}), note=note,
                                     interpret=explained(r), shown_note=weighting(r.items)))]
    figures = []
    with figure_style():
        if len(r.dimensions):
            fig, ax = new_figure((7, 0.5 * len(r.dimensions) + 1.4))
            plot_gaps(r, level="dimensions", language=fig_lang, ax=ax)
            figures.append(book.figure(fig, "servqual_dimensions", t("satisfaction.gaps_fig", lang)))
        fig, ax = new_figure((7.5, 0.36 * len(r.items) + 1.4))
        plot_gaps(r, level="items", language=fig_lang, ax=ax)
        figures.append(book.figure(fig, "servqual_items", t("satisfaction.gaps_items_fig", lang)))
    if len(r.dimensions):
        dims = r.dimensions[["n_items", "importance", *test]].rename(columns={"estimate": "gap"})
        blocks.append(Block(heading=t("satisfaction.servqual_dims", lang),
                            table=book.table("satisfaction", t("satisfaction.servqual_dims", lang), dims, note=note,
                                             shown_note=weighting(r.dimensions))))
    overall = r.overall.rename(index=t("satisfaction.scores", lang), columns={"estimate": "gap"})
    blocks.append(Block(heading=t("satisfaction.servqual_score", lang), figures=figures,
                        table=book.table("satisfaction", t("satisfaction.servqual_score", lang), overall, note=note,
                                         shown_note=weighting(r.overall))))
    book.numbers.setdefault("satisfaction", {})["servqual"] = {
        "weighted": s.weighted, "items": _records(r.items), "dimensions": _records(r.dimensions),
        "overall": _records(r.overall)}
    notes += [n for n in s.notes if n not in notes and not n.startswith("Weighted:")]
    return blocks


def _penalty_reward(data: SurveyData, book: ReportBook, notes: list) -> list[Block]:
    from ...plotting import figure_style, plot_penalty_reward

    lang, fig_lang = book.language, "en" if book.language == "en" else "zh"
    try:
        p = caught(notes, survey_penalty_reward, data, language=fig_lang, reraise=QuestionnaireError)
    except QuestionnaireError:
        return []  # no drivers role: nothing to analyse
    if p is None:
        return []
    r = p.result
    note = t("satisfaction.pr_note", lang, outcome=p.outcome_label, low=r.low, high=r.high, r2=r.r_squared, n=r.n_obs,
             alpha=r.alpha)
    classes = t("satisfaction.pr_categories", lang)
    cols = [c for c in ["n_low", "n_high", "penalty", "penalty_ci_low", "penalty_ci_high", "penalty_p", "reward",
                        "reward_ci_low", "reward_ci_high", "reward_p", "difference", "difference_p", "penalty_vif",
                        "reward_vif", "category"] if c in r.table.columns]
    table = r.table[cols].copy()
    table["category"] = [classes.get(c, c) for c in r.table["category"]]
    heading = t("satisfaction.pr", lang)
    html = book.table("satisfaction", heading, table, note=note, interpret=explained(r))
    with figure_style():
        fig, ax = new_figure((7.2, 0.55 * len(table) + 1.6))
        plot_penalty_reward(r, language=fig_lang, ax=ax)
        figure = book.figure(fig, "penalty_reward", t("satisfaction.pr_fig", lang))
    book.numbers.setdefault("satisfaction", {})["penalty_reward"] = {
        "outcome": p.outcome, "low": r.low, "high": r.high, "r_squared": r.r_squared, "n_obs": r.n_obs,
        "table": _records(r.table)}
    notes += [n for n in p.notes if n not in notes]
    return [Block(heading=heading, lines=[note], table=html, figures=[figure])]


def _records(frame) -> dict:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="index")


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """KANO, SERVQUAL and penalty-reward parts, each when its roles exist; None when none does."""
    q = data.questionnaire
    has_servqual = "service_expectations" in q.roles and "service_perceptions" in q.roles
    if not (q.kano_attributes() or has_servqual or q.roles.get("drivers") is not None):
        return None
    notes: list[str] = []
    blocks = _kano(data, book, notes) if q.kano_attributes() else []
    blocks += _servqual(data, book, notes) if has_servqual else []
    blocks += _penalty_reward(data, book, notes)
    if not blocks and not notes:
        return None
    return Section(id="satisfaction", title=t("satisfaction.title", book.language), blocks=blocks,
                   notes=list(dict.fromkeys(notes)))
