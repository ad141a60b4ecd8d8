"""The report's section on customer value: transactions audit, RFM layers, CLV, ABC classes, repurchase,
satisfaction by value with tests, and the save list. Computes nothing: everything comes from
:func:`surveykit.value.survey.link_survey`."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..._caught import caught
from ...data import SurveyData
from ...value.rfm import LAYERS
from .._format import banner_tables, banner_weighted_note, new_figure, p_text
from .._text import t
from ..book import Block, ReportBook, Section

SECTION = "customer_value"


def _words(lang: str) -> dict:
    """The section's words (for 'both', each sentence, title and label as "中文 / English")."""
    return t("customer_value", lang)


def _word(key: str):
    """A word of the section, looked up in each language when a sentence is formatted."""
    return lambda lang: t(f"customer_value.{key}", lang)


def _read(transactions):
    """A path is read with every column as text (ids keep their zeros); a table is passed on."""
    if isinstance(transactions, (str, Path)):
        from ...io.transactions import read_transactions

        return read_transactions(transactions)
    return transactions


def _layer(key, lang: str) -> str:
    return LAYERS[key][lang] if key in LAYERS else str(key)


def _rule_zh(layer: str, windows: dict) -> str:
    """The layering rule of ``layer`` in Chinese, with the windows used (as RFMResult.layers' English rule)."""
    n, a = windows["new_days"], windows["active_days"]
    (h0, h1), (l0, l1) = windows["high_recovery"], windows["low_recovery"]
    w = max(n, a)
    return {
        "new": f"仅一次购买，且在最近 {n} 天内", "active": f"最近 {a} 天内有购买，且 {a} 天以前有两次及以上购买",
        "developing": f"最近 {w} 天内有购买，但不是新客户或活跃客户", "lapsing": f"最近一次购买在 {w}-{h0 - 1} 天前",
        "high_recovery": f"最近一次购买在 {h0}-{h1 - 1} 天前",
        "dormant": f"最近一次购买在 {h1}-{l0 - 1} 天前" if h1 < l0 else "两个挽回窗口之间（按当前窗口为空）",
        "low_recovery": f"最近一次购买在 {l0}-{l1 - 1} 天前", "lost": f"最近一次购买在 {l1} 天及以前",
        "returns_only": "无购买，仅有退货",
    }.get(layer, "")


def _banner_frames(banner, link, segment: str, lang: str, words_lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(numbers, display) of the banner (:func:`~surveykit.report._format.banner_tables`: values and letters in
    columns of their own for ``tables.xlsx``, ``value letters`` as read), measures and levels in the report's
    language."""
    frames = banner_tables(banner, words_lang)
    labels = {k: v for k, v in link.measures.items()}
    for frame in frames:
        frame.index = frame.index.set_levels([labels.get(v, v) for v in frame.index.levels[0]], level=0)
        if segment == "layer":
            levels = [frame.columns.get_level_values(k) for k in range(frame.columns.nlevels)]
            levels[0] = [_layer(c, lang) if c in LAYERS else c for c in levels[0]]
            frame.columns = pd.MultiIndex.from_arrays(levels, names=frame.columns.names)
    return frames




class _Writer:
    """The section's words, tables and figures for one link: ``say`` a sentence, register a ``table`` or ``figure``."""

    def __init__(self, link, book: ReportBook):
        self.link, self.book, self.lang = link, book, book.language
        self.fig_lang = "en" if self.lang == "en" else "zh"
        self.w = _words(self.lang)
        self.as_of = str(link.as_of.date())
        self.basis = _word(f"basis_{link.abc_basis}")

    def say(self, key: str, **fmt) -> str:
        """A sentence in the report's language; a callable value gives the word of each language."""
        return t(f"customer_value.{key}", self.lang, **fmt)

    def table(self, title, frame, note, **kw) -> str:
        return self.book.table(SECTION, title, frame, note=note, **kw)

    def figure(self, fig, name, title) -> dict:
        return self.book.figure(fig, f"value_{name}", title)


def _link_blocks(o: _Writer) -> list[Block]:
    """The transactions audit, the respondents and customers accounted for, and who was not linked."""
    link, w = o.link, o.w
    audit = link.audit
    a_note = o.say("audit_note", read=audit.n_rows_read, used=audit.n_rows_used, excluded=audit.n_excluded,
                   as_of=o.as_of, returns=_word(f"returns_{audit.returns}"))
    blocks = [Block(heading=w["audit"], lines=list(audit.notes),
                    table=o.table(w["audit_table"], audit.to_frame(), a_note, decimals=2))]
    acc = link.accounting[["count"]].rename(index=w["status"], columns={"count": w["count"]})
    c = link.accounting["count"]
    line = o.say("link_line", n=link.n_respondents, linked=link.n_linked, item=repr(link.id_column),
                 customers=link.n_customers, surveyed=int(c["customers_linked"]), not_surveyed=link.n_not_surveyed)
    link_note = o.say("link_note", n=link.n_respondents, customers=link.n_customers)
    blocks.append(Block(heading=w["link"], lines=[line], table=o.table(w["link_table"], acc, link_note)))
    if len(link.unmatched):
        un = link.unmatched.assign(status=link.unmatched["status"].map(w["status"]))
        un = un.rename(columns={"customer_id_raw": w["customer_id_raw"], "customer_id": w["customer_id"],
                                "status": w["status_col"]})
        un.index.name = w["respondent"]
        blocks.append(Block(heading=w["unmatched"],
                            table=o.table(w["unmatched"], un, o.say("unmatched_note", n=len(un)), long_list=True)))
    return blocks


def _base_blocks(o: _Writer) -> list[Block]:
    """RFM layers, CLV by layer, ABC classes and the repurchase rate of the customer base."""
    from ...plotting import figure_style
    from ...plotting.customer_value import plot_pareto, plot_rfm_layers

    link, w, fig_lang = o.link, o.w, o.fig_lang
    r, a = link.rfm, link.abc
    layers = r.layers[r.layers["customers"] > 0].copy()
    layers.insert(0, w["layer"], layers[f"label_{fig_lang}"])
    if fig_lang == "zh":
        layers["rule"] = [_rule_zh(k, r.windows) for k in layers.index]
    keep = [w["layer"], "rule", "customers", "share", "revenue", "revenue_share",
            *(["profit", "profit_share"] if "profit" in layers else [])]
    layers = layers[keep].rename(columns={k: w[k] for k in keep if k in w}).set_index(w["layer"])
    value_col = "profit" if "profit_share" in r.layers else "revenue"
    with figure_style():
        fig, ax = new_figure((7.5, 0.55 * len(layers) + 1.4))
        plot_rfm_layers(r, value=value_col, language=fig_lang, ax=ax)
        f_layers = o.figure(fig, "rfm_layers", o.say("fig_layers", basis=_word(f"basis_{value_col}")))
    blocks = [Block(heading=w["rfm"], figures=[f_layers],
                    table=o.table(w["rfm_table"], layers, o.say("rfm_note", n=r.n_customers, as_of=o.as_of),
                                  percent=(w["share"], w["revenue_share"], w["profit_share"]), decimals=2))]
    if link.clv is not None and link.clv.by_segment is not None:
        cv = link.clv
        seg = cv.by_segment[cv.by_segment["customers"] > 0].copy()
        seg.index = [_layer(k, fig_lang) for k in seg.index]
        seg.index.name = w["layer"]
        line = o.say("clv_line", r=cv.retention, r_how=_word("estimated" if cv.retention_estimated else "given"),
                     d=cv.discount, years=cv.years)
        blocks.append(Block(heading=w["clv"], lines=[line],
                            table=o.table(w["clv_table"], seg, o.say("clv_note", n=cv.n_customers),
                                          percent=("clv_retention_share",), decimals=2)))
    classes = a.classes.rename(columns={k: w[k] for k in a.classes.columns if k in w})
    classes.index.name = w["class"]
    with figure_style():
        fig, ax = new_figure((6.8, 5.4))
        plot_pareto(a, language=fig_lang, ax=ax)
        f_pareto = o.figure(fig, "pareto", w["fig_pareto"])
    a_share, b_share, _ = a.shares
    blocks.append(Block(heading=w["abc"], lines=list(a.notes), figures=[f_pareto],
                        table=o.table(o.say("abc_table", basis=o.basis), classes,
                                      o.say("abc_note", n=a.n_customers, basis=o.basis, a=a_share, b=b_share),
                                      percent=(w["customer_share"], w["value_share"]), decimals=2)))
    rep = link.repurchase
    if rep is not None:
        rep_line = o.say("rep_line", rate=rep.rate, rep=rep.n_repurchasers, buyers=rep.n_customers, as_of=o.as_of)
        rename = {k: w[k] for k in ("repurchasers", "repurchase_rate", "period_start", "period_end", "complete")}
        rename["customers"] = w["buyers"]
        by_class = rep.by_segment.rename(columns=rename)
        by_class.index.name = w["class"]
        periods = rep.by_period.assign(period_start=rep.by_period["period_start"].dt.strftime("%Y-%m-%d"),
                                       period_end=rep.by_period["period_end"].dt.strftime("%Y-%m-%d"))
        note = o.say("rep_note", n=rep.n_customers, as_of=o.as_of)
        blocks.append(Block(heading=w["repurchase"], lines=[rep_line],
                            table=o.table(w["rep_class"], by_class, note, percent=(w["repurchase_rate"],))))
        blocks.append(Block(table=o.table(w["rep_period"], periods.rename(columns=rename), note,
                                          percent=(w["repurchase_rate"],), index=False)))
    return blocks


def _satisfaction_blocks(o: _Writer) -> list[Block]:
    """Satisfaction, loyalty and NPS by RFM layer and by ABC class, with the tests of difference."""
    from ...plotting import figure_style
    from ...plotting.customer_value import plot_satisfaction_by_value

    link, w = o.link, o.w
    corr = _word((link.by_layer.correction if link.by_layer is not None else None) or "none")
    weighted = _word("weighted") if link.weighted else ""
    alpha = link.by_layer.alpha if link.by_layer is not None else 0.05
    sat_figures = []
    if link.by_layer is not None:
        with figure_style():
            for key in [k for k in ("satisfaction_index", "nps") if k in link.measures]:
                levels = len(link.means[(link.means["measure"] == key) & (link.means["row"] == "mean")])
                fig, ax = new_figure((7.5, 0.34 * (levels + 2) + 1.7))
                plot_satisfaction_by_value(link, measure=key, language=o.fig_lang, ax=ax)
                sat_figures.append(o.figure(fig, f"by_value_{key}", o.say("fig_sat", measure=link.measures[key])))
    blocks = []
    for segment, b, heading in (("layer", link.by_layer, w["by_layer"]), ("abc_class", link.by_class, w["by_class"])):
        if b is None:
            continue
        seg_name = _word("rfm" if segment == "layer" else "abc")
        tests = link.tests[link.tests["segment"] == segment].drop(columns="segment")
        lines = [o.say("test_line", segment=seg_name, p=p_text(row["p_value"]),
                       measure=link.measures.get(row["measure"], row["measure"]))
                 for _, row in tests[tests["test"] == "welch_anova"].iterrows() if math.isfinite(row["p_value"])]
        tests = tests.assign(measure=tests["measure"].map(lambda k: link.measures.get(k, k)),
                             test=tests["test"].map(w["tests"])).set_index(["measure", "test"])
        tests.index.names = [w["measure"], w["test"]]
        b_note = o.say("banner_note", n=b.n_obs, weighted=weighted, corr=corr, alpha=alpha)
        numbers, display = _banner_frames(b, link, segment, o.fig_lang, o.lang)
        blocks.append(Block(heading=heading, lines=lines, figures=sat_figures if segment == "abc_class" else [],
                            table=o.table(heading, numbers, b_note, display=display, decimals=2,
                                          shown_note=banner_weighted_note(b, o.lang) or None)))
        blocks.append(Block(table=o.table(o.say("tests_title", segment=seg_name), tests,
                                          o.say("tests_note", n=b.n_obs), decimals=4)))
    return blocks


def _save_block(o: _Writer) -> Block:
    """The save list: high-value customers with low satisfaction, with the value-satisfaction scatter."""
    from ...plotting import figure_style
    from ...plotting.customer_value import plot_value_satisfaction

    link, w = o.link, o.w
    save = link.save_list.copy()
    if "layer" in save:
        save["layer"] = save["layer"].map(lambda k: _layer(k, o.fig_lang) if isinstance(k, str) else k).astype(object)
    save = save.rename(columns=w["save_cols"])
    save.index.name = w["respondent"]
    top_clv = link.top_clv if link.clv is not None else None
    save_line = o.say("save_line", threshold=link.low_satisfaction, n=len(save), basis=o.basis,
                      clv=(lambda L: t("customer_value.save_clv", L, top=top_clv)) if top_clv else "",
                      detractor=_word("save_detractor") if link.detractors else "")
    scatter = []
    if "satisfaction_index" in link.table and link.table["satisfaction_index"].notna().any():
        with figure_style():
            fig, ax = new_figure((7.2, 5.6))
            plot_value_satisfaction(link, language=o.fig_lang, ax=ax)
            scatter.append(o.figure(fig, "value_satisfaction", w["fig_scatter"]))
    return Block(heading=w["save"], lines=[save_line], figures=scatter,
                 table=o.table(w["save_table"], save, o.say("save_note", n=len(save)), decimals=1, long_list=True))


def _numbers(link, notes: list, columns: dict, book: ReportBook) -> None:
    """The section's numbers and options, for ``results.json``."""
    audit, r, a, rep = link.audit, link.rfm, link.abc, link.repurchase
    as_of = str(link.as_of.date())
    book.numbers[SECTION] = {
        "as_of": as_of, "abc_basis": link.abc_basis, "weighted": link.weighted,
        "accounting": link.accounting["count"].astype(int).to_dict(),
        "transactions": audit.to_frame()[["action", "count", "amount"]],
        "layers": r.layers, "abc_classes": a.classes,
        "clv": None if link.clv is None else {
            "retention": link.clv.retention, "years": link.clv.years, "discount": link.clv.discount,
            "by_layer": link.clv.by_segment},
        "repurchase": None if rep is None else {"rate": rep.rate, "by_class": rep.by_segment,
                                                "by_year": rep.by_period.astype({"period_start": str,
                                                                                 "period_end": str})},
        "means": link.means.to_dict(orient="records"), "tests": link.tests.to_dict(orient="records"),
        "save_list": {"n": len(link.save_list), "respondent_ids": list(link.save_list.index),
                      "customer_ids": list(link.save_list["customer_id"]), "low_satisfaction": link.low_satisfaction,
                      "top_clv": link.top_clv, "detractors": link.detractors},
        "not_linked": {"respondent_ids": list(link.unmatched.index), "status": list(link.unmatched["status"])},
        "notes": notes,
    }
    book.options[SECTION] = {"as_of": as_of, "shares": list(a.shares), "low_satisfaction": link.low_satisfaction,
                             "top_clv": link.top_clv, "detractors": link.detractors,
                             "discount": None if link.clv is None else link.clv.discount,
                             **{k: (str(v) if not isinstance(v, (int, float, str, type(None))) else v)
                                for k, v in columns.items()}}


def section(data: SurveyData, book: ReportBook, transactions, **columns) -> Section | None:
    """The customer value section of ``data`` linked to ``transactions``.

    Parameters
    ----------
    data : SurveyData
    book : ReportBook
    transactions : DataFrame, PreparedTransactions, path or None
        The customer base's orders; a path (.csv, .xlsx, .parquet) is read with every column as
        text (:func:`surveykit.io.transactions.read_transactions`). None: no section.
    **columns
        Passed to :func:`surveykit.value.survey.link_survey`: ``customer``, ``date``,
        ``amount``, ``cost``, ``as_of``, ``id_column``, ``id_format``, ``margin`` ...

    Returns
    -------
    Section or None
        None without transactions. When the analysis fails, the section holds the reason
        under ``notes`` and no blocks. Numbers go to ``book.numbers['customer_value']``.
    """
    from ...value.survey import default_columns, link_survey

    if transactions is None:
        return None
    lang = book.language
    w = _words(lang)
    section = Section(id=SECTION, title=w["title"], note=w["section_note"])
    try:
        tx = _read(transactions)
    except (OSError, ValueError) as exc:
        section.notes.append(w["failed"] + str(exc))
        return section
    if isinstance(tx, pd.DataFrame):  # columns not named are taken by the default names
        columns = {**default_columns(tx.columns, margin=columns.get("margin")), **columns}
    notes: list[str] = []
    link = caught(notes, link_survey, data, tx, **{"language": lang, **columns})
    if link is None:
        section.notes = [w["failed"] + n for n in notes]
        return section
    notes = list(dict.fromkeys([*notes, *link.notes]))
    o = _Writer(link, book)
    section.blocks = [*_link_blocks(o), *_base_blocks(o), *_satisfaction_blocks(o), _save_block(o)]
    section.notes = notes
    _numbers(link, notes, columns, book)
    return section
