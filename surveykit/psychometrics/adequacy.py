"""Sampling adequacy: Kaiser-Meyer-Olkin (KMO) and Bartlett's test of sphericity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import item_frame
from .._render import Summary
from .._result import Result
from ..errors import DataError
from ._common import check_correlation, correlation

__all__ = ["kmo", "kmo_from_moments", "bartlett", "bartlett_from_moments", "KMOResult", "BartlettResult"]


@dataclass(frozen=True)
class KMOResult(Result):
    """Kaiser-Meyer-Olkin measure of sampling adequacy: ``overall`` and per item (``items``)."""

    overall: float
    items: pd.DataFrame
    n_obs: int
    n_dropped: int
    nan_policy: str

    def to_frame(self) -> pd.DataFrame:
        return self.items.copy()

    def summary(self) -> Summary:
        return Summary(title="KMO", lines=[f"KMO = {self.overall:.3f} (n = {self.n_obs}; >= 0.6 is commonly required)"],
                       tables=[("Per-item MSA", self.items)])

    def __repr__(self) -> str:
        return f"<KMOResult overall={self.overall:.3f} n_items={len(self.items)} n_obs={self.n_obs}>"


@dataclass(frozen=True)
class BartlettResult(Result):
    """Bartlett's test that the correlation matrix is an identity matrix."""

    chi2: float
    df: int
    p_value: float
    n_obs: int
    n_dropped: int
    nan_policy: str

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"chi2": self.chi2, "df": self.df, "p_value": self.p_value, "n_obs": self.n_obs}])

    def summary(self) -> Summary:
        return Summary(title="Bartlett's test of sphericity",
                       lines=[f"chi2({self.df}) = {self.chi2:.2f}, p = {self.p_value:.3g}, n = {self.n_obs}"])

    def __repr__(self) -> str:
        return f"<BartlettResult chi2={self.chi2:.2f} df={self.df} p_value={self.p_value:.3g} n_obs={self.n_obs}>"


def kmo(data: pd.DataFrame, *, nan_policy: str = "pairwise") -> KMOResult:
    """Kaiser-Meyer-Olkin measure of sampling adequacy (Kaiser & Rice 1974).

    Parameters
    ----------
    data : DataFrame
        One column per item.
    nan_policy : {'pairwise', 'listwise'}
        Correlations from pairwise-complete answers (default, as R ``psych::KMO``) or from
        respondents who answered every item (as SPSS FACTOR with listwise deletion).

    Returns
    -------
    KMOResult

    Notes
    -----
    With R the correlation matrix and Q the partial correlations (from its inverse),
    ``KMO = sum r_ij^2 / (sum r_ij^2 + sum q_ij^2)`` over i != j; per item, the sums run over
    that item's row. Equal to ``psych::KMO`` and to SPSS's KMO and anti-image MSA.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import kmo
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
    >>> kmo(items).overall > 0.7
    True
    """
    x, dropped = item_frame(data, function="kmo", nan_policy=nan_policy)
    return _kmo(correlation(x), list(x.columns), len(x), int(dropped), nan_policy)


def _square(corr, function: str, min_items: int = 2) -> np.ndarray:
    if not isinstance(corr, pd.DataFrame) or corr.shape[0] != corr.shape[1] or corr.shape[0] < min_items:
        raise ValueError(f"The 'corr' parameter of {function} must be a square DataFrame of {min_items} or more items, "
                         f"labelled by item. Got {type(corr).__name__} of shape {getattr(corr, 'shape', '?')} instead.")
    return corr.to_numpy(dtype=float)


def kmo_from_moments(corr: pd.DataFrame, n_obs: int, *, n_dropped: int = 0) -> KMOResult:
    """:func:`kmo` (``nan_policy='listwise'``) from the items' correlation matrix over ``n_obs`` complete rows
    (a sufficient statistic, e.g. merged from the blocks of rows of a Dask frame).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.psychometrics.adequacy import kmo, kmo_from_moments
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
    >>> bool(np.isclose(kmo_from_moments(items.corr(), 300).overall, kmo(items).overall, rtol=1e-12))
    True
    """
    return _kmo(_square(corr, "kmo_from_moments"), list(corr.columns), int(n_obs), int(n_dropped), "listwise")


def _kmo(r: np.ndarray, names: list, n: int, dropped: int, nan_policy: str) -> KMOResult:
    check_correlation(r, names, n_obs=n, function="kmo")
    inv = np.linalg.inv(r)
    d = 1 / np.sqrt(np.diag(inv))
    partial = -inv * np.outer(d, d)
    np.fill_diagonal(partial, 0.0)
    r0 = r.copy()
    np.fill_diagonal(r0, 0.0)
    r2, q2 = r0 ** 2, partial ** 2
    overall = r2.sum() / (r2.sum() + q2.sum())
    per_item = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    items = pd.DataFrame({"msa": per_item}, index=pd.Index(names, name="item"))
    return KMOResult(overall=float(overall), items=items, n_obs=n, n_dropped=int(dropped), nan_policy=nan_policy)


def bartlett(data: pd.DataFrame, *, nan_policy: str = "pairwise") -> BartlettResult:
    """Bartlett's test of sphericity.

    ``chi2 = -(n - 1 - (2p + 5)/6) ln|R|``, ``df = p(p - 1)/2`` (Bartlett 1951), with n the
    rows used. Equal to R ``psych::cortest.bartlett(x)`` on raw data, which uses pairwise
    correlations and n = all rows given (so with ``nan_policy='pairwise'`` n is every row
    that answered at least one item).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import bartlett
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
    >>> bartlett(items).p_value < 0.001
    True
    """
    x, dropped = item_frame(data, function="bartlett", nan_policy=nan_policy)
    return _bartlett(correlation(x), len(x), int(dropped), nan_policy)


def bartlett_from_moments(corr: pd.DataFrame, n_obs: int, *, n_dropped: int = 0) -> BartlettResult:
    """:func:`bartlett` (``nan_policy='listwise'``) from the items' correlation matrix over ``n_obs`` complete
    rows (a sufficient statistic, e.g. merged from the blocks of rows of a Dask frame).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.psychometrics.adequacy import bartlett, bartlett_from_moments
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
    >>> bool(np.isclose(bartlett_from_moments(items.corr(), 300).chi2, bartlett(items).chi2, rtol=1e-12))
    True
    """
    return _bartlett(_square(corr, "bartlett_from_moments"), int(n_obs), int(n_dropped), "listwise")


def _bartlett(r: np.ndarray, n: int, dropped: int, nan_policy: str) -> BartlettResult:
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        raise DataError("bartlett: the correlation matrix is not positive definite (singular, or from pairwise "
                        "deletion with much missing data); drop redundant items or use nan_policy='listwise'.")
    p = r.shape[0]
    chi2 = -(n - 1 - (2 * p + 5) / 6) * logdet
    df = p * (p - 1) // 2
    return BartlettResult(chi2=float(chi2), df=int(df), p_value=float(stats.chi2.sf(chi2, df)), n_obs=n,
                          n_dropped=int(dropped), nan_policy=nan_policy)
