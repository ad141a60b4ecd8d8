"""Figures of open-comment themes: theme bars (by segment), co-occurrence heatmap, mentioners vs
non-mentioners, and a word cloud drawn with the CJK font."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd

from .._labels import LANGUAGES
from .._stars import stars
from ..errors import check_option
from ._draw import legend_below as _legend_below
from ._style import (
    BLUES,
    GRID,
    INK,
    LIGHT_INK,
    SERIES_COLORS,
    figure_style,
    new_axes,
    percent_tick,
    plain_axes,
    result_table,
    text_color_on,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_cooccurrence", "plot_theme_polarity", "plot_theme_satisfaction", "plot_themes"]

#: plain mentions in the house blue, negated ones in Okabe & Ito's orange: negation is not
#: sentiment (不贵 is negated and favourable), so neither colour says good or bad.
PLAIN_COLOR = BLUES[1]
NEGATED_COLOR = "#E69F00"
NON_MENTIONERS_COLOR = "#8c8c8c"
#: word-cloud colours by frequency rank (most frequent first), dark enough on white
NEGATED_HATCH = "////"

_TEXT = {
    "zh": {
        "plain": "提及（未否定）", "negated": "否定提及（如“不贵”“质量不太好”）", "negated_short": "否定提及",
        "mentioned": "提及", "share": "提及该主题的受访者占有效回答的比例（n = {n}）",
        "share_by": "提及该主题的受访者占该群体有效回答的比例",
        "mentioners": "提及者", "non_mentioners": "未提及者", "plain_mentioners": "提及（未否定）者",
        "negated_mentioners": "否定提及者", "ci": "（{level} 置信区间）", "difference": "差值", "p": "p 值",
        "respondents": "同时提及两个主题的受访者人数", "respondents_share": "同时提及两个主题的受访者占有效回答的比例",
        "diagonal": "对角线：提及该主题的人数",
    },
    "en": {
        "plain": "Mentioned (not negated)", "negated": "Negated mention (e.g. 不贵, 质量不太好)",
        "negated_short": "Negated mention", "mentioned": "Mentioned",
        "share": "Share of respondents with a substantive answer who mention the theme (n = {n})",
        "share_by": "Share of each group's substantive answers that mention the theme",
        "mentioners": "Mentioners", "non_mentioners": "Non-mentioners", "plain_mentioners": "Mentioned, not negated",
        "negated_mentioners": "Negated mention", "ci": " ({level} CI)", "difference": "Difference", "p": "p",
        "respondents": "Respondents mentioning both themes", "respondents_share":
            "Share of substantive answers mentioning both themes",
        "diagonal": "Diagonal: respondents mentioning the theme",
    },
}


# ----------------------------------------------------------------------------- shared helpers

def _counts_of(result, function: str, parameter: str = "counts"):
    """(ThemeCounts, FieldThemes or None) from a ThemeCounts or a FieldThemes."""
    if hasattr(result, "counts") and hasattr(result, "segments") and hasattr(result.counts, "themes"):
        return result.counts, result
    if hasattr(result, "themes") and hasattr(result, "table") and hasattr(result, "cooccurrence"):
        return result, None
    raise ValueError(f"The {parameter!r} parameter of {function} must be a ThemeCounts (surveykit.text.counts."
                     f"theme_counts) or one field of survey_themes (result['comment']). Got {type(result).__name__} "
                     "instead.")


def _names(counts, language: str) -> dict:
    """theme id -> label: the name in ``language``; sub-themes indented under their parent."""
    out = {}
    for t in counts.themes:
        name = t.name(language)
        out[t.id] = f"· {name}" if t.parent is not None else name
    return out


def _percent(v: float) -> str:
    return f"{100 * v:.0f}%" if np.isfinite(v) else "n/a"


# ----------------------------------------------------------------------------- theme bars

def _shares(table: pd.DataFrame, weighted: bool) -> tuple[np.ndarray, np.ndarray]:
    """(share, negated share) per row of a counts table; the negated share as ``share * negated / count``."""
    share = table["weighted_share" if weighted else "share"].to_numpy(float)
    count = table["weighted_count" if weighted else "count"].to_numpy(float)
    neg = table["weighted_negated_count" if weighted else "negated_count"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        neg_share = np.where(count > 0, share * neg / count, 0.0)
    return np.nan_to_num(share), np.nan_to_num(neg_share)


def _theme_order(c, table: pd.DataFrame, weighted: bool) -> list:
    """Themes from the most to the least mentioned, each sub-theme under its parent."""
    share = table["weighted_share" if weighted else "share"]
    parents = [t for t in table.index if c.themes[t].parent is None]
    parents.sort(key=lambda t: -share[t])
    return [x for p in parents for x in [p] + [t for t in table.index if c.themes[t].parent == p]]


def _segment_counts(c, field, by, function: str):
    """The counts by segment that ``by`` names: a segment of a FieldThemes, or the one a ThemeCounts was counted by."""
    if field is not None:
        if not field.segments:
            raise ValueError(f"The 'by' parameter of {function} is {by!r}, but the result was counted by no "
                             "segment: call survey_themes(data, by=[...]).")
        check_option("by", by, list(field.segments), function=function)
        return field.segments[by]
    if c.by_segment is None:
        raise ValueError(f"The 'by' parameter of {function} is {by!r}, but the counts have no segments: call "
                         "theme_counts(..., by=segment_labels).")
    if by is not True and c.segment is not None:
        check_option("by", by, [c.segment, True], function=function)
    return c


def _overall_bars(ax, c, table: pd.DataFrame, names: dict, text: dict, *, weighted: bool, negated: bool,
                  label_width: int, **kwargs):
    """One bar per theme (rows of ``table``, top to bottom): plain, then negated mentions; (ax, handles, labels)."""
    ids, n_themes = list(table.index), len(table)
    share, neg = _shares(table, weighted)
    if ax is None:
        ax = new_axes((7.0, 0.42 * n_themes + 1.5))
    y = np.arange(n_themes)[::-1].astype(float)
    bar_kw = {"height": 0.66, "edgecolor": "white", "linewidth": 0.6, **kwargs}
    handles, labels = [], []
    plain = share - neg if negated else share
    handles.append(ax.barh(y, plain, **{"color": PLAIN_COLOR, **bar_kw}))
    labels.append(text["plain"] if negated else text["mentioned"])
    if negated:
        handles.append(ax.barh(y, neg, left=plain, **{"color": NEGATED_COLOR, **bar_kw}))
        labels.append(text["negated"])
    for yi, s, n in zip(y, share, table["count"].to_numpy()):
        ax.text(s, yi, f"  {_percent(s)} ({int(n):,})", ha="left", va="center", fontsize=8.5, color=INK,
                gid="theme_share")
    ax.set_yticks(y, [wrap_label(names[t], label_width) for t in ids])
    top = float(np.max(share)) if len(share) else 0.0
    ax.set_xlim(0, max(top * 1.25, 0.05))
    ax.set_ylim(-0.6, n_themes - 0.4)
    ax.set_xlabel(text["share"].format(n=f"{c.n_obs:,}"))
    return ax, handles, labels


def _segment_bars(ax, seg_counts, ids: list, names: dict, text: dict, *, weighted: bool, negated: bool,
                  label_width: int, **kwargs):
    """A group of bars per theme, one bar per segment level (negated part hatched); (ax, handles, labels)."""
    n_themes = len(ids)
    levels = list(seg_counts.segment_table("share").columns)
    L = max(len(levels), 1)
    share_tab = seg_counts.segment_table("weighted_share" if weighted else "share").loc[ids]
    count_tab = seg_counts.segment_table("weighted_count" if weighted else "count").loc[ids]
    neg_tab = seg_counts.segment_table("weighted_negated_count" if weighted else "negated_count").loc[ids]
    base = seg_counts.segment_table("n_substantive").iloc[0]
    if ax is None:
        ax = new_axes((7.0, (0.22 * L + 0.25) * n_themes + 1.6))
    group = 0.8
    h = group / L
    centers = np.arange(n_themes)[::-1].astype(float)
    handles, labels = [], []
    for j, level in enumerate(levels):
        color = SERIES_COLORS[j % len(SERIES_COLORS)]
        y = centers + group / 2 - h * (j + 0.5)
        s = np.nan_to_num(share_tab[level].to_numpy(float))
        with np.errstate(divide="ignore", invalid="ignore"):
            cnt = count_tab[level].to_numpy(float)
            ng = np.where(cnt > 0, s * neg_tab[level].to_numpy(float) / cnt, 0.0)
        plain = s - ng if negated else s
        bar_kw = {"height": h * 0.92, "linewidth": 0, **kwargs}
        bars = ax.barh(y, plain, **{"color": color, **bar_kw})
        if negated:
            ax.barh(y, ng, left=plain, **{"color": color, "alpha": 0.55, "hatch": NEGATED_HATCH,
                                          "edgecolor": "white", **bar_kw})
        handles.append(bars)
        labels.append(f"{level} (n={int(base[level]):,})")
        for yi, v in zip(y, s):
            ax.text(v, yi, f" {_percent(v)}", ha="left", va="center", fontsize=7, color=LIGHT_INK,
                    gid="theme_share")
    if negated:
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor="#bdbdbd", hatch=NEGATED_HATCH, edgecolor="white"))
        labels.append(text["negated_short"])
    ax.set_yticks(centers, [wrap_label(names[t], label_width) for t in ids])
    top = float(np.nanmax(share_tab.to_numpy(float))) if share_tab.size else 0.0
    ax.set_xlim(0, max((top if np.isfinite(top) else 0) * 1.22, 0.05))
    ax.set_ylim(-0.6, n_themes - 0.4)
    ax.set_xlabel(text["share_by"])
    return ax, handles, labels


def plot_themes(counts, *, by=None, negated=True, weighted=None, ax=None, language="zh", sort=False,
                label_width: int = 16, **kwargs):
    """Horizontal bars of the share of respondents who mention each theme, negated mentions stacked.

    Parameters
    ----------
    counts : ThemeCounts or FieldThemes
        From :func:`~surveykit.text.counts.theme_counts`, or one field of
        :func:`~surveykit.text.survey.survey_themes` (``result['comment']``).
    by : str or True, optional
        Bars grouped by segment: the name of a segment of a FieldThemes (``'region'``), or the
        segment a ThemeCounts was counted by (its name, or True). One bar per level in each
        theme's group, coloured by level; the legend gives each level's substantive answers.
    negated : bool, default True
        Split each bar into mentions that are never negated and mentions negated at least once
        (hatched when grouped by segment).
    weighted : bool, optional
        Use the weighted shares (default: when the counts are weighted).
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of themes (and levels).
    language : {'zh', 'en'}, default 'zh'
        Language of the theme names, axis label and legend.
    sort : bool, default False
        Themes from the most to the least mentioned (sub-themes stay under their parent).
        Default: the dictionary's order.
    label_width : int, default 16
        Width of the theme names before wrapping, in columns (a Chinese character counts two).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` (e.g. ``height=0.6``).

    Returns
    -------
    matplotlib.axes.Axes
        Bar containers (``ax.containers``): overall, the plain part then (with ``negated``) the
        negated part, one bar per theme top to bottom; by segment, the same two per level.
        Share labels at the bar ends have gid ``'theme_share'``.

    Raises
    ------
    ValueError
        If ``counts`` is not a theme-count result, ``by`` names no segment of it, or an
        option is not one of its values.

    Notes
    -----
    A bar's length is the share of respondents with a substantive answer who mention the
    theme in any polarity (``share``); its negated part is the share who negate it at least
    once (``negated_count / n``), so the two parts add up to the bar. Negation is not
    sentiment: 不贵 is negated and favourable, 太贵了 plain and unfavourable, hence colours
    that mean neither good nor bad. A respondent may mention several themes: the bars do not
    add up to 100%.

    Examples
    --------
    >>> from surveykit.text.counts import theme_counts
    >>> from surveykit.plotting.text import plot_themes
    >>> r = theme_counts(["价格太贵了", "价格不贵，物流很快", "质量不太好", "无"], "customer_value")
    >>> ax = plot_themes(r)
    >>> [round(float(b.get_width()), 3) for b in ax.containers[0]]  # plain part: price, quality, service ...
    [0.333, 0.0, 0.0, 0.333, 0.0]
    """
    function = "plot_themes"
    check_option("language", language, LANGUAGES, function=function)
    check_option("negated", negated, (True, False), function=function)
    check_option("sort", sort, (True, False), function=function)
    c, field = _counts_of(counts, function)
    table = result_table(c, "table", ["count", "share", "negated_count"], function, parameter="counts")
    weighted = c.weighted if weighted is None else weighted
    check_option("weighted", weighted, (True, False), function=function)
    if weighted and not c.weighted:
        raise ValueError(f"The 'weighted' parameter of {function} is True, but the counts are not weighted: pass "
                         "weights to theme_counts (or a weight column in the questionnaire).")
    text = _TEXT[language]
    names = _names(c, language)
    ids = _theme_order(c, table, weighted) if sort else list(table.index)
    seg_counts = None if by is None else _segment_counts(c, field, by, function)
    with figure_style():
        if seg_counts is None:
            ax, handles, labels = _overall_bars(ax, c, table.loc[ids], names, text, weighted=weighted, negated=negated,
                                                label_width=label_width, **kwargs)
        else:
            ax, handles, labels = _segment_bars(ax, seg_counts, ids, names, text, weighted=weighted, negated=negated,
                                                label_width=label_width, **kwargs)
        ax.xaxis.set_major_formatter(percent_tick)
        ax.tick_params(axis="y", length=0)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        _legend_below(ax, handles, labels, 40, ncol=min(len(handles), 3))
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- polarity of mentions

#: Diverging polarity bars: red-orange negative, grey neutral, blue positive (colour-blind safe)
POLARITY_COLORS = {"negative": "#D55E00", "neutral": "#BDBDBD", "positive": "#0072B2"}
_POLARITY_TEXT = {
    "zh": {"negative": "负面", "neutral": "中性", "positive": "正面",
           "axis": "占提及者的比例（左：负面，右：正面；中性居中）", "n": "{n:,} 人提及"},
    "en": {"negative": "Negative", "neutral": "Neutral", "positive": "Positive",
           "axis": "Share of mentioners (negative left, positive right; neutral centred)", "n": "{n:,} mentioners"},
}


def plot_theme_polarity(counts, *, weighted=None, ax=None, language="zh", sort=False, label_width: int = 16,
                        **kwargs):
    """Diverging bars of the polarity of each theme's mentions: negative to the left, positive to the right.

    Parameters
    ----------
    counts : ThemeCounts or FieldThemes
        From :func:`~surveykit.text.counts.theme_counts`, or one field of
        :func:`~surveykit.text.survey.survey_themes` (``result['comment']``).
    weighted : bool, optional
        Use the weighted counts (default: when the counts are weighted).
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of themes.
    language : {'zh', 'en'}, default 'zh'
    sort : bool, default False
        Themes from the largest to the smallest negative share (default: the dictionary's order).
    label_width : int, default 16
        Width of the theme names before wrapping, in columns (a Chinese character counts two).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        Three bar containers (``ax.containers``), one bar per theme top to bottom: negative
        (drawn leftwards from the neutral part), neutral (centred on 0), positive. Labels with
        each theme's mentioners have gid ``'theme_mentions'``.

    Raises
    ------
    ValueError
        If ``counts`` is not a theme-count result, or an option is not one of its values.

    Notes
    -----
    Each bar is the theme's mentioners (100%): the neutral share is centred on zero, the
    negative share extends it to the left and the positive share to the right (the usual
    diverging chart of Likert answers). Polarity is that of
    :mod:`surveykit.text.polarity`; a theme nobody mentions has no bar.

    Examples
    --------
    >>> from surveykit.text.counts import theme_counts
    >>> from surveykit.plotting.text import plot_theme_polarity
    >>> r = theme_counts(["价格太贵了", "价格便宜", "价格太贵", "质量很好"], "customer_value")
    >>> ax = plot_theme_polarity(r, language="en")
    >>> round(float(ax.containers[0][0].get_width()), 3)  # price: 2 of 3 mentioners negative
    -0.667
    """
    function = "plot_theme_polarity"
    check_option("language", language, LANGUAGES, function=function)
    check_option("sort", sort, (True, False), function=function)
    c, _ = _counts_of(counts, function)
    cols = ["count", "positive_count", "negative_count", "neutral_count"]
    table = result_table(c, "table", cols, function, parameter="counts")
    weighted = c.weighted if weighted is None else weighted
    check_option("weighted", weighted, (True, False), function=function)
    if weighted and not c.weighted:
        raise ValueError(f"The 'weighted' parameter of {function} is True, but the counts are not weighted: pass "
                         "weights to theme_counts (or a weight column in the questionnaire).")
    pre = "weighted_" if weighted else ""
    count = table[f"{pre}count"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = {p: np.where(count > 0, table[f"{pre}{p}_count"].to_numpy(float) / count, 0.0)
                 for p in ("negative", "neutral", "positive")}
    ids = list(table.index)
    if sort:
        ids = [ids[i] for i in np.argsort(-share["negative"], kind="stable")]
        order = [list(table.index).index(t) for t in ids]
        share = {p: v[order] for p, v in share.items()}
        count = count[order]
    text, names = _POLARITY_TEXT[language], _names(c, language)
    n_themes = len(ids)
    with figure_style():
        if ax is None:
            ax = new_axes((7.0, 0.42 * n_themes + 1.6))
        y = np.arange(n_themes)[::-1].astype(float)
        bar_kw = {"height": 0.66, "edgecolor": "white", "linewidth": 0.6, **kwargs}
        half = share["neutral"] / 2
        handles = [ax.barh(y, -share["negative"], left=-half, **{"color": POLARITY_COLORS["negative"], **bar_kw}),
                   ax.barh(y, share["neutral"], left=-half, **{"color": POLARITY_COLORS["neutral"], **bar_kw}),
                   ax.barh(y, share["positive"], left=half, **{"color": POLARITY_COLORS["positive"], **bar_kw})]
        for yi, neg, pos, h, n in zip(y, share["negative"], share["positive"], half, count):
            if n > 0:
                ax.text(-h - neg, yi, f"{_percent(neg)}  ", ha="right", va="center", fontsize=8, color=INK)
                ax.text(h + pos, yi, f"  {_percent(pos)}", ha="left", va="center", fontsize=8, color=INK)
        ax.set_yticks(y, [wrap_label(f"{names[t]} ({text['n'].format(n=int(round(n)))})", label_width)
                          for t, n in zip(ids, count)])
        for label in ax.get_yticklabels():
            label.set_gid("theme_mentions")
        ax.axvline(0, color=LIGHT_INK, linewidth=0.8)
        ax.set_xlim(-1.15, 1.15)
        ax.set_ylim(-0.6, n_themes - 0.4)
        ax.xaxis.set_major_formatter(_abs_percent_tick)
        ax.set_xlabel(text["axis"])
        ax.tick_params(axis="y", length=0)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        _legend_below(ax, handles, [text[p] for p in ("negative", "neutral", "positive")], 40, ncol=3)
        use_cjk_fonts(ax)
    return ax


def _abs_percent_tick(value, _pos=None) -> str:
    """A share either side of zero as a tick label: -0.25 -> '25%' (module level: figures pickle)."""
    return f"{abs(100 * value):.0f}%"


# ----------------------------------------------------------------------------- co-occurrence

def plot_cooccurrence(counts, *, value="count", ax=None, language="zh", annotate=True, label_width: int = 12,
                      **kwargs):
    """Heatmap of how many respondents mention two themes together.

    Parameters
    ----------
    counts : ThemeCounts or FieldThemes
    value : {'count', 'share'}, default 'count'
        Respondents, or their share of the substantive answers.
    ax : matplotlib Axes, optional
        Where to draw. By default a new square figure sized to the number of themes.
    language : {'zh', 'en'}, default 'zh'
    annotate : bool, default True
        Write the value in each cell.
    label_width : int, default 12
        Width of the theme names before wrapping, in columns.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow` (e.g. ``cmap='Greens'``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0]`` holds the matrix (theme x theme, dictionary order) with the diagonal
        masked; the diagonal cells are grey and give each theme's own count.

    Raises
    ------
    ValueError
        If ``counts`` is not a theme-count result or an option is not one of its values.

    Notes
    -----
    Cell (i, j) counts the respondents who mention both themes (in any polarity); the matrix
    is symmetric. The colour scale spans the off-diagonal cells only, so that the themes'
    own counts on the diagonal do not wash the pairs out. A sub-theme co-occurs with its
    parent by construction.

    Examples
    --------
    >>> from surveykit.text.counts import theme_counts
    >>> from surveykit.plotting.text import plot_cooccurrence
    >>> r = theme_counts(["价格太贵，质量一般", "质量好物流快", "价格便宜"], "customer_value")
    >>> ax = plot_cooccurrence(r)
    >>> int(ax.images[0].get_array()[0, 1])  # price and quality together
    1
    """
    function = "plot_cooccurrence"
    check_option("language", language, LANGUAGES, function=function)
    check_option("value", value, ("count", "share"), function=function)
    c, _ = _counts_of(counts, function)
    matrix = getattr(c, "cooccurrence", None)
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise ValueError(f"The 'counts' parameter of {function} has no co-occurrence matrix: nothing to draw.")
    m = matrix.to_numpy(float)
    if value == "share":
        m = m / c.n_obs if c.n_obs else np.full_like(m, np.nan)
    k = len(m)
    diag = np.eye(k, dtype=bool)
    masked = np.ma.masked_array(m, mask=diag)
    text = _TEXT[language]
    names = _names(c, language)
    labels = [wrap_label(names[t], label_width) for t in matrix.index]
    with figure_style():
        if ax is None:
            side = 0.62 * k + 2.2
            ax = new_axes((side + 1.0, side))
        import matplotlib as mpl

        cmap = mpl.colormaps[kwargs.pop("cmap", "Blues")].with_extremes(bad=GRID)
        off = m[~diag]
        vmax = float(np.nanmax(off)) if off.size and np.isfinite(off).any() and np.nanmax(off) > 0 else 1.0
        image = ax.imshow(masked, **{"cmap": cmap, "vmin": 0, "vmax": vmax, "aspect": "equal", **kwargs})
        if annotate:
            for i in range(k):
                for j in range(k):
                    v = m[i, j]
                    label = (f"{int(round(v)):,}" if value == "count" else _percent(v)) if np.isfinite(v) else ""
                    color = INK if diag[i, j] else text_color_on(cmap(image.norm(v)))
                    ax.text(j, i, label, ha="center", va="center", fontsize=8, color=color,
                            gid="cooccurrence_diagonal" if diag[i, j] else "cooccurrence_value")
        ax.set_xticks(range(k), labels, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(k), labels)
        ax.tick_params(length=0)
        ax.grid(False)
        for side in ax.spines.values():
            side.set_visible(False)
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.75, pad=0.02)
        bar.set_label(text["respondents" if value == "count" else "respondents_share"], fontsize=8.5)
        if value == "share":
            bar.formatter = percent_tick
            bar.update_ticks()
        bar.outline.set_visible(False)
        ax.set_xlabel(text["diagonal"], fontsize=8.5, color=LIGHT_INK)
        use_cjk_fonts(ax.figure)
    return ax


# ----------------------------------------------------------------------------- mentioners vs non-mentioners

def _field_of(result, field, function: str):
    if hasattr(result, "fields") and isinstance(result.fields, Mapping):
        if field is None:
            if len(result.fields) != 1:
                raise ValueError(f"The 'field' parameter of {function} is needed: the result has "
                                 f"{len(result.fields)} open-text fields ({', '.join(map(repr, result.fields))}).")
            field = next(iter(result.fields))
        check_option("field", field, list(result.fields), function=function)
        return result.fields[field]
    if hasattr(result, "comparison") and hasattr(result, "counts"):
        return result
    raise ValueError(f"The 'result' parameter of {function} must be the result of survey_themes (or one of its fields, "
                     f"result['comment']). Got {type(result).__name__} instead.")


def _p_text(p: float) -> str:
    if not np.isfinite(p):
        return ""
    return ("p<0.001" if p < 0.001 else f"p={p:.3f}") + stars(p)  # stars by the one convention (surveykit.stars)


def _group_estimates(ax, groups: list, others: list, centers: np.ndarray, offsets: np.ndarray, **kwargs):
    """Each group's estimates with their intervals, one row per theme; the x-range fits them. (handles, labels)."""
    handles, labels = [], []
    ends = []
    for (label, color, marker, rs), dy in zip(groups, offsets):
        prefix = "non_mentioners" if rs is others else "mentioners"
        est = np.array([r[prefix] if r is not None else np.nan for r in rs], float)
        lo = np.array([r[f"{prefix}_ci_low"] if r is not None else np.nan for r in rs], float)
        hi = np.array([r[f"{prefix}_ci_high"] if r is not None else np.nan for r in rs], float)
        ok = np.isfinite(est)
        err = np.vstack([est - lo, hi - est])
        container = ax.errorbar(est[ok], (centers + dy)[ok], xerr=np.nan_to_num(err[:, ok]), **{
            "fmt": marker, "color": color, "ecolor": color, "elinewidth": 1.4, "capsize": 2.5, "markersize": 5.5,
            "markeredgecolor": "white", "markeredgewidth": 0.6, "zorder": 3, **kwargs})
        handles.append(container)
        labels.append(label)
        ends += [*est[ok], *lo[np.isfinite(lo)], *hi[np.isfinite(hi)]]
    ends = np.array(ends, float)
    lo_x, hi_x = (float(ends.min()), float(ends.max())) if ends.size else (0.0, 1.0)
    span = (hi_x - lo_x) or 1.0
    ax.set_xlim(lo_x - 0.06 * span, hi_x + 0.06 * span)
    return handles, labels


def _difference_column(ax, groups: list, centers: np.ndarray, offsets: np.ndarray, text: dict, *, split: bool):
    """The difference and its p-value beside each theme's row, right of the axes."""
    from matplotlib.transforms import blended_transform_factory

    along = blended_transform_factory(ax.transAxes, ax.transData)
    top = len(centers) - 1 + 0.5
    ax.text(1.03, top, text["difference"], transform=along, ha="left", va="bottom", fontsize=8.5, color=LIGHT_INK)
    ax.text(1.17, top, text["p"], transform=along, ha="left", va="bottom", fontsize=8.5, color=LIGHT_INK)
    for j, yi in enumerate(centers):
        rs = [g[3][j] for g in groups]
        for r, dy, g in zip(rs, offsets[:len(rs)], groups):
            if r is None:
                continue
            y = yi + (dy if split else 0)
            diff = r["difference"]
            ax.text(1.03, y, f"{diff:+.1f}" if np.isfinite(diff) else "n/a", transform=along, ha="left",
                    va="center", fontsize=9, color=g[1] if split else INK, gid="theme_difference")
            ax.text(1.17, y, _p_text(r["p_value"]), transform=along, ha="left", va="center", fontsize=8.5,
                    color=LIGHT_INK, gid="theme_p")


def plot_theme_satisfaction(result, *, measure=None, polarity="any", field=None, ax=None, language="zh",
                            label_width: int = 16, **kwargs):
    """Mean satisfaction (or NPS) of respondents who mention each theme against those who do not.

    Parameters
    ----------
    result : SurveyThemes or FieldThemes
        From :func:`~surveykit.text.survey.survey_themes`.
    measure : str, optional
        The outcome index (default: the one compared, e.g. ``'satisfaction_index'``) or ``'nps'``.
    polarity : {'any', 'split'}, default 'any'
        'any': mentioners against non-mentioners; 'split': mentioners who never negate the
        theme and those who negate it, separately (where there were enough of both; the other
        themes show all mentioners), against non-mentioners.
    field : str, optional
        The open-text field, when ``result`` holds several.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of themes.
    language : {'zh', 'en'}, default 'zh'
    label_width : int, default 16
        Width of the theme names before wrapping, in columns.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar` for every group.

    Returns
    -------
    matplotlib.axes.Axes
        One errorbar container per group (``ax.containers``): mentioners (or plain, then
        negated mentioners) and non-mentioners, one point per theme top to bottom, with the
        group mean's confidence interval. The difference and its p-value are texts right of
        the plot (gids ``'theme_difference'`` and ``'theme_p'``).

    Raises
    ------
    ValueError
        If the result has no comparison (no satisfaction or NPS role in the questionnaire), an
        unknown ``measure`` or ``field``, or an option not one of its values.

    Notes
    -----
    Each point is a group's mean (or NPS) with its normal confidence interval; the
    difference column is mentioners minus non-mentioners and its p-value that of
    :func:`~surveykit.text.survey.survey_themes` (Welch's t test; the design-based t test when
    weighted; a z test for the NPS). Non-overlapping intervals are not the test: read the
    p-value. With many themes, expect about one p below 0.05 in twenty by chance.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.text.survey import survey_themes
    >>> from surveykit.plotting.text import plot_theme_satisfaction
    >>> r = survey_themes(sk.example_data(), by=[])
    >>> ax = plot_theme_satisfaction(r)
    >>> len(ax.containers), len(ax.containers[0].lines[0].get_xdata())
    (2, 5)
    """
    function = "plot_theme_satisfaction"
    check_option("language", language, LANGUAGES, function=function)
    check_option("polarity", polarity, ("any", "split"), function=function)
    f = _field_of(result, field, function)
    if f.comparison is None:
        raise ValueError(f"The 'result' parameter of {function} has no comparison of mentioners and non-mentioners: "
                         "the questionnaire has neither a satisfaction (or other outcome) role nor an 'nps' role. "
                         + " ".join(f.notes))
    cmp = f.comparison
    measures = list(pd.unique(cmp.index.get_level_values("measure")))
    measure = measure if measure is not None else (f.outcome if f.outcome in measures else measures[0])
    check_option("measure", measure, measures, function=function)
    rows = cmp.loc[measure]
    text = _TEXT[language]
    names = _names(f.counts, language)
    themes = list(pd.unique(rows.index.get_level_values("theme")))
    n = len(themes)
    level = getattr(f, "ci_level", None)
    if measure == "nps":
        xlabel = "NPS"
    else:
        from .._labels import index_label

        xlabel = index_label(measure, language)
    if isinstance(level, Real):
        xlabel += text["ci"].format(level=f"{level:.0%}")

    def pick(theme, pol):
        return rows.loc[(theme, pol)] if (theme, pol) in rows.index else None

    groups = []  # (label, color, marker, [row per theme or None])
    if polarity == "any":
        groups.append((text["mentioners"], BLUES[0], "o", [pick(t, "any") for t in themes]))
    else:
        plain = [pick(t, "plain") if pick(t, "plain") is not None else pick(t, "any") for t in themes]
        groups.append((text["plain_mentioners"], BLUES[0], "o", plain))
        groups.append((text["negated_mentioners"], NEGATED_COLOR, "D", [pick(t, "negated") for t in themes]))
    others = [pick(t, "any") for t in themes]

    with figure_style():
        if ax is None:
            ax = new_axes((7.6, (0.5 if polarity == "any" else 0.62) * n + 1.7))
        centers = np.arange(n)[::-1].astype(float)
        k = len(groups) + 1
        offsets = np.linspace(0.18, -0.18, k) if k == 2 else np.linspace(0.25, -0.25, k)
        all_groups = [*groups, (text["non_mentioners"], NON_MENTIONERS_COLOR, "s", others)]
        handles, labels = _group_estimates(ax, all_groups, others, centers, offsets, **kwargs)
        _difference_column(ax, groups, centers, offsets, text, split=polarity == "split")
        any_rows = [pick(t, "any") for t in themes]
        ticks = [wrap_label(names[t], label_width) + (f"\n(n={int(r['n_mentioners']):,})" if r is not None else "")
                 for t, r in zip(themes, any_rows)]
        ax.set_yticks(centers, ticks)
        for yi in centers[::2]:  # bands help the eye across to the difference column
            ax.axhspan(yi - 0.5, yi + 0.5, color="#f5f5f5", linewidth=0, zorder=0.2)
        ax.set_ylim(-0.6, n - 0.4 + 0.3)
        ax.set_xlabel(wrap_label(xlabel, 64))
        ax.tick_params(axis="y", length=0)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        _legend_below(ax, handles, labels, 26 + 13 * (xlabel.count("\n") + 1))
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- word cloud
