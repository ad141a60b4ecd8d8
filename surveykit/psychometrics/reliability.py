"""Cronbach's alpha and item analysis (corrected item-total correlation, alpha if item deleted)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._render import Summary
from ..errors import SurveykitWarning
from ._common import item_frame

__all__ = ["reliability", "ReliabilityResult"]


@dataclass(frozen=True)
class ReliabilityResult:
    """Internal consistency of one scale.

    Attributes
    ----------
    alpha, std_alpha : float
        Cronbach's alpha from the covariance matrix; standardised alpha from the correlations.
    ci_low, ci_high : float
        Feldt's confidence interval of alpha at ``ci_level``.
    average_r : float
        Mean inter-item correlation.
    items : DataFrame
        By item: ``mean``, ``sd``, ``r_drop`` (corrected item-total correlation, CITC),
        ``alpha_if_deleted``.
    """

    alpha: float
    std_alpha: float
    ci_low: float
    ci_high: float
    ci_level: float
    average_r: float
    items: pd.DataFrame
    n_items: int
    n_obs: int
    n_dropped: int
    nan_policy: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.items.copy()

    def summary(self) -> Summary:
        lines = [f"Cronbach's alpha = {self.alpha:.3f} ({self.ci_level:.0%} CI {self.ci_low:.3f} to {self.ci_high:.3f}, Feldt); "
                 f"standardised alpha = {self.std_alpha:.3f}; mean inter-item r = {self.average_r:.3f}",
                 f"{self.n_items} items, n = {self.n_obs} ({self.n_dropped} rows dropped, nan_policy={self.nan_policy!r})",
                 *self.notes]
        return Summary(title="Reliability", lines=lines, tables=[("Item analysis", self.items)])

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return f"<ReliabilityResult alpha={self.alpha:.3f} n_items={self.n_items} n_obs={self.n_obs}>"


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def reliability(data: pd.DataFrame, *, nan_policy: str = "listwise", ci_level: float = 0.95) -> ReliabilityResult:
    """Cronbach's alpha with Feldt's CI, standardised alpha and item analysis.

    Parameters
    ----------
    data : DataFrame
        One column per item, already reverse-coded where needed.
    nan_policy : {'listwise', 'pairwise'}
        'listwise' (default) uses respondents who answered every item, as SPSS
        RELIABILITY does; 'pairwise' uses pairwise-complete covariances, as R
        ``psych::alpha`` does by default.
    ci_level : float, default 0.95

    Returns
    -------
    ReliabilityResult

    Warns
    -----
    SurveykitWarning
        When an item correlates negatively with the rest of the scale (probably needs
        reverse-coding); the note is also kept on the result.

    Notes
    -----
    Formulas as R ``psych::alpha`` (2.2.9): alpha = k/(k-1) (1 - tr C / sum C);
    standardised alpha = k r̄ / (1 + (k-1) r̄), with r̄ the mean off-diagonal element of
    ``cov2cor(C)`` (under pairwise deletion this is not the mean pairwise correlation); the corrected item-total correlation of item
    i is ``sum_j!=i C_ij / sqrt(C_ii * sum_{j,l != i} C_jl)``; Feldt's interval is
    ``1 - (1 - alpha) F_q(n-1, (n-1)(k-1))``, with n the rows used (psych counts every row
    of the data it is given). With listwise deletion these equal SPSS RELIABILITY's
    Cronbach's alpha, "Corrected Item-Total Correlation" and "Cronbach's Alpha if Item
    Deleted".

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import reliability
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
    >>> round(reliability(items).alpha, 2)
    0.74
    """
    if not 0 < ci_level < 1:
        raise ValueError(f"The 'ci_level' parameter of reliability must be between 0 and 1. Got {ci_level!r} instead.")
    x, dropped = item_frame(data, function="reliability", nan_policy=nan_policy)
    cov = x.cov().to_numpy()
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)  # psych: cov2cor(C), which differs from cor() under pairwise deletion
    k, n = cov.shape[0], len(x)
    alpha = _alpha(cov)
    r_bar = (corr.sum() - k) / (k * (k - 1))
    std_alpha = k * r_bar / (1 + (k - 1) * r_bar)
    q = 1 - ci_level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    ci_low = 1 - (1 - alpha) * stats.f.ppf(1 - q / 2, df1, df2)
    ci_high = 1 - (1 - alpha) * stats.f.ppf(q / 2, df1, df2)

    r_drop, if_deleted = np.empty(k), np.empty(k)
    for i in range(k):
        rest = np.delete(np.arange(k), i)
        sub = cov[np.ix_(rest, rest)]
        r_drop[i] = cov[i, rest].sum() / np.sqrt(cov[i, i] * sub.sum())
        if_deleted[i] = _alpha(sub) if k > 2 else np.nan
    items = pd.DataFrame({"mean": x.mean().to_numpy(), "sd": x.std().to_numpy(), "r_drop": r_drop,
                          "alpha_if_deleted": if_deleted}, index=pd.Index(x.columns, name="item"))
    notes = []
    negative = items.index[items["r_drop"] < 0].tolist()
    if negative:
        notes.append(f"Items {negative} correlate negatively with the rest of the scale: are they reverse-worded "
                     "and not yet reverse-coded?")
        warnings.warn(SurveykitWarning(notes[-1]), stacklevel=2)
    return ReliabilityResult(alpha=float(alpha), std_alpha=float(std_alpha), ci_low=float(ci_low),
                             ci_high=float(ci_high), ci_level=ci_level, average_r=float(r_bar), items=items,
                             n_items=k, n_obs=n, n_dropped=int(dropped), nan_policy=nan_policy, notes=tuple(notes))
