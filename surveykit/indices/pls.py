"""PLS path modelling (PLS-PM) of satisfaction-index models (ACSI / ECSI / CCSI), as R ``plspm``.

The algorithm (Lohmöller 1989; Tenenhaus et al. 2005), as plspm's ``get_weights``: items are
centred (and with ``scaled=True`` divided by their sd with the n divisor); the outer weights
start at 1 and are normalised so that each outer estimate has unit variance (n divisor); each
iteration standardises the outer estimates Y (R ``scale(Y) * sqrt((n-1)/n)``), forms inner
estimates Z = Y E (centroid: E = sign of the correlations of adjacent latent variables;
factorial: the correlations; path: for a latent variable's predictors the regression
coefficients of it on them, for its followers the correlations), and sets mode A weights
``w_j = X_j' z_j / n``; it stops when ``sum((|w_old| - |w_new|)²) < tol``. Final weights give
scores of mean 0 and variance 1 (n divisor). A latent variable whose items mostly correlate
negatively with it is reversed (plspm ``get_scores``); here its weights are reversed with it
(plspm leaves the weights' signs as they were).

Loadings are correlations of items with their latent variable; communality = loading²;
redundancy = communality x R² of the block; AVE = mean(loading²) (mode A, standardised). Path
coefficients and their se, t, p come from OLS (with intercept) of each endogenous latent
variable's scores on its predictors' scores; total effects are ``(I - B)⁻¹ - I`` of the path
matrix B, indirect = total - direct. GoF as plspm: only blocks with 2+ items enter the mean
communality.

The 0-100 index (the ACSI method): each item is rescaled by its scale's end points,
``100 (x - a) / (b - a)``, and weighted by the block's outer weights on the raw item scale (the
outer weights themselves when ``scaled=False``, outer weight / item sd when ``scaled=True``),
normalised to sum to 1. Its confidence interval is the t interval of the mean over respondents
(unweighted).

The algorithm runs on a batch of data sets at once (the data and its bootstrap resamples).
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import item_frame
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option

__all__ = ["PLSResult", "pls_pm"]

SCHEMES = ("centroid", "factorial", "path")


@dataclass(frozen=True)
class PLSResult(Result):
    """A PLS path model fitted by Lohmöller's algorithm (R ``plspm``).

    Attributes
    ----------
    outer_model : DataFrame
        By item: ``block, weight, loading, communality, redundancy`` (plspm ``$outer_model``) and
        ``index_weight`` (the item's share of its block's 0-100 index, summing to 1 in a block).
        Also ``to_frame()``.
    inner_model : DataFrame
        One row per path (``target, predictor``): the OLS regression of each endogenous latent
        variable on its predictors' scores, ``estimate, se, t, p_value`` (plspm ``$inner_model``,
        intercept rows left out: the scores are centred, so the intercepts are 0).
    path_coefs : DataFrame
        Latent variables x latent variables, ``path_coefs.loc[target, source]`` (plspm ``$path_coefs``).
    r_squared : Series
        R² by latent variable (0 for an exogenous one).
    inner_summary : DataFrame
        By latent variable: ``type`` ('exogenous' / 'endogenous'), ``r_squared,
        block_communality, mean_redundancy, ave`` (plspm ``$inner_summary``).
    scores : DataFrame
        Latent variable scores by respondent (mean 0, variance 1 with the n divisor), indexed like
        the rows used.
    effects : DataFrame
        By ordered pair of latent variables joined by a path: ``from, to, direct, indirect, total``.
    gof : float
        Goodness of fit: sqrt(mean communality of the blocks with 2+ items x mean R² of the
        endogenous latent variables).
    index : DataFrame
        The 0-100 index of each latent variable: ``index`` (mean over respondents), ``se``,
        ``ci_low, ci_high`` (t interval at ``ci_level``), ``scale_min, scale_max`` (the end
        points used), ``n_obs``.
    index_scores : DataFrame
        The 0-100 index by respondent and latent variable.
    bootstrap : DataFrame or None
        With ``n_boot > 0``: by path (``'IMAG -> EXPE'``), ``original, mean, se, ci_low, ci_high``
        (percentile interval) of the path coefficients over the resamples.
    blocks, paths : dict
        The model as fitted (latent variable -> tuple of items; target -> tuple of predictors).
    n_iter : int
        Iterations of the outer-weight estimation.
    converged : bool
        Whether the squared change of the outer weights fell below ``tol`` within ``max_iter``.
    """

    outer_model: pd.DataFrame
    inner_model: pd.DataFrame
    path_coefs: pd.DataFrame
    r_squared: pd.Series
    inner_summary: pd.DataFrame
    scores: pd.DataFrame
    effects: pd.DataFrame
    gof: float
    index: pd.DataFrame
    index_scores: pd.DataFrame
    bootstrap: pd.DataFrame | None
    blocks: dict
    paths: dict
    scheme: str
    scaled: bool
    n_iter: int
    converged: bool
    n_obs: int
    n_dropped: int
    nan_policy: str
    n_boot: int
    ci_level: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.outer_model.copy()

    def summary(self) -> Summary:
        lines = [f"{len(self.blocks)} latent variables, {len(self.outer_model)} items, n = {self.n_obs} "
                 f"({self.n_dropped} rows dropped, nan_policy={self.nan_policy!r}); scheme={self.scheme!r}, "
                 f"scaled={self.scaled}; {self.n_iter} iterations"
                 + ("" if self.converged else "; DID NOT CONVERGE"),
                 f"GoF = {self.gof:.3f}", *self.notes]
        tables = [("Outer model", self.outer_model),
                  ("Inner model", self.inner_model.set_index(["target", "predictor"])),
                  ("Inner summary", self.inner_summary), ("Effects", self.effects),
                  ("Index (0-100)", self.index)]
        if self.bootstrap is not None:
            title = (f"Bootstrap of the path coefficients ({self.n_boot} resamples, "
                     f"{self.ci_level:.0%} percentile interval)")
            tables.append((title, self.bootstrap))
        return Summary(title="PLS path model", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<PLSResult n_lv={len(self.blocks)} n_items={len(self.outer_model)} scheme={self.scheme!r} "
                f"gof={self.gof:.3f} n_iter={self.n_iter} converged={self.converged} n_obs={self.n_obs}>")


# ----------------------------------------------------------------------------------------------
# Model checks


def _close(name, known) -> str:
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_blocks(blocks, columns) -> dict:
    if not isinstance(blocks, Mapping):
        raise TypeError("pls_pm takes blocks as a mapping of latent variable -> list of item columns, e.g. "
                        f"{{'SAT': ['sat1', 'sat2', 'sat3']}}; got {type(blocks).__name__}.")
    if len(blocks) < 2:
        raise ValueError(f"pls_pm: a path model needs at least 2 latent variables; blocks has {len(blocks)}.")
    out = {}
    for lv, items in blocks.items():
        if not isinstance(lv, str) or not lv:
            raise ValueError(f"pls_pm: latent variable names must be non-empty strings; got {lv!r}.")
        if isinstance(items, str) or not hasattr(items, "__iter__"):
            raise TypeError(f"pls_pm: the items of latent variable {lv!r} must be a list of columns; got {items!r}.")
        items = tuple(items)
        if not items:
            raise ValueError(f"pls_pm: latent variable {lv!r} has no items; give it at least one item column "
                             "or remove it from blocks and paths.")
        repeated = sorted({i for i in items if items.count(i) > 1}, key=items.index)
        if repeated:
            raise ValueError(f"pls_pm: latent variable {lv!r} lists items {repeated} more than once.")
        out[lv] = items
    owners: dict = {}
    for lv, items in out.items():
        for item in items:
            owners.setdefault(item, []).append(lv)
    shared = {item: lvs for item, lvs in owners.items() if len(lvs) > 1}
    if shared:
        listed = "; ".join(f"{item!r} in {lvs}" for item, lvs in shared.items())
        raise ValueError(f"pls_pm: each item must belong to one block; {len(shared)} item"
                         f"{'s are' if len(shared) > 1 else ' is'} in two or more: {listed}.")
    unknown = [item for item in owners if item not in set(columns)]
    if unknown:
        cols = list(columns)
        raise DataError(f"pls_pm: blocks name {len(unknown)} item{'s' if len(unknown) > 1 else ''} that are not "
                        f"columns of the data: "
                        + ", ".join(f"{u!r} (block {owners[u][0]!r}){_close(u, cols)}" for u in unknown[:5])
                        + f". The data has {len(cols)} columns ({cols[:12]}{' ...' if len(cols) > 12 else ''}).")
    return out


def _check_paths(paths, lvs: list) -> dict:
    if not isinstance(paths, Mapping):
        raise TypeError("pls_pm takes paths as a mapping of endogenous latent variable -> list of its predictors, "
                        f"e.g. {{'SAT': ['EXPE', 'QUAL', 'VAL'], 'LOY': ['SAT']}}; got {type(paths).__name__}.")
    if not paths:
        raise ValueError("pls_pm: paths is empty; give each endogenous latent variable its predictors.")
    out = {}
    for target, preds in paths.items():
        if target not in lvs:
            raise ValueError(f"pls_pm: paths names {target!r}, which is not a latent variable of blocks "
                             f"{lvs}{_close(target, lvs)}.")
        if isinstance(preds, str):
            preds = [preds]
        preds = tuple(preds)
        if not preds:
            raise ValueError(f"pls_pm: paths gives {target!r} no predictors; give at least one or leave it out.")
        for p in preds:
            if p not in lvs:
                raise ValueError(f"pls_pm: predictor {p!r} of {target!r} in paths is not a latent variable of "
                                 f"blocks {lvs}{_close(p, lvs)}.")
            if p == target:
                raise ValueError(f"pls_pm: {target!r} is listed as its own predictor in paths.")
        repeated = sorted({p for p in preds if preds.count(p) > 1}, key=preds.index)
        if repeated:
            raise ValueError(f"pls_pm: paths lists {repeated} more than once as predictors of {target!r}.")
        out[target] = preds
    # Cycles: depth-first search over target <- predictors.
    state: dict = {}

    def visit(node, trail):
        if state.get(node) == 1:
            cycle = trail[trail.index(node):] + [node]
            raise ValueError("pls_pm: paths contain a cycle, " + " -> ".join(repr(c) for c in reversed(cycle))
                             + "; PLS path models must be recursive (no feedback loops): remove one of these paths.")
        if state.get(node) == 2:
            return
        state[node] = 1
        for p in out.get(node, ()):
            visit(p, trail + [node])
        state[node] = 2

    for lv in lvs:
        visit(lv, [])
    connected = set(out) | {p for preds in out.values() for p in preds}
    isolated = [lv for lv in lvs if lv not in connected]
    if isolated:
        raise ValueError(f"pls_pm: latent variables {isolated} have no path to or from any other; connect them in "
                         "paths or remove them from blocks.")
    return out


def _scale_points(value, items, name):
    if isinstance(value, Mapping):
        missing = [i for i in items if i not in value]
        if missing:
            raise ValueError(f"pls_pm: {name} is a mapping but has no entry for items {missing[:8]}.")
        return np.array([float(value[i]) for i in items])
    return np.full(len(items), float(value))


# ----------------------------------------------------------------------------------------------
# The algorithm, on a batch of data sets at once: X has shape (B, n, p), treated (centred, scaled).


@dataclass(frozen=True)
class _Model:
    """The model's structure and the algorithm's options, as the iteration and the bootstrap use them."""
    lvs: list
    items: list
    odm: np.ndarray  # outer design: odm[item, lv] = 1 for the item's block
    idm: np.ndarray  # inner design: idm[target, source] = 1, as plspm's path matrix
    scheme: str
    scaled: bool
    tol: float
    max_iter: int

    @property
    def adj(self) -> np.ndarray:
        return self.idm + self.idm.T

    @property
    def preds_of(self) -> list:
        return [list(np.flatnonzero(self.idm[k])) for k in range(len(self.lvs))]

    @property
    def succ_of(self) -> list:
        return [list(np.flatnonzero(self.idm[:, k])) for k in range(len(self.lvs))]


def _model(spec: dict, path_spec: dict, scheme: str, scaled: bool, tol: float, max_iter: int) -> _Model:
    lvs = list(spec)
    items = [i for its in spec.values() for i in its]
    odm = np.zeros((len(items), len(lvs)))
    for j, lv in enumerate(lvs):
        for item in spec[lv]:
            odm[items.index(item), j] = 1.0
    idm = np.zeros((len(lvs), len(lvs)))
    for target, preds in path_spec.items():
        for source in preds:
            idm[lvs.index(target), lvs.index(source)] = 1.0
    return _Model(lvs, items, odm, idm, scheme, bool(scaled), tol, max_iter)


def _treat(raw: np.ndarray, scaled: bool) -> np.ndarray:
    x = raw - raw.mean(axis=1, keepdims=True)
    if scaled:
        x = x / x.std(axis=1, keepdims=True)  # plspm: sd with the n divisor
    return x


def _standardise(y: np.ndarray, sdv: float) -> np.ndarray:
    """R ``scale(Y) * sdv``: centred, divided by the n-1 sd, times sqrt((n-1)/n)."""
    y = y - y.mean(axis=1, keepdims=True)
    return y / y.std(axis=1, ddof=1, keepdims=True) * sdv


def _corr(y: np.ndarray) -> np.ndarray:
    yc = y - y.mean(axis=1, keepdims=True)
    cov = np.einsum("bni,bnj->bij", yc, yc)
    d = np.sqrt(np.einsum("bii->bi", cov))
    return cov / (d[:, :, None] * d[:, None, :])


def _inner_weights(y, adj, scheme, preds_of, succ_of):
    """The inner weighting E (B, m, m) of the standardised outer estimates ``y``."""
    if scheme == "centroid":
        return np.sign(_corr(y) * adj)
    if scheme == "factorial":
        return _corr(y) * adj
    b, _, m = y.shape
    e = np.zeros((b, m, m))
    r = _corr(y)
    for k in range(m):
        pk = preds_of[k]
        if pk:
            yp = y[:, :, pk]
            coef = np.linalg.solve(np.einsum("bni,bnj->bij", yp, yp), np.einsum("bni,bn->bi", yp, y[:, :, k])[..., None])[..., 0]
            e[:, pk, k] = coef
        sk = succ_of[k]
        if sk:
            e[:, sk, k] = r[:, k, sk]
    return e


def _outer_weights(x, model: _Model):
    """Lohmöller's iteration as plspm ``get_weights`` (mode A); returns W (B, p, m), n_iter, converged."""
    odm, adj, scheme, preds_of, succ_of = model.odm, model.adj, model.scheme, model.preds_of, model.succ_of
    tol, max_iter = model.tol, model.max_iter
    b, n, _ = x.shape
    sdv = math.sqrt((n - 1) / n)
    w = odm[None] / ((x @ odm).std(axis=1, ddof=1) * sdv)[:, None, :]
    w_old = w.sum(axis=2)
    active = np.ones(b, dtype=bool)
    n_iter = np.zeros(b, dtype=int)
    converged = np.zeros(b, dtype=bool)
    for it in range(1, max_iter + 1):
        idx = np.flatnonzero(active)
        xa = x[idx]
        y = _standardise(xa @ w[idx], sdv)
        z = y @ _inner_weights(y, adj, scheme, preds_of, succ_of)
        w_new = odm[None] * (np.einsum("bnp,bnm->bpm", xa, z) / n)
        w[idx] = w_new
        row = w_new.sum(axis=2)
        dif = ((np.abs(w_old[idx]) - np.abs(row)) ** 2).sum(axis=1)
        w_old[idx] = row
        n_iter[idx] = it
        done = dif < tol
        converged[idx[done]] = True
        active[idx[done]] = False
        if not active.any():
            break
    w = w / ((x @ w).std(axis=1, ddof=1) * sdv)[:, None, :]
    # plspm get_scores: flip a latent variable whose items mostly correlate negatively with it.
    scores = x @ w
    xl = _cross_corr(x, scores)
    sign = np.sign(np.sign(xl * odm[None]).sum(axis=1))
    sign[sign == 0] = -1
    w = w * sign[:, None, :]
    return w, n_iter, converged


def _cross_corr(x, y):
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    cov = np.einsum("bnp,bnm->bpm", xc, yc)
    return cov / np.sqrt((xc ** 2).sum(axis=1))[:, :, None] / np.sqrt((yc ** 2).sum(axis=1))[:, None, :]


def _path_coefs(scores, preds_of):
    """OLS path coefficients (B, m, m) [target, source] and R² (B, m); scores are centred."""
    b, _, m = scores.shape
    coefs = np.zeros((b, m, m))
    r2 = np.zeros((b, m))
    for k in range(m):
        pk = preds_of[k]
        if not pk:
            continue
        yp = scores[:, :, pk]
        yk = scores[:, :, k]
        beta = np.linalg.solve(np.einsum("bni,bnj->bij", yp, yp), np.einsum("bni,bn->bi", yp, yk)[..., None])[..., 0]
        coefs[:, k, pk] = beta
        resid = yk - np.einsum("bni,bi->bn", yp, beta)
        r2[:, k] = 1 - (resid ** 2).sum(axis=1) / ((yk - yk.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    return coefs, r2


# ----------------------------------------------------------------------------------------------


def pls_pm(data: pd.DataFrame, blocks: Mapping, paths: Mapping, *, scheme: str = "centroid", scaled: bool = True,
           max_iter: int = 300, tol: float = 1e-6, scale_min=None, scale_max=None, n_boot: int = 0,
           seed=None, ci_level: float = 0.95, nan_policy: str = "listwise") -> PLSResult:
    """PLS path model with reflective (mode A) blocks, as R ``plspm::plspm()``.

    Parameters
    ----------
    data : DataFrame
        One column per item (columns not named in ``blocks`` are ignored).
    blocks : mapping of str -> list of str
        Latent variable -> its item columns (reflective, mode A), e.g.
        ``{"QUAL": ["qual1", "qual2"], "SAT": ["sat1", "sat2"]}``. The order of ``blocks`` is the
        order of the latent variables in every table.
    paths : mapping of str -> list of str
        Each endogenous latent variable -> its predictors, e.g. ``{"SAT": ["QUAL"]}``; the model must be
        recursive (no cycles) and every latent variable must take part in a path.
    scheme : {'centroid', 'factorial', 'path'}
        Inner weighting scheme.
    scaled : bool
        True: items are standardised first (plspm ``scaled = TRUE``); False: only centred, so items
        on a common scale keep their spread (``scaled = FALSE``, usual for satisfaction indices).
    max_iter : int
        Maximum iterations of the outer-weight estimation.
    tol : float
        Convergence when the sum of squared changes of the (absolute) outer weights is below ``tol``.
    scale_min, scale_max : float or mapping of item -> float, optional
        The end points of the items' answer scale (e.g. 0 and 10, or 1 and 5) for the 0-100 index.
        Default: the smallest and largest value observed over all model items, with a note (give
        the scale's end points: the sample's range is not the scale's).
    n_boot : int
        Bootstrap resamples of the path coefficients (0: none).
    seed : int or numpy Generator, optional
        Seed of the resampling.
    ci_level : float
        Level of the bootstrap percentile interval and of the index's confidence interval.
    nan_policy : {'listwise'}
        Respondents with a blank on any model item are dropped.

    Returns
    -------
    PLSResult

    Raises
    ------
    DataError
        When blocks name items that are not columns of the data, or an item is constant, not
        numeric, or (for the index) outside ``[scale_min, scale_max]``.
    ValueError
        For a bad option, a latent variable without items, an item in two blocks, paths naming
        unknown latent variables, a cycle in paths, or a latent variable left out of every path.

    Warns
    -----
    SurveykitWarning
        When the outer weights do not converge within ``max_iter``, when scale end points are
        not given, or when an index weight is negative.

    Notes
    -----
    Equivalent to R ``plspm::plspm(data, path_matrix, blocks, modes = rep("A", m), scheme,
    scaled, tol, maxiter)`` (plspm 0.4.x), with ``$outer_model, $inner_model, $path_coefs,
    $inner_summary, $scores, $effects, $gof``; ``plspm(..., boot.val = TRUE, br = n_boot)$boot$paths``
    for the bootstrap (a random procedure: the numbers agree with R's in distribution only).

    The algorithm, the outer and inner model statistics and the 0-100 index (ACSI method)
    are set out in the module docstring.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.indices.pls import pls_pm
    >>> rng = np.random.default_rng(3)
    >>> qual = rng.normal(size=200)
    >>> sat = 0.6 * qual + 0.8 * rng.normal(size=200)
    >>> items = pd.DataFrame({f"{lv}{i}": np.clip(np.round(6 + 1.5 * (f + 0.6 * rng.normal(size=200))), 0, 10)
    ...                       for lv, f in (("q", qual), ("s", sat)) for i in (1, 2, 3)})
    >>> result = pls_pm(items, {"QUAL": ["q1", "q2", "q3"], "SAT": ["s1", "s2", "s3"]},
    ...                 {"SAT": ["QUAL"]}, scaled=False, scale_min=0, scale_max=10)
    >>> round(float(result.path_coefs.loc["SAT", "QUAL"]), 1), result.converged
    (0.6, True)
    >>> bool(50 < result.index.loc["SAT", "index"] < 70)
    True
    """
    _check_options(data, scheme, scaled, max_iter, tol, n_boot, ci_level, nan_policy)
    spec = _check_blocks(blocks, data.columns)
    path_spec = _check_paths(paths, list(spec))
    model = _model(spec, path_spec, scheme, scaled, tol, max_iter)
    lvs, items = model.lvs, model.items
    frame, dropped = item_frame(data[items], function="pls_pm", nan_policy=nan_policy, min_items=1)
    n = len(frame)
    raw = frame.to_numpy(dtype=float)

    notes = []
    x, w, scores, coefs, r2, n_iter, converged = _fit(raw, model, notes)
    outer = _outer_model(x, raw, w, scores, r2, model)
    lv_index = pd.Index(lvs, name="lv")
    inner_summary, gof = _inner_summary(outer, r2, model)
    index, index_scores = _index(raw, frame.index, outer["index_weight"].to_numpy(), model, scale_min, scale_max,
                                 ci_level, notes)
    boot = _bootstrap(raw, model, n_boot, seed, ci_level, coefs, notes) if n_boot else None
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=2)
    return PLSResult(outer_model=outer, inner_model=_inner_model(scores, model),
                     path_coefs=pd.DataFrame(coefs, index=pd.Index(lvs, name="target"),
                                             columns=pd.Index(lvs, name="source")),
                     r_squared=pd.Series(r2, index=lv_index, name="r_squared"), inner_summary=inner_summary,
                     scores=pd.DataFrame(scores, index=frame.index, columns=lv_index),
                     effects=_effects(coefs, model), gof=gof, index=index, index_scores=index_scores, bootstrap=boot,
                     blocks={lv: tuple(its) for lv, its in spec.items()},
                     paths={t: tuple(ps) for t, ps in path_spec.items()}, scheme=scheme, scaled=bool(scaled),
                     n_iter=n_iter, converged=converged, n_obs=n, n_dropped=int(dropped), nan_policy=nan_policy,
                     n_boot=int(n_boot), ci_level=float(ci_level), notes=tuple(notes))


def _fit(raw: np.ndarray, model: _Model, notes: list):
    """The treated items, outer weights, scores, path coefficients and R² on the data; iterations, convergence."""
    x = _treat(raw[None], model.scaled)
    w, n_iter, conv = _outer_weights(x, model)
    w, n_iter, converged = w[0], int(n_iter[0]), bool(conv[0])
    if not converged:
        notes.append(f"The outer weights did not converge in {model.max_iter} iterations (tol={model.tol}): the "
                     "results are unreliable; raise max_iter or check the model (plspm stops with an error here).")
    scores = x[0] @ w
    coefs, r2 = _path_coefs(scores[None], model.preds_of)
    return x, w, scores, coefs[0], r2[0], n_iter, converged


def _check_options(data, scheme, scaled, max_iter, tol, n_boot, ci_level, nan_policy) -> None:
    check_option("scheme", scheme, SCHEMES, function="pls_pm")
    check_option("nan_policy", nan_policy, ("listwise",), function="pls_pm")
    check_option("scaled", scaled, (True, False), function="pls_pm")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"pls_pm takes a DataFrame of items (one column per item); got {type(data).__name__}.")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"The 'max_iter' parameter of pls_pm must be a positive integer. Got {max_iter!r} instead.")
    if not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise ValueError(f"The 'tol' parameter of pls_pm must be a number in (0, 1). Got {tol!r} instead.")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"The 'n_boot' parameter of pls_pm must be a non-negative integer. Got {n_boot!r} instead.")
    if not (isinstance(ci_level, (int, float)) and 0 < ci_level < 1):
        raise ValueError(f"The 'ci_level' parameter of pls_pm must be a number in (0, 1). Got {ci_level!r} instead.")


def _outer_model(x, raw, w, scores, r2, model: _Model) -> pd.DataFrame:
    """By item: block, outer weight, loading, communality, redundancy and the weight in the 0-100 index."""
    xload = _cross_corr(x, scores[None])[0]
    loading = (xload * model.odm).sum(axis=1)
    communality = loading ** 2
    block_of = model.odm.argmax(axis=1)
    redundancy = communality * r2[block_of]
    weight = w.sum(axis=1)
    raw_w = weight if not model.scaled else weight / raw.std(axis=0)
    block_sum = np.bincount(block_of, weights=raw_w, minlength=len(model.lvs))
    index_weight = raw_w / block_sum[block_of]
    return pd.DataFrame({"block": [model.lvs[j] for j in block_of], "weight": weight, "loading": loading,
                         "communality": communality, "redundancy": redundancy, "index_weight": index_weight},
                        index=pd.Index(model.items, name="item"))


def _inner_summary(outer: pd.DataFrame, r2: np.ndarray, model: _Model) -> tuple[pd.DataFrame, float]:
    """By latent variable: type, R², block communality, mean redundancy and AVE; and the GoF."""
    m, block_of = len(model.lvs), model.odm.argmax(axis=1)
    communality, redundancy = outer["communality"].to_numpy(), outer["redundancy"].to_numpy()
    endogenous = model.idm.sum(axis=1) > 0
    summary = pd.DataFrame({
        "type": np.where(endogenous, "endogenous", "exogenous"), "r_squared": r2,
        "block_communality": [communality[block_of == j].mean() for j in range(m)],
        "mean_redundancy": [redundancy[block_of == j].mean() for j in range(m)],
        "ave": [communality[block_of == j].mean() for j in range(m)]}, index=pd.Index(model.lvs, name="lv"))
    multi = np.bincount(block_of, minlength=m)[block_of] > 1
    gof = float(np.sqrt(communality[multi].mean() * r2[endogenous].mean())) if multi.any() else float("nan")
    return summary, gof


def _inner_model(scores: np.ndarray, model: _Model) -> pd.DataFrame:
    """OLS with intercept of each endogenous score on its predictors, se from the residual variance (n - k - 1 df)."""
    n, rows = len(scores), []
    for k, (lv, pk) in enumerate(zip(model.lvs, model.preds_of)):
        if not pk:
            continue
        design = np.column_stack([np.ones(n), scores[:, pk]])
        beta, *_ = np.linalg.lstsq(design, scores[:, k], rcond=None)
        resid = scores[:, k] - design @ beta
        df = n - len(pk) - 1
        sigma2 = resid @ resid / df
        se = np.sqrt(np.diag(np.linalg.inv(design.T @ design)) * sigma2)[1:]
        t = beta[1:] / se
        for src, est, s_e, tv in zip(pk, beta[1:], se, t):
            rows.append({"target": lv, "predictor": model.lvs[src], "estimate": est, "se": s_e, "t": tv,
                         "p_value": 2 * stats.t.sf(abs(tv), df)})
    return pd.DataFrame(rows, columns=["target", "predictor", "estimate", "se", "t", "p_value"])


def _effects(coefs: np.ndarray, model: _Model) -> pd.DataFrame:
    """Direct, indirect and total effect of each latent variable on each one it reaches."""
    lvs, m = model.lvs, len(model.lvs)
    total = np.linalg.inv(np.eye(m) - coefs) - np.eye(m)
    reach = np.linalg.matrix_power(np.eye(m) + model.idm, m) - np.eye(m) > 0  # reach[target, source]
    eff = [{"from": lvs[s], "to": lvs[t], "direct": coefs[t, s], "indirect": total[t, s] - coefs[t, s],
            "total": total[t, s]} for s in range(m) for t in range(m) if s != t and reach[t, s]]
    effects = pd.DataFrame(eff, columns=["from", "to", "direct", "indirect", "total"])
    effects.index = pd.Index([f"{e['from']} -> {e['to']}" for e in eff], name="path")
    return effects


def _index(raw, rows: pd.Index, index_weight, model: _Model, scale_min, scale_max, ci_level, notes: list):
    """The 0-100 index of each latent variable (mean, se, t interval) and each respondent's index scores."""
    items, p, m = model.items, len(model.items), len(model.lvs)
    if scale_min is None or scale_max is None:
        lo = raw.min() if scale_min is None else None
        hi = raw.max() if scale_max is None else None
        notes.append(f"Scale end points not given: the index uses the observed range of the items "
                     f"({lo if lo is not None else scale_min:g} to {hi if hi is not None else scale_max:g}); "
                     "pass scale_min and scale_max (the answer scale's end points, e.g. 0 and 10).")
        scale_min = lo if scale_min is None else scale_min
        scale_max = hi if scale_max is None else scale_max
    a = _scale_points(scale_min, items, "scale_min")
    b = _scale_points(scale_max, items, "scale_max")
    bad = [items[i] for i in range(p) if not b[i] > a[i]]
    if bad:
        raise ValueError(f"pls_pm: scale_max must exceed scale_min; it does not for items {bad[:8]}.")
    outside = [(items[i], int(((raw[:, i] < a[i]) | (raw[:, i] > b[i])).sum())) for i in range(p)
               if ((raw[:, i] < a[i]) | (raw[:, i] > b[i])).any()]
    if outside:
        listed = ", ".join(f"{it!r} ({c} rows)" for it, c in outside[:5])
        raise DataError(f"pls_pm: {len(outside)} item{'s have' if len(outside) > 1 else ' has'} values outside "
                        f"[scale_min, scale_max]: {listed}; give the answer scale's end points, or recode "
                        "the out-of-range values (e.g. 'don't know' codes) to blanks.")
    negative = [items[i] for i in range(p) if index_weight[i] < 0]
    if negative:
        notes.append(f"Items {negative} have negative index weights (they work against their block): check "
                     "reverse-coded items before reading the index.")
    n, block_of, lv_index = len(raw), model.odm.argmax(axis=1), pd.Index(model.lvs, name="lv")
    rescaled = 100 * (raw - a) / (b - a)
    idx_scores = rescaled @ (model.odm * index_weight[:, None])
    mean = idx_scores.mean(axis=0)
    se_idx = idx_scores.std(axis=0, ddof=1) / math.sqrt(n)
    half = stats.t.ppf(0.5 + ci_level / 2, n - 1) * se_idx
    index = pd.DataFrame({"index": mean, "se": se_idx, "ci_low": mean - half, "ci_high": mean + half,
                          "scale_min": [a[block_of == j].min() for j in range(m)],
                          "scale_max": [b[block_of == j].max() for j in range(m)], "n_obs": n}, index=lv_index)
    return index, pd.DataFrame(idx_scores, index=rows, columns=lv_index)


_BOOT_CHUNK = 200  # resamples per batch: bounds memory at ~ chunk x n x p floats


def _bootstrap(raw, model: _Model, n_boot: int, seed, ci_level: float, coefs, notes: list) -> pd.DataFrame:
    """Percentile intervals of the path coefficients over ``n_boot`` resamples of the respondents."""
    rng = np.random.default_rng(seed)
    n, lvs, idm = len(raw), model.lvs, model.idm
    pairs = [(s, t) for s in range(len(lvs)) for t in range(len(lvs)) if idm[t, s]]
    draws = []
    failed = 0
    for start in range(0, n_boot, _BOOT_CHUNK):
        size = min(_BOOT_CHUNK, n_boot - start)
        rows = rng.integers(0, n, size=(size, n))
        with np.errstate(invalid="ignore", divide="ignore"):
            x = _treat(raw[rows], model.scaled)
            w, _, conv = _outer_weights(x, model)
            c, _ = _path_coefs(x @ w, model.preds_of)
        est = np.stack([c[:, t, s] for s, t in pairs], axis=1)
        ok = conv & np.isfinite(est).all(axis=1)
        failed += int((~ok).sum())
        draws.append(est[ok])
    draws = np.concatenate(draws)
    if failed:
        notes.append(f"{failed} of {n_boot} bootstrap resamples were left out (a constant item in the resample, "
                     "or no convergence).")
    alpha = (1 - ci_level) / 2
    names = [f"{lvs[s]} -> {lvs[t]}" for s, t in pairs]
    table = pd.DataFrame({"original": [coefs[t, s] for s, t in pairs], "mean": draws.mean(axis=0),
                          "se": draws.std(axis=0, ddof=1), "ci_low": np.quantile(draws, alpha, axis=0),
                          "ci_high": np.quantile(draws, 1 - alpha, axis=0)}, index=pd.Index(names, name="path"))
    return table
