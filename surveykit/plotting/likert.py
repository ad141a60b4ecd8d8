"""Diverging stacked bars of Likert items."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._draw import legend_below, stacked_bars
from ._style import (
    GRID,
    LIGHT_INK,
    abs_percent_tick,
    diverging_colors,
    figure_style,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_likert"]


def _code_text(code) -> str:
    return f"{code:g}" if isinstance(code, (int, float, np.number)) else str(code)


def _middle(neutral, codes: list):
    """Position of the category split across zero (None: no split), or the house ValueError."""
    if isinstance(neutral, str) and neutral == "auto":
        return len(codes) // 2 if len(codes) % 2 else None
    if neutral is None:
        return None
    if not isinstance(neutral, bool) and neutral in codes:
        return codes.index(neutral)
    allowed = ", ".join(["'auto'", "None", *map(repr, codes)])
    raise ValueError(f"The 'neutral' parameter of plot_likert must be one of {allowed}. Got {neutral!r} instead.")


def _shares(distribution: pd.DataFrame) -> np.ndarray:
    """The shares as an array (an item without valid answers: zeros), or a ValueError for rows not summing to 1."""
    shares = distribution.to_numpy(dtype=float)
    sums = np.nansum(shares, axis=1)
    bad = [(i, s) for i, s, row in zip(distribution.index, sums, shares)
           if not np.isnan(row).all() and abs(s - 1) > 0.01]
    if bad:
        raise ValueError(f"plot_likert draws shares, so each row must sum to 1; {len(bad)} rows do not "
                         f"(first: {bad[0][0]!r} sums to {bad[0][1]:g}). For counts, pass "
                         "counts.div(counts.sum(axis=1), axis=0).")
    return np.nan_to_num(shares)


def plot_likert(distribution, *, item_labels=None, category_labels=None, neutral="auto", ax=None,
                colors=None, label_width: int = 28, annotate_min: float = 0.08, **kwargs):
    """Diverging stacked horizontal bars: disagreement left of zero, agreement right.

    Parameters
    ----------
    distribution : DataFrame or ItemDescriptives
        Items as rows (drawn top to bottom in this order), the scale's codes as columns in
        scale order, shares of valid answers as values (each row sums to 1; an all-NaN row,
        an item without valid answers, is drawn empty). Any object with ``distribution``,
        ``item_labels`` and ``category_labels`` attributes, such as
        :class:`~surveykit.descriptives.ItemDescriptives`, is accepted and supplies the labels.
    item_labels : dict, optional
        Item id -> text for the y axis (default: the item ids). Long texts are wrapped onto
        two lines and then cut with "…".
    category_labels : dict, optional
        Code -> text for the legend (default: the codes).
    neutral : 'auto', code or None, default 'auto'
        The category split across zero. 'auto': the middle one when the number of categories
        is odd, none when it is even. None: no split; the lower half of the categories
        (``k // 2``) goes left of zero.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of items is made.
    colors : sequence of colours, optional
        One per category; by default ColorBrewer RdBu (colour-blind safe) with a grey neutral.
    label_width : int, default 28
        Width of item labels before wrapping, in columns (a Chinese character counts two).
    annotate_min : float, default 0.08
        Segments at least this wide are labelled with their percentage.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``neutral`` is not 'auto', None or one of the codes, or a row does not sum to 1.

    Notes
    -----
    Chinese text renders without set-up: the fonts come from :func:`cjk_font_family` and
    are pinned on the figure's text, and no global matplotlib setting is changed. Save at
    print quality with ``ax.figure.savefig("likert.png", dpi=300, bbox_inches="tight")``.
    In R: ``likert::likert()`` with ``plot(..., centered=TRUE)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.plotting import plot_likert
    >>> d = pd.DataFrame([[.1, .2, .3, .3, .1]], index=["q1"], columns=[1., 2., 3., 4., 5.])
    >>> ax = plot_likert(d, item_labels={"q1": "产品质量稳定可靠"},
    ...                  category_labels={1.: "非常不同意", 3.: "一般", 5.: "非常同意"})
    """
    if not isinstance(distribution, pd.DataFrame):
        item_labels = item_labels if item_labels is not None else getattr(distribution, "item_labels", None)
        category_labels = category_labels if category_labels is not None else getattr(distribution, "category_labels", None)
        distribution = distribution.distribution
    item_labels, category_labels = item_labels or {}, category_labels or {}
    codes = list(distribution.columns)
    k, n_items = len(codes), len(distribution)

    middle = _middle(neutral, codes)
    n_neg = k // 2 if middle is None else middle
    if colors is None:
        colors = diverging_colors(n_neg, k - n_neg - (middle is not None), middle is not None)
    elif len(colors) != k:
        raise ValueError(f"plot_likert needs one colour per category: {k} categories, {len(colors)} colours given.")

    shares = _shares(distribution)
    left = -shares[:, :n_neg].sum(axis=1) - (shares[:, middle] / 2 if middle is not None else 0)

    with figure_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(8, 0.42 * n_items + 1.3))
        y = np.arange(n_items)[::-1]  # first item on top
        bar_kw = {"height": 0.72, "edgecolor": "white", "linewidth": 0.6, **kwargs}
        texts = [str(category_labels.get(code, _code_text(code))) for code in codes]
        handles = stacked_bars(ax, y, shares, left, colors, texts, bar_kw, annotate_min)

        ax.axvline(0, color=LIGHT_INK, linewidth=0.8, zorder=0.6)
        ax.set_xlim(-1, 1)
        ax.set_xticks(np.linspace(-1, 1, 9))
        ax.xaxis.set_major_formatter(abs_percent_tick)
        ax.set_ylim(-0.6, n_items - 0.4)
        ax.set_yticks(y, [wrap_label(item_labels.get(i, i), label_width) for i in distribution.index])
        ax.tick_params(axis="y", length=0)
        ax.set_axisbelow(True)  # also on axes made outside figure_style()
        ax.grid(axis="x", visible=True, color=GRID, linewidth=0.6)
        ax.grid(axis="y", visible=False)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ncol = k if k <= 7 else -(-k // 2)
        order = [r * ncol + c for c in range(ncol) for r in range(-(-k // ncol)) if r * ncol + c < k]  # by rows
        legend_below(ax, [handles[i] for i in order], [texts[i] for i in order], 26, ncol=ncol, handlelength=1.1,
                     handleheight=1.1, columnspacing=1.2)
        use_cjk_fonts(ax)
    return ax
