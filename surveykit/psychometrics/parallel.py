"""Horn's parallel analysis for the number of factors and components, sampled in batches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import item_frame
from .._render import Summary
from .._result import Result
from ..errors import check_option
from ._common import PSI_MIN, check_correlation, correlation
from .efa import fit_factors

__all__ = ["ParallelAnalysisResult", "parallel_analysis", "simulate_eigenvalues"]

SAMPLERS = ("wishart", "data")
_BATCH_CELLS = 1_000_000  # matrices per batch x p^2 (8 MB an array; the fit holds ~6): tens of MB whatever p
_DATA_CELLS = 4_000_000  # respondents x items simulated at once by the 'data' sampler (32 MB)
_H_MAX = 1 - PSI_MIN  # psych bounds uniquenesses below at 0.005


@dataclass(frozen=True)
class ParallelAnalysisResult(Result):
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
        lines = [(f"Parallel analysis suggests {self.n_factors} factor(s) and {self.n_components} component(s) "
                  f"(observed eigenvalues above the {self.threshold} of {self.n_iter} random data sets)"),
                 (f"{len(self.eigenvalues)} items, n = {self.n_obs} ({self.n_dropped} rows dropped, "
                  f"nan_policy={self.nan_policy!r})"), *self.notes]
        return Summary(title="Parallel analysis", lines=lines, tables=[("Eigenvalues", self.eigenvalues)])

    def __repr__(self) -> str:
        return (f"<ParallelAnalysisResult n_factors={self.n_factors} n_components={self.n_components} "
                f"n_items={len(self.eigenvalues)} n_obs={self.n_obs}>")


def _random_correlations(n: int, p: int, size: int, rng: np.random.Generator, sampler: str) -> np.ndarray:
    """``size`` sample correlation matrices of n independent standard normal variables."""
    if sampler == "data":  # the textbook way: simulate the data, correlate
        x = rng.standard_normal((size, n, p))
        x -= x.mean(axis=1, keepdims=True)
        w = np.matmul(x.transpose(0, 2, 1), x)
    else:  # Bartlett decomposition of Wishart(n - 1, I): the scatter matrix without the data
        a = np.zeros((size, p, p))
        rows, cols = np.tril_indices(p, -1)
        a[:, rows, cols] = rng.standard_normal((size, len(rows)))
        a[:, np.arange(p), np.arange(p)] = np.sqrt(rng.chisquare(n - 1 - np.arange(p), size=(size, p)))
        w = a @ a.transpose(0, 2, 1)
    d = 1 / np.sqrt(np.diagonal(w, axis1=1, axis2=2))
    return w * d[:, :, None] * d[:, None, :]


def _cholesky_or_nan(a: np.ndarray) -> np.ndarray:
    """Lower Cholesky factors of a stack of symmetric matrices, NaN for those not positive definite.

    ``np.linalg.cholesky`` raises if any matrix of the stack fails; its gufunc leaves NaN in the
    failed ones, which is what a batched Newton method needs to know which steps to trust.
    """
    gufunc = getattr(getattr(np.linalg, "_umath_linalg", None), "cholesky_lo", None)
    if gufunc is not None:
        with np.errstate(invalid="ignore"):
            return gufunc(a, signature="d->d")
    try:  # pragma: no cover - numpy without the gufunc
        return np.linalg.cholesky(a)
    except np.linalg.LinAlgError:  # pragma: no cover
        out = np.full_like(a, np.nan)
        ok = np.linalg.eigvalsh(a)[:, 0] > 0
        out[ok] = np.linalg.cholesky(a[ok])
        return out


def _cho_solve(low: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``L L' x = b`` for a stack of lower-triangular L (b of shape (size, p))."""
    p = b.shape[1]
    y = np.empty_like(b)
    for i in range(p):
        y[:, i] = (b[:, i] - np.einsum("bj,bj->b", low[:, i, :i], y[:, :i])) / low[:, i, i]
    x = np.empty_like(b)
    for i in range(p - 1, -1, -1):
        x[:, i] = (y[:, i] - np.einsum("bj,bj->b", low[:, i + 1:, i], x[:, i + 1:])) / low[:, i, i]
    return x


class _OneFactorLoss:
    """psych's minres criterion for one factor as a function of the loadings, for a stack of R.

    fit_factors minimises over the uniquenesses psi in [0.005, 1] the squared residual of R - Psi
    about its best rank-one fit. Minimising instead over the loadings lam, the best psi for given
    lam is known in closed form, psi_i = clip(1 - lam_i^2, 0.005, 1), so the criterion is

        F(lam) = sum_{i != j} (r_ij - lam_i lam_j)^2 + sum_i max(lam_i^2 - 0.995, 0)^2,

    smooth (C^1, piecewise C^2) and unconstrained: the bound on psi is the second term, exactly,
    not a penalty to tune. Its local minima are those of fit_factors, which reports communalities
    lam_i^2 (above 0.995 where psi_i sits at the bound). F and its gradient cost one
    matrix-vector product: F = sum_{i != j} r_ij^2 - 2 lam'(R - I) lam + (lam'lam)^2 - sum lam^4 + ...
    """

    def __init__(self, r: np.ndarray):
        self.r4 = r * -4.0  # the Hessian's constant part
        self.const = np.einsum("bij,bij->b", r, r) - r.shape[-1]

    def subset(self, keep: np.ndarray) -> _OneFactorLoss:
        new = _OneFactorLoss.__new__(_OneFactorLoss)
        new.r4, new.const = self.r4[keep], self.const[keep]
        return new

    def value(self, lam: np.ndarray, rows=None):
        """F at lam, and (R - I) lam; rows: the matrices lam belongs to (default all)."""
        r4, const = (self.r4, self.const) if rows is None else (self.r4[rows], self.const[rows])
        u = np.matmul(r4, lam[:, :, None])[:, :, 0] * -0.25 - lam
        l2 = lam * lam
        over = np.maximum(l2 - _H_MAX, 0)
        value = (const - 2 * (lam * u).sum(axis=1) + l2.sum(axis=1) ** 2 - (l2 * l2).sum(axis=1)
                 + (over * over).sum(axis=1))
        return value, u

    @staticmethod
    def gradient(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
        l2 = lam * lam
        return 4 * (lam * (l2.sum(axis=1, keepdims=True) - l2 + np.maximum(l2 - _H_MAX, 0)) - u)

    def hessian(self, lam: np.ndarray) -> np.ndarray:
        h = np.einsum("bi,bj->bij", lam, 8 * lam)
        h += self.r4
        l2 = lam * lam
        diag = np.arange(lam.shape[1])
        h[:, diag, diag] = 4 * (l2.sum(axis=1, keepdims=True) - l2) + np.where(l2 > _H_MAX, 12 * l2 - 4 * _H_MAX, 0)
        return h


def _levenberg_step(hess: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Downhill steps where the Hessian is not positive definite.

    -(H + mu I)^-1 g with mu the smallest of 1e-3 * 4^k (times the Hessian's largest entry) that
    makes H + mu I positive definite (Levenberg-Marquardt); at a saddle (a vanishing gradient,
    which Newton steps may approach), a step along the most negative curvature instead.
    """
    diag = np.arange(hess.shape[-1])
    mu = 1e-3 * np.maximum(np.abs(hess).max(axis=(1, 2)), 1e-12)
    step = np.zeros_like(g)
    todo = np.arange(len(g))
    for _ in range(40):
        shifted = hess[todo]
        shifted[:, diag, diag] += mu[todo, None]
        ok = ~np.isnan(_cholesky_or_nan(shifted)[:, 0, 0])
        if ok.any():
            step[todo[ok]] = np.linalg.solve(shifted[ok], -g[todo[ok]][:, :, None])[:, :, 0]
        todo = todo[~ok]
        if not len(todo):
            break
        mu[todo] *= 4
    stuck = np.flatnonzero(np.abs(step).max(axis=1) < 1e-8)
    if len(stuck):
        values, vectors = np.linalg.eigh(hess[stuck])
        down = np.where(np.einsum("bi,bi->b", vectors[:, :, 0], g[stuck]) > 0, -1.0, 1.0)
        step[stuck] = vectors[:, :, 0] * (down * np.sqrt(-np.minimum(values[:, 0], 0)) / 4)[:, None]
    return step


def _one_factor_communalities(r: np.ndarray, *, max_iter: int = 100) -> np.ndarray:
    """Communalities of one-factor minres fits of a stack of correlation matrices.

    The fit of ``fit_factors(r, 1, "minres", None)`` (psych's ``fa(r, 1)``), for all matrices at
    once: the criterion of :class:`_OneFactorLoss` minimised over the loadings by Newton's method
    from fit_factors' own start (the principal axis of R with squared multiple correlations on
    its diagonal), so that both land on the same local minimum.

    A step is a Newton step where the Hessian is positive definite (its Cholesky factor exists),
    a Levenberg-Marquardt step elsewhere, so the method does not stop at saddle points; an
    Armijo line search makes every step go downhill. A matrix is done after a full Newton step
    shorter than 3e-6: convergence is then quadratic, the error after the step being about
    C |step|^2 with C below 100 on random matrices, i.e. < 1e-9 (fit_factors' L-BFGS-B itself
    stops ~1e-7 from the optimum); or after ``max_iter`` steps. Matrices leave the batch as they
    converge. Returns lam^2, above 0.995 where the uniqueness sits at psych's bound of 0.005.
    """
    size, p = r.shape[0], r.shape[-1]
    diag = np.arange(p)
    # fit_factors' start: psi = 1 - smc, loadings from the top eigenpair of R - Psi, the
    # eigenvector by one inverse-iteration solve just above the (known) top eigenvalue. The
    # start matters: random matrices often have several local minima (see the tests)
    m = r.copy()
    m[:, diag, diag] = 1 - 1 / np.diagonal(np.linalg.inv(r), axis1=1, axis2=2)
    top = np.linalg.eigvalsh(m)[:, -1]
    m[:, diag, diag] -= (top + 1e-10 * np.abs(top) + 1e-300)[:, None]
    v = np.linalg.solve(m, np.broadcast_to(np.linspace(1.0, 2.0, p), (size, p))[:, :, None])[:, :, 0]
    lam = v * (np.sqrt(np.maximum(top, 0)) / np.linalg.norm(v, axis=1))[:, None]
    del m, v

    out = np.empty((size, p))
    idx = np.arange(size)  # the matrices still iterating, in the order of loss.r
    loss = _OneFactorLoss(r)
    f, u = loss.value(lam)
    g = loss.gradient(lam, u)
    for _ in range(max_iter):
        hess = loss.hessian(lam)
        low = _cholesky_or_nan(hess)
        pd = ~np.isnan(low[:, 0, 0])
        n_pd = int(pd.sum())
        if n_pd >= 4 * p:  # substitution costs O(p) numpy calls, LAPACK O(p^3) flops a matrix
            step = _cho_solve(low, -g)  # NaN where not positive definite, replaced below
        else:
            step = np.empty_like(lam)
            if n_pd:
                step[pd] = np.linalg.solve(hess[pd], -g[pd][:, :, None])[:, :, 0]
        if n_pd < len(pd):
            step[~pd] = _levenberg_step(hess[~pd], g[~pd])
        del hess, low
        slope = (step * g).sum(axis=1)
        t = np.ones(len(lam))
        f_new, u = loss.value(lam + step)
        for _ in range(60):  # halve the steps that do not go down enough (up to rounding)
            bad = np.flatnonzero(f_new > f + 1e-4 * t * slope + 1e-13 * (1 + f))
            if not len(bad):
                break
            t[bad] /= 2
            f_new[bad], u[bad] = loss.value(lam[bad] + t[bad, None] * step[bad], bad)
        step *= t[:, None]
        lam += step
        f, g = f_new, loss.gradient(lam, u)
        length = np.abs(step).max(axis=1)
        done = (pd & (t == 1) & (length < 3e-6)) | (length < 1e-14)
        if done.any():
            out[idx[done]] = lam[done]
            keep = ~done
            idx, lam, f, g = idx[keep], lam[keep], f[keep], g[keep]
            if not len(idx):
                break
            loss = loss.subset(keep)
    out[idx] = lam
    return out ** 2


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
        Also return the eigenvalues of the one-factor reduced matrices: each correlation
        matrix with the communalities of its one-factor minres fit on the diagonal, the fit
        being that of ``fit_factors(r, 1, "minres", None)`` (psych ``fa(r, 1)$values``, as
        ``fa.parallel`` computes its simulated factor eigenvalues), done for the whole batch
        at once.

    Returns
    -------
    (pc, fa) : ndarray of shape (n_iter, n_items) each, descending; fa is None if not asked.

    Notes
    -----
    Matrices are processed in batches of about 1e6 / n_items^2, so memory stays at a few tens
    of MB whatever n_iter and n_items; with 'wishart' the time does not depend on n_obs.
    """
    check_option("sampler", sampler, SAMPLERS, function="simulate_eigenvalues")
    for name, value, low in (("n_obs", n_obs, n_items + 1), ("n_items", n_items, 1), ("n_iter", n_iter, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"The {name!r} parameter of simulate_eigenvalues must be an integer of at least {low}"
                             f"{' (more respondents than items)' if name == 'n_obs' else ''}. Got {value!r} instead.")
    rng = np.random.default_rng(seed)
    per_batch = max(1, _BATCH_CELLS // (n_items * n_items))
    per_draw = per_batch if sampler == "wishart" else max(1, _DATA_CELLS // (n_obs * n_items))
    diag = np.arange(n_items)
    pcs, fas = [], []
    for start in range(0, n_iter, per_batch):
        size = min(per_batch, n_iter - start)
        r = np.concatenate([_random_correlations(n_obs, n_items, min(per_draw, size - k), rng, sampler)
                            for k in range(0, size, per_draw)])
        pcs.append(np.linalg.eigvalsh(r)[:, ::-1])
        if factors:
            r[:, diag, diag] = _one_factor_communalities(r)
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
    # complete data (always so under listwise): BLAS, ~15x faster than pandas' DataFrame.corr that
    # correlation() uses, which would make the observed side cost more than the simulation at large n
    r = np.corrcoef(x.to_numpy(), rowvar=False) if not x.isna().to_numpy().any() else correlation(x)
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
