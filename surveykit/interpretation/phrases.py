"""The sentence forms every interpreter shares: a value against a threshold, a test, an interval.

Each function returns a :class:`Sentence` whose verdict is decided on the value at full
precision, and whose text prints the value so that its printed form lies on the same side of
every threshold as the value itself (more decimals when rounding would cross or land on one).

>>> from surveykit.interpretation.phrases import threshold
>>> from surveykit.interpretation.rules import DEFAULT_RULES
>>> threshold(DEFAULT_RULES, "alpha_min", 0.6996, "en", "Cronbach's α", "α").text
"Cronbach's α = 0.6996 is borderline (0.65 ≤ α < 0.70; DeVellis, 2017): it does not reach the criterion α ≥ 0.70 (Nunnally, 1978)."
"""

from __future__ import annotations

import math

from .interpretation import Sentence
from .rules import RULES, USER_SET, RuleSet

__all__ = ["band", "cite", "fmt", "fmt_p", "fmt_pair", "fmt_threshold", "judge", "lang", "interval", "significance",
           "threshold"]

OPS = {">=": "≥", "<=": "≤", "<": "<"}
MAX_DECIMALS = 12


def lang(language: str, zh: str, en: str) -> str:
    return zh if language == "zh" else en


def _side(a: float, b: float) -> int:
    return (a > b) - (a < b)


def fmt(value, decimals: int, *thresholds) -> str:
    """``value`` with ``decimals`` decimals, or more so that it keeps its side of each threshold.

    'NA' for a missing value; the full ``repr`` when even 12 decimals would not do.
    """
    if value is None or not math.isfinite(value):
        return "NA"
    value = float(value)
    for d in range(decimals, MAX_DECIMALS + 1):
        r = round(value, d) + 0.0  # + 0.0: a value that rounds to zero prints as 0, never -0
        if all(_side(r, t) == _side(value, t) for t in thresholds if t is not None):
            return f"{r:.{d}f}"
    return repr(value)


def fmt_pair(a: float, b: float, decimals: int) -> tuple:
    """``a`` and ``b`` printed at the fewest decimals (from ``decimals``) that keep their order."""
    for d in range(decimals, MAX_DECIMALS + 1):
        ra, rb = round(a, d), round(b, d)
        if (ra > rb) == (a > b) and (ra < rb) == (a < b):
            return f"{ra:.{d}f}", f"{rb:.{d}f}"
    return repr(a), repr(b)


def fmt_threshold(t: float) -> str:
    """A threshold with two decimals, or as many as it needs (0.010 -> '0.01', 0.005 -> '0.005')."""
    for d in range(2, MAX_DECIMALS + 1):
        if round(t, d) == t:
            return f"{t:.{d}f}"
    return repr(t)


def fmt_p(p: float, alpha: float) -> str:
    """'p = 0.012', 'p < 0.001' (APA) or 'p = NA'; the value keeps its side of ``alpha``."""
    if p is None or not math.isfinite(p):
        return "p = NA"
    if p < 0.001 and alpha >= 0.001:
        return "p < 0.001"
    return f"p = {fmt(p, 3, alpha)}"


def cite(citation: str, language: str) -> str:
    return lang(language, "用户设定", "user-set") if citation == USER_SET else citation


def judge(value, op: str, t: float, band: float | None = None) -> str:
    """'pass', 'borderline' (in the band between ``t`` and ``band``), 'fail' or 'not_available'."""
    if value is None or not math.isfinite(value):
        return "not_available"
    meets = {">=": value >= t, "<=": value <= t, "<": value < t}[op]
    if meets:
        return "pass"
    if band is not None and band != t:
        within = {">=": value >= band, "<=": value <= band, "<": value < band}[op]
        if within:
            return "borderline"
    return "fail"


def _band_text(op: str, symbol: str, t: float, b: float) -> str:
    if op == ">=":
        return f"{fmt_threshold(b)} ≤ {symbol} < {fmt_threshold(t)}"
    if op == "<=":
        return f"{fmt_threshold(t)} < {symbol} ≤ {fmt_threshold(b)}"
    return f"{fmt_threshold(t)} ≤ {symbol} < {fmt_threshold(b)}"


def threshold(rules: RuleSet, name: str, value, language: str, what: str, symbol: str,
              subject: str | None = None, decimals: int | None = None) -> Sentence:
    """``what = value`` judged against the rule ``name`` of ``rules`` (and its borderline band)."""
    op, band_key = RULES[name][0], RULES[name][1]
    t = getattr(rules, name)
    b = getattr(rules, band_key) if band_key else None
    verdict = judge(value, op, t, b)
    criterion = f"{symbol} {OPS[op]} {fmt_threshold(t)}"
    source = rules.cite(name)
    c = cite(source, language)
    v = fmt(value, rules.decimals if decimals is None else decimals, t, b)
    citation = source
    if verdict == "pass":
        text = lang(language, f"{what} = {v}，达到 {criterion} 的标准（{c}）。",
                    f"{what} = {v} meets the criterion {criterion} ({c}).")
    elif verdict == "borderline":
        band_source = rules.cite(name, borderline=True)
        citation = source if band_source == source else f"{source}; {band_source}"
        band = _band_text(op, symbol, t, b)
        bc = cite(band_source, language)
        text = lang(language, f"{what} = {v}，处于临界范围（{band}，{bc}），未达到 {criterion} 的标准（{c}）。",
                    f"{what} = {v} is borderline ({band}; {bc}): it does not reach the criterion {criterion} ({c}).")
    elif verdict == "fail":
        text = lang(language, f"{what} = {v}，未达到 {criterion} 的标准（{c}）。",
                    f"{what} = {v} does not meet the criterion {criterion} ({c}).")
    else:
        text = lang(language, f"{what} 无法计算，未能检验 {criterion} 的标准（{c}）。",
                    f"{what} is not available: the criterion {criterion} ({c}) could not be checked.")
    return Sentence(text=text, verdict=verdict, criterion=criterion, citation=citation,
                    value=None if verdict == "not_available" else float(value), subject=subject)


def significance(p, alpha: float, language: str, what: str, source: str, subject: str | None = None,
                 lead: str = "") -> Sentence:
    """``lead`` + ``what`` is (not) significant: p < alpha (two-sided), by the method of ``source``."""
    significant = p is not None and math.isfinite(p) and p < alpha
    verdict = "not_available" if p is None or not math.isfinite(p) else ("pass" if significant else "fail")
    a = fmt_threshold(alpha)
    criterion = f"p < {a}"
    pt = fmt_p(p, alpha)
    if verdict == "not_available":
        text = lang(language, f"{lead}{what}的 p 值无法计算（{source}）。", f"{lead}the p-value of {what} is not available ({source}).")
    else:
        text = lang(language, f"{lead}{what}{'显著' if significant else '不显著'}（{pt}，{'小于' if significant else '不小于'} "
                              f"α = {a}，{source}）。",
                    f"{(lead + what).rstrip()} is {'' if significant else 'not '}significant ({pt}, "
                    f"{'below' if significant else 'not below'} α = {a}; {source}).")
    return Sentence(text=text, verdict=verdict, criterion=criterion, citation=source,
                    value=None if verdict == "not_available" else float(p), subject=subject)


def interval(estimate, low, high, level: float, language: str, what: str, symbol: str, source: str,
             decimals: int, kind: str = "", subject: str | None = None, claim: tuple = ("", "")) -> Sentence:
    """``what = estimate``, its interval, whether the interval excludes 0 and, if so, ``claim`` (zh, en)."""
    if not all(v is not None and math.isfinite(v) for v in (estimate, low, high)):
        text = lang(language, f"{what}的区间无法计算（{source}）。", f"The interval of {what} is not available ({source}).")
        return Sentence(text=text, verdict="not_available", criterion="0 ∉ CI", citation=source, subject=subject)
    excludes = low > 0 or high < 0
    sym = f" {symbol}" if symbol else ""
    e, lo, hi = fmt(estimate, decimals, 0), fmt(low, decimals, 0), fmt(high, decimals, 0)
    pct = f"{level:.0%}"
    zh_claim, en_claim = claim
    if excludes:
        text = lang(language, f"{what}{sym} = {e}，{kind}{pct} CI = [{lo}, {hi}]，区间不包含 0"
                              f"{'，' + zh_claim if zh_claim else ''}（{source}）。",
                    f"{what}{sym} = {e} ({pct} {kind}CI [{lo}, {hi}]); the interval excludes 0"
                    f"{': ' + en_claim if en_claim else ''} ({source}).")
    else:
        text = lang(language, f"{what}{sym} = {e}，{kind}{pct} CI = [{lo}, {hi}]，区间包含 0"
                              f"{'，不能认为' + zh_claim if zh_claim else ''}（{source}）。",
                    f"{what}{sym} = {e} ({pct} {kind}CI [{lo}, {hi}]); the interval includes 0"
                    f"{', so there is no evidence that ' + en_claim if en_claim else ''} ({source}).")
    return Sentence(text=text, verdict="pass" if excludes else "fail", criterion="0 ∉ CI", citation=source,
                    value=float(estimate), subject=subject)


def band(rules: RuleSet, name: str, value, language: str, what: str, symbol: str, names: tuple,
         subject: str | None = None) -> Sentence:
    """``what = value`` placed in the bands ``rules.<name>`` (cut points c1 < c2 < ...): ``names`` are
    the (zh, en) names of the len(cuts) + 1 bands, from below the first cut up."""
    cuts = getattr(rules, name)
    source = rules.cite(name)
    c = cite(source, language)
    if value is None or not math.isfinite(value):
        return Sentence(text=lang(language, f"{what} 无法计算（{c}）。", f"{what} is not available ({c})."),
                        verdict="not_available", citation=source, subject=subject)
    i = sum(value >= cut for cut in cuts)
    lo = "" if i == 0 else f"{fmt_threshold(cuts[i - 1])} ≤ "
    hi = "" if i == len(cuts) else f" < {fmt_threshold(cuts[i])}"
    criterion = f"{lo}{symbol}{hi}"
    v = fmt(value, rules.decimals, *cuts)
    zh, en = names[i]
    return Sentence(text=lang(language, f"{what} = {v}，属于“{zh}”（{criterion}，{c}）。",
                              f"{what} = {v} is {en} ({criterion}; {c})."),
                    verdict="info", criterion=criterion, citation=source, value=float(value), subject=subject)
