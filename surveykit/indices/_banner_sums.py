"""The sufficient statistics of a banner table: per-column sums of one block of rows, merged exactly.

Every cell and test of :func:`surveykit.indices.banner.banner` is a closed form of per-column
sums (``_column_tests``): for a mean, the weighted moments of each column and of the Total
(count, Σw, Σw², mean, Σw(y - ȳ)²: ``surveykit._moments``); for a distribution, Σw of each
level in each column and each column's count, Σw and Σw². A frame in memory is one block; the
partitions of a Dask frame are many, each reduced by :func:`row_sums` and combined by
:func:`merge_row_sums` (counts exactly, centred sums by Chan et al.), and :func:`cells` reads
the same cells from either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _moments as mo

__all__ = ["Cells", "RowSums", "cells", "merge_row_sums", "row_sums"]


@dataclass(frozen=True)
class RowSums:
    """One row variable's sums by column in a block of rows.

    ``kind`` 'mean': ``by_column`` (k groups) and ``total`` (1 group) :class:`surveykit._moments.Moments`.
    ``kind`` 'proportions': ``levels`` (the level values seen, in order of first appearance, or
    every category of a categorical), ``order`` ('categories', 'numeric' or 'values': how the
    levels are ordered in the table), ``wc`` (levels x k Σw) and the answered rows' ``n``, ``sw``
    and ``sw2`` by column.
    """

    kind: str
    by_column: mo.Moments | None = None
    total: mo.Moments | None = None
    levels: tuple = ()
    order: str = ""
    wc: np.ndarray | None = None
    n: np.ndarray | None = None
    sw: np.ndarray | None = None
    sw2: np.ndarray | None = None

    def merged(self, other: RowSums) -> RowSums:
        """These sums and ``other``'s (see :func:`merge_row_sums`), so that ``surveykit._moments.merge`` merges them."""
        return merge_row_sums(self, other)


def row_sums(y, kind: str, codes: np.ndarray, ok: np.ndarray, w: np.ndarray, k: int, *, levels=None,
             order: str = "") -> RowSums:
    """The :class:`RowSums` of one row variable in one block.

    ``y``: the numeric values (mean) or the level code of each row (proportions, -1 missing,
    codes into ``levels``); ``codes``: the column of each row; ``ok``: rows with a column and an
    answer; ``w``: weights (ones unweighted).
    """
    if kind == "mean":
        col = np.where(ok, codes, -1)
        by_column, total = mo.moments_by(np.where(ok, y, np.nan)[:, None], w,
                                         [(col, k), (np.where(ok, 0, -1), 1)])
        return RowSums(kind, by_column, total)
    c, lc, ww = codes[ok], np.asarray(y)[ok], w[ok]
    n_levels = len(levels)
    wc = np.bincount(lc * k + c, ww, minlength=n_levels * k).reshape(n_levels, k)
    return RowSums(kind, levels=tuple(levels), order=order, wc=wc, n=np.bincount(c, minlength=k),
                   sw=np.bincount(c, ww, minlength=k), sw2=np.bincount(c, ww * ww, minlength=k))


def merge_row_sums(a: RowSums, b: RowSums) -> RowSums:
    """The sums of two blocks of rows: moments merged exactly, level sums aligned on the union of the levels."""
    if a.kind == "mean":
        return RowSums("mean", mo.merge(a.by_column, b.by_column), mo.merge(a.total, b.total))
    at = {v: i for i, v in enumerate(a.levels)}
    levels = a.levels + tuple(v for v in b.levels if v not in at)
    wc = np.zeros((len(levels), a.wc.shape[1]))
    wc[: len(a.levels)] = a.wc
    where = {v: i for i, v in enumerate(levels)}
    np.add.at(wc, [where[v] for v in b.levels], b.wc)
    return RowSums("proportions", levels=levels, order=a.order, wc=wc, n=a.n + b.n, sw=a.sw + b.sw,
                   sw2=a.sw2 + b.sw2)


@dataclass(frozen=True)
class Cells:
    """One row variable's cells: by column (rows x columns) and for the Total, with counts and effective bases."""

    kind: str
    row_labels: list
    est: np.ndarray
    se: np.ndarray
    t_est: np.ndarray
    t_se: np.ndarray
    n_obs: np.ndarray
    ne: np.ndarray
    t_n: np.ndarray
    t_ne: np.ndarray
    var: np.ndarray | None  # the variance by column, for a mean

    @property
    def n_answers(self) -> int:
        return int(self.t_n[0])


def _ordered_levels(s: RowSums) -> tuple[list, list]:
    """Positions of the levels in table order, and their labels (1.0 .. 5.0 from a CSV show as 1 .. 5)."""
    values = list(s.levels)
    if s.order == "categories":
        return list(range(len(values))), values
    if s.order == "numeric":
        pos = sorted(range(len(values)), key=lambda i: float(values[i]))
        x = np.array([float(values[i]) for i in pos])
        whole = bool(np.all(x == np.round(x)))
        return pos, [int(v) if whole else float(v) for v in x]
    try:
        pos = sorted(range(len(values)), key=lambda i: values[i])
    except TypeError:  # mixed types: order of first appearance
        pos = list(range(len(values)))
    return pos, [values[i] for i in pos]


def _effective(sw, sw2):
    with np.errstate(divide="ignore", invalid="ignore"):
        return sw * sw / sw2


def cells(s: RowSums) -> Cells:
    """The mean, or the column percentage of each level, in each column and in total, from the sums."""
    if s.kind == "mean":
        out = []
        for m in (s.by_column, s.total):
            n, sw, sw2 = m.n[:, 0], m.sw[:, 0], m.sw2[:, 0]
            with np.errstate(divide="ignore", invalid="ignore"):
                var = m.m2[:, 0] / (sw - sw2 / sw)  # sum w (y - m)^2 / (sum w - sum w^2 / sum w)
            var = np.where(n >= 2, var, np.nan)
            ne = _effective(sw, sw2)
            with np.errstate(invalid="ignore", divide="ignore"):
                se = np.sqrt(var / ne)
            out.append((mo.mean(m)[:, 0], var, n, ne, se))
        (mean, var, n_obs, ne, se), (t_mean, _, t_n, t_ne, t_se) = out
        return Cells("mean", ["mean"], mean[None, :], se[None, :], t_mean, t_se, n_obs, ne, t_n, t_ne, var)
    pos, row_labels = _ordered_levels(s)
    wc = s.wc[pos]
    ne = _effective(s.sw, s.sw2)
    sw_all = s.sw.sum()
    t_ne = np.array([sw_all ** 2 / s.sw2.sum()])
    with np.errstate(divide="ignore", invalid="ignore"):
        est = wc / s.sw[None, :]
        se = np.sqrt(est * (1 - est) / ne[None, :])
        t_est = wc.sum(axis=1) / sw_all
        t_se = np.sqrt(t_est * (1 - t_est) / t_ne)
    return Cells("proportions", row_labels, est, se, t_est, t_se, s.n, ne, np.array([int(s.n.sum())]), t_ne, None)
