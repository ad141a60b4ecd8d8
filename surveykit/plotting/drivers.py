"""Figures of drivers and priorities: importance-performance (IPA, 四分图) chart and driver importance bars."""

from __future__ import annotations

from numbers import Real

import numpy as np

from .._labels import LANGUAGES
from .._stars import star_note, stars
from ..errors import check_option
from ..indices.ipa import QUADRANTS, quadrant_labels
from ._draw import legend_below, place_labels, renderer
from ._fonts import cjk_font_family
from ._style import (
    BLUES,
    INK,
    LIGHT_INK,
    REDS,
    figure_style,
    new_axes,
    plain_axes,
    result_table,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_drivers", "plot_ipa", "plot_ipma"]

IPA_LANGUAGES = (*LANGUAGES, "both")

# concentrate here in the warning red, keep up in the strong blue, the two "leave it" quadrants muted
_IPA_COLORS = {"concentrate": REDS[0], "keep_up": BLUES[0], "overkill": BLUES[2], "low_priority": "#8c8c8c"}
# corner of the axes (x, y in axes fraction) where each quadrant's name is written
_IPA_CORNERS = {"concentrate": (0, 1), "keep_up": (1, 1), "low_priority": (0, 0), "overkill": (1, 0)}

_IPA_TEXT = {
    "en": {
        "performance": "Performance (mean rating)",
        "stated": "Importance (mean rating)",
        "derived_pearson": "Derived importance (correlation with {outcome})",
        "derived_spearman": "Derived importance (Spearman correlation with {outcome})",
        "drivers": "Importance (driver share)",
        "ipma": "Importance (unstandardized total effect on {outcome})",
        "ipma_performance": "Performance (0-100 index)",
        "mean": "Grand means", "midpoint": "Scale midpoints", "custom": "Split",
        "diagonal": "Iso-priority line (importance = performance)",
        "crosshair": "{what}: performance {p}, importance {i}",
    },
    "zh": {
        "performance": "表现（评分均值）",
        "stated": "重要性（评分均值）",
        "derived_pearson": "派生重要性（与 {outcome} 的相关系数）",
        "derived_spearman": "派生重要性（与 {outcome} 的 Spearman 相关系数）",
        "drivers": "重要性（驱动因素份额）",
        "ipma": "重要性（对 {outcome} 的非标准化总效应）",
        "ipma_performance": "表现（0-100 指数）",
        "mean": "总均值", "midpoint": "量表中点", "custom": "分割线",
        "diagonal": "等优先线（重要性 = 表现）",
        "crosshair": "{what}：表现 {p}，重要性 {i}",
    },
    "both": {  # where Chinese then English would repeat the numbers
        "crosshair": "{what}：表现 Performance {p}，重要性 Importance {i}",
    },
}


def _ipa_text(language: str, key: str, **fmt) -> str:
    if language == "both" and key not in _IPA_TEXT["both"]:
        zh, en = _IPA_TEXT["zh"][key].format(**fmt), _IPA_TEXT["en"][key].format(**fmt)
        return f"{zh} {en}"
    return _IPA_TEXT[language][key].format(**fmt)


def _pair(result, attribute: str, required: bool):
    value = getattr(result, attribute, None)
    if value is None and not required:
        return None
    if (not isinstance(value, (tuple, list)) or len(value) != 2
            or not all(isinstance(v, Real) and not isinstance(v, bool) and np.isfinite(v) for v in value)):
        raise ValueError(f"The 'result' parameter of plot_ipa must have a {attribute!r} attribute holding a "
                         f"(performance, importance) pair of numbers. Got {value!r} instead.")
    return float(value[0]), float(value[1])


def _limits(values: np.ndarray, centre: float) -> tuple[float, float]:
    """Axis limits centred on the split, so that each corner of the axes lies in its quadrant."""
    spread = np.abs(values - centre)
    half = float(spread.max()) if spread.size else 0.0
    if half == 0:
        half = 0.1 * abs(centre) or 1.0
    half *= 1.28  # room for the labels and the quadrant names
    return centre - half, centre + half


def plot_ipa(result, *, language="zh", annotate=True, item_labels=None, ax=None, **kwargs):
    """Importance-performance chart (四分图): items as points, quadrants named in the corners.

    Parameters
    ----------
    result : IPAResult
        The result of :func:`surveykit.indices.ipa.ipa`: any object with ``table`` (indexed
        by item, with columns ``performance``, ``importance`` and ``quadrant``) and ``split``
        (the crosshair, a (performance, importance) pair); ``split_method``, ``method``,
        ``outcome``, ``performance_range``, ``importance_range`` and ``label_overrides``
        are used when present.
    language : {'zh', 'en', 'both'}, default 'zh'
        Language of the quadrant names, axis labels and legend. Quadrant names given to
        ``ipa(labels=...)`` are used as given.
    annotate : bool, default True
        Label each point with its item (``item_labels``), wrapped onto at most two lines.
    item_labels : dict, optional
        Item id -> text for the point labels (default: the item ids).
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure is made.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` (e.g. ``s=60``), overriding the defaults.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection (``ax.collections[0]``) with one point per item, in the order
        of ``result.table``.

    Raises
    ------
    ValueError
        If ``language`` is not one of its options, or ``result`` lacks the table columns or
        the split.

    Notes
    -----
    Performance is on x and importance on y, as Martilla & James (1977): concentrate here
    (修补区) is top left, keep up the good work (优势区) top right, low priority (机会区)
    bottom left and possible overkill (维持区) bottom right. The axes are centred on the
    crosshair so each corner lies in its quadrant; points are coloured by quadrant. With
    ``split='diagonal'`` the iso-priority line importance = performance (on the common 0-1
    scale) is drawn, with the grand means that sort the items below it as dotted lines.
    Point labels are placed by a greedy search over eight positions around each point,
    keeping clear of other labels, points and the quadrant names where it can; with many
    crowded items some may still touch: pass shorter ``item_labels`` or ``annotate=False``.
    Fonts are pinned on the figure's text, so Chinese renders wherever the figure is saved;
    no global matplotlib setting is changed.

    Examples
    --------
    >>> from surveykit.indices.ipa import ipa
    >>> from surveykit.plotting.drivers import plot_ipa
    >>> r = ipa({"q1": 4.3, "q2": 3.1, "q3": 3.4, "q4": 4.1}, {"q1": 4.6, "q2": 4.4, "q3": 3.2, "q4": 3.5})
    >>> ax = plot_ipa(r, item_labels={"q1": "产品质量", "q2": "价格", "q3": "售后服务", "q4": "物流速度"})
    >>> len(ax.collections[0].get_offsets()), ax.get_ylabel()
    (4, '重要性（评分均值）')
    """
    check_option("language", language, IPA_LANGUAGES, function="plot_ipa")
    table = result_table(result, "table", ["performance", "importance", "quadrant"], "plot_ipa")
    unknown = sorted(set(table["quadrant"]) - set(QUADRANTS), key=str)
    if unknown:
        raise ValueError(f"The 'result' parameter of plot_ipa has quadrant codes {', '.join(map(repr, unknown))} "
                         f"in result.table; the codes are {', '.join(map(repr, QUADRANTS))}.")
    split = _pair(result, "split", required=True)
    split_method = getattr(result, "split_method", "mean")
    method = getattr(result, "method", "stated")
    outcome = getattr(result, "outcome", None)
    overrides = getattr(result, "label_overrides", None) or {}
    names = quadrant_labels(language, overrides, sep="\n")
    if item_labels is None:
        item_labels = getattr(result, "item_labels", None)
    item_labels = item_labels or {}
    x = table["performance"].to_numpy(dtype=float)
    y = table["importance"].to_numpy(dtype=float)
    quadrant = table["quadrant"].to_numpy()

    diagonal = None
    if split_method == "diagonal":
        p_range, i_range = _pair(result, "performance_range", True), _pair(result, "importance_range", True)
        diagonal = ((p_range[0], i_range[0]), (p_range[1], i_range[1]))

    with figure_style():
        if ax is None:
            ax = new_axes((6.4, 5.2))
        ax.set_xlim(*_limits(x, split[0]))
        ax.set_ylim(*_limits(y, split[1]))
        handles = _draw_split(ax, split, split_method, diagonal, language)
        corner_texts = _quadrant_names(ax, names)
        scatter_kw = {"s": 42, "c": [_IPA_COLORS[q] for q in quadrant], "edgecolors": "white", "linewidths": 0.8,
                      "zorder": 3, **kwargs}
        ax.scatter(x, y, **scatter_kw)

        ax.set_xlabel(_ipa_text(language, "ipma_performance" if method == "ipma" else "performance"))
        outcome_text = outcome if outcome is not None else ("总体评价" if language == "zh" else "the outcome")
        ax.set_ylabel(_ipa_text(language, method if method in _IPA_TEXT["en"] else "stated", outcome=outcome_text))
        plain_axes(ax, None)
        legend_below(ax, handles, [h.get_label() for h in handles], 36, ncol=1 if language == "both" else None,
                     handlelength=2.4)
        use_cjk_fonts(ax)

        if annotate and len(table):
            rend = renderer(ax.figure)
            texts = [wrap_label(item_labels.get(i, i), 16) for i in table.index]
            place_labels(ax, x, y, texts, marker_size=float(np.max(scatter_kw["s"])), fontsize=8.5,
                          avoid=[t.get_window_extent(rend) for t in corner_texts])
            use_cjk_fonts(ax)
    return ax


def plot_ipma(result, *, language="zh", annotate=True, item_labels=None, ax=None, **kwargs):
    """Importance-performance map (IPMA) of a PLS model: the IPA chart of the target's predecessors.

    Parameters
    ----------
    result : IPMAResult
        From :func:`surveykit.indices.ipma.ipma`.
    language : {'zh', 'en', 'both'}, default 'zh'
    annotate : bool, default True
        Label each construct's point.
    item_labels : dict, optional
        Construct -> text for the point labels (default: the construct names).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        ``result`` is not an IPMA result, or a bad ``language``.

    Notes
    -----
    Drawn by :func:`plot_ipa`, so quadrants, colours and labels are those of the IPA chart:
    performance (the 0-100 index) on x and importance (the unstandardized total effect on the
    target) on y, as Martilla & James (1977). SmartPLS draws the same map with the axes the
    other way round (importance on x); the quadrants are the same.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.indices.pls import pls_pm
    >>> from surveykit.indices.ipma import ipma
    >>> from surveykit.plotting import plot_ipma
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(300, 3)) @ np.array([[1, 0.5, 0.6], [0, 0.8, 0.4], [0, 0, 0.7]])
    >>> items = pd.DataFrame({f"{lv}{i}": np.clip(np.round(6 + 1.5 * (f[:, k] + 0.6 * rng.normal(size=300))), 0, 10)
    ...                       for k, lv in enumerate("qvs") for i in (1, 2, 3)})
    >>> model = pls_pm(items, {"质量": ["q1", "q2", "q3"], "价值": ["v1", "v2", "v3"], "满意": ["s1", "s2", "s3"]},
    ...                {"价值": ["质量"], "满意": ["质量", "价值"]}, scaled=False, scale_min=0, scale_max=10)
    >>> ax = plot_ipma(ipma(model, "满意"))
    >>> len(ax.collections[0].get_offsets()), ax.get_xlabel()
    (2, '表现（0-100 指数）')
    """
    if getattr(result, "method", None) != "ipma" or not hasattr(result, "target"):
        raise ValueError("The 'result' parameter of plot_ipma must be an IPMAResult (from surveykit.ipma). Got "
                         f"{type(result).__name__} instead; for an IPA result use plot_ipa.")
    return plot_ipa(result, language=language, annotate=annotate, item_labels=item_labels, ax=ax, **kwargs)


def _draw_split(ax, split, split_method: str, diagonal, language: str) -> list:
    """The crosshair at the split (dashed), or the iso-priority diagonal with the grand means (dotted)."""
    p_text, i_text = f"{split[0]:.3g}", f"{split[1]:.3g}"
    line_kw = {"color": LIGHT_INK, "linewidth": 0.9, "zorder": 1.5}
    if diagonal is None:
        what = _ipa_text(language, split_method if split_method in ("mean", "midpoint") else "custom")
        label = _ipa_text(language, "crosshair", what=what, p=p_text, i=i_text)
        handle = ax.axvline(split[0], linestyle=(0, (4, 2.5)), label=label, **line_kw)
        ax.axhline(split[1], linestyle=(0, (4, 2.5)), **line_kw)
        return [handle]
    diag = ax.axline(*diagonal, color=INK, linewidth=1.1, linestyle=(0, (4, 2.5)), zorder=1.6,
                     label=_ipa_text(language, "diagonal"))
    label = _ipa_text(language, "crosshair", what=_ipa_text(language, "mean"), p=p_text, i=i_text)
    cross = ax.axvline(split[0], linestyle=":", label=label, **line_kw)
    ax.axhline(split[1], linestyle=":", **line_kw)
    return [diag, cross]


def _quadrant_names(ax, names: dict) -> list:
    """Each quadrant's name in its corner of the axes, in the quadrant's colour on a white ground."""
    texts = []
    for code, (cx, cy) in _IPA_CORNERS.items():
        pad_x, pad_y = (0.015 if cx == 0 else -0.015), (-0.02 if cy == 1 else 0.02)
        texts.append(ax.text(cx + pad_x, cy + pad_y, names[code], transform=ax.transAxes,
                             ha="left" if cx == 0 else "right", va="top" if cy == 1 else "bottom",
                             fontsize=10, color=_IPA_COLORS[code], linespacing=1.1, zorder=2,
                             fontfamily=cjk_font_family(),
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1}))
    return texts


# ----------------------------------------------------------------------------- driver importance

_DRIVER_TEXT = {
    "en": {"share": "Importance (% of explained variance)", "beta": "Importance (% of |standardized coefficients|)",
           "r2": "R² = {r2:.3f}, n = {n}", "ci": "{level:.0%} bootstrap interval"},
    "zh": {"share": "重要性（占解释方差的百分比）", "beta": "重要性（标准化系数绝对值占比，%）",
           "r2": "R² = {r2:.3f}，n = {n}", "ci": "{level:.0%} 自助法区间"},
}


def plot_drivers(result, *, language="zh", item_labels=None, sort=True, ax=None, **kwargs):
    """Horizontal bars of each driver's importance share (percent), with bootstrap intervals.

    Parameters
    ----------
    result : DriversResult
        From :func:`surveykit.key_drivers`; its ``importance`` (percent, summing to 100) is
        drawn. For ``method='relative_weights'`` with a bootstrap, the share intervals
        (``share_ci_low`` / ``share_ci_high``) are drawn as error bars. For ``'ols'`` and
        ``'ordered_logit'`` each share is marked with the significance stars of its coefficient
        (:func:`surveykit.stars`, legend in the title); relative weights have no p-value.
    language : {'zh', 'en'}
    item_labels : mapping, optional
        Driver -> text shown on the axis (wrapped).
    sort : bool, default True
        Largest share at the top; False keeps the drivers' order.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``ax.barh``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import key_drivers
    >>> from surveykit.plotting import plot_drivers
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.normal(size=(200, 3)), columns=["质量", "服务", "价格"])
    >>> x["满意度"] = x @ [0.6, 0.3, -0.2] + rng.normal(size=200)
    >>> r = key_drivers(x, "满意度", ["质量", "服务", "价格"], method="relative_weights", bootstrap=200, seed=1)
    >>> ax = plot_drivers(r)
    >>> len(ax.patches)
    3
    """
    function = "plot_drivers"
    check_option("language", language, LANGUAGES, function=function)
    importance = getattr(result, "importance", None)
    coefficients = getattr(result, "coefficients", None)
    if importance is None or coefficients is None or len(importance) == 0:
        raise ValueError(f"The 'result' parameter of {function} must be a DriversResult (from key_drivers) with an "
                         f"'importance' Series. Got {type(result).__name__} instead.")
    labels = dict(item_labels or {})
    order = importance.sort_values(ascending=True).index if sort else importance.index[::-1]
    values = importance.reindex(order).to_numpy(float)
    text = _DRIVER_TEXT[language]
    with figure_style():
        ax = ax if ax is not None else new_axes((7, 0.45 * len(order) + 1.2))
        y = np.arange(len(order))
        bars = ax.barh(y, values, color=kwargs.pop("color", BLUES[1]), height=kwargs.pop("height", 0.6), **kwargs)
        has_ci = {"share_ci_low", "share_ci_high"} <= set(coefficients.columns) and \
            coefficients["share_ci_low"].notna().any()
        right = values.copy()
        if has_ci:
            lo = coefficients["share_ci_low"].reindex(order).to_numpy(float)
            hi = coefficients["share_ci_high"].reindex(order).to_numpy(float)
            ax.errorbar(values, y, xerr=np.vstack([values - lo, hi - values]), fmt="none", ecolor=INK,
                        elinewidth=0.9, capsize=3, label=text["ci"].format(level=result.ci_level))
            right = np.fmax(right, hi)
        p_values = (coefficients["p_value"].reindex(order).to_numpy(float) if "p_value" in coefficients.columns
                    else np.full(len(order), np.nan))
        for yi, v, r, p in zip(y, values, right, p_values):
            ax.annotate(f"{v:.1f}%{stars(p)}", (r, yi), xytext=(4, 0), textcoords="offset points", va="center",
                        ha="left", color=INK, fontsize=8.5)
        ax.set_yticks(y, [wrap_label(labels.get(d, str(d)), 18) for d in order])
        ax.set_xlim(0, max(right.max() * 1.18, 1))
        ax.set_xlabel(text["share"] if getattr(result, "method", "") == "relative_weights" else text["beta"])
        legend = (("；" if language == "zh" else "; ") + star_note(language=language)
                  if any(stars(p) for p in p_values) else "")
        if np.isfinite(getattr(result, "r_squared", np.nan)):
            ax.set_title(text["r2"].format(r2=result.r_squared, n=result.n_obs) + legend, loc="left", fontsize=9,
                         color=LIGHT_INK)
        if has_ci:
            ax.legend(loc="lower right", frameon=False, fontsize=8)
        plain_axes(ax, "x")
        bars.set_label("_bars")
        use_cjk_fonts(ax)
    return ax
