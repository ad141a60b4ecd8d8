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
           "mean", "sd", "effective_n", "mean_se", "design_mean", "select", "total", "shares", "coded_median",
           "covariance", "correlation", "PoissonSums", "poisson_sums", "poisson_interval"]


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
    sw2: float = 0.0  # Σw² (Kish's effective n; cov.wt's unbiased weighted variance)


def cross_moments(x: np.ndarray, weights: np.ndarray | None = None) -> CrossMoments:
    """The :class:`CrossMoments` of the complete rows of ``x`` (n x k) in one block."""
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    ok = ~np.isnan(x).any(axis=1)
    x, w = x[ok], w[ok]
    sw = float(w.sum())
    mu = (w[:, None] * x).sum(axis=0) / sw if sw > 0 else np.zeros(x.shape[1])
    dev = x - mu
    return CrossMoments(int(ok.sum()), sw, mu, (w[:, None] * dev).T @ dev, float((w * w).sum()))


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
                            a.cross + b.cross + np.outer(delta, delta) * (a.sw * b.sw / sw), a.sw2 + b.sw2)
    if hasattr(a, "merged"):  # statistics of a wing that know how to merge (e.g. a banner's RowSums)
        return a.merged(b)
    if isinstance(a, dict):
        return {k: merge(a[k], b[k]) for k in a}
    if isinstance(a, tuple):
        return tuple(merge(u, v) for u, v in zip(a, b))
    if isinstance(a, (np.ndarray, np.number, int, float)):  # plain counts and sums
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


def select(m: Moments, groups) -> Moments:
    """The moments of some groups (an index or a slice of them), e.g. one segment level as its own sample."""
    g = np.atleast_1d(np.arange(len(m.rows))[groups])
    return Moments(m.rows[g], m.n[g], m.sw[g], m.sw2[g], m.mean[g], m.m2[g], m.s1w2[g], m.s2w2[g])


def total(m: Moments) -> Moments:
    """All groups of ``m`` merged into one (exactly, as :func:`merge`)."""
    out = select(m, 0)
    for g in range(1, len(m.rows)):
        out = _merge_moments(out, select(m, g))
    return out


def design_mean(m: Moments, factor: np.ndarray | None = None, rows: np.ndarray | None = None) -> dict:
    """The weighted mean of each column and its Taylor-linearized variance in a single-stage stratified design.

    The groups of ``m`` are the strata (one group: no strata; ``rows`` counts every respondent
    of a stratum, answered or not: the unanswered stay in the design with z = 0, as
    ``svymean(na.rm = TRUE)``); ``factor`` is (1 - f_h) n_h / (n_h - 1) per stratum (default
    n_h / (n_h - 1): no fpc; 0 for a census stratum). With z_i = w_i (y_i - ȳ) / Σw the variance
    is Σ_h factor_h Σ_{i in h} (z_i - z̄_h)², each stratum's sums read from its moments centred at
    its own mean (d_h = ȳ_h - ȳ): Σz² = (Σw²(y - ȳ_h)² + 2 d_h Σw²(y - ȳ_h) + d_h² Σw²) / (Σw)²,
    Σz = Σw_h d_h / Σw. Returns estimate, se, deff (against simple random sampling with
    replacement of the answered rows, ``svymean(deff = "replace")``), n_obs, effective_n and
    sum_weights, as ``surveykit._design.linearized``. ``rows`` (per stratum, or per stratum and
    column) replaces the stratum sizes when the design is built on the answered rows only
    (NPS, top box: then N = n).
    """
    t = total(m)
    big_w, ybar = t.sw[0], t.mean[0]
    big_n = np.broadcast_to((m.rows[:, None] if rows is None else np.asarray(rows).reshape(len(m.rows), -1)),
                            m.n.shape).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = (np.where(big_n > 1, big_n / (big_n - 1.0), 0.0) if factor is None
                  else np.asarray(factor, dtype=float).reshape(len(m.rows), -1))
        d = np.where(m.sw > 0, m.mean - ybar, 0.0)
        sz2 = (m.s2w2 + 2 * d * m.s1w2 + d * d * m.sw2) / big_w ** 2
        sz = m.sw * d / big_w
        ss = np.where(big_n > 0, sz2 - sz * sz / big_n, 0.0)
        var = (factor * ss).sum(axis=0)
        n_obs = int(t.n[0, 0])
        var_srs = t.m2[0] / big_w / (n_obs - 1) if n_obs > 1 else np.full(len(ybar), np.nan)
        return {"estimate": ybar, "se": np.sqrt(var), "deff": var / var_srs, "n_obs": n_obs,
                "effective_n": float(t.sw[0, 0] ** 2 / t.sw2[0, 0]) if n_obs else np.nan,
                "sum_weights": float(big_w[0])}


def mean_se(m: Moments, rows: np.ndarray | None = None) -> np.ndarray:
    """Taylor-linearized SE of each group's weighted mean, the group its own sample without strata (R
    ``svymean(na.rm = TRUE)``): :func:`design_mean` of each group. ``rows``: the sample size of each group
    (default every row of the group; ``m.n`` when the design is built on the answered rows, NPS and top box)."""
    se = [design_mean(select(m, g), rows=None if rows is None else np.asarray(rows)[g])["se"]
          for g in range(len(m.rows))]
    return np.where(m.n > 0, np.array(se).reshape(m.n.shape), np.nan)


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


# -- Poisson bootstrap of weighted means (seeded per block of rows: surveykit._bootstrap.poisson_counts) -----

@dataclass(frozen=True)
class PoissonSums:
    """Per resample b, group and column: Σ c_b w y and Σ c_b w over the answered rows (c_b: Poisson counts)."""

    num: np.ndarray  # (n_groups, k, n_boot)
    den: np.ndarray

    def merged(self, other: PoissonSums) -> PoissonSums:
        return PoissonSums(self.num + other.num, self.den + other.den)


def poisson_sums(x: np.ndarray, weights: np.ndarray | None, rows, n_boot: int, seed: int,
                 codes: np.ndarray | None = None, n_groups: int = 1) -> PoissonSums:
    """The :class:`PoissonSums` of one block of rows (``rows``: their global numbers, which seed their draws)."""
    from ._bootstrap import poisson_counts

    x = np.asarray(x, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    g = np.zeros(len(x), dtype=np.intp) if codes is None else np.asarray(codes, dtype=np.intp)
    cw = poisson_counts(rows, n_boot, seed) * w[:, None]  # (n, B)
    total = _summer(g, n_groups)
    ok = ~np.isnan(x)
    num = np.empty((n_groups, x.shape[1], n_boot))
    den = np.empty_like(num)
    for j in range(x.shape[1]):
        num[:, j] = total(cw * np.where(ok[:, j], x[:, j], 0.0)[:, None])
        den[:, j] = total(cw * ok[:, j][:, None])
    return PoissonSums(num, den)


def poisson_interval(ps: PoissonSums, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval (R type 7 quantiles, as ``surveykit._bootstrap.bootstrap_interval``) of each group's
    and column's weighted mean over the resamples; NaN where a resample has no answer."""
    with np.errstate(invalid="ignore", divide="ignore"):
        reps = np.where(ps.den > 0, ps.num / ps.den, np.nan)
    q = (1 - level) / 2
    bad = np.isnan(reps).any(axis=2)
    lo, hi = np.quantile(np.nan_to_num(reps), [q, 1 - q], axis=2)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)
