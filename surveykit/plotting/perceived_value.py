"""Figures of perceived value: the value map (benefits against sacrifices) and the value curve (strategy canvas)."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd

from .._labels import LANGUAGES
from ..errors import check_option, numeric_frame
from ._draw import legend_below, place_labels, renderer
from ._fonts import cjk_font_family
from ._style import (
    BLUES,
    INK,
    LIGHT_INK,
    REDS,
    SERIES_COLORS,
    SERIES_MARKERS,
    _columns,
    figure_style,
    missing_columns,
    new_axes,
    number_or_nan,
    plain_axes,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_value_map", "plot_value_curve"]

VALUE_COLUMNS = ("benefits", "sacrifices")
VALUE_CI_COLUMNS = ("benefits_ci_low", "benefits_ci_high", "sacrifices_ci_low", "sacrifices_ci_high")
_TEXT = {
    "zh": {
        "sacrifices": "感知利失（相对价格与成本）", "benefits": "感知利得（感知质量）",
        "better": "价值优势", "worse": "价值劣势", "fair": "公平价值线（斜率 1，过各点均值）",
        "ci": "{level} 置信区间", "ci_nolevel": "置信区间",
        "rating": "平均评分",
    },
    "en": {
        "sacrifices": "Perceived sacrifices (relative price and cost)", "benefits": "Perceived benefits (quality)",
        "better": "Better value", "worse": "Worse value", "fair": "Fair-value line (slope 1 through the mean point)",
        "ci": "{level} confidence interval", "ci_nolevel": "Confidence interval",
        "rating": "Mean rating",
    },
}

# ----------------------------------------------------------------------------- value map

def _value_frame(points, function: str) -> tuple[pd.DataFrame, float | None]:
    """Columns benefits, sacrifices and the four CI columns (NaN when unknown), one row per label; the CI level."""
    if isinstance(points, pd.DataFrame):
        missing = [c for c in VALUE_COLUMNS if c not in points.columns]
        if missing:
            raise ValueError(f"The 'points' parameter of {function} needs the columns 'benefits' and 'sacrifices' "
                             f"(one row per segment or competitor); {missing_columns(missing, points.columns)}.")
        present = [c for c in (*VALUE_COLUMNS, *VALUE_CI_COLUMNS) if c in points.columns]
        frame = numeric_frame(points[present], function=function).reindex(columns=[*VALUE_COLUMNS,
                                                                                    *VALUE_CI_COLUMNS])
        frame.index = [str(i) for i in points.index]
        level = None
    elif isinstance(points, Mapping):
        rows, level = {}, None
        for label, result in points.items():
            table = getattr(result, "table", None)
            if (not isinstance(table, pd.DataFrame) or not set(VALUE_COLUMNS) <= set(table.index)
                    or "estimate" not in table.columns):
                raise ValueError(f"The 'points' parameter of {function} must map each label to a ValueResult (from "
                                 f"surveykit.perceived_value or delivered_value); {label!r} -> "
                                 f"{type(result).__name__} has no 'benefits' and 'sacrifices' rows in its table.")
            row = {c: number_or_nan(table.at[c, "estimate"]) for c in VALUE_COLUMNS}
            for c in VALUE_COLUMNS:
                for end in ("ci_low", "ci_high"):
                    row[f"{c}_{end}"] = number_or_nan(table.at[c, end]) if end in table.columns else np.nan
            rows[str(label)] = row
            level = level if level is not None else getattr(result, "ci_level", None)
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=[*VALUE_COLUMNS, *VALUE_CI_COLUMNS])
    else:
        raise ValueError(f"The 'points' parameter of {function} must be a mapping label -> ValueResult or a DataFrame "
                         f"with columns 'benefits' and 'sacrifices'. Got {type(points).__name__} instead. For one "
                         "result, pass {'label': result}.")
    if frame.empty:
        raise ValueError(f"The 'points' parameter of {function} is empty: nothing to draw. Pass one point per "
                         "segment or competitor.")
    bad = frame.index[frame[list(VALUE_COLUMNS)].isna().any(axis=1)]
    if len(bad):
        raise ValueError(f"The 'points' parameter of {function} has {len(bad)} point(s) without a benefits or "
                         f"sacrifices estimate ({', '.join(map(repr, bad[:5]))}): they cannot be placed. Leave "
                         "them out (too few respondents answered every part).")
    return frame, level if isinstance(level, Real) else None


def plot_value_map(points, *, language="zh", ax=None, fair_value="diagonal", annotate=True, **kwargs):
    """Value map (Gale): perceived benefits (quality) against perceived sacrifices (price), one point per group.

    Parameters
    ----------
    points : mapping label -> ValueResult, or DataFrame
        One point per segment or competitor: the results of :func:`surveykit.perceived_value`
        (or ``delivered_value``), whose ``table`` rows ``benefits`` and ``sacrifices`` give the
        position and their ``ci_low`` / ``ci_high`` the error bars; or a DataFrame indexed by
        label with columns ``benefits`` and ``sacrifices`` and, optionally,
        ``benefits_ci_low``, ``benefits_ci_high``, ``sacrifices_ci_low``, ``sacrifices_ci_high``.
    language : {'zh', 'en'}, default 'zh'
        Language of the axis labels, region names and legend.
    ax : matplotlib Axes, optional
        Where to draw (its aspect is set to equal). By default a new square figure is made.
    fair_value : {'diagonal', None}, default 'diagonal'
        'diagonal': the fair-value line of slope 1 through the mean point (the unweighted mean
        of the points), where an extra unit of cost buys an extra unit of benefit; points are
        coloured by their side of it and the two regions are named. None: no line.
    annotate : bool, default True
        Label each point, placed clear of the other labels and points where possible.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` (e.g. ``s=80``).

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection (``ax.collections[-1]``) with a point per label, in input
        order; the error bars, when drawn, are ``ax.containers[0]``.

    Raises
    ------
    ValueError
        If ``points`` is not a non-empty mapping of ValueResults or a DataFrame with the two
        columns, a point lacks an estimate, or an option is not one of its values.

    Notes
    -----
    After Gale (1994, *Managing Customer Value*): x is what the customer gives
    (perceived sacrifices, the relative price and cost), y what the customer gets
    (perceived benefits, the market-perceived quality). Points above and left of the
    fair-value line give more benefit for their cost than the groups on average: better
    value (价值优势); points below and right, worse value (价值劣势). Both axes share one
    scale (equal aspect, the same span centred on the mean point), so the line is at 45°
    and distances mean the same across and up. Gale draws quality and price relative to
    competitors (ratios to the market average); here the points are the mean benefit and
    sacrifice scores on the answer scale, which shifts both axes but not the picture.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.plotting.perceived_value import plot_value_map
    >>> pts = pd.DataFrame({"benefits": [4.1, 3.6, 3.9], "sacrifices": [3.2, 3.4, 2.8]},
    ...                    index=["华东", "华南", "西部"])
    >>> ax = plot_value_map(pts)
    >>> len(ax.collections[-1].get_offsets()), ax.get_xlabel()
    (3, '感知利失（相对价格与成本）')
    """
    function = "plot_value_map"
    check_option("language", language, LANGUAGES, function=function)
    check_option("fair_value", fair_value, ("diagonal", None), function=function)
    frame, level = _value_frame(points, function)
    text = _TEXT[language]
    x = frame["sacrifices"].to_numpy(float)
    y = frame["benefits"].to_numpy(float)
    cx, cy = float(x.mean()), float(y.mean())
    ci = frame[list(VALUE_CI_COLUMNS)].to_numpy(float)
    has_ci = np.isfinite(ci).any()

    half = _half_span(x, y, ci, cx, cy)
    gap = (y - cy) - (x - cx)  # above the fair-value line: positive
    tolerance = 1e-9 * max(1.0, half)
    if fair_value is None:
        colors = [BLUES[0]] * len(x)
    else:
        colors = [BLUES[0] if g > tolerance else REDS[0] if g < -tolerance else LIGHT_INK for g in gap]

    with figure_style():
        if ax is None:
            ax = new_axes((6.0, 6.4))
        ax.set_xlim(cx - half, cx + half)
        ax.set_ylim(cy - half, cy + half)
        ax.set_aspect("equal", adjustable="box")
        handles, labels = [], []
        region_texts = []
        if fair_value == "diagonal":
            handles.append(ax.axline((cx, cy), slope=1, color=INK, linewidth=1.0, linestyle=(0, (4, 2.5)),
                                     zorder=1.6))
            labels.append(text["fair"])
            region_texts = _region_names(ax, text)
        if has_ci:
            handles.append(_interval_bars(ax, x, y, ci))
            labels.append(text["ci"].format(level=f"{level:.0%}") if level is not None else text["ci_nolevel"])
        scatter_kw = {"s": 48, "c": colors, "edgecolors": "white", "linewidths": 0.8, "zorder": 3, **kwargs}
        ax.scatter(x, y, **scatter_kw)
        ax.set_xlabel(text["sacrifices"])
        ax.set_ylabel(text["benefits"])
        plain_axes(ax, None)
        if handles:
            legend_below(ax, handles, labels, 36, ncol=1)
        use_cjk_fonts(ax)
        if annotate:
            rend = renderer(ax.figure)
            place_labels(ax, x, y, [wrap_label(label, 16) for label in frame.index],
                          marker_size=float(np.max(scatter_kw["s"])), fontsize=8.5,
                          avoid=[t.get_window_extent(rend) for t in region_texts])
            use_cjk_fonts(ax)
    return ax


def _half_span(x, y, ci, cx: float, cy: float) -> float:
    """Half the span of both axes: room for every point and interval around the mean point (cx, cy)."""
    spread = np.concatenate([np.abs(x - cx), np.abs(y - cy), np.abs(ci[:, 2:] - cx).ravel(),
                             np.abs(ci[:, :2] - cy).ravel()])
    half = float(np.nanmax(spread)) if np.isfinite(spread).any() else 0.0
    return (half or 0.1 * max(abs(cx), abs(cy)) or 1.0) * 1.3


def _interval_bars(ax, x, y, ci):
    """Error bars of both sides' intervals (columns of ``ci``: benefits low, high, sacrifices low, high)."""
    xerr = np.abs(np.vstack([x - ci[:, 2], ci[:, 3] - x]))
    yerr = np.abs(np.vstack([y - ci[:, 0], ci[:, 1] - y]))
    return ax.errorbar(x, y, xerr=np.nan_to_num(xerr), yerr=np.nan_to_num(yerr), fmt="none", ecolor=LIGHT_INK,
                       elinewidth=0.9, capsize=2.5, zorder=2.5)


def _region_names(ax, text: dict) -> list:
    """'Better value' in the top left corner and 'worse value' in the bottom right, on a white ground."""
    family = cjk_font_family()
    return [ax.text(ax_x, ax_y, text[key], transform=ax.transAxes, ha=ha, va=va, fontsize=10.5, color=color,
                    fontfamily=family, zorder=2, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                                                       "pad": 1})
            for key, (ax_x, ax_y, ha, va), color in (("better", (0.02, 0.98, "left", "top"), BLUES[0]),
                                                     ("worse", (0.98, 0.02, "right", "bottom"), REDS[0]))]


# ----------------------------------------------------------------------------- value curve

def _profile_frame(profile, function: str) -> pd.DataFrame:
    if isinstance(profile, pd.DataFrame):
        frame = profile
    elif isinstance(profile, Mapping):
        if not profile:
            raise ValueError(f"The 'profile' parameter of {function} is an empty mapping: nothing to draw. Pass "
                             "{'segment': Series of mean ratings by attribute}.")
        series = {}
        for label, values in profile.items():
            if isinstance(values, Mapping):
                values = pd.Series(values)
            if not isinstance(values, pd.Series):
                raise ValueError(f"The 'profile' parameter of {function} must map each line's label to a Series of "
                                 f"mean ratings indexed by attribute; {label!r} -> {type(values).__name__}.")
            if values.index.has_duplicates:
                raise ValueError(f"The 'profile' parameter of {function} has repeated attributes in {label!r}: "
                                 f"{sorted(map(str, values.index[values.index.duplicated()].unique()))[:5]}.")
            series[label] = values
        frame = pd.concat(series, axis=1, sort=False)
    else:
        raise ValueError(f"The 'profile' parameter of {function} must be a DataFrame (attributes as rows, segments or "
                         f"competitors as columns) or a mapping label -> Series. Got {type(profile).__name__} "
                         "instead.")
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"The 'profile' parameter of {function} has {frame.shape[0]} attributes and "
                         f"{frame.shape[1]} columns: nothing to draw.")
    if frame.index.has_duplicates:
        raise ValueError(f"The 'profile' parameter of {function} has repeated attributes (rows): "
                         f"{sorted(map(str, frame.index[frame.index.duplicated()].unique()))[:5]}. Give each "
                         "attribute one row.")
    return numeric_frame(frame, function=function)


def _check_scale(scale, values: pd.DataFrame, function: str):
    if scale is None:
        return None
    ok = (isinstance(scale, (tuple, list)) and len(scale) == 2
          and all(isinstance(v, Real) and not isinstance(v, bool) and np.isfinite(v) for v in scale)
          and scale[0] < scale[1])
    if not ok:
        raise ValueError(f"The 'scale' parameter of {function} must be a (min, max) pair of numbers with min < max, "
                         f"e.g. (1, 5). Got {scale!r} instead.")
    low, high = float(scale[0]), float(scale[1])
    outside = values.stack()
    outside = outside[(outside < low) | (outside > high)]
    if len(outside):
        (attribute, column), value = outside.index[0], outside.iloc[0]
        raise ValueError(f"The 'scale' parameter of {function} is ({low:g}, {high:g}), but {len(outside)} mean "
                         f"rating(s) lie outside it (first: attribute {attribute!r}, column {column!r} = {value:g}). "
                         "Pass the answer scale's end points, or scale=None.")
    return low, high


def plot_value_curve(profile, *, language="zh", ax=None, item_labels=None, scale=None, label_width: int = 14,
                     **kwargs):
    """Value curve (strategy canvas): mean rating per attribute, one line per segment or competitor.

    Parameters
    ----------
    profile : DataFrame or mapping label -> Series
        Attributes (items or parts) as rows, in display order left to right; segments or
        competitors as columns; mean ratings as values (NaN: a gap in that line). A mapping
        of Series indexed by attribute is aligned on the attributes in order of first
        appearance.
    language : {'zh', 'en'}, default 'zh'
        Language of the axis label.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of attributes is made.
    item_labels : mapping, optional
        Attribute -> text on the x axis (default: the attribute ids), wrapped onto at most
        three lines (then cut with "…"); when they do not fit side by side, they are rotated
        instead, one line each (cut at 40 columns).
    scale : (min, max), optional
        The answer scale's end points: the y axis spans exactly this range, so that curves
        from different figures compare. Means outside it raise.
    label_width : int, default 14
        Width of the attribute labels before wrapping, in columns (a Chinese character counts two).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for every line (e.g. ``linewidth=2``).

    Returns
    -------
    matplotlib.axes.Axes
        One line (``ax.lines``) per column, in column order, with one marker per attribute.

    Raises
    ------
    ValueError
        If ``profile`` is empty, not a DataFrame or mapping of Series, has repeated
        attributes, ``scale`` is not a (min, max) pair or a mean lies outside it, or
        ``language`` is not one of its options.
    DataError
        If a value is not a number.

    Notes
    -----
    The strategy canvas of Kim & Mauborgne (*Blue Ocean Strategy*, 2005): where two curves
    run together the offers (or segments' perceptions) do not differ; where they part, they
    do. Lines use colour-blind safe colours (Okabe & Ito) and differ in marker too. The
    lines connect attributes only to guide the eye: the order of attributes on the x axis is
    the input's.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.plotting.perceived_value import plot_value_curve
    >>> profile = pd.DataFrame({"本公司": [4.2, 3.1, 3.8], "竞争对手A": [3.9, 3.6, 3.2]},
    ...                        index=["产品质量", "价格", "售后服务"])
    >>> ax = plot_value_curve(profile, scale=(1, 5))
    >>> len(ax.lines), [float(v) for v in ax.get_ylim()]
    (2, [1.0, 5.0])
    """
    function = "plot_value_curve"
    check_option("language", language, LANGUAGES, function=function)
    frame = _profile_frame(profile, function)
    limits = _check_scale(scale, frame, function)
    item_labels = dict(item_labels or {})
    n_attr = frame.shape[0]
    ticks = [wrap_label(item_labels.get(a, a), label_width, max_lines=3) for a in frame.index]

    with figure_style():
        if ax is None:
            ax = new_axes((min(max(6.4, 0.95 * n_attr + 2.6), 13.0), 4.4))
        x = np.arange(n_attr)
        for j, column in enumerate(frame.columns):
            ax.plot(x, frame[column].to_numpy(float), **{
                "color": SERIES_COLORS[j % len(SERIES_COLORS)], "marker": SERIES_MARKERS[j % len(SERIES_MARKERS)],
                "markersize": 6, "linewidth": 1.8, "label": str(column), "clip_on": False, "zorder": 3, **kwargs})
        ax.set_xticks(x, ticks)
        ax.set_xlim(-0.4, n_attr - 0.6)
        if limits is not None:
            ax.set_ylim(*limits)
        # rotate when the longest line of a label is wider than its share of the axes
        widest = max(_columns(line) for t in ticks for line in t.split("\n"))
        box = ax.get_position()
        room_pt = box.width * ax.figure.get_figwidth() * 72 / n_attr
        if widest * 0.55 * 9 > 0.9 * room_pt:  # rotated, on one line each (wrapped lines would overlap)
            ax.set_xticks(x, [wrap_label(item_labels.get(a, a), 40, max_lines=1) for a in frame.index])
            ax.tick_params(axis="x", labelrotation=30)
            for t in ax.get_xticklabels():
                t.set_horizontalalignment("right")
                t.set_rotation_mode("anchor")
        ax.tick_params(axis="x", length=0, labelcolor=INK)
        ax.set_ylabel(_TEXT[language]["rating"])
        plain_axes(ax, "y")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0, frameon=False, handlelength=2.2)
        use_cjk_fonts(ax)
    return ax
