"""result.interpret(): sentences checked against the numbers, in zh and en, and the RuleSet's checks.

The property tests draw values of every criterion (and thresholds of the rule set) at random,
with extra weight on values at and within 1e-6 of a threshold, and assert that no criterion is
misreported (pass <=> the value meets the threshold, borderline <=> it lies in the band) and that
the number printed in a sentence is the result's number at the precision printed.
"""

from __future__ import annotations

import dataclasses
import json
import math
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk
from surveykit.interpretation import DEFAULT_RULES, REFERENCES, interpreted_types
from surveykit.interpretation.phrases import fmt, threshold
from surveykit.interpretation.rules import RULES
from surveykit.interpretation.structural import mediation_type

LANGS = ("zh", "en")
OPS = {"≥": lambda v, t: v >= t, "≤": lambda v, t: v <= t, "<": lambda v, t: v < t}
SYMBOL_OP = {">=": "≥", "<=": "≤", "<": "<"}
# the number printed before the verdict of a threshold sentence
VALUE = re.compile(r"= (-?\d+(?:\.\d+)?(?:e-?\d+)?)(?:，(?:达到|处于|未达到)| meets| is borderline| does not meet)")


def expected(key: str, value: float, rules) -> str:
    """The verdict of ``value`` under rule ``key``, written out independently of the package."""
    op, band_key = RULES[key][0], RULES[key][1]
    t = getattr(rules, key)
    b = getattr(rules, band_key) if band_key else t
    if math.isnan(value):
        return "not_available"
    if op == ">=":
        return "pass" if value >= t else "borderline" if b <= value < t else "fail"
    if op == "<=":
        return "pass" if value <= t else "borderline" if t < value <= b else "fail"
    return "pass" if value < t else "borderline" if t <= value < b else "fail"


def printed_is(text: str, value: float) -> bool:
    """``text`` is ``value`` rounded to the decimals printed (or ``value`` itself, printed in full)."""
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return float(text) == round(value, decimals) or float(text) == value


def says(text: str, language: str) -> str:
    """What a threshold sentence claims, read from its words."""
    if language == "zh":
        if "处于临界范围" in text:
            return "borderline"
        if re.search(r"(?<!未)达到", text):
            return "pass"
        return "fail" if "未达到" in text else "not_available"
    if "is borderline" in text:
        return "borderline"
    if " meets the criterion" in text:
        return "pass"
    return "fail" if "does not meet" in text else "not_available"


SYMBOL_RULE = {"α": "alpha_min", "CITC": "citc_min", "KMO": "kmo_min", "MSA": "kmo_min", "CR": "cr_min", "AVE": "ave_min",
               "HTMT": "htmt_max", "CFI": "cfi_min", "TLI": "tli_min", "RMSEA": "rmsea_max", "SRMR": "srmr_max",
               "|λ|": "loading_min", "s₁": "harman_max", "−ΔCFI": "delta_cfi_max", "ΔRMSEA": "delta_rmsea_max",
               "CR(t)": "critical_ratio_min"}  # ΔSRMR has two thresholds (metric, scalar): checked in its own test


def key_of(criterion: str, rules) -> str | None:
    """The rule of a criterion such as 'α ≥ 0.70', checked against the rule set's operator and threshold."""
    m = re.fullmatch(r"(\S+) ([≥≤<]) (\S+)", criterion or "")
    if not m or m[1] not in SYMBOL_RULE:
        return None
    key = SYMBOL_RULE[m[1]]
    assert SYMBOL_OP[RULES[key][0]] == m[2] and float(m[3]) == getattr(rules, key), criterion
    return key


def check_sentences(interp, rules=DEFAULT_RULES) -> int:
    """Every threshold sentence: verdict, words and printed number agree with its value. Returns how many."""
    n = 0
    for s in interp.sentences:
        if s.verdict not in ("pass", "borderline", "fail") or s.value is None:
            continue
        key = key_of(s.criterion, rules)
        if key is None or not VALUE.search(s.text):
            continue
        n += 1
        assert s.verdict == expected(key, s.value, rules), s
        assert says(s.text, interp.language) == s.verdict, s.text
        assert printed_is(VALUE.search(s.text)[1], s.value), s.text
        assert s.citation and s.citation.split(";")[0] in (*REFERENCES, "user-set"), s
    return n


# ---------------------------------------------------------------------------------------------
# fixtures: real results


@pytest.fixture(scope="module")
def study():
    data = sk.example_data()
    return {"data": data, "scores": data.construct_scores(), "validity": data.validity(),
            "reliability": data.reliability()}


@pytest.fixture(scope="module")
def items():
    rng = np.random.default_rng(7)
    f = rng.normal(size=400)
    return pd.DataFrame({f"q{i}": f + rng.normal(scale=1.3, size=400) for i in range(4)})


# ---------------------------------------------------------------------------------------------
# the rule set


@pytest.mark.parametrize("changes, name", [
    ({"alpha_min": 1.7}, "alpha_min"), ({"alpha_min": float("nan")}, "alpha_min"), ({"cfi_min": True}, "cfi_min"),
    ({"rmsea_max": -0.01}, "rmsea_max"), ({"alpha_borderline": 0.75}, "alpha_borderline"),
    ({"htmt_borderline": 0.80}, "htmt_borderline"), ({"rmsea_borderline": 0.05}, "rmsea_borderline"),
    ({"kmo_bands": (0.5, 0.7, 0.6, 0.8, 0.9)}, "kmo_bands"), ({"nps_bands": (0, 50)}, "nps_bands"),
    ({"significance": 0.7}, "significance"), ({"decimals": -1}, "decimals"), ({"decimals": 2.0}, "decimals"),
    ({"citations": {"cfi": "x"}}, "citations"), ({"srmr_max": "0.08"}, "srmr_max"),
])
def test_a_bad_rule_set_raises_naming_the_threshold(changes, name):
    with pytest.raises(ValueError, match=repr(name)):
        sk.RuleSet(**changes)


def test_rule_set_cites_its_sources_and_a_changed_threshold_as_user_set():
    assert DEFAULT_RULES.cite("alpha_min") == "Nunnally, 1978"
    assert DEFAULT_RULES.cite("alpha_min", borderline=True) == "DeVellis, 2017"
    assert DEFAULT_RULES.cite("htmt_max") == "Henseler et al., 2015" and DEFAULT_RULES.cite("cfi_min") == "Hu & Bentler, 1999"
    assert DEFAULT_RULES.cite("delta_cfi_max") == "Chen, 2007" and DEFAULT_RULES.cite("kmo_min") == "Kaiser, 1974"
    changed = sk.RuleSet(cfi_min=0.90, tli_min=0.90, citations={"tli_min": "Bentler & Bonett, 1980"})
    assert changed.cite("cfi_min") == "user-set" and changed.cite("tli_min") == "Bentler & Bonett, 1980"
    assert pickle.loads(pickle.dumps(changed)) == changed
    assert DEFAULT_RULES.alpha(0.95) == 0.05 and DEFAULT_RULES.alpha(None) == 0.05
    assert sk.RuleSet(significance=0.01).alpha(0.95) == 0.01


def test_a_changed_threshold_is_applied_and_cited_as_user_set(items):
    r = sk.reliability(items)
    strict = sk.RuleSet(alpha_min=round(r.alpha + 0.05, 2), alpha_borderline=round(r.alpha + 0.02, 2))
    for language in LANGS:
        s = r.interpret(language, strict).sentences[1]
        assert s.verdict == "fail" and s.citation == "user-set"
        assert ("用户设定" if language == "zh" else "user-set") in s.text
        assert f"α ≥ {strict.alpha_min:.2f}" in s.text
        assert not any("user-set" in ref for ref in r.interpret(language, strict).references)


# ---------------------------------------------------------------------------------------------
# the entry point


def test_interpret_checks_its_arguments_and_names_a_result_without_an_interpreter(items):
    r = sk.reliability(items)
    with pytest.raises(ValueError, match="'language' parameter of interpret"):
        r.interpret("fr")
    with pytest.raises(TypeError, match="RuleSet"):
        r.interpret("zh", {"alpha_min": 0.8})
    box = sk.top_box(items.q0.round().clip(1, 5), scale_min=1, scale_max=5)
    with pytest.raises(NotImplementedError, match="BoxResult has no interpreter.*ReliabilityResult"):
        box.interpret()
    names = {t.__name__ for t in interpreted_types()}
    assert {"ReliabilityResult", "ConstructReliability", "KMOResult", "BartlettResult", "CFAResult",
            "ConstructValidity", "NPSResult", "MediationResult", "ModerationResult", "DriversResult",
            "KanoResult"} <= names


def test_interpretation_renders_pickles_and_carries_its_criteria(items):
    r = sk.reliability(items)
    for language, headings in zip(LANGS, (("分析建议", "智能分析", "参考文献"), ("How to read", "Interpretation", "References"))):
        i = r.interpret(language)
        assert str(i) == i.paragraph and all(s.text in str(i) for s in i.sentences)
        assert "\n" not in repr(i) and repr(i).startswith("<Interpretation result_type='ReliabilityResult'")
        html = i._repr_html_()
        assert html.startswith("<div") and all(h in html for h in headings)
        assert all(h in i.summary().as_text() for h in headings) and i.summary().as_markdown()
        assert pickle.loads(pickle.dumps(i)) == i
        d = json.loads(json.dumps(i.to_dict(), ensure_ascii=False))
        assert d["paragraph"] == str(i) and d["sentences"][1]["criterion"] == "α ≥ 0.70"
        assert REFERENCES["Nunnally, 1978"] in i.references
        assert any("0.70" in g for g in i.guidance)


# ---------------------------------------------------------------------------------------------
# real results, both languages


def test_reliability_sentences_match_the_numbers(items):
    r = sk.reliability(items)
    for language in LANGS:
        i = r.interpret(language)
        s = i.sentences[1]
        assert s.value == r.alpha and s.verdict == ("pass" if r.alpha >= 0.7 else "borderline" if r.alpha >= 0.65 else "fail")
        assert f"α = {r.alpha:.3f}" in s.text
        assert check_sentences(i) >= 2
    worse = items.assign(q3=np.random.default_rng(3).normal(size=len(items)))  # an unrelated item
    with pytest.warns(sk.SurveykitWarning, match="q3"):
        i = sk.reliability(worse).interpret("zh")
    low = [s for s in i.sentences if s.subject == "q3" and s.criterion == "CITC ≥ 0.30"]
    assert len(low) == 1 and low[0].verdict == "fail" and "未达到" in low[0].text
    assert any(s.subject == "q3" and "删除题项 q3 后 α 将由" in s.text for s in i.sentences)
    check_sentences(i)


def test_construct_reliability_and_validity_of_the_example_study(study):
    rel, v = study["reliability"], study["validity"]
    for language in LANGS:
        i = rel.interpret(language)
        assert check_sentences(i) >= 1
        alphas = [r.alpha for r in rel.results.values()]
        assert i.sentences[0].value == min(alphas) and i.sentences[0].verdict == "pass"
        iv = v.interpret(language)
        assert check_sentences(iv) >= 8
        t = v.to_frame()
        for name, row in t.iterrows():
            label = v.labels[name]
            for col, sym in (("cr", "CR"), ("ave", "AVE")):
                mine = [s for s in iv.sentences if s.subject == label and s.criterion and s.criterion.startswith(sym + " ")]
                if row[col] < getattr(DEFAULT_RULES, f"{col}_min"):  # every failing construct has its own sentence
                    assert len(mine) == 1 and mine[0].verdict == "fail" and mine[0].value == row[col]
                    assert ("未达到" if language == "zh" else "does not meet") in mine[0].text
        fit = v.cfa.fit
        for key, sym in (("cfi", "CFI"), ("tli", "TLI"), ("rmsea", "RMSEA"), ("srmr", "SRMR")):
            s = next(s for s in iv.sentences if s.criterion and s.criterion.startswith(sym + " "))
            assert s.value == fit[key] and f"{sym} = {fit[key]:.3f}" in s.text
        assert "Hu, L., & Bentler, P. M. (1999)" in " ".join(iv.references)
    # the example study's time cost fails CR and AVE on the CFA sample: it must never read as passed
    zh = str(v.interpret("zh"))
    assert "“时间成本 / Time cost”的 CR" in zh and "“时间成本 / Time cost”的 CR = 0.629，未达到 CR ≥ 0.70" in zh


def test_kmo_and_bartlett(items):
    k, b = sk.kmo(items), sk.bartlett(items)
    for language in LANGS:
        i = k.interpret(language)
        check_sentences(i)
        assert i.sentences[0].value == k.overall and f"KMO = {k.overall:.3f}" in i.sentences[0].text
        band = i.sentences[1].criterion  # e.g. '0.70 ≤ KMO < 0.80'
        lo, hi = re.fullmatch(r"(?:(\S+) ≤ )?KMO(?: < (\S+))?", band).groups()
        assert (lo is None or k.overall >= float(lo)) and (hi is None or k.overall < float(hi))
        j = b.interpret(language)
        assert j.sentences[0].verdict == ("pass" if b.p_value < 0.05 else "fail")
        assert f"χ²({b.df}) = {b.chi2:.2f}" in j.sentences[0].text
    noise = pd.DataFrame(np.random.default_rng(2).normal(size=(60, 4)), columns=list("abcd"))
    j = sk.bartlett(noise).interpret("zh")
    assert (j.sentences[0].verdict == "fail") == (sk.bartlett(noise).p_value >= 0.05)


def test_nps_sentences(study):
    r = sk.nps(study["data"].scored_items()["loy_recommend"])
    for language in LANGS:
        i = r.interpret(language)
        assert f"NPS（loy_recommend） = {r.score:.1f}" in i.sentences[0].text or f"NPS (loy_recommend) = {r.score:.1f}" in str(i)
        excludes = r.ci_low > 0 or r.ci_high < 0
        assert i.sentences[2].verdict == ("pass" if excludes else "fail")
        assert f"[{r.ci_low:.1f}, {r.ci_high:.1f}]" in i.sentences[2].text
    low = sk.nps([0, 1, 2, 3, 9, 10, 5, 6, 4, 7] * 5).interpret("zh")
    assert "负值" in low.sentences[1].text and "显著低于 0" in str(low)


def test_mediation_reads_like_the_issue_example(study):
    s = study["scores"]
    m = sk.mediation(s, "product_value", "satisfaction", "loyalty", bootstrap=500, seed=1)
    ind = m.effects[m.effects["type"] == "indirect"].iloc[0]
    zh = str(m.interpret("zh"))
    assert (f"间接效应 a×b = {ind.estimate:.3f}，Bootstrap 95% CI = [{ind.ci_low:.3f}, {ind.ci_high:.3f}]，区间不包含 0，"
            "中介效应成立") in zh
    assert "部分中介" in zh and f"{m.share_mediated:.1%}" in zh
    en = str(m.interpret("en"))
    assert f"a×b = {ind.estimate:.3f} (95% Bootstrap CI [{ind.ci_low:.3f}, {ind.ci_high:.3f}]); the interval excludes 0" in en
    # no path from x to m: the interval includes 0 and the text must not claim mediation
    rng = np.random.default_rng(5)
    x = rng.normal(size=300)
    frame = pd.DataFrame({"x": x, "m": rng.normal(size=300)})
    frame["y"] = 0.5 * x + 0.5 * frame["m"] + rng.normal(size=300)
    m0 = sk.mediation(frame, "x", "m", "y", bootstrap=500, seed=1)
    ind0 = m0.effects[m0.effects["type"] == "indirect"].iloc[0]
    assert ind0.ci_low <= 0 <= ind0.ci_high  # the seeded data has no a path
    for language in LANGS:
        i = m0.interpret(language)
        assert i.sentences[0].verdict == "fail"
        assert ("区间包含 0，不能认为中介效应成立" if language == "zh" else "includes 0") in i.sentences[0].text
        assert "不包含" not in i.sentences[0].text and "excludes" not in i.sentences[0].text
        assert i.sentences[-1].subject == "direct_only" and "成立" not in i.sentences[-1].text


def test_mediation_type_follows_wen_and_ye():
    assert mediation_type(True, False, True) == "full" and mediation_type(True, False, False) == "full"
    assert mediation_type(True, True, True) == "partial" and mediation_type(True, True, False) == "suppression"
    assert mediation_type(False, True, True) == "direct_only" and mediation_type(False, False, True) == "none"


def test_moderation_sentences(study):
    s = study["scores"]
    mo = sk.moderation(s, x="product_value", w="monetary_cost", y="satisfaction")
    inter = mo.coefficients.iloc[3]
    for language in LANGS:
        i = mo.interpret(language)
        assert i.sentences[0].verdict == ("pass" if inter.p_value < 0.05 else "fail")
        assert f"b = {inter.estimate:.3f}" in i.sentences[0].text
        slopes = [x for x in i.sentences if x.citation == "Aiken & West, 1991"]
        assert [x.verdict for x in slopes] == ["pass" if p < 0.05 else "fail" for p in mo.simple_slopes.p_value]
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=200), "w": rng.normal(size=200)})
    frame["y"] = frame.x + frame.w + rng.normal(size=200)
    flat = sk.moderation(frame, "x", "w", "y")
    assert flat.coefficients.iloc[3].p_value >= 0.05  # the seeded data has no interaction
    assert "调节效应不成立" in str(flat.interpret("zh")) and "no evidence of moderation" in str(flat.interpret("en"))


def test_drivers_and_kano_sentences(study):
    s = study["scores"]
    k = sk.key_drivers(s, "satisfaction", ["product_value", "service_value", "monetary_cost"])
    for language in LANGS:
        i = k.interpret(language)
        sig = [x for x in i.sentences if x.subject in k.coefficients.index]
        assert [x.verdict for x in sig] == ["pass" if p < 0.05 else "fail" for p in k.coefficients.p_value]
        assert f"{k.r_squared:.3f}" in i.sentences[0].text
        top = k.importance.idxmax()
        assert re.search(rf"{top}[（ (]+{k.importance.max():.1f}%", i.sentences[-1].text)
    sd = study["data"].drivers()
    for language in LANGS:
        i = sd.interpret(language)
        sig = [x for x in i.sentences if x.subject in sd.ols.coefficients.index]
        assert [x.verdict for x in sig] == ["pass" if p < 0.05 else "fail" for p in sd.ols.coefficients.p_value]
        top = sd.relative_weights.importance.idxmax()
        assert i.sentences[-1].citation == "Johnson, 2000" and top in i.sentences[-1].text
        assert any(ref.startswith("Johnson, J. W. (2000)") for ref in i.references)
    rng = np.random.default_rng(1)
    fun = pd.DataFrame({"fast": rng.choice([1, 1, 1, 2], 200), "mixed": rng.integers(1, 6, 200)})
    dys = pd.DataFrame({"fast": rng.choice([3, 4], 200), "mixed": rng.integers(1, 6, 200)})
    kr = sk.kano(fun, dys)
    for language in LANGS:
        i = kr.interpret(language)
        for attr, row in kr.table.iterrows():
            cat = next(x for x in i.sentences if x.subject == attr and x.citation == "Berger et al., 1993")
            better, worse = re.search(r"Better = (\S+?)[，,] Worse = (\S+?)[（ ]", cat.text.replace("，", ", ")).groups()
            assert printed_is(better, row.better) and printed_is(worse, row.worse)  # (-0.0 prints as 0.000)
            fong = next(x for x in i.sentences if x.subject == attr and x.citation == "Fong, 1996")
            assert fong.verdict == ("pass" if row.fong_difference >= row.fong_critical else "fail")
    assert "魅力属性（A）" in str(kr.interpret("zh"))


# ---------------------------------------------------------------------------------------------
# property tests


def _rules_and_value(data, key):
    op, band_key = RULES[key][0], RULES[key][1]
    t = data.draw(st.floats(0.1, 0.9), label="threshold")
    changes = {key: t}
    if band_key:
        width = data.draw(st.sampled_from([0.0, 0.01, 0.05]), label="band")
        changes[band_key] = t - width if op == ">=" else t + width
    changes["decimals"] = data.draw(st.integers(0, 6), label="decimals")
    rules = sk.RuleSet(**changes)
    edges = [t, changes.get(band_key, t)]
    value = data.draw(st.one_of(st.floats(-0.5, 1.5), st.sampled_from(edges),
                                st.builds(lambda e, d: e + d, st.sampled_from(edges), st.floats(-1e-6, 1e-6)),
                                st.just(float("nan"))), label="value")
    return rules, value


@settings(max_examples=400, deadline=None)
@given(st.data(), st.sampled_from(sorted(RULES)), st.sampled_from(LANGS))
def test_no_criterion_is_misreported(data, key, language):
    rules, value = _rules_and_value(data, key)
    s = threshold(rules, key, value, language, "X", "X")
    assert s.verdict == expected(key, value, rules)
    assert says(s.text, language) == s.verdict
    if s.verdict != "not_available":
        printed = re.match(r"X = (\S+?)(?:，| )", s.text)[1]
        assert printed_is(printed, value)
        # the printed number lies on the same side of the threshold (and band) as the value
        op = RULES[key][0]
        assert expected(key, float(printed), rules) == s.verdict, (printed, value)
        t_printed = s.criterion.split()[-1]
        assert float(t_printed) == getattr(rules, key) and s.criterion == f"X {SYMBOL_OP[op]} {t_printed}"
        assert s.criterion in s.text


unit = st.floats(0.0, 1.0)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(11)
    f, g = rng.normal(size=300), rng.normal(size=300)
    x = pd.DataFrame({**{f"a{i}": f + rng.normal(size=300) for i in range(3)},
                      **{f"b{i}": 0.5 * f + g + rng.normal(size=300) for i in range(3)}})
    return {"cfa": sk.cfa(x, {"A": ["a0", "a1", "a2"], "B": ["b0", "b1", "b2"]}), "rel": sk.reliability(x.iloc[:, :3])}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cfi=unit, tli=unit, rmsea=st.floats(0, 0.2), srmr=st.floats(0, 0.2), cr=st.lists(unit, min_size=2, max_size=2),
       ave=st.lists(unit, min_size=2, max_size=2), htmt=st.floats(0.5, 1.1), language=st.sampled_from(LANGS))
def test_cfa_interpretation_never_misreports_random_values(fitted, cfi, tli, rmsea, srmr, cr, ave, htmt, language):
    c = fitted["cfa"]
    fit = {**c.fit, "cfi": cfi, "tli": tli, "rmsea": rmsea, "srmr": srmr}
    validity = pd.DataFrame({"cr": cr, "ave": ave, "sqrt_ave": np.sqrt(ave)}, index=c.validity.index)
    h = c.htmt.copy()
    h.iloc[0, 1] = h.iloc[1, 0] = htmt
    i = dataclasses.replace(c, fit=fit, validity=validity, htmt=h).interpret(language)
    assert check_sentences(i) >= 6
    for key, sym in (("cfi", "CFI"), ("tli", "TLI"), ("rmsea", "RMSEA"), ("srmr", "SRMR")):
        s = next(s for s in i.sentences if s.criterion and s.criterion.startswith(sym + " "))
        assert s.value == fit[key] and s.verdict == expected(f"{key}_{'min' if key in ('cfi', 'tli') else 'max'}",
                                                             fit[key], DEFAULT_RULES)
    for col in ("cr", "ave"):
        mine = [s for s in i.sentences if s.criterion and s.criterion.startswith(col.upper() + " ")
                and s.verdict != "info"]
        failing = {f for f, v in validity[col].items() if v < getattr(DEFAULT_RULES, f"{col}_min")}
        if failing:
            assert {s.subject for s in mine} == failing and all(s.verdict == "fail" for s in mine)
        else:
            assert len(mine) == 1 and mine[0].verdict == "pass" and mine[0].value == validity[col].min()
    fl = [s for s in i.sentences if s.criterion == "√AVE > max |r|" and s.verdict != "info"]
    r = abs(float(c.phi.iloc[0, 1]))
    for s in fl:
        assert s.verdict == ("pass" if s.value > r else "fail")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(alpha=st.one_of(st.floats(0.3, 0.99), st.sampled_from([0.65, 0.7, 0.6999999, 0.6499999])),
       r_drop=st.lists(st.floats(-0.2, 0.9), min_size=3, max_size=3), language=st.sampled_from(LANGS))
def test_reliability_interpretation_never_misreports_random_values(fitted, alpha, r_drop, language):
    r = fitted["rel"]
    items = r.items.assign(r_drop=r_drop)
    i = dataclasses.replace(r, alpha=alpha, items=items).interpret(language)
    check_sentences(i)
    s = i.sentences[1]
    assert s.value == alpha and s.verdict == expected("alpha_min", alpha, DEFAULT_RULES)
    if s.verdict == "borderline":
        assert ("临界" if language == "zh" else "borderline") in s.text
        assert not re.search(r"(?<!未)达到|meets", s.text)
    failing = {k for k, v in zip(items.index, r_drop) if v < 0.3}
    citc = [x for x in i.sentences if x.criterion == "CITC ≥ 0.30" and x.verdict != "info"]
    assert ({x.subject for x in citc if x.verdict == "fail"} == failing) or (not failing and citc[0].verdict == "pass")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=5, max_size=80), st.sampled_from(LANGS))
def test_nps_interpretation_matches_random_answers(answers, language):
    r = sk.nps(answers)
    i = r.interpret(language)
    printed = re.search(r"NPS = (\S+?)[，:]", i.sentences[0].text)[1]
    assert printed_is(printed, r.score)
    bands = DEFAULT_RULES.nps_bands
    band = i.sentences[1].criterion
    lo, hi = re.fullmatch(r"(?:(\S+) ≤ )?NPS(?: < (\S+))?", band).groups()
    assert (lo is None or r.score >= float(lo)) and (hi is None or r.score < float(hi))
    assert (lo is None) == (r.score < bands[0])
    if math.isfinite(r.ci_low):
        excludes = r.ci_low > 0 or r.ci_high < 0
        assert i.sentences[2].verdict == ("pass" if excludes else "fail")
        assert ("不包含 0" if language == "zh" else "excludes 0") in i.sentences[2].text if excludes else True
        lo_t, hi_t = re.search(r"\[(\S+), (\S+)\]", i.sentences[2].text).groups()
        assert printed_is(lo_t, r.ci_low) and printed_is(hi_t, r.ci_high)


def test_fmt_keeps_a_value_on_its_side_of_the_threshold():
    assert fmt(0.6996, 3, 0.70) == "0.6996" and fmt(0.70004, 3, 0.70) == "0.70004" and fmt(0.7, 3, 0.7) == "0.700"
    assert fmt(0.7123, 3, 0.70) == "0.712" and fmt(float("nan"), 3) == "NA"


def test_a_missing_value_is_not_available_never_passed(fitted):
    r = dataclasses.replace(fitted["rel"], alpha=float("nan"))
    for language in LANGS:
        i = r.interpret(language)
        s = i.sentences[1]
        assert s.verdict == "not_available" and s.value is None
        assert ("无法计算" if language == "zh" else "not available") in s.text and says(s.text, language) == "not_available"
        json.dumps(i.to_dict(), allow_nan=False)
