"""sem's bootstrap under missing="fiml" and survey weights, against R lavaan 0.6.14
(tests/reference/sem_fiml.R -> data/sem_fiml_expected.csv; inputs sem_missing.csv from
make_sem_robust_input.py and sem_weighted.csv from make_sem_fiml_input.py).

Tolerances:

* Weighted fits (lavaan ``sampling.weights``): estimates, robust se, z, std_all and fit measures
  (chi2, the Yuan-Bentler scaled chi2 and its factor, the robust CFI / TLI / RMSEA) ``rtol=1e-4``
  (iterative: lavaan's nlminb stops ~1e-6 relative from the optimum, and the bread of the sandwich is
  a numerical Hessian in both programs); p-values lavaan prints as 0 ``atol=1e-7``.
* The bootstrap under FIML against a loop of FIML refits on the same resamples and leave-one-out
  rows: 1e-10 (the same Fisher-scoring fits, the same R type-7 quantiles).
* The bootstrap against lavaan's (different random resamples; lavaan B = 1000, ours B = 100):
  within Monte-Carlo error. A 2.5% / 97.5% quantile of B draws has a standard error of about
  sqrt(q (1 - q) / B) / φ(z_q) = 0.156 / 0.0584 / sqrt(B) bootstrap se's; the bounds must agree within
  three of the difference's standard errors (0.84 se) and the bootstrap se within three of its
  relative error (sqrt(1/(2·99) + 1/(2·999)) = 7.5%, so 23%).
"""

from __future__ import annotations

import importlib
import pickle
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
from test_sem import _close, compare_estimates
from test_sem_robust import CFA3, MED, REF, _bca_by_hand

import surveykit as sk
from surveykit.errors import DataError, SurveykitWarning

EXPECTED = pd.read_csv(REF / "sem_fiml_expected.csv", keep_default_na=False, na_values=["NA"])
SMALL = "X =~ x1 + x2\nM =~ m1 + m2\nY =~ y1 + y2\nM ~ a*X\nY ~ b*M\nab := a*b"
WEIGHTED = {"weighted": (MED, {}), "weighted_groups": (CFA3, {"group": "segment"})}
SEM_MODULE = importlib.import_module("surveykit.structural.sem")


@cache
def data(name):
    return pd.read_csv(REF / f"sem_{name}.csv")


@cache
def weighted(name):
    model, options = WEIGHTED[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SurveykitWarning)
        result = sk.sem(data("weighted"), model, weights="w", **options)
    return result, [str(w.message) for w in caught]


def _reference(name, kind):
    return EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == kind)]


# -- survey weights: lavaan's sampling.weights ----------------------------------------------------

@pytest.mark.parametrize("name", list(WEIGHTED))
def test_weighted_fit_measures_match_lavaan_sampling_weights(name):
    r, caught = weighted(name)
    ref = _reference(name, "fit").set_index("lhs")["est"]
    assert r.fit["df"] == ref["df"] and r.n_obs == ref["n_obs"]
    for key in ref.index.drop("n_obs"):
        assert _close(r.fit[key], ref[key]), (key, r.fit[key], ref[key])
    assert r.weighted and r.estimator == "MLR"
    assert any("sampling.weights" in n for n in r.notes) and not any("sampling.weights" in c for c in caught)


@pytest.mark.parametrize("name", list(WEIGHTED))
def test_weighted_estimates_and_robust_se_match_lavaan(name):
    compare_estimates(weighted(name)[0], _reference(name, "param"))


def test_weights_move_the_estimates_and_equal_weights_change_nothing_but_the_se():
    d = data("weighted")
    w, _ = weighted("weighted")
    plain = sk.sem(d, MED)
    assert np.max(np.abs(w.estimates["est"] - plain.estimates["est"])) > 1e-3
    ones = sk.sem(d, MED, weights=np.full(len(d), 2.5))  # any constant weight: the unweighted fit, MLR se
    mlr = sk.sem(d, MED, estimator="MLR")
    assert np.allclose(ones.estimates["est"], plain.estimates["est"], rtol=1e-9)
    assert np.allclose(ones.estimates["se"], mlr.estimates["se"], rtol=1e-6, equal_nan=True)
    assert ones.fit["chi2_scaled"] == pytest.approx(mlr.fit["chi2_scaled"], rel=1e-6)
    assert pickle.loads(pickle.dumps(w)).weighted and not plain.weighted


def test_weighted_invariance_uses_the_scaled_difference_of_the_weighted_fits():
    d = data("weighted")
    inv = sk.invariance(d, CFA3, "segment", levels=("configural", "metric"), weights="w")
    configural, _ = weighted("weighted_groups")
    assert inv.table.loc["configural", "chi2"] == pytest.approx(configural.fit["chi2"], rel=1e-10)
    metric = inv.fits["metric"]
    table = sk.compare(configural, metric)
    assert inv.table.loc["metric", "chi2_diff"] == pytest.approx(table["chi2_diff"].iloc[1], rel=1e-10)
    assert inv.table.loc["metric", "chi2_diff"] != pytest.approx(metric.fit["chi2"] - configural.fit["chi2"],
                                                                 rel=1e-3)


def test_bad_weights_are_named():
    d = data("weighted")
    with pytest.raises(ValueError, match="weights='nope' is not a column"):
        sk.sem(d, MED, weights="nope")
    with pytest.raises(DataError, match="negative"):
        sk.sem(d, MED, weights=np.r_[-1.0, np.ones(len(d) - 1)])
    with pytest.raises(ValueError, match="weights are offered with missing='listwise' and no bootstrap"):
        sk.sem(d, MED, weights="w", missing="fiml")
    with pytest.raises(ValueError, match="weights are offered with missing='listwise' and no bootstrap"):
        sk.sem(d, MED, weights="w", bootstrap=10)


# -- the bootstrap under FIML ---------------------------------------------------------------------

def test_fiml_bootstrap_percentile_and_bca_equal_a_loop_of_fiml_refits():
    rows = data("missing").dropna(how="all").iloc[:100]
    assert rows.isna().any(axis=1).sum() > 20  # respondents are resampled with their blanks
    r = sk.sem(rows, SMALL, missing="fiml", bootstrap=6, seed=6)
    rng = np.random.default_rng(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        # fresh fits from sem's own start values (the bootstrap starts from the full-sample estimates): the
        # same optimum, where each converges (asserted)
        fits = [sk.sem(rows.iloc[rng.integers(0, len(rows), len(rows))], SMALL, missing="fiml") for _ in range(6)]
        fits += [sk.sem(rows.drop(index=i), SMALL, missing="fiml") for i in rows.index]
    assert all(f.converged for f in fits)
    boot = np.array([f.defined["est"] for f in fits[:6]])
    jack = np.array([f.defined["est"] for f in fits[6:]])
    d = r.defined.iloc[0]
    assert d["ci_low"] == pytest.approx(np.quantile(boot[:, 0], 0.025), rel=1e-10)
    assert d["ci_high"] == pytest.approx(np.quantile(boot[:, 0], 0.975), rel=1e-10)
    assert d["se"] == pytest.approx(boot[:, 0].std(ddof=1), rel=1e-10)
    low, high = _bca_by_hand(boot[:, 0], d["est"], jack[:, 0])
    assert d["ci_low_bca"] == pytest.approx(low, rel=1e-10) and d["ci_high_bca"] == pytest.approx(high, rel=1e-10)


def test_fiml_bootstrap_interval_agrees_with_lavaan_within_monte_carlo_error(monkeypatch):
    monkeypatch.setattr(SEM_MODULE, "FIML_JACKKNIFE_MAX", 0)  # the percentile interval only: skip the jackknife
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        r = sk.sem(data("missing"), SMALL, missing="fiml", bootstrap=100, seed=11)
    ref = _reference("fiml_boot", "param").set_index("lhs").loc["ab"]
    d = r.defined.iloc[0]
    assert d["est"] == pytest.approx(ref["est"], rel=1e-4)
    quantile_se = 0.156 / 0.0584 * ref["se"] * np.sqrt(1 / 100 + 1 / 1000)
    assert abs(d["ci_low"] - ref["ci_low"]) < 3 * quantile_se, (d["ci_low"], ref["ci_low"])
    assert abs(d["ci_high"] - ref["ci_high"]) < 3 * quantile_se, (d["ci_high"], ref["ci_high"])
    assert d["se"] == pytest.approx(ref["se"], rel=0.23)
    assert np.isnan(d["ci_low_bca"]) and any("BCa intervals are not computed" in n for n in r.notes)


def test_every_fixture_row_is_read_by_a_test():
    assert set(EXPECTED["model"]) == {"fiml_boot", *WEIGHTED}
