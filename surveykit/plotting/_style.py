"""The package's one figure style, applied only inside ``with figure_style():``, and its helpers."""

from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from numbers import Real

import numpy as np
import pandas as pd

from ._fonts import cjk_font_family

__all__ = ["figure_style", "use_cjk_fonts", "diverging_colors", "text_color_on", "wrap_label", "escape_mathtext"]

# ColorBrewer RdBu (colour-blind safe), strongest to palest on each side, and a neutral grey.
REDS = ("#b2182b", "#d6604d", "#f4a582", "#fddbc7")
BLUES = ("#2166ac", "#4393c3", "#92c5de", "#d1e5f0")
NEUTRAL = "#d4d4d4"
INK = "#262626"
LIGHT_INK = "#6b6b6b"
GRID = "#e6e6e6"
#: Lines of several series (value curve, theme shares): Okabe & Ito's colour-blind safe colours
#: (their yellow left out: too pale on white), each with its own marker so that lines also differ in print.
SERIES_COLORS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000")
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


@contextmanager
def figure_style():
    """Apply surveykit's print-quality figure style inside a ``with`` block.

    Fonts that show Chinese (see :func:`cjk_font_family`), a plain minus sign (the CJK font
    lacks U+2212), 10 pt text, a light grid behind the data, no top or right spine,
    constrained layout, 300 dpi and tight bounding boxes when saving, and editable (Type 42)
    fonts in PDF / PostScript. matplotlib's rcParams are restored when the block ends.

    Notes
    -----
    Text resolves a generic family such as "sans-serif" when it is drawn, so a figure made
    inside the block but saved after it would lose the Chinese font; surveykit's plot
    functions pin the family on their own text (:func:`use_cjk_fonts`), so their figures
    render correctly wherever they are saved.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with figure_style():
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_title("总体满意度")
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": cjk_font_family() + list(mpl.rcParams["font.sans-serif"]),
        "axes.unicode_minus": False,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.titlelocation": "left",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 10,
        "legend.fontsize": 9,
        "text.color": INK,
        "axes.labelcolor": INK,
        "xtick.color": LIGHT_INK,
        "ytick.color": INK,
        "axes.edgecolor": LIGHT_INK,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": GRID,
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "figure.constrained_layout.use": True,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",  # SVGs render without the font installed
    }
    import matplotlib.pyplot as plt

    # resolve the backend before the context: a notebook's inline backend, loaded inside it, would
    # switch interactive mode on and the context's exit would switch it off (no more figures shown)
    plt.switch_backend(mpl.get_backend())
    with mpl.rc_context(rc):
        yield


def use_cjk_fonts(artist):
    """Pin the CJK-capable family list on every text under ``artist`` (an Axes or Figure).

    Returns the artist, so the figure renders Chinese wherever and whenever it is saved.
    """
    from matplotlib.text import Text

    family = cjk_font_family()
    for text in artist.findobj(Text):
        text.set_fontfamily(family)
    return artist


def diverging_colors(n_negative: int, n_positive: int, neutral: bool) -> list[str]:
    """Reds (strongest first), a grey if ``neutral``, then blues (strongest last).

    Up to four categories a side come straight from ColorBrewer RdBu; longer scales are
    interpolated along the same ramp.
    """
    def side(ramp, n):
        if n <= len(ramp) - 1:  # leave the palest shade out of short scales: too close to grey
            picks = {0: [], 1: [1], 2: [0, 2], 3: [0, 1, 2]}[n]
            return [ramp[i] for i in picks]
        from matplotlib.colors import LinearSegmentedColormap, to_hex

        cmap = LinearSegmentedColormap.from_list("side", ramp)
        return [to_hex(cmap(x)) for x in np.linspace(0, 1, n)]

    return [*side(REDS, n_negative), *([NEUTRAL] if neutral else []), *side(BLUES, n_positive)[::-1]]


def text_color_on(color) -> str:
    """White or dark ink, whichever reads better on ``color`` (WCAG relative luminance)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(color))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return "white" if lin @ [0.2126, 0.7152, 0.0722] < 0.2 else INK


_TOKENS = re.compile(r"[!-~]+|\s+|.")  # runs of Latin letters, digits, ASCII punctuation; or one character
_NO_LINE_START = set("，。、；：！？）》」』】〕,.;:!?)%…")


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _greedy(tokens: list[str], width: int) -> list[str]:
    lines, line = [], ""
    for token in tokens:
        if not line or _columns(line + token) <= width or token in _NO_LINE_START:
            line += token
        else:
            lines.append(line.rstrip())
            line = token.lstrip()
    return [*lines, line.rstrip()]


def wrap_label(text, width: int = 28, max_lines: int = 2) -> str:
    """Wrap a label to lines of at most ``width`` columns, a Chinese character counting two.

    Lines are balanced in length; Latin words are kept whole, Chinese breaks between any two
    characters (but no line starts with closing punctuation), and text beyond ``max_lines``
    lines is cut and ends in "…".

    Examples
    --------
    >>> print(wrap_label("售后服务响应迅速，工程师专业耐心", width=20))
    售后服务响应迅速，
    工程师专业耐心
    >>> print(wrap_label("售后服务响应迅速（含上门安装与调试），工程师专业耐心", width=20))
    售后服务响应迅速（含
    上门安装与调试），…
    """
    text = " ".join(str(text).split())
    tokens = []
    for token in _TOKENS.findall(text):
        tokens.extend(token if _columns(token) > width else [token])  # split words longer than a line
    lines = _greedy(tokens, width)
    if 1 < len(lines) <= max_lines:  # same number of lines, evenly filled
        balanced = _greedy(tokens, min(width, -(-_columns(text) // len(lines)) + 1))
        lines = balanced if len(balanced) == len(lines) else lines
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while _columns(last) > width - 1:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last.rstrip() + "…"]
    return escape_mathtext("\n".join(lines))


def escape_mathtext(text) -> str:
    """``text`` drawn as written: each ``$`` escaped, so matplotlib never reads it as TeX (mathtext).

    A label such as ``$\\frac{1}{$`` would otherwise be parsed as a formula and fail when drawn.

    >>> escape_mathtext("价格 $5-$10")
    '价格 \\\\$5-\\\\$10'
    """
    return str(text).replace("$", "\\$")


# ----------------------------------------------------------------------------- shared by the plot_* functions

def result_table(result, attribute: str, columns, function: str, *, parameter: str = "result",
                 hint: str = "") -> pd.DataFrame:
    """``result.<attribute>`` as a DataFrame holding ``columns``, or the house ValueError.

    ``hint`` ends the message of a wrong or incomplete result (e.g. which call makes the right one).
    """
    table = getattr(result, attribute, None)
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"The {parameter!r} parameter of {function} must have a {attribute!r} attribute holding a "
                         f"DataFrame. Got {type(result).__name__} without one instead.{hint}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"The {parameter!r} parameter of {function} needs the columns "
                         f"{', '.join(map(repr, columns))} in {parameter}.{attribute}; "
                         f"{missing_columns(missing, table.columns)}.{hint}")
    if table.empty:
        raise ValueError(f"The {parameter!r} parameter of {function} has an empty {parameter}.{attribute}: "
                         "nothing to draw.")
    return table


def missing_columns(missing, found) -> str:
    """"'b' is missing (columns found: 'a', 'c')": the end of a message on a table without some columns."""
    return (f"{', '.join(map(repr, missing))} {'is' if len(missing) == 1 else 'are'} missing (columns found: "
            f"{', '.join(map(repr, found)) or 'none'})")


def number_or_nan(value) -> float:
    """``value`` as a float, NaN when it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, (Real, np.number)):
        return np.nan
    return float(value)


def check_unit(name: str, value, function: str) -> float:
    """A number in [0, 1], or the house ValueError naming the parameter."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value <= 1:
        raise ValueError(f"The {name!r} parameter of {function} must be a number between 0 and 1. "
                         f"Got {value!r} instead.")
    return float(value)


def new_axes(figsize):
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]


def plain_axes(ax, grid_axis: str | None) -> None:
    """The house look on axes that may have been made outside ``figure_style()``."""
    ax.set_axisbelow(True)
    ax.grid(False)
    if grid_axis is not None:
        ax.grid(axis=grid_axis, visible=True, color=GRID, linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# Tick labels as module-level functions, not lambdas, so that a figure pickles (the report
# saves its figures in a worker process: surveykit.report._figures).
def percent_tick(value, _pos=None) -> str:
    """A share as a tick label: 0.25 -> '25%'."""
    return f"{100 * value:.0f}%"


def abs_percent_tick(value, _pos=None) -> str:
    """A signed share as an unsigned tick label (diverging bars): -0.25 -> '25%'."""
    return f"{abs(100 * value):.0f}%"


def thousands_tick(value, _pos=None) -> str:
    """An amount with thousands separators: 12500 -> '12,500'."""
    return f"{value:,.0f}"
