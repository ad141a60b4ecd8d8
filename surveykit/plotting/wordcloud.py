"""Word clouds of open comments: the keywords or unmatched words of a theme coding, drawn with
surveykit's CJK font."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._labels import LANGUAGES
from ..errors import SurveykitWarning, check_option
from ._fonts import cjk_font_path
from ._style import BLUES, INK, figure_style, new_axes, use_cjk_fonts

__all__ = ["MissingGlyphWarning", "plot_wordcloud"]

WORD_COLORS = (BLUES[0], "#D55E00", "#009E73", BLUES[1], INK, "#CC79A7", "#0072B2")


class MissingGlyphWarning(SurveykitWarning):
    """Words were left out of a word cloud because the font has no glyph for them (emoji, rare scripts)."""


def _frequencies(words, source: str, max_words: int, function: str) -> dict[str, float]:
    """word -> positive frequency, most frequent first, from a result, a Series, a mapping or a frame."""
    if hasattr(words, "counts") and hasattr(words, "segments") and hasattr(words.counts, "themes"):
        words = words.counts
    if hasattr(words, "themes") and hasattr(words, "unmatched_words"):
        if source == "keywords":
            kw = words.keywords(top=max_words)
            freqs = pd.Series(kw["weight"].to_numpy(float), index=kw["word"].to_numpy())
        else:
            freqs = words.unmatched_words.astype(float)
    elif isinstance(words, pd.DataFrame):
        value = next((c for c in ("weight", "count", "frequency") if c in words.columns), None)
        if "word" not in words.columns or value is None:
            raise ValueError(f"The 'words' parameter of {function} is a DataFrame without the columns 'word' and "
                             f"'weight' (or 'count'); columns found: {', '.join(map(repr, words.columns)) or 'none'}. "
                             "Pass ThemeCounts.keywords() or a Series word -> frequency.")
        freqs = words.groupby("word", sort=False)[value].sum().astype(float)
    elif isinstance(words, (pd.Series, Mapping)):
        freqs = pd.Series(words, dtype=object)
        values = pd.to_numeric(freqs, errors="coerce")
        bad = freqs.index[values.isna() & freqs.notna()]
        if len(bad):
            raise ValueError(f"The 'words' parameter of {function} maps {len(bad)} word(s) to values that are not "
                             f"numbers (first: {bad[0]!r} -> {freqs[bad[0]]!r}). Give each word a frequency.")
        freqs = values.astype(float)
    else:
        raise ValueError(f"The 'words' parameter of {function} must be a ThemeCounts (or a field of survey_themes), "
                         f"a Series or mapping word -> frequency, or the frame of ThemeCounts.keywords(). Got "
                         f"{type(words).__name__} instead.")
    freqs = freqs[[isinstance(w, str) and bool(w.strip()) for w in freqs.index]]
    freqs = freqs[np.isfinite(freqs.to_numpy(float)) & (freqs.to_numpy(float) > 0)]
    freqs = freqs.groupby(level=0, sort=False).sum().sort_values(ascending=False, kind="stable")
    return {str(w).strip(): float(v) for w, v in freqs.head(max_words).items()}


def plot_wordcloud(words, *, source="keywords", max_words: int = 80, seed: int = 0, ax=None, language="zh",
                   width: int | None = None, height: int | None = None, **kwargs):
    """A word cloud of Chinese (and other) words, drawn with surveykit's CJK font.

    Parameters
    ----------
    words : ThemeCounts, FieldThemes, Series, mapping or DataFrame
        A theme-count result (see ``source``); a Series or mapping word -> frequency (e.g.
        ``counts.unmatched_words``); or the frame of :meth:`ThemeCounts.keywords`
        (columns ``word`` and ``weight``; several segments are summed).
    source : {'keywords', 'unmatched'}, default 'keywords'
        For a result: TF-IDF keywords of the substantive comments (jieba.analyse, the
        dictionary's tokenizer), or the words of the comments that match no theme.
    max_words : int, default 80
        The most frequent words drawn.
    seed : int, default 0
        Seed of the layout and orientation: the same seed gives the same picture.
    ax : matplotlib Axes, optional
        Where to draw (its axis is switched off). By default a new 8 x 4.5 inch figure.
    language : {'zh', 'en'}, default 'zh'
        Accepted for a uniform signature; the picture has no text of its own.
    width, height : int, optional
        Size of the rendered image in pixels (default: the axes' size at 160 dpi).
    **kwargs
        Passed to ``wordcloud.WordCloud`` (e.g. ``prefer_horizontal=1.0``, ``background_color``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0]`` is the rendered cloud (an RGB array, gid ``'wordcloud'``).

    Raises
    ------
    ImportError
        If the ``wordcloud`` package is not installed (``pip install wordcloud``).
    ValueError
        If there is no word with a positive frequency to draw, or a bad option.

    Warns
    -----
    MissingGlyphWarning
        Words the font cannot draw (emoji, rare scripts) are left out rather than shown as boxes.

    Notes
    -----
    The ``wordcloud`` package draws with PIL onto an image, not with matplotlib's text, so
    matplotlib's font settings do not reach it: it is given the file of surveykit's CJK font
    (:func:`surveykit.plotting.cjk_font_path`), without which Chinese would be empty boxes.
    Its layout is random; ``seed`` fixes it, and colours follow the frequency rank, so a
    figure is reproducible. A word's size shows its frequency only roughly (sizes shrink to
    fit): read numbers from tables, not from a cloud.

    Examples
    --------
    >>> from surveykit.plotting import plot_wordcloud
    >>> ax = plot_wordcloud({"物流": 30, "价格": 22, "客服": 15, "包装": 9, "质量": 12})
    >>> ax.images[0].get_array().shape[2]
    3
    """
    function = "plot_wordcloud"
    check_option("language", language, LANGUAGES, function=function)
    check_option("source", source, ("keywords", "unmatched"), function=function)
    for name, v in (("max_words", max_words), ("seed", seed)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < (1 if name == "max_words" else 0):
            raise ValueError(f"The {name!r} parameter of {function} must be a whole number"
                             f"{' of at least 1' if name == 'max_words' else ', 0 or more'}. Got {v!r} instead.")
    for name, v in (("width", width), ("height", height)):
        if v is not None and (not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 50):
            raise ValueError(f"The {name!r} parameter of {function} must be a whole number of pixels, at least 50. "
                             f"Got {v!r} instead.")
    try:
        from wordcloud import WordCloud
        from wordcloud.wordcloud import FONT_PATH
    except ImportError:  # pragma: no cover - the package is a dependency
        raise ImportError("plot_wordcloud needs the 'wordcloud' package: pip install wordcloud") from None
    freqs = _frequencies(words, source, int(max_words), function)
    font = cjk_font_path() or FONT_PATH
    from matplotlib.ft2font import FT2Font

    face = FT2Font(font)
    drawable = {w: v for w, v in freqs.items() if all(ch.isspace() or face.get_char_index(ord(ch)) for ch in w)}
    dropped = [w for w in freqs if w not in drawable]
    if dropped:
        warnings.warn(f"{function}: {len(dropped)} word(s) left out, the font {font!r} has no glyph for them: "
                      f"{', '.join(map(repr, dropped[:5]))}{' ...' if len(dropped) > 5 else ''}.",
                      MissingGlyphWarning, stacklevel=2)
    if not drawable:
        raise ValueError(f"The 'words' parameter of {function} has no word with a positive frequency to draw"
                         + (" (every word lacks glyphs in the font)" if dropped else "")
                         + ". For a result with source='unmatched', every comment may match a theme: try "
                           "source='keywords'.")
    rank = {w: i for i, w in enumerate(drawable)}

    def color(word, *args, **kw):
        return WORD_COLORS[min(rank.get(word, 0), 4 * len(WORD_COLORS)) % len(WORD_COLORS)]

    with figure_style():
        if ax is None:
            ax = new_axes((8.0, 4.5))
        if width is None or height is None:
            fig = ax.figure
            box = ax.get_position()
            w_in, h_in = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
            width = width or max(int(w_in * 160), 200)
            height = height or max(int(h_in * 160), 120)
        cloud = WordCloud(**{"font_path": font, "width": int(width), "height": int(height),
                             "background_color": "white", "max_words": len(drawable), "random_state": int(seed),
                             "color_func": color, "prefer_horizontal": 0.9, "margin": 2, "relative_scaling": 0.5,
                             "collocations": False, **kwargs})
        cloud.generate_from_frequencies(drawable)
        image = ax.imshow(cloud.to_array(), interpolation="bilinear")
        image.set_gid("wordcloud")
        ax.set_axis_off()
        use_cjk_fonts(ax)  # a title set later shows Chinese too
    return ax
