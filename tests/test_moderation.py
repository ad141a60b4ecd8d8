"""Moderation (PROCESS model 1) against R lm + vcov (tests/reference/mediation.R).

The coefficients, simple slopes and Johnson-Neyman bounds are closed-form OLS quantities (the
bounds the roots of a quadratic in them): compared to 1e-8 relative.
"""

import pickle
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import surveykit as sk

matplotlib.use("Agg")
REF = Path(__file__).parent / "reference" / "data"
RTOL = 1e-8


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "mediation_input.csv", index_col=0)


@pytest.fixture(scope="module")
def expected():
    e = pd.read_csv(REF / "mediation_expected.csv", keep_default_na=False, dtype={"term": str})
    return e[e.case == "moderation"]


def ref(expected, stat):
    return expected[expected.stat == stat].set_index("term")["value"].astype(float)


@pytest.fixture(scope="module")
def result(data):
    return sk.moderation(data, "x", "w", "y_mod", covariates=["age"], at=None)


def test_coefficients_match_lm(result, expected):
    assert result.n_obs == int(ref(expected, "n_obs").iloc[0])
    table = result.coefficients.rename(index={"x:w": "x:w"})
    assert table.index.tolist() == ["intercept", "x", "w", "x:w", "age"]
    for stat in ["estimate", "se", "t", "p_value", "ci_low", "ci_high"]:
        want = ref(expected, stat)
        np.testing.assert_allclose(table.loc[want.index, stat], want, rtol=RTOL, err_msg=stat)
    assert result.r_squared == pytest.approx(ref(expected, "r_squared").iloc[0], rel=RTOL)
    assert result.r_squared_change == pytest.approx(ref(expected, "r_squared_change").iloc[0], rel=1e-7)


@pytest.mark.parametrize("at, labels", [(None, ["mean - 1 SD", "mean", "mean + 1 SD"]), ([2, 6], ["2", "6"])])
@pytest.mark.parametrize("center", [True, False])
def test_simple_slopes_match_lm_vcov(data, expected, at, labels, center):
    r = sk.moderation(data, "x", "w", "y_mod", covariates=["age"], at=at, center=center)
    s = r.simple_slopes
    assert s.index.tolist() == labels
    for ours, theirs in [("w", "slope_w"), ("estimate", "slope_estimate"), ("se", "slope_se"), ("t", "slope_t"),
                         ("p_value", "slope_p"), ("ci_low", "slope_ci_low"), ("ci_high", "slope_ci_high")]:
        np.testing.assert_allclose(s[ours], ref(expected, theirs)[labels], rtol=RTOL, err_msg=ours)
    # centring moves x's and w's own coefficients, never the interaction or the bounds
    np.testing.assert_allclose(r.jn_bounds, ref(expected, "jn")[["low", "high"]], rtol=RTOL)
    assert r.coefficients.loc["x:w", "estimate"] == pytest.approx(ref(expected, "estimate")["x:w"], rel=RTOL)


def test_johnson_neyman_bounds_are_where_p_equals_alpha(data, result, expected):
    low, high = result.jn_bounds
    assert result.jn_in_range == result.jn_bounds
    assert result.w_range == (ref(expected, "w_range")["min"], ref(expected, "w_range")["max"])
    at = sk.moderation(data, "x", "w", "y_mod", covariates=["age"], at=[low, high, (low + high) / 2, 1, 7])
    np.testing.assert_allclose(at.simple_slopes.p_value.iloc[:2], 0.05, rtol=1e-9)
    assert at.simple_slopes.p_value.iloc[2] > 0.05 and (at.simple_slopes.p_value.iloc[3:] < 0.05).all()
    assert "two bounds" in result.jn_region and f"'w' <= {low:.4g}" in result.jn_region


def test_johnson_neyman_none_and_one_bound_in_range(data):
    strong = data.assign(y2=data.y_mod + 2.0 * data.x)  # slope positive and significant over all of w
    r = sk.moderation(strong, "x", "w", "y2", covariates=["age"])
    assert r.jn_in_range == () and "significant everywhere" in r.jn_region
    cut = data[data.w >= 3]  # keeps only the upper bound side: one bound within 3..7
    r = sk.moderation(cut, "x", "w", "y_mod", covariates=["age"])
    assert len(r.jn_bounds) == 2 and len(r.jn_in_range) == 1 and r.jn_bounds[0] < 3
    assert "one bound" in r.jn_region and f"'w' >= {r.jn_in_range[0]:.4g}" in r.jn_region
    slopes = sk.moderation(cut, "x", "w", "y_mod", covariates=["age"], at=[r.jn_in_range[0]]).simple_slopes
    assert slopes.p_value.iloc[0] == pytest.approx(0.05, rel=1e-9)


def test_result_protocol_and_plot(result):
    assert "\n" not in repr(result) and repr(result).startswith("<ModerationResult")
    assert result.summary().as_text() and result.summary().as_markdown() and result._repr_html_().startswith("<div")
    pickle.loads(pickle.dumps(result))
    assert result.to_frame().columns.tolist() == ["w", "estimate", "se", "t", "p_value", "ci_low", "ci_high"]


def test_simple_slopes_figure(data, result, tmp_path, caplog):
    import matplotlib.pyplot as plt
    from conftest import draw_chinese

    from surveykit.plotting import cjk_font_family, plot_simple_slopes

    before = dict(matplotlib.rcParams)
    ax = plot_simple_slopes(result, language="en")
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}
    assert len(ax.lines) == 3 and ax.get_xlabel() == "x" and ax.get_ylabel() == "y_mod"
    for line, (_, part) in zip(ax.lines, result.predicted.groupby("at", sort=False)):
        np.testing.assert_allclose(line.get_ydata(), part.y_hat)
    # each line's slope is the simple slope of x at that value of w
    slopes = [np.diff(line.get_ydata())[0] / np.diff(line.get_xdata())[0] for line in ax.lines]
    np.testing.assert_allclose(slopes, result.simple_slopes.estimate, rtol=1e-10)
    assert "1.87, 3.43" in ax.get_title(loc="left")
    fig, given = plt.subplots()
    assert plot_simple_slopes(result, ax=given) is given
    zh = data.rename(columns={"x": "价格感知", "w": "涉入度", "y_mod": "忠诚度"})
    zh_result = sk.moderation(zh, "价格感知", "涉入度", "忠诚度")
    axes, complaints = draw_chinese(lambda: [plot_simple_slopes(zh_result)], tmp_path, caplog, "简单斜率")
    assert complaints == [] and axes[0].get_legend().get_title().get_text() == "调节变量 涉入度"
    assert axes[0].xaxis.label.get_fontfamily()[0] == cjk_font_family()[0]
    with pytest.raises(ValueError, match="must have a 'predicted' attribute .* surveykit.moderation"):
        plot_simple_slopes(sk.key_drivers(data, "y", ["x", "m1"]))
    plt.close("all")


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(w="ww"), ValueError, "'w' parameter of moderation names 1 column not in data: 'ww'"),
    (dict(w="x"), ValueError, "Column 'x' of moderation is given both as 'x' and as 'w'"),
    (dict(center="yes"), ValueError, "'center' parameter of moderation must be True or False"),
    (dict(at=[np.nan]), ValueError, "'at' parameter of moderation must be one or more finite values"),
    (dict(ci_level=1.5), ValueError, "'ci_level' parameter of moderation"),
])
def test_bad_arguments(data, kwargs, error, match):
    with pytest.raises(error, match=match):
        sk.moderation(data, **(dict(x="x", w="w", y="y_mod") | kwargs))


def test_bad_data(data):
    with pytest.raises(sk.DataError, match=r"Column 'w' \(the 'w' of moderation\) has the same value \(4\)"):
        sk.moderation(data.assign(w=4.0), "x", "w", "y_mod")
    with pytest.raises(sk.DataError, match="needs at least 6 complete rows"):
        sk.moderation(data.head(5), "x", "w", "y_mod")
    bad = data.assign(w=data.w.astype(object))
    bad.loc[0, "w"] = "很高"
    with pytest.raises(sk.DataError, match="'很高'"):
        sk.moderation(bad, "x", "w", "y_mod")
