"""Interpreters of EFA, parallel analysis, Harman, SEM, invariance, PLS, IPA, IPMA, SERVQUAL, penalty-reward,
item discrimination and moderated mediation: sentences against the numbers, in zh and en, over random results.

Each property test replaces the numbers of a real result with random ones (with extra weight at and
within 1e-6 of the thresholds) and checks that no criterion is misreported and that every number a
sentence prints is the result's number at the precision printed.
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk
from surveykit.interpretation import DEFAULT_RULES, REFERENCES, interpreted_types
from surveykit.interpretation.satisfaction import penalty_reward_class
from test_interpretation import check_sentences

LANGS = ("zh", "en")
FIXTURE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NUMBER = r"(-?\d+(?:\.\d+)?)"
PASS_WORDS = {"zh": r"(?<!未)达到", "en": r" meets the criterion"}
FAIL_WORDS = {"zh": "未达到", "en": "does not meet"}


def printed_is(text: str, value: float) -> bool:
    """``text`` is ``value`` rounded to the decimals printed."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text) == round(value, decimals) or float(text) == value


def near(edges):
    """Values at, and within 1e-6 of, each of ``edges``."""
    return st.one_of(st.sampled_from(edges), st.builds(lambda e, d: e + d, st.sampled_from(edges),
                                                       st.floats(-1e-6, 1e-6)))


def threshold_claims(s, language: str) -> str:
    """What a threshold sentence claims, read from its words."""
    if re.search(PASS_WORDS[language], s.text):
        return "pass"
    return "fail" if FAIL_WORDS[language] in s.text else "other"


def check_threshold(s, language: str, value: float, passes: bool) -> None:
    """A sentence applying one threshold to ``value``: its verdict, its words and its printed number."""
    assert s.value == value and s.verdict == ("pass" if passes else "fail"), (s, value)
    assert threshold_claims(s, language) == s.verdict, s.text
    printed = re.search(rf"= {NUMBER}(?:，| )", s.text)[1]
    assert printed_is(printed, value), (printed, value)
    assert s.citation and s.citation.split(";")[0] in REFERENCES, s


@pytest.fixture(scope="module")
def study():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.example_data()
        return {"data": data, "fa": data.factor_analysis(n_iter=50), "items": data.scored_items(),
                "scores": data.construct_scores(), "pls": data.csi_model()}


def test_every_result_users_see_has_an_interpreter():
    names = {t.__name__ for t in interpreted_types()}
    assert {"EFAResult", "ParallelAnalysisResult", "HarmanResult", "SEMResult", "InvarianceResult", "PLSResult",
            "IPAResult", "IPMAResult", "ServqualResult", "PenaltyRewardResult", "DiscriminationResult",
            "ModeratedMediationResult"} <= names


@pytest.mark.parametrize("changes, name", [
    ({"loading_min": 1.2}, "loading_min"), ({"harman_max": 0.0}, "harman_max"),
    ({"delta_rmsea_max": -0.01}, "delta_rmsea_max"), ({"critical_ratio_min": 150}, "critical_ratio_min"),
    ({"r2_bands": (0.5, 0.25, 0.75)}, "r2_bands"), ({"gof_bands": (0.1, 0.25)}, "gof_bands"),
    ({"delta_srmr_scalar_max": float("inf")}, "delta_srmr_scalar_max"),
])
def test_a_threshold_out_of_range_is_a_clear_error(changes, name):
    with pytest.raises(ValueError, match=rf"RuleSet: '{name}' must be"):
        sk.RuleSet(**changes)


def test_new_thresholds_cite_their_sources():
    r = DEFAULT_RULES
    assert r.cite("loading_min") == "Stevens, 2002" and r.cite("harman_max") == "Podsakoff et al., 2003"
    assert r.cite("delta_rmsea_max") == "Chen, 2007" and r.cite("r2_bands") == "Hair et al., 2011"
    assert r.cite("gof_bands") == "Wetzels et al., 2009" and sk.RuleSet(r2_bands=(0.19, 0.33, 0.67)).cite(
        "r2_bands") == "user-set"
    assert sk.RuleSet(r2_bands=(0.19, 0.33, 0.67), citations={"r2_bands": "Chin, 1998"}).cite("r2_bands") == "Chin, 1998"


# ---------------------------------------------------------------------------------------------
# real results, both languages


def test_efa_parallel_and_harman_of_the_example_study(study):
    fa = study["fa"]
    for language in LANGS:
        e = fa.efa.interpret(language)
        cum = fa.efa.variance["cumulative"].iloc[-1]
        assert f"{cum:.1%}" in e.sentences[0].text and str(fa.efa.n_factors) in e.sentences[0].text
        low = fa.efa.loadings.abs().max(axis=1)
        s = next(s for s in e.sentences if s.criterion == "|λ| ≥ 0.40")
        assert s.value == low.min() and s.verdict == ("pass" if low.min() >= 0.4 else "fail")
        p = fa.parallel.interpret(language)
        assert p.sentences[0].value == fa.parallel.n_factors and "Horn, 1965" in p.sentences[0].text
        ev = fa.parallel.eigenvalues
        for s in p.sentences[1:]:
            k = int(s.subject[1:])
            assert s.verdict == ("pass" if ev["observed_fa"].iloc[k - 1] > ev["simulated_fa"].iloc[k - 1] else "fail")
        h = fa.harman.interpret(language)
        s = h.sentences[1]
        check_threshold(s, language, fa.harman.variance_share, fa.harman.variance_share <= 0.5)
        assert any(ref.startswith("Podsakoff") for ref in h.references)


def test_sem_reads_fit_paths_and_r2(study):
    items = study["items"]
    model = ("pv =~ prod_1 + prod_2 + prod_3\nsv =~ svc_1 + svc_2 + svc_3\nsv ~ a*pv\n"
             "sat =~ sat_overall + sat_expect + sat_ideal\nsat ~ b*sv\nab := a*b")
    r = sk.sem(items, model)
    paths = r.estimates[r.estimates["op"] == "~"]
    for language in LANGS:
        i = r.interpret(language)
        for key, sym in (("cfi", "CFI"), ("rmsea", "RMSEA")):
            s = next(s for s in i.sentences if s.criterion and s.criterion.startswith(sym + " "))
            assert s.value == r.fit[key] and f"{sym} = {r.fit[key]:.3f}" in s.text
        for _, row in paths.iterrows():
            s = next(s for s in i.sentences if s.subject == f"{row['rhs']} → {row['lhs']}")
            assert s.verdict == ("pass" if row["p_value"] < 0.05 else "fail") and f"β = {row['std_all']:.3f}" in s.text
        r2 = [s for s in i.sentences if "R²" in s.text]
        assert {s.subject for s in r2} == {"sv", "sat"}  # the structural R², not the indicators'
        ab = next(s for s in i.sentences if s.subject == "ab")
        d = r.defined.iloc[0]
        assert ab.verdict == ("pass" if d["ci_low"] > 0 or d["ci_high"] < 0 else "fail")


def test_invariance_levels_follow_chen(study):
    items = study["items"].assign(gender=study["data"].segment("gender")).dropna(subset=["gender"])
    model = "pv =~ prod_1 + prod_2 + prod_3\nsv =~ svc_1 + svc_2 + svc_3"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inv = sk.invariance(items, model, "gender")
    for language in LANGS:
        i = inv.interpret(language)
        for level, row in inv.table.iloc[1:].iterrows():
            mine = [s for s in i.sentences if s.subject == level and s.criterion and s.criterion.startswith(("−ΔCFI",
                                                                                                           "ΔRMSEA"))]
            assert [s.value for s in mine] == [-row["cfi_diff"], row["rmsea_diff"]]
            assert [s.verdict for s in mine] == ["pass" if -row["cfi_diff"] <= 0.01 else "fail",
                                                 "pass" if row["rmsea_diff"] <= 0.015 else "fail"]
        assert i.sentences[-1].subject == inv.highest  # Chen's cut-offs at the defaults: the result's own verdict
        assert any(ref.startswith("Chen, F. F. (2007)") for ref in i.references)


def test_pls_ipma_and_ipa(study):
    pls = study["pls"]
    for language in LANGS:
        i = pls.interpret(language)
        for target in pls.paths:
            s = next(s for s in i.sentences if s.subject == target and "R²" in s.criterion)
            r2 = pls.r_squared[target]
            lo, hi = re.fullmatch(r"(?:(\S+) ≤ )?R²(?: < (\S+))?", s.criterion).groups()
            assert (lo is None or r2 >= float(lo)) and (hi is None or r2 < float(hi)) and s.value == r2
        g = next(s for s in i.sentences if s.criterion and "GoF" in s.criterion)
        assert g.value == pls.gof and f"GoF = {pls.gof:.3f}" in g.text
        for _, row in pls.inner_model.iterrows():
            s = next(s for s in i.sentences if s.subject == f"{row['predictor']} → {row['target']}")
            assert s.verdict == ("pass" if row["p_value"] < 0.05 else "fail")
    ipma = sk.ipma(pls, "loyalty")
    d = study["data"].drivers()
    for language in LANGS:
        for res in (ipma, d.ipa):
            i = res.interpret(language)
            for s in i.sentences:
                if s.criterion == "quadrant":  # every item named in its own quadrant, and only there
                    members = set(res.table.index[res.table["quadrant"] == s.subject])
                    named = {m for m in res.table.index if re.search(rf"(?<![\w]){re.escape(str(m))}(?![\w])", s.text)}
                    assert named == members, s.text


def test_servqual_penalty_reward_and_discrimination():
    rng = np.random.default_rng(3)
    e = pd.DataFrame(rng.integers(4, 8, size=(150, 4)), columns=["t1", "t2", "r1", "r2"])
    shift = np.column_stack([rng.integers(0, 2, size=(150, 2)), rng.integers(-1, 2, size=(150, 2))])
    p = (e - shift).clip(1, 7)  # tangibles fall short; reliability's gap is about 0
    sq = sk.servqual(e, p, dimensions={"tangibles": ["t1", "t2"], "reliability": ["r1", "r2"]})
    x = pd.DataFrame(rng.integers(1, 6, size=(400, 3)), columns=["卫生", "装修", "价格"])
    y = 3 - (x["卫生"] <= 2) + 0.8 * (x["装修"] >= 4) + rng.normal(0, 0.5, 400)
    pr = sk.penalty_reward(x, y)
    f = rng.normal(size=300)
    disc = sk.item_discrimination(pd.DataFrame({f"q{k}": np.round(f + rng.normal(size=300)) for k in range(4)}
                                               | {"noise": rng.integers(1, 6, 300)}))
    for language in LANGS:
        i = sq.interpret(language)
        for dim, row in sq.dimensions.iterrows():
            s = next(s for s in i.sentences if s.subject == dim)
            excludes = row["ci_low"] > 0 or row["ci_high"] < 0
            assert s.verdict == ("pass" if excludes else "fail")
            assert (("不包含 0" if language == "zh" else "excludes 0") in s.text) == excludes
        j = pr.interpret(language)
        for attr, row in pr.table.iterrows():
            s = next(s for s in j.sentences if s.subject == attr)
            assert penalty_reward_class(row, 0.05) == row["category"]  # the result's class, at its alpha
            word = {"basic": ("基本因素", "basic factor"), "excitement": ("兴奋因素", "excitement factor"),
                    "performance": ("绩效因素", "performance factor")}.get(row["category"], ("无显著影响", "without"))
            assert word[LANGS.index(language)] in s.text
        k = disc.interpret(language)
        weak = [s for s in k.sentences if s.subject == "noise" and s.criterion == "CR(t) ≥ 3.00"]
        row = disc.table.loc["noise"]
        if row["cr"] < 3:
            check_threshold(weak[0], language, row["cr"], False)


def test_moderated_mediation_reads_the_index(study):
    s = study["scores"]
    mm = sk.moderated_mediation(s, x="product_value", m="satisfaction", y="loyalty", w="monetary_cost",
                                bootstrap=200, seed=1)
    for language in LANGS:
        i = mm.interpret(language)
        for (_, e), sent in zip(mm.effects.iterrows(), i.sentences):
            excludes = e["ci_low"] > 0 or e["ci_high"] < 0
            assert sent.verdict == ("pass" if excludes else "fail") and sent.value == e["estimate"]
            lo, hi = re.search(r"\[(\S+), (\S+)\]", sent.text).groups()
            assert printed_is(lo, e["ci_low"]) and printed_is(hi, e["ci_high"])
        assert any(ref.startswith("Hayes, A. F. (2015)") for ref in i.references)


# ---------------------------------------------------------------------------------------------
# property tests over random results


@FIXTURE
@given(st.data(), st.sampled_from(LANGS))
def test_efa_never_misreports_random_loadings(study, data, language):
    e = study["fa"].efa
    shape = e.loadings.shape
    cells = st.one_of(st.floats(-1, 1), near([0.4, -0.4]))
    values = np.array(data.draw(st.lists(cells, min_size=shape[0] * shape[1], max_size=shape[0] * shape[1])))
    loadings = pd.DataFrame(values.reshape(shape), index=e.loadings.index, columns=e.loadings.columns)
    i = dataclasses.replace(e, loadings=loadings).interpret(language)
    assert check_sentences(i) >= 1
    top = loadings.abs().max(axis=1)
    failing = set(top.index[top < 0.4])
    flagged = {s.subject for s in i.sentences if s.criterion == "|λ| ≥ 0.40" and s.verdict == "fail"}
    assert flagged == failing
    for s in i.sentences:
        if s.criterion == "|λ| ≥ 0.40" and s.verdict in ("pass", "fail"):
            check_threshold(s, language, top[s.subject], top[s.subject] >= 0.4)
    cross = {s.subject for s in i.sentences if s.criterion == "|λ| ≥ 0.40 on one factor only"}
    assert cross == set(loadings.index[(loadings.abs() >= 0.4).sum(axis=1) >= 2])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(share=st.one_of(st.floats(0.01, 0.99), near([0.5])), language=st.sampled_from(LANGS))
def test_harman_never_misreports_a_random_share(study, share, language):
    i = dataclasses.replace(study["fa"].harman, variance_share=share).interpret(language)
    assert check_sentences(i) == 1
    check_threshold(i.sentences[1], language, share, share <= 0.5)
    assert ("不严重" in i.sentences[2].text or "not a serious" in i.sentences[2].text) == (share <= 0.5)


@pytest.fixture(scope="module")
def invariance_result(study):
    items = study["items"].assign(gender=study["data"].segment("gender")).dropna(subset=["gender"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.invariance(items, "pv =~ prod_1 + prod_2 + prod_3", "gender")


@FIXTURE
@given(st.data(), st.sampled_from(LANGS))
def test_invariance_never_misreports_random_changes(invariance_result, data, language):
    inv = invariance_result
    table = inv.table.copy()
    n = len(table) - 1
    draw = lambda edges, lo, hi: data.draw(st.lists(st.one_of(st.floats(lo, hi), near(edges)), min_size=n,  # noqa: E731
                                                    max_size=n))
    table.iloc[1:, table.columns.get_loc("cfi_diff")] = draw([-0.01], -0.05, 0.02)
    table.iloc[1:, table.columns.get_loc("rmsea_diff")] = draw([0.015], -0.03, 0.05)
    table.iloc[1:, table.columns.get_loc("srmr_diff")] = draw([0.01, 0.03], -0.02, 0.05)
    i = dataclasses.replace(inv, table=table).interpret(language)
    assert check_sentences(i) == 2 + 2 * n  # the baseline's CFI and RMSEA, each level's ΔCFI and ΔRMSEA
    highest, broken = "configural", False
    for level, row in table.iloc[1:].iterrows():
        srmr_max = 0.03 if level == "metric" else 0.01
        ok = [-row["cfi_diff"] <= 0.01, row["rmsea_diff"] <= 0.015, row["srmr_diff"] <= srmr_max]
        mine = [s for s in i.sentences if s.subject == level and s.criterion and s.criterion.startswith(("−ΔCFI", "ΔRMSEA",
                                                                                                       "ΔSRMR"))]
        for s, value, passes in zip(mine, (-row["cfi_diff"], row["rmsea_diff"], row["srmr_diff"]), ok):
            check_threshold(s, language, value, passes)
        verdict = next(s for s in i.sentences if s.subject == level and s.criterion == "ΔCFI, ΔRMSEA, ΔSRMR")
        assert verdict.verdict == ("pass" if all(ok) else "fail")
        if all(ok) and not broken:
            highest = level
        broken = broken or not all(ok)
    assert i.sentences[-1].subject == highest
    claims_means = "可以比较" in i.sentences[-1].text or "can be compared" in i.sentences[-1].text
    assert claims_means == (highest in ("scalar", "strict"))


@FIXTURE
@given(r2=st.lists(st.one_of(st.floats(0, 1), near([0.25, 0.5, 0.75])), min_size=3, max_size=3),
       gof=st.one_of(st.floats(0, 1), near([0.1, 0.25, 0.36])), language=st.sampled_from(LANGS))
def test_pls_bands_never_misreport_random_values(study, r2, gof, language):
    pls = study["pls"]
    targets = list(pls.paths)
    r_squared = pls.r_squared.copy()
    r_squared[targets] = r2[:len(targets)]
    i = dataclasses.replace(pls, r_squared=r_squared, gof=gof).interpret(language)
    names = {"zh": ("很弱", "弱", "中等", "较强"), "en": ("very weak", "weak", "moderate", "substantial")}
    for target in targets:
        s = next(s for s in i.sentences if s.subject == target and s.criterion and "R²" in s.criterion)
        v = r_squared[target]
        band = sum(v >= c for c in (0.25, 0.5, 0.75))
        assert f"“{names[language][band]}”" in s.text if language == "zh" else f" is {names['en'][band]} (" in s.text
        assert printed_is(re.search(rf"= {NUMBER}", s.text)[1], v)
        assert re.search(rf"= {NUMBER}", s.text)[1] != "0.250" or v >= 0.25  # never rounded onto a cut it is below
    g = next(s for s in i.sentences if s.criterion and "GoF" in s.criterion)
    band = sum(gof >= c for c in (0.1, 0.25, 0.36))
    assert g.criterion.startswith(("GoF", "0.10 ≤", "0.25 ≤", "0.36 ≤")[band])
    assert printed_is(re.search(rf"GoF = {NUMBER}", g.text)[1], gof)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.floats(0, 1), near([0.05])), st.one_of(st.floats(0, 1), near([0.05])),
                          st.one_of(st.floats(0, 1), near([0.05])), st.floats(-2, 2)), min_size=1, max_size=4),
       st.sampled_from(LANGS))
def test_penalty_reward_never_misclassifies(rows, language):
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.integers(1, 6, size=(120, len(rows))), columns=[f"a{k}" for k in range(len(rows))])
    r = sk.penalty_reward(x, rng.normal(size=120) + x.sum(axis=1))
    table = r.table.copy()
    for k, (pp, rp, dp, diff) in enumerate(rows):
        table.iloc[k, [table.columns.get_loc(c) for c in ("penalty_p", "reward_p", "difference_p", "difference")]] = (
            pp, rp, dp, diff)
    i = dataclasses.replace(r, table=table).interpret(language)
    for attr, row in table.iterrows():
        s = next(s for s in i.sentences if s.subject == attr)
        basic, excite = ("基本因素", "兴奋因素") if language == "zh" else ("basic factor", "excitement factor")
        assert (basic in s.text) == (row["difference_p"] < 0.05 and row["difference"] > 0)
        assert (excite in s.text) == (row["difference_p"] < 0.05 and row["difference"] <= 0)
        printed = re.findall(rf"p ([=<]) {NUMBER}", s.text)  # penalty's, reward's, the difference's
        for (op, number), col in zip(printed, ("penalty_p", "reward_p", "difference_p"), strict=True):
            assert (number == "0.001" and row[col] < 0.001) if op == "<" else printed_is(number, row[col])
            assert (op == "<" or float(number) < 0.05) == (row[col] < 0.05)  # printed on its side of α


@FIXTURE
@given(st.data(), st.sampled_from(LANGS))
def test_discrimination_never_misreports_random_ratios(data, language):
    rng = np.random.default_rng(2)
    f = rng.normal(size=200)
    r = sk.item_discrimination(pd.DataFrame({f"q{k}": np.round(f + rng.normal(size=200)) for k in range(3)}))
    cr = data.draw(st.lists(st.one_of(st.floats(0, 10), near([3.0])), min_size=3, max_size=3))
    p = data.draw(st.lists(st.one_of(st.floats(0, 1), near([0.05])), min_size=3, max_size=3))
    i = dataclasses.replace(r, table=r.table.assign(cr=cr, p_value=p)).interpret(language)
    assert check_sentences(i) >= 1
    crit = [s for s in i.sentences if s.criterion == "CR(t) ≥ 3.00" and s.verdict != "info"]
    if min(cr) >= 3:
        check_threshold(crit[0], language, min(cr), True)
    else:
        assert {s.subject for s in crit} == {f"q{k}" for k in range(3) if cr[k] < 3}
        for s in crit:
            check_threshold(s, language, cr[int(s.subject[1])], False)
    sig = {s.subject: s for s in i.sentences if s.criterion == "p < 0.05"}
    assert set(sig) == {f"q{k}" for k in range(3) if not p[k] < 0.05}
    assert all(s.verdict == "fail" and ("不显著" in s.text or "not significant" in s.text) for s in sig.values())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(0, 1)), min_size=2, max_size=2),
       st.sampled_from(LANGS))
def test_servqual_never_misreports_a_random_interval(cis, language):
    rng = np.random.default_rng(5)
    e = pd.DataFrame(rng.integers(3, 8, size=(60, 2)), columns=["t1", "r1"])
    sq = sk.servqual(e, e - rng.integers(0, 2, size=(60, 2)), dimensions={"t": ["t1"], "r": ["r1"]})
    dims = sq.dimensions.copy()
    for k, (a, b, est) in enumerate(cis):
        lo, hi = min(a, b), max(a, b)
        dims.iloc[k, [dims.columns.get_loc(c) for c in ("ci_low", "ci_high", "estimate")]] = (lo, hi, lo + est * (hi - lo))
    i = dataclasses.replace(sq, dimensions=dims).interpret(language)
    for dim, row in dims.iterrows():
        s = next(s for s in i.sentences if s.subject == dim)
        excludes = row["ci_low"] > 0 or row["ci_high"] < 0
        assert s.verdict == ("pass" if excludes else "fail")
        assert (("不包含 0" if language == "zh" else "excludes 0") in s.text) == excludes
        lo, hi = re.search(r"\[(\S+), (\S+)\]", s.text).groups()
        assert printed_is(lo, row["ci_low"]) and printed_is(hi, row["ci_high"])
        if excludes:  # the printed interval excludes 0 too, on the same side
            assert (float(lo) > 0) == (row["ci_low"] > 0) and (float(hi) < 0) == (row["ci_high"] < 0)
        assert math.isfinite(s.value)


def test_banner_reads_the_overall_tests_and_the_pairs_that_differ(study):
    banners = study["data"].index_banners(language="en")
    for b in banners.values():
        for language in LANGS:
            i = b.interpret(language)
            for variable in dict.fromkeys(b.tests.index.get_level_values(0)):
                p = b.tests.loc[(variable, "welch_anova"), "p_value"]
                s = next(s for s in i.sentences if s.subject == variable)
                assert s.verdict == ("pass" if p < b.alpha else "fail") and s.value == p
                pairs = b.pairwise[(b.pairwise["variable"] == variable) & (b.pairwise["p_adjusted"] < b.alpha)]
                named = [s for s in i.sentences if s.subject and s.subject.startswith(f"{variable}: ")]
                assert len(named) == len(pairs)  # every pair that differs, and no other
                for (_, row), s in zip(pairs.iterrows(), named):
                    hi = row["column"] if row["difference"] > 0 else row["other"]
                    assert s.subject.split(": ", 1)[1].startswith(str(hi))
                    assert f"{abs(row['difference']):.2f}" in s.text
    strict = sk.RuleSet(significance=0.001)
    b = next(iter(banners.values()))
    assert all(s.criterion == "p < 0.001" for s in b.interpret("en", strict).sentences if s.criterion)
