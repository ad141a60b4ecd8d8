"""The report's section on customer value: transactions audit, RFM layers, CLV, ABC classes, repurchase,
satisfaction by value with tests, and the save list. Computes nothing: everything comes from
:func:`surveykit.value.survey.link_survey`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..data import SurveyData
from ..value.rfm import LAYERS
from ._format import caught, p_text
from .book import ReportBook

__all__ = ["value_section"]

SECTION = "customer_value"

_TEXT = {
    "zh": {
        "title": "客户价值与满意度",
        "section_note": ("客户价值来自交易数据（RFM 分层、ABC 分类、客户生命周期价值 CLV、重复购买率），按客户编号与问卷关联，"
                         "比较不同价值客户的满意度、忠诚度、NPS 与感知价值，并列出值得挽留的高价值、低满意客户。"),
        "audit": "交易数据审计", "audit_table": "交易记录核对",
        "audit_note": "读取 {read} 行，使用 {used} 行，排除 {excluded} 行（每行归入第一个适用的原因）；截至 {as_of}；"
                      "退货（负金额）{returns}。",
        "returns_net": "计入客户净额", "returns_drop": "已排除",
        "link": "问卷与交易的关联", "link_table": "受访者与客户核对",
        "link_line": ("{n} 位受访者中 {linked} 位按客户编号（题目 {item}，两侧编号统一规范化）关联到交易客户；"
                      "{customers} 位交易客户中 {surveyed} 位有问卷回答，{not_surveyed} 位未参与调查。"),
        "link_note": ("n = {n} 位受访者、{customers} 位交易客户；客户编号两侧统一规范化（去除首尾空格、全角转半角，数字编号按 "
                      "id_format 补齐）后精确匹配。"),
        "unmatched": "未关联的受访者", "unmatched_note": "n = {n}；客户编号按受访者填写原样列出。",
        "status": {"respondents": "受访者", "linked": "已关联", "no_customer_id": "未填写客户编号",
                   "excluded_transactions": "其交易记录全部被排除", "no_transactions": "客户编号不在交易数据中",
                   "customers": "交易客户", "customers_linked": "有问卷回答的客户",
                   "customers_not_surveyed": "未参与调查的客户"},
        "count": "人数", "respondent": "受访者", "status_col": "关联状态", "customer_id_raw": "填写的客户编号", "customer_id": "客户编号",
        "rfm": "RFM 分层", "rfm_table": "RFM 分层：客户数与价值",
        "rfm_note": ("n = {n} 位客户（截至 {as_of}）；分层规则（按顺序，取第一个符合的）：新客户、活跃客户、高挽回、低挽回，"
                     "其余客户另行标注；金额为退货后净额；占比 = 该层 / 全部客户。"),
        "layer": "分层", "rule": "规则", "customers": "客户数", "share": "客户占比", "revenue": "收入",
        "revenue_share": "收入占比", "profit": "利润", "profit_share": "利润占比",
        "clv": "客户生命周期价值（按 RFM 分层）", "clv_table": "客户生命周期价值（CLV）按 RFM 分层",
        "clv_line": ("保留率 r = {r:.3f}（{r_how}），折现率 d = {d:g}；简单模型 CLV = 年利润 × {years:.2f} 年"
                     "（1 / (1 − r)）；保留率模型 CLV = m × r / (1 + d − r)，仅对近一年有购买的客户，其余为 0。"),
        "clv_note": "n = {n} 位客户；年利润 = （收入 − 成本）/ 观察年数；各层均使用总体保留率，表中“保留率”为该层自身的描述值。",
        "estimated": "由相邻年度估计", "given": "给定",
        "abc": "ABC 分类", "abc_table": "ABC 分类（按{basis}）",
        "abc_note": ("n = {n} 位客户；按{basis}从高到低排序：A 类 = 累计贡献前 {a:.0%} 的客户，B 类 = 其后 {b:.0%}，"
                     "C 类 = 其余（含亏损与零值客户）；越过界线的客户归入上一类，同值客户同类。"),
        "basis_profit": "利润", "basis_revenue": "收入",
        "class": "类别", "customer_share": "客户占比", "value": "价值", "value_share": "价值占比",
        "min_value": "最低价值", "max_value": "最高价值",
        "repurchase": "重复购买率", "rep_line": "重复购买率 = {rate:.1%}：{buyers} 位购买客户中 {rep} 位购买两次及以上（截至 {as_of}）。",
        "rep_class": "重复购买率（按 ABC 分类）", "rep_period": "重复购买率（按年度）",
        "rep_note": "n = {n} 位有购买的客户；重复购买率 = 购买两次及以上的客户 / 有购买的客户；退货不计为购买；年度为截至 {as_of} 的 12 个月区间。",
        "buyers": "购买客户", "repurchasers": "重复购买客户", "repurchase_rate": "重复购买率",
        "period_start": "起始", "period_end": "截止", "complete": "完整年度",
        "by_layer": "满意度与忠诚度（按 RFM 分层）", "by_class": "满意度与忠诚度（按 ABC 分类）",
        "banner_note": ("n = {n} 位已关联受访者{weighted}；均值（NPS 为推荐者 100、中立者 0、贬损者 −100 的均值）；列字母 = "
                        "该列显著高于字母所指的列（Welch t 检验，{corr}，α = {alpha:g}）；NPS 分组为列百分比（z 检验）。"),
        "tests_title": "差异检验（{segment}）",
        "tests_note": ("n = {n} 位已关联受访者（各指标的有效回答数见 n_obs 列）；Welch 与经典单因素方差分析（R oneway.test）"
                       "比较各均值；NPS 分组用 Pearson 卡方检验（R chisq.test，无连续性校正）。"),
        "weighted": "，按问卷权重加权（有效样本量近似）", "bonferroni": "Bonferroni 校正", "holm": "Holm 校正",
        "none": "未校正", "measure": "指标", "test": "检验", "tests": {"welch_anova": "Welch 方差分析",
                                                                    "anova": "单因素方差分析",
                                                                    "chi_square": "卡方检验"},
        "test_line": "{segment}：{measure} {p}（Welch 方差分析）。",
        "save": "挽留名单：高价值、低满意客户", "save_table": "挽留名单",
        "save_line": ("高价值 = A 类客户{clv}；低满意 = 满意度指数低于 {threshold:g}{detractor}；共 {n} 位，按{basis}从高到低排列。"),
        "save_clv": "或 CLV 排名前 {top:.0%} 的客户", "save_detractor": " 或 NPS 贬损者（0-6 分）",
        "save_note": "n = {n}；客户编号与评论按受访者原文列出；✓ = 符合该条件。",
        "save_cols": {"customer_id": "客户编号", "layer": "RFM 分层", "abc_class": "ABC 分类", "abc_value": "价值",
                      "clv_retention": "CLV（保留率模型）", "recency_days": "距上次购买天数", "frequency": "购买次数",
                      "satisfaction_index": "满意度指数", "nps_score": "推荐意愿（0-10）", "a_class": "A 类",
                      "top_clv": "CLV 前列", "below_threshold": "满意度低于阈值", "detractor": "贬损者",
                      "comment": "评论"},
        "fig_layers": "RFM 分层的客户与{basis}占比", "fig_pareto": "帕累托曲线与 ABC 分类",
        "fig_sat": "{measure}：按 RFM 分层与 ABC 分类", "fig_scatter": "客户价值与满意度",
        "failed": "客户价值分析未能完成：",
    },
    "en": {
        "title": "Customer value and satisfaction",
        "section_note": ("Customer value from the transactions (RFM layers, ABC classes, customer lifetime value, "
                         "repurchase rate), linked to the survey by customer id: satisfaction, loyalty, NPS and "
                         "perceived value of customers of different value, and the high-value, low-satisfaction "
                         "customers worth saving."),
        "audit": "Transactions audit", "audit_table": "Transaction rows accounted for",
        "audit_note": "{read} rows read, {used} used, {excluded} excluded (each row under the first reason that "
                      "applies); as of {as_of}; returns (negative amounts) {returns}.",
        "returns_net": "netted into the customer totals", "returns_drop": "excluded",
        "link": "Linking the survey to the transactions", "link_table": "Respondents and customers accounted for",
        "link_line": ("{linked} of {n} respondents are linked to a customer by customer id (item {item}, ids "
                      "normalised on both sides); {surveyed} of the {customers} customers answered the survey, "
                      "{not_surveyed} did not."),
        "link_note": "n = {n} respondents, {customers} customers; ids normalised on both sides (white space "
                     "stripped, full-width characters folded, numeric ids formatted by id_format), then matched "
                     "exactly.",
        "unmatched": "Respondents not linked", "unmatched_note": "n = {n}; customer ids as the respondents wrote them.",
        "status": {"respondents": "Respondents", "linked": "Linked", "no_customer_id": "No customer id answered",
                   "excluded_transactions": "Every transaction row excluded",
                   "no_transactions": "Customer id not in the transactions", "customers": "Customers",
                   "customers_linked": "Customers with a survey answer",
                   "customers_not_surveyed": "Customers not surveyed"},
        "count": "Count", "respondent": "Respondent", "status_col": "Status", "customer_id_raw": "Customer id as answered",
        "customer_id": "Customer id",
        "rfm": "RFM layers", "rfm_table": "RFM layers: customers and value",
        "rfm_note": ("n = {n} customers (as of {as_of}); rules applied in order, each customer taking the first "
                     "that fits: new, active, high recovery, low recovery, the rest labelled; amounts net of "
                     "returns; shares of all customers."),
        "layer": "Layer", "rule": "Rule", "customers": "Customers", "share": "Share of customers",
        "revenue": "Revenue", "revenue_share": "Share of revenue", "profit": "Profit", "profit_share": "Share of profit",
        "clv": "Customer lifetime value by RFM layer", "clv_table": "Customer lifetime value (CLV) by RFM layer",
        "clv_line": ("Retention r = {r:.3f} ({r_how}), discount d = {d:g}; simple form CLV = annual margin x "
                     "{years:.2f} years (1 / (1 - r)); retention form CLV = m r / (1 + d - r) for customers who "
                     "bought in the last year, 0 for the others."),
        "clv_note": "n = {n} customers; annual margin = (revenue - cost) / years observed; every layer uses the "
                    "overall retention, the layer's own retention is shown for description.",
        "estimated": "estimated from consecutive years", "given": "given",
        "abc": "ABC classes", "abc_table": "ABC classes (by {basis})",
        "abc_note": ("n = {n} customers, ranked by {basis}, highest first: A = the customers bringing the first "
                     "{a:.0%}, B = the next {b:.0%}, C = the rest (loss-making and zero customers included); the "
                     "customer crossing a boundary belongs to the class above it, equal values share a class."),
        "basis_profit": "profit", "basis_revenue": "revenue",
        "class": "Class", "customer_share": "Share of customers", "value": "Value", "value_share": "Share of value",
        "min_value": "Lowest value", "max_value": "Highest value",
        "repurchase": "Repurchase rate", "rep_line": "Repurchase rate = {rate:.1%}: {rep} of {buyers} buyers bought "
                                                  "two or more times (to {as_of}).",
        "rep_class": "Repurchase rate by ABC class", "rep_period": "Repurchase rate by year",
        "rep_note": "n = {n} customers with a purchase; repurchase rate = customers with two or more purchases / "
                    "customers with a purchase; returns are not purchases; years are 12-month periods ending at "
                    "{as_of}.",
        "buyers": "Buyers", "repurchasers": "Repurchasers", "repurchase_rate": "Repurchase rate",
        "period_start": "Start", "period_end": "End", "complete": "Complete year",
        "by_layer": "Satisfaction and loyalty by RFM layer", "by_class": "Satisfaction and loyalty by ABC class",
        "banner_note": ("n = {n} linked respondents{weighted}; means (NPS as the mean of 100 for promoters, 0 for "
                        "passives, -100 for detractors); letters = significantly higher than that column (Welch t "
                        "tests, {corr}, alpha = {alpha:g}); NPS groups as column percentages (z tests)."),
        "tests_title": "Tests of difference ({segment})",
        "tests_note": "n = {n} linked respondents (the answers to each measure in column n_obs); Welch's and the "
                      "classic one-way ANOVA (R oneway.test) of each mean; Pearson's chi-square of the NPS groups "
                      "(R chisq.test, no continuity correction).",
        "weighted": ", weighted by the questionnaire's weight (effective-base approximation)",
        "bonferroni": "Bonferroni-adjusted", "holm": "Holm-adjusted", "none": "not adjusted", "measure": "Measure",
        "test": "Test", "tests": {"welch_anova": "Welch ANOVA", "anova": "One-way ANOVA", "chi_square": "Chi-square"},
        "test_line": "{segment}: {measure} {p} (Welch ANOVA).",
        "save": "Save list: high-value customers with low satisfaction", "save_table": "Save list",
        "save_line": ("High value = class A{clv}; low satisfaction = satisfaction index below {threshold:g}"
                      "{detractor}; {n} respondents, by {basis}, highest first."),
        "save_clv": " or in the top {top:.0%} by CLV", "save_detractor": " or a detractor (NPS 0-6)",
        "save_note": "n = {n}; customer ids and comments as the respondents wrote them; ✓ = meets the condition.",
        "save_cols": {"customer_id": "Customer id", "layer": "RFM layer", "abc_class": "ABC class",
                      "abc_value": "Value", "clv_retention": "CLV (retention form)",
                      "recency_days": "Days since last purchase", "frequency": "Purchases",
                      "satisfaction_index": "Satisfaction index", "nps_score": "Likelihood to recommend (0-10)",
                      "a_class": "Class A", "top_clv": "Top CLV", "below_threshold": "Below threshold",
                      "detractor": "Detractor", "comment": "Comment"},
        "fig_layers": "RFM layers: share of customers and of {basis}", "fig_pareto": "Pareto curve and ABC classes",
        "fig_sat": "{measure} by RFM layer and ABC class", "fig_scatter": "Customer value and satisfaction",
        "failed": "The customer value analysis could not be completed: ",
    },
}


def _words(lang: str) -> dict:
    """The section's words; for 'both', every sentence and title as "中文 / English" (lists of labels in Chinese)."""
    if lang in _TEXT:
        return _TEXT[lang]
    zh, en = _TEXT["zh"], _TEXT["en"]
    return {k: (f"{v} / {en[k]}" if isinstance(v, str) else v) for k, v in zh.items()}


def _word(key: str):
    """A word of the section, looked up in each language's words when a sentence is formatted."""
    return lambda words: words[key]


def _read(transactions):
    """A path is read with every column as text (ids keep their zeros); a table is passed on."""
    if isinstance(transactions, (str, Path)):
        from ..value.survey import read_transactions

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


def _banner_frame(banner, link, segment: str, lang: str) -> pd.DataFrame:
    """The banner as read (``value letters``), measures and levels in the report's language."""
    frame = banner.to_frame()
    labels = {k: v for k, v in link.measures.items()}
    frame.index = frame.index.set_levels([labels.get(v, v) for v in frame.index.levels[0]], level=0)
    if segment == "layer":
        names = [_layer(c, lang) if c in LAYERS else c for c in frame.columns.get_level_values(0)]
        frame.columns = pd.MultiIndex.from_arrays([names, frame.columns.get_level_values(1)],
                                                  names=frame.columns.names)
    return frame


def value_section(data: SurveyData, book: ReportBook, transactions, **columns) -> dict | None:
    """Build the customer value section into ``book``; return it in the generic section form.

    Parameters
    ----------
    data : SurveyData
    book : ReportBook
    transactions : DataFrame, PreparedTransactions, path or None
        The customer base's orders; a path (.csv, .xlsx, .parquet) is read with every column as
        text (:func:`surveykit.value.survey.read_transactions`). None: no section.
    **columns
        Passed to :func:`surveykit.value.survey.link_survey`: ``customer``, ``date``,
        ``amount``, ``cost``, ``as_of``, ``id_column``, ``id_format``, ``margin`` ...

    Returns
    -------
    dict or None
        ``{"id", "title", "note", "blocks", "notes"}`` (see :mod:`surveykit.report.book`);
        None without transactions. When the analysis fails, the section holds the reason
        under ``notes`` and no blocks. Numbers go to ``book.numbers['customer_value']``.
    """
    import matplotlib.pyplot as plt

    from ..plotting import figure_style
    from ..plotting.value import plot_pareto, plot_rfm_layers, plot_satisfaction_by_value, plot_value_satisfaction
    from ..value.survey import default_columns, link_survey

    if transactions is None:
        return None
    lang = book.language
    t = _words(lang)
    fig_lang = "en" if lang == "en" else "zh"
    section = {"id": SECTION, "title": t["title"], "note": t["section_note"], "blocks": [], "notes": []}
    try:
        tx = _read(transactions)
    except (OSError, ValueError) as exc:
        section["notes"].append(t["failed"] + str(exc))
        return section
    if isinstance(tx, pd.DataFrame):  # columns not named are taken by the default names
        columns = {**default_columns(tx.columns, margin=columns.get("margin")), **columns}
    link, notes = caught(link_survey, data, tx, **{"language": lang, **columns})
    if link is None:
        section["notes"] = [t["failed"] + n for n in notes]
        return section
    notes = list(dict.fromkeys([*notes, *link.notes]))
    blocks = section["blocks"]
    audit, r, a = link.audit, link.rfm, link.abc
    as_of = str(link.as_of.date())
    basis = _word(f"basis_{link.abc_basis}")

    def say(key: str, **fmt) -> str:
        """A sentence in the report's language ("中文 / English" for both); callables give a word per language."""
        langs = ("zh", "en") if lang == "both" else (lang,)
        return " / ".join(_TEXT[L][key].format(**{k: v(_TEXT[L]) if callable(v) else v for k, v in fmt.items()})
                          for L in langs)

    def table(title, frame, note, **kw):
        return book.table(SECTION, title, frame, note=note, **kw)

    def figure(fig, name, title):
        return book.figure(fig, f"value_{name}", title)

    # -- transactions audit and the link -------------------------------------------------------------
    a_frame = audit.to_frame()
    a_note = say("audit_note", read=audit.n_rows_read, used=audit.n_rows_used, excluded=audit.n_excluded,
                 as_of=as_of, returns=_word(f"returns_{audit.returns}"))
    blocks.append({"heading": t["audit"], "lines": list(audit.notes),
                   "table": table(t["audit_table"], a_frame, a_note, decimals=2), "figures": []})
    acc = link.accounting[["count"]].rename(index=t["status"], columns={"count": t["count"]})
    c = link.accounting["count"]
    line = say("link_line", n=link.n_respondents, linked=link.n_linked, item=repr(link.id_column),
               customers=link.n_customers, surveyed=int(c["customers_linked"]), not_surveyed=link.n_not_surveyed)
    link_note = say("link_note", n=link.n_respondents, customers=link.n_customers)
    blocks.append({"heading": t["link"], "lines": [line], "table": table(t["link_table"], acc, link_note),
                   "figures": []})
    if len(link.unmatched):
        un = link.unmatched.assign(status=link.unmatched["status"].map(t["status"]))
        un = un.rename(columns={"customer_id_raw": t["customer_id_raw"], "customer_id": t["customer_id"],
                                "status": t["status_col"]})
        un.index.name = t["respondent"]
        blocks.append({"heading": t["unmatched"], "lines": [],
                       "table": table(t["unmatched"], un, say("unmatched_note", n=len(un))), "figures": []})

    # -- RFM layers, CLV, ABC, repurchase -------------------------------------------------------------
    layers = r.layers[r.layers["customers"] > 0].copy()
    layers.insert(0, t["layer"], layers[f"label_{fig_lang}"])
    if fig_lang == "zh":
        layers["rule"] = [_rule_zh(k, r.windows) for k in layers.index]
    keep = [t["layer"], "rule", "customers", "share", "revenue", "revenue_share",
            *(["profit", "profit_share"] if "profit" in layers else [])]
    layers = layers[keep].rename(columns={k: t[k] for k in keep if k in t}).set_index(t["layer"])
    value_col = "profit" if "profit_share" in r.layers else "revenue"
    with figure_style():
        fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(layers) + 1.4))
        plot_rfm_layers(r, value=value_col, language=fig_lang, ax=ax)
        f_layers = figure(fig, "rfm_layers", say("fig_layers", basis=_word(f"basis_{value_col}")))
    blocks.append({"heading": t["rfm"], "lines": [],
                   "table": table(t["rfm_table"], layers, say("rfm_note", n=r.n_customers, as_of=as_of),
                                  percent=(t["share"], t["revenue_share"], t["profit_share"]), decimals=2),
                   "figures": [f_layers]})
    if link.clv is not None and link.clv.by_segment is not None:
        cv = link.clv
        seg = cv.by_segment[cv.by_segment["customers"] > 0].copy()
        seg.index = [_layer(k, fig_lang) for k in seg.index]
        seg.index.name = t["layer"]
        line = say("clv_line", r=cv.retention, r_how=_word("estimated" if cv.retention_estimated else "given"),
                   d=cv.discount, years=cv.years)
        blocks.append({"heading": t["clv"], "lines": [line],
                       "table": table(t["clv_table"], seg, say("clv_note", n=cv.n_customers),
                                      percent=("clv_retention_share",), decimals=2), "figures": []})
    classes = a.classes.rename(columns={k: t[k] for k in a.classes.columns if k in t})
    classes.index.name = t["class"]
    with figure_style():
        fig, ax = plt.subplots(figsize=(6.8, 5.4))
        plot_pareto(a, language=fig_lang, ax=ax)
        f_pareto = figure(fig, "pareto", t["fig_pareto"])
    a_share, b_share, _ = a.shares
    blocks.append({"heading": t["abc"], "lines": list(a.notes),
                   "table": table(say("abc_table", basis=basis), classes,
                                  say("abc_note", n=a.n_customers, basis=basis, a=a_share, b=b_share),
                                  percent=(t["customer_share"], t["value_share"]), decimals=2),
                   "figures": [f_pareto]})
    rep = link.repurchase
    if rep is not None:
        rep_line = say("rep_line", rate=rep.rate, rep=rep.n_repurchasers, buyers=rep.n_customers, as_of=as_of)
        rename = {"customers": t["buyers"], "repurchasers": t["repurchasers"], "repurchase_rate": t["repurchase_rate"],
                  "period_start": t["period_start"], "period_end": t["period_end"], "complete": t["complete"]}
        by_class = rep.by_segment.rename(columns=rename)
        by_class.index.name = t["class"]
        periods = rep.by_period.assign(period_start=rep.by_period["period_start"].dt.strftime("%Y-%m-%d"),
                                       period_end=rep.by_period["period_end"].dt.strftime("%Y-%m-%d"))
        periods = periods.rename(columns=rename)
        note = say("rep_note", n=rep.n_customers, as_of=as_of)
        blocks.append({"heading": t["repurchase"], "lines": [rep_line],
                       "table": table(t["rep_class"], by_class, note, percent=(t["repurchase_rate"],)),
                       "figures": []})
        blocks.append({"heading": None, "lines": [],
                       "table": table(t["rep_period"], periods, note, percent=(t["repurchase_rate"],), index=False),
                       "figures": []})

    # -- satisfaction by value --------------------------------------------------------------------------
    corr_key = (link.by_layer.correction if link.by_layer is not None else None) or "none"
    corr = _word(corr_key)
    weighted = _word("weighted") if link.weighted else ""
    alpha = link.by_layer.alpha if link.by_layer is not None else 0.05
    sat_figures = []
    if link.by_layer is not None:
        with figure_style():
            for key in [k for k in ("satisfaction_index", "nps") if k in link.measures]:
                levels = len(link.means[(link.means["measure"] == key) & (link.means["row"] == "mean")])
                fig, ax = plt.subplots(figsize=(7.5, 0.34 * (levels + 2) + 1.7))
                plot_satisfaction_by_value(link, measure=key, language=fig_lang, ax=ax)
                sat_figures.append(figure(fig, f"by_value_{key}", say("fig_sat", measure=link.measures[key])))
    for segment, b, heading in (("layer", link.by_layer, t["by_layer"]), ("abc_class", link.by_class, t["by_class"])):
        if b is None:
            continue
        seg_name = _word("rfm" if segment == "layer" else "abc")
        tests = link.tests[link.tests["segment"] == segment].drop(columns="segment")
        lines = []
        for _, row in tests[tests["test"] == "welch_anova"].iterrows():
            if np.isfinite(row["p_value"]):
                lines.append(say("test_line", segment=seg_name, p=p_text(row["p_value"]),
                                 measure=link.measures.get(row["measure"], row["measure"])))
        tests = tests.assign(measure=tests["measure"].map(lambda k: link.measures.get(k, k)),
                             test=tests["test"].map(t["tests"])).set_index(["measure", "test"])
        tests.index.names = [t["measure"], t["test"]]
        b_note = say("banner_note", n=b.n_obs, weighted=weighted, corr=corr, alpha=alpha)
        blocks.append({"heading": heading, "lines": lines,
                       "table": table(heading, _banner_frame(b, link, segment, fig_lang), b_note),
                       "figures": sat_figures if segment == "abc_class" else []})
        blocks.append({"heading": None, "lines": [],
                       "table": table(say("tests_title", segment=seg_name), tests,
                                      say("tests_note", n=b.n_obs), decimals=4),
                       "figures": []})

    # -- save list -----------------------------------------------------------------------------------------
    save = link.save_list.copy()
    if "layer" in save:
        save["layer"] = save["layer"].map(lambda k: _layer(k, fig_lang) if isinstance(k, str) else k).astype(object)
    save = save.rename(columns=t["save_cols"])
    save.index.name = t["respondent"]
    top_clv = link.top_clv if link.clv is not None else None
    save_line = say("save_line", threshold=link.low_satisfaction, n=len(save), basis=basis,
                    clv=(lambda w: w["save_clv"].format(top=top_clv)) if top_clv else "",
                    detractor=_word("save_detractor") if link.detractors else "")
    scatter = []
    if "satisfaction_index" in link.table and link.table["satisfaction_index"].notna().any():
        with figure_style():
            fig, ax = plt.subplots(figsize=(7.2, 5.6))
            plot_value_satisfaction(link, language=fig_lang, ax=ax)
            scatter.append(figure(fig, "value_satisfaction", t["fig_scatter"]))
    blocks.append({"heading": t["save"], "lines": [save_line],
                   "table": table(t["save_table"], save, say("save_note", n=len(save)), decimals=1),
                   "figures": scatter})
    section["notes"] = notes

    book.numbers["customer_value"] = {
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
    return section
