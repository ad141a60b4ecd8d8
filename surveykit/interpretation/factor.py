"""Interpreters of the exploratory battery: EFA loadings, parallel analysis and Harman's test."""

from __future__ import annotations

import math

import pandas as pd

from ..psychometrics.efa import EFAResult
from ..psychometrics.harman import HarmanResult
from ..psychometrics.parallel import ParallelAnalysisResult
from .interpretation import Interpretation, Sentence, build, interpreter
from .phrases import cite, fmt, fmt_pair, fmt_threshold, judge, lang, threshold
from .psychometrics import each
from .rules import RuleSet

__all__ = ["interpret_efa", "interpret_harman", "interpret_parallel"]


def _salient(loadings: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """True where ``|loading|`` meets ``loading_min`` (decided as the sentences decide it)."""
    return loadings.abs().apply(lambda col: col.map(lambda v: judge(float(v), ">=", rules.loading_min) == "pass"))


@interpreter(EFAResult)
def interpret_efa(r: EFAResult, language: str, rules: RuleSet) -> Interpretation:
    t = fmt_threshold(rules.loading_min)
    src = cite(rules.cite("loading_min"), language)
    guidance = [lang(language, f"探索性因子分析（{r.method}，{r.rotation or '不旋转'}）：载荷绝对值 |λ| ≥ {t} 视为显著（{src}）；每个"
                               "题项应只在一个因子上有显著载荷，没有显著载荷或在多个因子上有显著载荷（交叉载荷）的题项可考虑删除，"
                               "删题还应兼顾内容效度。",
                     f"Exploratory factor analysis ({r.method}, {r.rotation or 'unrotated'}): a loading with |λ| ≥ {t} "
                     f"is salient ({src}); each item should load saliently on one factor only. An item salient on none "
                     "or on several (a cross-loading) is a candidate for removal, weighed against content validity.")]
    cum = float(r.variance["cumulative"].iloc[-1]) if len(r.variance) else math.nan
    sentences = [Sentence(text=lang(language, f"EFA 提取 {r.n_factors} 个因子，累计解释 {cum:.1%} 的方差，n = {r.n_obs}。",
                                    f"The EFA extracts {r.n_factors} factors explaining {cum:.1%} of the variance, "
                                    f"n = {r.n_obs}."), value=cum)]
    if not r.converged:
        sentences.append(Sentence(text=lang(language, "注意：因子提取未收敛，载荷不可靠。",
                                            "Note: the extraction did not converge; the loadings are unreliable.")))
    top = r.loadings.abs().max(axis=1).astype(float)
    sentences += each(rules, "loading_min", top, language, ("题项 {subject} 的最大载荷 |λ|", "The largest |λ| of item {subject}"),
                      "|λ|")
    salient = _salient(r.loadings, rules)
    for item, row in salient.iterrows():
        factors = [f for f in row.index if row[f]]
        if len(factors) < 2:
            continue
        values = ", ".join(f"{f} {fmt(float(r.loadings.loc[item, f]), rules.decimals, rules.loading_min, -rules.loading_min)}"
                           for f in factors)
        second = float(r.loadings.loc[item, factors].abs().sort_values().iloc[-2])
        sentences.append(Sentence(
            text=lang(language, f"题项 {item} 在 {len(factors)} 个因子上载荷显著（{values}；|λ| ≥ {t}，{src}），存在交叉载荷。",
                      f"Item {item} loads saliently on {len(factors)} factors ({values}; |λ| ≥ {t}, {src}): a "
                      "cross-loading."),
            verdict="fail", criterion=f"|λ| ≥ {t} on one factor only", citation=rules.cite("loading_min"),
            value=second, subject=str(item)))
    return build(r, language, ("探索性因子分析", "Exploratory factor analysis"), guidance, sentences)


@interpreter(ParallelAnalysisResult)
def interpret_parallel(r: ParallelAnalysisResult, language: str, rules: RuleSet) -> Interpretation:
    src = "Horn, 1965"
    what = {"95th percentile": ("第 95 百分位数", "95th percentile"), "mean": ("均值", "mean")}.get(r.threshold,
                                                                                               (r.threshold, r.threshold))
    guidance = [lang(language, f"平行分析（{src}）把实际数据的特征值与同样大小的随机数据的特征值（{what[0]}）比较：实际特征值大于随机特征值的"
                               "前若干个因子值得保留；它比“特征值大于 1”的规则更少高估因子数。",
                     f"Parallel analysis ({src}) compares the observed eigenvalues with those of random data of the same "
                     f"size ({what[1]}): the leading factors whose observed eigenvalue is above the random one are worth "
                     "keeping; it overestimates the number of factors less than the eigenvalue-above-1 rule.")]
    sentences = [Sentence(text=lang(language, f"基于 {r.n_iter} 组模拟数据，平行分析建议保留 {r.n_factors} 个因子（主成分 {r.n_components} 个），"
                                              f"n = {r.n_obs}（{src}）。",
                                    f"On {r.n_iter} simulated data sets, parallel analysis suggests {r.n_factors} factors "
                                    f"({r.n_components} components), n = {r.n_obs} ({src})."),
                          criterion="observed > simulated", citation=src, value=float(r.n_factors))]
    ev = r.eigenvalues
    for k, (obs, sim) in enumerate(zip(ev["observed_fa"], ev["simulated_fa"]), start=1):
        if k not in (r.n_factors, r.n_factors + 1) or not (math.isfinite(obs) and math.isfinite(sim)):
            continue
        a, b = fmt_pair(float(obs), float(sim), rules.decimals)
        above = obs > sim
        sentences.append(Sentence(
            text=lang(language, f"第 {k} 个因子的实际特征值 {a} {'大于' if above else '不大于'}随机数据的 {b}。",
                      f"Factor {k}'s observed eigenvalue, {a}, is {'above' if above else 'not above'} the random "
                      f"data's {b}."),
            verdict="pass" if above else "fail", criterion="observed > simulated", citation=src, value=float(obs),
            subject=f"F{k}"))
    return build(r, language, ("平行分析", "Parallel analysis"), guidance, sentences)


@interpreter(HarmanResult)
def interpret_harman(r: HarmanResult, language: str, rules: RuleSet) -> Interpretation:
    t = fmt_threshold(rules.harman_max)
    src = cite(rules.cite("harman_max"), language)
    guidance = [lang(language, f"Harman 单因子检验：把全部题项放进一个未旋转的因子，若它解释的方差超过 {t}（{src}），提示存在严重的共同方法偏差。"
                               "该检验较不灵敏：未超过并不能证明没有共同方法偏差。",
                     f"Harman's single-factor test puts every item on one unrotated factor; if it explains more than {t} "
                     f"of the variance ({src}), common-method variance is a serious concern. The test is insensitive: "
                     "staying below does not prove its absence.")]
    s = threshold(rules, "harman_max", r.variance_share, language,
                  lang(language, f"单个未旋转因子（{r.method}）解释的方差比例 s₁", f"The share of variance of one unrotated "
                                                                          f"factor ({r.method}), s₁"), "s₁")
    follow = {"pass": ("未发现单一因子主导，按此检验共同方法偏差不严重。",
                       "No single factor dominates: by this test common-method variance is not a serious concern."),
              "fail": ("单一因子主导了题项的方差，提示存在共同方法偏差。",
                       "One factor dominates the items' variance: a sign of common-method variance.")}.get(s.verdict)
    sentences = [Sentence(text=lang(language, f"{r.n_items} 个题项中有 {r.n_eigen_above_1} 个主成分的特征值大于 1，n = {r.n_obs}。",
                                    f"Of {r.n_items} items, {r.n_eigen_above_1} components have eigenvalues above 1, "
                                    f"n = {r.n_obs}."), value=float(r.n_eigen_above_1)), s]
    if follow:
        sentences.append(Sentence(text=lang(language, *follow), verdict=s.verdict, criterion=s.criterion,
                                  citation=s.citation))
    return build(r, language, ("Harman 单因子检验", "Harman's single-factor test"), guidance, sentences)
