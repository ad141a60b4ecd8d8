"""The numeric comparison of two groups (indices/compare.py) and the NPS points (indices/nps.py:nps_points).

The comparison of mentioners with non-mentioners is checked against R through survey_themes
(tests/test_text_survey.py, tests/reference/text_mentions.R); here the numeric layer alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from surveykit.errors import DataError
from surveykit.indices.compare import compare_groups
from surveykit.indices.nps import nps, nps_points


def test_nps_points_recode_promoters_passives_and_detractors():
    x = np.array([0, 6, 7, 8, 9, 10, np.nan])
    np.testing.assert_array_equal(nps_points(x), [-100, -100, 0, 0, 100, 100, np.nan])
    assert nps_points(x[:6]).mean() == nps(x[:6]).score


@pytest.mark.parametrize("bad", [11, -1, 7.5, np.inf])
def test_nps_points_refuse_answers_outside_0_to_10(bad):
    with pytest.raises(DataError, match=r"whole numbers from 0 to 10; found .* in 1 answer\."):
        nps_points([10, bad, 3])


def test_unweighted_means_are_compared_by_welchs_t_test():
    rng = np.random.default_rng(1)
    y = rng.normal(70, 10, size=80)
    g = rng.random(80) < 0.4
    r = compare_groups(y, g, ~g)
    want = stats.ttest_ind(y[g], y[~g], equal_var=False)
    assert r["test"] == "welch_t"
    assert r["statistic"] == pytest.approx(want.statistic, rel=1e-12)
    assert r["p_value"] == pytest.approx(want.pvalue, rel=1e-10)
    assert r["difference"] == pytest.approx(y[g].mean() - y[~g].mean())
    assert r["group"]["n"] == g.sum() and r["rest"]["n"] == (~g).sum()


def test_weighted_means_use_the_design_t_test_and_nps_the_z_test():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 11, size=60).astype(float)
    g = np.arange(60) < 25
    w = rng.uniform(0.5, 2, size=60)
    assert compare_groups(y, g, ~g, weights=w)["test"] == "design_t"
    r = compare_groups(y, g, ~g, weights=w, measure="nps")
    assert r["test"] == "z"
    assert r["group"]["estimate"] == pytest.approx(nps(y[g], weights=w[g]).score)
    assert r["difference"] == pytest.approx(r["group"]["estimate"] - r["rest"]["estimate"])


def test_a_group_of_one_has_an_estimate_and_no_test():
    y = np.array([9.0, 3, 4, 10])
    g = np.array([True, False, False, False])
    r = compare_groups(y, g, ~g, measure="nps")
    assert r["group"] == {"n": 1, "estimate": 100.0, "se": pytest.approx(np.nan, nan_ok=True),
                          "ci_low": pytest.approx(np.nan, nan_ok=True), "ci_high": pytest.approx(np.nan, nan_ok=True)}
    assert "p_value" not in r and np.isfinite(r["difference"])
    with pytest.raises(ValueError, match="'measure' parameter of compare_groups must be one of 'mean', 'nps'"):
        compare_groups(y, g, ~g, measure="median")
