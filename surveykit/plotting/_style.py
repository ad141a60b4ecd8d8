"""The package's one figure style, applied only inside ``with figure_style():``."""

from __future__ import annotations

from contextlib import contextmanager

from ._fonts import cjk_font_family

__all__ = ["figure_style", "use_cjk_fonts", "DIVERGING"]

# Colour-blind-safe diverging palette (ColorBrewer RdBu, 7 classes) with a neutral grey middle.
DIVERGING = ("#b2182b", "#ef8a62", "#fddbc7", "#d9d9d9", "#d1e5f0", "#67a9cf", "#2166ac")


@contextmanager
def figure_style():
    """Print-quality defaults (CJK-capable fonts, sizes, light grid) for the figures made inside."""
    import matplotlib as mpl

    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": cjk_font_family() + list(mpl.rcParams["font.sans-serif"]),
        "axes.unicode_minus": False,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#e5e5e5",
        "grid.linewidth": 0.6,
        "axes.axisbelow": True,
        "legend.frameon": False,
        "figure.dpi": 110,
        "savefig.dpi": 300,
        "svg.fonttype": "path",
    }
    with mpl.rc_context(rc):
        yield


def use_cjk_fonts(artist):
    """Pin the CJK-capable family on every text under ``artist`` (an Axes or Figure).

    Text resolves a generic family ("sans-serif") when it is drawn, so a figure made inside
    :func:`figure_style` but saved after it would lose its Chinese glyphs; pinning the family
    makes the figure self-sufficient wherever the user saves or shows it.
    """
    from matplotlib.text import Text

    family = cjk_font_family()
    for text in artist.findobj(Text):
        text.set_fontfamily(family)
    return artist
