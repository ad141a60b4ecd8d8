"""KANO, SERVQUAL, penalty-reward and item discrimination against R (tests/reference/satisfaction.R)."""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ref

import surveykit as sk
from surveykit.errors import DataError
from surveykit.satisfaction import KanoWarning, PenaltyRewardWarning

REF = Path(__file__).parent / "reference" / "data"
# Everything here is a closed form (counts, means, t tests, one least-squares fit) computed by
# the same formulas in R and written with 17 digits: observed agreement <= 1.5e-13 relative (a p value
# far in the tail); 1e-10 leaves room for
# the order of summation, BLAS and libm (qt / pt against scipy's t distribution).
RTOL = 1e-10
KANO = ["k1", "k2", "k3", "k4"]
SERV = [f"e_s{j}" for j in range(1, 7)]
DIMS = {"tangibles": ["e_s1", "e_s2"], "reliability": ["e_s3", "e_s4"], "responsiveness": ["e_s5", "e_s6"]}
IMPORTANCE = {"tangibles": 20, "reliability": 50, "responsiveness": 30}
TEST_STATS = ["estimate", "se", "t", "df", "p_value", "ci_low", "ci_high"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "satisfaction_input.csv", index_col="respondent")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "satisfaction_expected.csv", keep_default_na=False, dtype={"term": str})


def kano_frames(data):
    f = data[[f"f_{k}" for k in KANO]].set_axis(KANO, axis=1)
    d = data[[f"d_{k}" for k in KANO]].set_axis(KANO, axis=1)
    return f, d


def servqual_frames(data):
    return data[SERV], data[[s.replace("e_", "p_") for s in SERV]].set_axis(SERV, axis=1)


# ---------------------------------------------------------------------------------------------
# KANO


@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
def test_kano_matches_the_hand_computation_in_r(data, expected, weighted):
    f, d = kano_frames(data)
    r = sk.kano(f, d, weights=data["weight"] if weighted == "weighted" else None)
    case = f"kano_{weighted}"
    for stat in ["count_a", "count_o", "count_m", "count_i", "count_r", "count_q", "better", "worse", "effective_n",
                 "fong_difference", "fong_critical", "n_obs"]:
        np.testing.assert_allclose(r.table[stat].to_numpy(float), ref(expected, case, stat, KANO), rtol=RTOL,
                                   err_msg=stat)
    shares = r.table[[f"share_{c}" for c in "aomirq"]].to_numpy()
    np.testing.assert_allclose(shares.sum(axis=1), 1, rtol=1e-12)
    # the generated attributes: k1 attractive, k2 must-be, k3 one-dimensional
    assert r.table["category"].tolist()[:3] == ["A", "M", "O"]
    assert r.table["fong_significant"].tolist()[:3] == [True, True, True]
    assert r.weighted is (weighted == "weighted")
    assert (r.table["n_dropped"] + r.table["n_obs"] == len(data)).all()


def test_kano_accepts_chinese_and_english_labels_and_reports_ties():
    f = pd.DataFrame({"a": ["我很喜欢", "Like", "理所当然", 1], "b": ["Must-be", 2, "无所谓", "neutral"]})
    d = pd.DataFrame({"a": ["我很不喜欢", "能忍受", "我很不喜欢", "Live with"], "b": ["dislike", 5, 4, 3]})
    r = sk.kano(f, d)
    assert r.table.loc["a", ["count_o", "count_a", "count_m"]].tolist() == [1, 2, 1]
    assert r.table.loc["b", ["count_m", "count_i"]].tolist() == [2, 2]
    assert r.table.loc["b", "category"] == "M/I" and r.table.loc["b", "tied"]
    assert not r.table.loc["b", "fong_significant"]  # a tie is never a clear category
    custom = sk.kano(pd.DataFrame({"a": ["非常满意这个功能"]}), pd.DataFrame({"a": [5]}), labels={"非常满意这个功能": 1})
    assert custom.table.loc["a", "count_o"] == 1


def test_kano_answer_outside_the_options_names_attribute_rows_and_values():
    f = pd.DataFrame({"价格": [1, 2, 6, 1], "物流": [1, "很好", 2, 0]}, index=[10, 11, 12, 13])
    d = pd.DataFrame({"价格": [5, 5, 5, 5], "物流": [5, 5, 5, 5]}, index=[10, 11, 12, 13])
    with pytest.raises(DataError) as exc:
        sk.kano(f, d)
    msg = str(exc.value)
    assert "functional" in msg and "'价格': 6 in 1 row (first rows: 12)" in msg
    assert "'物流': '很好', 0 in 2 rows (first rows: 11, 13)" in msg and "labels=" in msg


def test_kano_attribute_with_only_questionable_answers_warns_and_gives_nan():
    f = pd.DataFrame({"ok": [1, 2, 3], "qq": [1, 5, 1]})
    d = pd.DataFrame({"ok": [5, 5, 5], "qq": [1, 5, 1]})
    with pytest.warns(KanoWarning, match="'qq' has no A, O, M or I answer"):
        r = sk.kano(f, d)
    assert np.isnan(r.table.loc["qq", "better"]) and np.isnan(r.table.loc["qq", "worse"])
    assert r.table.loc["qq", "category"] == "Q" and any("'qq'" in n for n in r.notes)
    assert r.table.loc["ok", "better"] == pytest.approx(1 / 3)


def test_kano_mismatched_frames():
    f = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(ValueError, match="different lengths \\(2 and 3 rows\\)"):
        sk.kano(f, pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(ValueError, match="Only functional: 'a'; only dysfunctional: 'b'"):
        sk.kano(f, pd.DataFrame({"b": [1, 2]}))
    with pytest.raises(ValueError, match="'weights' parameter of kano has 1 values"):
        sk.kano(f, f, weights=[1.0])
    with pytest.raises(ValueError, match="'labels' parameter of kano maps '还行' to 7; codes are 1..5"):
        sk.kano(f, f, labels={"还行": 7})
    with pytest.raises(ValueError, match="'labels' parameter of kano must be a dict"):
        sk.kano(f, f, labels=["a", "b"])


# ---------------------------------------------------------------------------------------------
# SERVQUAL


@pytest.mark.parametrize("weighted", ["", "_weighted"])
def test_servqual_matches_t_test_paired(data, expected, weighted):
    e, p = servqual_frames(data)
    r = sk.servqual(e, p, dimensions=DIMS, importance=IMPORTANCE, weights=data["weight"] if weighted else None)
    for stat in TEST_STATS:
        np.testing.assert_allclose(r.items[stat].to_numpy(float), ref(expected, f"servqual_item{weighted}", stat, SERV),
                                   rtol=RTOL, err_msg=stat)
        np.testing.assert_allclose(r.dimensions[stat].to_numpy(float),
                                   ref(expected, f"servqual_dimension{weighted}", stat, list(DIMS)), rtol=RTOL,
                                   err_msg=stat)
        if not weighted:
            np.testing.assert_allclose(r.overall[stat].to_numpy(float),
                                       ref(expected, "servqual_overall", stat, ["unweighted", "weighted"]), rtol=RTOL,
                                       err_msg=stat)
    if weighted:  # the weighted mean and its linearized standard error are survey::svymean's
        for stat in ["estimate", "se"]:
            np.testing.assert_allclose(r.items[stat].to_numpy(float), ref(expected, "servqual_item_svymean", stat, SERV),
                                       rtol=RTOL, err_msg=stat)
    assert r.items.loc["e_s3", "dimension"] == "reliability" and r.dimensions["importance"].sum() == 100
    assert r.items.loc["e_s3", "estimate"] < -0.5 < r.items.loc["e_s6", "estimate"]


def test_servqual_interval_level(data, expected):
    e, p = servqual_frames(data)
    r = sk.servqual(e, p, ci_level=0.90)
    np.testing.assert_allclose(r.items[["ci_low", "ci_high"]].to_numpy().T,
                               [ref(expected, "servqual_item_90", "ci_low", SERV),
                                ref(expected, "servqual_item_90", "ci_high", SERV)], rtol=RTOL)


def test_servqual_pairs_by_mapping_and_missing_partner():
    e = pd.DataFrame({"E1": [6, 7, 5], "E2": [7, 6, 6]})
    p = pd.DataFrame({"P1": [5, 6, 5], "P2": [6, 6, 4]})
    r = sk.servqual(e, p, pairs={"E1": "P1", "E2": "P2"})
    assert r.items["estimate"].tolist() == pytest.approx([-2 / 3, -1.0])
    with pytest.raises(DataError, match="2 expectation items have no perception partner in servqual: 'E1', 'E2' \\(looked for"):
        sk.servqual(e, p)
    with pytest.raises(DataError, match="'E2' \\(looked for 'P9'"):
        sk.servqual(e, p, pairs={"E1": "P1", "E2": "P9"})
    with pytest.raises(ValueError, match="different lengths \\(3 and 2 rows\\)"):
        sk.servqual(e, p.iloc[:2], pairs={"E1": "P1"})
    with pytest.raises(ValueError, match="sum to 100 .*sum to 90"):
        sk.servqual(e, e, dimensions={"a": ["E1"], "b": ["E2"]}, importance={"a": 40, "b": 50})
    with pytest.raises(ValueError, match="'importance' parameter of servqual weights dimensions; pass 'dimensions'"):
        sk.servqual(e, e, importance={"a": 100})
    with pytest.raises(ValueError, match="'ci_level' parameter of servqual"):
        sk.servqual(e, e, ci_level=95)
    with pytest.raises(ValueError, match="Item 'E1' of servqual is in dimensions 'a' and 'b'"):
        sk.servqual(e, e, dimensions={"a": ["E1"], "b": ["E1", "E2"]})


# ---------------------------------------------------------------------------------------------
# penalty-reward


def test_penalty_reward_matches_lm(data, expected):
    attrs = ["r1", "r2", "r3", "r4"]
    r = sk.penalty_reward(data[attrs], data["overall"], low=2, high=4)
    for stat in ["penalty", "reward", "penalty_se", "reward_se", "penalty_p", "reward_p", "penalty_ci_low",
                 "penalty_ci_high", "reward_ci_low", "reward_ci_high", "difference", "difference_se",
                 "difference_p"]:
        np.testing.assert_allclose(r.table[stat].to_numpy(float), ref(expected, "penalty_reward", stat, attrs),
                                   rtol=RTOL, err_msg=stat)
    for stat in ["intercept", "r_squared", "adj_r_squared", "n_obs"]:
        assert getattr(r, stat) == pytest.approx(ref(expected, "penalty_reward", stat), rel=RTOL)
    # built in: r1 a large penalty, r2 a large reward, r3 symmetric
    assert r.table["category"].tolist()[:3] == ["basic", "excitement", "performance"]
    # the defaults are the bottom two and top two boxes of the observed 1-5 scale
    default = sk.penalty_reward(data[attrs], data["overall"])
    assert default.low == "rating <= 2" and default.high == "rating >= 4"
    np.testing.assert_allclose(default.table["penalty"], r.table["penalty"], rtol=1e-14)


def test_penalty_reward_empty_group_warns_and_fits_without_it():
    rng = np.random.default_rng(4)
    x = pd.DataFrame({"a": rng.integers(1, 6, 200), "b": rng.integers(3, 6, 200)})  # b never low
    y = 3 - (x["a"] <= 2) + 0.5 * (x["b"] >= 4) + rng.normal(0, 0.3, 200)
    with pytest.warns(PenaltyRewardWarning, match="'b' has no respondent in its low group"):
        r = sk.penalty_reward(x, y, low=2, high=4)
    assert np.isnan(r.table.loc["b", "penalty"]) and np.isfinite(r.table.loc["b", "reward"])
    assert r.table.loc["b", "category"] == "" and r.table.loc["a", "category"] == "basic"
    assert r.df_resid == 200 - 4  # intercept, low a, high a, high b
    with pytest.raises(ValueError, match="has 199 values but there are 200 answers"):
        sk.penalty_reward(x, y[:199])
    with pytest.raises(DataError, match="'a' of penalty_reward has no respondent in its middle group \\(neither rating <= 2 nor rating >= 3\\)"):
        sk.penalty_reward(x, y, low=2, high=3)


# ---------------------------------------------------------------------------------------------
# item discrimination


def test_item_discrimination_matches_student_t(data, expected):
    items = [f"q{j}" for j in range(1, 7)]
    r = sk.item_discrimination(data[items])
    for stat in ["cr", "p_value", "df", "estimate", "ci_low", "ci_high"]:
        np.testing.assert_allclose(r.table[stat].to_numpy(float), ref(expected, "discrimination", stat, items),
                                   rtol=RTOL, err_msg=stat)
    for stat in ["low_cut", "high_cut", "n_low", "n_high"]:
        assert getattr(r, stat) == ref(expected, "discrimination", stat)
    assert r.table["cr"].idxmin() == "q6"  # the item that barely loads discriminates least


def test_item_discrimination_bad_input():
    x = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6, 7, 8], "b": [2, 2, 3, 3, 4, 4, 5, 5]})
    with pytest.raises(ValueError, match="'groups' parameter of item_discrimination must be a share between 0 and 0.5"):
        sk.item_discrimination(x, groups=0.6)
    with pytest.raises(ValueError, match="'total' parameter of item_discrimination has 3 values"):
        sk.item_discrimination(x, total=[1, 2, 3])
    with pytest.raises(DataError, match="groups of item_discrimination meet"):
        sk.item_discrimination(x, total=[1, 1, 1, 1, 1, 1, 1, 2])


# ---------------------------------------------------------------------------------------------


def test_results_render_and_pickle(data):
    f, d = kano_frames(data)
    e, p = servqual_frames(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [sk.kano(f, d), sk.servqual(e, p, dimensions=DIMS), sk.penalty_reward(data[["r1", "r2"]], data["overall"]),
                   sk.item_discrimination(data[["q1", "q2", "q3"]])]
    for r in results:
        assert "\n" not in repr(r) and r._repr_html_().startswith("<div")
        assert pickle.loads(pickle.dumps(r)).to_frame().equals(r.to_frame())
