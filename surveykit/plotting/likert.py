"""Diverging stacked bars of Likert items."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ._style import DIVERGING, figure_style, use_cjk_fonts

__all__ = ["plot_likert"]


def _palette(k: int, has_neutral: bool) -> list[str]:
    """Strongest colours at the ends; pale ones only when there are many categories."""
    half = k // 2
    neg = {1: ["#ef8a62"], 2: ["#b2182b", "#ef8a62"], 3: list(DIVERGING[:3])}[min(half, 3)]
    pos = {1: ["#67a9cf"], 2: ["#67a9cf", "#2166ac"], 3: list(DIVERGING[4:])}[min(half, 3)]
    if half > 3:  # long scales: interpolate the ramps
        from matplotlib.colors import LinearSegmentedColormap, to_hex

        cm = LinearSegmentedColormap.from_list("sk", DIVERGING)
        return [to_hex(cm(x)) for x in np.linspace(0, 1, k)]
    return [*neg, *([DIVERGING[3]] if has_neutral else []), *pos]


def plot_likert(distribution, *, item_labels=None, category_labels=None, neutral="auto", ax=None,
                wrap: int = 18, **kwargs):
    """Diverging stacked horizontal bars: disagreement left of zero, agreement right.

    Parameters
    ----------
    distribution : DataFrame or ItemDescriptives
        Items as rows (top to bottom in this order), the scale's codes as columns in order,
        shares of valid answers as values (rows sum to 1; an all-NaN row is drawn empty).
        An :class:`~surveykit.ItemDescriptives` result is accepted and supplies the labels.
    item_labels, category_labels : dict, optional
        Item id -> text for the y axis; code -> text for the legend.
    neutral : 'auto', bool
        Whether the middle category is neutral and split across zero; 'auto': when the
        number of categories is odd.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.
    wrap : int
        Item labels are wrapped at this many characters.
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.plotting import plot_likert
    >>> d = pd.DataFrame([[.1, .2, .3, .3, .1]], index=["q1"], columns=[1., 2., 3., 4., 5.])
    >>> ax = plot_likert(d, item_labels={"q1": "产品质量稳定可靠"})
    """
    if not isinstance(distribution, pd.DataFrame):
        item_labels = item_labels or getattr(distribution, "item_labels", None)
        category_labels = category_labels or getattr(distribution, "category_labels", None)
        distribution = distribution.distribution
    item_labels, category_labels = item_labels or {}, category_labels or {}
    shares = distribution.to_numpy(dtype=float)
    n_items, k = shares.shape
    if neutral not in ("auto", True, False):
        raise ValueError(f"The 'neutral' parameter of plot_likert must be one of 'auto', True, False. Got {neutral!r} instead.")
    has_neutral = (k % 2 == 1) if neutral == "auto" else bool(neutral)
    if has_neutral and k % 2 == 0:
        raise ValueError(f"A neutral middle category needs an odd number of categories; got {k}.")
    n_neg = k // 2
    safe = np.nan_to_num(shares)
    left = -(safe[:, :n_neg].sum(axis=1) + (safe[:, n_neg] / 2 if has_neutral else 0))
    colors = _palette(k, has_neutral)

    with figure_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(8, 0.45 * n_items + 1.6))
        y = np.arange(n_items)[::-1]
        start = left.copy()
        for j, code in enumerate(distribution.columns):
            width = safe[:, j]
            label = category_labels.get(code, f"{code:g}" if isinstance(code, (int, float)) else str(code))
            bars = ax.barh(y, width, left=start, color=colors[j], edgecolor="white", linewidth=0.5,
                           height=0.7, label=label, **kwargs)
            dark = colors[j] in (DIVERGING[0], DIVERGING[-1], "#b2182b", "#2166ac")
            for bar, w in zip(bars, width):
                if w >= 0.08:
                    ax.text(bar.get_x() + w / 2, bar.get_y() + bar.get_height() / 2, f"{100 * w:.0f}%",
                            ha="center", va="center", fontsize=8, color="white" if dark else "#1f2933")
            start = start + width
        ax.axvline(0, color="#52606d", linewidth=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels(["\n".join(textwrap.wrap(str(item_labels.get(i, i)), wrap)) or str(i)
                            for i in distribution.index])
        lim = max(1.0, float(np.nanmax(np.abs(np.r_[left, start]))) if n_items else 1.0)
        ax.set_xlim(-lim, lim)
        ticks = np.linspace(-1, 1, 9)
        ax.set_xticks(ticks[np.abs(ticks) <= lim])
        ax.set_xticklabels([f"{abs(100 * t):.0f}%" for t in ticks[np.abs(ticks) <= lim]])
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=min(k, 7), fontsize=8,
                  handlelength=1.2, columnspacing=1.0)
        use_cjk_fonts(ax)
    return ax
