"""Interpreter of the KANO analysis: each attribute's category, Better / Worse and Fong's test."""

from __future__ import annotations

import math

from ..satisfaction.kano import CATEGORY_NAMES, KanoResult
from .interpretation import Interpretation, Sentence, build, interpreter
from .phrases import fmt, fmt_pair, lang
from .rules import RuleSet


def _name(category: str, language: str) -> str:
    """'魅力属性（A）' / 'Attractive (A)'; tied categories joined."""
    k = 0 if language == "zh" else 1
    names = [f"{CATEGORY_NAMES[c][k]}（{c}）" if k == 0 else f"{CATEGORY_NAMES[c][k]} ({c})" for c in category.split("/")]
    return lang(language, "与".join(names), " / ".join(names))


@interpreter(KanoResult)
def interpret_kano(r: KanoResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    guidance = [lang(language, "每个属性按 Berger et al.（1993）评价表把功能/非功能问题的回答对归为 A 魅力、O 期望、M 必备、I 无差异、"
                               "R 反向、Q 可疑，取比例最高者为其类别（最大值法）；Better =（A+O）/（A+O+M+I）越大，提供该属性越能提升满意，"
                               "Worse = −（O+M）/（A+O+M+I）绝对值越大，缺少该属性越引起不满。",
                     "Each answer pair maps to A attractive, O one-dimensional, M must-be, I indifferent, R reverse or Q "
                     "questionable by Berger et al.'s (1993) table; an attribute's category is the most frequent (maximum "
                     "rule). A larger Better = (A+O)/(A+O+M+I) means offering it raises satisfaction more; a larger |Worse| "
                     "= (O+M)/(A+O+M+I) means lacking it causes more dissatisfaction."),
                lang(language, "Fong（1996）检验最高两类的差异：差值不小于临界值时类别明确，否则应视为两类之间、结论不确定。",
                     "Fong's (1996) test compares the two most frequent categories: when the difference is below the "
                     "critical value the category is not clear-cut.")]
    sentences = []
    for attr, row in r.table.iterrows():
        if not row["category"] or not math.isfinite(row["better"]):
            sentences.append(Sentence(text=lang(language, f"“{attr}”没有 A/O/M/I 回答，无法归类（Berger et al., 1993）。",
                                                f"{attr!r} has no A/O/M/I answer and cannot be classified "
                                                "(Berger et al., 1993)."),
                                      verdict="not_available", criterion="maximum rule", citation="Berger et al., 1993",
                                      subject=str(attr)))
            continue
        share = row[f"share_{row['category'].split('/')[0].lower()}"]
        tie = lang(language, "（并列最高）", " (tied)") if row["tied"] else ""
        sentences.append(Sentence(
            text=lang(language, f"“{attr}”归为{_name(row['category'], language)}{tie}，占 {share:.1%}；Better = "
                                f"{fmt(row['better'], d)}，Worse = {fmt(row['worse'], d)}（Berger et al., 1993）。",
                      f"{attr!r} is {_name(row['category'], language)}{tie}, {share:.1%} of answers; Better = "
                      f"{fmt(row['better'], d)}, Worse = {fmt(row['worse'], d)} (Berger et al., 1993)."),
            verdict="info", criterion="maximum rule", citation="Berger et al., 1993", value=float(share),
            subject=str(attr)))
        diff, crit = float(row["fong_difference"]), float(row["fong_critical"])
        if math.isfinite(diff) and math.isfinite(crit):
            ok = diff >= crit
            a, b = fmt_pair(diff, crit, 2)
            op = "≥" if ok else "<"
            text = (lang(language, f"Fong 检验：{row['first']} 与 {row['second']} 之差 {a} {op} 临界值 {b}，类别"
                                   f"{'明确' if ok else '不明确，介于两类之间'}（Fong, 1996）。",
                         f"Fong's test: the difference between {row['first']} and {row['second']}, {a}, is "
                         f"{'at or above' if ok else 'below'} the critical value {b}: the category is "
                         f"{'clear' if ok else 'not clear-cut'} (Fong, 1996)."))
            sentences.append(Sentence(text=text, verdict="pass" if ok else "fail", criterion="|a − b| ≥ critical",
                                      citation="Fong, 1996", value=diff, subject=str(attr)))
    return build(r, language, ("KANO 分析", "KANO analysis"), guidance, sentences)
