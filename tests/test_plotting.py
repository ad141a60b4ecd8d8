"""Figures: Chinese glyphs render without set-up, geometry is right, nothing global changes."""

from __future__ import annotations

import subprocess
import sys
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from surveykit.plotting import cjk_font_path, plot_likert

LABELS = {"q1": "产品质量稳定可靠", "q2": "售后服务响应迅速（含安装）", "q3": "价格公道合理"}
CATS = {1.0: "非常不同意", 2.0: "不同意", 3.0: "一般", 4.0: "同意", 5.0: "非常同意"}


def _dist():
    return pd.DataFrame([[0.1, 0.2, 0.3, 0.3, 0.1], [0.0, 0.05, 0.15, 0.5, 0.3], [np.nan] * 5],
                        index=["q1", "q2", "q3"], columns=[1.0, 2.0, 3.0, 4.0, 5.0])


def test_chinese_renders_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot_likert(_dist(), item_labels=LABELS, category_labels=CATS)
        ax.set_title("满意度分布 −1 ≤ x")  # saved outside any style context, as a user would
        ax.figure.savefig(tmp_path / "f.png")
        ax.figure.savefig(tmp_path / "f.svg")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert (tmp_path / "f.png").stat().st_size > 10_000


def test_the_font_has_every_glyph():
    from matplotlib.ft2font import FT2Font

    path = cjk_font_path()
    assert path is not None, "no CJK font found: neither installed nor shipped by mplfonts"
    font = FT2Font(path)
    text = "".join(LABELS.values()) + "".join(CATS.values()) + "0123456789%ABCxyz"
    assert [ch for ch in text if font.get_char_index(ord(ch)) == 0] == []


def test_import_changes_no_rcparams():
    code = ("import matplotlib as mpl; before = dict(mpl.rcParams); import surveykit.plotting; "
            "changed = [k for k, v in mpl.rcParams.items() if before[k] != v]; print(changed)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plotting_changes_no_rcparams():
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    plot_likert(_dist())
    assert {k: v for k, v in mpl.rcParams.items() if before[k] != v} == {}


def test_bar_geometry_diverges_around_zero():
    ax = plot_likert(_dist())
    bars = [p for p in ax.patches]
    # first category of item q1 (top row, y = 2): starts at -(0.1 + 0.2 + 0.3 / 2)
    q1 = sorted([b for b in bars if abs(b.get_y() + b.get_height() / 2 - 2) < 1e-9], key=lambda b: b.get_x())
    assert q1[0].get_x() == pytest.approx(-0.45)
    assert [b.get_width() for b in q1] == pytest.approx([0.1, 0.2, 0.3, 0.3, 0.1])
    assert q1[-1].get_x() + q1[-1].get_width() == pytest.approx(0.55)


def test_uses_the_axes_given_and_accepts_a_result():
    from surveykit import describe_items

    fig, ax = plt.subplots()
    d = describe_items(pd.DataFrame({"q1": [1.0, 2.0, 5.0, 4.0]}), scale_min=1, scale_max=5,
                       item_labels={"q1": "产品"}, category_labels=CATS)
    assert plot_likert(d, ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["产品"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(CATS.values())


def test_bad_neutral_option():
    with pytest.raises(ValueError, match="'neutral' parameter of plot_likert"):
        plot_likert(_dist(), neutral="yes")
