"""Figures of the satisfaction methods: KANO Better-Worse chart, SERVQUAL gap bars, penalty-reward bars."""

from __future__ import annotations

import numpy as np

from .._labels import LANGUAGES
from ..errors import check_option
from ..satisfaction.kano import CATEGORY_NAMES
from ._draw import place_labels, renderer
from ._fonts import cjk_font_family
from ._style import (
    BLUES,
    INK,
    LIGHT_INK,
    NEUTRAL,
    REDS,
    SERIES_COLORS,
    figure_style,
    new_axes,
    plain_axes,
    result_table,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_gaps", "plot_kano", "plot_penalty_reward"]

_TEXT = {
    "zh": {"worse": "不满意影响 |Worse|（功能缺失时的不满）", "better": "满意影响 Better（功能具备时的满意）",
           "mean": "均值分割：|Worse| {x}，Better {y}", "half": "分割线：0.5",
           "gap": "差距 P − E（感知 − 期望）", "ci": "{level:.0%} 置信区间", "items": "题项", "dimensions": "维度",
           "effect": "对总体满意度的影响", "penalty": "惩罚（低表现）", "reward": "奖励（高表现）",
           "basic": "基本因素", "performance": "绩效因素", "excitement": "兴奋因素", "none": "不显著", "": "—"},
    "en": {"worse": "Dissatisfaction |Worse| (when absent)", "better": "Satisfaction Better (when present)",
           "mean": "Split at the means: |Worse| {x}, Better {y}",
           "half": "Split at 0.5", "gap": "Gap P − E (perception − expectation)", "ci": "{level:.0%} confidence interval",
           "items": "Items", "dimensions": "Dimensions", "effect": "Effect on overall satisfaction",
           "penalty": "Penalty (low performance)", "reward": "Reward (high performance)", "basic": "basic",
           "performance": "performance", "excitement": "excitement", "none": "not significant", "": "—"},
}
# quadrant of the Better-Worse chart -> corner (x, y in axes fraction)
_KANO_CORNERS = {"A": (0, 1), "O": (1, 1), "I": (0, 0), "M": (1, 0)}
_KANO_COLORS = {"A": SERIES_COLORS[2], "O": BLUES[0], "M": REDS[0], "I": "#8c8c8c", "R": SERIES_COLORS[4],
                "Q": SERIES_COLORS[3]}


def plot_kano(result, *, language="zh", split="mean", item_labels=None, annotate=True, ax=None, **kwargs):
    """KANO Better-Worse chart: |Worse| on x, Better on y, quadrants A / O / M / I named in the corners.

    Parameters
    ----------
    result : KanoResult
        From :func:`surveykit.kano`; attributes with NaN Better / Worse (only Q or R answers)
        are left out.
    language : {'zh', 'en'}
    split : {'mean', 'half'}
        Where the quadrants meet: the means of |Worse| and Better over the attributes
        (default), or 0.5 on both axes.
    item_labels : dict, optional
        Attribute -> text for the point labels.
    annotate : bool, default True
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``ax.scatter``.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection, points in the order of ``result.table`` (without NaN rows),
        coloured by each attribute's category (its first, if tied).

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit import kano
    >>> from surveykit.plotting import plot_kano
    >>> f = pd.DataFrame({"快速配送": [1, 1, 2, 1, 3, 1], "包装": [2, 2, 3, 2, 1, 2]})
    >>> d = pd.DataFrame({"快速配送": [4, 3, 4, 5, 4, 3], "包装": [5, 5, 5, 4, 5, 5]})
    >>> ax = plot_kano(kano(f, d))
    >>> len(ax.collections[0].get_offsets())
    2
    """
    function = "plot_kano"
    check_option("language", language, LANGUAGES, function=function)
    check_option("split", split, ("mean", "half"), function=function)
    table = result_table(result, "table", ["better", "worse", "category"], function,
                         hint=" Pass the result of surveykit.kano.")
    table = table[np.isfinite(table["better"].astype(float)) & np.isfinite(table["worse"].astype(float))]
    if table.empty:
        raise ValueError(f"The 'result' parameter of {function} has no attribute with Better and Worse (every one "
                         "has only Q or R answers): nothing to draw.")
    text = _TEXT[language]
    x, y = np.abs(table["worse"].to_numpy(float)), table["better"].to_numpy(float)
    sx, sy = (float(x.mean()), float(y.mean())) if split == "mean" else (0.5, 0.5)
    labels = dict(item_labels or {})
    with figure_style():
        ax = ax if ax is not None else new_axes((6.4, 5.2))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        line = {"color": LIGHT_INK, "linewidth": 0.9, "linestyle": (0, (4, 2.5)), "zorder": 1.5}
        ax.axvline(sx, **line, label=text[split].format(x=f"{sx:.2f}", y=f"{sy:.2f}"))
        ax.axhline(sy, **line)
        corners = []
        for code, (cx, cy) in _KANO_CORNERS.items():
            zh, en = CATEGORY_NAMES[code]
            name = f"{zh} {code}" if language == "zh" else f"{en} ({code})"
            corners.append(ax.text(cx + (0.015 if cx == 0 else -0.015), cy + (-0.02 if cy else 0.02), name,
                                   transform=ax.transAxes, ha="left" if cx == 0 else "right",
                                   va="top" if cy else "bottom", color=_KANO_COLORS[code], fontsize=10,
                                   fontfamily=cjk_font_family(),
                                   bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1}))
        colors = [_KANO_COLORS.get(str(c).split("/")[0], NEUTRAL) for c in table["category"]]
        scatter_kw = {"s": 42, "c": colors, "edgecolors": "white", "linewidths": 0.8, "zorder": 3, **kwargs}
        ax.scatter(x, y, **scatter_kw)
        ax.set_xlabel(text["worse"])
        ax.set_ylabel(text["better"])
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=8)
        plain_axes(ax, None)
        use_cjk_fonts(ax)
        if annotate:
            rend = renderer(ax.figure)
            place_labels(ax, x, y, [wrap_label(labels.get(a, str(a)), 16) for a in table.index],
                         marker_size=float(np.max(scatter_kw["s"])), fontsize=8.5,
                         avoid=[t.get_window_extent(rend) for t in corners])
            use_cjk_fonts(ax)
    return ax


def _interval_bars(ax, names, values, low, high, colors, labels, level, text, kw):
    """Horizontal bars from 0 with t-interval error bars, top to bottom in the order given."""
    yy = np.arange(len(names))[::-1]
    bars = ax.barh(yy, values, color=colors, height=kw.pop("height", 0.6), **kw)
    ok = np.isfinite(low) & np.isfinite(high)
    if ok.any():
        ax.errorbar(values[ok], yy[ok], xerr=np.vstack([values[ok] - low[ok], high[ok] - values[ok]]), fmt="none",
                    ecolor=INK, elinewidth=0.9, capsize=3, label=text["ci"].format(level=level))
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_yticks(yy, [wrap_label(labels.get(n, str(n)), 18) for n in names])
    return bars


def plot_gaps(result, *, level="items", language="zh", item_labels=None, ax=None, **kwargs):
    """SERVQUAL gaps P - E as horizontal bars with their confidence intervals (negative gaps in red).

    Parameters
    ----------
    result : ServqualResult
        From :func:`surveykit.servqual`.
    level : {'items', 'dimensions'}
    language : {'zh', 'en'}
    item_labels : dict, optional
        Item or dimension -> text on the axis.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``ax.barh``.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per row of ``result.items`` (or ``result.dimensions``), first at the top.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit import servqual
    >>> from surveykit.plotting import plot_gaps
    >>> e = pd.DataFrame({"有形性": [6, 7, 6, 5], "可靠性": [7, 7, 6, 7]})
    >>> p = pd.DataFrame({"有形性": [5, 6, 6, 5], "可靠性": [5, 6, 4, 6]})
    >>> ax = plot_gaps(servqual(e, p))
    >>> [round(float(b.get_width()), 2) for b in ax.patches]
    [-0.5, -1.5]
    """
    function = "plot_gaps"
    check_option("language", language, LANGUAGES, function=function)
    check_option("level", level, ("items", "dimensions"), function=function)
    table = result_table(result, level, ["estimate", "ci_low", "ci_high"], function,
                         hint=" Pass the result of surveykit.servqual (with dimensions for level='dimensions').")
    text = _TEXT[language]
    values = table["estimate"].to_numpy(float)
    low, high = table["ci_low"].to_numpy(float), table["ci_high"].to_numpy(float)
    colors = kwargs.pop("color", [REDS[1] if v < 0 else BLUES[1] for v in values])
    with figure_style():
        ax = ax if ax is not None else new_axes((7, 0.42 * len(table) + 1.3))
        _interval_bars(ax, list(table.index), values, low, high, colors, dict(item_labels or {}),
                       getattr(result, "ci_level", 0.95), text, kwargs)
        ax.set_xlabel(text["gap"])
        ax.legend(loc="lower right", frameon=False, fontsize=8)
        plain_axes(ax, "x")
        use_cjk_fonts(ax)
    return ax


def plot_penalty_reward(result, *, language="zh", item_labels=None, ax=None, **kwargs):
    """Penalty (to the left, red) and reward (to the right, blue) of each attribute, with intervals and class.

    Parameters
    ----------
    result : PenaltyRewardResult
        From :func:`surveykit.penalty_reward`.
    language : {'zh', 'en'}
    item_labels : dict, optional
        Attribute -> text on the axis.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``ax.barh``.

    Returns
    -------
    matplotlib.axes.Axes
        Per attribute (first at the top) a bar of -penalty then a bar of reward (NaN drawn
        as 0 width); the class is written at the right end of each row.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import penalty_reward
    >>> from surveykit.plotting import plot_penalty_reward
    >>> rng = np.random.default_rng(1)
    >>> x = pd.DataFrame(rng.integers(1, 6, size=(400, 2)), columns=["卫生", "装修"])
    >>> y = 3 - 1.0 * (x["卫生"] <= 2) + 0.8 * (x["装修"] >= 4) + rng.normal(0, 0.5, 400)
    >>> ax = plot_penalty_reward(penalty_reward(x, y))
    >>> len(ax.patches)
    4
    """
    function = "plot_penalty_reward"
    check_option("language", language, LANGUAGES, function=function)
    cols = ["penalty", "penalty_ci_low", "penalty_ci_high", "reward", "reward_ci_low", "reward_ci_high", "category"]
    table = result_table(result, "table", cols, function, hint=" Pass the result of surveykit.penalty_reward.")
    text = _TEXT[language]
    labels = dict(item_labels or {})
    names = list(table.index)
    level = getattr(result, "ci_level", 0.95)
    with figure_style():
        ax = ax if ax is not None else new_axes((7.2, 0.5 * len(table) + 1.4))
        for kind, sign, color in (("penalty", -1.0, REDS[1]), ("reward", 1.0, BLUES[1])):
            v = sign * table[kind].to_numpy(float)
            lo, hi = sign * table[f"{kind}_ci_high"].to_numpy(float), sign * table[f"{kind}_ci_low"].to_numpy(float)
            bars = _interval_bars(ax, names, np.nan_to_num(v), np.fmin(lo, hi), np.fmax(lo, hi), color, labels,
                                  level, text, dict(kwargs))
            bars.set_label(text[kind])
        extent = np.nanmax(np.abs(table[["penalty_ci_low", "penalty_ci_high", "reward_ci_low",
                                         "reward_ci_high"]].to_numpy(float)))
        extent = float(extent) * 1.15 if np.isfinite(extent) and extent > 0 else 1.0
        ax.set_xlim(-extent, extent * 1.45)
        for yi, cls in zip(np.arange(len(names))[::-1], table["category"]):
            ax.text(extent * 1.42, yi, text.get(cls, str(cls)), ha="right", va="center", fontsize=8.5,
                    color=LIGHT_INK)
        ax.set_xlabel(text["effect"])
        handles, legend_labels = ax.get_legend_handles_labels()
        wanted = (text["penalty"], text["reward"], text["ci"].format(level=level))
        keep = [legend_labels.index(lab) for lab in wanted if lab in legend_labels]
        ax.legend([handles[i] for i in keep], [legend_labels[i] for i in keep], loc="upper center",
                  bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False, fontsize=8)
        plain_axes(ax, "x")
        use_cjk_fonts(ax)
    return ax
