"""Figures of indices by group: NPS bars (detractors, passives, promoters) and an index by segment with intervals."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd

from .._labels import LANGUAGES
from ..errors import check_option
from ..indices.survey import OVERALL
from ._draw import legend_below, stacked_bars
from ._style import (
    BLUES,
    INK,
    LIGHT_INK,
    NEUTRAL,
    REDS,
    check_unit,
    figure_style,
    new_axes,
    number_or_nan,
    percent_tick,
    plain_axes,
    result_table,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_nps", "plot_indices"]

#: Detractors, passives, promoters. The green (ColorBrewer RdYlGn) is lighter than the red, so
#: the two differ in lightness as well as hue and stay apart for red-green colour-blind readers.
NPS_COLORS = (REDS[0], NEUTRAL, "#1a9850")
_TEXT = {
    "zh": {
        "detractors": "贬损者（0-6 分）", "passives": "中立者（7-8 分）", "promoters": "推荐者（9-10 分）",
        "nps": "NPS", "overall": "总体",
        "reference_overall": "总体 {value}", "reference": "参照值 {value}",
        "estimate_ci": "估计值及 {level} 置信区间", "estimate_ci_nolevel": "估计值及置信区间",
    },
    "en": {
        "detractors": "Detractors (0-6)", "passives": "Passives (7-8)", "promoters": "Promoters (9-10)",
        "nps": "NPS", "overall": "Overall",
        "reference_overall": "Overall {value}", "reference": "Reference {value}",
        "estimate_ci": "Estimate with {level} CI", "estimate_ci_nolevel": "Estimate with CI",
    },
}
NA_TEXT = "n/a"
HEADING_BAND = "#f2f2f2"


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
    >>> from surveykit.plotting.indices import plot_nps
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
    check_unit("annotate_min", annotate_min, function)
    shares = np.array([[number_or_nan(getattr(r, k)) for k in ("detractors", "passives", "promoters")] for _, r in entries])
    totals = shares.sum(axis=1)
    off = [(label, t) for (label, _), t in zip(entries, totals) if np.isfinite(t) and abs(t - 1) > 1e-6]
    if off:
        raise ValueError(f"The 'results' parameter of {function} needs shares of detractors, passives and promoters "
                         f"that sum to 1; {len(off)} do not (first: {off[0][0]!r} sums to {off[0][1]:g}). Pass the "
                         "results of surveykit.nps unchanged.")
    missing = ~np.isfinite(totals)
    shares = np.where(missing[:, None], 0.0, np.nan_to_num(shares))
    scores = np.array([number_or_nan(r.score) for _, r in entries])
    counts = [getattr(r, "n_obs", None) for _, r in entries]
    text = _TEXT[language]
    n_bars = len(entries)

    with figure_style():
        if ax is None:
            ax = new_axes((7.5, 0.42 * n_bars + 1.3))
        y = np.arange(n_bars)[::-1]  # first group on top
        left = np.zeros(n_bars)
        bar_kw = {"height": 0.68, "edgecolor": "white", "linewidth": 0.6, **kwargs}
        labels = [text[key] for key in ("detractors", "passives", "promoters")]
        handles = stacked_bars(ax, y, shares, left, NPS_COLORS, labels, bar_kw, annotate_min)
        for yi in y[missing]:
            ax.text(0.01, yi, NA_TEXT, ha="left", va="center", fontsize=8.5, color=LIGHT_INK, gid="nps_na")

        right = _score_columns(ax, y, scores, counts, text["nps"]) if show_score else 1.0
        ax.set_xlim(0, right)
        ax.set_xticks(np.linspace(0, 1, 5))
        ax.xaxis.set_major_formatter(percent_tick)
        ax.spines["bottom"].set_bounds(0, 1)
        ax.set_ylim(-0.6, n_bars - 0.4 + (0.35 if show_score else 0))
        ax.set_yticks(y, [wrap_label(label, label_width) for label, _ in entries])
        ax.tick_params(axis="y", length=0)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        legend_below(ax, handles, labels, 26, x=0.5 / right)
        use_cjk_fonts(ax)
    return ax


def _score_columns(ax, y, scores, counts, heading: str) -> float:
    """The NPS and n of each bar in two columns right of the bars; the right end of the x axis."""
    score_x, n_x, right = 1.03, 1.15, 1.27
    top = len(y) - 1 + 0.5
    ax.text(score_x, top, heading, ha="left", va="bottom", fontsize=8.5, color=LIGHT_INK)
    ax.text(n_x, top, "n", ha="left", va="bottom", fontsize=8.5, color=LIGHT_INK)
    for yi, score, n in zip(y, scores, counts):
        ax.text(score_x, yi, _nps_text(score), ha="left", va="center", fontsize=10, color=INK, gid="nps_score")
        if n is not None and not pd.isna(n):
            ax.text(n_x, yi, f"{int(n):,}", ha="left", va="center", fontsize=8.5, color=LIGHT_INK, gid="nps_n")
    return right


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
    >>> from surveykit.plotting.indices import plot_indices
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
    ref_value = _reference_value(reference, rows[rows["segment"] == OVERALL], index, function)
    text = _TEXT[language]
    label = next((str(v) for v in rows["label"] if isinstance(v, str) and v), str(index))
    entries = _index_entries(rows, [segment] if segment is not None else segments, segment is None,
                             dict(segment_labels or {}))
    n_rows = len(entries)
    y = np.arange(n_rows)[::-1].astype(float)
    is_level = np.array([row is not None for _, row in entries])
    level_rows = [row for _, row in entries if row is not None]
    est, lo, hi = (np.array([number_or_nan(r[c]) for r in level_rows]) for c in ("estimate", "ci_low", "ci_high"))
    decimals = _decimals(hi - lo, est)
    level = getattr(getattr(indices, "results", {}).get(index), "ci_level", None)

    with figure_style():
        if ax is None:
            ax = new_axes((7.5, 0.32 * n_rows + 1.6))
        handles, labels = _draw_levels(ax, est, lo, hi, y[is_level], decimals, level, text, kwargs)
        if np.isfinite(ref_value):
            which = "reference_overall" if isinstance(reference, str) else "reference"
            handles.append(ax.axvline(ref_value, color=INK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2))
            labels.append(text[which].format(value=_fmt(ref_value, decimals)))
        _x_limits(ax, np.concatenate([est, lo, hi, [ref_value]]))
        ax.set_ylim(-0.6, n_rows - 0.4)
        _heading_ticks(ax, y, entries, label_width)
        for yi in y[~is_level]:  # each heading is a shaded band across the plot
            ax.axhspan(yi - 0.5, yi + 0.5, color=HEADING_BAND, linewidth=0, zorder=0.3)
        xlabel = wrap_label(label, 64)
        ax.set_xlabel(xlabel)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        if handles:
            legend_below(ax, handles, labels, 26 + 13 * (xlabel.count("\n") + 1))
        use_cjk_fonts(ax)
    return ax


def _reference_value(reference, overall: pd.DataFrame, index, function: str) -> float:
    """Where plot_indices draws its reference line (NaN: nowhere), or the house ValueError."""
    if isinstance(reference, str) and reference == "overall":
        if overall.empty:
            raise ValueError(f"The 'reference' parameter of {function} is 'overall', but indices.table has no "
                             f"{OVERALL!r} row for {index!r}. Pass reference=None or a number.")
        return float(overall["estimate"].iloc[0])
    if reference is None:
        return np.nan
    if isinstance(reference, Real) and not isinstance(reference, bool) and np.isfinite(reference):
        return float(reference)
    raise ValueError(f"The 'reference' parameter of {function} must be 'overall', a finite number or None. "
                     f"Got {reference!r} instead.")


def _index_entries(rows: pd.DataFrame, segments: list, headed: bool, segment_labels: dict) -> list:
    """One entry per row of the figure, top to bottom: (heading, None) or (None, level row)."""
    entries: list[tuple[str | None, pd.Series | None]] = []
    for s in segments:
        if headed:
            entries.append((str(segment_labels.get(s, s)), None))
        entries.extend((None, row) for _, row in rows[rows["segment"] == s].iterrows())
    return entries


def _draw_levels(ax, est, lo, hi, y, decimals: int, level, text: dict, kwargs: dict) -> tuple[list, list]:
    """Each level's estimate with its interval and value, 'n/a' where there is none; the legend entries."""
    from matplotlib.transforms import blended_transform_factory

    ok = np.isfinite(est)
    handles, labels = [], []
    if ok.any():
        xerr = np.vstack([est - lo, hi - est])[:, ok]
        container = ax.errorbar(est[ok], y[ok], xerr=np.nan_to_num(xerr), **{
            "fmt": "o", "color": BLUES[0], "ecolor": BLUES[0], "elinewidth": 1.6, "capsize": 3,
            "markersize": 5.5, "markeredgecolor": "white", "markeredgewidth": 0.6, "zorder": 3, **kwargs})
        handles.append(container)
        labels.append(text["estimate_ci"].format(level=f"{level:.0%}") if isinstance(level, Real)
                      else text["estimate_ci_nolevel"])
        for e, h, yi in zip(est[ok], hi[ok], y[ok]):
            ax.annotate(_fmt(e, decimals), (h if np.isfinite(h) else e, yi), xytext=(5, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=8.5, color=INK)
    along = blended_transform_factory(ax.transAxes, ax.transData)
    for yi in y[~ok]:
        ax.text(0.01, yi, NA_TEXT, transform=along, ha="left", va="center", fontsize=8.5, color=LIGHT_INK,
                gid="index_na")
    return handles, labels


def _x_limits(ax, ends: np.ndarray) -> None:
    """An x range over every finite value, with room on the right for the value labels."""
    ends = ends[np.isfinite(ends)]
    if ends.size:
        span = float(ends.max() - ends.min()) or max(abs(float(ends.max())) * 0.1, 1.0)
        ax.set_xlim(ends.min() - 0.06 * span, ends.max() + 0.16 * span)


def _heading_ticks(ax, y, entries: list, label_width: int) -> None:
    """Level labels with their n, and segment headings set apart (larger, in ink)."""
    def tick(heading, row):
        if row is None:
            return heading
        n = row.get("n_obs")
        tail = f"  (n={int(n)})" if n is not None and not pd.isna(n) else ""
        return wrap_label(row["level"], label_width) + tail

    ax.set_yticks(y, [tick(h, r) for h, r in entries])
    for ticklabel, (heading, _) in zip(ax.get_yticklabels(), entries):
        if heading is not None:  # no bold: the CJK fonts often ship in one weight only
            ticklabel.set_fontsize(10.5)
            ticklabel.set_color(INK)
    ax.tick_params(axis="y", length=0)
