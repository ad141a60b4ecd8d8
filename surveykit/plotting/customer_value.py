"""Figures of customer value: RFM layers, the Pareto curve of ABC classes, satisfaction by value, value vs satisfaction."""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from .._labels import LANGUAGES
from .._stars import stars
from ..errors import check_option
from ..value.rfm import LAYERS
from ._draw import legend_below as _legend_below
from ._style import (
    BLUES,
    GRID,
    INK,
    LIGHT_INK,
    REDS,
    figure_style,
    new_axes,
    percent_tick,
    plain_axes,
    result_table,
    thousands_tick,
    use_cjk_fonts,
    wrap_label,
)

__all__ = ["plot_pareto", "plot_rfm_layers", "plot_satisfaction_by_value", "plot_value_satisfaction"]

#: Shading of the A, B and C bands of the Pareto chart (strong to pale blue).
CLASS_COLORS = {"A": BLUES[1], "B": BLUES[2], "C": BLUES[3]}
HEADING_BAND = "#f2f2f2"

_TEXT = {
    "zh": {
        "customers": "客户占比", "revenue": "收入占比", "profit": "利润占比",
        "customer_share": "累计客户占比（按价值从高到低）", "value_share": "累计{basis}占比",
        "basis_profit": "利润", "basis_revenue": "收入", "basis_value": "价值",
        "curve": "帕累托曲线", "equality": "均等线（各客户价值相同）",
        "band": "{cls} 类：{customers} 客户，{value} {basis}",
        "class": "{cls} 类", "layer": "RFM 分层", "abc_class": "ABC 分类",
        "estimate_ci": "均值及 {level} 置信区间", "overall": "已关联受访者总体 {value}",
        "p": "{test} p = {p}", "p_small": "{test} p < 0.001", "welch": "Welch ANOVA", "chi": "卡方检验",
        "save": "挽留名单（{n} 人）", "others": "其他已关联受访者（{n} 人）",
        "zone": "高价值、低满意", "threshold": "满意度阈值 {value}", "a_min": "A 类最低价值 {value}",
        "abc_value": "客户{basis}（{as_of} 前累计）", "clv_retention": "客户生命周期价值（保留率模型）",
        "clv_simple": "客户生命周期价值（简单模型）", "monetary": "客户消费金额",
    },
    "en": {
        "customers": "Share of customers", "revenue": "Share of revenue", "profit": "Share of profit",
        "customer_share": "Cumulative share of customers (highest value first)", "value_share": "Cumulative share of {basis}",
        "basis_profit": "profit", "basis_revenue": "revenue", "basis_value": "value",
        "curve": "Pareto curve", "equality": "Equality line (every customer worth the same)",
        "band": "{cls}: {customers} of customers, {value} of {basis}",
        "class": "Class {cls}", "layer": "RFM layer", "abc_class": "ABC class",
        "estimate_ci": "Mean with {level} CI", "overall": "All linked respondents {value}",
        "p": "{test} p = {p}", "p_small": "{test} p < 0.001", "welch": "Welch ANOVA", "chi": "chi-square",
        "save": "Save list ({n})", "others": "Other linked respondents ({n})",
        "zone": "High value, low satisfaction", "threshold": "Satisfaction threshold {value}",
        "a_min": "Lowest class-A value {value}",
        "abc_value": "Customer {basis} (to {as_of})", "clv_retention": "Customer lifetime value (retention form)",
        "clv_simple": "Customer lifetime value (simple form)", "monetary": "Customer spend",
    },
}


def _percent(v: float) -> str:
    return f"{100 * v:.0f}%" if abs(v) >= 0.095 or v == 0 else f"{100 * v:.1f}%"


def _measure_label(link, key: str, language: str) -> str:
    """The label of a survey measure in the figure's language (the link's own label for other keys)."""
    from .._labels import LABELS, index_label

    if key in LABELS and key != "top2_box":
        return index_label(key, language)
    if key == "nps_group":
        return "NPS 分组" if language == "zh" else "NPS groups"
    return str(getattr(link, "measures", {}).get(key, key))


def _layer_label(key, language: str) -> str:
    return LAYERS[key][language] if key in LAYERS else str(key)


# ----------------------------------------------------------------------------- RFM layers

def plot_rfm_layers(rfm, *, value="revenue", language="zh", ax=None, label_width: int = 20, **kwargs):
    """Each RFM layer's share of customers next to its share of revenue (or profit).

    Parameters
    ----------
    rfm : RFMResult or CustomerValueLink
        From :func:`surveykit.value.rfm` (or a link, whose ``rfm`` is used): its ``layers``
        table gives ``customers``, ``share`` and ``revenue_share`` (``profit_share`` with a
        cost column).
    value : {'revenue', 'profit'}, default 'revenue'
        Which share of value to set beside the share of customers.
    language : {'zh', 'en'}, default 'zh'
        Language of the layer names and the legend.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of layers is made.
    label_width : int, default 20
        Width of the layer names before wrapping, in columns (a Chinese character counts two).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` for both series (e.g. ``height=0.3``).

    Returns
    -------
    matplotlib.axes.Axes
        Two bar containers (``ax.containers``): customer shares, then value shares, one bar
        per layer with customers, top to bottom in the layers table's order.

    Raises
    ------
    ValueError
        A result without a ``layers`` table holding those columns, no layer with customers,
        ``value='profit'`` without profit, or an option outside its values.

    Notes
    -----
    Layers without customers (``dormant`` with the default windows) are left out. A layer
    whose customers returned more than they bought (``returns_only``) has a negative value
    share, drawn to the left of zero. A layer whose value bar is longer than its customer bar
    brings more than its head count: the manager's first question about an RFM layering.

    Examples
    --------
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value import rfm
    >>> from surveykit.plotting.customer_value import plot_rfm_layers
    >>> r = rfm(generate_example(n_respondents=100, n_customers=800).transactions, customer="customer_id",
    ...         date="date", amount="amount", as_of=AS_OF)
    >>> ax = plot_rfm_layers(r)
    >>> len(ax.containers[0]) == int((r.layers["customers"] > 0).sum())
    True
    """
    function = "plot_rfm_layers"
    check_option("language", language, LANGUAGES, function=function)
    check_option("value", value, ("revenue", "profit"), function=function)
    source = getattr(rfm, "rfm", rfm)
    table = result_table(source, "layers", ("customers", "share", f"{value}_share"), function, parameter="rfm",
                         hint=" Pass the result of surveykit.value.rfm" + (" on transactions with a cost column."
                                                                            if value == "profit" else "."))
    table = table[table["customers"] > 0]
    if table.empty:
        raise ValueError(f"The 'rfm' parameter of {function} has no layer with customers: nothing to draw.")
    text = _TEXT[language]
    n = len(table)
    cust = table["share"].to_numpy(float)
    val = table[f"{value}_share"].to_numpy(float)
    y = np.arange(n)[::-1].astype(float)
    h = 0.38
    with figure_style():
        if ax is None:
            ax = new_axes((7.5, 0.55 * n + 1.4))
        bar_kw = {"height": h, "edgecolor": "white", "linewidth": 0.5, **kwargs}
        c1 = ax.barh(y + h / 2, cust, **{"color": BLUES[2], **bar_kw})
        c2 = ax.barh(y - h / 2, val, **{"color": BLUES[0], **bar_kw})
        span = max(float(np.nanmax(np.r_[cust, val, 0])), 0.05)
        low = min(float(np.nanmin(np.r_[val, 0])), 0.0)
        for bars, shares in ((c1, cust), (c2, val)):
            for bar, s in zip(bars, shares):
                end = bar.get_x() + bar.get_width()
                ax.text(end + (0.01 if s >= 0 else -0.01) * span, bar.get_y() + bar.get_height() / 2, _percent(s),
                        ha="left" if s >= 0 else "right", va="center", fontsize=8, color=INK, gid="layer_share")
        ticks = [wrap_label(_layer_label(k, language), label_width) + f"  (n={int(c):,})"
                 for k, c in zip(table.index, table["customers"])]
        ax.set_yticks(y, ticks)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(low - (0.12 * span if low < 0 else 0), span * 1.15)
        ax.set_ylim(-0.7, n - 0.3)
        ax.xaxis.set_major_formatter(percent_tick)
        if low < 0:
            ax.axvline(0, color=LIGHT_INK, linewidth=0.8)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        _legend_below(ax, [c1, c2], [text["customers"], text[value]], 22)
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- Pareto curve

def plot_pareto(abc, *, language="zh", ax=None, equality=True, **kwargs):
    """The Pareto curve of an ABC classification, with the A / B / C boundaries.

    Parameters
    ----------
    abc : ABCResult or CustomerValueLink
        From :func:`surveykit.value.abc` (or a link, whose ``abc`` is used): its ``pareto``
        curve (``customer_share``, ``value_share``) and ``classes`` table (``customers``,
        ``customer_share``, ``value_share``).
    language : {'zh', 'en'}, default 'zh'
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure is made.
    equality : bool, default True
        Draw the equality line (every customer worth the same).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the curve (e.g. ``color='black'``).

    Returns
    -------
    matplotlib.axes.Axes
        The curve is ``ax.lines[0]`` (gid ``'pareto'``), x the cumulative share of customers
        and y the cumulative share of value, both 0-1; each class is a shaded band (gid
        ``'abc_band'``) with its label (gid ``'abc_label'``).

    Raises
    ------
    ValueError
        A result without the ``pareto`` and ``classes`` tables, or an option outside its values.

    Notes
    -----
    Customers are ordered by value, highest first; the curve rises steeply over the few
    customers who bring most of the value. The bands span each class's share of customers;
    the label gives its share of customers and of value. With loss-making customers the
    curve ends below 1 (shares are of the positive total: the "whale curve").

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.value import abc
    >>> from surveykit.plotting.customer_value import plot_pareto
    >>> r = abc(pd.Series([500, 300, 100, 60, 40], index=list("uvwxy")))
    >>> ax = plot_pareto(r)
    >>> [float(v) for v in ax.lines[0].get_ydata()] == r.pareto["value_share"].tolist()
    True
    """
    function = "plot_pareto"
    check_option("language", language, LANGUAGES, function=function)
    source = getattr(abc, "abc", abc)
    hint = " Pass the result of surveykit.value.abc."
    curve = result_table(source, "pareto", ("customer_share", "value_share"), function, parameter="abc", hint=hint)
    classes = result_table(source, "classes", ("customers", "customer_share", "value_share"), function,
                           parameter="abc", hint=hint)
    text = _TEXT[language]
    name = str(getattr(source, "name", "") or "")
    basis = text.get(f"basis_{name}", text["basis_value"])
    x = curve["customer_share"].to_numpy(float)
    y = curve["value_share"].to_numpy(float)
    with figure_style():
        if ax is None:
            ax = new_axes((6.8, 5.2))
        line, = ax.plot(x, y, **{"color": BLUES[0], "linewidth": 2.0, "zorder": 3, "gid": "pareto", **kwargs})
        handles, labels = [line], [text["curve"]]
        if equality:
            handles.append(ax.plot([0, 1], [0, 1], color=LIGHT_INK, linewidth=0.9, linestyle=(0, (4, 2.5)),
                                   zorder=2)[0])
            labels.append(text["equality"])
        start = 0.0
        top = max(1.0, float(np.nanmax(y)))
        for k, (cls, row) in enumerate(classes.iterrows()):
            end = start + float(row["customer_share"])
            if row["customers"] > 0:
                ax.axvspan(start, end, color=CLASS_COLORS.get(str(cls), GRID), alpha=0.35, linewidth=0, zorder=0.5,
                           gid="abc_band")
                if k < len(classes) - 1:
                    ax.axvline(end, color=LIGHT_INK, linewidth=0.8, zorder=1, gid="abc_boundary")
                label = text["band"].format(cls=cls, customers=_percent(row["customer_share"]),
                                            value=_percent(row["value_share"]), basis=basis)
                ax.text(0.985, 0.05 + 0.075 * (len(classes) - 1 - k), label, transform=ax.transAxes, ha="right",
                        va="bottom", fontsize=8.5, color=INK, gid="abc_label",
                        bbox={"facecolor": CLASS_COLORS.get(str(cls), GRID), "alpha": 0.6, "edgecolor": "none",
                              "pad": 2})
                ax.text((start + end) / 2, top * 1.045, str(cls), ha="center", va="bottom", fontsize=10,
                        color=INK, gid="abc_letter")
            start = end
        ax.set_xlim(0, 1)
        ax.set_ylim(min(0.0, float(np.nanmin(y))), top * 1.12)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(percent_tick)
        ax.set_yticks([t for t in np.linspace(0, 1, 6) if t <= top * 1.12])
        ax.set_xlabel(text["customer_share"])
        ax.set_ylabel(text["value_share"].format(basis=basis))
        plain_axes(ax, "both")
        _legend_below(ax, handles, labels, 40, ncol=1)
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- satisfaction by value

_MEANS_COLUMNS = ("segment", "level", "measure", "row", "estimate", "ci_low", "ci_high", "n_obs")


def _p_text(p: float, test: str, language: str) -> str:
    text = _TEXT[language]
    if not np.isfinite(p):
        return ""
    shown = text["p_small"].format(test=test) if p < 0.001 else text["p"].format(test=test, p=f"{p:.3f}")
    return shown + stars(p)  # stars by the one convention (surveykit.stars)


def _reference_value(link, rows: pd.DataFrame, measure: str, reference, function: str) -> float:
    """The value of the reference line: the linked respondents' mean ('overall'), a given number, or NaN (None)."""
    if reference is None:
        return np.nan
    if isinstance(reference, Real) and not isinstance(reference, bool) and np.isfinite(reference):
        return float(reference)
    if not (isinstance(reference, str) and reference == "overall"):
        raise ValueError(f"The 'reference' parameter of {function} must be 'overall', a finite number or None. "
                         f"Got {reference!r} instead.")
    ref_value = np.nan
    b = getattr(link, "by_layer", None)
    est = getattr(b, "estimates", None)
    if isinstance(est, pd.DataFrame):
        hit = est[(est["variable"] == measure) & (est["row"] == "mean") & (est["column"] == b.table.columns[-1])]
        ref_value = float(hit["estimate"].iloc[0]) if len(hit) else np.nan
    if not np.isfinite(ref_value):
        sub = rows[rows["segment"] == "layer"]
        ref_value = float(np.average(sub["estimate"], weights=sub["n_obs"])) if len(sub) else np.nan
    return ref_value


def _level_entries(link, rows: pd.DataFrame, measure: str, language: str) -> list:
    """The figure's rows, top to bottom: (heading with the Welch ANOVA p, None), then (None, level row) per level."""
    text = _TEXT[language]
    tests = getattr(link, "tests", None)
    entries: list[tuple[str | None, pd.Series | None]] = []
    for seg in ("layer", "abc_class"):
        sub = rows[rows["segment"] == seg]
        if sub.empty:
            continue
        p = np.nan
        if isinstance(tests, pd.DataFrame) and len(tests):
            hit = tests[(tests["segment"] == seg) & (tests["measure"] == measure) & (tests["test"] == "welch_anova")]
            p = float(hit["p_value"].iloc[0]) if len(hit) else np.nan
        heading = text[seg] + (f"（{_p_text(p, text['welch'], language)}）" if language == "zh" and np.isfinite(p)
                               else f" ({_p_text(p, text['welch'], language)})" if np.isfinite(p) else "")
        entries.append((heading, None))
        entries.extend((None, r) for _, r in sub.iterrows())
    return entries


def plot_satisfaction_by_value(link, *, measure="satisfaction_index", language="zh", ax=None, reference="overall",
                               label_width: int = 20, **kwargs):
    """A survey measure by RFM layer and by ABC class, each level's mean with its confidence interval.

    Parameters
    ----------
    link : CustomerValueLink
        From :func:`surveykit.value.survey.link_survey`: its ``means`` table (and ``tests``,
        ``measures``, ``by_layer`` when present).
    measure : str, default 'satisfaction_index'
        One of the link's measures: ``'satisfaction_index'``, ``'loyalty_index'``,
        ``'value_index'``, ``'delivered_value'`` / ``'value_difference'``, ``'nps'``.
    language : {'zh', 'en'}, default 'zh'
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure sized to the number of levels is made.
    reference : 'overall', number or None, default 'overall'
        The vertical reference line: the mean of all linked respondents, a given value, or none.
    label_width : int, default 20
        Width of the level names before wrapping.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib.axes.Axes
        One errorbar container (``ax.containers[0]``) with a point per level, top to bottom:
        the RFM layers, then the ABC classes, each group under a shaded heading that gives its
        Welch ANOVA p value.

    Raises
    ------
    ValueError
        A result without a ``means`` table, an unknown ``measure`` (the message lists the
        known ones), a bad ``reference``, or an option outside its values.

    Notes
    -----
    The intervals are the banner's: t intervals with the effective base - 1 degrees of
    freedom (weighted: Kish's effective base). A level with one answer has no interval. The
    p value in each heading is Welch's one-way ANOVA across the levels of that group; the
    column letters of ``link.by_layer`` / ``link.by_class`` say which pairs differ.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value.survey import link_survey
    >>> from surveykit.plotting.customer_value import plot_satisfaction_by_value
    >>> link = link_survey(sk.example_data(), generate_example().transactions, customer="customer_id",
    ...                    date="date", amount="amount", cost="cost", as_of=AS_OF)
    >>> ax = plot_satisfaction_by_value(link)
    >>> len(ax.containers[0].lines[0].get_xdata()) == len(link.level_means("layer")) + 3
    True
    """
    function = "plot_satisfaction_by_value"
    check_option("language", language, LANGUAGES, function=function)
    means = result_table(link, "means", _MEANS_COLUMNS, function, parameter="link",
                         hint=" Pass the result of surveykit.value.survey.link_survey.")
    means = means[means["row"] == "mean"]
    check_option("measure", measure, list(pd.unique(means["measure"])), function=function)
    rows = means[means["measure"] == measure]
    text = _TEXT[language]
    ref_value = _reference_value(link, rows, measure, reference, function)
    entries = _level_entries(link, rows, measure, language)
    n_rows = len(entries)
    y = np.arange(n_rows)[::-1].astype(float)
    is_level = np.array([r is not None for _, r in entries])
    level_rows = [r for _, r in entries if r is not None]
    est = np.array([float(r["estimate"]) for r in level_rows])
    lo = np.array([float(r["ci_low"]) for r in level_rows])
    hi = np.array([float(r["ci_high"]) for r in level_rows])
    yl = y[is_level]
    by = getattr(link, "by_layer", None)
    level_ci = getattr(by, "ci_level", None)

    def tick(heading, r):
        if r is None:
            return heading
        name = _layer_label(r["level"], language) if r["segment"] == "layer" else text["class"].format(cls=r["level"])
        return wrap_label(name, label_width) + f"  (n={int(r['n_obs'])})"

    label = _measure_label(link, measure, language)
    with figure_style():
        if ax is None:
            ax = new_axes((7.5, 0.34 * n_rows + 1.7))
        ok = np.isfinite(est)
        xerr = np.nan_to_num(np.vstack([est - lo, hi - est]))[:, ok]
        container = ax.errorbar(est[ok], yl[ok], xerr=xerr, **{
            "fmt": "o", "color": BLUES[0], "ecolor": BLUES[0], "elinewidth": 1.6, "capsize": 3, "markersize": 5.5,
            "markeredgecolor": "white", "markeredgewidth": 0.6, "zorder": 3, **kwargs})
        handles = [container]
        labels = [text["estimate_ci"].format(level=f"{level_ci:.0%}" if isinstance(level_ci, Real) else "95%")]
        spread = np.r_[est, lo, hi, ref_value]
        spread = spread[np.isfinite(spread)]
        width = float(spread.max() - spread.min()) or 1.0
        decimals = 1 if width > 5 else 2 if width > 0.5 else 3
        for e, h, yi in zip(est[ok], hi[ok], yl[ok]):
            ax.annotate(f"{e:.{decimals}f}", (h if np.isfinite(h) else e, yi), xytext=(5, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=8.5, color=INK)
        if np.isfinite(ref_value):
            handles.append(ax.axvline(ref_value, color=INK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2))
            labels.append(text["overall"].format(value=f"{ref_value:.{decimals}f}"))
        ax.set_xlim(spread.min() - 0.06 * width, spread.max() + 0.18 * width)
        ax.set_ylim(-0.6, n_rows - 0.4)
        ax.set_yticks(y, [tick(h, r) for h, r in entries])
        for ticklabel, (heading, _) in zip(ax.get_yticklabels(), entries):
            if heading is not None:
                ticklabel.set_fontsize(10.5)
                ticklabel.set_color(INK)
        ax.tick_params(axis="y", length=0)
        for yi in y[~is_level]:
            ax.axhspan(yi - 0.5, yi + 0.5, color=HEADING_BAND, linewidth=0, zorder=0.3)
        xlabel = wrap_label(label, 64)
        ax.set_xlabel(xlabel)
        plain_axes(ax, "x")
        ax.spines["left"].set_visible(False)
        _legend_below(ax, handles, labels, 26 + 13 * (xlabel.count("\n") + 1))
        use_cjk_fonts(ax)
    return ax


# ----------------------------------------------------------------------------- value vs satisfaction

_X_CHOICES = ("abc_value", "clv_retention", "clv_simple", "monetary")


def _auto_scale(values: np.ndarray) -> str:
    """'log' for positive values spanning more than a factor of 50, 'symlog' for wide ones with zeros or
    negatives (customer value is heavy-tailed), else 'linear'."""
    positive = values[values > 0]
    wide = len(positive) and positive.max() / max(positive.min(), 1e-12) > 50
    return ("log" if wide else "linear") if (values > 0).all() else ("symlog" if wide else "linear")


def _save_zone(ax, a_min: float, threshold: float, label: str) -> None:
    """Shade the save-list zone: A-class value (from ``a_min`` right) and satisfaction below ``threshold``."""
    from matplotlib.patches import Rectangle

    (left, right), bottom = ax.get_xlim(), ax.get_ylim()[0]
    ax.add_patch(Rectangle((a_min, bottom), right - a_min, threshold - bottom, facecolor=REDS[3], alpha=0.5,
                           linewidth=0, zorder=0.5, gid="save_zone"))
    ax.set_xlim(left, right)
    ax.text(0.985, 0.02, label, transform=ax.transAxes, ha="right", va="bottom", fontsize=9, color=REDS[0])


def plot_value_satisfaction(link, *, x="abc_value", y="satisfaction_index", language="zh", ax=None, xscale="auto",
                            **kwargs):
    """Each linked respondent's customer value against their satisfaction, the save list highlighted.

    Parameters
    ----------
    link : CustomerValueLink
        From :func:`surveykit.value.survey.link_survey`.
    x : {'abc_value', 'clv_retention', 'clv_simple', 'monetary'}, default 'abc_value'
        The value axis: the value the ABC classes rank (profit, or revenue without cost), CLV,
        or net spend.
    y : str, default 'satisfaction_index'
        A 0-100 measure of the link's table (``'satisfaction_index'``, ``'loyalty_index'``,
        ``'value_index'``).
    language : {'zh', 'en'}, default 'zh'
    ax : matplotlib Axes, optional
    xscale : {'auto', 'linear', 'log', 'symlog'}, default 'auto'
        'auto': logarithmic when every value is positive and they span more than a factor
        of 50 (customer value is heavy-tailed), symmetric-log when some are zero or negative
        and they span widely, else linear.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` for both groups of points.

    Returns
    -------
    matplotlib.axes.Axes
        Two scatter collections: the other linked respondents (gid ``'others'``), then the
        save list (gid ``'save_list'``, red, on top). With ``x='abc_value'`` and
        ``y='satisfaction_index'``, the save-list zone (A-class value and satisfaction below
        the threshold) is shaded (gid ``'save_zone'``).

    Raises
    ------
    ValueError
        A result without a ``table`` holding ``status``, ``save``, ``x`` and ``y``, no linked
        respondent with both values, or an option outside its values.

    Notes
    -----
    The save list (``link.save_list``) also holds top-CLV customers outside class A and
    detractors whose satisfaction index is above the threshold: they are red wherever they
    fall. Respondents missing either value are not drawn.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value.survey import link_survey
    >>> from surveykit.plotting.customer_value import plot_value_satisfaction
    >>> link = link_survey(sk.example_data(), generate_example().transactions, customer="customer_id",
    ...                    date="date", amount="amount", cost="cost", as_of=AS_OF)
    >>> ax = plot_value_satisfaction(link)
    >>> [c.get_gid() for c in ax.collections]
    ['others', 'save_list']
    """
    function = "plot_value_satisfaction"
    check_option("language", language, LANGUAGES, function=function)
    check_option("x", x, _X_CHOICES, function=function)
    check_option("xscale", xscale, ("auto", "linear", "log", "symlog"), function=function)
    if not isinstance(y, str):
        raise TypeError(f"The 'y' parameter of {function} must be the name of a 0-100 measure such as "
                         f"'satisfaction_index'. Got {y!r} instead.")
    table = result_table(link, "table", ("status", "save", x, y), function, parameter="link",
                         hint=" Pass the result of surveykit.value.survey.link_survey"
                              + (" with a cost column or margin (for CLV)." if x.startswith("clv") else "."))
    t = table[(table["status"] == "linked").to_numpy()]
    xv = pd.to_numeric(t[x], errors="coerce").to_numpy(float)
    yv = pd.to_numeric(t[y], errors="coerce").to_numpy(float)
    ok = np.isfinite(xv) & np.isfinite(yv)
    if not ok.any():
        raise ValueError(f"The 'link' parameter of {function} has no linked respondent with both {x!r} and {y!r}: "
                         "nothing to draw.")
    save = t["save"].to_numpy(bool) & ok
    other = ~t["save"].to_numpy(bool) & ok
    text = _TEXT[language]
    basis = getattr(link, "abc_basis", "value")
    as_of = getattr(link, "as_of", None)
    xlabel = text[x].format(basis=text.get(f"basis_{basis}", basis),
                            as_of="" if as_of is None else str(pd.Timestamp(as_of).date()))
    ylabel = _measure_label(link, y, language)
    pos = xv[ok]
    if xscale == "auto":
        xscale = _auto_scale(pos)
    with figure_style():
        if ax is None:
            ax = new_axes((7.2, 5.4))
        threshold = getattr(link, "low_satisfaction", None)
        classes = getattr(getattr(link, "abc", None), "classes", None)
        a_min = (float(classes.at["A", "min_value"]) if x == "abc_value" and isinstance(classes, pd.DataFrame)
                 and "A" in classes.index else np.nan)
        handles, labels = [], []
        if isinstance(threshold, Real) and y == "satisfaction_index":
            line = ax.axhline(threshold, color=REDS[1], linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=1.5)
            handles.append(line)
            labels.append(text["threshold"].format(value=f"{threshold:g}"))
            if np.isfinite(a_min):
                ax.axvline(a_min, color=LIGHT_INK, linewidth=0.9, linestyle=(0, (1, 2)), zorder=1.5)
        scatter_kw = {"s": 16, "linewidths": 0.4, "edgecolors": "white", **kwargs}
        others = ax.scatter(xv[other], yv[other], **{"color": "#9e9e9e", "alpha": 0.65, "zorder": 2, "gid": "others",
                                                     **scatter_kw})
        saved = ax.scatter(xv[save], yv[save], **{"color": REDS[0], "zorder": 3, "gid": "save_list",
                                                  **scatter_kw, "s": scatter_kw["s"] * 1.8})
        handles = [saved, others, *handles]
        labels = [text["save"].format(n=int(save.sum())), text["others"].format(n=int(other.sum())), *labels]
        ax.set_xscale(xscale, **({"linthresh": float(np.percentile(np.abs(pos[pos != 0]), 10)) if (pos != 0).any()
                                  else 1.0} if xscale == "symlog" else {}))
        if xscale != "linear":  # plain numbers (1,000), not powers of ten, for a reader of money
            ax.xaxis.set_major_formatter(thousands_tick)
        if y in ("satisfaction_index", "loyalty_index", "value_index"):
            ax.set_ylim(-3, 103)
        if isinstance(threshold, Real) and y == "satisfaction_index" and np.isfinite(a_min):
            _save_zone(ax, a_min, threshold, text["zone"])
        ax.set_xlabel(xlabel)
        ax.set_ylabel(wrap_label(ylabel, 40))
        plain_axes(ax, "both")
        _legend_below(ax, handles, labels, 40, ncol=2)
        use_cjk_fonts(ax)
    return ax
