"""Tables and figures as the report embeds them."""

from __future__ import annotations

import base64
import io
import warnings
from pathlib import Path

import pandas as pd

from ..errors import SurveykitError, SurveykitWarning


def format_frame(df: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table as the reader sees it: floats to ``decimals``, shares as percentages, ✓/✗, blanks for NaN."""
    fmt = df.copy()
    for c in fmt.columns:
        if pd.api.types.is_bool_dtype(fmt[c]):
            fmt[c] = fmt[c].map({True: "✓", False: "✗"})
        elif c in percent:
            fmt[c] = fmt[c].map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f}%")
        elif pd.api.types.is_float_dtype(fmt[c]):
            fmt[c] = fmt[c].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    return fmt


def table_html(df: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = (), index: bool = True) -> str:
    """A three-line HTML table; free text escaped, floats to ``decimals``, shares as percentages."""
    return format_frame(df, decimals, percent).to_html(escape=True, border=0, classes="tbl", na_rep="", index=index)


EMBED_DPI, PRINT_DPI = 110, 300


def figure_png(fig, path: Path) -> str:
    """Save ``fig`` as 300-dpi PNG and SVG at ``path``; return a screen-resolution PNG, base64, to embed.

    The embedded image is the 300-dpi one scaled down (Lanczos), not drawn a third time: a
    draw with a tight bounding box costs two renderings, a resize a fraction of one.
    """
    from PIL import Image

    fig.savefig(path, dpi=PRINT_DPI, bbox_inches="tight")
    fig.savefig(path.with_suffix(".svg"), bbox_inches="tight")
    with Image.open(path) as im:
        size = (max(1, round(im.width * EMBED_DPI / PRINT_DPI)), max(1, round(im.height * EMBED_DPI / PRINT_DPI)))
        small = im.resize(size, Image.LANCZOS)
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def caught(fn, *args, **kwargs):
    """Call ``fn``; return (result or None, notes): warnings and errors become notes the report shows."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", SurveykitWarning)
        try:
            result = fn(*args, **kwargs)
        except (SurveykitError, ValueError) as exc:
            return None, [f"{getattr(fn, '__name__', 'analysis')}: {exc}"]
    return result, list(dict.fromkeys(str(w.message) for w in records if issubclass(w.category, SurveykitWarning)))


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
