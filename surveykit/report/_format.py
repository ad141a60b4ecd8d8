"""Tables and figures as the report embeds them."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd


def table_html(df: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = (), index: bool = True) -> str:
    """A three-line HTML table; free text escaped, floats to ``decimals``, shares as percentages."""
    fmt = df.copy()
    for c in fmt.columns:
        if pd.api.types.is_bool_dtype(fmt[c]):
            fmt[c] = fmt[c].map({True: "✓", False: "✗"})
        elif c in percent:
            fmt[c] = fmt[c].map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f}%")
        elif pd.api.types.is_float_dtype(fmt[c]):
            fmt[c] = fmt[c].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    return fmt.to_html(escape=True, border=0, classes="tbl", na_rep="", index=index)


def figure_png(fig, path: Path) -> str:
    """Save ``fig`` as 300-dpi PNG and SVG at ``path``; return a screen-resolution PNG, base64, to embed."""
    fig.savefig(path, dpi=300, bbox_inches="tight")
    fig.savefig(path.with_suffix(".svg"), bbox_inches="tight")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")
