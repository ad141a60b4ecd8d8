"""sem with estimator="MLR", missing="fiml" and BCa bootstrap intervals, against R lavaan 0.6.14
(tests/reference/sem_robust.R -> data/sem_robust_expected.csv; inputs from
tests/reference/make_sem_robust_input.py: skewed five-point Likert items in two segments, and 1-7
items with 10-20% of the answers blank at random given x1 plus three empty rows).

Tolerances:

* Estimates, se, z, std_all, fit measures (including chi2_scaled, the scaling factor and the robust
  CFI / TLI / RMSEA) and the scaled Δχ²: ``rtol=1e-4`` (iterative: lavaan's nlminb stops ~1e-6
  relative from the optimum; the largest differences seen are 5e-6 relative on an estimate and
  4e-6 on a robust se, whose observed information is a numerical Hessian in both programs);
  ``atol=1e-7`` for p-values lavaan prints as 0; interval bounds ``atol=1e-4·se``.
* Counts (n, df) exact. MLR under FIML (``mlr_fiml``): the same tolerances; its bread, the saturated
  model's observed information and so the scaling factor are numerical Hessians in both programs.
* BCa: the same formula applied by hand to a loop of refits (bootstrap and leave-one-out) on the
  same rows, 1e-10: both come from the same Fisher-scoring fits.
"""

from __future__ import annotations

import importlib
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import surveykit as sk
from surveykit.errors import DataError, SurveykitWarning

from test_sem import _close, compare_estimates  # the comparison with lavaan's parameterEstimates

REF = Path(__file__).parent / "reference" / "data"
EXPECTED = pd.read_csv(REF / "sem_robust_expected.csv", keep_default_na=False, na_values=["NA"])
MED = """
  X =~ x1 + x2 + x3
  M =~ m1 + m2 + m3
  Y =~ y1 + y2 + y3
  M ~ a*X
  Y ~ b*M + c*X
  ab := a*b
"""
DIRECT0 = MED.replace("c*X", "0*X")
CFA3 = "X =~ x1 + x2 + x3\nM =~ m1 + m2 + m3\nY =~ y1 + y2 + y3"
MODELS = {
    "mlr": ("likert", MED, {"estimator": "MLR"}),
    "mlr_direct0": ("likert", DIRECT0, {"estimator": "MLR"}),
    "mlr_means": ("likert", MED + "\n y1 ~ 1", {"estimator": "MLR"}),
    "mlr_configural": ("likert", CFA3, {"estimator": "MLR", "group": "segment"}),
    "mlr_metric": ("likert", CFA3, {"estimator": "MLR", "group": "segment", "group_equal": "loadings"}),
    "fiml": ("missing", MED, {"missing": "fiml"}),
    "fiml_direct0": ("missing", DIRECT0, {"missing": "fiml"}),
    "mlr_fiml": ("missing", MED, {"estimator": "MLR", "missing": "fiml"}),
    "mlr_fiml_direct0": ("missing", DIRECT0, {"estimator": "MLR", "missing": "fiml"}),
    "mlr_saturated": ("likert", "X =~ x1 + x2 + x3", {"estimator": "MLR"}),
    "mlr_fiml_saturated": ("missing", "X =~ x1 + x2 + x3", {"estimator": "MLR", "missing": "fiml"}),
}


@cache
def data(name):
    return pd.read_csv(REF / f"sem_{name}.csv")


@cache
def fitted(name):
    source, model, options = MODELS[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SurveykitWarning)
        result = sk.sem(data(source), model, **options)
    return result, [str(w.message) for w in caught]


@pytest.mark.parametrize("name", list(MODELS))
def test_fit_measures_match_lavaan(name):
    r, _ = fitted(name)
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "fit")].set_index("lhs")["est"]
    assert r.fit["df"] == ref["df"] and r.n_obs == ref["n_obs"]
    if name.startswith("mlr"):
        assert {"chi2_scaled", "scaling_factor", "cfi_robust", "tli_robust", "rmsea_robust"} <= set(ref.index)
    for key in ref.index.drop("n_obs"):
        assert _close(r.fit[key], ref[key]), (key, r.fit[key], ref[key])


@pytest.mark.parametrize("name", list(MODELS))
def test_estimates_and_robust_se_match_lavaan(name):
    compare_estimates(fitted(name)[0], EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "param")])


def test_mlr_changes_the_se_but_not_the_estimates():
    ml = sk.sem(data("likert"), MED)
    mlr, _ = fitted("mlr")
    assert np.allclose(ml.estimates["est"], mlr.estimates["est"], rtol=1e-9)
    free = ml.estimates["se"].notna()
    ratio = mlr.estimates.loc[free, "se"] / ml.estimates.loc[free, "se"]
    assert (ratio - 1).abs().max() > 0.05  # skewed answers: the sandwich moves some se by more than 5%
    assert "chi2_scaled" not in ml.fit and "cfi_robust" in mlr.fit
    assert "cfi_robust" in mlr.summary().as_text()


@pytest.mark.parametrize("pair", [("mlr", "mlr_direct0"), ("mlr_configural", "mlr_metric"), ("fiml", "fiml_direct0"),
                                  ("mlr_fiml", "mlr_fiml_direct0")])
def test_compare_is_lavtestlrt_satorra_bentler_2001(pair):
    a, b = fitted(pair[0])[0], fitted(pair[1])[0]
    table = sk.compare(b, a)
    ref = EXPECTED[(EXPECTED.kind == "anova") & (EXPECTED.model == pair[1])].iloc[0]
    row = table.iloc[1]
    assert row["df_diff"] == ref["se"]
    assert _close(row["chi2_diff"], ref["est"]) and _close(row["p_value"], ref["p_value"])
    plain = b.fit["chi2"] - a.fit["chi2"]
    if pair[0].startswith("mlr"):
        assert row["chi2_diff"] != pytest.approx(plain, rel=1e-3)  # scaled, not the plain difference
        assert row["scaling_diff"] == pytest.approx(plain / row["chi2_diff"], rel=1e-12)
    else:
        assert row["chi2_diff"] == pytest.approx(plain, rel=1e-12) and row["scaling_diff"] == 1


def test_compare_refuses_fits_of_different_estimators():
    with pytest.raises(ValueError, match="fitted differently"):
        sk.compare(sk.sem(data("likert"), DIRECT0), fitted("mlr")[0])


def test_fiml_drops_only_empty_rows_and_says_so():
    r, caught = fitted("fiml")
    assert r.n_obs == 497 and r.n_dropped == 3
    assert any("3 rows answer none of the model variables" in n and "7, 123, 411" in n for n in r.notes)
    assert any("3 rows answer none" in w for w in caught)
    listwise = sk.sem(data("missing"), MED)
    assert listwise.n_obs < 400  # listwise deletion would lose a fifth of the respondents
    with pytest.raises(ValueError, match="single-group models fitted with estimator='ML' and missing='listwise'"):
        r.modification_indices()


def test_fiml_on_complete_data_is_ml_with_a_mean_structure():
    rows = data("missing").dropna()
    fiml = sk.sem(rows, MED, missing="fiml")
    ml = sk.sem(rows, MED + "\n x1 ~ 1")  # a mean structure, as FIML has
    key = ["lhs", "op", "rhs"]
    est = fiml.estimates.set_index(key)["est"].align(ml.estimates.set_index(key)["est"], join="outer")
    assert np.allclose(*est, rtol=1e-7, atol=1e-10)
    assert fiml.fit["chi2"] == pytest.approx(ml.fit["chi2"], rel=1e-7)
    assert fiml.fit["cfi"] == pytest.approx(ml.fit["cfi"], rel=1e-7)


def test_mlr_under_fiml_keeps_the_fiml_estimates_and_robust_indices_use_the_corrected_chi2():
    fiml, mlr = fitted("fiml")[0], fitted("mlr_fiml")[0]
    assert np.allclose(fiml.estimates["est"], mlr.estimates["est"], rtol=1e-9)
    assert mlr.fit["chi2"] == pytest.approx(fiml.fit["chi2"], rel=1e-9)
    free = fiml.estimates["se"].notna()
    assert not np.allclose(fiml.estimates.loc[free, "se"], mlr.estimates.loc[free, "se"], rtol=1e-3)
    # lavaan's robust CFI under FIML is not the complete-data formula applied to chi2 and chi2_scaled
    assert mlr.fit["cfi_robust"] != pytest.approx(fiml.fit["cfi"], rel=1e-4)
    assert "rmsea_robust" in mlr.summary().as_text()


def test_blank_variable_is_an_error_under_fiml():
    d = data("missing").assign(y3=np.nan)
    with pytest.raises(DataError, match=r"\['y3'\] are constant \(or blank\)"):
        sk.sem(d, MED, missing="fiml")


def _bca_by_hand(values, est, jack, level=0.95):
    """BCa (Efron & Tibshirani 1993, 14.3) written out: ties count half in z0, the jackknife over every
    respondent (duplicates included), R type-7 quantiles."""
    z0 = stats.norm.ppf((np.sum(values < est) + np.sum(values <= est)) / (2 * len(values)))
    d = jack.mean() - jack
    a = np.sum(d ** 3) / (6 * np.sum(d ** 2) ** 1.5)
    z = stats.norm.ppf([(1 - level) / 2, (1 + level) / 2])
    return np.quantile(values, stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z))))


def test_bootstrap_percentile_and_bca_equal_a_loop_of_refits():
    rows = data("likert").iloc[::8]  # 100 respondents, 33 of them with the answers of another (shared refits)
    model = "M =~ m1 + m2 + m3\nY =~ y1 + y2 + y3\nY ~ b*M\nb2 := b^2"
    r = sk.sem(rows, model, bootstrap=30, seed=3)
    rng = np.random.default_rng(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        boot = np.array([sk.sem(rows.iloc[rng.integers(0, len(rows), len(rows))], model).defined["est"]
                         for _ in range(30)])
        jack = np.array([sk.sem(rows.drop(index=i), model).defined["est"] for i in rows.index])
    assert len(rows.drop_duplicates()) < len(rows)
    for j, d in r.defined.iterrows():
        assert d["ci_low"] == pytest.approx(np.quantile(boot[:, j], 0.025), rel=1e-10)
        assert d["ci_high"] == pytest.approx(np.quantile(boot[:, j], 0.975), rel=1e-10)
        low, high = _bca_by_hand(boot[:, j], d["est"], jack[:, j])
        assert d["ci_low_bca"] == pytest.approx(low, rel=1e-10) and d["ci_high_bca"] == pytest.approx(high, rel=1e-10)
        assert abs(d["ci_low_bca"] - d["ci_low"]) > 1e-6  # BCa moved the interval
    plain = sk.sem(rows, model)
    assert plain.defined[["ci_low_bca", "ci_high_bca"]].isna().all().all()


def test_bootstrap_under_fiml_beyond_the_jackknife_bound_gives_percentile_and_says_why_not_bca(monkeypatch):
    monkeypatch.setattr(importlib.import_module("surveykit.structural.sem"), "FIML_JACKKNIFE_MAX", 100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SurveykitWarning)
        r = sk.sem(data("missing").head(150), MED, missing="fiml", bootstrap=5, seed=1)
    assert any("BCa intervals are not computed under missing='fiml' for more than 100 distinct answer rows (here "
               "148" in str(w.message) for w in caught)
    assert any("BCa intervals are not computed" in n for n in r.notes)
    d = r.defined.iloc[0]
    assert np.isfinite([d["ci_low"], d["ci_high"], d["se"]]).all() and np.isnan(d["ci_low_bca"])


def test_unidentified_model_with_nonnegative_df_has_no_standard_errors():
    # X has two indicators and no covariance with M: its loading and variance are not separately identified
    with pytest.warns(SurveykitWarning, match="information matrix is singular"):
        r = sk.sem(data("likert"), "X =~ x1 + x2\nM =~ m1 + m2 + m3\nX ~~ 0*M")
    assert r.fit["df"] >= 0 and r.estimates["se"].isna().all()
    assert any("not identified" in n for n in r.notes)
    with pytest.raises(ValueError, match="identified single-group models"):
        r.modification_indices()


def test_bad_options_name_the_parameter():
    with pytest.raises(ValueError, match="estimator"):
        sk.sem(data("likert"), MED, estimator="WLSMV")
    with pytest.raises(ValueError, match="missing"):
        sk.sem(data("likert"), MED, missing="pairwise")


def test_every_fixture_row_is_read_by_a_test():
    assert set(EXPECTED["model"]) == set(MODELS)
    assert set(EXPECTED["kind"]) == {"param", "fit", "anova"}
