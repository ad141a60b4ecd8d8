"""The satisfaction figures: KANO Better-Worse chart, SERVQUAL gaps, penalty-reward bars match their results."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import draw_chinese

import surveykit as sk
from surveykit.plotting import cjk_font_family, plot_gaps, plot_kano, plot_penalty_reward

matplotlib.use("Agg")
REF = Path(__file__).parent / "reference" / "data"
KANO = {"k1": "快速配送", "k2": "产品质量稳定（含售后三年保修）", "k3": "价格透明", "k4": "会员积分"}


@pytest.fixture(scope="module")
def results():
    x = pd.read_csv(REF / "satisfaction_input.csv", index_col="respondent")
    f = x[[f"f_{k}" for k in KANO]].set_axis(list(KANO.values()), axis=1)
    d = x[[f"d_{k}" for k in KANO]].set_axis(list(KANO.values()), axis=1)
    e = x[[f"e_s{j}" for j in range(1, 7)]].set_axis([f"题项{j}" for j in range(1, 7)], axis=1)
    p = x[[f"p_s{j}" for j in range(1, 7)]].set_axis(list(e.columns), axis=1)
    dims = {"有形性": ["题项1", "题项2"], "可靠性": ["题项3", "题项4"], "响应性": ["题项5", "题项6"]}
    pr = x[["r1", "r2", "r3", "r4"]].set_axis(["卫生", "装修", "服务", "停车"], axis=1)
    return {"kano": sk.kano(f, d), "servqual": sk.servqual(e, p, dimensions=dims),
            "penalty_reward": sk.penalty_reward(pr, x["overall"])}


def _draw_all(r, language="zh"):
    return [plot_kano(r["kano"], language=language), plot_gaps(r["servqual"], language=language),
            plot_gaps(r["servqual"], level="dimensions", language=language),
            plot_penalty_reward(r["penalty_reward"], language=language)]


@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_chinese_renders_without_missing_glyphs(case, request, tmp_path, results, caplog):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    axes, complaints = draw_chinese(lambda: _draw_all(results), tmp_path, caplog, "满意度分析 −1 ≤ x")
    assert complaints == []
    assert all((tmp_path / f"f{i}.png").stat().st_size > 10_000 for i in range(len(axes)))
    labels = [t for ax in axes for t in (*ax.get_yticklabels(), ax.xaxis.label)]
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in labels)


def test_kano_points_are_worse_and_better(results):
    r = results["kano"]
    ax = plot_kano(r, language="en", split="half")
    xy = ax.collections[0].get_offsets()
    np.testing.assert_allclose(xy[:, 0], -r.table["worse"])
    np.testing.assert_allclose(xy[:, 1], r.table["better"])
    texts = {t.get_text() for t in ax.texts}
    assert {"Attractive (A)", "Must-be (M)", "One-dimensional (O)", "Indifferent (I)"} <= texts
    assert "快速配送" in texts and ax.get_xlabel().startswith("Dissatisfaction")
    mean = plot_kano(r, annotate=False)
    assert mean.lines[0].get_xdata()[0] == pytest.approx(float(-r.table["worse"].mean()))
    assert not any(t.get_text() == "快速配送" for t in mean.texts)


def test_kano_without_better_or_worse_is_refused():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = sk.kano(pd.DataFrame({"a": [1, 5]}), pd.DataFrame({"a": [1, 5]}))
    with pytest.raises(ValueError, match="no attribute with Better and Worse"):
        plot_kano(r)


def test_gap_bars_and_intervals_are_the_result(results):
    r = results["servqual"]
    ax = plot_gaps(r, level="dimensions", language="en")
    widths = [b.get_width() for b in ax.patches]
    np.testing.assert_allclose(widths, r.dimensions["estimate"])
    segs = ax.collections[0].get_segments()
    np.testing.assert_allclose([s[0][0] for s in segs], r.dimensions["ci_low"])
    np.testing.assert_allclose([s[1][0] for s in segs], r.dimensions["ci_high"])
    top_down = sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda p: -p[0])
    assert [t.get_text() for _, t in top_down] == list(r.dimensions.index)
    red = [b for b, v in zip(ax.patches, r.dimensions["estimate"]) if v < 0]
    assert red and all(b.get_facecolor()[0] > b.get_facecolor()[2] for b in red)


def test_penalty_left_reward_right_with_classes(results):
    r = results["penalty_reward"]
    fig, given = plt.subplots()
    ax = plot_penalty_reward(r, ax=given, item_labels={"停车": "停车便利"})
    assert ax is given
    n = len(r.table)
    widths = np.array([b.get_width() for b in ax.patches])
    np.testing.assert_allclose(widths[:n], -r.table["penalty"])
    np.testing.assert_allclose(widths[n:], r.table["reward"])
    texts = [t.get_text() for t in ax.texts]
    assert texts == [{"basic": "基本因素", "performance": "绩效因素", "excitement": "兴奋因素", "none": "不显著"}[c]
                     for c in r.table["category"]]
    assert "停车便利" in [t.get_text() for t in ax.get_yticklabels()]


def test_plotting_leaves_rcparams_unchanged(results):
    before = dict(matplotlib.rcParams)
    _draw_all(results, language="en")
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda r: plot_kano(r["kano"], language="fr"), "'language' parameter of plot_kano"),
    (lambda r: plot_kano(r["kano"], split="median"), "'split' parameter of plot_kano"),
    (lambda r: plot_kano(r["servqual"]), "plot_kano must have a 'table' attribute"),
    (lambda r: plot_gaps(r["kano"]), "plot_gaps must have a 'items' attribute"),
    (lambda r: plot_gaps(r["servqual"], level="item"), "'level' parameter of plot_gaps"),
    (lambda r: plot_penalty_reward(r["kano"]), "needs the columns 'penalty'"),
])
def test_bad_input(results, call, match):
    with pytest.raises(ValueError, match=match):
        call(results)
