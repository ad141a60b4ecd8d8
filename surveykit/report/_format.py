"""Tables and figures as the report embeds them."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd

from ..io.write import format_frame


def table_html(df: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = (), index: bool = True) -> str:
    """A three-line HTML table; free text escaped, floats to ``decimals``, shares as percentages."""
    return format_frame(df, decimals, percent).to_html(escape=True, border=0, classes="tbl", na_rep="", index=index)


EMBED_DPI, PRINT_DPI = 110, 300
PNG_COMPRESSION = 1  # zlib level: level 6 (the default) took 8 s of the example report's figures, for files ~15 % smaller


def figure_png(fig, path: Path) -> str:
    """Save ``fig`` as 300-dpi PNG and SVG at ``path``; return a screen-resolution PNG, base64, to embed.

    The layout (constrained layout, the tight bounding box) is worked out once and both
    formats are drawn from it: ``savefig(bbox_inches="tight")`` would lay the figure out and
    measure it again for each format. The embedded image is the 300-dpi one scaled down, not
    drawn a third time.
    """
    from PIL import Image

    bbox = _tight_bbox(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")  # laid out by _tight_bbox: both formats draw the same positions
    try:
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=PRINT_DPI, bbox_inches=bbox, pil_kwargs={"compress_level": PNG_COMPRESSION})
        path.write_bytes(png.getvalue())
        fig.savefig(path.with_suffix(".svg"), format="svg", bbox_inches=bbox)
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    png.seek(0)
    with Image.open(png) as im:
        size = (max(1, round(im.width * EMBED_DPI / PRINT_DPI)), max(1, round(im.height * EMBED_DPI / PRINT_DPI)))
        small = im.resize(size, Image.LANCZOS, reducing_gap=3.0)  # a box reduction first, then Lanczos
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _tight_bbox(fig):
    """Lay ``fig`` out at the print resolution and return its padded tight bounding box (inches),
    as ``savefig(bbox_inches="tight")`` would, without drawing a pixel."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas, dpi = fig.canvas, fig.dpi
    fig.dpi = PRINT_DPI
    try:
        renderer = FigureCanvasAgg(fig).get_renderer()
        with renderer._draw_disabled():  # savefig's own layout pass (matplotlib backend_bases.print_figure)
            fig.draw(renderer)
        return fig.get_tightbbox(renderer).padded(mpl.rcParams["savefig.pad_inches"])
    finally:
        fig.set_canvas(canvas)
        fig.dpi = dpi


def new_figure(figsize, nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure outside pyplot and its axes: the caller's backend and open figures are left alone."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
