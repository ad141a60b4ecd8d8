"""Sufficient statistics (surveykit._moments) against R, whatever the blocks the rows come in.

The expected numbers are R's, committed by tests/reference/weighted.R (survey::svymean),
weighted_descriptives.R (svymean, svyvar, svyquantile, svytable) and psychometrics.R
(psych::alpha). Each statistic is computed from the rows in 1 block and merged from 2 and 7
uneven blocks (and blocks with no answers at all): the merge is exact up to the order of
floating-point additions, so R's numbers hold to 1e-10 (R's own printing keeps 15-17 digits)
and the blockings agree with each other to 1e-12.
"""

from __future__ import annotations

from functools import reduce
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit import _moments as mo
from surveykit.psychometrics.reliability import reliability_from_moments

REF = Path(__file__).parent / "reference" / "data"
RTOL_R = 1e-10  # R's numbers are written with 15-17 significant digits
RTOL_BLOCKS = 1e-12  # blockings differ only in the order of additions


def _blocks(n: int, k: int) -> list[slice]:
    """k uneven blocks of n rows, one of them empty when k > 2."""
    if k == 1:
        return [slice(0, n)]
    cuts = np.sort(np.random.default_rng(k).choice(np.arange(1, n), k - 1, replace=False))
    if k > 2:
        cuts[1] = cuts[0]  # an empty block
    edges = [0, *cuts.tolist(), n]
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]


def ref(expected, case, stat, levels=None):
    """R's value(s) of ``stat`` in ``case`` (one, or one per level in the order of ``levels``)."""
    hit = expected[(expected.case == case) & (expected.stat == stat)].set_index("level")["value"].astype(float)
    return float(hit.loc[""]) if levels is None else hit.loc[levels].to_numpy()


def _merged(make, n: int, k: int):
    return reduce(mo.merge, [make(s) for s in _blocks(n, k)])


@pytest.fixture(scope="module")
def weighted():
    return pd.read_csv(REF / "weighted_input.csv"), pd.read_csv(REF / "weighted_expected.csv", keep_default_na=False, dtype={"level": str})


@pytest.mark.parametrize("k", [1, 2, 7])
def test_weighted_mean_and_its_se_as_svymean(weighted, k):
    x, expected = weighted
    y, w = x["y"].to_numpy(float), x["w"].to_numpy(float)
    m = _merged(lambda s: mo.moments(y[s], w[s]), len(x), k)
    case = "mean_weights_only"  # svymean(~y, svydesign(ids=~1, weights=~w), na.rm=TRUE): a domain
    np.testing.assert_allclose(mo.mean(m)[0, 0], ref(expected, case, "estimate"), rtol=RTOL_R)
    np.testing.assert_allclose(mo.mean_se(m)[0, 0], ref(expected, case, "se"), rtol=RTOL_R)
    np.testing.assert_allclose(mo.effective_n(m)[0, 0], ref(expected, case, "effective_n"), rtol=RTOL_R)
    assert m.n[0, 0] == ref(expected, case, "n_obs") and m.rows[0] == len(x)
    u = _merged(lambda s: mo.moments(y[s]), len(x), k)
    np.testing.assert_allclose(mo.mean_se(u)[0, 0], ref(expected, "mean_unweighted", "se"), rtol=RTOL_R)
    np.testing.assert_allclose(mo.sd(u)[0, 0], np.nanstd(y, ddof=1), rtol=RTOL_BLOCKS)


@pytest.mark.parametrize("k", [1, 2, 7])
def test_nps_top_box_and_proportions_as_svymean(weighted, k):
    x, expected = weighted
    valid = x[x["nps"].notna()]
    v, w = valid["nps"].to_numpy(float), valid["w"].to_numpy(float)
    points = np.select([v >= 9, v <= 6], [100.0, -100.0], 0.0)
    m = _merged(lambda s: mo.moments(points[s], w[s]), len(v), k)
    # the design of NPS is built on the valid answers: N = n
    np.testing.assert_allclose(mo.mean(m)[0, 0], ref(expected, "nps_weighted", "estimate"), rtol=RTOL_R)
    np.testing.assert_allclose(mo.mean_se(m, m.n)[0, 0], ref(expected, "nps_weighted", "se"), rtol=RTOL_R)
    sat = x[x["sat"].notna()]
    top = (sat["sat"].to_numpy() >= 4).astype(float)
    t = _merged(lambda s: mo.moments(top[s], sat["w"].to_numpy()[s]), len(top), k)
    np.testing.assert_allclose(mo.mean_se(t, t.n)[0, 0], ref(expected, "top2_weighted", "se"), rtol=RTOL_R)
    # shares of a factor: indicators with NaN where unanswered (a domain, N = every row)
    levels = ["city", "suburb", "town", "village"]
    ind = np.column_stack([np.where(x["region"].isna(), np.nan, (x["region"] == lv).astype(float)) for lv in levels])
    p = _merged(lambda s: mo.moments(ind[s], x["w"].to_numpy()[s]), len(x), k)
    np.testing.assert_allclose(mo.mean(p)[0], ref(expected, "prop_weights_only", "estimate", levels), rtol=RTOL_R)
    np.testing.assert_allclose(mo.mean_se(p)[0], ref(expected, "prop_weights_only", "se", levels), rtol=RTOL_R)


@pytest.mark.parametrize("k", [1, 2, 7])
def test_weighted_descriptives_as_svyvar_svyquantile_svytable(k):
    x = pd.read_csv(REF / "weighted_descriptives_input.csv")
    r = pd.read_csv(REF / "weighted_descriptives_expected.csv").set_index("item")
    items = list(r.index)
    v, w = x[items].to_numpy(float), x["weight"].to_numpy(float)
    m = _merged(lambda s: mo.moments(v[s], w[s]), len(x), k)
    c = _merged(lambda s: mo.category_counts(v[s], np.arange(1, 6), w[s]), len(x), k)
    np.testing.assert_allclose(mo.mean(m)[0], r["mean"], rtol=RTOL_R)
    np.testing.assert_allclose(mo.sd(m)[0], r["sd"], rtol=RTOL_R)
    np.testing.assert_allclose(mo.effective_n(m)[0], r["effective_n"], rtol=RTOL_R)
    np.testing.assert_allclose(mo.shares(c)[0], r[["p1", "p2", "p3", "p4", "p5"]], rtol=RTOL_R)
    np.testing.assert_array_equal(mo.coded_median(c, weighted=True)[0], r["median"])
    assert m.n[0].tolist() == r["n_obs"].tolist() == c.count[0].sum(axis=1).tolist()


def test_unweighted_median_from_counts_is_pandas_median():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, (101, 4)).astype(float)
    x[rng.random(x.shape) < 0.2] = np.nan  # odd and even numbers of answers
    c = reduce(mo.merge, [mo.category_counts(x[s], np.arange(1, 6)) for s in _blocks(101, 7)])
    np.testing.assert_array_equal(mo.coded_median(c, weighted=False)[0], pd.DataFrame(x).median().to_numpy())


@pytest.mark.parametrize("shape", ["clean", "missing"])
@pytest.mark.parametrize("k", [1, 2, 7])
def test_covariance_and_alpha_as_psych(shape, k):
    x = pd.read_csv(REF / f"psy_{shape}.csv")
    expected = pd.read_csv(REF / "psychometrics_expected.csv")
    r = expected[(expected["shape"] == shape) & (expected["nan_policy"] == "listwise")].set_index("quantity")["value"]
    v = x.to_numpy(float)
    cm = _merged(lambda s: mo.cross_moments(v[s]), len(x), k)
    complete = x.dropna()
    assert cm.n == len(complete)
    np.testing.assert_allclose(mo.covariance(cm), complete.cov(), rtol=RTOL_BLOCKS)
    np.testing.assert_allclose(mo.correlation(cm), complete.corr(), rtol=RTOL_BLOCKS)
    cov = pd.DataFrame(mo.covariance(cm), index=complete.columns, columns=complete.columns)
    a = reliability_from_moments(cov, cm.mean, cm.n)  # the numeric layer's alpha, from the merged moments
    np.testing.assert_allclose([a.alpha, a.std_alpha], [r["alpha"], r["std_alpha"]], rtol=RTOL_R)


def test_groups_equal_the_rows_of_each_group():
    rng = np.random.default_rng(9)
    y = rng.normal(50, 10, (300, 3))
    y[rng.random(y.shape) < 0.1] = np.nan
    w = rng.uniform(0.5, 2, 300)
    codes = rng.integers(-1, 3, 300)  # -1: in no group
    grouped = reduce(mo.merge, [mo.moments(y[s], w[s], codes[s], 3) for s in _blocks(300, 7)])
    for g in range(3):
        alone = mo.moments(y[codes == g], w[codes == g])
        for field in ("mean", "m2", "s2w2", "sw"):
            np.testing.assert_allclose(getattr(grouped, field)[g], getattr(alone, field)[0], rtol=RTOL_BLOCKS)
        assert grouped.rows[g] == (codes == g).sum() and (grouped.n[g] == alone.n[0]).all()
    cats = np.round(np.nan_to_num(y, nan=-1) / 10)  # codes 2..8 (NaN -> not a code)
    for weights in (None, w):
        counts = reduce(mo.merge, [mo.category_counts(cats[s], np.arange(2, 9), None if weights is None else
                                                      weights[s], codes[s], 3) for s in _blocks(300, 7)])
        for g in range(3):
            alone = mo.category_counts(cats[codes == g], np.arange(2, 9), None if weights is None else w[codes == g])
            np.testing.assert_array_equal(counts.count[g], alone.count[0])  # counts exactly
            np.testing.assert_allclose(counts.weighted[g], alone.weighted[0], rtol=RTOL_BLOCKS)


def test_merge_is_stable_far_from_zero():
    """Σx² - n x̄² would lose every digit here; the centred merge keeps the variance."""
    x = 1e9 + np.random.default_rng(1).normal(0, 1, 10_000)
    m = reduce(mo.merge, [mo.moments(x[s]) for s in _blocks(10_000, 7)])
    # the data carry ~16 digits of which 9 are the offset: agreement to 1e-8 is all there is
    np.testing.assert_allclose(mo.sd(m)[0, 0], np.std(x, ddof=1), rtol=1e-8)
    naive = np.sqrt(max((np.sum(x ** 2) - len(x) * x.mean() ** 2) / (len(x) - 1), 0.0))
    assert abs(naive - np.std(x, ddof=1)) > 0.01  # what the uncentred sums would have given


def test_merging_different_codes_is_refused():
    a = mo.category_counts(np.array([1.0, 2.0]), [1, 2])
    b = mo.category_counts(np.array([1.0, 2.0]), [1, 2, 3])
    with pytest.raises(ValueError, match="different codes"):
        mo.merge(a, b)


@pytest.mark.parametrize("k", [2, 7])
def test_poisson_resamples_do_not_depend_on_the_blocks(k):
    """Each row's Poisson draws come from its block of rows' seed: any blocking gives the same resamples."""
    from surveykit._bootstrap import POISSON_BLOCK, poisson_counts

    n = 3 * POISSON_BLOCK + 17
    rows = np.arange(n) + 5
    whole = poisson_counts(rows, 50, seed=3)
    parts = np.vstack([poisson_counts(rows[s], 50, seed=3) for s in _blocks(n, k)])
    np.testing.assert_array_equal(parts, whole)
    assert abs(whole.mean() - 1) < 0.02 and not np.array_equal(whole, poisson_counts(rows, 50, seed=4))
    rng = np.random.default_rng(1)
    y, w = np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)), rng.uniform(0.5, 2, n)
    one = mo.poisson_sums(y, w, rows, 50, 3)
    merged = _merged(lambda s: mo.poisson_sums(y[s], w[s], rows[s], 50, 3), n, k)
    np.testing.assert_allclose(merged.num, one.num, rtol=RTOL_BLOCKS)
    np.testing.assert_allclose(mo.poisson_interval(merged, 0.95), mo.poisson_interval(one, 0.95), rtol=RTOL_BLOCKS)
