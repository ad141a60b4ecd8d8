"""Tables and figures as the report embeds them."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd

from ..io.write import format_frame
from ._text import t


def interpretation_html(texts: tuple) -> str:
    """The texts under a table (``((heading, paragraphs), ...)``: 分析建议 / How to read as a list,
    智能分析 / Interpretation as paragraphs), escaped; '' when there are none."""
    from html import escape

    if not texts:
        return ""
    parts = ['<div class="interp">']
    for k, (heading, paragraphs) in enumerate(texts):
        parts.append(f"<h4>{escape(heading)}</h4>")
        if k == 0 and len(texts) > 1:
            parts.append("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in paragraphs) + "</ul>")
        else:
            parts += [f"<p>{escape(p)}</p>" for p in paragraphs]
    return "".join(parts) + "</div>"


def table_html(df: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = (), index: bool = True) -> str:
    """A three-line HTML table; free text escaped, floats to ``decimals``, shares as percentages."""
    return format_frame(df, decimals, percent).to_html(escape=True, border=0, classes="tbl", na_rep="", index=index)


EMBED_DPI, PRINT_DPI = 110, 300
PNG_COMPRESSION = 1  # zlib level: level 6 (the default) took 8 s of the example report's figures, for files ~15 % smaller


def figure_png(fig, path: Path) -> str:
    """Save ``fig`` as 300-dpi PNG and SVG at ``path``; return a screen-resolution PNG, base64, to embed.

    The figure is laid out and drawn once at 300 dpi; the PNG is that drawing cut to the tight
    bounding box ``savefig(bbox_inches="tight")`` would use, and the SVG is drawn from the same
    layout. (``savefig`` lays the figure out and measures its text again for every format: about
    twice the work.) The embedded image is the 300-dpi one scaled down, not drawn a third time.
    """
    import matplotlib as mpl
    from PIL import Image

    image, bbox = _draw_tight(fig, mpl.rcParams["savefig.pad_inches"])
    image.save(path, format="PNG", dpi=(PRINT_DPI, PRINT_DPI), compress_level=PNG_COMPRESSION)
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")  # laid out above: the SVG draws the same positions
    try:
        fig.savefig(path.with_suffix(".svg"), format="svg", bbox_inches=bbox)
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    size = (max(1, round(image.width * EMBED_DPI / PRINT_DPI)), max(1, round(image.height * EMBED_DPI / PRINT_DPI)))
    small = image.reduce(2).resize(size, Image.LANCZOS)  # a box reduction by 2, then Lanczos the rest
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _draw_tight(fig, pad: float):
    """(the figure drawn at the print resolution and cut to its padded tight bounding box, as a PIL
    image; that box in inches). Parts of the box outside the figure are filled with its face colour,
    as ``savefig`` fills them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from PIL import Image

    canvas, dpi = fig.canvas, fig.dpi
    fig.dpi = PRINT_DPI
    try:
        agg = FigureCanvasAgg(fig)
        agg.draw()  # the layout engine runs inside the draw
        bbox = fig.get_tightbbox(agg.get_renderer()).padded(pad)
        drawn = Image.frombuffer("RGBA", agg.get_width_height(), agg.buffer_rgba(), "raw", "RGBA", 0, 1)
        height = drawn.height
        box = [round(v * PRINT_DPI) for v in (bbox.x0, bbox.y0, bbox.x1, bbox.y1)]
        left, top, right, bottom = box[0], height - box[3], box[2], height - box[1]
        if left >= 0 and top >= 0 and right <= drawn.width and bottom <= drawn.height:
            image = drawn.crop((left, top, right, bottom))
        else:
            face = tuple(round(255 * c) for c in to_rgba(fig.get_facecolor()))
            image = Image.new("RGBA", (right - left, bottom - top), face)
            image.paste(drawn, (-left, -top))
        if to_rgba(fig.get_facecolor())[3] == 1:
            image = image.convert("RGB")  # opaque: a quarter less to encode and to scale
        image.load()  # the crop is taken now: the canvas's buffer goes with the canvas
    finally:
        fig.set_canvas(canvas)
        fig.dpi = dpi
    return image, bbox


def new_figure(figsize, nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure outside pyplot and its axes: the caller's backend and open figures are left alone."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


# -- tables a reader trusts (issue 16): weighting in the note, numbers as numbers -------------------

def weighted_note(lang: str, effective_n, n_obs) -> str:
    """'Weighted (Kish effective n = 128; unweighted n = 145).' from a result's own fields (a range
    '120-128' when they differ by row); a table of a weighted analysis ends its note with it."""
    from ..descriptives import effective_n_text

    return t("table_words.weighted", lang, n_eff=effective_n_text(effective_n), n=effective_n_text(n_obs))


def banner_weighted_note(banner, lang: str) -> str:
    """:func:`weighted_note` of a weighted banner (its Total column's bases, each variable's; every column's
    without a Total), '' when it is unweighted."""
    if not banner.weighted:
        return ""
    last = banner.counts.columns[-1]
    total = [last] if last in ("Total", "Total (all)") else list(banner.counts.columns)
    return weighted_note(lang, banner.effective_base[total].stack(), banner.counts[total].stack())


def missing_rule(policy: str):
    """The words of a ``nan_policy`` ('listwise', 'pairwise') in each language, for :func:`t`'s placeholders."""
    return lambda lang: t("table_words.rules", lang).get(policy, policy)


def banner_tables(banner, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(numbers, display) of a :class:`~surveykit.indices.BannerResult`.

    ``display`` is :meth:`BannerResult.to_frame` (``"69.75 B"`` cells), what the report and
    ``tables.docx`` show. ``numbers`` has the same rows (each variable's ``base (n)``, ``base
    (effective n)`` when weighted, then its means or percentages) and two columns per tested
    segment level: the value, a number, and the keys of the columns it is significantly higher
    than (empty when none); the Total column has no letters. ``tables.xlsx`` writes it.
    """
    display = banner.to_frame()
    columns = list(banner.table.columns)
    values = display.copy()
    values.columns = columns
    values = values.astype(object)
    letters = values.copy()
    letters.loc[:, :] = None
    for variable in banner.kinds:
        values.loc[(variable, "base (n)"), :] = [int(v) for v in banner.counts.loc[variable, columns]]
        if banner.weighted:
            values.loc[(variable, "base (effective n)"), :] = [float(v) for v in
                                                               banner.effective_base.loc[variable, columns]]
        for row in banner.table.loc[variable].index:
            values.loc[(variable, row), :] = [float(v) for v in banner.table.loc[(variable, row), columns]]
            letters.loc[(variable, row), :] = [v or None for v in banner.letters.loc[(variable, row), columns]]
    word = t("table_words.letters", lang)
    parts, names = [], []
    for c in columns:
        key = banner.column_keys.get(c, "")
        parts.append(values[c])
        names.append((c, key, ""))
        if c in banner.column_keys:
            parts.append(letters[c])
            names.append((c, key, word))
    numbers = pd.concat(parts, axis=1)
    numbers.columns = pd.MultiIndex.from_tuples(names, names=[banner.segment, "key", None])
    return numbers, display
