"""Bootstrap intervals from replicates, shared by every bootstrapped statistic of the package."""

from __future__ import annotations

import numpy as np
from scipy import special

CI_METHODS = ("percentile", "bca")


def bootstrap_interval(theta_b: np.ndarray, theta_hat: float, theta_jack: np.ndarray | None, level: float,
                       method: str, jack_counts: np.ndarray | None = None) -> tuple[float, float]:
    """Percentile or BCa interval from bootstrap replicates, as ``scipy.stats.bootstrap``.

    BCa (Efron & Tibshirani 1993, 14.3): bias z0 from the share of replicates below the
    estimate (ties count half), acceleration from the jackknife values ``theta_jack`` (each
    counted ``jack_counts`` times when given: identical rows share one leave-one-out value);
    quantiles interpolated linearly (R type 7) in both methods. (nan, nan) when undefined.
    """
    q = (1 - level) / 2
    if method == "percentile":
        probs = np.array([q, 1 - q])
    else:
        z0 = special.ndtri(((theta_b < theta_hat).sum() + (theta_b <= theta_hat).sum()) / (2 * len(theta_b)))
        m = np.ones(len(theta_jack)) if jack_counts is None else np.asarray(jack_counts, dtype=float)
        d = (m * theta_jack).sum() / m.sum() - theta_jack
        with np.errstate(divide="ignore", invalid="ignore"):
            acc = (m * d ** 3).sum() / (6 * (m * d ** 2).sum() ** 1.5)
        zq = special.ndtri(np.array([q, 1 - q]))
        probs = special.ndtr(z0 + (z0 + zq) / (1 - acc * (z0 + zq)))
    if not np.isfinite(probs).all():
        return np.nan, np.nan
    low, high = np.quantile(theta_b, probs)
    return float(low), float(high)


# -- the Poisson bootstrap, seeded per block of rows: the same resamples whatever the partitioning ------------

POISSON_BLOCK = 1024  # rows per seeded block


def poisson_counts(rows, n_boot: int, seed: int) -> np.ndarray:
    """How often each row is drawn in each of ``n_boot`` Poisson bootstrap resamples (len(rows) x n_boot).

    Each resample draws every row Poisson(1) times (Hanley & MacGibbon 2006; Chamandy et al.
    2012), independently, so a resample needs no pass over the other rows. Row r (a global row
    number: the same row has the same number in every partitioning, e.g. its ``source_row``)
    takes its counts from the generator seeded with ``(seed, r // POISSON_BLOCK)``, at place
    ``r % POISSON_BLOCK``: its draws do not depend on which partition holds it, nor on the
    scheduler, and a frame in memory (one block) gets the same resamples. The resample size
    varies around n (sd √n), a difference from the classic bootstrap that vanishes with n.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if (rows < 0).any():
        raise ValueError("poisson_counts numbers rows from 0; got negative row numbers.")
    out = np.empty((len(rows), n_boot), dtype=np.uint16)
    blocks = rows // POISSON_BLOCK
    for b in np.unique(blocks):
        sel = np.flatnonzero(blocks == b)
        draws = np.random.default_rng([int(seed), int(b)]).poisson(1.0, size=(POISSON_BLOCK, n_boot))
        out[sel] = draws[rows[sel] % POISSON_BLOCK]
    return out
