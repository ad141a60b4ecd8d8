"""Figures that compare segments or competitors: NPS bars, indices with intervals, value map, value curve."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd

from ..errors import check_option, numeric_frame
from ..indices.survey import OVERALL
from ._fonts import cjk_font_family
from ._style import (
    BLUES,
    INK,
    LIGHT_INK,
    NEUTRAL,
    REDS,
    _columns,
    figure_style,
    new_axes,
    plain_axes,
    result_table,
    text_color_on,
    use_cjk_fonts,
    wrap_label,
)
from .indices import _place_labels, _renderer

__all__ = ["plot_nps", "plot_indices", "plot_value_map", "plot_value_curve"]

LANGUAGES = ("zh", "en")
#: Detractors, passives, promoters. The green (ColorBrewer RdYlGn) is lighter than the red, so
#: the two differ in lightness as well as hue and stay apart for red-green colour-blind readers.
NPS_COLORS = (REDS[0], NEUTRAL, "#1a9850")
#: Lines of the value curve: Okabe & Ito's colour-blind safe colours (their yellow left out:
#: too pale on white), each with its own marker so that lines also differ in print.
SERIES_COLORS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000")
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
VALUE_COLUMNS = ("benefits", "sacrifices")
VALUE_CI_COLUMNS = ("benefits_ci_low", "benefits_ci_high", "sacrifices_ci_low", "sacrifices_ci_high")

_TEXT = {
    "zh": {
        "detractors": "贬损者（0-6 分）", "passives": "中立者（7-8 分）", "promoters": "推荐者（9-10 分）",
        "nps": "NPS", "overall": "总体",
        "reference_overall": "总体 {value}", "reference": "参照值 {value}",
        "estimate_ci": "估计值及 {level} 置信区间", "estimate_ci_nolevel": "估计值及置信区间",
        "sacrifices": "感知利失（相对价格与成本）", "benefits": "感知利得（感知质量）",
        "better": "价值优势", "worse": "价值劣势", "fair": "公平价值线（斜率 1，过各点均值）",
        "ci": "{level} 置信区间", "ci_nolevel": "置信区间",
        "rating": "平均评分",
    },
    "en": {
        "detractors": "Detractors (0-6)", "passives": "Passives (7-8)", "promoters": "Promoters (9-10)",
        "nps": "NPS", "overall": "Overall",
        "reference_overall": "Overall {value}", "reference": "Reference {value}",
        "estimate_ci": "Estimate with {level} CI", "estimate_ci_nolevel": "Estimate with CI",
        "sacrifices": "Perceived sacrifices (relative price and cost)", "benefits": "Perceived benefits (quality)",
        "better": "Better value", "worse": "Worse value", "fair": "Fair-value line (slope 1 through the mean point)",
        "ci": "{level} confidence interval", "ci_nolevel": "Confidence interval",
        "rating": "Mean rating",
    },
}
NA_TEXT = "n/a"
HEADING_BAND = "#f2f2f2"


# ----------------------------------------------------------------------------- shared helpers

def _number(value) -> float:
    """``value`` as a float, NaN when it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, (Real, np.number)):
        return np.nan
    return float(value)


def _legend_below(ax, handles, labels, offset_pt: float, ncol: int | None = None, x: float = 0.5) -> None:
    """A frameless legend centred under the axes, ``offset_pt`` points below its bottom edge."""
    from matplotlib.transforms import ScaledTranslation

    below = ax.transAxes + ScaledTranslation(0, -offset_pt / 72, ax.figure.dpi_scale_trans)
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(x, 0), bbox_transform=below,
              ncol=ncol or len(handles), handlelength=1.8, columnspacing=1.4, borderaxespad=0, frameon=False)


def _fmt(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, without a minus sign on a value that rounds to zero."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _decimals(widths: np.ndarray, values: np.ndarray) -> int:
    """Decimals that show an interval of typical width with two or three significant digits."""
    finite = widths[np.isfinite(widths) & (widths > 0)]
    scale = float(np.median(finite)) if finite.size else float(np.nanmax(np.abs(values), initial=0) or 1) / 10
    return int(np.clip(1 - np.floor(np.log10(scale)), 0, 4))


# ----------------------------------------------------------------------------- NPS bars

def _is_nps(obj) -> bool:
    return all(hasattr(obj, a) for a in ("promoters", "passives", "detractors", "score"))


def _nps_entries(results, language: str) -> list[tuple[str, object]]:
    """(label, NPSResult) pairs in display order, or the house ValueError."""
    function = "plot_nps"
    if _is_nps(results):
        name = getattr(results, "name", None)
        return [(str(name) if name is not None else _TEXT[language]["overall"], results)]
    if not isinstance(results, Mapping):
        raise ValueError(f"The 'results' parameter of {function} must be an NPSResult or a mapping label -> NPSResult "
                         f"(e.g. {{'华东': nps(east), '华南': nps(south)}}). Got {type(results).__name__} instead.")
    if not results:
        raise ValueError(f"The 'results' parameter of {function} is an empty mapping: nothing to draw. Pass one "
                         "NPSResult per bar, e.g. {'华东': nps(east)}.")
    bad = [(k, v) for k, v in results.items() if not _is_nps(v)]
    if bad:
        k, v = bad[0]
        raise ValueError(f"The 'results' parameter of {function} must map each label to an NPSResult (from "
                         f"surveykit.nps); {len(bad)} of {len(results)} entries are not (first: {k!r} -> "
                         f"{type(v).__name__}). Compute each one with nps(scores[segment == level]).")
    return [(str(k), v) for k, v in results.items()]


def _nps_text(score: float) -> str:
    """The score rounded half away from zero, signed: '+12', '0', '-7'; 'n/a' when missing."""
    if not np.isfinite(score):
        return NA_TEXT
    rounded = int(np.sign(score) * np.floor(abs(score) + 0.5))
    return "0" if rounded == 0 else f"{rounded:+d}"


def plot_nps(results, *, language="zh", ax=None, show_score=True, label_width: int = 24, annotate_min: float = 0.07,
             **kwargs):
    """Horizontal 100% stacked bars of detractors, passives and promoters, one bar per group.

    Parameters
    ----------
    results : NPSResult or mapping label -> NPSResult
        From :func:`surveykit.nps`, one per segment level or competitor, drawn top to bottom
        in the mapping's order (e.g. ``{'华东': nps(east), '华南': nps(south)}``). A single
        result is one bar labelled with its ``name`` (or "总体" / "Overall").
    language : {'zh', 'en'}, default 'zh'
        Language of the legend.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of bars is made.
    show_score : bool, default True
        Write the NPS (rounded to a whole number, signed) and the number of valid answers
        ``n`` in two columns right of the bars.
    label_width : int, default 24
        Width of the bar labels before wrapping, in columns (a Chinese character counts two).
    annotate_min : float, default 0.07
        Segments at least this wide (as a share) are labelled with their percentage.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` (e.g. ``height=0.5``).

    Returns
    -------
    matplotlib.axes.Axes
        Three bar containers (``ax.containers``): detractors, passives, promoters, each with
        one bar per group. The score texts have gid ``'nps_score'``, the counts ``'nps_n'``.

    Raises
    ------
    ValueError
        If ``results`` is neither an NPSResult nor a non-empty mapping of them, the shares of
        a result do not sum to 1, or ``language`` is not one of its options.

    Notes
    -----
    Each bar is the shares (0-1) of the valid answers: detractors (0-6, red) from the left,
    passives (7-8, grey), promoters (9-10, green) to the right end at 100%; NPS = %promoters
    - %detractors, so the score compares the red and green ends. Under weights the shares
    and the score are weighted and ``n`` is the number of respondents. A group without valid
    answers (NaN shares) is an empty bar marked "n/a". Fonts are pinned on the figure's text,
    so Chinese renders wherever the figure is saved; no global matplotlib setting is changed.

    Examples
    --------
    >>> import numpy as np
    >>> from surveykit import nps
    >>> from surveykit.plotting.segments import plot_nps
    >>> rng = np.random.default_rng(1)
    >>> by_region = {"华东": nps(rng.integers(0, 11, 200)), "华南": nps(rng.integers(4, 11, 150))}
    >>> ax = plot_nps(by_region)
    >>> len(ax.patches), [t.get_text() for t in ax.texts if t.get_gid() == "nps_score"] == [
    ...     f"{round(r.score):+d}" for r in by_region.values()]
    (6, True)
    """
    function = "plot_nps"
    check_option("language", language, LANGUAGES, function=function)
    entries = _nps_entries(results, language)
    if isinstance(annotate_min, bool) or not isinstance(annotate_min, Real) or not 0 <= annotate_min <= 1:
        raise ValueError(f"The 'annotate_min' parameter of {function} must be a number between 0 and 1. "
                         f"Got {annotate_min!r} instead.")
    shares = np.array([[_number(getattr(r, k)) for k in ("detractors", "passives", "promoters")] for _, r in entries])
    totals = shares.sum(axis=1)
    off = [(label, t) for (label, _), t in zip(entries, totals) if np.isfinite(t) and abs(t - 1) > 1e-6]
    if off:
        raise ValueError(f"The 'results' parameter of {function} needs shares of detractors, passives and promoters "
                         f"that sum to 1; {len(off)} do not (first: {off[0][0]!r} sums to {off[0][1]:g}). Pass the "
                         "results of surveykit.nps unchanged.")
    missing = ~np.isfinite(totals)
    shares = np.where(missing[:, None], 0.0, np.nan_to_num(shares))
    scores = np.array([_number(r.score) for _, r in entries])
    counts = [getattr(r, "n_obs", None) for _, r in entries]
    text = _TEXT[language]
    n_bars = len(entries)

    with figure_style():
        if ax is None:
            ax = new_axes((7.5, 0.42 * n_bars + 1.3))
        y = np.arange(n_bars)[::-1]  # first group on top
        left = np.zeros(n_bars)
        bar_kw = {"height": 0.68, "edgecolor": "white", "linewidth": 0.6, **kwargs}
        handles, labels = [], []
        for key, color, width in zip(("detractors", "passives", "promoters"), NPS_COLORS, shares.T):
            bars = ax.barh(y, width, left=left, **{"color": color, "label": text[key], **bar_kw})
            handles.append(bars)
            labels.append(text[key])
            ink = text_color_on(color)
            for bar, w in zip(bars, width):
                if w >= annotate_min and w > 0:
                    ax.text(bar.get_x() + w / 2, bar.get_y() + bar.get_height() / 2, f"{100 * w:.0f}%",
                            ha="center", va="center", fontsize=8, color=ink)
            left = left + width
        for yi in y[missing]:
            ax.text(0.01, yi, NA_TEXT, ha="left", va="center", fontsize=8.5, color=LIGHT_INK, gid="nps_na")

        right = 1.0
        if show_score:
            score_x, n_x, right = 1.03, 1.15, 1.27
            top = n_bars - 1 + 0.5
            ax.text(score_x, top, text["nps"], ha="left", va="bottom", fontsize=8.5, color=LIGHT_INK)
            ax.text(n_x, top, "n", ha="left", va="bottom", fontsize=8.5, color=LIGHT_INK)
            for yi, score, n in zip(y, scores, counts):
                ax.text(score_x, yi, _nps_text(score), ha="left", va="center", fontsize=10, color=INK,
                        gid="nps_score")
                if n is not None and not pd.isna(n):
                    ax.text(n_x, yi, f"{int(n):,}", ha="left", va="center", fontsize=8.5, color=LIGHT_INK,
                            gid="nps_n")
        ax.set_xlim(0, right)
        ax.set_xticks(np.linspace(0, 1, 5))
        ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
        ax.spines["bottom"].set_bounds(0, 1)
        ax.set_ylim(-0.6, n_bars - 0.4 + (0.35 if show_score else 0))
        ax.set_yticks(y, [wrap_label(label, label_width) for label, _ in entries])
        ax.tick_params(axis="y", length=0)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        _legend_below(ax, handles, labels, 26, x=0.5 / right)
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- indices by segment

_INDEX_COLUMNS = ("index", "label", "segment", "level", "estimate", "ci_low", "ci_high")


def plot_indices(indices, index, *, segment=None, language="zh", ax=None, reference="overall", segment_labels=None,
                 label_width: int = 24, **kwargs):
    """An index by segment: each level's estimate with its confidence interval, against the overall.

    Parameters
    ----------
    indices : SurveyIndices
        From :meth:`SurveyData.indices` (any object whose ``table`` has the columns
        ``index``, ``label``, ``segment``, ``level``, ``estimate``, ``ci_low``, ``ci_high``
        and, optionally, ``n_obs``).
    index : str
        Key of the index, e.g. ``'satisfaction_index'``, ``'nps'``, ``'top2_box:sat_overall'``
        (``indices.overall.index`` lists them).
    segment : str, optional
        One segment variable: its levels, top to bottom in the table's order. None (default):
        every segment, each under a heading (a shaded row).
    language : {'zh', 'en'}, default 'zh'
        Language of the legend.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of rows is made.
    reference : 'overall', number or None, default 'overall'
        Where to draw the vertical reference line: the whole sample's estimate, a given value
        (a target or benchmark), or nowhere.
    segment_labels : mapping, optional
        Segment variable -> heading text (default: the variable names).
    label_width : int, default 24
        Width of the level labels before wrapping, in columns (a Chinese character counts two).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar` (e.g. ``color='black'``).

    Returns
    -------
    matplotlib.axes.Axes
        One errorbar container (``ax.containers[0]``) with a point per level that has an
        estimate, in drawing order (top to bottom).

    Raises
    ------
    ValueError
        If ``index`` or ``segment`` is unknown (the message lists the known ones),
        ``reference`` is not 'overall', a number or None, the table has no overall row for
        ``reference='overall'``, or ``language`` is not one of its options.

    Notes
    -----
    The x axis is in the index's own units and named by its label in the table; each point
    ends in its estimate and each level label gives its number of respondents. A level whose
    index could not be estimated (too few answers, see ``indices.notes``) keeps its row,
    marked "n/a". An interval that excludes the overall line does not by itself show that
    the level differs from the rest of the sample (the overall includes the level); compare
    levels with :func:`surveykit.banner`.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.plotting.segments import plot_indices
    >>> ix = sk.example_data().indices(segments=["region"])
    >>> ax = plot_indices(ix, "satisfaction_index", segment="region")
    >>> len(ax.containers[0].lines[0].get_xdata()) == len(ix.by_segment("region"))
    True
    """
    function = "plot_indices"
    check_option("language", language, LANGUAGES, function=function)
    table = result_table(indices, "table", _INDEX_COLUMNS, function, parameter="indices",
                         hint=" Pass the result of SurveyData.indices().")
    check_option("index", index, list(pd.unique(table["index"])), function=function)
    rows = table[table["index"] == index]
    segments = [s for s in pd.unique(rows["segment"]) if s != OVERALL]
    if not segments:
        raise ValueError(f"The 'indices' parameter of {function} has no rows by segment for {index!r}: only the "
                         "overall estimate. Name segment variables in the questionnaire or call "
                         "data.indices(segments=[...]).")
    if segment is not None:
        check_option("segment", segment, segments, function=function)
    overall = rows[rows["segment"] == OVERALL]
    if isinstance(reference, str) and reference == "overall":
        if overall.empty:
            raise ValueError(f"The 'reference' parameter of {function} is 'overall', but indices.table has no "
                             f"{OVERALL!r} row for {index!r}. Pass reference=None or a number.")
        ref_value = float(overall["estimate"].iloc[0])
    elif reference is None:
        ref_value = np.nan
    elif isinstance(reference, Real) and not isinstance(reference, bool) and np.isfinite(reference):
        ref_value = float(reference)
    else:
        raise ValueError(f"The 'reference' parameter of {function} must be 'overall', a finite number or None. "
                         f"Got {reference!r} instead.")
    segment_labels = dict(segment_labels or {})
    text = _TEXT[language]
    label = next((str(v) for v in rows["label"] if isinstance(v, str) and v), str(index))

    # one entry per row of the figure, top to bottom: (heading or None, level row or None)
    entries: list[tuple[str | None, pd.Series | None]] = []
    for s in ([segment] if segment is not None else segments):
        if segment is None:
            entries.append((str(segment_labels.get(s, s)), None))
        entries.extend((None, row) for _, row in rows[rows["segment"] == s].iterrows())
    n_rows = len(entries)
    y = np.arange(n_rows)[::-1].astype(float)
    is_level = np.array([row is not None for _, row in entries])
    level_rows = [row for _, row in entries if row is not None]
    est = np.array([_number(r["estimate"]) for r in level_rows])
    lo = np.array([_number(r["ci_low"]) for r in level_rows])
    hi = np.array([_number(r["ci_high"]) for r in level_rows])
    y_levels = y[is_level]
    decimals = _decimals(hi - lo, est)
    level = getattr(getattr(indices, "results", {}).get(index), "ci_level", None)

    def tick(heading, row):
        if row is None:
            return heading
        n = row.get("n_obs")
        tail = f"  (n={int(n)})" if n is not None and not pd.isna(n) else ""
        return wrap_label(row["level"], label_width) + tail

    with figure_style():
        if ax is None:
            ax = new_axes((7.5, 0.32 * n_rows + 1.6))
        ok = np.isfinite(est)
        handles, labels = [], []
        if ok.any():
            xerr = np.vstack([est - lo, hi - est])[:, ok]
            container = ax.errorbar(est[ok], y_levels[ok], xerr=np.nan_to_num(xerr), **{
                "fmt": "o", "color": BLUES[0], "ecolor": BLUES[0], "elinewidth": 1.6, "capsize": 3,
                "markersize": 5.5, "markeredgecolor": "white", "markeredgewidth": 0.6, "zorder": 3, **kwargs})
            handles.append(container)
            labels.append(text["estimate_ci"].format(level=f"{level:.0%}") if isinstance(level, Real)
                          else text["estimate_ci_nolevel"])
            for e, h, yi in zip(est[ok], hi[ok], y_levels[ok]):
                ax.annotate(_fmt(e, decimals), (h if np.isfinite(h) else e, yi), xytext=(5, 0),
                            textcoords="offset points", ha="left", va="center", fontsize=8.5, color=INK)
        from matplotlib.transforms import blended_transform_factory

        along = blended_transform_factory(ax.transAxes, ax.transData)
        for yi in y_levels[~ok]:
            ax.text(0.01, yi, NA_TEXT, transform=along, ha="left", va="center", fontsize=8.5, color=LIGHT_INK,
                    gid="index_na")
        if np.isfinite(ref_value):
            which = "reference_overall" if isinstance(reference, str) else "reference"
            handles.append(ax.axvline(ref_value, color=INK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2))
            labels.append(text[which].format(value=_fmt(ref_value, decimals)))

        ends = np.concatenate([est, lo, hi, [ref_value]])
        ends = ends[np.isfinite(ends)]
        if ends.size:
            span = float(ends.max() - ends.min()) or max(abs(float(ends.max())) * 0.1, 1.0)
            ax.set_xlim(ends.min() - 0.06 * span, ends.max() + 0.16 * span)
        ax.set_ylim(-0.6, n_rows - 0.4)
        ax.set_yticks(y, [tick(h, r) for h, r in entries])
        for ticklabel, (heading, _) in zip(ax.get_yticklabels(), entries):
            if heading is not None:  # no bold: the CJK fonts often ship in one weight only
                ticklabel.set_fontsize(10.5)
                ticklabel.set_color(INK)
        ax.tick_params(axis="y", length=0)
        for yi in y[~is_level]:  # each heading is a shaded band across the plot
            ax.axhspan(yi - 0.5, yi + 0.5, color=HEADING_BAND, linewidth=0, zorder=0.3)
        xlabel = wrap_label(label, 64)
        ax.set_xlabel(xlabel)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        if handles:
            _legend_below(ax, handles, labels, 26 + 13 * (xlabel.count("\n") + 1))
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- value map

def _value_frame(points, function: str) -> tuple[pd.DataFrame, float | None]:
    """Columns benefits, sacrifices and the four CI columns (NaN when unknown), one row per label; the CI level."""
    if isinstance(points, pd.DataFrame):
        missing = [c for c in VALUE_COLUMNS if c not in points.columns]
        if missing:
            raise ValueError(f"The 'points' parameter of {function} needs the columns 'benefits' and 'sacrifices' "
                             f"(one row per segment or competitor); {', '.join(map(repr, missing))} "
                             f"{'is' if len(missing) == 1 else 'are'} missing (columns found: "
                             f"{', '.join(map(repr, points.columns)) or 'none'}).")
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
            row = {c: _number(table.at[c, "estimate"]) for c in VALUE_COLUMNS}
            for c in VALUE_COLUMNS:
                for end in ("ci_low", "ci_high"):
                    row[f"{c}_{end}"] = _number(table.at[c, end]) if end in table.columns else np.nan
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
    >>> from surveykit.plotting.segments import plot_value_map
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

    spread = np.concatenate([np.abs(x - cx), np.abs(y - cy), np.abs(ci[:, 2:] - cx).ravel(),
                             np.abs(ci[:, :2] - cy).ravel()])
    half = float(np.nanmax(spread)) if np.isfinite(spread).any() else 0.0
    half = (half or 0.1 * max(abs(cx), abs(cy)) or 1.0) * 1.3

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
            family = cjk_font_family()
            for key, (ax_x, ax_y, ha, va), color in (("better", (0.02, 0.98, "left", "top"), BLUES[0]),
                                                     ("worse", (0.98, 0.02, "right", "bottom"), REDS[0])):
                region_texts.append(ax.text(ax_x, ax_y, text[key], transform=ax.transAxes, ha=ha, va=va,
                                            fontsize=10.5, color=color, fontfamily=family, zorder=2,
                                            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                                                  "pad": 1}))
        if has_ci:
            xerr = np.abs(np.vstack([x - ci[:, 2], ci[:, 3] - x]))
            yerr = np.abs(np.vstack([y - ci[:, 0], ci[:, 1] - y]))
            bars = ax.errorbar(x, y, xerr=np.nan_to_num(xerr), yerr=np.nan_to_num(yerr), fmt="none",
                               ecolor=LIGHT_INK, elinewidth=0.9, capsize=2.5, zorder=2.5)
            handles.append(bars)
            labels.append(text["ci"].format(level=f"{level:.0%}") if level is not None else text["ci_nolevel"])
        scatter_kw = {"s": 48, "c": colors, "edgecolors": "white", "linewidths": 0.8, "zorder": 3, **kwargs}
        ax.scatter(x, y, **scatter_kw)
        ax.set_xlabel(text["sacrifices"])
        ax.set_ylabel(text["benefits"])
        plain_axes(ax, None)
        if handles:
            _legend_below(ax, handles, labels, 36, ncol=1)
        use_cjk_fonts(ax)
        if annotate:
            renderer = _renderer(ax.figure)
            _place_labels(ax, x, y, [wrap_label(label, 16) for label in frame.index],
                          marker_size=float(np.max(scatter_kw["s"])), fontsize=8.5,
                          avoid=[t.get_window_extent(renderer) for t in region_texts])
            use_cjk_fonts(ax)
    return ax


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
    >>> from surveykit.plotting.segments import plot_value_curve
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
