"""Pieces drawn by several figures: stacked bars with their percentages, point labels kept clear of
each other, a legend under the axes."""

from __future__ import annotations

import numpy as np

from ._fonts import cjk_font_family
from ._style import INK, text_color_on

__all__ = ["legend_below", "place_labels", "renderer", "stacked_bars"]

# candidate label positions around a point: (dx, dy) in points, horizontal and vertical alignment
_OFFSETS = ((6, 0, "left", "center"), (-6, 0, "right", "center"), (0, 6, "center", "bottom"),
            (0, -6, "center", "top"), (5, 5, "left", "bottom"), (5, -5, "left", "top"),
            (-5, 5, "right", "bottom"), (-5, -5, "right", "top"))


def stacked_bars(ax, y, shares: np.ndarray, left: np.ndarray, colors, labels, bar_kw: dict,
                 annotate_min: float) -> list:
    """Horizontal bars stacked left to right, one layer per column of ``shares``; the layers' containers.

    A segment at least ``annotate_min`` wide (and not empty) is labelled with its percentage, in
    a colour that reads on its fill; ``bar_kw`` (e.g. the caller's ``**kwargs``) overrides the
    colour and label of every layer.
    """
    handles = []
    for j, (color, label) in enumerate(zip(colors, labels)):
        width = shares[:, j]
        bars = ax.barh(y, width, left=left, **{"color": color, "label": label, **bar_kw})
        handles.append(bars)
        ink = text_color_on(color)
        for bar, w in zip(bars, width):
            if w >= annotate_min and w > 0:
                ax.text(bar.get_x() + w / 2, bar.get_y() + bar.get_height() / 2, f"{100 * w:.0f}%",
                        ha="center", va="center", fontsize=8, color=ink)
        left = left + width
    return handles


def legend_below(ax, handles, labels, offset_pt: float, ncol: int | None = None, x: float = 0.5,
                 **legend_kw) -> None:
    """A frameless legend centred under the axes, ``offset_pt`` points below its bottom edge.

    ``legend_kw`` (e.g. ``handlelength``) overrides the house spacing of :meth:`Axes.legend`.
    """
    from matplotlib.transforms import ScaledTranslation

    below = ax.transAxes + ScaledTranslation(0, -offset_pt / 72, ax.figure.dpi_scale_trans)
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(x, 0), bbox_transform=below,
              ncol=ncol or len(handles), **{"handlelength": 1.8, "columnspacing": 1.4, "borderaxespad": 0,
                                            "frameon": False, **legend_kw})


def _overlap(a, b) -> float:
    from matplotlib.transforms import Bbox

    box = Bbox.intersection(a, b)
    return 0.0 if box is None else box.width * box.height


def renderer(fig):
    """The figure's renderer, also for a Figure made without pyplot (whose canvas has no get_renderer)."""
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def place_labels(ax, x, y, texts, *, marker_size: float, fontsize: float, avoid) -> list:
    """Label each point, trying eight positions around it and keeping the least crowded.

    Greedy, in order of crowding (points with close neighbours first): a position's cost is
    its overlap (in pixels) with labels already placed, the quadrant names, other points and
    the outside of the axes; the first position without overlap wins.
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    rend = renderer(fig)
    xy = ax.transData.transform(np.column_stack([x, y]))
    radius = np.sqrt(marker_size) / 2 * fig.dpi / 72 + 1
    dots = [Bbox.from_bounds(px - radius, py - radius, 2 * radius, 2 * radius) for px, py in xy]
    frame = ax.get_window_extent(rend)
    placed = list(avoid)
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) if len(xy) else np.zeros((0, 0))
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1) if len(xy) > 1 else np.full(len(xy), np.inf)
    family = cjk_font_family()
    labels = [ax.annotate(text, (xi, yi), xytext=_OFFSETS[0][:2], textcoords="offset points", fontsize=fontsize,
                          color=INK, fontfamily=family, linespacing=1.05, zorder=4, annotation_clip=False)
              for text, xi, yi in zip(texts, x, y)]  # in item order; placed in order of crowding
    for i in np.argsort(nearest, kind="stable"):
        ann = labels[i]
        best, best_cost = None, np.inf
        for dx, dy, ha, va in _OFFSETS:
            ann.xyann = (dx, dy)
            ann.set_horizontalalignment(ha)
            ann.set_verticalalignment(va)
            box = ann.get_window_extent(rend)
            outside = box.width * box.height - _overlap(box, frame)
            cost = (sum(_overlap(box, b) for b in placed) + 3 * outside
                    + sum(_overlap(box, b) for j, b in enumerate(dots) if j != i))
            if cost < best_cost:
                best, best_cost = (dx, dy, ha, va, box), cost
            if cost == 0:
                break
        dx, dy, ha, va, box = best
        ann.xyann = (dx, dy)
        ann.set_horizontalalignment(ha)
        ann.set_verticalalignment(va)
        placed.append(box)
    return labels
