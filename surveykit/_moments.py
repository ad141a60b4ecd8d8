"""Sufficient statistics: weighted moments of row blocks, merged exactly, and the statistics read from them.

One code path for a frame in memory and for the partitions of a Dask frame: each block of rows
gives its :class:`Moments` (per group and column: count, Σw, Σw², the weighted mean and the
centred sums Σw(x - x̄)², Σw²(x - x̄), Σw²(x - x̄)²), its :class:`CategoryCounts` (answers per
code, counted and weighted) and its :class:`CrossMoments` (Σw(x - x̄)(x - x̄)ᵀ over complete
rows); :func:`merge` combines two blocks exactly (Chan, Golub & LeVeque's pairwise update of
centred sums, numerically stable: no Σx² - n x̄² cancellation). A frame in memory is one block.

The statistics: weighted mean, SD (n - 1, as R ``svyvar``), Kish's effective n, the Taylor-
linearized standard error of a weighted mean in a design without strata (R ``survey::svymean``
with ``na.rm = TRUE``: the rows without an answer stay in the design), shares of codes,
median of a coded scale, and the covariance / correlation matrix of complete rows.
Private to the package.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Moments", "CategoryCounts", "CrossMoments", "moments", "moments_by", "category_counts", "cross_moments", "merge",
           "mean", "sd", "effective_n", "mean_se", "shares", "coded_median", "covariance", "correlation",
           "cronbach_alpha"]


def _summer(codes: np.ndarray, n_groups: int):
    """``f(x)``: the column sums of ``x`` (n x k) by group code (0 .. n_groups - 1; -1: in no group) -> (n_groups x k)."""
    if n_groups == 1 and (codes == 0).all():
        return lambda x: x.sum(axis=0)[None, :]  # numpy's pairwise summation
    # by group: a product with the group indicators (BLAS sums in blocks, as accurate as pairwise)
    keep = np.flatnonzero(codes >= 0)
    indicator = np.zeros((n_groups, len(codes)))
    indicator[codes[keep], keep] = 1.0
    return lambda x: indicator @ x


@dataclass(frozen=True)
class Moments:
    """Weighted moments by group (rows) and column, over the valid (non-NaN) values.

    ``rows`` counts every row of the group (answered or not: the design's sample size for
    :func:`mean_se`); the other arrays are (n_groups x k).
    """

    rows: np.ndarray  # (n_groups,) int64
    n: np.ndarray  # valid values, int64
    sw: np.ndarray  # Σw
    sw2: np.ndarray  # Σw²
    mean: np.ndarray  # Σw x / Σw (0 where Σw = 0)
    m2: np.ndarray  # Σw (x - mean)²
    s1w2: np.ndarray  # Σw² (x - mean)
    s2w2: np.ndarray  # Σw² (x - mean)²


def moments(x: np.ndarray, weights: np.ndarray | None = None, codes: np.ndarray | None = None,
            n_groups: int = 1) -> Moments:
    """The :class:`Moments` of the columns of ``x`` (n x k, NaN = no answer) in one block of rows.

    ``codes`` (int, -1 for rows in no group) splits the rows into ``n_groups`` groups; None: one group.
    """
    return moments_by(x, weights, [(codes, n_groups)])[0]


def moments_by(x: np.ndarray, weights: np.ndarray | None, groupings: list) -> list[Moments]:
    """:func:`moments` of one block for several groupings ``[(codes or None, n_groups), ...]`` (the
    per-row products are computed once)."""
    x = np.asarray(x, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    ok = ~np.isnan(x)
    okf = ok.astype(float)
    wm = np.where(ok, w[:, None], 0.0)
    xz = np.where(ok, x, 0.0)
    wm2, wmx = wm * wm, wm * xz
    out = []
    for codes, n_groups in groupings:
        codes = np.zeros(len(x), dtype=np.intp) if codes is None else np.asarray(codes, dtype=np.intp)
        total = _summer(codes, n_groups)
        sw = total(wm)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.where(sw > 0, total(wmx) / sw, 0.0)
        dev = np.where(ok, xz - mu[np.maximum(codes, 0)], 0.0)
        wdev = wm * dev
        out.append(Moments(np.bincount(codes[codes >= 0], minlength=n_groups).astype(np.int64),
                           total(okf).astype(np.int64), sw, total(wm2), mu, total(wdev * dev), total(wm * wdev),
                           total(wdev * wdev)))
    return out


def _merge_moments(a: Moments, b: Moments) -> Moments:
    sw = a.sw + b.sw
    with np.errstate(invalid="ignore", divide="ignore"):
        fb = np.where(sw > 0, b.sw / sw, 0.0)
        delta = b.mean - a.mean
        mu = np.where(b.sw == 0, a.mean, np.where(a.sw == 0, b.mean, a.mean + delta * fb))
        m2 = a.m2 + b.m2 + np.where(sw > 0, delta ** 2 * a.sw * fb, 0.0)
    da, db = a.mean - mu, b.mean - mu  # each block's centred w² sums moved to the merged mean
    s1 = a.s1w2 + da * a.sw2 + b.s1w2 + db * b.sw2
    s2 = a.s2w2 + 2 * da * a.s1w2 + da ** 2 * a.sw2 + b.s2w2 + 2 * db * b.s1w2 + db ** 2 * b.sw2
    return Moments(a.rows + b.rows, a.n + b.n, sw, a.sw2 + b.sw2, mu, m2, s1, s2)


@dataclass(frozen=True)
class CategoryCounts:
    """Answers per code by group: ``count`` (n_groups x k x n_codes, int64) and ``weighted`` (Σw)."""

    codes: np.ndarray
    count: np.ndarray
    weighted: np.ndarray


def category_counts(x: np.ndarray, codes_of_scale, weights: np.ndarray | None = None,
                    codes: np.ndarray | None = None, n_groups: int = 1) -> CategoryCounts:
    """How many answers (and their Σw) each of ``codes_of_scale`` has, by group and column of ``x``."""
    x = np.asarray(x, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    cats = np.asarray(codes_of_scale, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    g = np.zeros(len(x), dtype=np.intp) if codes is None else np.asarray(codes, dtype=np.intp)
    count = np.zeros((n_groups, x.shape[1], len(cats)), dtype=np.int64)
    weighted = np.zeros((n_groups, x.shape[1], len(cats)))
    total = _summer(g, n_groups)
    for c, code in enumerate(cats):
        hit = (x == code).astype(float)
        counted = total(hit)
        count[:, :, c] = counted.astype(np.int64)
        weighted[:, :, c] = counted if weights is None else total(hit * w[:, None])
    return CategoryCounts(cats, count, weighted)


@dataclass(frozen=True)
class CrossMoments:
    """Weighted cross-products of the rows with every column answered (listwise)."""

    n: int
    sw: float
    mean: np.ndarray  # (k,)
    cross: np.ndarray  # (k, k): Σw (x - mean)(x - mean)ᵀ


def cross_moments(x: np.ndarray, weights: np.ndarray | None = None) -> CrossMoments:
    """The :class:`CrossMoments` of the complete rows of ``x`` (n x k) in one block."""
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    ok = ~np.isnan(x).any(axis=1)
    x, w = x[ok], w[ok]
    sw = float(w.sum())
    mu = (w[:, None] * x).sum(axis=0) / sw if sw > 0 else np.zeros(x.shape[1])
    dev = x - mu
    return CrossMoments(int(ok.sum()), sw, mu, (w[:, None] * dev).T @ dev)


def merge(a, b):
    """The statistics of two blocks of rows merged: exact for counts, centred sums by Chan et al."""
    if isinstance(a, Moments):
        return _merge_moments(a, b)
    if isinstance(a, CategoryCounts):
        if not np.array_equal(a.codes, b.codes):
            raise ValueError("Cannot merge category counts of different codes.")
        return CategoryCounts(a.codes, a.count + b.count, a.weighted + b.weighted)
    if isinstance(a, CrossMoments):
        sw = a.sw + b.sw
        if a.sw == 0 or b.sw == 0:
            return b if a.sw == 0 else a
        delta = b.mean - a.mean
        return CrossMoments(a.n + b.n, sw, a.mean + delta * (b.sw / sw),
                            a.cross + b.cross + np.outer(delta, delta) * (a.sw * b.sw / sw))
    if isinstance(a, dict):
        return {k: merge(a[k], b[k]) for k in a}
    if isinstance(a, tuple):
        return tuple(merge(u, v) for u, v in zip(a, b))
    if isinstance(a, (np.ndarray, int, float)):  # plain counts and sums
        return a + b
    raise TypeError(f"Cannot merge {type(a).__name__}.")


# -- statistics ------------------------------------------------------------------------------------

def mean(m: Moments) -> np.ndarray:
    """Weighted mean (NaN without answers)."""
    return np.where(m.n > 0, m.mean, np.nan)


def sd(m: Moments) -> np.ndarray:
    """SD: n / (n - 1) times the weighted mean square (R ``svyvar``; the usual sd unweighted)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(m.m2 / m.sw * m.n / (m.n - 1))


def effective_n(m: Moments) -> np.ndarray:
    """Kish's effective sample size (Σw)² / Σw² of the answered rows."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return m.sw ** 2 / m.sw2


def mean_se(m: Moments, rows: np.ndarray | None = None) -> np.ndarray:
    """Taylor-linearized SE of the weighted mean, one stratum, no fpc (R ``svymean(na.rm = TRUE)``).

    z_i = w_i (y_i - ȳ) / Σw for answered rows, 0 for the others, which stay in the design:
    var = N / (N - 1) Σ (z_i - z̄)² with N = ``rows`` (default: every row of the group). z̄ is 0
    (Σw (y - ȳ) = 0), so var = N / (N - 1) Σw² (y - ȳ)² / (Σw)². Pass ``rows = n`` when the
    design is built on the answered rows only (NPS, top box).
    """
    big_n = m.rows[:, None] if rows is None else rows
    with np.errstate(invalid="ignore", divide="ignore"):
        var = big_n / (big_n - 1) * m.s2w2 / m.sw ** 2
        return np.where(m.n > 0, np.sqrt(var), np.nan)


def shares(c: CategoryCounts) -> np.ndarray:
    """Weighted share of each code among the answers that are one of the codes (n_groups x k x n_codes)."""
    total = c.weighted.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return c.weighted / total


def coded_median(c: CategoryCounts, weighted: bool) -> np.ndarray:
    """Median of coded answers (n_groups x k). Unweighted as pandas / R ``median`` (the mean of the two middle
    answers when their number is even); weighted the smallest code whose cumulative share reaches 1/2 (R
    ``svyquantile(qrule = "math")``). NaN without answers."""
    out = np.full(c.count.shape[:2], np.nan)
    for g, j in np.ndindex(*out.shape):
        n = int(c.count[g, j].sum())
        if not n:
            continue
        if weighted:
            cum = np.cumsum(c.weighted[g, j]) / c.weighted[g, j].sum()
            out[g, j] = c.codes[np.searchsorted(cum, 0.5 - 1e-12)]
        else:
            cum = np.cumsum(c.count[g, j])
            lo, hi = c.codes[np.searchsorted(cum, (n - 1) // 2 + 1)], c.codes[np.searchsorted(cum, n // 2 + 1)]
            out[g, j] = (lo + hi) / 2
    return out


def covariance(c: CrossMoments) -> np.ndarray:
    """Covariance of the complete rows: Σw (x - x̄)(x - x̄)ᵀ / Σw * n / (n - 1) (unweighted: pandas ``cov()``)."""
    return c.cross / c.sw * c.n / (c.n - 1)


def correlation(c: CrossMoments) -> np.ndarray:
    """Pearson correlation of the complete rows (weighted when the moments are)."""
    cov = covariance(c)
    s = np.sqrt(np.diag(cov))
    return cov / np.outer(s, s)


def cronbach_alpha(cov: np.ndarray) -> dict:
    """Cronbach's alpha, standardised alpha and the mean inter-item correlation of a covariance matrix
    (R ``psych::alpha``: alpha = k/(k-1) (1 - tr C / ΣC); standardised alpha = k r̄ / (1 + (k-1) r̄))."""
    k = cov.shape[0]
    s = np.sqrt(np.diag(cov))
    r_bar = ((cov / np.outer(s, s)).sum() - k) / (k * (k - 1))
    return {"alpha": k / (k - 1) * (1 - np.trace(cov) / cov.sum()), "std_alpha": k * r_bar / (1 + (k - 1) * r_bar),
            "average_r": r_bar}
