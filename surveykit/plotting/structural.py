"""Figures of structural models on observed scores: the simple slopes of a moderation."""

from __future__ import annotations

from .._labels import LANGUAGES
from ..errors import check_option
from ._style import LIGHT_INK, SERIES_COLORS, SERIES_MARKERS, figure_style, new_axes, plain_axes, result_table, \
    use_cjk_fonts

__all__ = ["plot_simple_slopes"]

_TEXT = {"zh": {"legend": "调节变量 {w}", "jn": "J-N 显著性边界: {bounds}", "none": "J-N: 观测范围内无边界"},
         "en": {"legend": "Moderator {w}", "jn": "Johnson-Neyman bounds: {bounds}", "none": "Johnson-Neyman: no bound "
                "within the observed range"}}
_AT = {"zh": {"mean - 1 SD": "均值 - 1 SD", "mean": "均值", "mean + 1 SD": "均值 + 1 SD"}}


def plot_simple_slopes(result, *, language="zh", ax=None, **kwargs):
    """Predicted outcome against x at each simple-slope value of the moderator (one line each).

    Parameters
    ----------
    result : ModerationResult
        From :func:`surveykit.moderation`; its ``predicted`` table (y at x = mean +- 1 SD for
        each value of w, covariates at their means) is drawn, each line labelled with the
        value of w and the slope's estimate and p-value. The Johnson-Neyman bounds within the
        observed range of w are written in the title.
    language : {'zh', 'en'}
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import moderation
    >>> from surveykit.plotting import plot_simple_slopes
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"价格": rng.normal(size=300), "涉入度": rng.normal(4, 1, 300)})
    >>> d["忠诚"] = 0.2 * d["价格"] * d["涉入度"] + rng.normal(size=300)
    >>> ax = plot_simple_slopes(moderation(d, "价格", "涉入度", "忠诚"))
    >>> len(ax.lines)
    3
    """
    function = "plot_simple_slopes"
    check_option("language", language, LANGUAGES, function=function)
    hint = " Pass the result of surveykit.moderation."
    predicted = result_table(result, "predicted", ["at", "w", "x", "y_hat"], function, hint=hint)
    slopes = result_table(result, "simple_slopes", ["estimate", "p_value"], function, hint=hint)
    text = _TEXT[language]
    with figure_style():
        ax = ax if ax is not None else new_axes((6, 4.2))
        for i, (at, part) in enumerate(predicted.groupby("at", sort=False)):
            s = slopes.loc[at]
            label = f"{_AT.get(language, {}).get(at, at)} ({part.w.iloc[0]:.3g}): b = {s.estimate:.3f}, " \
                    f"p = {s.p_value:.3f}"
            ax.plot(part.x, part.y_hat, color=SERIES_COLORS[i % len(SERIES_COLORS)],
                    marker=SERIES_MARKERS[i % len(SERIES_MARKERS)], label=label, **kwargs)
        ax.set_xlabel(str(result.x))
        ax.set_ylabel(str(result.y))
        bounds = ", ".join(f"{b:.3g}" for b in result.jn_in_range)
        ax.set_title(text["jn"].format(bounds=bounds) if bounds else text["none"], loc="left", fontsize=9,
                     color=LIGHT_INK)
        ax.legend(title=text["legend"].format(w=result.w), frameon=False, fontsize=8, title_fontsize=8.5)
        plain_axes(ax, "y")
        use_cjk_fonts(ax)
    return ax
