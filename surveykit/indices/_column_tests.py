"""Column tests of a banner table: closed forms of per-column sums, all pairs of columns at once.

Cells: the mean sum w y / sum w, or the column percentage 100 sum_level w / sum w, of the
answered rows of each column. Pairwise tests, all pairs of the tested columns, two-sided:

* means: Welch's two-sample t test, t = (m_a - m_b) / sqrt(s_a^2 / n_a + s_b^2 / n_b) with
  Welch-Satterthwaite df (R ``t.test(var.equal = FALSE)``);
* percentages: the column-proportions z test with the pooled share, z = (p_a - p_b) /
  sqrt(p (1 - p) (1 / n_a + 1 / n_b)), p = (n_a p_a + n_b p_b) / (n_a + n_b), for each level
  (R ``prop.test(correct = FALSE)``: X-squared = z^2).

Overall tests: Welch's ANOVA and the classic one-way ANOVA (R ``oneway.test(var.equal =
FALSE / TRUE)``), Pearson's chi-square without continuity correction (R ``chisq.test(correct
= FALSE)``) over the levels used in the tested columns; a note flags expected counts below 5
(R's warning).

Weights (the "effective base" method of SPSS Custom Tables): means and shares are weighted;
the variance of a column is the unbiased weighted variance sum w (y - m)^2 / (sum w - sum w^2
/ sum w) (R ``cov.wt(method = "unbiased")``); every test is then computed with Kish's
effective base n_eff = (sum w)^2 / sum w^2 of the column's answers in place of its count n
(Welch df with n_eff - 1; the classic ANOVA's error df is sum n_eff - k; the chi-square is
Pearson's on the effective counts n_eff p). This is an approximation: it allows for the loss
of precision from unequal weights but not for strata or clusters, and the statistics do not
follow their reference distributions exactly. For a design-based standard error of one cell
use :func:`surveykit.indices.weighted.weighted_mean` on that segment. With equal weights the
weighted results are the unweighted ones.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["adjust", "anovas", "cell_letters", "chi_square", "column_key", "column_pairs", "welch_pairs",
           "z_pairs"]


def column_key(i: int) -> str:
    """Column key as SPSS: A .. Z, then AA, AB ..."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def adjust(p: np.ndarray, method: str | None) -> np.ndarray:
    """Adjust the p values of each row (over its pairs) as R's p.adjust: NaN is not counted."""
    if method is None or p.shape[1] == 0:
        return p.copy()
    m = np.isfinite(p).sum(axis=1, keepdims=True)
    if method == "bonferroni":
        return np.minimum(1.0, p * m)
    order = np.argsort(p, axis=1, kind="stable")  # NaN last
    ps = np.take_along_axis(p, order, axis=1)
    step = (m - np.arange(p.shape[1])[None, :]) * ps
    adj = np.minimum(1.0, np.maximum.accumulate(np.where(np.isnan(ps), -np.inf, step), axis=1))
    adj = np.where(np.isnan(ps), np.nan, adj)
    out = np.empty_like(p)
    np.put_along_axis(out, order, adj, axis=1)
    return out


def column_pairs(tested: np.ndarray):
    """The pairs (i, j), i < j, of the tested columns."""
    idx = np.flatnonzero(tested)
    a, b = np.triu_indices(len(idx), 1)
    return idx[a], idx[b]


def welch_pairs(mean, var, ne, i, j):
    """Welch's t, its df and two-sided p for each pair of columns (R t.test(var.equal = FALSE))."""
    a, b = var[i] / ne[i], var[j] / ne[j]
    se = np.sqrt(a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (mean[i] - mean[j]) / se
        df = (a + b) ** 2 / (a * a / (ne[i] - 1) + b * b / (ne[j] - 1))
    bad = ~(se > 0)
    t, df = np.where(bad, np.nan, t), np.where(bad, np.nan, df)
    return t[None, :], df[None, :], 2 * stats.t.sf(np.abs(t), df)[None, :]


def z_pairs(share, ne, i, j):
    """The pooled column-proportions z and two-sided p of each level for each pair (df NaN)."""
    pi, pj = share[:, i], share[:, j]
    pooled = (ne[i] * pi + ne[j] * pj) / (ne[i] + ne[j])
    se = np.sqrt(pooled * (1 - pooled) * (1 / ne[i] + 1 / ne[j]))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (pi - pj) / se, np.nan)
    return z, np.full_like(z, np.nan), 2 * stats.norm.sf(np.abs(z))


def anovas(mean, var, ne):
    """Welch's and the classic one-way ANOVA from column means, variances and bases (R oneway.test)."""
    k = len(mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        wi = ne / var
        sw = wi.sum()
        tmp = ((1 - wi / sw) ** 2 / (ne - 1)).sum() / (k * k - 1)
        mt = (wi * mean).sum() / sw
        f = (wi * (mean - mt) ** 2).sum() / ((k - 1) * (1 + 2 * (k - 2) * tmp))
        welch = (f, k - 1, 1 / (3 * tmp), stats.f.sf(f, k - 1, 1 / (3 * tmp)))
        big_n = ne.sum()
        mt = (ne * mean).sum() / big_n
        f = ((ne * (mean - mt) ** 2).sum() / (k - 1)) / (((ne - 1) * var).sum() / (big_n - k))
        classic = (f, k - 1, big_n - k, stats.f.sf(f, k - 1, big_n - k))
    return welch, classic


def chi_square(observed):
    """Pearson's chi-square of a levels x columns table (R chisq.test(correct=FALSE)); unused levels dropped."""
    observed = observed[observed.sum(axis=1) > 0]
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    x2 = ((observed - expected) ** 2 / expected).sum()
    df = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    p = stats.chi2.sf(x2, df) if df > 0 else np.nan
    return (x2 if df > 0 else np.nan), df, p, int((expected < 5).sum()), expected.size


def cell_letters(est, padj, i, j, alpha, k):
    """Cells' letter strings (rows x k) from the adjusted p of each pair."""
    cells = [[[] for _ in range(k)] for _ in range(est.shape[0])]
    sig = np.nan_to_num(padj, nan=1.0) < alpha
    higher = est[:, i] > est[:, j]
    win, lose = np.where(higher, i[None, :], j[None, :]), np.where(higher, j[None, :], i[None, :])
    for r, q in zip(*np.nonzero(sig)):
        cells[r][win[r, q]].append(lose[r, q])
    return [[" ".join(column_key(x) for x in sorted(cell)) for cell in row] for row in cells]
