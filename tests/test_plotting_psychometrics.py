"""Psychometric figures: scree with parallel analysis, loadings heatmap, item-total bars."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from surveykit.plotting import cjk_font_family, plot_item_total, plot_loadings, plot_scree
from surveykit.plotting._style import LIGHT_INK

matplotlib.use("Agg")

LABELS = {"q1": "产品质量稳定可靠", "q2": "售后服务响应迅速（含上门安装与调试），工程师专业耐心",
          "q3": "价格公道合理", "q4": "包装完好无损"}


def _parallel(p=6, n_factors=2, n_components=1, threshold="95th percentile"):
    eig = pd.DataFrame({"observed_pc": np.linspace(3.2, 0.2, p), "simulated_pc": np.linspace(1.4, 0.7, p),
                        "observed_fa": np.linspace(2.6, -0.2, p), "simulated_fa": np.linspace(0.5, -0.1, p)},
                       index=pd.RangeIndex(1, p + 1, name="number"))
    return SimpleNamespace(eigenvalues=eig, threshold=threshold, n_factors=n_factors, n_components=n_components)


def _loadings():
    values = [[0.82, 0.05], [0.71, -0.45], [0.12, 0.66], [-0.35, np.nan]]
    return SimpleNamespace(loadings=pd.DataFrame(values, index=list(LABELS), columns=["F1", "F2"]))


def _reliability():
    items = pd.DataFrame({"mean": [3.1, 3.4, 2.9, 3.8], "r_drop": [0.72, 0.65, 0.18, -0.12],
                          "alpha_if_deleted": [0.70, 0.74, 0.86, 0.88]}, index=pd.Index(list(LABELS), name="item"))
    return SimpleNamespace(items=items, alpha=0.812)


def _data_lines(ax):
    return [line for line in ax.lines if len(line.get_xdata()) > 2]


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ----------------------------------------------------------------------------- common behaviour

@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_chinese_renders_without_missing_glyphs_and_saves(case, request, tmp_path):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        axes = [plot_scree(_parallel(), language="zh"),
                plot_loadings(_loadings(), item_labels=LABELS, language="zh"),
                plot_item_total(_reliability(), item_labels=LABELS, language="zh")]
        for i, ax in enumerate(axes):
            ax.set_title("心理测量 −1 ≤ α")  # after plotting, outside any style, as a user would
            ax.figure.savefig(tmp_path / f"f{i}.png")
        axes[2].figure.savefig(tmp_path / "f.pdf")
        axes[2].figure.savefig(tmp_path / "f.svg")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert all((tmp_path / f"f{i}.png").stat().st_size > 10_000 for i in range(3))
    tick_texts = [t for t in axes[1].get_yticklabels()] + [t for t in axes[2].get_yticklabels()]
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in tick_texts)


@pytest.mark.parametrize("draw", [lambda ax: plot_scree(_parallel(), ax=ax),
                                  lambda ax: plot_loadings(_loadings(), ax=ax),
                                  lambda ax: plot_item_total(_reliability(), ax=ax)],
                         ids=["scree", "loadings", "item_total"])
def test_uses_the_axes_given_or_makes_one(draw):
    fig, ax = plt.subplots()
    assert draw(ax) is ax
    assert fig.axes[0] is ax
    new = draw(None)
    assert isinstance(new, Axes) and new.figure is not fig


def test_plotting_leaves_rcparams_unchanged():
    before = dict(matplotlib.rcParams)
    plot_scree(_parallel())
    plot_loadings(_loadings())
    plot_item_total(_reliability())
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda: plot_scree(_parallel(), kind="scree"), ("The 'kind' parameter of plot_scree must be one of 'both', "
                                                     "'factors', 'components'. Got 'scree' instead.")),
    (lambda: plot_scree(_parallel(), language="fr"), "'language' parameter of plot_scree"),
    (lambda: plot_loadings(_loadings(), threshold=1.5), "'threshold' parameter of plot_loadings"),
    (lambda: plot_loadings(_loadings(), below_threshold="grey"), "'below_threshold' parameter of plot_loadings"),
    (lambda: plot_loadings(SimpleNamespace(), threshold=0.3), "'result' parameter of plot_loadings.*'loadings'"),
    (lambda: plot_item_total(_reliability(), threshold="0.3"), "'threshold' parameter of plot_item_total"),
    (lambda: plot_item_total(SimpleNamespace(items=_reliability().items, alpha=None)),
     "'result' parameter of plot_item_total.*'alpha'"),
])
def test_bad_options_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_missing_columns_name_the_parameter_and_the_column():
    pa = _parallel()
    no_fa = SimpleNamespace(**{**vars(pa), "eigenvalues": pa.eigenvalues.drop(columns="simulated_fa")})
    with pytest.raises(ValueError, match="'result' parameter of plot_scree.*'simulated_fa' is missing"):
        plot_scree(no_fa)
    assert len(_data_lines(plot_scree(no_fa, kind="components"))) == 2  # components need no FA columns
    rel = _reliability()
    with pytest.raises(ValueError, match="'result' parameter of plot_item_total.*'alpha_if_deleted' is missing"):
        plot_item_total(SimpleNamespace(items=rel.items.drop(columns="alpha_if_deleted"), alpha=rel.alpha))


# ----------------------------------------------------------------------------- scree

@pytest.mark.parametrize("kind, n_lines, kaiser", [("both", 4, True), ("factors", 2, False), ("components", 2, True)])
def test_scree_draws_observed_and_simulated_lines(kind, n_lines, kaiser):
    pa = _parallel()
    ax = plot_scree(pa, kind=kind)
    lines = _data_lines(ax)
    assert len(lines) == n_lines
    observed = [ln for ln in lines if ln.get_linestyle() == "-"]
    simulated = [ln for ln in lines if ln.get_linestyle() != "-"]
    assert len(observed) == len(simulated) == n_lines // 2
    assert all(ln.get_marker() not in (None, "None", "") for ln in observed)
    drawn = {tuple(np.round(ln.get_ydata(), 9)) for ln in lines}
    wanted = {"both": ["pc", "fa"], "factors": ["fa"], "components": ["pc"]}[kind]
    assert drawn == {tuple(np.round(pa.eigenvalues[f"{w}_{k}"].to_numpy(), 9))
                     for k in wanted for w in ("observed", "simulated")}
    at_one = [ln for ln in ax.lines if list(ln.get_ydata()) == [1, 1]]
    assert len(at_one) == int(kaiser)
    assert len(ax.lines) == n_lines + int(kaiser)


def test_scree_legend_names_the_suggested_numbers_and_the_threshold():
    ax = plot_scree(_parallel(n_factors=3, n_components=2))
    legend = _legend(ax)
    assert "Factors (suggested: 3)" in legend and "Components (suggested: 2)" in legend
    assert "Simulated factors (95th percentile)" in legend
    assert ax.get_xlabel() == "Factor or component number" and ax.get_ylabel() == "Eigenvalue"
    ax.figure.canvas.draw()
    low, high = ax.get_xlim()
    shown = [(t, label.get_text()) for t, label in zip(ax.get_xticks(), ax.get_xticklabels()) if low <= t <= high]
    assert [label for _, label in shown] == ["1", "2", "3", "4", "5", "6"]


def test_scree_in_chinese():
    ax = plot_scree(_parallel(n_factors=3, threshold="mean"), kind="factors", language="zh")
    assert ax.get_ylabel() == "特征值" and ax.get_xlabel() == "因子数"
    assert _legend(ax) == ["因子（建议：3）", "模拟因子（均值）"]
    ax = plot_scree(_parallel(n_components=2), kind="components", language="zh")
    assert _legend(ax)[:2] == ["主成分（建议：2）", "模拟主成分（第 95 百分位数）"]


def test_scree_without_a_suggestion_leaves_it_out():
    ax = plot_scree(_parallel(n_factors=None, n_components=0), kind="both")
    assert _legend(ax)[:3] == ["Components (suggested: 0)", "Simulated components (95th percentile)", "Factors"]


# ----------------------------------------------------------------------------- loadings

def test_loadings_heatmap_cells_colours_and_labels():
    res = _loadings()
    ax = plot_loadings(res, item_labels={"q1": "产品质量稳定可靠"})
    image = ax.images[0]
    np.testing.assert_array_equal(image.get_array().filled(np.nan), res.loadings.to_numpy())
    assert (image.norm.vmin, image.norm.vmax) == (-1, 1)
    assert image.colorbar is not None and image.colorbar.ax in ax.figure.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == ["产品质量稳定可靠", "q2", "q3", "q4"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["F1", "F2"]
    assert all(t.label2.get_visible() and not t.label1.get_visible() for t in ax.xaxis.get_major_ticks())  # on top
    texts = {t.get_text(): t for t in ax.texts}
    assert sorted(texts) == sorted(["0.82", "0.05", "0.71", "-0.45", "0.12", "0.66", "-0.35"])  # NaN left blank
    assert texts["0.82"].get_color() == "white"  # dark blue cell
    assert texts["0.05"].get_color() == LIGHT_INK  # below the threshold: faint
    assert to_hex(image.cmap(image.norm(0.0))) != to_hex(image.cmap(image.norm(0.8)))


def test_loadings_below_threshold_can_be_hidden_or_all_left_out():
    hidden = plot_loadings(_loadings(), threshold=0.5, below_threshold="hide")
    assert sorted(t.get_text() for t in hidden.texts) == ["0.66", "0.71", "0.82"]  # |-0.45| < 0.5 hidden too
    assert len(plot_loadings(_loadings(), annotate=False).texts) == 0


def test_loadings_accepts_a_frame_one_factor_and_many_items():
    rng = np.random.default_rng(7)
    many = pd.DataFrame(rng.uniform(-1, 1, (50, 1)), index=[f"item{i}" for i in range(50)], columns=["MR1"])
    ax = plot_loadings(many)
    assert ax.images[0].get_array().shape == (50, 1)
    assert len(ax.texts) == 50 and len(ax.get_yticklabels()) == 50
    few = plot_loadings(_loadings())
    assert ax.texts[0].get_fontsize() < few.texts[0].get_fontsize()  # text scales down with the cells


# ----------------------------------------------------------------------------- item-total

def test_item_total_bars_colours_threshold_and_alpha():
    res = _reliability()
    ax = plot_item_total(res, item_labels=LABELS, threshold=0.3)
    bars = sorted(ax.patches, key=lambda b: -b.get_y())  # first item on top
    assert [b.get_width() for b in bars] == pytest.approx(res.items["r_drop"].to_list())
    colours = [to_hex(b.get_facecolor()) for b in bars]
    assert colours[0] == colours[1] != colours[2] == colours[3]  # 0.18 and -0.12 are below 0.3
    assert [ln.get_xdata()[0] for ln in ax.lines].count(0.3) == 1
    assert ax.get_title(loc="left") == "Cronbach's α = 0.812"
    texts = [t.get_text() for t in ax.texts]
    assert texts[:2] == ["0.72", "0.65"]
    assert texts[2].startswith("0.18") and "0.860" in texts[2]  # deleting it would raise alpha
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert next(t for _, t in ticks) == LABELS["q1"]


def test_item_total_with_a_real_reliability_result():
    from surveykit import reliability

    rng = np.random.default_rng(3)
    f = rng.normal(size=200)
    data = pd.DataFrame({f"q{i}": f + rng.normal(size=200) for i in range(5)})
    res = reliability(data)
    ax = plot_item_total(res, show_alpha_if_deleted=False, language="zh")
    assert len(ax.patches) == 5
    assert [t.get_text() for t in ax.texts] == [f"{v:.2f}" for v in res.items["r_drop"]]
    assert ax.get_title(loc="left") == f"Cronbach's α = {res.alpha:.3f}"
    assert ax.get_xlabel() == "校正项总相关（CITC）"
