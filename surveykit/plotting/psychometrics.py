"""Figures of the psychometric results: scree with parallel analysis, loadings, item-total bars."""

from __future__ import annotations

import re
from numbers import Real

import numpy as np
import pandas as pd

from .._labels import LANGUAGES
from ..errors import check_option
from ._draw import legend_below
from ._style import (
    BLUES,
    INK,
    LIGHT_INK,
    REDS,
    check_unit,
    figure_style,
    new_axes,
    plain_axes,
    result_table,
    text_color_on,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_scree", "plot_loadings", "plot_item_total"]


_TEXT = {
    "en": {
        "eigenvalue": "Eigenvalue",
        "x_both": "Factor or component number", "x_factors": "Factor number", "x_components": "Component number",
        "components": "Components", "factors": "Factors", "suggested": "{what} (suggested: {n})",
        "simulated": "Simulated {what} ({threshold})", "kaiser": "Eigenvalue = 1 (Kaiser)",
        "loading": "Loading",
        "citc": "Corrected item-total correlation", "alpha": "Cronbach's α = {alpha}",
        "ok": "r ≥ {t}", "low": "r < {t} (review the item)", "threshold": "Threshold {t}",
        "if_deleted": "α if deleted: {a}",
    },
    "zh": {
        "eigenvalue": "特征值",
        "x_both": "因子/主成分数", "x_factors": "因子数", "x_components": "主成分数",
        "components": "主成分", "factors": "因子", "suggested": "{what}（建议：{n}）",
        "simulated": "模拟{what}（{threshold}）", "kaiser": "特征值 = 1（Kaiser 准则）",
        "loading": "载荷",
        "citc": "校正项总相关（CITC）", "alpha": "Cronbach's α = {alpha}",
        "ok": "r ≥ {t}", "low": "r < {t}（建议复查该题）", "threshold": "临界值 {t}",
        "if_deleted": "删除后 α = {a}",
    },
}


# ----------------------------------------------------------------------------- input checks

def _threshold_text(threshold: str, language: str) -> str:
    """'95th percentile' -> '第 95 百分位数' in Chinese; other languages keep the text."""
    if language != "zh":
        return threshold
    text = threshold.strip()
    known = {"mean": "均值", "median": "中位数"}
    if text.lower() in known:
        return known[text.lower()]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:st|nd|rd|th)?\s*percentile", text, re.IGNORECASE)
    return f"第 {match.group(1)} 百分位数" if match else text


def _suggested(result, attribute: str):
    n = getattr(result, attribute, None)
    return None if n is None or (isinstance(n, float) and np.isnan(n)) else int(n)


# ----------------------------------------------------------------------------- scree

def plot_scree(result, *, kind="both", language="en", ax=None, **kwargs):
    """Scree plot with the parallel-analysis threshold: retain what lies above the dashed line.

    Parameters
    ----------
    result : parallel-analysis result
        Any object with ``eigenvalues``, a DataFrame indexed by factor / component number
        (1 .. p) with columns ``observed_pc``, ``simulated_pc``, ``observed_fa`` and
        ``simulated_fa``; ``threshold``, a text saying what the simulated eigenvalues are
        (e.g. ``'95th percentile'`` or ``'mean'``); and ``n_factors`` and
        ``n_components``, the suggested numbers (None leaves the suggestion out). Only the
        columns of the ``kind`` drawn are needed.
    kind : {'both', 'factors', 'components'}, default 'both'
        Eigenvalues of the principal components (of the correlation matrix), of the common
        factors (of the reduced correlation matrix), or both.
    language : {'en', 'zh'}, default 'en'
        Language of the axis labels and the legend.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure is made.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for every eigenvalue line (e.g.
        ``linewidth=2``), overriding the defaults.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``kind`` or ``language`` is not one of its options, or ``result.eigenvalues``
        lacks a column the ``kind`` drawn needs.

    Notes
    -----
    Observed eigenvalues are solid lines with markers, the simulated ones (the threshold
    of parallel analysis) dashed lines of the same colour, and the suggested numbers of
    components and factors are ringed and named in the legend. Components get a dotted
    reference line at eigenvalue 1 (Kaiser's criterion), shown for comparison only: it
    overstates the number of components. In R: ``psych::fa.parallel(x, fa="both")``.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from surveykit.plotting import plot_scree
    >>> eig = pd.DataFrame({"observed_pc": [3.1, 1.4, 0.8, 0.4, 0.3], "simulated_pc": [1.3, 1.15, 1.0, 0.85, 0.7],
    ...                     "observed_fa": [2.6, 0.9, 0.2, 0.0, -0.1], "simulated_fa": [0.4, 0.2, 0.1, 0.0, -0.1]},
    ...                    index=pd.RangeIndex(1, 6, name="number"))
    >>> pa = SimpleNamespace(eigenvalues=eig, threshold="95th percentile", n_factors=2, n_components=2)
    >>> ax = plot_scree(pa, language="zh")
    >>> ax.get_ylabel()
    '特征值'
    """
    check_option("kind", kind, ("both", "factors", "components"), function="plot_scree")
    check_option("language", language, LANGUAGES, function="plot_scree")
    drawn = {"both": ("pc", "fa"), "components": ("pc",), "factors": ("fa",)}[kind]
    columns = [f"{which}_{k}" for k in drawn for which in ("observed", "simulated")]
    eig = result_table(result, "eigenvalues", columns, "plot_scree")
    text = _TEXT[language]
    threshold = getattr(result, "threshold", None)
    threshold = _threshold_text(str(threshold), language) if threshold else None
    x = np.asarray(eig.index, dtype=float)

    with figure_style():
        if ax is None:
            ax = new_axes((6.4, 4.0))
        styles = {"pc": (BLUES[0], "o", "components", "n_components"),
                  "fa": (REDS[0], "s", "factors", "n_factors")}
        for k in drawn:
            color, marker, name, attribute = styles[k]
            observed = eig[f"observed_{k}"].to_numpy(dtype=float)
            simulated = eig[f"simulated_{k}"].to_numpy(dtype=float)
            n = _suggested(result, attribute)
            what = text[name]
            label = text["suggested"].format(what=what, n=n) if n is not None else what
            ax.plot(x, observed, **{"color": color, "marker": marker, "markersize": 4.5, "linewidth": 1.6,
                                    "label": label, "zorder": 3, **kwargs})
            sim_label = text["simulated"].format(what=what.lower() if language == "en" else what,
                                                 threshold=threshold or "")
            sim_label = sim_label.replace(" ()", "").replace("（）", "")  # no threshold given
            ax.plot(x, simulated, **{"color": color, "linestyle": (0, (4, 2.5)), "linewidth": 1.2,
                                     "label": sim_label, "zorder": 2.5, **kwargs})
            if n is not None and n >= 1 and n in eig.index:
                ax.scatter([n], [eig.loc[n, f"observed_{k}"]], s=150, facecolors="none", edgecolors=color,
                           linewidths=1.2, zorder=4)
        if "pc" in drawn:
            ax.axhline(1, color=LIGHT_INK, linewidth=0.9, linestyle=":", label=text["kaiser"], zorder=1.5)

        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        if len(x):
            ax.set_xlim(x.min() - 0.5, x.max() + 0.5)
        ax.set_xlabel(text[f"x_{kind}"])
        ax.set_ylabel(text["eigenvalue"])
        plain_axes(ax, "y")
        ax.legend(loc="upper right", handlelength=2.4)
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- loadings

def _cell_points(ax, n_rows: int, n_cols: int) -> tuple[float, float]:
    """Approximate height and width of one heatmap cell, in points, before layout."""
    fig = ax.figure
    box = ax.get_position()
    return (box.height * fig.get_figheight() * 72 / max(n_rows, 1),
            box.width * fig.get_figwidth() * 72 / max(n_cols, 1))


def _annotate_cells(ax, values: np.ndarray, threshold: float, hide_weak: bool, fill, fontsize: float) -> None:
    """Each loading in its cell: in ink that reads on the cell's ``fill`` colour, or faint (or none) when weak."""
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v):
            continue
        strong = abs(v) >= threshold
        if not strong and hide_weak:
            continue
        ink = text_color_on(fill(v)) if strong else LIGHT_INK
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=fontsize, color=ink, alpha=1 if strong else 0.75)


def _cell_rules(ax, n_items: int, n_factors: int) -> None:
    """White rules between the cells of the heatmap, and no frame."""
    ax.set_xticks(np.arange(n_factors + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n_items + 1) - 0.5, minor=True)
    ax.tick_params(which="minor", length=0, top=False, bottom=False, left=False)
    ax.grid(False)
    ax.grid(which="minor", visible=True, color="white", linewidth=1.0 if n_items <= 30 else 0.6)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _loadings_colorbar(ax, image, n_items: int, threshold: float, label: str):
    """The colourbar of the loadings, -1 to 1, with rules at ±threshold."""
    cbar = ax.figure.colorbar(image, ax=ax, fraction=0.08, aspect=20, pad=0.03,
                              shrink=1.0 if n_items <= 15 else max(0.3, 15 / n_items))
    cbar.set_ticks([-1, -0.5, 0, 0.5, 1], labels=["-1", "-0.5", "0", "0.5", "1"])
    cbar.set_label(label)
    cbar.outline.set_visible(False)
    cbar.ax.tick_params(length=0)
    if threshold > 0:
        for level in (-threshold, threshold):
            cbar.ax.axhline(level, color=INK, linewidth=0.8)
    return cbar


def plot_loadings(result, *, threshold=0.3, item_labels=None, annotate=True, below_threshold="faint",
                  cmap="RdBu", label_width: int = 28, language="en", ax=None, **kwargs):
    """Heatmap of factor loadings, items as rows and factors as columns, with a colourbar.

    Parameters
    ----------
    result : factor-analysis result or DataFrame
        Any object with ``loadings``, a DataFrame with items as rows (drawn top to bottom in
        this order), factors as columns and loadings as values; or that DataFrame itself.
    threshold : float, default 0.3
        Loadings whose absolute value is below this are drawn faint (or left out, see
        ``below_threshold``); the colourbar marks ±threshold.
    item_labels : dict, optional
        Item id -> text for the y axis (default: the item ids). Long texts are wrapped and
        then cut with "…".
    annotate : bool, default True
        Write each loading in its cell, with two decimals.
    below_threshold : {'faint', 'hide'}, default 'faint'
        How to annotate loadings below ``threshold``: in faint grey, or not at all.
    cmap : str or Colormap, default 'RdBu'
        A diverging colormap; it is centred on 0 with fixed limits -1 and 1 so that colours
        mean the same in every figure (negative red, positive blue by default).
    label_width : int, default 28
        Width of item labels before wrapping, in columns (a Chinese character counts two).
    language : {'en', 'zh'}, default 'en'
        Language of the colourbar label.
    ax : matplotlib Axes, optional
        Where to draw (the colourbar takes room from it). By default a new figure sized to
        the number of items and factors is made.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap's Axes; the colourbar is ``ax.images[0].colorbar``.

    Raises
    ------
    ValueError
        If ``threshold`` is not between 0 and 1, ``below_threshold`` or ``language`` is not
        one of its options, or there is no ``loadings`` table.

    Notes
    -----
    Text scales with the cells, so 1 to about 50 items stay legible; annotations are white or
    dark, whichever reads better on the cell. Loadings beyond ±1 (Heywood cases) get the end
    colour and are still annotated. In R: ``psych::fa.diagram()`` or ``print(fa(...)$loadings,
    cutoff=0.3)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.plotting import plot_loadings
    >>> loadings = pd.DataFrame({"F1": [0.81, 0.74, 0.12], "F2": [0.05, -0.21, 0.68]}, index=["q1", "q2", "q3"])
    >>> ax = plot_loadings(loadings, item_labels={"q1": "产品质量稳定可靠"})
    >>> len(ax.texts)
    6
    """
    threshold = check_unit("threshold", threshold, "plot_loadings")
    check_option("below_threshold", below_threshold, ("faint", "hide"), function="plot_loadings")
    check_option("language", language, LANGUAGES, function="plot_loadings")
    if isinstance(result, pd.DataFrame):
        loadings = result
        if loadings.empty:
            raise ValueError("The 'result' parameter of plot_loadings has no loadings: nothing to draw.")
    else:
        loadings = result_table(result, "loadings", [], "plot_loadings")
        if item_labels is None:
            item_labels = getattr(result, "item_labels", None)
    item_labels = item_labels or {}
    values = loadings.to_numpy(dtype=float)
    n_items, n_factors = values.shape

    import matplotlib as mpl
    from matplotlib.colors import Normalize

    colormap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = Normalize(-1, 1)
    with figure_style():
        if ax is None:
            ax = new_axes((3.4 + 0.8 * n_factors, min(0.3 * n_items + 1.4, 16.0)))
        image = ax.imshow(values, **{"cmap": colormap, "norm": norm, "aspect": "auto",
                                     "interpolation": "nearest", **kwargs})
        cell_h, cell_w = _cell_points(ax, n_items, n_factors)
        value_size = float(np.clip(min(0.5 * cell_h, cell_w / 3.4), 4.5, 9))
        label_size = float(np.clip(0.75 * cell_h, 5, 10))
        lines = 2 if cell_h >= 2.3 * label_size else 1

        if annotate:
            _annotate_cells(ax, values, threshold, below_threshold == "hide", lambda v: colormap(norm(v)), value_size)

        ax.set_xticks(np.arange(n_factors), [wrap_label(c, 14) for c in loadings.columns])
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", length=0, top=True, bottom=False, labeltop=True, labelbottom=False,
                       labelsize=min(10, max(6.5, cell_w / 5)), labelcolor=INK)
        ax.set_yticks(np.arange(n_items),
                      [wrap_label(item_labels.get(i, i), label_width, max_lines=lines) for i in loadings.index])
        ax.tick_params(axis="y", length=0, labelsize=label_size)
        _cell_rules(ax, n_items, n_factors)
        cbar = _loadings_colorbar(ax, image, n_items, threshold, _TEXT[language]["loading"])
        use_cjk_fonts(ax)
        use_cjk_fonts(cbar.ax)
    return ax


# ----------------------------------------------------------------------------- item-total

def _bar_labels(ax, bars, r: np.ndarray, if_deleted: np.ndarray, alpha: float, template: str) -> bool:
    """Each bar's correlation, with alpha if deleted where deleting the item would raise alpha; whether any does."""
    notes = False
    for bar, v, a in zip(bars, r, if_deleted):
        label = "n/a" if np.isnan(v) else f"{v:.2f}"
        if not np.isnan(a) and not np.isnan(alpha) and a > alpha:
            label += "   " + template.format(a=f"{a:.3f}")
            notes = True
        # right of the bar, or right of zero for a negative bar, clear of the item labels
        ax.text(max(bar.get_width(), 0) + 0.012, bar.get_y() + bar.get_height() / 2, label, ha="left",
                va="center", fontsize=8.5, color=INK, zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.6})
    return notes


def plot_item_total(result, *, threshold=0.3, item_labels=None, show_alpha_if_deleted=True,
                    label_width: int = 28, language="en", ax=None, **kwargs):
    """Horizontal bars of corrected item-total correlations, weak items in a warning colour.

    Parameters
    ----------
    result : ReliabilityResult
        Any object with ``items``, a DataFrame indexed by item (drawn top to bottom in this
        order) with columns ``r_drop`` (corrected item-total correlation) and
        ``alpha_if_deleted``, and ``alpha``, the scale's Cronbach's alpha, such as the
        result of :func:`surveykit.reliability`.
    threshold : float, default 0.3
        Items correlating less than this with the rest of the scale (negative ones included)
        are drawn in red; a dashed line marks it.
    item_labels : dict, optional
        Item id -> text for the y axis (default: the item ids). Long texts are wrapped and
        then cut with "…".
    show_alpha_if_deleted : bool, default True
        Next to the correlation, give alpha if the item were deleted, for items whose
        deletion would raise alpha.
    label_width : int, default 28
        Width of item labels before wrapping, in columns (a Chinese character counts two).
    language : {'en', 'zh'}, default 'en'
        Language of the axis label, legend and notes.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of items is made.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``threshold`` is not between 0 and 1, ``language`` is not one of its options, or
        ``result`` lacks ``alpha`` or the ``r_drop`` / ``alpha_if_deleted`` columns.

    Notes
    -----
    The title gives Cronbach's alpha (e.g. "Cronbach's α = 0.871"); each bar ends in its
    correlation. A common rule of thumb reviews items with corrected item-total
    correlations below 0.3. In R: ``psych::alpha(x)$item.stats$r.drop``; in SPSS:
    RELIABILITY /SUMMARY=TOTAL, "Corrected Item-Total Correlation".

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from surveykit.plotting import plot_item_total
    >>> items = pd.DataFrame({"r_drop": [0.72, 0.65, 0.18], "alpha_if_deleted": [0.70, 0.74, 0.86]},
    ...                      index=["q1", "q2", "q3"])
    >>> ax = plot_item_total(SimpleNamespace(items=items, alpha=0.81), item_labels={"q3": "价格公道合理"})
    >>> ax.get_title(loc="left")
    "Cronbach's α = 0.810"
    """
    threshold = check_unit("threshold", threshold, "plot_item_total")
    check_option("language", language, LANGUAGES, function="plot_item_total")
    items = result_table(result, "items", ["r_drop", "alpha_if_deleted"], "plot_item_total")
    alpha = getattr(result, "alpha", None)
    if isinstance(alpha, bool) or not isinstance(alpha, Real):
        raise ValueError(f"The 'result' parameter of plot_item_total must have an 'alpha' attribute holding "
                         f"Cronbach's alpha as a number. Got {alpha!r} instead.")
    alpha = float(alpha)
    if item_labels is None:
        item_labels = getattr(result, "item_labels", None)
    item_labels = item_labels or {}
    text = _TEXT[language]
    r = items["r_drop"].to_numpy(dtype=float)
    if_deleted = items["alpha_if_deleted"].to_numpy(dtype=float)
    n_items = len(items)
    low = ~(r >= threshold)  # NaN counts as low: the item could not be assessed
    ok_color, low_color = BLUES[1], REDS[1]
    t = f"{threshold:.2f}"

    with figure_style():
        if ax is None:
            ax = new_axes((7.0, 0.38 * n_items + 1.7))
        y = np.arange(n_items)[::-1]  # first item on top
        bars = ax.barh(y, np.nan_to_num(r), **{"height": 0.68, "color": [low_color if b else ok_color for b in low],
                                               "edgecolor": "none", **kwargs})
        notes = _bar_labels(ax, bars, r, if_deleted if show_alpha_if_deleted else np.full(n_items, np.nan), alpha,
                            text["if_deleted"])

        line = ax.axvline(threshold, color=INK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2.6)
        ax.axvline(0, color=LIGHT_INK, linewidth=0.8, zorder=2.5)
        finite = r[~np.isnan(r)]
        lo = min(0.0, finite.min()) if finite.size else 0.0
        hi = max(threshold, finite.max()) if finite.size else threshold
        ax.set_xlim(lo - 0.03, hi + (0.45 if notes else 0.14))
        ax.set_ylim(-0.6, n_items - 0.4)
        ax.set_yticks(y, [wrap_label(item_labels.get(i, i), label_width) for i in items.index])
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(text["citc"])
        ax.set_title(text["alpha"].format(alpha=f"{alpha:.3f}"), loc="left")
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)

        from matplotlib.patches import Patch

        keys = [(Patch(color=ok_color), text["ok"]), (Patch(color=low_color), text["low"]), (line, text["threshold"])]
        shown = [(~low).any(), low.any(), True]
        legend_below(ax, [h for (h, _), on in zip(keys, shown) if on],
                     [label.format(t=t) for (_, label), on in zip(keys, shown) if on], 38, handlelength=1.6)
        use_cjk_fonts(ax)
    return ax
