"""Weighted means and proportions, NPS and top / bottom box against R survey::svymean (tests/reference/weighted.R)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import DataError
from surveykit.indices.nps import bottom_box, nps, top_box
from surveykit.indices.weighted import weighted_mean, weighted_proportions

REF = Path(__file__).parent / "reference" / "data"
# Closed-form estimators, same operations as survey 4.1.1; R values written with 17 digits:
# agreement is to rounding (observed ~1e-15 relative), 1e-10 leaves room for BLAS / libm.
RTOL = 1e-10


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "weighted_input.csv")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "weighted_expected.csv", keep_default_na=False, dtype={"level": str})


def ref(expected, case, stat, level=""):
    hit = expected[(expected.case == case) & (expected.stat == stat) & (expected.level == level)]
    assert len(hit) == 1, (case, stat, level)
    return float(hit.value.iloc[0])


DESIGNS = {
    "weights_only": lambda x: {"weights": x.w},
    "strata": lambda x: {"weights": x.w, "strata": x.stratum},
    "strata_fpc": lambda x: {"weights": x.w, "strata": x.stratum, "fpc": x["pop"]},
    "strata_frac": lambda x: {"weights": x.w, "strata": x.stratum, "fpc": x.frac},
    "unweighted": lambda x: {"weights": np.ones(len(x))},
}
STATS = ["estimate", "se", "ci_low", "ci_high", "deff"]


@pytest.mark.parametrize("design", DESIGNS)
def test_weighted_mean_matches_svymean(data, expected, design):
    r = weighted_mean(data.y, **DESIGNS[design](data))
    case = f"mean_{design}"
    got = [getattr(r, s) for s in STATS] + [r.effective_n]
    want = [ref(expected, case, s) for s in STATS] + [ref(expected, case, "effective_n")]
    np.testing.assert_allclose(got, want, rtol=RTOL)
    assert r.n_obs == ref(expected, case, "n_obs") == data.y.notna().sum()
    assert r.n_dropped == data.y.isna().sum() > 0
    r90 = weighted_mean(data.y, **DESIGNS[design](data), ci_level=0.9)
    np.testing.assert_allclose([r90.ci_low, r90.ci_high],
                               [ref(expected, case, "ci_low_90"), ref(expected, case, "ci_high_90")], rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_weighted_proportions_match_svymean(data, expected, design):
    r = weighted_proportions(data.region, **DESIGNS[design](data))
    case = f"prop_{design}"
    assert list(r.to_frame().index) == ["city", "suburb", "town", "village"]
    assert list(r.to_frame().columns) == ["estimate", "se", "ci_low", "ci_high"]
    for level in r.table.index:
        np.testing.assert_allclose(r.table.loc[level, STATS].to_numpy(float),
                                   [ref(expected, case, s, level) for s in STATS], rtol=RTOL)
    np.testing.assert_allclose(r.effective_n, ref(expected, case, "effective_n"), rtol=RTOL)
    assert r.n_obs == ref(expected, case, "n_obs") and r.n_dropped == data.region.isna().sum() > 0
    assert r.table["count"].sum() == r.n_obs
    np.testing.assert_allclose(r.table["estimate"].sum(), 1.0, rtol=1e-14)


def test_missing_answers_are_a_domain(data):
    """As svymean(na.rm=TRUE): same estimate as dropping the rows first, but n_h counts every respondent."""
    kw = DESIGNS["strata"](data)
    domain = weighted_mean(data.y, **kw)
    keep = data.y.notna()
    dropped = weighted_mean(data.y[keep], weights=data.w[keep], strata=data.stratum[keep])
    assert domain.estimate == pytest.approx(dropped.estimate, rel=1e-14)
    # small here (1.6e-5 relative) but real; the domain version is the one pinned to R above
    assert abs(domain.se / dropped.se - 1) > 1e-6


def test_fpc_forms_agree_and_census_stratum_adds_nothing():
    rng = np.random.default_rng(1)
    y = rng.normal(size=30)
    w = rng.uniform(1, 3, 30)
    s = np.repeat(["a", "b"], 15)
    by_size = weighted_mean(y, weights=w, strata=s, fpc=np.repeat([100, 40], 15))
    by_frac = weighted_mean(y, weights=w, strata=s, fpc=np.repeat([0.15, 15 / 40], 15))
    assert by_size.se == pytest.approx(by_frac.se, rel=1e-13)
    scalar = weighted_mean(y, weights=w, fpc=300)
    assert scalar.se == pytest.approx(weighted_mean(y, weights=w, fpc=np.full(30, 300)).se, rel=1e-15)
    assert scalar.se < weighted_mean(y, weights=w).se
    # a stratum sampled completely (N_h = n_h) has no sampling variance, even with one respondent
    census = weighted_mean(np.r_[y, 7.0], weights=np.r_[w, 1.0], strata=np.append(s, "c"),
                           fpc=np.r_[np.repeat([100, 40], 15), 1])
    assert np.isfinite(census.se) and census.n_strata == 3


def test_unused_category_has_zero_share():
    x = pd.Series(pd.Categorical(["a", "b", "a", "b"], categories=["a", "b", "c"]))
    r = weighted_proportions(x, weights=[1, 2, 3, 4])
    assert r.table.loc["c", "estimate"] == 0 and r.table.loc["c", "se"] == 0 and r.table.loc["c", "count"] == 0
    assert r.table.loc["a", "estimate"] == pytest.approx(0.4)


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
def test_nps_matches_svymean(data, expected, weighted):
    r = nps(data.nps, weights=data.w if weighted == "weighted" else None)
    case = f"nps_{weighted}"
    np.testing.assert_allclose([r.score, r.estimate, r.se, r.ci_low, r.ci_high, r.effective_n],
                               [ref(expected, case, s) for s in ["estimate", "estimate", "se", "ci_low", "ci_high",
                                                                 "effective_n"]], rtol=RTOL)
    shares = f"npsshare_{weighted}"
    for level in ["promoters", "passives", "detractors"]:
        np.testing.assert_allclose(r.table.loc[level, ["estimate", "se", "ci_low", "ci_high"]].to_numpy(float),
                                   [ref(expected, shares, s, level) for s in ["estimate", "se", "ci_low", "ci_high"]],
                                   rtol=RTOL)
        assert getattr(r, level) == r.table.loc[level, "estimate"]
    assert r.score == pytest.approx(100 * (r.promoters - r.detractors), rel=1e-13)
    assert r.n_obs == ref(expected, case, "n_obs") and r.n_dropped == data.nps.isna().sum() > 0
    assert r.weighted is (weighted == "weighted")


def test_unweighted_nps_se_is_the_multinomial_closed_form_with_n_minus_1(data, expected):
    r = nps(data.nps)
    p, d, n = r.promoters, r.detractors, r.n_obs
    closed = 100 * np.sqrt((p + d - (p - d) ** 2) / (n - 1))
    np.testing.assert_allclose([r.se, closed], ref(expected, "nps_closed_form", "se"), rtol=RTOL)
    assert r.effective_n == n


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
@pytest.mark.parametrize("case, side, k", [("top2", "top", 2), ("bottom2", "bottom", 2), ("top1", "top", 1)])
def test_boxes_match_svymean(data, expected, weighted, case, side, k):
    fn = top_box if side == "top" else bottom_box
    r = fn(data.sat, k=k, scale_min=1, scale_max=5, weights=data.w if weighted == "weighted" else None)
    name = f"{case}_{weighted}"
    np.testing.assert_allclose([r.estimate, r.se, r.ci_low, r.ci_high, r.effective_n],
                               [ref(expected, name, s) for s in ["estimate", "se", "ci_low", "ci_high",
                                                                 "effective_n"]], rtol=RTOL)
    assert r.n_obs == ref(expected, name, "n_obs")
    assert r.categories == {"top2": (4, 5), "bottom2": (1, 2), "top1": (5,)}[case]


def test_box_missing_codes_leave_the_base():
    r = top_box([5, 4, 3, 2, 4, 99, 98], scale_min=1, scale_max=5, missing_codes=[98, 99])
    assert (r.estimate, r.n_obs, r.n_dropped) == (0.6, 5, 2)
    assert r.se == pytest.approx(np.sqrt(0.6 * 0.4 / 4), rel=1e-13)


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("weights, words", [
    ([1, 0, 1, 1, 1, 1], ["zero", "first rows: 1"]),
    ([1, 1, -2, 1, 1, 1], ["negative", "first rows: 2"]),
    ([1, 1, 1, np.nan, 1, np.inf], ["missing or infinite", "2 rows", "3, 5"]),
])
def test_bad_weights_name_the_rows(weights, words):
    with pytest.raises(DataError, match="positive and finite") as info:
        weighted_mean([1, 2, 3, 4, 5, 6], weights=weights)
    for word in words:
        assert word in str(info.value)
    with pytest.raises(DataError, match="positive and finite"):
        nps([1, 2, 3, 4, 5, 6], weights=weights)


def test_rows_are_named_by_the_series_index():
    y = pd.Series([1.0, 2, 3], index=["r1", "r2", "r3"])
    with pytest.raises(DataError, match=re.escape("first rows: 'r2'")):
        weighted_mean(y, weights=[1, 0, 1])


def test_lonely_stratum_is_named():
    with pytest.raises(DataError, match=r"Stratum 'c' .* only one respondent .*Merge it"):
        weighted_mean([1, 2, 3, 4, 5], weights=np.ones(5), strata=["a", "a", "b", "b", "c"])


def test_length_mismatch_says_where():
    with pytest.raises(ValueError, match=r"'weights' parameter of weighted_mean has 4 values but there are 5"):
        weighted_mean([1, 2, 3, 4, 5], weights=[1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"'strata' parameter of weighted_proportions has 2 values"):
        weighted_proportions(list("abcab"), weights=np.ones(5), strata=["a", "b"])
    with pytest.raises(ValueError, match=r"'fpc' parameter"):
        weighted_mean([1, 2, 3, 4], weights=np.ones(4), fpc=[10, 10])


def test_bad_fpc():
    kw = {"weights": np.ones(6), "strata": list("aaabbb")}
    with pytest.raises(DataError, match=r"stratum 'b' a population of 2 but 3 respondents"):
        weighted_mean([1, 2, 3, 4, 5, 6], fpc=[10, 10, 10, 2, 2, 2], **kw)
    with pytest.raises(DataError, match=r"varies within stratum 'a'"):
        weighted_mean([1, 2, 3, 4, 5, 6], fpc=[10, 11, 10, 20, 20, 20], **kw)
    with pytest.raises(DataError, match=r"mixes population sizes"):
        weighted_mean([1, 2, 3, 4, 5, 6], fpc=[10, 10, 10, 0.5, 0.5, 0.5], **kw)
    with pytest.raises(DataError, match=r"positive and finite"):
        weighted_mean([1, 2, 3, 4, 5, 6], fpc=[10, 10, 10, np.nan, 20, 20], **kw)


def test_missing_stratum_and_no_answers():
    with pytest.raises(DataError, match=r"strata of weighted_mean are missing in 1 row \(first rows: 2\)"):
        weighted_mean([1, 2, 3, 4], weights=np.ones(4), strata=["a", "a", None, "a"])
    with pytest.raises(DataError, match="all 3 values are missing"):
        weighted_mean([np.nan] * 3, weights=np.ones(3))
    with pytest.raises(DataError, match="not numeric"):
        weighted_mean(["a", "b"], weights=np.ones(2))


def test_nps_scores_out_of_range_name_the_rows():
    with pytest.raises(DataError, match=r"whole numbers from 0 to 10; found 11, 7.5 in 2 rows \(first rows: 1, 3\)"):
        nps([10, 11, 3, 7.5, np.nan])
    with pytest.raises(DataError, match=r"found 0 in 1 row .*missing_codes"):
        top_box([1, 0, 5], scale_min=1, scale_max=5)


def test_bad_options():
    with pytest.raises(ValueError, match=r"'k' parameter of top_box must be from 1 to 4"):
        top_box([1, 2, 3], k=5, scale_min=1, scale_max=5)
    with pytest.raises(ValueError, match=r"'scale_min' parameter of top_box must be a whole number"):
        top_box([1, 2, 3], scale_min=1.5, scale_max=5)
    with pytest.raises(ValueError, match=r"'scale_max' parameter of bottom_box"):
        bottom_box([1, 2, 3], scale_min=5, scale_max=1)
    with pytest.raises(ValueError, match=r"'ci_level' parameter of nps"):
        nps([1, 2, 3], ci_level=95)
    with pytest.raises(ValueError, match=r"'ci_level' parameter of weighted_mean"):
        weighted_mean([1, 2, 3], weights=np.ones(3), ci_level=1.0)


# ---------------------------------------------------------------------------------------------
# rendering


@pytest.fixture(scope="module")
def results(data):
    kw = DESIGNS["strata_fpc"](data)
    return [weighted_mean(data.y, **kw), weighted_proportions(data.region, **kw), nps(data.nps, weights=data.w),
            nps(data.nps), top_box(data.sat, scale_min=1, scale_max=5), bottom_box(data.sat, scale_min=1, scale_max=5)]


def test_results_render_and_pickle(results):
    for r in results:
        text = r.summary().as_text()
        assert "n = " in text and "\n" in text
        assert r._repr_html_().startswith("<div class='surveykit-summary'>")
        assert "|" in r.summary().as_markdown()
        assert "\n" not in repr(r) and repr(r).startswith("<")
        frame = r.to_frame()
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in frame.columns)
        assert pickle.loads(pickle.dumps(r)).to_frame().equals(frame)
        with pytest.raises(AttributeError):
            r.n_obs = 0  # frozen


def test_summary_says_which_interval_and_design(results):
    mean_text = results[0].summary().as_text()
    assert "normal" in mean_text and "4 strata" in mean_text and "with finite population correction" in mean_text
    assert "kept in the design as a domain" in mean_text
    assert "NPS = " in results[2].summary().as_text() and "weighted" in results[2].summary().as_text()
    assert repr(results[0]).startswith("<WeightedMeanResult name='y' estimate=")


def test_a_single_answer_gives_its_value_and_no_design_effect():
    r = weighted_mean([3.0, np.nan, np.nan], weights=[1, 2, 1])
    assert r.estimate == 3.0 and r.n_obs == 1 and np.isnan(r.deff)
