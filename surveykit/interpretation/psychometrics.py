"""Interpreters of reliability, sampling adequacy, CFA fit and construct validity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..psychometrics.adequacy import BartlettResult, KMOResult
from ..psychometrics.cfa import CFAResult
from ..psychometrics.reliability import ReliabilityResult
from ..psychometrics.survey import ConstructReliability, ConstructValidity
from .interpretation import Interpretation, Sentence, build, interpreter
from .phrases import OPS, cite, fmt, fmt_p, fmt_pair, fmt_threshold, judge, lang, significance, threshold
from .rules import RULES, RuleSet

__all__ = ["each"]

KAISER = (("不可接受", "unacceptable"), ("很差", "miserable"), ("一般", "mediocre"), ("中等", "middling"),
          ("良好", "meritorious"), ("极好", "marvelous"))


def each(rules: RuleSet, name: str, values: pd.Series, language: str, what: tuple, symbol: str) -> list:
    """One rule applied to every value of ``values`` (indexed by subject label).

    When the worst value passes, one sentence on it (so every value passes); otherwise one
    sentence per value that does not pass and one counting those that do. ``what`` is a pair
    of templates (zh, en) with ``{subject}``.
    """
    op = RULES[name][0]
    finite = values[np.isfinite(values.astype(float))]
    if len(finite) == len(values) and len(values):
        worst = finite.idxmin() if op == ">=" else finite.idxmax()
        if judge(finite[worst], op, getattr(rules, name)) == "pass":
            w = lang(language, f"各项中最{'小' if op == '>=' else '大'}的 {symbol}（{worst}）",
                     f"The {'smallest' if op == '>=' else 'largest'} {symbol} (of {worst})")
            s = threshold(rules, name, float(finite[worst]), language, w, symbol, subject=str(worst))
            extra = lang(language, f"全部 {len(values)} 项均达到该标准。", f"all {len(values)} meet it.")
            return [Sentence(text=s.text[:-1] + lang(language, "，", "; ") + extra, verdict=s.verdict,
                             criterion=s.criterion, citation=s.citation, value=s.value, subject=s.subject)]
    out, passed = [], 0
    for subject, v in values.items():
        s = threshold(rules, name, float(v), language, lang(language, *what).format(subject=subject), symbol,
                      subject=str(subject))
        if s.verdict == "pass":
            passed += 1
        else:
            out.append(s)
    if passed:
        out.append(Sentence(text=lang(language, f"其余 {passed} 项的 {symbol} 达到 {out[0].criterion} 的标准。",
                                      f"The other {passed} meet {out[0].criterion}."),
                            verdict="info", criterion=out[0].criterion, citation=out[0].citation))
    return out


# ---------------------------------------------------------------------------------------------
# reliability


def _alpha_guidance(rules: RuleSet, language: str) -> list:
    a, b, c = (fmt_threshold(getattr(rules, k)) for k in ("alpha_min", "alpha_borderline", "citc_min"))
    return [lang(language, f"Cronbach's α 衡量量表的内部一致性：α ≥ {a} 为可接受（{cite(rules.cite('alpha_min'), language)}），"
                           f"{b} ≤ α < {a} 为临界（{cite(rules.cite('alpha_min', borderline=True), language)}），低于 {b} 为不可接受。",
                 f"Cronbach's α measures internal consistency: α ≥ {a} is acceptable ({cite(rules.cite('alpha_min'), language)}), "
                 f"{b} ≤ α < {a} borderline ({cite(rules.cite('alpha_min', borderline=True), language)}), below {b} unacceptable."),
            lang(language, f"校正的项总相关（CITC）应不低于 {c}（{cite(rules.cite('citc_min'), language)}）；删除某题后 α 上升，说明该题与"
                           "其余题项一致性较弱，是否删题还应考虑内容效度。",
                 f"Each item's corrected item-total correlation (CITC) should reach {c} ({cite(rules.cite('citc_min'), language)}); an "
                 "item whose deletion raises α fits the rest less well, but content validity decides whether to drop it.")]


def _reliability_sentences(r: ReliabilityResult, language: str, rules: RuleSet, label: str | None) -> list:
    d = rules.decimals
    of = "" if label is None else lang(language, f"“{label}”的 ", f" of {label!r}")
    what = lang(language, f"{of}Cronbach's α", f"Cronbach's α{of}")
    out = [threshold(rules, "alpha_min", r.alpha, language, what, "α", subject=label)]
    citc = r.items["r_drop"].astype(float)
    out += each(rules, "citc_min", citc, language, ("题项 {subject} 的 CITC", "The CITC of item {subject}"), "CITC")
    better = r.items[r.items["alpha_if_deleted"] > r.alpha]
    for item, row in better.iterrows():
        after, now = fmt_pair(float(row["alpha_if_deleted"]), float(r.alpha), d)
        out.append(Sentence(text=lang(language, f"删除题项 {item} 后 α 将由 {now} 升至 {after}。",
                                      f"Deleting item {item} would raise α from {now} to {after}."),
                            verdict="info", value=float(row["alpha_if_deleted"]), subject=str(item)))
    return out


@interpreter(ReliabilityResult)
def interpret_reliability(r: ReliabilityResult, language: str, rules: RuleSet) -> Interpretation:
    lead = Sentence(text=lang(language, f"信度分析基于 {r.n_obs} 份完整作答、{r.n_items} 个题项。",
                              f"The reliability analysis uses {r.n_obs} complete answers to {r.n_items} items."))
    return build(r, language, ("信度分析", "Reliability"), _alpha_guidance(rules, language),
                 [lead, *_reliability_sentences(r, language, rules, None)])


@interpreter(ConstructReliability)
def interpret_construct_reliability(r: ConstructReliability, language: str, rules: RuleSet) -> Interpretation:
    alphas = pd.Series({r.labels[n]: res.alpha for n, res in r.results.items()}, dtype=float)
    sentences = each(rules, "alpha_min", alphas, language, ("“{subject}”的 Cronbach's α", "Cronbach's α of {subject!r}"),
                     "α")
    for name, res in r.results.items():
        citc = res.items["r_drop"].astype(float)
        low = citc[[judge(v, ">=", rules.citc_min) != "pass" for v in citc]]
        for item, v in low.items():
            sentences.append(threshold(rules, "citc_min", float(v), language,
                                       lang(language, f"“{r.labels[name]}”中题项 {item} 的 CITC",
                                            f"The CITC of item {item} of {r.labels[name]!r}"), "CITC", subject=str(item)))
    return build(r, language, ("构念信度", "Reliability of constructs"), _alpha_guidance(rules, language), sentences)


# ---------------------------------------------------------------------------------------------
# sampling adequacy


@interpreter(KMOResult)
def interpret_kmo(r: KMOResult, language: str, rules: RuleSet) -> Interpretation:
    k, b = fmt_threshold(rules.kmo_min), fmt_threshold(rules.kmo_borderline)
    bands = rules.kmo_bands
    guidance = [lang(language, f"KMO 检验变量间的偏相关是否足够小、适合做因子分析：KMO ≥ {k} 为可接受，{b} ≤ KMO < {k} 为临界"
                               f"（{cite(rules.cite('kmo_min'), language)}）；Kaiser 的分档为 {' / '.join(fmt_threshold(x) for x in bands)}。",
                     f"KMO checks that partial correlations are small enough for factor analysis: KMO ≥ {k} is "
                     f"acceptable, {b} ≤ KMO < {k} borderline ({cite(rules.cite('kmo_min'), language)}); Kaiser's bands are at "
                     f"{' / '.join(fmt_threshold(x) for x in bands)}."),
                lang(language, "单个题项的 MSA 过低时，可考虑删除该题后重新检验。",
                     "An item with a low individual MSA is a candidate for removal before factoring.")]
    sentences = [threshold(rules, "kmo_min", r.overall, language, "KMO", "KMO")]
    if math.isfinite(r.overall):
        i = int(np.searchsorted(np.asarray(bands), r.overall, side="right"))
        lo = "" if i == 0 else f"{fmt_threshold(bands[i - 1])} ≤ "
        hi = "" if i == len(bands) else f" < {fmt_threshold(bands[i])}"
        zh, en = KAISER[i]
        v = fmt(r.overall, rules.decimals, *bands)
        src = rules.cite("kmo_bands")
        sentences.append(Sentence(text=lang(language, f"按 KMO 分档，KMO = {v} 属于“{zh}”（{lo}KMO{hi}，{cite(src, language)}）。",
                                            f"On the KMO bands, KMO = {v} is {en} ({lo}KMO{hi}; {cite(src, language)})."),
                                  verdict="info", criterion=f"{lo}KMO{hi}", citation=src, value=float(r.overall)))
    msa = r.items["msa"].astype(float)
    low = msa[[judge(v, ">=", rules.kmo_min) != "pass" for v in msa]]
    for item, v in low.items():
        sentences.append(threshold(rules, "kmo_min", float(v), language, lang(language, f"题项 {item} 的 MSA",
                                                                            f"The MSA of item {item}"), "MSA",
                                   subject=str(item)))
    return build(r, language, ("KMO 检验", "Kaiser-Meyer-Olkin test"), guidance, sentences)


@interpreter(BartlettResult)
def interpret_bartlett(r: BartlettResult, language: str, rules: RuleSet) -> Interpretation:
    alpha = rules.alpha(None)
    chi = f"χ²({r.df}) = {r.chi2:.2f}"
    s = significance(r.p_value, alpha, language, "", "Bartlett, 1950",
                     lead=lang(language, f"Bartlett 球形检验 {chi}，", f"Bartlett's test of sphericity, {chi}, "))
    follow = {"pass": ("拒绝相关矩阵为单位矩阵的假设，题项间存在共同方差，适合做因子分析。",
                       "The correlation matrix is not an identity matrix: the items share variance to factor."),
              "fail": ("不能拒绝相关矩阵为单位矩阵的假设，不宜做因子分析。",
                       "The correlation matrix cannot be told from an identity matrix: factor analysis is not advised."),
              }.get(s.verdict)
    sentences = [s] + ([Sentence(text=lang(language, *follow), verdict="info")] if follow else [])
    guidance = [lang(language, f"Bartlett 球形检验的原假设是题项互不相关；p < {fmt_threshold(alpha)} 时拒绝原假设，支持做因子分析。",
                     f"Bartlett's test's null hypothesis is that the items are uncorrelated; p < {fmt_threshold(alpha)} "
                     "rejects it and supports factor analysis.")]
    return build(r, language, ("Bartlett 球形检验", "Bartlett's test of sphericity"), guidance, sentences)


# ---------------------------------------------------------------------------------------------
# CFA and construct validity

FIT = (("cfi_min", "cfi", "CFI"), ("tli_min", "tli", "TLI"), ("rmsea_max", "rmsea", "RMSEA"),
       ("srmr_max", "srmr", "SRMR"))


def _fit_guidance(rules: RuleSet, language: str) -> list:
    th = lambda key: fmt_threshold(getattr(rules, key))  # noqa: E731
    src = lambda key, band=False: cite(rules.cite(key, borderline=band), language)  # noqa: E731
    crit = lang(language, "、", ", ").join(f"{sym} {OPS[RULES[k][0]]} {th(k)}" for k, _, sym in FIT)
    bands = (th("cfi_borderline"), th("cfi_min"), th("rmsea_max"), th("rmsea_borderline"),
             src("cfi_min", True), src("rmsea_max", True))
    return [lang(language, f"拟合指标的判断标准：{crit}（{src('cfi_min')}）；CFI/TLI 在 {bands[0]} 与 {bands[1]} 之间、"
                           f"RMSEA 在 {bands[2]} 与 {bands[3]} 之间为临界（{bands[4]}；{bands[5]}）。",
                 f"Fit criteria: {crit} ({src('cfi_min')}); CFI/TLI between {bands[0]} and {bands[1]} and RMSEA "
                 f"between {bands[2]} and {bands[3]} are borderline ({bands[4]}; {bands[5]})."),
            lang(language, f"聚合效度：CR ≥ {th('cr_min')}、AVE ≥ {th('ave_min')}（{src('ave_min')}）；区分效度："
                           f"√AVE 大于与其他构念的相关（Fornell & Larcker, 1981），HTMT < {th('htmt_max')}"
                           f"（{src('htmt_max')}）。",
                 f"Convergent validity: CR ≥ {th('cr_min')} and AVE ≥ {th('ave_min')} ({src('ave_min')}); "
                 "discriminant validity: √AVE above the correlations with the other constructs (Fornell & Larcker, "
                 f"1981) and HTMT < {th('htmt_max')} ({src('htmt_max')}).")]


def _fit_sentences(c: CFAResult, language: str, rules: RuleSet) -> list:
    f = c.fit
    ratio = f["chi2"] / f["df"] if f["df"] else math.nan
    p = fmt_p(f["p_value"], rules.alpha(None))
    out = [Sentence(text=lang(language, f"模型 χ²({f['df']}) = {f['chi2']:.2f}，{p}，χ²/df = {fmt(ratio, 2)}，n = {c.n_obs}。",
                              f"The model has χ²({f['df']}) = {f['chi2']:.2f}, {p}, χ²/df = {fmt(ratio, 2)}, "
                              f"n = {c.n_obs}."))]
    if not c.converged:
        out.append(Sentence(text=lang(language, "注意：模型估计未收敛，以下指标不可靠。",
                                      "Note: the estimation did not converge; the measures below are unreliable.")))
    fits = [threshold(rules, k, float(f[key]), language, sym, sym) for k, key, sym in FIT]
    counts = [sum(s.verdict == v for s in fits) for v in ("pass", "borderline", "fail")]
    out += fits
    out.append(Sentence(text=lang(language, f"{len(fits)} 项拟合指标中，{counts[0]} 项达到标准，{counts[1]} 项处于临界范围，"
                                            f"{counts[2]} 项未达到标准。",
                                  f"Of {len(fits)} fit measures, {counts[0]} meet their criterion, {counts[1]} are "
                                  f"borderline and {counts[2]} do not meet it.")))
    return out


def _validity_sentences(c: CFAResult, labels: dict, language: str, rules: RuleSet) -> list:
    v = c.validity.rename(index=labels)
    out = each(rules, "cr_min", v["cr"].astype(float), language, ("“{subject}”的 CR", "The CR of {subject!r}"), "CR")
    out += each(rules, "ave_min", v["ave"].astype(float), language, ("“{subject}”的 AVE", "The AVE of {subject!r}"),
                "AVE")
    if len(c.model) < 2:
        return out
    phi = c.phi.abs().to_numpy(dtype=float).copy()
    np.fill_diagonal(phi, np.nan)
    src = "Fornell & Larcker, 1981"  # the criterion compares two numbers of the result: no threshold
    fails = []
    for k, name in enumerate(c.phi.index):
        r_max, other = np.nanmax(phi[k]), c.phi.columns[int(np.nanargmax(phi[k]))]
        root = float(c.validity.loc[name, "sqrt_ave"])
        ok = root > r_max
        a, b = fmt_pair(root, float(r_max), rules.decimals)
        label, olabel = labels.get(name, name), labels.get(other, other)
        fails.append((ok, Sentence(
            text=lang(language, f"“{label}”的 √AVE = {a}，{'大于' if ok else '不大于'}其与“{olabel}”的相关 |r| = {b}，"
                                f"{'满足' if ok else '不满足'} Fornell-Larcker 准则（{src}）。",
                      f"The √AVE of {label!r} = {a} is {'' if ok else 'not '}above its correlation with {olabel!r}, "
                      f"|r| = {b}: the Fornell-Larcker criterion is {'' if ok else 'not '}met ({src})."),
            verdict="pass" if ok else "fail", criterion="√AVE > max |r|", citation=src, value=root, subject=label)))
    bad = [s for ok, s in fails if not ok]
    if bad:
        out += bad
    else:
        margins = [float(c.validity.loc[n, "sqrt_ave"]) - np.nanmax(phi[k]) for k, n in enumerate(c.phi.index)]
        out.append(fails[int(np.argmin(margins))][1])
        out.append(Sentence(text=lang(language, f"全部 {len(fails)} 个构念均满足 Fornell-Larcker 准则（上句为差距最小者）。",
                                      f"All {len(fails)} constructs meet the Fornell-Larcker criterion (the closest "
                                      "case is above)."), verdict="info", criterion="√AVE > max |r|", citation=src))
    names = list(c.htmt.index)
    pairs = pd.Series({f"{labels.get(a, a)} – {labels.get(b, b)}": float(c.htmt.loc[a, b])
                       for i, a in enumerate(names) for b in names[i + 1:]}, dtype=float)
    out += each(rules, "htmt_max", pairs, language, ("{subject} 的 HTMT", "The HTMT of {subject}"), "HTMT")
    return out


@interpreter(CFAResult)
def interpret_cfa(c: CFAResult, language: str, rules: RuleSet) -> Interpretation:
    labels = {f: f for f in c.model}
    return build(c, language, ("验证性因子分析", "Confirmatory factor analysis"), _fit_guidance(rules, language),
                 _fit_sentences(c, language, rules) + _validity_sentences(c, labels, language, rules))


@interpreter(ConstructValidity)
def interpret_validity(v: ConstructValidity, language: str, rules: RuleSet) -> Interpretation:
    alphas = pd.Series({v.labels[n]: r.alpha for n, r in v.reliability.items()}, dtype=float)
    sentences = _fit_sentences(v.cfa, language, rules)
    sentences += each(rules, "alpha_min", alphas, language, ("“{subject}”的 Cronbach's α", "Cronbach's α of {subject!r}"),
                      "α")
    sentences += _validity_sentences(v.cfa, v.labels, language, rules)
    return build(v, language, ("信度与效度", "Reliability and validity"),
                 _alpha_guidance(rules, language)[:1] + _fit_guidance(rules, language), sentences)
