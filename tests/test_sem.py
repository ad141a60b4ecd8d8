"""sem, compare and invariance against R lavaan 0.6.14 (tests/reference/sem.R -> data/sem_expected.csv).

Inputs: tests/reference/make_sem_input.py (latent mediation with a correlated residual and 4%
blanks, a second-order model, two segments for invariance).

Tolerances:

* Estimates, se, std_all, defined parameters (delta method), R² and fit measures:
  ``rtol=1e-4`` (iterative: lavaan's nlminb stops ~1e-6 relative from the optimum that our
  Fisher scoring reaches; the largest differences seen: 1.6e-5 relative on an estimate, 3e-6 on
  SRMR, 1e-10 on chi2, CFI, TLI, RMSEA); ``atol=1e-7`` for values lavaan prints as 0
  (p-values) or bounds at 0; interval bounds near 0: ``atol=1e-4·se`` (est ∓ 1.96 se cancels).
  Fixed parameters: lavaan's se = 0 is NaN here.
* Modification indices: ``rtol=1e-3, atol=2e-4``. An MI is a squared gradient of a parameter
  fixed at 0; lavaan's estimates stop with gradients ~1e-6, which moves its small MIs by up to
  4e-5 absolute (3e-3 relative on an MI of 2e-6).
* Bootstrap percentile intervals: identical (1e-10) to a loop of refits on the same resamples;
  against lavaan's (other resamples, B = 1000) within 0.35 se, about 3 Monte-Carlo sds of the
  difference of two 2.5% / 97.5% quantiles.
* Correlation residuals: ``atol=1e-5`` (differences of nearly equal correlations; largest seen 1.8e-6).
* Counts (n, df) exact.
"""

from __future__ import annotations

import pickle
import re
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import SurveykitWarning
from surveykit.structural import _ram
from surveykit.structural._syntax import parse_model

REF = Path(__file__).parent / "reference" / "data"
EXPECTED = pd.read_csv(REF / "sem_expected.csv", keep_default_na=False, na_values=["NA"])
MEDIATION = """
  X =~ x1 + x2 + x3
  M =~ m1 + m2 + m3
  Y =~ y1 + y2 + y3
  M ~ a*X
  Y ~ b*M + c*X
  x3 ~~ y3
  ab := a*b
  total := c + a*b
"""
SECOND = """
  quality =~ q1 + q2 + q3
  service =~ s1 + s2 + s3
  price =~ p1 + p2 + p3
  value =~ quality + service + price
  loyalty =~ l1 + l2 + l3
  loyalty ~ g*value
  g2 := g^2
"""
TWO = "F1 =~ a1 + a2 + a3 + a4\nF2 =~ b1 + b2 + b3 + b4"
EQUAL = {"configural": (), "metric": ("loadings",), "scalar": ("loadings", "intercepts"),
         "strict": ("loadings", "intercepts", "residuals")}


@cache
def data(name):
    return pd.read_csv(REF / f"sem_{name}.csv")


@cache
def fitted(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", SurveykitWarning)  # a reference fit must converge cleanly
        if name == "mediation":
            return sk.sem(data("mediation"), MEDIATION)
        if name == "mediation_means":
            return sk.sem(data("mediation"), MEDIATION + "\n y1 ~ 1")
        if name == "second_order":
            return sk.sem(data("second_order"), SECOND)
        if name in PARTIAL:
            equal, partial = PARTIAL[name]
            return sk.sem(data("groups"), TWO, group="segment", group_equal=equal, group_partial=partial)
        return sk.sem(data("groups"), TWO, group="segment", group_equal=EQUAL[name])


PARTIAL = {"metric_partial": (("loadings",), "F2 =~ b4"),
           "scalar_partial": (("loadings", "intercepts"), ("F2=~b4", "a4 ~ 1"))}
MODELS = ["mediation", "mediation_means", "second_order", "configural", "metric", "scalar", "strict", *PARTIAL]


def _close(ours, ref, rtol=1e-4, atol=1e-7):
    ours, ref = np.asarray(ours, float), np.asarray(ref, float)
    return np.isclose(ours, ref, rtol=rtol, atol=atol) | (np.isnan(ours) & np.isnan(ref))


@pytest.mark.parametrize("name", MODELS)
def test_fit_measures_match_lavaan(name):
    fit = fitted(name).fit
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "fit")].set_index("lhs")["est"]
    assert fit["df"] == ref["df"]
    for key in ref.index:
        assert _close(fit[key], ref[key]), (key, fit[key], ref[key])


@pytest.mark.parametrize("name", MODELS)
def test_estimates_match_lavaan_parameter_estimates(name):
    compare_estimates(fitted(name), EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "param")])


def compare_estimates(r, ref):
    """Our estimates and defined parameters against lavaan's parameterEstimates rows (shared with
    test_sem_robust, test_sem_fiml and test_sem_moments)."""
    ours = pd.concat([r.estimates, r.defined], ignore_index=True)
    number = {g: i + 1 for i, g in enumerate(r.groups)}
    ours["g"] = [0 if op == ":=" else number.get(g, 1) for op, g in zip(ours["op"], ours["group"])]
    ref = ref.copy()
    ref["rhs"] = ref["rhs"].fillna("")
    m = ref.merge(ours, left_on=["lhs", "op", "rhs", "group"], right_on=["lhs", "op", "rhs", "g"],
                  suffixes=("_r", ""), how="outer", indicator=True)
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", ["lhs", "op", "rhs", "_merge"]]
    if "label_r" in m:
        assert (m["label"].fillna("") == m["label_r"].fillna("")).all()
    fixed = m["se_r"] == 0
    assert m.loc[fixed, "se"].isna().all() and m.loc[~fixed, "se"].notna().all()
    for col in ("est", "std_all"):
        assert _close(m[col], m[col + "_r"]).all(), m.loc[~_close(m[col], m[col + "_r"]), ["lhs", "op", "rhs", col]]
    free = m[~fixed]
    for col in ("se", "z", "p_value", "ci_low", "ci_high"):
        # an interval bound is est -/+ 1.96 se: relative to se where it crosses 0 (cancellation)
        atol = 1e-4 * free["se_r"].to_numpy() if col.startswith("ci") else 1e-7
        ok = _close(free[col], free[col + "_r"], atol=atol)
        assert ok.all(), free.loc[~ok, ["lhs", "op", "rhs", col, col + "_r"]]


@pytest.mark.parametrize("name", MODELS)
def test_r2_matches_lavaan(name):
    r = fitted(name)
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "r2")]
    ours = r.r2.assign(g=[{g: i + 1 for i, g in enumerate(r.groups)}.get(g, 1) for g in r.r2["group"]])
    m = ref.merge(ours, left_on=["lhs", "group"], right_on=["variable", "g"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all() and len(m) == len(ref)
    assert _close(m["r2"], m["est"]).all()


@pytest.mark.parametrize("name", MODELS)
def test_correlation_residuals_match_lavaan(name):
    r = fitted(name)
    res = r.residuals()
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "resid")]
    assert len(ref) == len(r.groups) * len(r.sample_cov.columns) * (len(r.sample_cov.columns) + 1) // 2
    for row in ref.itertuples():
        block = res if len(r.groups) == 1 else res.loc[r.groups[row.group - 1]]
        # residuals are differences of nearly equal correlations: absolute tolerance (rtol 1e-4 of a correlation)
        assert block.loc[row.lhs, row.rhs] == pytest.approx(row.est, abs=1e-5), (row.lhs, row.rhs, row.group)
    s = r.sample_cov if len(r.groups) == 1 else r.sample_cov.loc[r.groups[0]]
    assert np.allclose(s, np.cov(_rows_used(name, r.groups[0]), rowvar=False, bias=True), rtol=1e-12)


def _rows_used(name, group):
    grouped = name in EQUAL or name in PARTIAL
    d = data("groups" if grouped else ("second_order" if name == "second_order" else "mediation")).dropna()
    if grouped:
        d = d[d["segment"] == group]
    return d[list(fitted(name).sample_cov.columns)].to_numpy(float)


@pytest.mark.parametrize("name", ["mediation", "second_order"])
def test_modification_indices_match_lavaan(name):
    mi = fitted(name).modification_indices()
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "mi")]
    m = ref.merge(mi, on=["lhs", "op", "rhs"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all() and len(mi) == len(ref)
    assert _close(m["mi"], m["est"], rtol=1e-3, atol=2e-4).all()
    assert _close(m["epc_y"], m["epc_x"], rtol=1e-3, atol=2e-4).all()
    assert mi["mi"].is_monotonic_decreasing


@pytest.mark.parametrize("pair", [("configural", "metric"), ("metric", "scalar"), ("scalar", "strict"),
                                  ("configural", "metric_partial"), ("metric_partial", "scalar_partial")])
def test_compare_is_lavaan_anova(pair):
    table = sk.compare(fitted(pair[1]), fitted(pair[0]))  # either order
    ref = EXPECTED[(EXPECTED.model == pair[1]) & (EXPECTED.kind == "anova")].iloc[0]
    row = table.iloc[1]
    assert row["df_diff"] == ref["se"] and row["df"] == fitted(pair[1]).fit["df"]
    assert _close(row["chi2_diff"], ref["est"]) and _close(row["p_value"], ref["p_value"])
    assert row["aic_diff"] == pytest.approx(fitted(pair[1]).fit["aic"] - fitted(pair[0]).fit["aic"], rel=1e-12)


def test_invariance_table_is_the_four_lavaan_fits():
    r = sk.invariance(data("groups"), TWO, "segment")
    assert isinstance(r, sk.InvarianceResult) and all(isinstance(f, sk.SEMResult) for f in r.fits.values())
    for level in EQUAL:
        ref = EXPECTED[(EXPECTED.model == level) & (EXPECTED.kind == "fit")].set_index("lhs")["est"]
        for key in ("chi2", "df", "cfi", "tli", "rmsea", "srmr"):
            assert _close(r.table.loc[level, key], ref[key]), (level, key)
    d = r.table.loc["metric"]
    assert d["df_diff"] == 6 and d["cfi_diff"] == pytest.approx(r.table.loc["metric", "cfi"]
                                                               - r.table.loc["configural", "cfi"])
    # the verdict follows Chen's cut-offs level by level
    for level in ("metric", "scalar", "strict"):
        row = r.table.loc[level]
        cut = 0.03 if level == "metric" else 0.01
        assert row["holds"] == (row["cfi_diff"] >= -0.01 and row["rmsea_diff"] <= 0.015 and row["srmr_diff"] <= cut)
    scalar = fitted("scalar").estimates
    means = scalar[(scalar.op == "~1") & scalar.lhs.isin(["F1", "F2"]) & (scalar.group == "B")]
    assert np.allclose(r.latent_means["est"], means["est"]) and list(r.latent_means["factor"]) == ["F1", "F2"]
    assert "\n" not in repr(r) and r.summary().as_text() and r._repr_html_().startswith("<div")
    pickle.loads(pickle.dumps(r))


def test_invariance_highest_level_stops_at_first_failure():
    r = sk.invariance(data("groups"), TWO, "segment")
    expected = None
    for level in EQUAL:
        if r.table.loc[level, "holds"] != True:  # noqa: E712 (NaN on a first level that is not configural)
            break
        expected = level
    assert r.highest == expected
    # the data have a shifted intercept (a4) and a smaller loading (b4) in segment B: metric fails
    assert r.highest == "configural" and not r.table.loc["metric", "holds"]
    later = sk.invariance(data("groups"), TWO, "segment", levels=("metric", "scalar"))
    assert later.highest is None and list(later.table.index) == ["metric", "scalar"]
    with pytest.raises(ValueError, match="increasing order"):
        sk.invariance(data("groups"), TWO, "segment", levels=("scalar", "metric"))


def test_partial_invariance_frees_the_named_parameters():
    r = sk.invariance(data("groups"), TWO, "segment", levels=("configural", "metric", "scalar"),
                      partial=["F2 =~ b4", "a4 ~ 1"])
    for level, ref_name in (("metric", "metric_partial"), ("scalar", "scalar_partial")):
        ref = EXPECTED[(EXPECTED.model == ref_name) & (EXPECTED.kind == "fit")].set_index("lhs")["est"]
        for key in ("chi2", "df", "cfi", "rmsea", "srmr"):
            assert _close(r.table.loc[level, key], ref[key]), (level, key)
    # metric with b4's loading free fits one df fewer than full metric (b4 and a4 ~ 1 are the planted differences)
    assert r.table.loc["metric", "df"] == fitted("metric").fit["df"] - 1
    assert r.partial == ("F2 =~ b4", "a4 ~ 1") and "Partial invariance" in r.summary().as_text()
    with pytest.raises(ValueError, match=r"group_partial names \['F1 =~ b4'\], which are not parameters"):
        sk.sem(data("groups"), TWO, group="segment", group_equal="loadings", group_partial="F1 =~ b4")
    with pytest.raises(ValueError, match="cannot read the group_partial entry"):
        sk.sem(data("groups"), TWO, group="segment", group_equal="loadings", group_partial="b4")


def test_bootstrap_is_the_percentile_of_refits_on_the_same_resamples():
    d = data("mediation")
    r = sk.sem(d, MEDIATION, bootstrap=25, seed=7)
    base = fitted("mediation")
    rows = d.dropna()
    rng = np.random.default_rng(7)
    values = []
    for _ in range(25):
        refit = sk.sem(rows.iloc[rng.integers(0, len(rows), len(rows))], MEDIATION)
        values.append(refit.defined["est"].to_numpy())
    values = np.array(values)
    assert np.allclose(r.defined["ci_low"], np.quantile(values, 0.025, axis=0), rtol=1e-8, atol=1e-10)
    assert np.allclose(r.defined["ci_high"], np.quantile(values, 0.975, axis=0), rtol=1e-8, atol=1e-10)
    assert np.allclose(r.defined["se"], values.std(axis=0, ddof=1), rtol=1e-8)
    assert np.allclose(r.defined["est"], base.defined["est"], rtol=1e-12) and r.n_boot == 25


def test_bootstrap_interval_agrees_with_lavaan_within_monte_carlo_error():
    r = sk.sem(data("mediation"), MEDIATION, bootstrap=1000, seed=1)
    ref = EXPECTED[EXPECTED.kind == "boot"].set_index("lhs")
    for name, row in r.defined.set_index("lhs").iterrows():
        se = ref.loc[name, "se"]
        assert abs(row["ci_low"] - ref.loc[name, "ci_low"]) < 0.35 * se
        assert abs(row["ci_high"] - ref.loc[name, "ci_high"]) < 0.35 * se
        assert abs(row["se"] - se) < 0.1 * se


def test_parser_reads_lavaan_syntax_forms():
    st, defined = parse_model("""
        # a comment
        F =~ NA*x1 + l2*x2 +    ! another comment
             x3
        F ~~ 1*F; x1 ~~ c(0.5, NA)*x1
        y ~ 1
        d := l2^2 / 2
    """)
    assert [(s.lhs, s.op, s.rhs, s.modifier) for s in st] == [
        ("F", "=~", "x1", "NA"), ("F", "=~", "x2", "l2"), ("F", "=~", "x3", None), ("F", "~~", "F", 1.0),
        ("x1", "~~", "x1", (0.5, "NA")), ("y", "~1", "", None)]
    assert defined[0].name == "d" and defined[0].names == ("l2",)
    with pytest.raises(ValueError, match="no operator"):
        parse_model("x3")
    with pytest.raises(ValueError, match="'x2 x3' is not a variable name"):
        parse_model("F =~ x1 + x2\nx3")
    with pytest.raises(ValueError, match="only sqrt"):
        parse_model("F =~ a*x1 + x2\nd := max(a, 1)")


def test_defined_parameters_use_fixed_labels_and_earlier_definitions():
    r = sk.sem(data("mediation"), "X =~ m*x1 + a*x2 + x3\nd := a - m\ne := 2*d")
    e = r.estimates.set_index(["lhs", "op", "rhs"])
    d = r.defined.set_index("lhs")
    assert e.loc[("X", "=~", "x1"), "est"] == 1 and e.loc[("X", "=~", "x1"), "label"] == "m"
    assert d.loc["d", "est"] == pytest.approx(e.loc[("X", "=~", "x2"), "est"] - 1, rel=1e-12)
    assert d.loc["d", "se"] == pytest.approx(e.loc[("X", "=~", "x2"), "se"], rel=1e-10)
    assert d.loc["e", "se"] == pytest.approx(2 * d.loc["d", "se"], rel=1e-10)


def test_delta_method_through_sqrt_and_abs():
    """The delta-method se of g2 := g^2 (in the lavaan fixture) is 2|g| se(g); abs passes the complex step."""
    r = sk.sem(data("second_order"), SECOND + "\n h := abs(-g) + sqrt(g^2)")
    g = r.estimates.set_index(["lhs", "op", "rhs"]).loc[("loyalty", "~", "value")]
    d = r.defined.set_index("lhs")
    assert d.loc["h", "est"] == pytest.approx(2 * g["est"], rel=1e-12)
    assert d.loc["h", "se"] == pytest.approx(2 * g["se"], rel=1e-10)
    assert d.loc["g2", "se"] == pytest.approx(2 * abs(g["est"]) * g["se"], rel=1e-10)


def test_fixed_variance_identification_gives_the_same_fit():
    d = data("second_order")
    marker = sk.sem(d, "A =~ q1 + q2 + q3\nB =~ s1 + s2 + s3")
    std_lv = sk.sem(d, "A =~ NA*q1 + q2 + q3\nB =~ NA*s1 + s2 + s3\nA ~~ 1*A\nB ~~ 1*B")
    assert std_lv.fit["df"] == marker.fit["df"] == 8
    assert std_lv.fit["chi2"] == pytest.approx(marker.fit["chi2"], rel=1e-8)
    e = std_lv.estimates.set_index(["lhs", "op", "rhs"])
    m = marker.estimates.set_index(["lhs", "op", "rhs"])
    assert e.loc[("A", "~~", "B"), "est"] == pytest.approx(m.loc[("A", "~~", "B"), "std_all"], rel=1e-6)


def test_labels_constrain_equality_and_compare_tests_it():
    d = data("groups")
    free = sk.sem(d, TWO)
    equal = sk.sem(d, "F1 =~ a1 + l*a2 + l*a3 + a4\nF2 =~ b1 + b2 + b3 + b4")
    e = equal.estimates.set_index(["lhs", "op", "rhs"])
    assert e.loc[("F1", "=~", "a2"), "est"] == e.loc[("F1", "=~", "a3"), "est"]
    assert equal.n_free == free.n_free - 1 and equal.fit["df"] == free.fit["df"] + 1
    table = sk.compare(free, equal)
    assert table["df_diff"].iloc[1] == 1 and table["chi2_diff"].iloc[1] >= 0


def test_result_protocol():
    r = fitted("mediation")
    assert re.fullmatch(r"<SEMResult n_groups=1 n_free=\d+ cfi=\S+ rmsea=\S+ srmr=\S+ n_obs=\d+>", repr(r))
    assert r.n_obs + r.n_dropped == len(data("mediation")) and r.n_dropped > 0
    s = r.summary()
    assert "Defined parameters" in s.as_text() and s.as_markdown() and r._repr_html_().startswith("<div")
    pickle.loads(pickle.dumps(r))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in r.to_frame().columns)
    with pytest.raises(ValueError, match="single-group"):
        fitted("metric").modification_indices()


# ---- bad input -----------------------------------------------------------------------------


def test_unknown_variable_is_named_with_a_suggestion():
    with pytest.raises(ValueError, match=r"'x11'.*neither a column.*Did you mean 'x1'"):
        sk.sem(data("mediation"), "X =~ x1 + x2 + x11")
    with pytest.raises(ValueError, match=r"'Mx'.*neither a column.*factor"):
        sk.sem(data("mediation"), "X =~ x1 + x2 + x3\nM =~ m1 + m2 + m3\nM ~ Mx")


def test_single_indicator_factor_needs_a_fixed_variance():
    model = "X =~ x1 + x2 + x3\nM =~ m1\nM ~ X"
    with pytest.raises(ValueError, match=r"factor 'M' has one indicator \('m1'\).*m1 ~~ 0\*m1"):
        sk.sem(data("mediation"), model)
    ok = sk.sem(data("mediation"), model + "\nm1 ~~ 0*m1")
    assert ok.converged


def test_unsupported_syntax_and_undefined_labels():
    with pytest.raises(ValueError, match="'==' is not supported"):
        sk.sem(data("mediation"), "X =~ x1 + a*x2 + b*x3\na == b")
    with pytest.raises(ValueError, match=r"uses \['q'\], which label no parameter"):
        sk.sem(data("mediation"), "X =~ x1 + a*x2 + x3\nd := a*q")
    with pytest.raises(ValueError, match=r"'d' uses \['e'\]"):
        sk.sem(data("mediation"), "X =~ x1 + a*x2 + x3\nd := e*a\ne := 2*a")
    with pytest.raises(ValueError, match=r"states 'x2 ~~ x1' twice"):
        sk.sem(data("mediation"), "X =~ x1 + x2 + x3\nx1 ~~ x2\nx2 ~~ x1")
    with pytest.raises(ValueError, match=r"more free parameters \(4\) than the data have moments \(3\)"):
        sk.sem(data("mediation"), "X =~ x1 + x2")
    with pytest.raises(ValueError, match="exogenous observed"):
        sk.sem(data("mediation"), "X =~ x1 + x2 + x3\nX ~ m1")
    with pytest.raises(ValueError, match="group_equal"):
        sk.sem(data("groups"), TWO, group_equal="loadings")
    with pytest.raises(ValueError, match="the model has none"):
        sk.sem(data("groups"), TWO, bootstrap=100)
    with pytest.raises(ValueError, match="whole number"):
        sk.sem(data("mediation"), MEDIATION, bootstrap=0.5)


def test_group_smaller_than_the_free_parameters():
    d = pd.concat([data("groups"), data("groups").head(12).assign(segment="C")], ignore_index=True)
    with pytest.raises(ValueError, match=r"group 'C' of 'segment' has 12 usable respondents, fewer than the \d+ free"):
        sk.sem(d, TWO, group="segment")


def test_non_convergence_warns_and_is_carried(monkeypatch):
    monkeypatch.setattr(_ram, "_MAX_ITER", 2)
    with pytest.warns(SurveykitWarning, match="did not converge"):
        r = sk.sem(data("mediation"), MEDIATION)
    assert not r.converged and any("did not converge" in n for n in r.notes)
    assert r.estimates["se"].isna().all() and "DID NOT CONVERGE" in r.summary().as_text()


def test_heywood_case_is_noted():
    rng = np.random.default_rng(5)
    cov = np.array([[1, 0.6, 0.6], [0.6, 1, 0.3], [0.6, 0.3, 1]])  # implies a loading of sqrt(1.2) on x1
    z = rng.normal(size=(500, 3))
    z = (z - z.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False, bias=True)).T)
    d = pd.DataFrame(z @ np.linalg.cholesky(cov).T, columns=["x1", "x2", "x3"])
    with pytest.warns(SurveykitWarning, match="Heywood case"):
        r = sk.sem(d, "F =~ x1 + x2 + x3")
    e = r.estimates.set_index(["lhs", "op", "rhs"])
    assert e.loc[("x1", "~~", "x1"), "est"] == pytest.approx(-0.2, abs=1e-8)
    assert any("negative variance" in n and "x1" in n for n in r.notes)


def test_every_fixture_row_is_read_by_a_test():
    assert set(EXPECTED["model"]) == set(MODELS)
    assert set(EXPECTED["kind"]) == {"param", "fit", "r2", "resid", "mi", "anova", "boot"}
    assert set(EXPECTED.loc[EXPECTED.kind == "mi", "model"]) == {"mediation", "second_order"}
    assert set(EXPECTED.loc[EXPECTED.kind == "boot", "model"]) == {"mediation"}
