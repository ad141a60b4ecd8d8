"""Figures of perceived value: the value map and the value curve match the value results and profiles."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from conftest import draw_chinese

import surveykit as sk
from surveykit.errors import DataError
from surveykit.plotting import cjk_font_family
from surveykit.plotting.perceived_value import plot_value_curve, plot_value_map

matplotlib.use("Agg")

REGIONS = ["华东", "华南", "西部地区客户（含新疆、西藏、青海等偏远省份）"]
ATTRIBUTES = {"quality": "产品质量稳定可靠", "price": "价格公道合理", "service": "售后服务响应迅速（含上门安装与调试）",
              "brand": "品牌形象", "delivery": "物流速度"}


@pytest.fixture(scope="module")
def by_region():
    rng = np.random.default_rng(11)
    return {REGIONS[0]: sk.nps(rng.integers(0, 11, 300))}


@pytest.fixture(scope="module")
def value_points():
    """Perceived value of four groups whose means differ: two above the fair-value line, two below."""
    rng = np.random.default_rng(5)
    out = {}
    for name, (b, s) in {"华东": (4.2, 3.0), "华南": (3.4, 3.4), "华北": (3.9, 3.6), "西部": (3.6, 2.6)}.items():
        n = 120
        benefits = pd.DataFrame({k: np.clip(np.rint(rng.normal(b, 0.8, n)), 1, 5) for k in ("quality", "service")})
        sacrifices = pd.DataFrame({k: np.clip(np.rint(rng.normal(s, 0.8, n)), 1, 5) for k in ("price", "effort")})
        out[name] = sk.perceived_value(benefits, sacrifices, scale_min=1)
    return out


def _profile():
    return pd.DataFrame({"本公司": [4.2, 3.1, 3.8, 4.0, 3.3], "竞争对手A": [3.9, 3.6, 3.2, np.nan, 3.9],
                         "竞争对手B": [3.5, 4.1, 3.0, 3.4, 3.6]}, index=list(ATTRIBUTES))


def _draw_all(value_points, language="zh"):
    return [plot_value_map(value_points, language=language),
            plot_value_curve(_profile(), item_labels=ATTRIBUTES, scale=(1, 5), language=language)]


# ----------------------------------------------------------------------------- common behaviour

@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_chinese_renders_without_missing_glyphs(case, request, tmp_path, value_points, caplog):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    axes, complaints = draw_chinese(lambda: _draw_all(value_points), tmp_path, caplog, "分群比较 −1 ≤ x")
    assert complaints == []
    assert all((tmp_path / f"f{i}.png").stat().st_size > 10_000 for i in range(2))
    labels = [*axes[1].get_xticklabels(), *axes[0].texts]
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in labels)


@pytest.mark.parametrize("draw", [lambda pts, ax: plot_value_map(pts, ax=ax),
                                  lambda pts, ax: plot_value_curve(_profile(), ax=ax)],
                         ids=["value_map", "value_curve"])
def test_uses_the_axes_given_or_makes_one(draw, value_points):
    fig, ax = plt.subplots()
    assert draw(value_points, ax) is ax
    assert fig.axes[0] is ax
    new = draw(value_points, None)
    assert isinstance(new, Axes) and new.figure is not fig


def test_plotting_leaves_rcparams_unchanged(value_points):
    before = dict(matplotlib.rcParams)
    _draw_all(value_points, language="en")
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda nps, pts: plot_value_map(pts, fair_value="regression"), r"'fair_value' parameter of plot_value_map"),
    (lambda nps, pts: plot_value_map(next(iter(pts.values()))), r"must be a mapping label -> ValueResult or"),
    (lambda nps, pts: plot_value_map({"华东": nps[REGIONS[0]]}), r"'华东' -> NPSResult has no 'benefits'"),
    (lambda nps, pts: plot_value_map(pd.DataFrame({"benefits": [4.0], "price": [3.0]})),
     r"columns 'benefits' and 'sacrifices'.*'sacrifices' is missing \(columns found: 'benefits', 'price'\)"),
    (lambda nps, pts: plot_value_map(pd.DataFrame({"benefits": [4.0, np.nan], "sacrifices": [3.0, 3.5]},
                                                      index=["甲", "乙"])), r"1 point\(s\) without .*'乙'"),
    (lambda nps, pts: plot_value_map({}), r"'points' parameter of plot_value_map is empty"),
    (lambda nps, pts: plot_value_curve(_profile(), scale=(5, 1)), r"'scale' parameter of plot_value_curve must be"),
    (lambda nps, pts: plot_value_curve(_profile(), scale=(1, 4)),
     r"2 mean rating\(s\) lie outside it \(first: attribute 'quality', column '本公司' = 4.2\)"),
    (lambda nps, pts: plot_value_curve({"本公司": [4.2, 3.1]}), r"'本公司' -> list"),
    (lambda nps, pts: plot_value_curve(pd.DataFrame()), r"0 attributes and 0 columns: nothing to draw"),
    (lambda nps, pts: plot_value_curve(pd.DataFrame({"a": [4.0, 3.0]}, index=["质量", "质量"])),
     r"repeated attributes \(rows\): \['质量'\]"),
    (lambda nps, pts: plot_value_curve(np.ones((3, 2))), r"must be a DataFrame .* Got ndarray instead"),
])
def test_bad_input_says_what_where_and_how_to_fix(call, match, by_region, value_points):
    with pytest.raises(ValueError, match=match):
        call(by_region, value_points)


def test_non_numeric_ratings_are_a_data_error():
    with pytest.raises(DataError, match="'本公司'.*'高'"):
        plot_value_curve(pd.DataFrame({"本公司": [4.2, "高"]}, index=["质量", "价格"]))


# ----------------------------------------------------------------------------- value map

def test_value_map_places_each_group_by_sacrifices_and_benefits(value_points):
    ax = plot_value_map(value_points)
    tables = [r.table for r in value_points.values()]
    offsets = ax.collections[-1].get_offsets()
    np.testing.assert_allclose(offsets, [[t.at["sacrifices", "estimate"], t.at["benefits", "estimate"]]
                                         for t in tables])
    # error bars are the confidence intervals of the two sides
    horizontal, vertical = ax.containers[0].lines[2]
    np.testing.assert_allclose([[s[0][0], s[1][0]] for s in horizontal.get_segments()],
                               [[t.at["sacrifices", "ci_low"], t.at["sacrifices", "ci_high"]] for t in tables])
    np.testing.assert_allclose([[s[0][1], s[1][1]] for s in vertical.get_segments()],
                               [[t.at["benefits", "ci_low"], t.at["benefits", "ci_high"]] for t in tables])
    # the fair-value line: slope 1 through the mean point, which is the centre of a square plot
    centre = offsets.mean(axis=0)
    (line,) = [ln for ln in ax.lines if hasattr(ln, "get_slope")]  # not the caps of the error bars
    assert line.get_slope() == 1 and line.get_xy1() == pytest.approx(tuple(centre))
    assert np.mean(ax.get_xlim()) == pytest.approx(centre[0]) and np.mean(ax.get_ylim()) == pytest.approx(centre[1])
    assert np.diff(ax.get_xlim()) == pytest.approx(np.diff(ax.get_ylim())) and ax.get_aspect() == 1
    # above / left of the line (better value) blue, below / right red; regions and points named
    better = (offsets[:, 1] - centre[1]) > (offsets[:, 0] - centre[0])
    assert list(better) == [True, False, False, True]
    colours = [to_hex(c) for c in ax.collections[-1].get_facecolors()]
    assert colours[0] == colours[3] != colours[1] == colours[2]
    texts = [t.get_text() for t in ax.texts]
    assert {"价值优势", "价值劣势", *value_points} <= set(texts)
    assert ax.get_xlabel() == "感知利失（相对价格与成本）" and ax.get_ylabel() == "感知利得（感知质量）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["公平价值线（斜率 1，过各点均值）", "95% 置信区间"]


def test_value_map_from_a_frame_without_intervals_or_line():
    pts = pd.DataFrame({"benefits": [4.1, 3.6, 3.9], "sacrifices": [3.2, 3.4, 2.8]},
                       index=["A 公司", "B 公司", "本公司"])
    ax = plot_value_map(pts, fair_value=None, annotate=False, language="en", s=90)
    assert len(ax.containers) == len(ax.lines) == len(ax.texts) == 0 and ax.get_legend() is None
    np.testing.assert_allclose(ax.collections[-1].get_offsets(), pts[["sacrifices", "benefits"]].to_numpy())
    assert ax.collections[-1].get_sizes()[0] == 90  # kwargs reach the scatter
    assert ax.get_xlabel() == "Perceived sacrifices (relative price and cost)"
    ax = plot_value_map(pts.assign(benefits_ci_low=pts["benefits"] - 0.2, benefits_ci_high=pts["benefits"] + 0.3))
    assert len(ax.containers) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "置信区间"  # no level known for a frame


# ----------------------------------------------------------------------------- value curve

def test_value_curve_draws_one_line_per_column_over_the_attributes():
    profile = _profile()
    ax = plot_value_curve(profile, item_labels=ATTRIBUTES, scale=(1, 5), linewidth=2.5)
    assert len(ax.lines) == profile.shape[1]
    for line, column in zip(ax.lines, profile.columns):
        np.testing.assert_array_equal(line.get_ydata(), profile[column].to_numpy())  # NaN: a gap, not a zero
        np.testing.assert_array_equal(line.get_xdata(), np.arange(len(profile)))
        assert line.get_marker() not in (None, "None", "") and line.get_linewidth() == 2.5
    assert len({ln.get_marker() for ln in ax.lines}) == len({to_hex(ln.get_color()) for ln in ax.lines}) == 3
    assert [t.get_text().replace("\n", "") for t in ax.get_xticklabels()] == list(ATTRIBUTES.values())
    assert ax.get_ylim() == (1, 5) and ax.get_ylabel() == "平均评分"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(profile.columns)


def test_value_curve_accepts_series_and_rotates_crowded_labels():
    a = pd.Series({"质量": 4.0, "价格": 3.1, "服务": 3.6})
    b = pd.Series({"价格": 3.5, "质量": 3.8, "物流": 3.0})  # another order and one more attribute
    ax = plot_value_curve({"本公司": a, "竞争对手": b}, language="en")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["质量", "价格", "服务", "物流"]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [3.8, 3.5, np.nan, 3.0])
    assert ax.get_ylabel() == "Mean rating"
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())  # short labels fit side by side
    long = pd.DataFrame({"本公司": np.linspace(3, 4, 12)}, index=[f"属性{i}：售后服务响应迅速" for i in range(12)])
    ax = plot_value_curve(long)
    assert all(t.get_rotation() == 30 and "\n" not in t.get_text() for t in ax.get_xticklabels())
