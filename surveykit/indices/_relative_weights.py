"""Johnson's (2000) relative weights of key_drivers, with all bootstrap resamples computed at once.

With the predictor correlations Rxx = V diag(l) V' and Lambda = V diag(sqrt l) V', beta =
Lambda^-1 rxy and the raw weights are (Lambda^2) beta^2 (elementwise square of Lambda); they
sum to R^2 and, unlike squared betas, split it among correlated drivers. R's ``relaimpo`` has
no such method (its 'lmg' is the Shapley value, which gives close but different numbers).

The bootstrap resamples whole rows (with their weights): ``se`` is the standard deviation of
the replicates; intervals are percentile or BCa as ``scipy.stats.bootstrap``. No refit per
resample: every resample's correlation matrix comes from weighted cross-product sums.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._bootstrap import bootstrap_interval

COLLINEAR = 1e-10  # smallest / largest singular value of the standardized drivers below which they are collinear
_CHUNK_BYTES = 32 * 2 ** 20  # bootstrap row counts held at once (float64, resamples x rows)


def _relative_weights_from_corr(r: np.ndarray):
    """Johnson's raw relative weights from correlation matrices (..., p+1, p+1), outcome last.

    Rxx = V diag(l) V'; Lambda = V diag(sqrt l) V' (the symmetric square root); the
    regression of y on the orthogonal counterparts Z = X Lambda^-1 has beta = Lambda^-1 rxy;
    raw weight j = sum_k Lambda_jk^2 beta_k^2. Returns (raw weights, ok) where ok is False
    for a matrix that is not positive definite (a driver constant in a resample).
    """
    rxx, rxy = r[..., :-1, :-1], r[..., :-1, -1]
    ok = np.isfinite(r).all(axis=(-2, -1))
    rxx = np.where(ok[..., None, None], rxx, np.eye(rxx.shape[-1]))
    rxy = np.where(ok[..., None], rxy, 0.0)
    lam, vec = np.linalg.eigh(rxx)
    ok &= lam[..., 0] > COLLINEAR * lam[..., -1]
    root = np.sqrt(np.clip(lam, COLLINEAR, None))
    vt = np.swapaxes(vec, -1, -2)
    half = (vec * root[..., None, :]) @ vt
    beta = np.einsum("...ij,...j->...i", (vec / root[..., None, :]) @ vt, rxy)
    raw = np.einsum("...ij,...j->...i", half ** 2, beta ** 2)
    return np.where(ok[..., None], raw, np.nan), ok


def _corr_from_sums(s0, s1, s2):
    """Correlation matrices from weighted sums: s0 = sum w, s1 = sum w z (..., m), s2 = sum w z z' (..., m, m)."""
    mean = s1 / s0[..., None]
    cov = s2 / s0[..., None, None] - mean[..., :, None] * mean[..., None, :]
    sd = np.sqrt(np.clip(np.einsum("...ii->...i", cov), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[..., :, None] * sd[..., None, :])


def _rw_bootstrap(z: np.ndarray, w: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Raw relative weights of ``n_boot`` resamples of the rows of ``z`` (centred [drivers, outcome]).

    Resample b is ``rng.integers(0, n, n)``, drawn in order b = 0, 1, ... (the same draws as
    the loop ``for b in range(B): idx = rng.integers(0, n, n)``). For a chunk of resamples
    the row counts C (chunk x n) give every weighted sum at once: sum w = C @ w, sum w z =
    C @ (w z), sum w z_j z_l = C @ (w z_j z_l); the correlation matrices and their relative
    weights are then computed for the whole chunk.
    """
    n, m = z.shape
    iu, ju = np.triu_indices(m)
    features = np.column_stack([w, w[:, None] * z, w[:, None] * z[:, iu] * z[:, ju]])
    chunk = int(max(1, min(n_boot, _CHUNK_BYTES // (8 * n))))
    out = np.empty((n_boot, m - 1))
    for start in range(0, n_boot, chunk):
        c = min(chunk, n_boot - start)
        rows = rng.integers(0, n, size=(c, n))
        counts = np.bincount((rows + n * np.arange(c)[:, None]).ravel(), minlength=c * n).reshape(c, n)
        sums = counts.astype(float) @ features
        s2 = np.empty((c, m, m))
        s2[:, iu, ju] = sums[:, 1 + m:]
        s2[:, ju, iu] = sums[:, 1 + m:]
        out[start:start + c] = _relative_weights_from_corr(_corr_from_sums(sums[:, 0], sums[:, 1:1 + m], s2))[0]
    return out


def _rw_jackknife(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Raw relative weights leaving out each row in turn (for BCa), from downdated sums."""
    n, m = z.shape
    s0, s1, s2 = w.sum(), w @ z, (z * w[:, None]).T @ z
    out = np.empty((n, m - 1))
    step = max(1, 2 ** 22 // (m * m))
    for start in range(0, n, step):
        zb, wb = z[start:start + step], w[start:start + step]
        loo = s2[None] - wb[:, None, None] * zb[:, :, None] * zb[:, None, :]
        out[start:start + step] = _relative_weights_from_corr(_corr_from_sums(s0 - wb, s1[None] - wb[:, None] * zb,
                                                                               loo))[0]
    return out


def relative_weights(y: np.ndarray, x: np.ndarray, w: np.ndarray, drivers: list, n_boot: int, level: float,
                     ci_method: str, seed) -> dict:
    """Relative weights of ``x`` for ``y`` (case weights ``w``, mean 1) with their bootstrap intervals.

    ``warnings`` holds the message when most resamples fail (the caller warns).
    """
    n, p = x.shape
    data = np.column_stack([x, y])
    z = data - np.average(data, axis=0, weights=w)  # centred once: no cancellation in the sums
    s2 = (z * w[:, None]).T @ z
    raw, _ = _relative_weights_from_corr(_corr_from_sums(np.array(w.sum()), w @ z, s2))
    r2 = float(raw.sum())
    share = 100 * raw / r2
    nan = np.full(p, np.nan)
    cols = {"estimate": raw, "se": nan, "p_value": nan, "ci_low": nan, "ci_high": nan, "share": share,
            "share_ci_low": nan, "share_ci_high": nan}
    notes, messages, dist = [], [], None
    if n_boot:
        reps = _rw_bootstrap(z, w, n_boot, np.random.default_rng(seed))
        finite = np.isfinite(reps).all(axis=1)
        if not finite.all():
            notes.append(f"{(~finite).sum()} of {n_boot} bootstrap resamples gave no relative weights (a driver "
                         "constant, or drivers collinear, within the resample); the intervals use the others.")
            if finite.sum() < 0.9 * n_boot:
                messages.append(f"key_drivers: {(~finite).sum()} of {n_boot} bootstrap resamples failed (a driver "
                                "constant or drivers collinear within the resample); the intervals are unreliable.")
        good = reps[finite]
        good_share = 100 * good / good.sum(axis=1, keepdims=True)
        jack = jack_share = None
        if ci_method == "bca":
            jack = _rw_jackknife(z, w)
            jack_share = 100 * jack / jack.sum(axis=1, keepdims=True)
        lo, hi, slo, shi = (np.full(p, np.nan) for _ in range(4))
        if len(good):
            for j in range(p):
                lo[j], hi[j] = bootstrap_interval(good[:, j], raw[j], None if jack is None else jack[:, j], level,
                                                  ci_method)
                slo[j], shi[j] = bootstrap_interval(good_share[:, j], share[j],
                                                    None if jack is None else jack_share[:, j], level, ci_method)
        cols.update(se=good.std(axis=0, ddof=1) if len(good) > 1 else nan, ci_low=lo, ci_high=hi, share_ci_low=slo,
                    share_ci_high=shi)
        dist = pd.DataFrame(reps, columns=pd.Index(drivers, name="driver"),
                            index=pd.RangeIndex(n_boot, name="resample"))
    coefs = pd.DataFrame(cols, index=pd.Index(drivers, name="driver"))
    return {"coefficients": coefs, "importance": share, "r_squared": r2,
            "adj_r_squared": 1 - (1 - r2) * (n - 1) / (n - p - 1), "cov_type": "bootstrap",
            "bootstrap_distribution": dist, "notes": notes, "warnings": messages}
