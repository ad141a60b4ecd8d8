"""Key-driver analysis against R: lm + sandwich, MASS::polr, Johnson's relative weights (tests/reference/drivers.R)."""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ref

from surveykit.errors import DataError
from surveykit.indices.drivers import DriversResult, KeyDriversWarning, key_drivers

REF = Path(__file__).parent / "reference" / "data"
DRIVERS = ["quality", "service", "price", "delivery", "support"]
# OLS / WLS and relative weights are closed forms (the same linear algebra as R, written with
# 17 digits): observed agreement ~1e-12 relative; 1e-10 leaves room for BLAS and libm.
RTOL_CLOSED = 1e-10
# Ordered logit: both sides are iterative. Our Newton steps with analytic derivatives stop at
# a gradient of ~1e-12; R's reference is polr polished by Newton steps with numDeriv's
# gradient, whose ~1e-8 noise leaves the estimates ~1e-10 from the maximum (observed 5e-10).
RTOL_OLOGIT_EST = 1e-8
# Standard errors: the reference Hessian is numDeriv's Richardson extrapolation, accurate to
# ~1e-7 relative (observed agreement 1e-7 to 2e-7).
RTOL_OLOGIT_SE = 1e-6
# polr's own numbers: BFGS stops at a gradient of ~2e-5 (estimates off by ~3e-8 relative) and
# its Hessian is a finite difference with step 1e-3 (standard errors off by ~2e-6).
RTOL_POLR = 1e-5


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "drivers_input.csv", index_col="respondent")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "drivers_expected.csv", keep_default_na=False, dtype={"term": str})


def weights_of(data, weighted):
    return "weight" if weighted == "weighted" else None


# ---------------------------------------------------------------------------------------------
# OLS / WLS


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
@pytest.mark.parametrize("robust", [None, "HC0", "HC1", "HC2", "HC3"])
def test_ols_matches_lm_with_sandwich(data, expected, weighted, robust):
    r = key_drivers(data, "overall", DRIVERS, weights=weights_of(data, weighted), robust=robust)
    case = f"ols_{weighted}_{robust or 'const'}"
    table = pd.concat([r.intercept, r.coefficients])
    terms = ["(Intercept)", *DRIVERS]
    for stat in ["estimate", "se", "p_value", "ci_low", "ci_high"]:
        np.testing.assert_allclose(table[stat].to_numpy(), ref(expected, case, stat, terms), rtol=RTOL_CLOSED,
                                   err_msg=stat)
    np.testing.assert_allclose([r.r_squared, r.adj_r_squared],
                               [ref(expected, case, "r_squared"), ref(expected, case, "adj_r_squared")],
                               rtol=RTOL_CLOSED)
    assert r.n_obs == ref(expected, case, "n_obs") == data[["overall", *DRIVERS]].dropna().shape[0]
    assert r.n_dropped == len(data) - r.n_obs > 0
    assert r.cov_type == (robust or "nonrobust") and r.weighted is (weighted == "weighted")
    r90 = key_drivers(data, "overall", DRIVERS, weights=weights_of(data, weighted), robust=robust, ci_level=0.9)
    np.testing.assert_allclose(r90.coefficients[["ci_low", "ci_high"]].to_numpy().T,
                               [ref(expected, case, "ci_low_90", DRIVERS), ref(expected, case, "ci_high_90", DRIVERS)],
                               rtol=RTOL_CLOSED)


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
def test_ols_standardized_betas_and_importance(data, expected, weighted):
    r = key_drivers(data, "overall", DRIVERS, weights=weights_of(data, weighted))
    std = r.coefficients["std_estimate"]
    np.testing.assert_allclose(std.to_numpy(), ref(expected, f"ols_{weighted}", "std_estimate", DRIVERS),
                               rtol=RTOL_CLOSED)
    np.testing.assert_allclose(r.importance.to_numpy(), 100 * std.abs() / std.abs().sum(), rtol=1e-14)
    assert r.importance.sum() == pytest.approx(100, rel=1e-14)
    assert list(r.coefficients.index) == DRIVERS and r.coefficients.index.name == "driver"
    assert list(r.coefficients.columns) == ["estimate", "se", "p_value", "ci_low", "ci_high", "std_estimate", "vif",
                                            "tolerance"]


# ---------------------------------------------------------------------------------------------
# ordered logit


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
@pytest.mark.parametrize("robust, column", [(None, "se"), ("HC0", "se_hc0"), ("HC1", "se_hc1")])
def test_ordered_logit_matches_polr(data, expected, weighted, robust, column):
    r = key_drivers(data, "overall", DRIVERS, method="ordered_logit", weights=weights_of(data, weighted),
                    robust=robust)
    case = f"ologit_{weighted}"
    # polr's zeta are the cut points: OrderedModel's exp-increment thresholds are converted
    assert list(r.thresholds.index) == ["1|2", "2|3", "3|4", "4|5"]
    terms = [*DRIVERS, *r.thresholds.index]
    est = np.r_[r.coefficients["estimate"], r.thresholds["estimate"]]
    se = np.r_[r.coefficients["se"], r.thresholds["se"]]
    np.testing.assert_allclose(est, ref(expected, case, "estimate", terms), rtol=RTOL_OLOGIT_EST)
    np.testing.assert_allclose(est, ref(expected, case, "estimate_polr", terms), rtol=RTOL_POLR)
    np.testing.assert_allclose(se, ref(expected, case, column, terms), rtol=RTOL_OLOGIT_SE)
    if robust is None:
        np.testing.assert_allclose(r.coefficients["p_value"], ref(expected, case, "p_value", DRIVERS),
                                   rtol=RTOL_OLOGIT_SE)
        np.testing.assert_allclose(r.coefficients[["ci_low", "ci_high"]].to_numpy().T,
                                   [ref(expected, case, "ci_low", DRIVERS), ref(expected, case, "ci_high", DRIVERS)],
                                   rtol=RTOL_OLOGIT_SE)
        np.testing.assert_allclose(se, ref(expected, case, "se_polr", terms), rtol=RTOL_POLR)
    if robust == "HC0":
        np.testing.assert_allclose(se, ref(expected, case, "se_sandwich_pkg", terms), rtol=RTOL_POLR)
    # the log-likelihood is flat at the maximum: it agrees to rounding
    np.testing.assert_allclose([r.log_likelihood, r.r_squared],
                               [ref(expected, case, "log_likelihood"), ref(expected, case, "pseudo_r_squared")],
                               rtol=1e-12)
    np.testing.assert_allclose(r.coefficients["std_estimate"], ref(expected, case, "std_estimate", DRIVERS),
                               rtol=RTOL_OLOGIT_EST)
    assert np.isnan(r.adj_r_squared) and r.intercept is None
    assert r.n_obs == ref(expected, case, "n_obs")
    assert r.cov_type == (robust or "nonrobust")


def test_ordered_logit_signs_follow_polr_and_importance(data):
    """Positive coefficient = higher outcome levels, as polr (and as the OLS slopes here)."""
    ol = key_drivers(data, "overall", DRIVERS, method="ordered_logit")
    ols = key_drivers(data, "overall", DRIVERS)
    assert (ol.coefficients["estimate"] > 0).all() and (ols.coefficients["estimate"] > 0).all()
    b_sd = ol.coefficients["estimate"] * data.loc[data[["overall", *DRIVERS]].notna().all(axis=1), DRIVERS].std()
    np.testing.assert_allclose(ol.importance, 100 * b_sd / b_sd.sum(), rtol=1e-12)
    assert ol.importance.idxmax() == "service" and ol.importance.sum() == pytest.approx(100, rel=1e-14)
    assert (np.diff(ol.thresholds["estimate"]) > 0).all()


def test_ordered_logit_hc2_hc3_use_the_hc0_sandwich(data):
    hc0 = key_drivers(data, "overall", DRIVERS, method="ordered_logit", robust="HC0")
    hc3 = key_drivers(data, "overall", DRIVERS, method="ordered_logit")  # the default robust='HC3'
    assert hc3.cov_type == "HC0"
    pd.testing.assert_frame_equal(hc3.coefficients, hc0.coefficients)
    assert any("HC3 is defined for linear regression only" in n for n in hc3.notes)
    assert "HC0 (sandwich)" in hc3.summary().as_text()


def test_ordered_logit_accepts_two_levels_and_unused_codes():
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    latent = x.a + 0.5 * x.b + rng.logistic(size=200)
    x["y2"] = np.where(latent > 0, 5.0, 1.0)  # 1 and 5 only: a binary logit, levels 1 and 5
    r = key_drivers(x, "y2", ["a", "b"], method="ordered_logit", robust=None)
    assert list(r.thresholds.index) == ["1|5"]
    # equals a logistic regression of (y == 5) with intercept -cut
    import statsmodels.api as sm

    logit = sm.Logit((x.y2 == 5).astype(float), sm.add_constant(x[["a", "b"]])).fit(disp=False)
    np.testing.assert_allclose(r.coefficients["estimate"], logit.params[["a", "b"]], rtol=1e-8)
    np.testing.assert_allclose(r.thresholds["estimate"].iloc[0], -logit.params["const"], rtol=1e-8)
    np.testing.assert_allclose(r.coefficients["se"], logit.bse[["a", "b"]], rtol=1e-6)


def test_separation_warns_and_names_the_driver(data):
    x = data.dropna().copy()
    x["top_quality"] = (x.quality == 7).astype(float)
    x.loc[x.top_quality == 1, "overall"] = 5  # every respondent with quality 7 gave the top rating
    with pytest.warns(KeyDriversWarning, match=r"driver 'top_quality' predicts the outcome levels") as rec:
        r = key_drivers(x, "overall", ["top_quality", "service"], method="ordered_logit")
    assert len(rec) == 1 and any("unreliable" in n for n in r.notes)


def test_statsmodels_warnings_do_not_leak(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in ["ols", "ordered_logit", "relative_weights"]:
            key_drivers(data, "overall", DRIVERS, method=method, weights="weight", bootstrap=50, seed=0)


# ---------------------------------------------------------------------------------------------
# relative weights


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
def test_relative_weights_match_the_formula_in_r(data, expected, weighted):
    r = key_drivers(data, "overall", DRIVERS, method="relative_weights", weights=weights_of(data, weighted),
                    bootstrap=0)
    case = f"rw_{weighted}"
    np.testing.assert_allclose(r.coefficients["estimate"], ref(expected, case, "estimate", DRIVERS), rtol=RTOL_CLOSED)
    np.testing.assert_allclose(r.coefficients["share"], ref(expected, case, "share", DRIVERS), rtol=RTOL_CLOSED)
    np.testing.assert_allclose(r.importance, r.coefficients["share"], rtol=0)
    # the raw weights split the (weighted) regression R^2 of lm
    np.testing.assert_allclose([r.r_squared, r.coefficients["estimate"].sum()], ref(expected, case, "r_squared_lm"),
                               rtol=RTOL_CLOSED)
    ols = key_drivers(data, "overall", DRIVERS, weights=weights_of(data, weighted))
    np.testing.assert_allclose([r.r_squared, r.adj_r_squared], [ols.r_squared, ols.adj_r_squared], rtol=1e-12)
    assert r.importance.sum() == pytest.approx(100, rel=1e-14)
    assert r.coefficients[["p_value", "se", "ci_low", "share_ci_high"]].isna().all().all()
    assert r.n_boot == 0 and r.bootstrap_distribution is None and r.cov_type == "bootstrap"


def test_relative_weights_of_uncorrelated_drivers_are_squared_correlations():
    """With orthogonal drivers RW_j = r_jy^2, a textbook property of Johnson's method."""
    a = np.tile([-1.0, 1.0, -1.0, 1.0], 25)
    b = np.tile([-1.0, -1.0, 1.0, 1.0], 25)  # exactly uncorrelated with a
    y = 2 * a + b + np.random.default_rng(4).normal(size=100)
    x = pd.DataFrame({"a": a, "b": b, "y": y})
    r = key_drivers(x, "y", ["a", "b"], method="relative_weights", bootstrap=0)
    np.testing.assert_allclose(r.coefficients["estimate"], [np.corrcoef(a, y)[0, 1] ** 2, np.corrcoef(b, y)[0, 1] ** 2],
                               rtol=1e-12)


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
def test_batched_bootstrap_equals_a_naive_loop(data, weighted):
    """Resample b is rng.integers(0, n, n) over the complete rows; refitting each resample gives the same weights."""
    n_boot, seed = 60, 11
    r = key_drivers(data, "overall", DRIVERS, method="relative_weights", weights=weights_of(data, weighted),
                    bootstrap=n_boot, seed=seed)
    complete = data[data[["overall", *DRIVERS]].notna().all(axis=1)]
    rng = np.random.default_rng(seed)
    naive = []
    for _ in range(n_boot):
        resample = complete.iloc[rng.integers(0, len(complete), len(complete))]
        naive.append(key_drivers(resample, "overall", DRIVERS, method="relative_weights",
                                 weights=weights_of(data, weighted), bootstrap=0).coefficients["estimate"])
    naive = pd.DataFrame(naive).reset_index(drop=True)
    assert r.bootstrap_distribution.shape == (n_boot, len(DRIVERS))
    np.testing.assert_allclose(r.bootstrap_distribution.to_numpy(), naive.to_numpy(), rtol=1e-10, atol=1e-13)
    boot = r.bootstrap_distribution
    np.testing.assert_allclose(r.coefficients["se"], boot.std(ddof=1), rtol=1e-12)
    np.testing.assert_allclose(r.coefficients["ci_low"], boot.quantile(0.025), rtol=1e-12)
    shares = 100 * boot.div(boot.sum(axis=1), axis=0)
    np.testing.assert_allclose(r.coefficients["share_ci_high"], shares.quantile(0.975), rtol=1e-12)


def test_bootstrap_is_seeded_and_intervals_make_sense(data):
    kw = {"method": "relative_weights", "bootstrap": 400}
    a = key_drivers(data, "overall", DRIVERS, seed=5, **kw)
    b = key_drivers(data, "overall", DRIVERS, seed=5, **kw)
    c = key_drivers(data, "overall", DRIVERS, seed=6, **kw)
    pd.testing.assert_frame_equal(a.coefficients, b.coefficients)
    assert not np.allclose(a.coefficients["ci_low"], c.coefficients["ci_low"])
    t = a.coefficients
    assert ((t.ci_low < t.estimate) & (t.estimate < t.ci_high)).all()
    assert ((t.share_ci_low < t.share) & (t.share < t.share_ci_high)).all()
    assert ((t.share_ci_low > 0) & (t.share_ci_high < 100)).all() and (t.se > 0).all()
    assert a.n_boot == 400 and a.ci_method == "percentile"
    bca = key_drivers(data, "overall", DRIVERS, seed=5, ci_method="bca", **kw)
    pd.testing.assert_frame_equal(bca.bootstrap_distribution, a.bootstrap_distribution)  # same draws
    tb = bca.coefficients
    assert not np.allclose(tb.ci_low, t.ci_low) and ((tb.ci_low < tb.estimate) & (tb.estimate < tb.ci_high)).all()
    assert "400 bootstrap resamples, 95% bca intervals" in bca.summary().as_text()


# ---------------------------------------------------------------------------------------------
# options shared by the methods


@pytest.mark.parametrize("method", ["ols", "ordered_logit", "relative_weights"])
def test_weights_column_array_and_scale_give_the_same_fit(data, method):
    kw = {"method": method, "bootstrap": 0, "robust": None}
    by_name = key_drivers(data, "overall", DRIVERS, weights="weight", **kw)
    by_array = key_drivers(data, "overall", DRIVERS, weights=3 * data["weight"].to_numpy(), **kw)
    pd.testing.assert_frame_equal(by_name.coefficients, by_array.coefficients, rtol=1e-7)
    plain = key_drivers(data, "overall", DRIVERS, **kw)
    assert by_name.weighted and not plain.weighted
    assert not np.allclose(by_name.coefficients["estimate"], plain.coefficients["estimate"])


def test_listwise_deletion_is_counted_by_column(data):
    r = key_drivers(data, "overall", DRIVERS)
    missing = data[["overall", *DRIVERS]].isna()
    assert r.n_obs == (~missing.any(axis=1)).sum() and r.n_dropped == missing.any(axis=1).sum()
    assert r.nan_policy == "listwise"
    note = r.notes[0]
    assert f"'service' {missing.service.sum()}" in note and f"'overall' {missing.overall.sum()}" in note
    full = key_drivers(data.dropna(), "overall", DRIVERS)
    assert full.n_dropped == 0 and full.notes == ()
    pd.testing.assert_frame_equal(full.coefficients, r.coefficients)


# ---------------------------------------------------------------------------------------------
# bad input


def test_collinear_drivers_are_named_with_the_dependency(data):
    x = data.copy()
    x["total"] = x.quality + 2 * x.service
    with pytest.raises(DataError, match=r"Drivers 'quality', 'service', 'total' of key_drivers are perfectly "
                                        r"collinear in the 508 complete rows: 'total' = 1\*'quality' \+ 2\*'service'"):
        key_drivers(x, "overall", [*DRIVERS, "total"])
    x["avg"] = (x.price + x.delivery) / 2
    for method in ["ordered_logit", "relative_weights"]:
        with pytest.raises(DataError) as info:
            key_drivers(x, "overall", [*DRIVERS, "total", "avg"], method=method)
        assert "'avg' = 0.5*'price' + 0.5*'delivery'" in str(info.value) and "drop the drivers" in str(info.value)


def test_zero_variance_driver_and_outcome(data):
    x = data.copy()
    x["flat"] = 4.0
    with pytest.raises(DataError, match=r"Driver 'flat' of key_drivers has the same value \(4\) in all 508 complete "
                                        r"rows.*remove it"):
        key_drivers(x, "overall", [*DRIVERS, "flat"])
    x["overall"] = 3.0
    with pytest.raises(DataError, match=r"The outcome 'overall' .* same value \(3\)"):
        key_drivers(x, "overall", DRIVERS, method="relative_weights")


def test_too_few_complete_rows_says_which_columns_are_missing(data):
    x = data.dropna().head(8).copy()
    x.loc[x.index[:3], "price"] = np.nan
    with pytest.raises(DataError, match=r"at least 7 complete rows .* for 5 drivers; 5 of 8 rows are complete\. "
                                        r"Missing answers by column: 'price' 3"):
        key_drivers(x, "overall", DRIVERS)


def test_non_numeric_and_infinite_answers(data):
    x = data.astype(object)
    x.loc[3, "price"] = "n/a"
    with pytest.raises(DataError, match=r"'price': 1 row, e\.g\. row 3 = 'n/a'"):
        key_drivers(x, "overall", DRIVERS)
    x = data.copy()
    x.loc[5, "support"] = np.inf
    with pytest.raises(DataError, match=r"Column 'support' of key_drivers is infinite in 1 row \(first rows: 5\)"):
        key_drivers(x, "overall", DRIVERS)


def test_columns_not_in_data(data):
    with pytest.raises(ValueError, match=r"'outcome' parameter .* 'overal' \(did you mean 'overall'\?\)"):
        key_drivers(data, "overal", DRIVERS)
    with pytest.raises(ValueError, match=r"'drivers' parameter .* 2 columns not in data: 'servce' \(did you mean "
                                         r"'service'\?\), 'nps'"):
        key_drivers(data, "overall", [*DRIVERS, "servce", "nps"])
    with pytest.raises(ValueError, match=r"outcome 'overall' .* also listed among the drivers"):
        key_drivers(data, "overall", [*DRIVERS, "overall"])
    with pytest.raises(ValueError, match=r"names 'price' more than once"):
        key_drivers(data, "overall", [*DRIVERS, "price"])
    with pytest.raises(ValueError, match=r"'weights' parameter .* column 'wt', which is not in data"):
        key_drivers(data, "overall", DRIVERS, weights="wt")
    with pytest.raises(TypeError, match=r"'data' parameter .* must be a DataFrame"):
        key_drivers(data.to_numpy(), "overall", DRIVERS)


def test_ordered_logit_outcome_must_be_few_whole_numbers(data):
    x = data.copy()
    x["score"] = x.overall * 1.5
    with pytest.raises(DataError, match=r"not whole numbers: 4\.5, 7\.5, 1\.5 in \d+ rows .* or use method='ols'"):
        key_drivers(x, "score", DRIVERS, method="ordered_logit")
    x["score"] = x.overall * 4 + x.quality
    with pytest.raises(DataError, match=r"has 2\d distinct values \(5 to 27\); .* at most 15 levels"):
        key_drivers(x, "score", DRIVERS, method="ordered_logit")
    assert key_drivers(x, "score", DRIVERS).n_obs > 0  # the same score is fine for OLS


@pytest.mark.parametrize("method", ["ols", "ordered_logit", "relative_weights"])
def test_bad_weights_name_the_rows(data, method):
    w = data["weight"].copy()
    w.iloc[[4, 9]] = 0
    w.iloc[7] = -1
    with pytest.raises(DataError, match=r"positive and finite: zero in 2 rows \(first rows: 4, 9\); negative in 1 row "
                                        r"\(first rows: 7\)"):
        key_drivers(data, "overall", DRIVERS, method=method, weights=w)
    with pytest.raises(ValueError, match=r"'weights' parameter of key_drivers has 3 values but there are 600"):
        key_drivers(data, "overall", DRIVERS, method=method, weights=[1, 2, 3])


def test_leverage_one_rows_make_hc3_undefined():
    rng = np.random.default_rng(2)
    x = pd.DataFrame({"a": rng.normal(size=30), "rare": 0.0, "y": rng.normal(size=30)})
    x.loc[17, "rare"] = 1.0  # only respondent 17 has it: leverage 1
    with pytest.raises(DataError, match=r"1 row \(first rows: 17\) of key_drivers have leverage 1.*robust='HC1'"):
        key_drivers(x, "y", ["a", "rare"])
    assert key_drivers(x, "y", ["a", "rare"], robust="HC1").cov_type == "HC1"


def test_bad_options(data):
    for kw, name in [({"method": "ridge"}, "method"), ({"robust": "HC4"}, "robust"),
                     ({"ci_method": "bc"}, "ci_method"), ({"bootstrap": -1}, "bootstrap"),
                     ({"bootstrap": 2.5}, "bootstrap"), ({"ci_level": 95}, "ci_level")]:
        with pytest.raises(ValueError, match=rf"The '{name}' parameter of key_drivers"):
            key_drivers(data, "overall", DRIVERS, **kw)


# ---------------------------------------------------------------------------------------------
# rendering


@pytest.fixture(scope="module")
def results(data):
    return [key_drivers(data, "overall", DRIVERS),
            key_drivers(data, "overall", DRIVERS, method="ordered_logit", weights="weight"),
            key_drivers(data, "overall", DRIVERS, method="relative_weights", bootstrap=100, seed=0)]


def test_results_render_and_pickle(results):
    for r in results:
        assert isinstance(r, DriversResult)
        text = r.summary().as_text()
        assert "n = 508 complete rows (92 dropped" in text and "summing to 100" in text
        assert r._repr_html_().startswith("<div class='surveykit-summary'>")
        assert "|" in r.summary().as_markdown()
        assert "\n" not in repr(r) and repr(r).startswith(f"<DriversResult method={r.method!r} outcome='overall'")
        frame = r.to_frame()
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in frame.columns)
        assert frame["importance"].sum() == pytest.approx(100)
        assert pickle.loads(pickle.dumps(r)).to_frame().equals(frame)
        with pytest.raises(AttributeError):
            r.n_obs = 0  # frozen


def test_summaries_say_what_was_fitted(results):
    ols, ol, rw = (r.summary().as_text() for r in results)
    assert "ordinary least squares" in ols and "HC3 (sandwich)" in ols and "502 df" in ols and "Intercept" in ols
    assert "ordered logit" in ol and "(survey weights)" in ol and "McFadden pseudo R²" in ol and "Thresholds" in ol
    assert "relative weights" in rw and "100 bootstrap resamples" in rw and "share_ci_low" in rw
