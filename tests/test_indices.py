"""0-100 composite indices: rescaling by the scale's end points, item weights, design-based SE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk


def _items(n=300, seed=0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"sat_overall": rng.integers(1, 6, n), "sat_expect": rng.integers(1, 6, n),
                      "recommend": rng.integers(0, 11, n)}).astype(float)
    x.iloc[3, 0] = np.nan
    return x


def test_index_rescales_each_item_by_its_scale_and_weights_items():
    x = _items()
    res = sk.loyalty_index(x, scale_min={"sat_overall": 1, "sat_expect": 1, "recommend": 0},
                           scale_max={"sat_overall": 5, "sat_expect": 5, "recommend": 10},
                           item_weights={"sat_overall": 2, "sat_expect": 1, "recommend": 1})
    by_hand = (2 * (x.sat_overall - 1) / 4 + (x.sat_expect - 1) / 4 + x.recommend / 10) / 4 * 100
    pd.testing.assert_series_equal(res.scores, by_hand.rename("loyalty_index"))
    assert res.estimate == pytest.approx(by_hand.mean())
    # svymean's SE; the respondent left out stays in the design as a domain (na.rm=TRUE), hence rel=1e-4
    assert res.se == sk.weighted_mean(by_hand, weights=np.ones(len(x))).se
    assert res.se == pytest.approx(by_hand.std() / np.sqrt(by_hand.count()), rel=1e-4)
    assert res.n_obs == 299 and res.n_dropped == 1 and res.item_weights.sum() == pytest.approx(1)
    assert res.ci_low < res.estimate < res.ci_high


def test_weighted_index_is_the_weighted_mean_of_respondent_indices():
    x = _items().iloc[:, :2]
    w = np.random.default_rng(1).uniform(0.5, 2, len(x))
    strata = np.repeat(["a", "b", "c"], 100)
    res = sk.satisfaction_index(x, scale_min=1, scale_max=5, weights=w, strata=strata)
    ref = sk.weighted_mean(res.scores, weights=w, strata=strata)
    assert (res.estimate, res.se, res.effective_n) == (ref.estimate, ref.se, ref.effective_n)
    assert res.weighted and "effective n" in res._repr_html_()


def test_index_bad_input():
    x = _items().iloc[:, :2]
    with pytest.raises(sk.DataError, match=r"outside the scale.*'sat_overall'.*row 5 = 9"):
        sk.satisfaction_index(x.assign(sat_overall=x.sat_overall.where(x.index != 5, 9)), scale_min=1, scale_max=5)
    with pytest.raises(ValueError, match="scale_max must exceed"):
        sk.satisfaction_index(x, scale_min=5, scale_max=1)
    with pytest.raises(ValueError, match="no value for items \\['sat_expect'\\]"):
        sk.satisfaction_index(x, scale_min=1, scale_max=5, item_weights={"sat_overall": 1})
    with pytest.raises(ValueError, match="not all zero"):
        sk.satisfaction_index(x, scale_min=1, scale_max=5, item_weights=[0, 0])
