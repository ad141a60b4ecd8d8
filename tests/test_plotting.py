"""Figures: Chinese glyphs render without set-up, geometry is right, nothing global changes."""

from __future__ import annotations

import subprocess
import sys
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from surveykit.plotting import _fonts, cjk_font_family, cjk_font_path, figure_style, plot_likert
from surveykit.plotting._style import wrap_label

matplotlib.use("Agg")

LABELS = {"q1": "产品质量稳定可靠", "q2": "售后服务响应迅速（含上门安装与调试），工程师专业耐心", "q3": "价格公道合理"}
CATS = {1.0: "非常不同意", 2.0: "不同意", 3.0: "一般", 4.0: "同意", 5.0: "非常同意"}


def _dist():
    return pd.DataFrame([[0.1, 0.2, 0.3, 0.3, 0.1], [0.0, 0.05, 0.15, 0.5, 0.3], [np.nan] * 5],
                        index=["q1", "q2", "q3"], columns=[1.0, 2.0, 3.0, 4.0, 5.0])


def _row(ax, y):
    """The bars of the row at height ``y``, left to right."""
    return sorted((b for b in ax.patches if abs(b.get_y() + b.get_height() / 2 - y) < 1e-9), key=lambda b: b.get_x())


def _draw_and_save(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot_likert(_dist(), item_labels=LABELS, category_labels=CATS)
        ax.set_title("满意度分布 −1 ≤ x")  # after plot_likert, outside any style, as a user would
        ax.figure.savefig(tmp_path / "f.png")
        ax.figure.savefig(tmp_path / "f.svg")
        ax.figure.savefig(tmp_path / "f.pdf")
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_chinese_renders_without_missing_glyphs(tmp_path):
    assert _draw_and_save(tmp_path) == []
    assert (tmp_path / "f.png").stat().st_size > 10_000


def test_fresh_linux_uses_the_font_shipped_by_mplfonts(fresh_linux, tmp_path):
    assert cjk_font_path().endswith("NotoSansCJKsc-Regular.otf")
    assert cjk_font_family() == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert _draw_and_save(tmp_path) == []


def test_no_font_at_all_says_how_to_fix_it(fresh_linux, monkeypatch):
    monkeypatch.setattr(_fonts, "BUNDLED_FONTS", ())
    with pytest.warns(UserWarning, match="mplfonts"):
        assert cjk_font_family() == ["DejaVu Sans"]
    assert cjk_font_path() is None


@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_the_font_has_every_glyph(case, request):
    from matplotlib.ft2font import FT2Font

    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    path = cjk_font_path()
    assert path is not None, "no CJK font found: neither installed nor shipped by mplfonts"
    font = FT2Font(path)
    text = "".join(LABELS.values()) + "".join(CATS.values()) + "满意度分布0123456789%ABCxyz…"
    assert [ch for ch in text if font.get_char_index(ord(ch)) == 0] == []


def test_import_changes_no_rcparams_and_registers_no_font():
    code = ("import matplotlib as mpl, matplotlib.font_manager as fm; before = dict(mpl.rcParams); "
            "n = len(fm.fontManager.ttflist); import surveykit.plotting; "
            "print([k for k, v in mpl.rcParams.items() if before[k] != v], len(fm.fontManager.ttflist) - n)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] 0"


def test_plotting_and_the_style_leave_rcparams_unchanged():
    before = dict(matplotlib.rcParams)
    plot_likert(_dist())
    with figure_style():
        assert matplotlib.rcParams["font.sans-serif"][0] == cjk_font_family()[0]
        assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


def test_bars_diverge_around_zero():
    ax = plot_likert(_dist())
    q1, q2 = _row(ax, 2), _row(ax, 1)  # first item on top
    assert q1[0].get_x() == pytest.approx(-(0.1 + 0.2 + 0.3 / 2))
    assert [b.get_width() for b in q1] == pytest.approx([0.1, 0.2, 0.3, 0.3, 0.1])
    assert q1[-1].get_x() + q1[-1].get_width() == pytest.approx(0.55)
    assert q2[0].get_x() == pytest.approx(-(0.0 + 0.05 + 0.15 / 2))
    texts = {t.get_text() for t in ax.texts}
    assert {"10%", "20%", "30%", "15%", "50%"} <= texts and "5%" not in texts  # below 8% stays bare


def test_even_scale_and_explicit_neutral():
    even = pd.DataFrame([[0.1, 0.3, 0.4, 0.2]], index=["q1"], columns=[1, 2, 3, 4])
    assert _row(plot_likert(even), 0)[0].get_x() == pytest.approx(-0.4)
    skewed = pd.DataFrame([[0.1, 0.2, 0.3, 0.4]], index=["q1"], columns=[1, 2, 3, 4])
    assert _row(plot_likert(skewed, neutral=2), 0)[0].get_x() == pytest.approx(-0.2)
    assert _row(plot_likert(_dist(), neutral=None), 2)[0].get_x() == pytest.approx(-0.3)


def test_labels_in_item_order_and_legend_in_scale_order():
    ax = plot_likert(_dist(), item_labels={"q1": "产品质量稳定可靠"}, category_labels=CATS)
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [t for _, t in ticks] == ["产品质量稳定可靠", "q2", "q3"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(CATS.values())
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in ax.get_legend().get_texts())


def test_long_labels_wrap_and_are_cut():
    assert wrap_label("产品质量稳定可靠") == "产品质量稳定可靠"
    wrapped = wrap_label(LABELS["q2"], width=20)
    lines = wrapped.split("\n")
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(sum(2 if "\u4e00" <= c <= "\u9fff" or c in "（），" else 1 for c in ln) <= 20 for ln in lines)
    assert wrap_label("Delivery was on time and the courier was friendly", width=28).split("\n") == [
        "Delivery was on time and", "the courier was friendly"]


def test_uses_the_axes_given_and_accepts_a_result():
    from surveykit import describe_items

    fig, ax = plt.subplots()
    d = describe_items(pd.DataFrame({"q1": [1.0, 2.0, 5.0, 4.0]}), scale_min=1, scale_max=5,
                       item_labels={"q1": "产品"}, category_labels=CATS)
    assert plot_likert(d, ax=ax) is ax
    assert fig.axes == [ax]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["产品"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(CATS.values())


def test_items_without_answers_are_drawn_empty():
    ax = plot_likert(_dist())
    assert [b.get_width() for b in _row(ax, 0)] == [0.0] * 5
    assert len(ax.texts) == 8  # q1: 5 segments, q2: 3 segments >= 8%, q3: none
    empty = pd.DataFrame(np.nan, index=["a", "b"], columns=[1.0, 2.0, 3.0])
    assert sum(b.get_width() for b in plot_likert(empty).patches) == 0


def test_bad_options_and_counts_are_refused():
    with pytest.raises(ValueError, match="'neutral' parameter of plot_likert"):
        plot_likert(_dist(), neutral="yes")
    with pytest.raises(ValueError, match="'neutral' parameter of plot_likert"):
        plot_likert(_dist(), neutral=True)  # True == 1.0, but is not a code
    with pytest.raises(ValueError, match="'q1' sums to 50"):
        plot_likert(_dist().fillna(0) * 50)
