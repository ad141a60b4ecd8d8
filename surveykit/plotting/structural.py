"""Figures of structural models: the simple slopes of a moderation, and path diagrams of CFA, SEM,
mediation and PLS models."""

from __future__ import annotations

import pandas as pd

from .._labels import LANGUAGES
from .._stars import star_note, stars
from ..errors import check_option
from ._style import INK, LIGHT_INK, SERIES_COLORS, SERIES_MARKERS, figure_style, new_axes, plain_axes, result_table, \
    use_cjk_fonts, wrap_label

__all__ = ["plot_path", "plot_simple_slopes"]

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
                    f"p = {s.p_value:.3f}{stars(s.p_value)}"  # stars by the one convention (surveykit.stars)
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


# ---------------------------------------------------------------------------------------------
# path diagrams (issue 19): laid out by matplotlib alone, layers from left to right

_PATH_TEXT = {"zh": {"std": "标准化系数", "b": "非标准化系数 b", "total": "总效应 c", "r2": "R²"},
              "en": {"std": "Standardised coefficients", "b": "Unstandardised coefficients b", "total": "total c",
                     "r2": "R²"}}
_GAP_X, _GAP_Y = 3.2, 1.0  # data units between layers and between nodes of a layer
_NODE_W, _LATENT_H, _OBSERVED_H = 2.3, 0.72, 0.56
_MARGIN_Y = 0.9


class _Graph:
    """Nodes (name -> kind 'latent' / 'observed', label, R²) and edges (src, dst, value, p, kind)."""

    def __init__(self):
        self.nodes: dict = {}
        self.edges: list = []
        self.order: list = []  # constraints (a, b): b is drawn at least one layer right of a
        self.fixed: dict = {}  # name -> (x, y) when the layout is given (mediation)
        self.standardised = True
        self.caption: list = []

    def node(self, name, kind, r2=float("nan")):
        if name not in self.nodes:
            self.nodes[name] = {"kind": kind, "r2": r2}
        elif kind == "latent":
            self.nodes[name]["kind"] = "latent"

    def edge(self, src, dst, value, p, kind, order=None):
        self.node(src, "observed")
        self.node(dst, "observed")
        self.edges.append((src, dst, float(value), float(p), kind))
        if order is not None:
            self.order.append(order)


def _sem_graph(estimates: pd.DataFrame, r2: pd.DataFrame | None, indicators) -> _Graph:
    if "group" in estimates and estimates["group"].nunique() > 1:
        raise ValueError("plot_path draws single-group models; fit the model of one group (or pass "
                         "result.fits['configural'] of an invariance result's group with sem on that group's rows).")
    g = _Graph()
    loads = estimates[estimates["op"] == "=~"]
    regs = estimates[estimates["op"] == "~"]
    latent = set(loads["lhs"])
    show_items = (len(regs) == 0) if indicators is None else bool(indicators)
    r2_of = {} if r2 is None or not len(r2) else dict(zip(r2["variable"], r2["r2"]))
    for f in dict.fromkeys(loads["lhs"]):
        g.node(f, "latent", r2_of.get(f, float("nan")))
    for _, r in loads.iterrows():
        if r.rhs in latent:  # a second-order loading: the sub-dimension sits left of its factor
            g.edge(r.lhs, r.rhs, r.std_all, r.p_value, "loading", order=(r.rhs, r.lhs))
        elif show_items:
            g.edge(r.lhs, r.rhs, r.std_all, r.p_value, "loading", order=(r.rhs, r.lhs))
    for _, r in regs.iterrows():
        g.edge(r.rhs, r.lhs, r.std_all, r.p_value, "path", order=(r.rhs, r.lhs))
        g.nodes[r.lhs]["r2"] = r2_of.get(r.lhs, float("nan"))
    outcomes = set(regs["lhs"]) | {r.rhs for r in loads.itertuples() if r.rhs in latent}
    covs = estimates[(estimates["op"] == "~~") & (estimates["lhs"] != estimates["rhs"])]
    for _, r in covs.iterrows():
        if {r.lhs, r.rhs} <= latent and not {r.lhs, r.rhs} & outcomes and len(regs):
            g.edge(r.lhs, r.rhs, r.std_all, r.p_value, "cov")
    return g


def _graph(result, indicators):
    """The graph and default labels of any result plot_path draws, or the house ValueError."""
    from ..indices.pls import PLSResult
    from ..psychometrics.cfa import CFAResult
    from ..psychometrics.survey import ConstructValidity
    from ..structural.mediation import MediationResult
    from ..structural.sem import SEMResult
    from ..structural.survey import SurveyValueModel

    labels = {}
    if isinstance(result, SurveyValueModel):
        result, labels = result.sem, result.labels
    elif isinstance(result, ConstructValidity):
        result, labels = result.cfa, dict(result.labels)
    if isinstance(result, SEMResult):
        g = _sem_graph(result.estimates, result.r2, indicators)
        f = result.fit
        g.caption.append(f"χ²({f['df']}) = {f['chi2']:.2f}, CFI = {f['cfi']:.3f}, TLI = {f['tli']:.3f}, "
                         f"RMSEA = {f['rmsea']:.3f}, SRMR = {f['srmr']:.3f}, n = {result.n_obs}")
    elif isinstance(result, CFAResult):
        e = result.estimates
        frame = pd.DataFrame({"lhs": e["factor"], "op": "=~", "rhs": e["item"], "std_all": e["std_estimate"],
                              "p_value": e["p_value"]})
        g = _sem_graph(frame, None, True if indicators is None else indicators)
        f = result.fit
        g.caption.append(f"χ²({f['df']}) = {f['chi2']:.2f}, CFI = {f['cfi']:.3f}, RMSEA = {f['rmsea']:.3f}, "
                         f"SRMR = {f['srmr']:.3f}, n = {result.n_obs}")
    elif isinstance(result, PLSResult):
        g = _pls_graph(result, indicators)
    elif isinstance(result, MediationResult):
        g = _mediation_graph(result)
    else:
        raise ValueError(f"The 'result' parameter of plot_path must be the result of sem, cfa, a value model, "
                         f"construct validity, pls_pm or mediation. Got {type(result).__name__} instead.")
    return g, labels


def _pls_graph(result, indicators) -> _Graph:
    g = _Graph()
    inner = result.inner_model.set_index(["target", "predictor"])
    show_items = (not result.paths) if indicators is None else bool(indicators)
    for lv in result.blocks:
        g.node(lv, "latent", float(result.r_squared.get(lv, float("nan"))) or float("nan"))
    if show_items:
        outer = result.outer_model
        for lv, items in result.blocks.items():
            for item in items:
                g.edge(lv, item, outer.loc[item, "loading"], float("nan"), "loading", order=(item, lv))
    for target, predictors in result.paths.items():
        for src in predictors:
            p = inner["p_value"].get((target, src), float("nan"))
            g.edge(src, target, result.path_coefs.loc[target, src], p, "path", order=(src, target))
    g.caption.append(f"GoF = {result.gof:.3f}, n = {result.n_obs}")
    return g


def _mediation_graph(result) -> _Graph:
    g = _Graph()
    g.standardised = False
    paths = result.paths
    meds = list(result.mediators)
    k = len(meds)
    g.fixed[result.x] = (0.0, 0.0)
    g.fixed[result.y] = (2 * _GAP_X, 0.0)
    for j, m in enumerate(meds):  # serial: along an arc above x -> y; parallel: above, below, higher above ...
        if result.kind == "serial":
            g.fixed[m] = (_GAP_X * (0.5 + j / max(k - 1, 1)), 1.5)
        else:
            g.fixed[m] = (_GAP_X, (1.4 + 1.2 * (j // 2)) * (1 if j % 2 == 0 else -1))
    for label, r in paths.iterrows():
        if label == "c":
            continue
        g.edge(r["from"], r["to"], r.estimate, r.p_value, "path")
    c = paths.loc["c"]
    g.caption.append(f"c = {c.estimate:.3f}{stars(c.p_value)}, c' = {paths.loc['c_prime'].estimate:.3f}"
                     f"{stars(paths.loc['c_prime'].p_value)}, n = {result.n_obs}")
    return g


def _layers(g: _Graph) -> dict:
    """Longest-path layers from the ordering constraints (a, b): layer(b) >= layer(a) + 1."""
    layer = dict.fromkeys(g.nodes, 0)
    for _ in range(len(g.nodes) + 1):
        changed = False
        for a, b in g.order:
            if layer[b] < layer[a] + 1:
                layer[b], changed = layer[a] + 1, True
        if not changed:
            return layer
    raise ValueError("plot_path draws recursive models only: the model's paths form a cycle.")


def _positions(g: _Graph) -> dict:
    if g.fixed:
        return dict(g.fixed)
    layer = _layers(g)
    partners = {n: [] for n in g.nodes}
    for a, b in g.order:
        partners[b].append(a)
        partners[a].append(b)
    pos, rank = {}, {n: i for i, n in enumerate(g.nodes)}
    for lv in range(max(layer.values()) + 1):
        names = [n for n in g.nodes if layer[n] == lv]
        placed = {n: [pos[p][1] for p in partners[n] if p in pos] for n in names}
        want = {n: (sum(v) / len(v) if v else None) for n, v in placed.items()}
        if all(w is None for w in want.values()):
            ys = [-(i - (len(names) - 1) / 2) * _GAP_Y for i in range(len(names))]
        else:
            names.sort(key=lambda n: (-(want[n] if want[n] is not None else 0.0), rank[n]))
            ys = [want[n] if want[n] is not None else 0.0 for n in names]
            for i in range(1, len(ys)):  # at least one gap apart, top to bottom
                ys[i] = min(ys[i], ys[i - 1] - _GAP_Y)
            shift = (sum(w for w in want.values() if w is not None) / sum(w is not None for w in want.values())
                     - sum(ys) / len(ys))
            ys = [y + shift for y in ys]
        for n, y in zip(names, ys):
            pos[n] = (lv * _GAP_X, y)
    return pos


def _edge_label(value: float, p: float, standardised: bool) -> str:
    return f"{value:.2f}{stars(p)}" if standardised else f"{value:.3f}{stars(p)}"


def plot_path(result, *, language="zh", labels=None, indicators=None, ax=None):
    """Path diagram of a CFA, SEM, mediation or PLS result: nodes in layers from left to right,
    each arrow labelled with its coefficient and significance stars.

    Parameters
    ----------
    result : SEMResult, SurveyValueModel, CFAResult, ConstructValidity, PLSResult or MediationResult
        Single-group models. SEM and CFA arrows carry lavaan's completely standardised
        estimates (``std_all``), PLS arrows the path coefficients and loadings (standardised
        by construction), mediation arrows the unstandardised OLS paths a, b and c' (as
        PROCESS reports them; the total effect c is in the caption). Stars come from the
        p-values by the one convention of :func:`surveykit.stars` (fixed parameters, such as
        a factor's marker loading, and PLS loadings have none).
    language : {'zh', 'en'}
        Language of the caption.
    labels : dict, optional
        Node name -> label drawn (a value model and construct validity bring their own).
    indicators : bool, optional
        Draw the observed indicators of the factors; default: only for measurement models
        (CFA, a SEM or PLS model without structural paths).
    ax : matplotlib Axes, optional
        Drawn on a new figure sized to the model when not given.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Latent variables are ellipses, observed ones rectangles, covariances of exogenous factors
    dashed double-headed arcs; an endogenous node shows its R². Every node sits in the layer
    after its predictors (a sub-dimension and an item left of their factor), ordered within its
    layer by its neighbours' heights. No system binary (graphviz) is needed.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import sem
    >>> from surveykit.plotting import plot_path
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=300); m = 0.5 * x + rng.normal(size=300)
    >>> d = pd.DataFrame({f"{v}{i}": s + rng.normal(scale=0.6, size=300) for v, s in zip("xm", (x, m))
    ...                   for i in (1, 2, 3)})
    >>> ax = plot_path(sem(d, "价值 =~ x1 + x2 + x3\\n满意 =~ m1 + m2 + m3\\n满意 ~ 价值"))
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() in ("价值", "满意"))
    ['价值', '满意']
    """
    function = "plot_path"
    check_option("language", language, LANGUAGES, function=function)
    g, own = _graph(result, indicators)
    names = {**own, **(labels or {})}
    pos = _positions(g)
    text = _PATH_TEXT[language]
    with figure_style():
        if ax is None:
            xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
            width = (max(xs) - min(xs)) / _GAP_X * 2.3 + 2.6  # about as many inches per unit across as down
            height = (max(ys) - min(ys) + 2 * _MARGIN_Y) * 0.62 + 0.6
            ax = new_axes((min(max(width, 5.0), 16.0), min(max(height, 2.2), 24.0)))
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        ax.set_xlim(min(xs) - _NODE_W * 0.7, max(xs) + _NODE_W * 0.7)
        ax.set_ylim(min(ys) - _MARGIN_Y, max(ys) + _MARGIN_Y)
        patches = {n: _draw_node(ax, n, pos[n], g.nodes[n], str(names.get(n, n)), text) for n in g.nodes}
        for src, dst, value, p, kind in g.edges:
            _draw_edge(ax, patches, pos, src, dst, _edge_label(value, p, g.standardised), kind, bool(g.fixed))
        ax.set_axis_off()
        caption = [f"{text['std'] if g.standardised else text['b']}; "
                   f"{star_note(language=language)}", *g.caption]
        ax.set_title("\n".join(caption), loc="left", fontsize=8, color=LIGHT_INK)
        use_cjk_fonts(ax)
    return ax


def _draw_node(ax, name, xy, node, label, text):
    from matplotlib.patches import Ellipse, FancyBboxPatch

    x, y = xy
    if node["kind"] == "latent":
        patch = Ellipse((x, y), _NODE_W, _LATENT_H, facecolor="#eaf1f8", edgecolor=SERIES_COLORS[0], linewidth=1.0)
    else:
        patch = FancyBboxPatch((x - _NODE_W / 2, y - _OBSERVED_H / 2), _NODE_W, _OBSERVED_H,
                               boxstyle="round,pad=0,rounding_size=0.05", facecolor="white", edgecolor=LIGHT_INK,
                               linewidth=0.9)
    ax.add_patch(patch)
    ax.text(x, y, wrap_label(label, width=16, max_lines=2), ha="center", va="center", fontsize=8, zorder=4)
    r2 = node.get("r2", float("nan"))
    if r2 == r2:  # not NaN
        ax.text(x, y - _LATENT_H / 2 - 0.04, f"{text['r2']} = {r2:.2f}", ha="center", va="top", fontsize=7,
                color=LIGHT_INK, zorder=4)
    return patch


def _draw_edge(ax, patches, pos, src, dst, label, kind, fixed):
    from matplotlib.patches import FancyArrowPatch

    (x1, y1), (x2, y2) = pos[src], pos[dst]
    skip = kind == "path" and abs(x2 - x1) > _GAP_X * 1.5 and not fixed  # past a layer: an arc around it
    rad = -0.5 if kind == "cov" else (-0.3 if skip else 0.0)  # a skip arc above: R² is written below
    style = "<|-|>" if kind == "cov" else "-|>"
    arrow = FancyArrowPatch((x1, y1), (x2, y2), patchA=patches[src], patchB=patches[dst], arrowstyle=style,
                            mutation_scale=9, connectionstyle=f"arc3,rad={rad}", shrinkA=1, shrinkB=1,
                            color=LIGHT_INK if kind != "path" else INK, linewidth=0.8,
                            linestyle="--" if kind == "cov" else "-", zorder=2)
    ax.add_patch(arrow)
    t = 0.62 if kind == "loading" else 0.5  # a loading: nearer the indicators, which are spread out
    mx, my = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
    if rad:  # the middle of the quadratic Bezier arc3 draws (in display space): halfway to its control point
        (a, b), (c, d) = ax.transData.transform([(x1, y1), (x2, y2)])
        mx, my = ax.transData.inverted().transform(((a + c) / 2 + rad * (d - b) / 2, (b + d) / 2 - rad * (c - a) / 2))
    ax.text(mx, my, label, ha="center", va="center", fontsize=7, zorder=5,
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
