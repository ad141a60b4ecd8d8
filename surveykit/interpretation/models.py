"""Interpreters of the model results: SEM, measurement invariance, PLS path models, IPA / IPMA and moderated mediation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..indices.ipa import IPAResult
from ..indices.ipma import IPMAResult
from ..indices.pls import PLSResult
from ..indices.survey_pls import SurveyIPMA, SurveyPLS
from ..structural.invariance import InvarianceResult
from ..structural.moderated import ModeratedMediationResult
from ..structural.sem import SEMResult
from ..structural.survey import SurveyValueModel
from .interpretation import Interpretation, Sentence, build, in_language, interpreter, label_of
from .phrases import band, cite, fmt, fmt_threshold, interval, lang, significance, threshold
from .psychometrics import _fit_guidance, _fit_sentences, each
from .rules import RuleSet

__all__ = ["interpret_invariance", "interpret_ipa", "interpret_ipma", "interpret_moderated_mediation", "interpret_pls",
           "interpret_sem", "interpret_survey_ipma", "interpret_survey_pls", "interpret_value_model"]

R2_NAMES = (("很弱", "very weak"), ("弱", "weak"), ("中等", "moderate"), ("较强", "substantial"))
GOF_NAMES = (("很小", "below small"), ("小", "small"), ("中等", "medium"), ("大", "large"))
LEVEL_NAMES = {"configural": ("形态等值", "configural"), "metric": ("弱等值（载荷相等）", "metric (equal loadings)"),
               "scalar": ("强等值（载荷与截距相等）", "scalar (equal loadings and intercepts)"),
               "strict": ("严格等值（再加残差相等）", "strict (also equal residuals)")}


# ---------------------------------------------------------------------------------------------
# SEM


def _paths(r: SEMResult, language: str, alpha: float, d: int, labels: dict) -> list:
    paths = r.estimates[r.estimates["op"] == "~"]
    multi = len(r.groups) > 1
    out = []
    for _, row in paths.iterrows():
        group = lang(language, f"（组 {row['group']}）", f" (group {row['group']})") if multi else ""
        name = f"{label_of(labels, row['rhs'], language)} → {label_of(labels, row['lhs'], language)}{group}"
        beta = fmt(float(row["std_all"]), d, 0)
        lead = lang(language, f"路径 {name} 的标准化系数 β = {beta}，", f"The path {name}, β = {beta}, ")
        out.append(significance(row["p_value"], alpha, language, "", "z test", subject=name, lead=lead))
    return out


@interpreter(SEMResult)
def interpret_sem(r: SEMResult, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """Fit by the rule set's cut-offs, each path's significance, R², the defined parameters' intervals;
    variables and defined parameters named by ``labels`` (id -> label) where it has them."""
    labels = labels or {}
    d = rules.decimals
    alpha = rules.alpha(None)
    a = fmt_threshold(alpha)
    guidance = [*_fit_guidance(rules, language)[:1],
                lang(language, f"结构路径在 p < {a} 时显著；R² 是各内生变量被解释的方差比例。",
                     f"A structural path is significant at p < {a}; R² is the share of each endogenous variable's "
                     "variance explained.")]
    sentences = _fit_sentences(r, language, rules) + _paths(r, language, alpha, d, labels)
    multi = len(r.groups) > 1
    endogenous = set(r.estimates.loc[r.estimates["op"] == "~", "lhs"])  # the indicators' R² are their reliabilities
    for _, row in r.r2[r.r2["variable"].isin(endogenous)].iterrows():
        group = lang(language, f"（组 {row['group']}）", f" (group {row['group']})") if multi else ""
        name = label_of(labels, row["variable"], language)
        sentences.append(Sentence(text=lang(language, f"{name}{group} 的 R² = {fmt(float(row['r2']), d)}。",
                                            f"R² of {name}{group} = {fmt(float(row['r2']), d)}."),
                                  value=float(row["r2"]), subject=str(row["variable"])))
    level = 1 - alpha
    kind = "Bootstrap " if r.n_boot else ""
    for _, row in r.defined.iterrows():
        name = label_of(labels, row["lhs"], language)
        sentences.append(interval(row["est"], row["ci_low"], row["ci_high"], level, language,
                                  lang(language, f"定义参数 {name}", f"The defined parameter {name}"), "",
                                  "Preacher & Hayes, 2008" if r.n_boot else "delta method", d, kind=kind,
                                  subject=str(row["lhs"])))
    return build(r, language, ("结构方程模型", "Structural equation model"), guidance, sentences)


@interpreter(SurveyValueModel)
def interpret_value_model(r: SurveyValueModel, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """The SEM's interpretation with the nodes named by their questionnaire labels, and each indirect
    effect (a defined parameter ``ind__x__y``) by its chain of labels ('感知利得 → 感知价值 → 顾客满意度')."""
    names = in_language({**r.labels, **(labels or {})}, r.language)
    defined = r.sem.defined
    if len(defined) == len(r.indirect) and np.allclose(defined["est"].to_numpy(float),
                                                       r.indirect["est"].to_numpy(float), equal_nan=True):
        for lhs, effect in zip(defined["lhs"], r.indirect.index):
            chain = str(effect).split(" -> ")
            names.setdefault(lhs, {L: " → ".join(label_of(names, n, L) for n in chain) for L in ("zh", "en")})
    return interpret_sem(r.sem, language, rules, labels=names)


# ---------------------------------------------------------------------------------------------
# measurement invariance


def _delta_sentences(level: str, row: pd.Series, language: str, rules: RuleSet) -> list:
    name = lang(language, LEVEL_NAMES.get(level, (level, level))[0], LEVEL_NAMES.get(level, (level, level))[1])
    srmr_key = "delta_srmr_max" if level == "metric" else "delta_srmr_scalar_max"
    return [threshold(rules, "delta_cfi_max", -float(row["cfi_diff"]), language,
                      lang(language, f"{name}模型 CFI 的下降 −ΔCFI", f"The drop of CFI for the {name} model, −ΔCFI"),
                      "−ΔCFI", subject=level),
            threshold(rules, "delta_rmsea_max", float(row["rmsea_diff"]), language,
                      lang(language, f"{name}模型的 ΔRMSEA", f"ΔRMSEA of the {name} model"), "ΔRMSEA", subject=level),
            threshold(rules, srmr_key, float(row["srmr_diff"]), language,
                      lang(language, f"{name}模型的 ΔSRMR", f"ΔSRMR of the {name} model"), "ΔSRMR", subject=level)]


@interpreter(InvarianceResult)
def interpret_invariance(r: InvarianceResult, language: str, rules: RuleSet) -> Interpretation:
    th = {k: fmt_threshold(getattr(rules, k)) for k in ("delta_cfi_max", "delta_rmsea_max", "delta_srmr_max",
                                                         "delta_srmr_scalar_max")}
    src = cite(rules.cite("delta_cfi_max"), language)
    guidance = [lang(language, f"测量等值性按形态、弱（载荷）、强（截距）、严格（残差）等值逐级检验；相邻两级比较时 CFI 下降不超过 "
                               f"{th['delta_cfi_max']}、RMSEA 上升不超过 {th['delta_rmsea_max']}、SRMR 上升不超过 {th['delta_srmr_max']}"
                               f"（弱等值）或 {th['delta_srmr_scalar_max']}（强、严格等值）时，该级等值成立（{src}；Cheung & Rensvold, "
                               "2002）。χ² 差异检验对样本量敏感，仅作参考。",
                     f"Invariance is tested level by level: configural, metric (loadings), scalar (intercepts), strict "
                     f"(residuals). A level holds when, against the level before, CFI drops by at most "
                     f"{th['delta_cfi_max']}, RMSEA rises by at most {th['delta_rmsea_max']} and SRMR by at most "
                     f"{th['delta_srmr_max']} (metric) or {th['delta_srmr_scalar_max']} (scalar, strict) ({src}; Cheung & "
                     "Rensvold, 2002). The χ² difference test is sensitive to sample size and only indicative.")]
    groups = "、".join(map(str, r.groups)) if language == "zh" else ", ".join(map(str, r.groups))
    sentences = [Sentence(text=lang(language, f"按 {r.group} 分组（{groups}）检验测量等值性，n = {r.n_obs}。",
                                    f"Invariance across the groups of {r.group} ({groups}), n = {r.n_obs}."))]
    highest, broken = None, False
    for k, (level, row) in enumerate(r.table.iterrows()):
        if k == 0:
            base = r.fits[level]
            fit = [threshold(rules, key, float(base.fit[col]), language, sym, sym, subject=level)
                   for key, col, sym in (("cfi_min", "cfi", "CFI"), ("rmsea_max", "rmsea", "RMSEA"))]
            sentences += fit
            if level == "configural":
                highest = level  # the baseline holds by definition; its fit is judged above
            continue
        deltas = _delta_sentences(level, row, language, rules)
        sentences += deltas
        holds = all(s.verdict == "pass" for s in deltas)
        name = LEVEL_NAMES.get(level, (level, level))
        sentences.append(Sentence(text=lang(language, f"{name[0]}{'成立' if holds else '不成立'}。",
                                            f"{name[1].capitalize()} invariance {'holds' if holds else 'does not hold'}."),
                                  verdict="pass" if holds else "fail", criterion="ΔCFI, ΔRMSEA, ΔSRMR",
                                  citation=rules.cite("delta_cfi_max"), subject=level))
        if holds and not broken:
            highest = level
        broken = broken or not holds
    if highest is None:
        text = lang(language, "没有任何一级等值成立。", "No level of invariance holds.")
    else:
        name = LEVEL_NAMES.get(highest, (highest, highest))
        text = lang(language, f"结论：达到{name[0]}。", f"In sum, invariance holds up to the {name[1]} level.")
        if highest in ("scalar", "strict"):
            text += lang(language, "可以比较各组的潜变量均值。", " Latent means can be compared across the groups.")
        else:
            text += lang(language, "尚不能比较各组的潜变量均值。", " Latent means cannot yet be compared across the groups.")
    sentences.append(Sentence(text=text, verdict="info", subject=highest))
    return build(r, language, (f"测量等值性：{r.group}", f"Measurement invariance across {r.group}"), guidance, sentences)


# ---------------------------------------------------------------------------------------------
# PLS and IPMA


def _pls_guidance(rules: RuleSet, language: str) -> list:
    r2 = " / ".join(fmt_threshold(c) for c in rules.r2_bands)
    gof = " / ".join(fmt_threshold(c) for c in rules.gof_bands)
    return [lang(language, f"PLS 路径模型：内生构念的 R² 以 {r2} 为弱 / 中等 / 较强的分界（{cite(rules.cite('r2_bands'), language)}）；"
                           f"GoF 以 {gof} 为小 / 中 / 大的分界（{cite(rules.cite('gof_bands'), language)}；Tenenhaus et al., 2005）；"
                           f"各构念 AVE ≥ {fmt_threshold(rules.ave_min)}（{cite(rules.cite('ave_min'), language)}）。",
                 f"PLS path model: an endogenous construct's R² is weak / moderate / substantial from {r2} "
                 f"({cite(rules.cite('r2_bands'), language)}); the GoF is small / medium / large from {gof} "
                 f"({cite(rules.cite('gof_bands'), language)}; Tenenhaus et al., 2005); each construct's AVE should reach "
                 f"{fmt_threshold(rules.ave_min)} ({cite(rules.cite('ave_min'), language)}).")]


@interpreter(PLSResult)
def interpret_pls(r: PLSResult, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """AVE, R² and GoF by the rule set's bands, each path's interval or test; constructs named by ``labels``."""
    labels = labels or {}

    def n(lv):
        return label_of(labels, lv, language)

    d = rules.decimals
    alpha = rules.alpha(r.ci_level)
    sentences = [Sentence(text=lang(language, f"PLS 路径模型，{len(r.blocks)} 个构念，n = {r.n_obs}。",
                                    f"The PLS path model has {len(r.blocks)} constructs, n = {r.n_obs}."))]
    if not r.converged:
        sentences.append(Sentence(text=lang(language, "注意：外部权重迭代未收敛，结果不可靠。",
                                            "Note: the outer weights did not converge; the results are unreliable.")))
    multi = [b for b, items in r.blocks.items() if len(items) >= 2]
    if multi:
        sentences += each(rules, "ave_min", r.inner_summary.loc[multi, "ave"].astype(float).rename(index=n), language,
                          ("“{subject}”的 AVE", "The AVE of {subject!r}"), "AVE")
    for target in r.paths:
        sentences.append(band(rules, "r2_bands", float(r.r_squared[target]), language,
                              lang(language, f"“{n(target)}”的 R²", f"The R² of {n(target)!r}"), "R²", R2_NAMES,
                              subject=str(target)))
    sentences.append(band(rules, "gof_bands", float(r.gof), language, "GoF", "GoF", GOF_NAMES))
    boot = r.bootstrap
    for _, row in r.inner_model.iterrows():
        key = f"{row['predictor']} → {row['target']}"
        name = f"{n(row['predictor'])} → {n(row['target'])}"
        if boot is not None and key in boot.index:
            b = boot.loc[key]
            sentences.append(interval(b["original"], b["ci_low"], b["ci_high"], r.ci_level, language,
                                      lang(language, f"路径 {name}", f"The path {name}"), "β", "percentile bootstrap", d,
                                      kind="Bootstrap ", subject=name))
        else:
            lead = lang(language, f"路径 {name} 的系数 β = {fmt(float(row['estimate']), d, 0)}，",
                        f"The path {name}, β = {fmt(float(row['estimate']), d, 0)}, ")
            sentences.append(significance(row["p_value"], alpha, language, "", "OLS t test", subject=name, lead=lead))
    return build(r, language, ("PLS 路径模型", "PLS path model"), _pls_guidance(rules, language), sentences)


QUADRANTS = {"concentrate": ("重点改进区（重要性高、表现低）", "concentrate here (high importance, low performance)"),
             "keep_up": ("继续保持区（重要性高、表现高）", "keep up the good work (high importance, high performance)"),
             "low_priority": ("低优先区（重要性低、表现低）", "low priority (low importance, low performance)"),
             "overkill": ("过度投入区（重要性低、表现高）", "possible overkill (low importance, high performance)")}


def quadrant_sentences(table: pd.DataFrame, labels: dict, language: str, source: str) -> list:
    """One sentence per non-empty quadrant (its items by priority, named by ``labels``), then the first priority."""
    out = []
    ordered = table.sort_values("priority")
    for code, (zh, en) in QUADRANTS.items():
        members = [label_of(labels, i, language) for i in ordered.index[ordered["quadrant"] == code]]
        if not members:
            continue
        names = ("、" if language == "zh" else ", ").join(map(str, members))
        out.append(Sentence(text=lang(language, f"{zh}：{names}（{source}）。", f"{en.capitalize()}: {names} ({source})."),
                            verdict="info", criterion="quadrant", citation=source, subject=code))
    if len(ordered):
        first = ordered.index[0]
        out.append(Sentence(text=lang(language, f"最优先改进：{label_of(labels, first, language)}。",
                                      f"First priority: {label_of(labels, first, language)}."),
                            verdict="info", subject=str(first)))
    return out


IPA_METHODS = {"stated": ("自述重要性均值", "stated importance (mean rating)"),
               "derived_pearson": ("与结果变量的 Pearson 相关", "Pearson correlation with the outcome"),
               "derived_spearman": ("与结果变量的 Spearman 相关", "Spearman correlation with the outcome"),
               "drivers": ("驱动因素分析的重要性占比", "the driver analysis' importance shares")}


@interpreter(IPAResult)
def interpret_ipa(r: IPAResult, language: str, rules: RuleSet, labels=None) -> Interpretation:
    src = "Martilla & James, 1977"
    how = IPA_METHODS.get(r.method, (r.method, r.method))
    guidance = [lang(language, f"重要性-表现分析（{src}）：横轴为表现（均值），纵轴为重要性（{how[0]}），以分界线分为四个象限；"
                               "“重点改进区”（重要性高、表现低）的题项最需改进，“过度投入区”可考虑调配资源。",
                     f"Importance-performance analysis ({src}): performance (mean rating) across, importance ({how[1]}) "
                     "up, split into four quadrants; the items to 'concentrate here' (important, performing poorly) need "
                     "action first, 'possible overkill' items may free resources.")]
    sp, si = r.split
    d = rules.decimals
    sentences = [Sentence(text=lang(language, f"{len(r.table)} 个题项，象限分界为表现 = {fmt(sp, 2)}、重要性 = {fmt(si, d)}（{r.split_method}）。",
                                    f"{len(r.table)} items; the quadrants split at performance = {fmt(sp, 2)}, importance "
                                    f"= {fmt(si, d)} ({r.split_method})."))]
    sentences += quadrant_sentences(r.table, labels or {}, language, src)
    title = ("重要性-表现分析（IPA）", "Importance-performance analysis (IPA)")
    return build(r, language, title, guidance, sentences)


@interpreter(IPMAResult)
def interpret_ipma(r: IPMAResult, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """The target's performance, the split and the quadrants; constructs named by ``labels``."""
    labels = labels or {}
    target = label_of(labels, r.target, language)
    src = "Ringle & Sarstedt, 2016"
    guidance = [lang(language, f"IPMA（{src}）：重要性 = 对目标构念“{target}”的非标准化总效应（前因每提高 1 分，目标指数提高的分数），"
                               "表现 = 0-100 的构念指数；重要性高而表现低的构念最值得改进。",
                     f"IPMA ({src}): importance = the unstandardized total effect on the target {target!r} (points of "
                     "its index per point of the predecessor's), performance = the 0-100 index; constructs of high "
                     "importance and low performance are the first to improve.")]
    sp, si = r.split
    d = rules.decimals
    sentences = [Sentence(text=lang(language, f"目标构念“{target}”的表现为 {r.target_performance:.1f}；象限分界为表现 = {sp:.1f}、"
                                              f"重要性 = {fmt(si, d)}，n = {r.n_obs}。",
                                    f"The target {target!r} performs at {r.target_performance:.1f}; the quadrants split "
                                    f"at performance = {sp:.1f}, importance = {fmt(si, d)}, n = {r.n_obs}."),
                          value=float(r.target_performance))]
    sentences += quadrant_sentences(r.table, labels, language, src)
    return build(r, language, (f"重要性-表现图（IPMA）：{target}", f"Importance-performance map (IPMA) of {target}"),
                 guidance, sentences)


@interpreter(SurveyPLS)
def interpret_survey_pls(r: SurveyPLS, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """The PLS model's interpretation with its constructs named by their questionnaire labels."""
    return interpret_pls(r.result, language, rules, labels=in_language({**r.labels, **(labels or {})}, r.language))


@interpreter(SurveyIPMA)
def interpret_survey_ipma(r: SurveyIPMA, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """The map's interpretation with its constructs named by their questionnaire labels."""
    return interpret_ipma(r.result, language, rules, labels=in_language({**r.labels, **(labels or {})}, r.language))


# ---------------------------------------------------------------------------------------------
# moderated mediation


@interpreter(ModeratedMediationResult)
def interpret_moderated_mediation(r: ModeratedMediationResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    src = "Hayes, 2015"
    kind = "BCa Bootstrap " if r.ci == "bca" else "Bootstrap "
    guidance = [lang(language, f"有调节的中介（{src}）：调节变量 {r.w} 改变间接效应时，有调节的中介指数的 {r.ci_level:.0%} Bootstrap "
                               f"置信区间不包含 0；条件间接效应给出 {r.w} 取不同值时的间接效应。",
                     f"Moderated mediation ({src}): when {r.w} changes the indirect effect, the {r.ci_level:.0%} bootstrap "
                     f"interval of the index of moderated mediation excludes 0; conditional indirect effects give the "
                     f"indirect effect at values of {r.w}.")]
    sentences = []
    for _, e in r.effects.iterrows():
        if e["type"] == "index":
            what = lang(language, f"经由 {e['mediator']} 的有调节的中介指数", f"The index of moderated mediation through {e['mediator']}")
            claim = (f"{r.w} 调节了中介效应", f"{r.w} moderates the indirect effect")
        else:
            what = lang(language, f"{r.w} 取 {fmt(float(e['w']), d)} 时经由 {e['mediator']} 的条件间接效应",
                        f"The conditional indirect effect through {e['mediator']} ({r.w} at {fmt(float(e['w']), d)})")
            claim = ("该条件间接效应成立", "the indirect effect is present there")
        sentences.append(interval(e["estimate"], e["ci_low"], e["ci_high"], r.ci_level, language, what, "", src, d,
                                  kind=kind, subject=str(e["effect"]), claim=claim))
    title = (f"有调节的中介：{r.w} 调节 {r.x} → {', '.join(r.mediators)} → {r.y}",
             f"Moderated mediation of {r.x} → {', '.join(r.mediators)} → {r.y} by {r.w}")
    return build(r, language, title, guidance, sentences)
