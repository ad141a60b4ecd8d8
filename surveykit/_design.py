"""The survey design: weights, strata and finite population correction read once, and its variance.

Single-stage stratified designs: respondents drawn without clustering within strata, with
sampling weights and optionally a finite population correction, the design R writes
``svydesign(ids=~1, strata=~strata, weights=~w, fpc=~fpc)``. Standard errors are by Taylor
linearization (``survey::svymean``). Private to the package: the weighted estimators of every
wing (``indices/weighted.py``, ``indices/nps.py``, ``indices/perceived_value.py``, ``indices/compare.py``)
read their design here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import _moments as mo
from ._checks import FIRST, as_vector, check_weights, rows_where
from .errors import DataError


@dataclass(frozen=True)
class Design:
    """Weights, stratum codes and the per-stratum sample sizes and variance factors of a design."""

    weights: np.ndarray
    codes: np.ndarray  # stratum of each row, 0 .. n_strata - 1
    labels: list  # stratum labels
    n_h: np.ndarray  # respondents per stratum (all rows, answered or not: the sample)
    factor: np.ndarray  # (1 - f_h) n_h / (n_h - 1), 0 for a census stratum
    fpc: bool

    @property
    def n_strata(self) -> int:
        return len(self.labels)


def read_design(n: int, index: pd.Index, weights, strata, fpc, function: str) -> Design:
    w = check_weights(weights, n, index, function)
    if strata is None:
        codes, labels = np.zeros(n, dtype=np.intp), ["(all)"]
    else:
        s = as_vector(strata, "strata", n, function, what="one stratum label per respondent")
        codes, uniques = pd.factorize(pd.Series(s), sort=True)
        if (codes < 0).any():
            raise DataError(f"The strata of {function} are missing in {rows_where(codes < 0, index)}. Every respondent "
                            "needs a stratum: fill them in or drop those rows before the call.")
        labels = list(uniques)
    n_h = np.bincount(codes, minlength=len(labels)).astype(float)
    f_keep = np.ones(len(labels))  # (N_h - n_h) / N_h, as R; 1 without fpc
    if fpc is not None:
        raw = as_vector(fpc, "fpc", n, function, what="one population size (or sampling fraction) per respondent")
        try:
            fp = raw.astype(float)
        except (TypeError, ValueError):
            raise DataError(f"The fpc passed to {function} is not numeric (dtype {raw.dtype}).") from None
        bad = ~np.isfinite(fp) | (fp <= 0)
        if bad.any():
            raise DataError(f"The fpc of {function} must be positive and finite; it is not in {rows_where(bad, index)}.")
        if (fp > 1).any() and (fp < 1).any():
            raise DataError(f"The fpc of {function} mixes population sizes (values > 1) and sampling fractions "
                            f"(values < 1): {rows_where(fp < 1, index)} hold fractions. Pass one or the other for every "
                            "respondent (R survey stops with 'Must have all fpc>=1 or all fpc<=1').")
        lo = np.full(len(labels), np.inf)
        hi = np.full(len(labels), -np.inf)
        np.minimum.at(lo, codes, fp)
        np.maximum.at(hi, codes, fp)
        varies = np.flatnonzero(lo != hi)
        if len(varies):
            h = varies[0]
            raise DataError(f"The fpc of {function} varies within stratum {labels[h]!r} (from {lo[h]:g} to {hi[h]:g}); "
                            f"{len(varies)} strata affected. It is the population size (or sampling fraction) of "
                            "the stratum and must be the same for all its respondents.")
        popsize = lo if (fp > 1).any() else n_h / lo
        small = np.flatnonzero(popsize < n_h)
        if len(small):
            h = small[0]
            raise DataError(f"The fpc of {function} gives stratum {labels[h]!r} a population of {popsize[h]:g} but "
                            f"{n_h[h]:g} respondents were sampled there ({len(small)} strata affected). fpc is the "
                            "population size N_h of the stratum (or the sampling fraction n_h / N_h when every "
                            "value is at most 1); the sample counts every respondent, answered or not.")
        f_keep = (popsize - n_h) / popsize
        fpc_used = True
    else:
        fpc_used = False
    census = f_keep < 1e-7  # as R: a fully enumerated stratum adds no variance
    lonely = np.flatnonzero((n_h < 2) & ~census)
    if len(lonely):
        names = ", ".join(repr(labels[h]) for h in lonely[:FIRST])
        raise DataError(f"Stratum {names} of {function} has only one respondent ({len(lonely)} such strata); a "
                        "design-based variance needs at least 2 per stratum (R survey stops with 'Stratum (...) has "
                        "only one PSU'). Merge it with a similar stratum, or give its population size as fpc if "
                        "it is a census of the stratum.")
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(census, 0.0, f_keep * n_h / (n_h - 1))
    return Design(w, codes, labels, n_h, factor, fpc_used)


# ---------------------------------------------------------------------------------------------
# the estimator


def stratified_variance(z: np.ndarray, design: Design) -> np.ndarray:
    """Design variance of the totals of the columns of the linearized values ``z`` (n x k).

    sum_h (1 - f_h) n_h / (n_h - 1) sum_i (z_i - zbar_h)^2, from per-stratum sums.
    """
    k, h = z.shape[1], design.n_strata
    zbar = np.stack([np.bincount(design.codes, z[:, j], minlength=h) for j in range(k)], axis=1) / design.n_h[:, None]
    zc = z - zbar[design.codes]
    ss = np.stack([np.bincount(design.codes, zc[:, j] ** 2, minlength=h) for j in range(k)], axis=1)
    return design.factor @ ss


def linearized(y: np.ndarray, answered: np.ndarray, design: Design) -> dict:
    """Weighted means of the columns of ``y`` and their design-based variances.

    ``y`` (n x k) is read only where ``answered``. The unanswered rows stay in the design
    with a linearized value of 0, as ``svymean(na.rm=TRUE)`` (domain estimation: the
    stratum sample sizes n_h count them). From the weighted moments of each stratum
    (:func:`surveykit._moments.design_mean`), the same code that merges the partitions of a
    Dask frame.
    """
    x = np.where(answered[:, None], y, np.nan)
    return mo.design_mean(mo.moments(x, design.weights, design.codes, design.n_strata), design.factor)


def interval(estimate, se, ci_level: float):
    z = stats.norm.ppf(0.5 + ci_level / 2)
    return estimate - z * se, estimate + z * se


def design_line(design: Design) -> str:
    strata = "no strata" if design.labels == ["(all)"] else f"{design.n_strata} strata"
    return (f"Design: one stage, {strata}, {'with' if design.fpc else 'without'} finite population correction; "
            "Taylor linearization (R survey::svymean)")
