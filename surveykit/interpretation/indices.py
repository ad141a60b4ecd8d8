"""Interpreters of the Net Promoter Score and of key-driver models."""

from __future__ import annotations

import math

import numpy as np

from ..indices.banner import BannerResult
from ..indices.drivers import DriversResult
from ..indices.nps import NPSResult
from ..indices.survey import SurveyDrivers
from .interpretation import Interpretation, Sentence, build, interpreter
from .phrases import fmt, fmt_p, fmt_threshold, lang, significance
from .rules import RuleSet

NPS_BANDS = (("负值（贬损者多于推荐者）", "negative (more detractors than promoters)"), ("正值", "positive"),
             ("良好", "good"), ("优秀", "excellent"))
BANDS_NOTE = ("分档为业界惯例，并非统计标准", "the bands are a practitioners' convention, not a statistical criterion")


@interpreter(NPSResult)
def interpret_nps(r: NPSResult, language: str, rules: RuleSet) -> Interpretation:
    d = max(rules.decimals - 2, 0)
    bands = rules.nps_bands
    src = rules.cite("nps_bands")
    cuts = " / ".join(fmt_threshold(b) if b % 1 else f"{b:.0f}" for b in bands)
    guidance = [lang(language, f"NPS = 推荐者（9-10 分）比例 − 贬损者（0-6 分）比例，取值 −100 到 100（{src}）。",
                     f"NPS = share of promoters (9-10) − share of detractors (0-6), from −100 to 100 ({src})."),
                lang(language, f"常用分档的分界点为 {cuts}；{BANDS_NOTE[0]}。置信区间不包含 0 时，NPS 显著不为 0。",
                     f"Common bands split at {cuts}; {BANDS_NOTE[1]}. An interval that excludes 0 means the NPS "
                     "differs significantly from 0.")]
    name = "" if r.name is None else lang(language, f"（{r.name}）", f" ({r.name})")
    score = fmt(r.score, d, 0, *bands)
    sentences = [Sentence(text=lang(language, f"NPS{name} = {score}，推荐者 {r.promoters:.1%}，中立者 {r.passives:.1%}，"
                                              f"贬损者 {r.detractors:.1%}，n = {r.n_obs}（{src}）。",
                                    f"NPS{name} = {score}: {r.promoters:.1%} promoters, {r.passives:.1%} passives, "
                                    f"{r.detractors:.1%} detractors, n = {r.n_obs} ({src})."),
                          value=float(r.score), citation=src)]
    if math.isfinite(r.score):
        i = int(np.searchsorted(np.asarray(bands), r.score, side="right"))
        lo = "" if i == 0 else f"{bands[i - 1]:g} ≤ "
        hi = "" if i == len(bands) else f" < {bands[i]:g}"
        zh, en = NPS_BANDS[i]
        sentences.append(Sentence(text=lang(language, f"NPS 落在“{zh}”档（{lo}NPS{hi}；{BANDS_NOTE[0]}）。",
                                            f"The NPS is in the {en} band ({lo}NPS{hi}; {BANDS_NOTE[1]})."),
                                  verdict="info", criterion=f"{lo}NPS{hi}", citation=src, value=float(r.score)))
    lo, hi = fmt(r.ci_low, d, 0), fmt(r.ci_high, d, 0)
    if math.isfinite(r.ci_low) and math.isfinite(r.ci_high):
        excludes = r.ci_low > 0 or r.ci_high < 0
        sign = lang(language, "高于" if r.ci_low > 0 else "低于", "above" if r.ci_low > 0 else "below")
        pct, a = f"{r.ci_level:.0%}", fmt_threshold(round(1 - r.ci_level, 12))
        text = (lang(language, f"其 {pct} 置信区间 [{lo}, {hi}] 不包含 0，NPS 显著{sign} 0（α = {a}）。",
                     f"Its {pct} interval [{lo}, {hi}] excludes 0: the NPS is significantly {sign} 0 "
                     f"(α = {a}).") if excludes else
                lang(language, f"其 {pct} 置信区间 [{lo}, {hi}] 包含 0，NPS 与 0 无显著差异（α = {a}）。",
                     f"Its {pct} interval [{lo}, {hi}] includes 0: the NPS does not differ significantly from 0 "
                     f"(α = {a})."))
        sentences.append(Sentence(text=text, verdict="pass" if excludes else "fail", criterion="0 ∉ CI",
                                  value=float(r.score)))
    return build(r, language, ("净推荐值（NPS）", "Net Promoter Score"), guidance, sentences)


@interpreter(DriversResult)
def interpret_drivers(r: DriversResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    alpha = rules.alpha(r.ci_level)
    a = fmt_threshold(alpha)
    guidance = [lang(language, f"系数的 p < {a} 表示该驱动因素对“{r.outcome}”的影响显著；重要性（%）用于排序，合计 100%。",
                     f"A coefficient with p < {a} is a significant driver of {r.outcome!r}; importance (%) ranks the "
                     "drivers and sums to 100."),
                lang(language, "相对权重（Johnson, 2000）把 R² 分给各驱动因素，驱动因素相关时比标准化系数更稳健。",
                     "Relative weights (Johnson, 2000) split R² among the drivers and are more robust than standardized "
                     "betas when drivers correlate.")]
    fit = {"ordered_logit": lang(language, "McFadden 伪 R²", "McFadden's pseudo R²")}.get(r.method, "R²")
    sentences = [Sentence(text=lang(language, f"模型 {fit} = {fmt(r.r_squared, d)}，n = {r.n_obs}。",
                                    f"The model's {fit} = {fmt(r.r_squared, d)}, n = {r.n_obs}."),
                          value=float(r.r_squared))]
    if r.method == "relative_weights":
        source = "Johnson, 2000"
    else:
        source = {"ols": f"{r.cov_type} t test", "ordered_logit": "Wald test"}[r.method]
        for driver, row in r.coefficients.iterrows():
            b = fmt(row["estimate"], d, 0)
            lead = lang(language, f"“{driver}”的系数 b = {b}，", f"The coefficient of {driver!r}, b = {b}, ")
            sentences.append(significance(row["p_value"], alpha, language, "", source, subject=str(driver), lead=lead))
    ranked = r.importance.dropna().sort_values(ascending=False)
    if len(ranked):
        order = " > ".join(f"{k}（{v:.1f}%）" if language == "zh" else f"{k} ({v:.1f}%)" for k, v in ranked.items())
        basis = {"relative_weights": ("相对权重占 R² 的比例", "relative weights as shares of R²"),
                 "ols": ("标准化系数绝对值的占比", "shares of |standardized beta|"),
                 "ordered_logit": ("|b × sd(x)| 的占比", "shares of |b × sd(x)|")}[r.method]
        sentences.append(Sentence(text=lang(language, f"按重要性（{basis[0]}）排序：{order}。",
                                            f"By importance ({basis[1]}): {order}."),
                                  citation="Johnson, 2000" if r.method == "relative_weights" else None))
    return build(r, language, (f"关键驱动因素：{r.outcome}", f"Key drivers of {r.outcome}"), guidance, sentences)


@interpreter(SurveyDrivers)
def interpret_survey_drivers(r: SurveyDrivers, language: str, rules: RuleSet) -> Interpretation:
    """The OLS model's tests, then the relative weights' ranking (the importance the report's IPA uses)."""
    ols = interpret_drivers(r.ols, language, rules)
    weights = interpret_drivers(r.relative_weights, language, rules)
    return build(r, language, (f"关键驱动因素：{r.outcome}", f"Key drivers of {r.outcome}"), list(ols.guidance),
                 [*ols.sentences[:-1], weights.sentences[-1]])


TESTS = {"welch_anova": ("Welch 方差分析", "Welch's ANOVA"), "anova": ("方差分析", "ANOVA"),
         "chi_square": ("卡方检验", "chi-square test")}


@interpreter(BannerResult)
def interpret_banner(r: BannerResult, language: str, rules: RuleSet) -> Interpretation:
    """Each variable's overall test across the segment's columns, then the pairs that differ (adjusted p)."""
    alpha = r.alpha if rules.significance is None else rules.significance
    a = fmt_threshold(alpha)
    corr = r.correction or lang(language, "未校正", "none")
    guidance = [lang(language, f"先看各变量在“{r.segment}”各组间的总体检验（均值：Welch 方差分析；比例：卡方检验），p < {a} 表示各组有差异；"
                               f"再看两两比较（{corr} 校正后的 p < {a}）：表中字母标出该列显著高于的列。",
                     f"Read each variable's overall test across the groups of {r.segment!r} first (means: Welch's ANOVA; "
                     f"shares: chi-square test); p < {a} means the groups differ. Then the pairwise comparisons "
                     f"({corr}-adjusted p < {a}): the letters in a cell name the columns it is significantly above.")]
    sentences = []
    for variable in dict.fromkeys(r.tests.index.get_level_values(0)):
        tests = r.tests.loc[variable]
        name = next((t for t in ("welch_anova", "chi_square", "anova") if t in tests.index), None)
        if name is None:
            continue
        row = tests.loc[name]
        test = lang(language, *TESTS[name])
        lead = lang(language, f"“{variable}”在各组间的差异", f"The difference in {variable!r} across the groups ")
        sentences.append(significance(float(row["p_value"]), alpha, language, "", test, subject=str(variable), lead=lead))
        pairs = r.pairwise[(r.pairwise["variable"] == variable) & (r.pairwise["p_adjusted"] < alpha)]
        for _, p in pairs.iterrows():
            hi, lo = (p["column"], p["other"]) if p["difference"] > 0 else (p["other"], p["column"])
            what = "" if p["row"] == "mean" else lang(language, f"选择“{p['row']}”的比例", f" the share choosing {p['row']!r}")
            sentences.append(Sentence(
                text=lang(language, f"“{hi}”的{what or '均值'}显著高于“{lo}”（差值 {fmt(abs(p['difference']), 2)}，{corr} 校正 "
                                    f"{fmt_p(float(p['p_adjusted']), alpha)}）。",
                          f"{hi!r} is significantly above {lo!r} on{what or ' the mean'} (difference "
                          f"{fmt(abs(p['difference']), 2)}, {corr}-adjusted {fmt_p(float(p['p_adjusted']), alpha)})."),
                verdict="pass", criterion=f"p < {a}", citation=test, value=float(p["p_adjusted"]),
                subject=f"{variable}: {hi} > {lo}"))
    return build(r, language, (f"分组比较：{r.segment}", f"Comparison across {r.segment}"), guidance, sentences)
