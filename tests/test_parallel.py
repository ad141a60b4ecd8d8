"""Parallel analysis: observed eigenvalues against R psych 2.2.9 (tests/reference/efa.R), the batched
one-factor fit against fit_factors, and the simulated eigenvalues against plain simulation."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.psychometrics.efa import fit_factors
from surveykit.psychometrics.parallel import (
    _one_factor_communalities,
    _OneFactorLoss,
    _random_correlations,
    simulate_eigenvalues,
)

REF = Path(__file__).parent / "reference" / "data"
EXPECTED = pd.read_csv(REF / "efa_expected.csv")


def data(shape):
    return pd.read_csv(REF / f"efa_{shape}.csv")


def expected(shape, quantity):
    rows = EXPECTED[(EXPECTED["case"] == f"pa/{shape}") & (EXPECTED["quantity"] == quantity)]
    return rows.sort_values("col", key=lambda c: c.astype(int))["value"].to_numpy()


def looped_communalities(r):
    return np.array([(fit_factors(m, 1, "minres", None)["unrotated"] ** 2).ravel() for m in r])


# Factor eigenvalues depend on where the one-factor minres fit stops. psych's optim (L-BFGS-B,
# default factr 1e7, with a gradient that is that of the full residual while its objective is the
# off-diagonal one) stops early; fit_factors goes on to a gradient of ~1e-12. Where the criterion
# is curved (three_factor) psych is 2e-6 from the optimum; on null data it is flat: psych's stop is
# only 2.3e-9 (relative 1e-8) above our minimum, yet an item's communality differs by 6.3e-4 and
# the eigenvalues by 5.4e-4. Checked in R: psych's point has a residual gradient of 7.5e-6, ours
# 3.6e-12, and ours has the lower criterion, off-diagonal or full.
FA_ATOL = {"three_factor": 1e-5, "null": 1e-3}


@pytest.mark.parametrize("shape", ["three_factor", "null"])
def test_observed_eigenvalues_match_psych(shape):
    # efa.R correlates the complete data with cor(x): the same as nan_policy='listwise' here
    res = sk.parallel_analysis(data(shape), n_iter=20, seed=0)
    # eigenvalues of the same correlation matrix: R prints 15 significant digits
    np.testing.assert_allclose(res.eigenvalues["observed_pc"], expected(shape, "observed_pc"), rtol=0, atol=1e-10)
    np.testing.assert_allclose(res.eigenvalues["observed_fa"], expected(shape, "observed_fa"), rtol=0,
                               atol=FA_ATOL[shape])


def test_batched_one_factor_fit_matches_fit_factors():
    rng = np.random.default_rng(0)
    # n = 50, p = 10: many Heywood cases (a uniqueness at psych's bound 0.005, communality above
    # 0.995) and several local minima; n = 300, p = 20 from simulated data: the usual case
    for r, min_heywood in [(_random_correlations(50, 10, 200, rng, "wishart"), 15),
                           (_random_correlations(300, 20, 60, rng, "data"), 0)]:
        ours = _one_factor_communalities(r.copy())
        theirs = looped_communalities(r)
        # fit_factors' L-BFGS-B stops ~1e-8 from the optimum: 1e-6 is its precision, not ours
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)
        heywood = (theirs > 0.995).any(axis=1)
        assert heywood.sum() >= min_heywood  # the bound is met inside the fit, not clipped after it
        np.testing.assert_array_equal(heywood, (ours > 0.995).any(axis=1))


def test_batched_fit_ends_at_local_minima():
    rng = np.random.default_rng(3)
    r = _random_correlations(40, 6, 400, rng, "wishart")
    h = _one_factor_communalities(r.copy())
    loss = _OneFactorLoss(r)
    # the loadings up to sign: the sign of each column of the principal eigenvector of R_h
    reduced = r.copy()
    reduced[:, np.arange(6), np.arange(6)] = np.minimum(h, 0.995)
    vec = np.linalg.eigh(reduced)[1][:, :, -1]
    lam = np.sign(vec) * np.sqrt(h)
    _, u = loss.value(lam)
    grad = loss.gradient(lam, u)
    assert np.abs(grad).max() < 1e-7
    assert (np.linalg.eigvalsh(loss.hessian(lam))[:, 0] > -1e-9).all()


def z_scores(a, b):
    se = np.sqrt(a.var(axis=0, ddof=1) / len(a) + b.var(axis=0, ddof=1) / len(b))
    return (a.mean(axis=0) - b.mean(axis=0)) / se


def test_wishart_and_data_samplers_agree_with_plain_simulation():
    # n = 12 respondents, 6 items: small n makes the distribution sensitive to e.g. the Wishart's
    # degrees of freedom (n instead of n - 1 moves the means by up to 12 Monte-Carlo SEs)
    n, p, k = 12, 6, 4000
    pc_w, fa_w = simulate_eigenvalues(n, p, n_iter=k, seed=1, sampler="wishart")
    pc_d, fa_d = simulate_eigenvalues(n, p, n_iter=k, seed=2, sampler="data")
    rng = np.random.default_rng(3)
    plain = np.array([np.corrcoef(rng.standard_normal((n, p)), rowvar=False) for _ in range(k)])
    pc_plain = np.linalg.eigvalsh(plain)[:, ::-1]
    few = plain[:300]  # the one-factor fit one matrix at a time, as psych's fa.parallel does
    reduced = few.copy()
    reduced[:, np.arange(p), np.arange(p)] = looped_communalities(few)
    fa_plain = np.linalg.eigvalsh(reduced)[:, ::-1]
    for a, b in [(pc_w, pc_d), (fa_w, fa_d), (pc_w, pc_plain), (pc_d, pc_plain), (fa_w, fa_plain),
                 (fa_d, fa_plain)]:
        assert np.abs(z_scores(a, b)).max() < 4
    assert np.all(np.diff(pc_w, axis=1) <= 0) and np.allclose(pc_w.sum(axis=1), p)


def test_suggests_three_factors_on_three_factor_data_and_none_on_noise():
    three = sk.parallel_analysis(data("three_factor"), seed=1)
    assert (three.n_factors, three.n_components) == (3, 3)
    null = sk.parallel_analysis(data("null"), seed=1)
    assert null.n_factors <= 1 and null.n_components <= 1
    mean = sk.parallel_analysis(data("three_factor"), seed=1, quantile=None)
    assert mean.threshold == "mean" and mean.n_factors == 3
    np.testing.assert_array_equal(mean.eigenvalues["simulated_pc"], mean.eigenvalues["simulated_pc_mean"])


def test_seed_reproduces_and_only_simulated_columns_change():
    x = data("three_factor")
    a = sk.parallel_analysis(x, n_iter=30, seed=7)
    b = sk.parallel_analysis(x, n_iter=30, seed=7)
    c = sk.parallel_analysis(x, n_iter=30, seed=8)
    pd.testing.assert_frame_equal(a.eigenvalues, b.eigenvalues)
    pd.testing.assert_series_equal(a.eigenvalues["observed_fa"], c.eigenvalues["observed_fa"])
    assert not np.allclose(a.eigenvalues["simulated_fa"], c.eigenvalues["simulated_fa"])
    pc, _ = simulate_eigenvalues(100, 5, n_iter=10, seed=np.random.default_rng(4))
    np.testing.assert_array_equal(pc, simulate_eigenvalues(100, 5, n_iter=10, seed=4)[0])


@pytest.mark.parametrize("n_iter", [0, -5, 2.5, True])
def test_bad_n_iter(n_iter):
    with pytest.raises(ValueError, match="The 'n_iter' parameter of parallel_analysis must be a positive integer"):
        sk.parallel_analysis(data("null"), n_iter=n_iter)


@pytest.mark.parametrize("quantile", [0, 1, 1.5, -0.1])
def test_bad_quantile(quantile):
    with pytest.raises(ValueError, match="The 'quantile' parameter of parallel_analysis must be between 0 and 1"):
        sk.parallel_analysis(data("null"), quantile=quantile)


def test_bad_inputs():
    x = data("three_factor")
    with pytest.raises(sk.DataError, match="10 usable respondents for 12 items"):
        sk.parallel_analysis(x.iloc[:10])
    with pytest.raises(sk.DataError, match=r"only 2 usable rows \(1 dropped"):
        sk.parallel_analysis(pd.DataFrame({"a": [1, 2, np.nan], "b": [2, 1, 3], "c": [1, 3, 2]}))
    with pytest.raises(ValueError, match="The 'sampler' parameter of parallel_analysis must be one of"):
        sk.parallel_analysis(x, sampler="bootstrap")
    with pytest.raises(ValueError, match="The 'nan_policy' parameter of parallel_analysis must be one of"):
        sk.parallel_analysis(x, nan_policy="drop")
    with pytest.raises(ValueError, match="at least 3 items"):
        sk.parallel_analysis(x.iloc[:, :2])
    with pytest.raises(ValueError, match="'n_obs' parameter of simulate_eigenvalues"):
        simulate_eigenvalues(5, 5)


def test_result_renders():
    res = sk.parallel_analysis(data("three_factor"), n_iter=20, seed=0)
    assert repr(res) == "<ParallelAnalysisResult n_factors=3 n_components=3 n_items=12 n_obs=500>"
    text = res.summary().as_text()
    assert "suggests 3 factor(s) and 3 component(s)" in text and "95th percentile of 20 random data sets" in text
    assert res._repr_html_().startswith("<div") and "| number |" in res.summary().as_markdown().replace("  ", " ")
    frame = res.to_frame()
    assert list(frame.columns) == ["observed_pc", "simulated_pc", "observed_fa", "simulated_fa",
                                   "simulated_pc_mean", "simulated_fa_mean"]
    assert list(frame.index) == list(range(1, 13)) and frame.index.name == "number"
    again = pickle.loads(pickle.dumps(res))
    pd.testing.assert_frame_equal(again.eigenvalues, res.eigenvalues)
    assert (res.n_obs, res.n_dropped, res.nan_policy, res.sampler) == (500, 0, "listwise", "wishart")
