"""Value indices against R survey (tests/reference/value.R); the bootstrap of indices against a naive loop."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit import bootstrap_ci, delivered_value, nps, perceived_value, relationship_value, satisfaction_index
from surveykit.errors import DataError
from surveykit.indices.bootstrap import _compress, _jackknife, resample_sums
from surveykit.indices.perceived_value import ValueRatioWarning

REF = Path(__file__).parent / "reference" / "data"
# Closed forms with the operations of survey 4.1.1, R values written with 17 digits: 1e-10.
RTOL = 1e-10
VALUE = ["product", "service", "personnel", "image"]
COST = ["monetary", "time", "energy", "physical"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "value_input.csv")


@pytest.fixture(scope="module")
def expected() -> dict:
    e = pd.read_csv(REF / "value_expected.csv")
    return {(c.strip(), s.strip()): float(v) for c, s, v in zip(e.case, e.stat, e.value)}


DESIGNS = {"unweighted": lambda x: {}, "weighted": lambda x: {"weights": x.w},
           "strata_fpc": lambda x: {"weights": x.w, "strata": x.stratum, "fpc": x["pop"]}}


@pytest.mark.parametrize("design", list(DESIGNS))
def test_perceived_value_matches_svymean_and_svyratio(data, expected, design):
    r = perceived_value(data[VALUE], data[COST], scale_min=1, **DESIGNS[design](data))
    for stat, row in [("B", "benefits"), ("S", "sacrifices"), ("D", "difference"), ("ratio", "ratio")]:
        assert r.table.at[row, "estimate"] == pytest.approx(expected[design, f"{stat}_estimate"], rel=RTOL)
        assert r.table.at[row, "se"] == pytest.approx(expected[design, f"{stat}_se"], rel=RTOL)
    assert r.estimate == r.difference
    assert r.n_obs == expected[design, "n_obs"]
    assert r.n_obs + r.n_dropped == len(data)
    assert r.parts.at["product", "mean"] == pytest.approx(expected[design, "product_mean"], rel=RTOL)
    assert r.parts.at["monetary", "se"] == pytest.approx(expected[design, "monetary_se"], rel=RTOL)
    assert r.ci_low < r.estimate < r.ci_high


@pytest.mark.parametrize("design", list(DESIGNS))
def test_delivered_value_is_kotlers_parts(data, expected, design):
    r = delivered_value({k: data[k] for k in VALUE}, {k: data[k] for k in COST}, scale_min=1,
                        **DESIGNS[design](data))
    assert r.kind == "delivered_value"
    assert r.difference == pytest.approx(expected[design, "D_estimate"], rel=RTOL)
    assert r.table.at["ratio", "se"] == pytest.approx(expected[design, "ratio_se"], rel=RTOL)
    assert list(r.parts.index) == VALUE + COST


@pytest.mark.parametrize("design", list(DESIGNS))
def test_relationship_value_is_the_ratio_of_summed_parts(data, expected, design):
    r = relationship_value(data[["product", "service"]], data[["personnel", "image"]], data[["monetary", "time"]],
                           data[["energy", "physical"]], scale_min=1, **DESIGNS[design](data))
    assert r.estimate == r.ratio
    assert r.ratio == pytest.approx(expected[design, "gronroos_estimate"], rel=RTOL)
    assert r.se == pytest.approx(expected[design, "gronroos_se"], rel=RTOL)


def test_parts_group_items_with_equal_weight_per_part():
    d = pd.DataFrame({"q1": [5, 3], "q2": [5, 3], "q3": [1, 5], "c1": [2, 2]})
    r = perceived_value({"quality": d[["q1", "q2"]], "service": d[["q3"]]}, {"price": d[["c1"]]})
    # respondent 1: benefits (5 + 1) / 2 = 3, not (5 + 5 + 1) / 3
    assert r.scores["benefits"].tolist() == [3.0, 4.0]
    assert r.scores["difference"].tolist() == [1.0, 2.0]


def test_value_errors_and_warnings():
    d = pd.DataFrame({"b": [1.0, 2.0, 3.0], "s": [0.0, 1.0, 2.0]})
    with pytest.warns(ValueRatioWarning, match="starts at 0"):
        r = perceived_value(d[["b"]], d[["s"]], scale_min=0)
    assert np.isnan(r.ratio) and r.difference == 1.0
    with pytest.raises(ValueError, match="missing \\['physical'\\]"):
        delivered_value({k: d["b"] for k in VALUE}, {k: d["s"] for k in COST[:3]})
    with pytest.raises(DataError, match="no respondent answered every"):
        perceived_value(pd.DataFrame({"b": [np.nan, 1.0]}), pd.DataFrame({"s": [1.0, np.nan]}))
    with pytest.raises(DataError, match="must be positive"):
        perceived_value(d[["b"]], d[["s"]], weights=[1, 0, 1])
    with pytest.raises(ValueError, match="not aligned"):
        perceived_value(d[["b"]], d[["s"]].iloc[:2])


# ----------------------------------------------------------------------------------- bootstrap


def test_resample_sums_equal_naive_sums_on_the_same_counts():
    """The multinomial counts of distinct rows give the sums the expanded row counts give."""
    rng = np.random.default_rng(3)
    n = 500
    a = rng.integers(0, 3, n) * 50.0
    w = rng.choice([0.5, 1.0, 2.0], n)
    codes = rng.integers(0, 2, n)
    comp = _compress(w * a, w, codes)
    assert comp.counts.sum() == n and len(comp.counts) <= 2 * 3 * 3
    # every respondent maps to a distinct row holding its values
    np.testing.assert_array_equal(comp.values[comp.inverse], np.column_stack([w * a, w]))
    np.testing.assert_array_equal(comp.strata[comp.inverse], codes)


def test_compressed_jackknife_equals_leave_one_out():
    rng = np.random.default_rng(4)
    n = 200
    a, b = rng.integers(1, 6, n).astype(float), rng.integers(1, 6, n).astype(float)
    comp = _compress(a, b, np.zeros(n, dtype=np.intp))
    jack, counts = _jackknife(comp)
    loo = np.array([(a.sum() - a[i]) / (b.sum() - b[i]) for i in range(n)])
    np.testing.assert_allclose(jack[comp.inverse], loo, rtol=1e-13)
    assert counts.sum() == n


@pytest.mark.parametrize("weights", ["none", "discrete", "continuous"])
def test_bootstrap_distribution_matches_a_naive_loop(weights):
    """Same distribution as resampling respondents: SE and interval agree within Monte-Carlo error."""
    rng = np.random.default_rng(5)
    n, B = 400, 4000
    y = rng.integers(1, 6, n).astype(float)
    w = {"none": np.ones(n), "discrete": rng.choice([0.5, 1.0, 2.0], n), "continuous": rng.lognormal(0, 0.5, n)}[weights]
    import surveykit.indices.bootstrap as engine

    assert (len(np.unique(w * y)) * engine._MULTINOMIAL_COST < n) == (weights != "continuous")  # both paths run
    r = bootstrap_ci(y, weights=w, n_resamples=B, ci_method="percentile", seed=1)
    idx = rng.integers(0, n, (B, n))
    naive = (w[idx] * y[idx]).sum(axis=1) / w[idx].sum(axis=1)
    # SE of a bootstrap SE estimate with B = 4000 is about 1.1%; allow 6%
    assert r.se == pytest.approx(naive.std(ddof=1), rel=0.06)
    width = naive.std(ddof=1) * 4
    assert abs(r.ci_low - np.quantile(naive, 0.025)) < 0.1 * width
    assert abs(r.ci_high - np.quantile(naive, 0.975)) < 0.1 * width
    assert r.estimate == pytest.approx((w * y).sum() / w.sum(), rel=1e-14)


def test_bootstrap_ci_of_an_index_is_seeded_and_reported():
    rng = np.random.default_rng(6)
    scores = pd.Series(rng.integers(0, 11, 300), name="recommend")
    a = nps(scores, bootstrap=1000, seed=11)
    b = nps(scores, bootstrap=1000, seed=11)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert a.ci_method == "bca" and a.bootstrap.n_resamples == 1000
    assert "BCa bootstrap, 1000 resamples" in str(a.summary())
    assert a.table.at["nps", "ci_low"] == a.ci_low
    # BCa and percentile bracket the estimate; the normal interval is the default
    assert a.ci_low < a.score < a.ci_high
    assert nps(scores).ci_method == "normal"
    items = pd.DataFrame(rng.integers(1, 6, (300, 3)), columns=["s1", "s2", "s3"])
    idx = satisfaction_index(items, scale_min=1, scale_max=5, bootstrap=500, ci_method="percentile", seed=2,
                             strata=np.repeat(["a", "b"], 150))
    assert idx.bootstrap.n_strata == 2 and idx.ci_method == "percentile"
    assert idx.ci_low < idx.estimate < idx.ci_high
    assert idx.ci_high - idx.ci_low == pytest.approx(2 * 1.96 * idx.se, rel=0.15)


def test_value_bootstrap_is_of_the_headline(data):
    r = relationship_value(data[["product"]], data[["service"]], data[["monetary"]], data[["time"]],
                           bootstrap=500, seed=3, ci_method="percentile")
    assert r.bootstrap.estimate == pytest.approx(r.ratio, rel=1e-12)
    assert (r.ci_low, r.ci_high) == (r.bootstrap.ci_low, r.bootstrap.ci_high)


def test_bootstrap_bad_input():
    with pytest.raises(ValueError, match="at least 100"):
        bootstrap_ci([1, 2, 3], n_resamples=10)
    with pytest.raises(ValueError, match="'ci_method'"):
        bootstrap_ci([1, 2, 3], ci_method="normal")
    with pytest.raises(DataError, match="at least 2 complete rows"):
        bootstrap_ci([1, np.nan, np.nan])
    with pytest.raises(DataError, match="not numeric"):
        bootstrap_ci(["a", "b"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = bootstrap_ci([3.0, 3.0, 3.0, 3.0], n_resamples=200)  # a constant: a degenerate interval, a note
    assert r.estimate == 3.0
