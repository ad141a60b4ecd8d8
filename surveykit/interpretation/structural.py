"""Interpreters of mediation (bootstrap intervals of indirect effects) and moderation models."""

from __future__ import annotations

import math

from ..structural.mediation import MediationResult
from ..structural.moderation import ModerationResult
from .interpretation import Interpretation, Sentence, build, interpreter
from .phrases import fmt, fmt_threshold, interval, lang, significance
from .rules import RuleSet

MEDIATION_SOURCE = "温忠麟 & 叶宝娟, 2014; Preacher & Hayes, 2008"
# kind -> ((zh name, zh reason), (en name, en reason)), 温忠麟 & 叶宝娟 (2014)
TYPES = {"full": (("完全中介", "间接效应显著，直接效应不显著"),
                  ("full mediation", "the indirect effect is significant, the direct effect is not")),
         "partial": (("部分中介", "间接效应与直接效应均显著且同号"),
                     ("partial mediation", "the indirect and direct effects are both significant, with the same sign")),
         "suppression": (("遮掩效应", "间接效应与直接效应均显著但符号相反"),
                         ("suppression", "the indirect and direct effects are both significant, with opposite signs")),
         "direct_only": (("无中介效应", "间接效应不显著，仅直接效应显著"),
                         ("no mediation", "only the direct effect is significant")),
         "none": (("无中介效应", "间接效应与直接效应均不显著"),
                  ("no mediation", "neither the indirect nor the direct effect is significant"))}
AT_ZH = {"mean - 1 SD": "均值 − 1 个标准差", "mean": "均值", "mean + 1 SD": "均值 + 1 个标准差"}


def mediation_type(indirect_excludes_zero: bool, direct_significant: bool, same_sign: bool) -> str:
    """The kind of mediation by the steps of 温忠麟 & 叶宝娟 (2014)."""
    if indirect_excludes_zero:
        if not direct_significant:
            return "full"
        return "partial" if same_sign else "suppression"
    return "direct_only" if direct_significant else "none"


@interpreter(MediationResult)
def interpret_mediation(r: MediationResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    alpha = rules.alpha(r.ci_level)
    kind = ("BCa Bootstrap " if r.ci == "bca" else "Bootstrap ")
    guidance = [lang(language, f"间接效应用 Bootstrap 法检验（{r.n_boot} 次重抽样）：{r.ci_level:.0%} 置信区间不包含 0 时中介效应成立"
                               f"（{MEDIATION_SOURCE.replace('; ', '；')}）。",
                     f"Indirect effects are tested by the bootstrap ({r.n_boot} resamples): a {r.ci_level:.0%} interval "
                     f"that excludes 0 supports mediation ({MEDIATION_SOURCE})."),
                lang(language, "再看直接效应 c'：不显著为完全中介，显著且与间接效应同号为部分中介，异号为遮掩效应（温忠麟 & 叶宝娟, 2014）。",
                     "Then the direct effect c': not significant means full mediation, significant with the indirect "
                     "effect's sign partial mediation, with the opposite sign suppression (温忠麟 & 叶宝娟, 2014).")]
    effects = r.effects
    rows = effects[effects["type"].isin(["indirect", "total_indirect"])]
    sentences = []
    for _, e in rows.iterrows():
        total = e["type"] == "total_indirect"
        what = (lang(language, "总间接效应", "The total indirect effect") if total else
                lang(language, "间接效应", "The indirect effect") if r.kind == "simple" else
                lang(language, f"间接效应 {e['effect']}", f"The indirect effect {e['effect']}"))
        symbol = "a×b" if r.kind == "simple" and not total else ""
        sentences.append(interval(e["estimate"], e["ci_low"], e["ci_high"], r.ci_level, language, what, symbol,
                                  MEDIATION_SOURCE, d, kind=kind, subject=str(e["effect"]),
                                  claim=("中介效应成立", "mediation is supported")))
    direct = effects[effects["type"] == "direct"].iloc[0]
    sentences.append(significance(direct["p_value"], alpha, language, "", "Hayes, 2018", subject="direct",
                                  lead=lang(language, f"直接效应 c' = {fmt(direct['estimate'], d, 0)}，",
                                            f"The direct effect c' = {fmt(direct['estimate'], d, 0)} ")))
    main = (rows[rows["type"] == "total_indirect"] if (rows["type"] == "total_indirect").any() else rows).iloc[0]
    if all(math.isfinite(v) for v in (main["ci_low"], main["ci_high"], direct["p_value"])):
        excludes = main["ci_low"] > 0 or main["ci_high"] < 0
        kind_ = mediation_type(excludes, direct["p_value"] < alpha, main["estimate"] * direct["estimate"] > 0)
        (zh, zh_why), (en, en_why) = TYPES[kind_]
        share = ""
        if kind_ == "partial" and math.isfinite(r.share_mediated):
            share = lang(language, f"，间接效应占总效应的 {r.share_mediated:.1%}",
                         f"; the indirect effect is {r.share_mediated:.1%} of the total effect")
        sentences.append(Sentence(text=lang(language, f"结论为{zh}（{zh_why}，温忠麟 & 叶宝娟, 2014）{share}。",
                                            f"In sum, {en}: {en_why} (温忠麟 & 叶宝娟, 2014){share}."),
                                  verdict="info", criterion="0 ∉ CI(ab); p(c') < α", citation="温忠麟 & 叶宝娟, 2014",
                                  subject=kind_))
    title = (f"中介效应：{r.x} → {', '.join(r.mediators)} → {r.y}", f"Mediation: {r.x} → {', '.join(r.mediators)} → {r.y}")
    return build(r, language, title, guidance, sentences)


@interpreter(ModerationResult)
def interpret_moderation(r: ModerationResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    alpha = rules.alpha(r.ci_level)
    a = fmt_threshold(alpha)
    guidance = [lang(language, f"交互项 {r.x}×{r.w} 显著（p < {a}）时调节效应成立；简单斜率给出 {r.w} 取均值 ±1 个标准差时 {r.x} "
                               f"的效应（Aiken & West, 1991），Johnson-Neyman 法给出斜率显著的 {r.w} 取值范围（Johnson & Neyman, 1936）。",
                     f"Moderation holds when the interaction {r.x}×{r.w} is significant (p < {a}); simple slopes give "
                     f"{r.x}'s effect at {r.w}'s mean ± 1 SD (Aiken & West, 1991), the Johnson-Neyman bounds the values "
                     f"of {r.w} where that slope is significant (Johnson & Neyman, 1936).")]
    inter = r.coefficients.iloc[3]
    b = fmt(inter["estimate"], d, 0)
    s = significance(inter["p_value"], alpha, language, "", "Hayes, 2018", subject=str(r.coefficients.index[3]),
                     lead=lang(language, f"交互项 {r.x}×{r.w} 的系数 b = {b}，ΔR² = {fmt(r.r_squared_change, d + 1)}，",
                               f"The interaction {r.x}×{r.w}, b = {b}, ΔR² = {fmt(r.r_squared_change, d + 1)}, "))
    verdict = {"pass": ("调节效应成立。", "Moderation is supported."),
               "fail": ("调节效应不成立。", "There is no evidence of moderation.")}.get(s.verdict)
    sentences = [s] + ([Sentence(text=lang(language, *verdict), verdict=s.verdict, criterion=s.criterion,
                                 citation="Hayes, 2018")] if verdict else [])
    for at, row in r.simple_slopes.iterrows():
        where = AT_ZH.get(at, at) if language == "zh" else at
        lead = lang(language, f"当 {r.w} 为 {where}（{r.w} = {fmt(row['w'], d)}）时，{r.x} 的简单斜率 b = {fmt(row['estimate'], d, 0)}，",
                    f"At {r.w} = {at} ({fmt(row['w'], d)}), the simple slope of {r.x}, b = {fmt(row['estimate'], d, 0)}, ")
        sentences.append(significance(row["p_value"], alpha, language, "", "Aiken & West, 1991", subject=str(at),
                                      lead=lead))
    lo, hi = r.w_range
    inside = r.simple_slopes[(r.simple_slopes["w"] >= lo) & (r.simple_slopes["w"] <= hi)]
    jn = "Johnson & Neyman, 1936"
    if r.jn_in_range:
        bounds = ", ".join(f"{x:.4g}" for x in r.jn_in_range)
        text = lang(language, f"Johnson-Neyman 法：在 {r.w} 的观测范围 [{lo:.4g}, {hi:.4g}] 内，{r.x} 的斜率在 {r.w} = {bounds} 处"
                              f"改变显著性（α = {a}，{jn}）。",
                    f"Johnson-Neyman (α = {a}; {jn}): {r.jn_region}")
    elif len(inside):
        sig = bool(inside["p_value"].iloc[0] < alpha)
        text = lang(language, f"Johnson-Neyman 法：在 {r.w} 的观测范围 [{lo:.4g}, {hi:.4g}] 内没有临界点，{r.x} 的斜率处处"
                              f"{'显著' if sig else '不显著'}（α = {a}，{jn}）。",
                    f"Johnson-Neyman (α = {a}; {jn}): {r.jn_region}")
    else:
        text = lang(language, f"Johnson-Neyman 法：在 {r.w} 的观测范围 [{lo:.4g}, {hi:.4g}] 内没有临界点（{jn}）。",
                    f"Johnson-Neyman (α = {a}; {jn}): {r.jn_region}")
    sentences.append(Sentence(text=text, verdict="info", criterion=f"p = {a}", citation=jn))
    return build(r, language, (f"调节效应：{r.w} 调节 {r.x} → {r.y}", f"Moderation of {r.x} → {r.y} by {r.w}"),
                 guidance, sentences)
