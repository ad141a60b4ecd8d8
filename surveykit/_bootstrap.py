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
