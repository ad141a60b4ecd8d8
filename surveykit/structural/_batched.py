"""Every bootstrap resample of a set of linear regressions at once, from cross-product moments.

Private to the structural wing. A resample of the rows is a vector of counts c (how often each
row is drawn); each regression of a resample needs only the weighted moments V' diag(c) V of
the model's variables V (constant first, the others centred at their full-sample means so that
the normal equations are well conditioned; centring changes the intercepts only, which no
effect uses). With P the n x q(q+1)/2 matrix of the products of every pair of columns, the
moments of a block of resamples are one matrix product ``counts @ P``; each equation's
coefficients are a batched ``np.linalg.solve`` on sub-blocks of those moments. No refit per
resample: the work is one BLAS matrix product per block of resamples.

The jackknife (for BCa's acceleration) uses the same moments: leaving row i out subtracts
its products P[i] from the full-sample sums.
"""

from __future__ import annotations

import numpy as np

from .._bootstrap import bootstrap_interval

BLOCK_CELLS = 2 ** 24  # row indices per block of resamples (64 MB of uint32, 134 MB of float64 counts)


def resample_blocks(rng: np.random.Generator, n: int, n_boot: int):
    """Row indices of the resamples, block by block: uint32 arrays (resamples in block, n) drawn in order.

    Drawing block by block consumes the generator as one
    ``rng.integers(0, n, (n_boot, n), dtype=np.uint32)`` would, so the resamples do not depend
    on the block size (32-bit draws: twice as fast as 64-bit ones; n is below 2**32).
    """
    per = max(1, BLOCK_CELLS // max(n, 1))
    for start in range(0, n_boot, per):
        yield rng.integers(0, n, size=(min(per, n_boot - start), n), dtype=np.uint32)


class Moments:
    """The products of every pair of the model's variables, and the equations to solve from them.

    ``values``: n x (q - 1) variables (no constant); ``equations``: (predictor columns,
    response column) pairs indexing the variables with the constant prepended as column 0.
    """

    def __init__(self, values: np.ndarray, equations: list):
        n = len(values)
        v = values - values.mean(axis=0)
        self.v = np.column_stack([np.ones(n), v])
        self.q = self.v.shape[1]
        self.iu = np.triu_indices(self.q)
        self.products = self.v[:, self.iu[0]] * self.v[:, self.iu[1]]  # n x q(q+1)/2
        self.equations = equations

    def _square(self, flat: np.ndarray) -> np.ndarray:
        out = np.empty((len(flat), self.q, self.q))
        out[:, self.iu[0], self.iu[1]] = flat
        out[:, self.iu[1], self.iu[0]] = flat
        return out

    def solve(self, flat: np.ndarray) -> list:
        """The coefficients (constant first) of every equation, for each row of moments ``flat``."""
        m = self._square(flat)
        out = []
        for predictors, response in self.equations:
            s = np.asarray(predictors)
            a = m[:, s[:, None], s[None, :]]
            b = m[:, s, response]
            out.append(np.linalg.solve(a, b[..., None])[..., 0])
        return out

    def resampled(self, idx: np.ndarray) -> list:
        """Coefficients of every equation on each resample of row indices ``idx`` (resamples x n)."""
        k, n = idx.shape
        counts = np.empty((k, n))
        for b in range(k):  # one C call per resample: its counts stay in the CPU cache while they are added
            counts[b] = np.bincount(idx[b], minlength=n)
        return self.solve(counts @ self.products)

    def jackknife(self) -> list:
        """Coefficients of every equation with each row left out in turn (n rows)."""
        return self.solve(self.products.sum(axis=0) - self.products)


def bootstrap_effects(model, values: np.ndarray, n_boot: int, seed, ci: str):
    """The effects of ``model`` (``bootstrap_equations()``, ``indirect(coefs)``) on every resample, and on
    every leave-one-out sample for ``ci='bca'`` (else None)."""
    moments = Moments(values, model.bootstrap_equations())
    rng = np.random.default_rng(seed)
    reps = np.vstack([model.indirect(moments.resampled(idx)) for idx in resample_blocks(rng, len(values), n_boot)])
    return reps, (model.indirect(moments.jackknife()) if ci == "bca" else None)


def interval(reps: np.ndarray, estimate: float, jack: np.ndarray | None, level: float, ci: str) -> dict:
    """Estimate, bootstrap SD and interval of one effect from its replicates (column of ``reps``)."""
    low, high = bootstrap_interval(reps, estimate, jack, level, ci)
    return {"estimate": float(estimate), "se": float(reps.std(ddof=1)) if len(reps) > 1 else np.nan,
            "ci_low": low, "ci_high": high}
