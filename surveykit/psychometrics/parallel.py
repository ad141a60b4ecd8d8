"""Horn's parallel analysis for the number of factors and components, sampled in batches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from ..errors import check_option
from ._common import check_correlation, correlation, item_frame
from .efa import fit_factors

__all__ = ["parallel_analysis", "ParallelAnalysisResult", "simulate_eigenvalues"]

SAMPLERS = ("wishart", "data")
_BATCH_CELLS = 4_000_000  # matrices per batch x p^2: bounds memory to ~100 MB whatever p


@dataclass(frozen=True)
class ParallelAnalysisResult:
    """Observed eigenvalues against those of random data of the same shape.

    Attributes
    ----------
    eigenvalues : DataFrame
        Indexed by number 1..p: ``observed_pc`` (eigenvalues of the correlation matrix),
        ``simulated_pc`` (the threshold from random data), ``observed_fa`` and
        ``simulated_fa`` (eigenvalues of the reduced correlation matrix of a one-factor
        minres fit, as psych), and the simulated means ``simulated_pc_mean``,
        ``simulated_fa_mean``.
    n_factors, n_components : int
        Leading observed eigenvalues above the simulated threshold.
    threshold : str
        What the observed values are compared with ("95th percentile" or "mean").
    """

    eigenvalues: pd.DataFrame
    n_factors: int
    n_components: int
    threshold: str
    n_iter: int
    seed: int | None
    sampler: str
    n_obs: int
    n_dropped: int
    nan_policy: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.eigenvalues.copy()

    def summary(self) -> Summary:
        lines = [f"Parallel analysis suggests {self.n_factors} factor(s) and {self.n_components} component(s) "
                 f"(observed eigenvalues above the {self.threshold} of {self.n_iter} random data sets)",
                 f"{len(self.eigenvalues)} items, n = {self.n_obs} ({self.n_dropped} rows dropped, "
                 f"nan_policy={self.nan_policy!r})", *self.notes]
        return Summary(title="Parallel analysis", lines=lines, tables=[("Eigenvalues", self.eigenvalues)])

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return (f"<ParallelAnalysisResult n_factors={self.n_factors} n_components={self.n_components} "
                f"n_items={len(self.eigenvalues)} n_obs={self.n_obs}>")


def _random_correlations(n: int, p: int, size: int, rng: np.random.Generator, sampler: str) -> np.ndarray:
    """``size`` sample correlation matrices of n independent standard normal variables."""
    if sampler == "data":  # the textbook way: simulate the data, correlate
        x = rng.standard_normal((size, n, p))
        x -= x.mean(axis=1, keepdims=True)
        w = np.einsum("bni,bnj->bij", x, x)
    else:  # Bartlett decomposition of Wishart(n - 1, I): the scatter matrix without the data
        a = np.zeros((size, p, p))
        rows, cols = np.tril_indices(p, -1)
        a[:, rows, cols] = rng.standard_normal((size, len(rows)))
        a[:, np.arange(p), np.arange(p)] = np.sqrt(rng.chisquare(n - 1 - np.arange(p), size=(size, p)))
        w = a @ a.transpose(0, 2, 1)
    d = 1 / np.sqrt(np.diagonal(w, axis1=1, axis2=2))
    return w * d[:, :, None] * d[:, None, :]


def _one_factor_communalities(r: np.ndarray, *, tol: float = 1e-10, max_iter: int = 100) -> np.ndarray:
    """Communalities of one-factor least-squares fits of a batch of correlation matrices.

    Minimises the off-diagonal residual sum of squares over the loadings, which is psych's
    minres criterion for ``fa(r, 1)`` (the uniquenesses absorb the diagonal), by Newton
    steps on all matrices at once (with the Hessian's eigenvalues made positive, so that
    every step goes downhill), from a few iterated principal-axis steps; a step that does
    not lower the criterion is halved. Communalities are capped at 0.995 as psych
    bounds uniquenesses below at 0.005.
    """
    size, p = r.shape[0], r.shape[-1]
    diag = np.arange(p)
    m = r.copy()
    m[:, diag, diag] = 1 - 1 / np.diagonal(np.linalg.inv(r), axis1=1, axis2=2)
    for _ in range(3):  # principal axes: a start near the optimum
        values, vectors = np.linalg.eigh(m)
        lam = vectors[:, :, -1] * np.sqrt(np.maximum(values[:, -1:], 1e-12))
        m[:, diag, diag] = lam ** 2
    off = 1 - np.eye(p)

    def loss(rr, lam):
        e = (rr - lam[:, :, None] * lam[:, None, :]) * off
        return (e ** 2).sum(axis=(1, 2)) / 2, e

    f, e = loss(r, lam)
    active = np.ones(size, dtype=bool)  # matrices still iterating
    for _ in range(max_iter):
        i = np.flatnonzero(active)
        li, ei = lam[i], e[i]
        grad = -2 * np.einsum("bij,bj->bi", ei, li)
        hess = (-2 * r[i] + 4 * li[:, :, None] * li[:, None, :]) * off
        hess[:, diag, diag] = 2 * ((li ** 2).sum(axis=1, keepdims=True) - li ** 2)
        values, vectors = np.linalg.eigh(hess)  # saddle-free Newton: |eigenvalues|, always downhill
        step = -np.einsum("bij,bj->bi", vectors,
                          np.einsum("bji,bj->bi", vectors, grad) / np.maximum(np.abs(values), 1e-8))
        for _ in range(30):
            f_new, e_new = loss(r[i], li + step)
            worse = f_new > f[i]
            if not worse.any():
                break
            step[worse] /= 2
        lam[i], f[i], e[i] = li + step, f_new, e_new
        active[i[np.abs(step).max(axis=1) < tol]] = False
        if not active.any():
            break
    return np.minimum(lam ** 2, 0.995)


def simulate_eigenvalues(n_obs: int, n_items: int, *, n_iter: int = 100, seed=None, sampler: str = "wishart",
                         factors: bool = True):
    """Eigenvalues of correlation matrices of random normal data, ``n_iter`` x ``n_items``.

    Parameters
    ----------
    n_obs, n_items : int
        Shape of the data to mimic.
    n_iter : int
    seed : int or Generator, optional
    sampler : {'wishart', 'data'}
        'wishart' (default) draws each scatter matrix from Wishart(n_obs - 1, I) by the
        Bartlett decomposition: O(p^3) per matrix whatever n_obs. 'data' simulates n_obs x
        n_items normal data and correlates it, as psych's ``fa.parallel`` (O(n p^2)); the two
        have the same distribution.
    factors : bool
        Also return the eigenvalues of the one-factor reduced matrices.

    Returns
    -------
    (pc, fa) : ndarray of shape (n_iter, n_items) each, descending; fa is None if not asked.
    """
    check_option("sampler", sampler, SAMPLERS, function="simulate_eigenvalues")
    rng = np.random.default_rng(seed)
    per_batch = max(1, _BATCH_CELLS // (n_items * n_items * (n_obs if sampler == "data" else 1)))
    pcs, fas = [], []
    for start in range(0, n_iter, per_batch):
        r = _random_correlations(n_obs, n_items, min(per_batch, n_iter - start), rng, sampler)
        pcs.append(np.linalg.eigvalsh(r)[:, ::-1])
        if factors:
            h = _one_factor_communalities(r)
            idx = np.arange(n_items)
            r[:, idx, idx] = h
            fas.append(np.linalg.eigvalsh(r)[:, ::-1])
    return np.vstack(pcs), (np.vstack(fas) if factors else None)


def _leading_above(observed: np.ndarray, threshold: np.ndarray) -> int:
    above = observed > threshold
    return int(len(above) if above.all() else np.argmin(above))


def parallel_analysis(data: pd.DataFrame, *, n_iter: int = 100, seed=None, quantile: float | None = 0.95,
                      nan_policy: str = "listwise", sampler: str = "wishart") -> ParallelAnalysisResult:
    """Horn's parallel analysis: how many factors (and components) to retain.

    Parameters
    ----------
    data : DataFrame
        One column per item.
    n_iter : int, default 100
        Random data sets simulated.
    seed : int, optional
        For reproducible thresholds.
    quantile : float or None, default 0.95
        Compare each observed eigenvalue with this quantile of the simulated ones (psych's
        ``fa.parallel`` default, ``quant = .95``); None compares with their mean (Horn 1965).
    nan_policy : {'listwise', 'pairwise'}
    sampler : {'wishart', 'data'}
        How random correlation matrices are drawn; see :func:`simulate_eigenvalues`.

    Returns
    -------
    ParallelAnalysisResult

    Notes
    -----
    R equivalent: ``psych::fa.parallel(x, fm="minres", fa="both", sim=TRUE)``. Factor
    eigenvalues are those of the correlation matrix with the communalities of a one-factor
    minres solution on its diagonal, as psych (``SMC = FALSE``). psych also resamples the
    observed data; we only simulate normal data (its ``sim`` line), and we draw the
    correlation matrices from the Wishart distribution rather than from simulated data, so
    the cost does not grow with the number of respondents. The observed eigenvalues equal
    psych's; the simulated ones agree in distribution, not draw for draw. The number
    suggested is the count of leading observed eigenvalues above the threshold.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import parallel_analysis
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(400, 2))
    >>> x = pd.DataFrame(np.repeat(f, 4, axis=1) + rng.normal(size=(400, 8)))
    >>> parallel_analysis(x, seed=1).n_factors
    2
    """
    check_option("sampler", sampler, SAMPLERS, function="parallel_analysis")
    if isinstance(n_iter, bool) or not isinstance(n_iter, (int, np.integer)) or n_iter < 1:
        raise ValueError(f"The 'n_iter' parameter of parallel_analysis must be a positive integer. Got {n_iter!r} instead.")
    if quantile is not None and not 0 < quantile < 1:
        raise ValueError("The 'quantile' parameter of parallel_analysis must be between 0 and 1, or None for the mean. "
                         f"Got {quantile!r} instead.")
    x, dropped = item_frame(data, function="parallel_analysis", nan_policy=nan_policy, min_items=3)
    r = correlation(x)
    notes = check_correlation(r, list(x.columns), n_obs=len(x), function="parallel_analysis")
    p = r.shape[0]
    observed_pc = np.linalg.eigvalsh(r)[::-1]
    h = (fit_factors(r, 1, "minres", None)["unrotated"] ** 2).ravel()
    reduced = r.copy()
    np.fill_diagonal(reduced, h)
    observed_fa = np.linalg.eigvalsh(reduced)[::-1]
    sim_pc, sim_fa = simulate_eigenvalues(len(x), p, n_iter=n_iter, seed=seed, sampler=sampler)

    def cut(values):
        return values.mean(axis=0) if quantile is None else np.quantile(values, quantile, axis=0)

    table = pd.DataFrame({"observed_pc": observed_pc, "simulated_pc": cut(sim_pc),
                          "observed_fa": observed_fa, "simulated_fa": cut(sim_fa),
                          "simulated_pc_mean": sim_pc.mean(axis=0), "simulated_fa_mean": sim_fa.mean(axis=0)},
                         index=pd.RangeIndex(1, p + 1, name="number"))
    threshold = "mean" if quantile is None else f"{quantile * 100:g}th percentile"
    return ParallelAnalysisResult(
        eigenvalues=table, n_factors=_leading_above(observed_fa, table["simulated_fa"].to_numpy()),
        n_components=_leading_above(observed_pc, table["simulated_pc"].to_numpy()), threshold=threshold,
        n_iter=int(n_iter), seed=seed if isinstance(seed, (int, type(None))) else None, sampler=sampler,
        n_obs=len(x), n_dropped=int(dropped), nan_policy=nan_policy, notes=tuple(notes))
