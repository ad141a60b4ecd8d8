"""Harman's single-factor test for common-method bias."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from .._result import Result
from ..errors import SurveykitWarning
from .efa import efa

__all__ = ["harman_test", "HarmanResult"]


@dataclass(frozen=True)
class HarmanResult(Result):
    """Harman's single-factor test.

    Attributes
    ----------
    variance_share : float
        Share (0-1) of the items' total variance explained by one unrotated factor.
    flagged : bool
        ``variance_share > threshold``: one factor dominates, a sign of common-method bias.
    n_eigen_above_1 : int
        How many unrotated components have an eigenvalue above 1 (the test is usually
        reported as "k factors emerged; the first explained x%").
    loadings : Series
        The single factor's loadings, by item.
    eigenvalues : Series
        Eigenvalues of the item correlation matrix.
    """

    variance_share: float
    threshold: float
    flagged: bool
    n_eigen_above_1: int
    loadings: pd.Series
    eigenvalues: pd.Series
    method: str
    n_items: int
    n_obs: int
    n_dropped: int
    nan_policy: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.loadings.to_frame("loading")

    def summary(self) -> Summary:
        verdict = ("exceeds" if self.flagged else "does not exceed")
        lines = [f"One unrotated factor ({self.method}) explains {self.variance_share:.1%} of the variance of "
                 f"{self.n_items} items, which {verdict} the {self.threshold:.0%} threshold; "
                 f"{self.n_eigen_above_1} components have eigenvalues above 1",
                 f"n = {self.n_obs} ({self.n_dropped} rows dropped, nan_policy={self.nan_policy!r})", *self.notes]
        return Summary(title="Harman's single-factor test", lines=lines, tables=[("Loadings", self.to_frame())])

    def __repr__(self) -> str:
        return (f"<HarmanResult variance_share={self.variance_share:.3f} flagged={self.flagged} "
                f"n_items={self.n_items} n_obs={self.n_obs}>")


def harman_test(data: pd.DataFrame, *, method: str = "principal", threshold: float = 0.5,
                nan_policy: str = "listwise") -> HarmanResult:
    """Harman's single-factor test: how much of all the items' variance one factor explains.

    Parameters
    ----------
    data : DataFrame
        Every substantive item of the questionnaire (all constructs together), one column
        each.
    method : {'principal', 'minres', 'ml'}
        'principal' (default): the first unrotated principal component, its eigenvalue over
        the number of items, which is the "% of Variance" SPSS prints for component 1 in
        "Total Variance Explained" (the way the test is usually run). 'minres' or 'ml': a
        one-factor solution, its sum of squared loadings over the number of items (SPSS's
        "Extraction Sums of Squared Loadings" for principal-axis or ML extraction).
    threshold : float, default 0.5
        The share above which the result is flagged (Podsakoff et al. 2003 give no number;
        50% is the usual convention, some authors use 40%).
    nan_policy : {'listwise', 'pairwise'}

    Returns
    -------
    HarmanResult

    Warns
    -----
    SurveykitWarning
        When the share exceeds the threshold (also kept in ``notes``).

    Notes
    -----
    Podsakoff, MacKenzie, Lee & Podsakoff (2003) describe the test and its weakness: a share
    below the threshold does not show that common-method variance is absent. Report it with
    a stronger check (a marker variable or a common latent factor in CFA) where that matters.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import harman_test
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(400, 3))
    >>> items = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(400, 9)))
    >>> res = harman_test(items)
    >>> res.flagged, res.n_eigen_above_1
    (False, 3)
    """
    if not 0 < threshold < 1:
        raise ValueError(f"The 'threshold' parameter of harman_test must be between 0 and 1. Got {threshold!r} "
                         "instead.")
    if method not in ("principal", "minres", "ml"):
        raise ValueError(f"The 'method' parameter of harman_test must be one of 'principal', 'minres', 'ml'. "
                         f"Got {method!r} instead.")
    fit = efa(data, 1, method=method, rotation=None, nan_policy=nan_policy)  # its warnings reach the user
    p = len(fit.loadings)
    share = float(fit.variance["ss_loadings"].iloc[0] / p)
    notes = list(fit.notes)
    flagged = share > threshold
    if flagged:
        notes.append(f"One factor explains {share:.1%} of the variance of the {p} items, more than "
                     f"{threshold:.0%}: common-method bias is a concern.")
        warnings.warn(SurveykitWarning(notes[-1]), stacklevel=2)
    return HarmanResult(variance_share=share, threshold=threshold, flagged=flagged,
                        n_eigen_above_1=int(np.sum(fit.eigenvalues.to_numpy() > 1)),
                        loadings=fit.loadings["F1"].rename("loading"), eigenvalues=fit.eigenvalues, method=method,
                        n_items=p, n_obs=fit.n_obs, n_dropped=fit.n_dropped, nan_policy=nan_policy,
                        notes=tuple(notes))
