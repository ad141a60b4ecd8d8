"""Exploratory factor analysis (minres, maximum likelihood, principal components) as R psych."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize

from .._checks import item_frame
from .._render import Summary
from .._result import Result
from ..errors import SurveykitWarning, check_option
from ._common import HEYWOOD_H2, PSI_MIN, check_correlation, correlation
from ._rotation import ROTATIONS, RotationNotConverged, rotate

__all__ = ["efa", "efa_from_moments", "EFAResult", "fit_factors"]

METHODS = ("minres", "ml", "principal")
SCORE_METHODS = ("regression", "bartlett")
#: L-BFGS-B options of minres and ml: psych's optim stops about 1e-5 from the optimum; with the exact
#: gradient these tolerances reach the optimum to rounding, so that the solution does not depend on where
#: the optimiser happened to stop (ftol is relative to the criterion, gtol the largest gradient entry).
_OPTIMIZER = {"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000}
_AT_BOUND = 1e-6  # a uniqueness within this (relative) of PSI_MIN sits on the optimiser's bound


@dataclass(frozen=True)
class EFAResult(Result):
    """An exploratory factor solution.

    Attributes
    ----------
    loadings : DataFrame
        Items x factors (``F1`` ... ``Fk``; factors ordered by variance explained, signs so
        that each column sums positive). Pattern loadings for oblique rotations.
    structure : DataFrame
        Item-factor correlations (``loadings @ phi``; equal to ``loadings`` when orthogonal).
    communalities, uniquenesses : Series
        By item; communality = row sum of squared unrotated loadings, uniqueness = 1 - it.
    variance : DataFrame
        By factor: ``ss_loadings`` (for oblique rotations ``diag(phi L'L)``, as psych),
        ``proportion`` of the total variance of the items, ``cumulative``.
    phi : DataFrame or None
        Factor correlations for oblique rotations, else None.
    eigenvalues : Series
        Eigenvalues of the item correlation matrix.
    rms : float
        Root mean square of the off-diagonal residual correlations (under pairwise deletion
        weighted by the number of respondents of each pair, as psych).
    """

    loadings: pd.DataFrame
    structure: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    variance: pd.DataFrame
    phi: pd.DataFrame | None
    eigenvalues: pd.Series
    rms: float
    method: str
    rotation: str | None
    n_factors: int
    n_obs: int
    n_dropped: int
    nan_policy: str
    converged: bool
    means: pd.Series
    sds: pd.Series
    correlation: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)

    def scores(self, data: pd.DataFrame, *, method: str = "regression") -> pd.DataFrame:
        """Factor scores of (new) respondents.

        Parameters
        ----------
        data : DataFrame
            The same item columns; rows with a missing answer get NaN scores.
        method : {'regression', 'bartlett'}
            'regression' (Thurstone; SPSS's default "Regression", psych ``"Thurstone"``):
            weights ``R^-1 S`` with S the structure matrix; 'bartlett': weighted least
            squares, ``(L'U^-2 L)^-1 L'U^-2``.

        Notes
        -----
        Items are standardised with the means and standard deviations of the data the
        factors were fitted on, so that new respondents are scored on the same scale;
        psych's ``factor.scores`` standardises whatever data it is given with its own
        means and SDs (the two agree on the fitting data).
        """
        check_option("method", method, SCORE_METHODS, function="EFAResult.scores")
        items = list(self.loadings.index)
        missing = [c for c in items if c not in data.columns]
        if missing:
            raise ValueError(f"EFAResult.scores: the data lack the items {missing} the factors were fitted on.")
        z = (data[items].apply(pd.to_numeric, errors="coerce") - self.means) / self.sds
        lam = self.loadings.to_numpy()
        if method == "regression":
            weights = np.linalg.solve(self.correlation.to_numpy(), self.structure.to_numpy())
        else:
            u2 = self.uniquenesses.to_numpy()
            lu = lam.T / u2
            weights = np.linalg.solve(lu @ lam, lu).T
        return pd.DataFrame(z.to_numpy() @ weights, index=data.index, columns=self.loadings.columns)

    def to_frame(self) -> pd.DataFrame:
        """Loadings with the communality and uniqueness of each item."""
        return self.loadings.assign(communality=self.communalities, uniqueness=self.uniquenesses)

    def summary(self) -> Summary:
        rot = self.rotation or "none"
        lines = [f"{self.method} extraction, {self.n_factors} factor(s), rotation: {rot}; "
                 f"n = {self.n_obs} ({self.n_dropped} rows dropped, nan_policy={self.nan_policy!r})",
                 f"Root mean square residual = {self.rms:.3f}", *self.notes]
        tables = [("Loadings", self.to_frame()), ("Variance explained", self.variance)]
        if self.phi is not None:
            tables.append(("Factor correlations", self.phi))
        return Summary(title="Exploratory factor analysis", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<EFAResult method={self.method!r} rotation={self.rotation!r} n_factors={self.n_factors} "
                f"n_items={len(self.loadings)} n_obs={self.n_obs}>")


def _smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations, 1 - 1/diag(R^-1)."""
    return 1 - 1 / np.diag(np.linalg.inv(r))


def _top(s: np.ndarray, k: int):
    """Top-k eigenvalues (descending) and vectors of a symmetric matrix."""
    values, vectors = np.linalg.eigh(s)
    return values[::-1][:k], vectors[:, ::-1][:, :k]


def _minres(r: np.ndarray, k: int):
    """Unweighted least squares on the uniquenesses, as psych fm='minres'.

    psych minimises the squared off-diagonal residuals of the best rank-k fit of R with
    1 - psi on the diagonal; its minimum is that of the full residual of R - Psi, whose
    exact gradient is -2 diag(R - Psi - LL'), which is what we minimise (same bounds).
    """
    upper = max(_smc(r).max(), 1.0)

    def objective(psi):
        values, vectors = np.linalg.eigh(r - np.diag(psi))
        values = values[::-1]
        kept = np.maximum(values[:k], 0)
        lam = vectors[:, ::-1][:, :k] * np.sqrt(kept)
        resid = r - np.diag(psi) - lam @ lam.T
        return (resid ** 2).sum(), -2 * np.diag(resid)

    start = 1 - _smc(r)
    res = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                            bounds=[(PSI_MIN, upper)] * len(r),
                            options=_OPTIMIZER)
    values, vectors = _top(r - np.diag(res.x), k)
    return vectors * np.sqrt(np.maximum(values, 0)), res


def _ml(r: np.ndarray, k: int):
    """Maximum likelihood on the uniquenesses (Joreskog's profile likelihood), as psych fm='ml'."""
    p = len(r)
    upper = max(_smc(r).max(), 1.0)

    def objective(psi):
        sc = 1 / np.sqrt(psi)
        values, vectors = np.linalg.eigh(r * np.outer(sc, sc))
        values, vectors = values[::-1], vectors[:, ::-1]
        e = values[k:]
        f = -(np.sum(np.log(e) - e) - k + p)
        lam = np.sqrt(psi)[:, None] * vectors[:, :k] * np.sqrt(np.maximum(values[:k] - 1, 0))
        g = lam @ lam.T + np.diag(psi) - r
        return f, np.diag(g) / psi ** 2

    start = 1 - _smc(r)
    res = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                            bounds=[(PSI_MIN, upper)] * p,
                            options=_OPTIMIZER)
    psi = res.x
    sc = 1 / np.sqrt(psi)
    values, vectors = _top(r * np.outer(sc, sc), k)
    return np.sqrt(psi)[:, None] * vectors * np.sqrt(np.maximum(values - 1, 0)), res


def _principal(r: np.ndarray, k: int):
    values, vectors = _top(r, k)
    return vectors * np.sqrt(np.maximum(values, np.finfo(float).eps)), None


def _signed(loadings: np.ndarray) -> np.ndarray:
    sign = np.sign(loadings.sum(axis=0))
    sign[sign == 0] = 1
    return sign


def fit_factors(r: np.ndarray, n_factors: int, method: str, rotation: str | None):
    """The numerical core on a correlation matrix.

    Returns a dict with unrotated and rotated loadings, phi, the optimizer result and notes;
    shared by :func:`efa` and the Schmid-Leiman step of omega.
    """
    notes = []
    unrotated, res = {"minres": _minres, "ml": _ml, "principal": _principal}[method](r, n_factors)
    unrotated = unrotated * _signed(unrotated)
    converged = True if res is None else bool(res.success)
    if res is not None and not res.success:
        notes.append(f"The {method} fit did not converge ({res.message}); treat the loadings with caution.")
    try:  # psych::principal calls stats::promax, without Kaiser row normalisation of the target
        loadings, phi = rotate(unrotated, rotation, normalize_rows=method != "principal")
    except RotationNotConverged as exc:
        notes.append(f"The {rotation} rotation did not converge ({exc}); the unrotated solution is shown.")
        loadings, phi, converged = unrotated.copy(), None, False
    sign = _signed(loadings)
    loadings = loadings * sign
    if phi is not None:
        phi = phi * np.outer(sign, sign)
        ss = np.diag(phi @ loadings.T @ loadings)
    else:
        ss = (loadings ** 2).sum(axis=0)
    order = np.argsort(-ss, kind="stable") if n_factors > 1 else np.arange(1)
    loadings, ss = loadings[:, order], ss[order]
    if phi is not None:
        phi = phi[np.ix_(order, order)]
    return {"unrotated": unrotated, "loadings": loadings, "phi": phi, "ss": ss, "converged": converged,
            "psi_at_bound": None if res is None else res.x <= PSI_MIN * (1 + _AT_BOUND), "notes": notes}


def _rms(r: np.ndarray, unrotated: np.ndarray, pairs: np.ndarray | None) -> float:
    """psych's root mean square of the off-diagonal residual correlations (``pairs``: answered pairs per item
    pair; psych weights residuals by them, all equal when listwise: None)."""
    p = len(r)
    resid = r - unrotated @ unrotated.T
    np.fill_diagonal(resid, 0.0)
    if pairs is None:
        pairs = np.ones((p, p))
    return float(np.sqrt((resid ** 2 * pairs).sum() / (len(pairs.ravel()) / (1 / pairs).sum() * p * (p - 1))))


def efa(data: pd.DataFrame, n_factors: int, *, method: str = "minres", rotation: str | None = "oblimin",
        nan_policy: str = "listwise") -> EFAResult:
    """Exploratory factor analysis of a set of items, with R psych's numbers.

    Parameters
    ----------
    data : DataFrame
        One column per item (reverse-keyed items may stay as they are: their loadings are
        negative).
    n_factors : int
        Number of factors to extract (see :func:`parallel_analysis`).
    method : {'minres', 'ml', 'principal'}
        'minres' (default, psych's default; unweighted least squares, what SPSS calls
        "Unweighted least squares"), 'ml' (maximum likelihood, as psych ``fm="ml"`` and
        ``factanal``), 'principal' (principal components, as ``psych::principal`` and
        SPSS's default extraction).
    rotation : {'oblimin', 'promax', 'varimax', None}
        'oblimin' (default, as psych: direct quartimin, GPArotation), 'promax' (m = 4;
        Kaiser-normalised as ``psych::fa``; with method='principal' not normalised, as
        ``psych::principal``, which calls ``stats::promax``), 'varimax' (``stats::varimax`` with Kaiser
        normalisation, SPSS's usual choice) or None.
    nan_policy : {'listwise', 'pairwise'}
        Respondents with a missing answer are dropped ('listwise', default) or the
        correlation matrix is pairwise-complete ('pairwise', psych's default). Missing
        answers are never imputed (factor_analyzer silently fills in medians; psych does
        so only when asked).

    Returns
    -------
    EFAResult

    Raises
    ------
    ValueError
        Bad options, or ``n_factors`` not between 1 and the number of items - 1.
    DataError
        Constant items, fewer respondents than items, a singular correlation matrix.

    Warns
    -----
    SurveykitWarning
        Heywood cases (an item's uniqueness at psych's bound of 0.005, communality near or
        above 1), non-convergence, a near-singular correlation matrix; kept in ``notes``.

    Notes
    -----
    R equivalent: ``psych::fa(x, nfactors, fm=method, rotate=rotation)`` (2.2.9) and
    ``psych::principal``; factors are ordered and signed as psych does (by variance
    explained, column sums positive). psych optimises with ``optim`` (L-BFGS-B) and an
    approximate gradient and stops early; we minimise the same criterion with the exact
    gradient to tighter tolerances, so loadings agree with psych to about 1e-4, not to
    the last digit. psych's ``n.obs`` is every row it is given; ours is the rows used.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import efa
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(500, 2))
    >>> x = pd.DataFrame(np.hstack([f[:, [0]] * 0.8, f[:, [0]] * 0.7, f[:, [0]] * 0.6,
    ...                             f[:, [1]] * 0.8, f[:, [1]] * 0.7, f[:, [1]] * 0.6])
    ...                  + rng.normal(scale=0.6, size=(500, 6)), columns=list("abcdef"))
    >>> res = efa(x, 2, rotation="varimax")
    >>> res.loadings.abs().idxmax(axis=1).tolist()
    ['F1', 'F1', 'F1', 'F2', 'F2', 'F2']
    """
    check_option("method", method, METHODS, function="efa")
    check_option("rotation", rotation, (*ROTATIONS, None), function="efa")
    x, dropped = item_frame(data, function="efa", nan_policy=nan_policy, min_items=3)
    pairs = x.notna().astype(float).to_numpy()
    return _efa_result(correlation(x), list(x.columns), len(x), n_factors, method, rotation,
                       pairs=pairs.T @ pairs, means=x.mean(), sds=x.std(), n_dropped=int(dropped), nan_policy=nan_policy)


def efa_from_moments(corr: pd.DataFrame, n_obs: int, n_factors: int, *, method: str = "minres",
                     rotation: str | None = "oblimin", means=None, sds=None, n_dropped: int = 0) -> EFAResult:
    """:func:`efa` (``nan_policy='listwise'``) from the items' correlation matrix over ``n_obs`` complete rows.

    For data too large to hold: the correlation matrix (labelled by item), with the means and
    SDs when they should be on the result, is a sufficient statistic (e.g. merged from the
    blocks of rows of a Dask frame, :func:`surveykit.dask.efa_dask`); the fit, rotation and
    every table are those of :func:`efa` on the rows.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.psychometrics.efa import efa, efa_from_moments
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(300, 1))
    >>> x = pd.DataFrame(f * [0.8, 0.7, 0.6, 0.5] + rng.normal(scale=0.6, size=(300, 4)), columns=list("abcd"))
    >>> a, b = efa(x, 1), efa_from_moments(x.corr(), len(x), 1)
    >>> bool(np.allclose(a.loadings, b.loadings, rtol=1e-10))
    True
    """
    check_option("method", method, METHODS, function="efa_from_moments")
    check_option("rotation", rotation, (*ROTATIONS, None), function="efa_from_moments")
    if not isinstance(corr, pd.DataFrame) or corr.shape[0] != corr.shape[1] or corr.shape[0] < 3:
        raise ValueError("The 'corr' parameter of efa_from_moments must be a square DataFrame of 3 or more items, "
                         f"labelled by item. Got {type(corr).__name__} of shape {getattr(corr, 'shape', '?')} instead.")
    items = list(corr.columns)
    return _efa_result(corr.to_numpy(dtype=float), items, int(n_obs), n_factors, method, rotation, pairs=None,
                       means=pd.Series(np.nan if means is None else means, index=items, dtype=float),
                       sds=pd.Series(np.nan if sds is None else sds, index=items, dtype=float),
                       n_dropped=n_dropped, nan_policy="listwise")


def _efa_result(r: np.ndarray, items: list, n: int, n_factors, method: str, rotation, *, pairs, means, sds,
                n_dropped: int, nan_policy: str) -> EFAResult:
    """The EFA of a correlation matrix of ``n`` rows (``pairs``: answered pairs per item pair, None listwise)."""
    p = len(items)
    if isinstance(n_factors, bool) or not isinstance(n_factors, (int, np.integer)) or not 1 <= n_factors < p:
        raise ValueError(f"The 'n_factors' parameter of efa must be an integer from 1 to {p - 1} "
                         f"(the number of items - 1). Got {n_factors!r} instead.")
    notes = check_correlation(r, items, n_obs=n, function="efa")
    fitted = fit_factors(r, int(n_factors), method, rotation)
    notes += fitted["notes"]
    unrotated, loadings, phi = fitted["unrotated"], fitted["loadings"], fitted["phi"]
    communality = (unrotated ** 2).sum(axis=1)
    at_bound = fitted["psi_at_bound"]
    heywood = [c for c, h, b in zip(items, communality, at_bound if at_bound is not None else [False] * p)
               if b or h >= HEYWOOD_H2]
    if heywood:
        notes.append(f"Heywood case: items {heywood} have communalities at or near 1 (uniqueness at the bound "
                     f"{PSI_MIN}); the solution is improper: try fewer factors or drop one of those items.")
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=3)

    names = [f"F{j + 1}" for j in range(n_factors)]
    idx = pd.Index(items, name="item")
    fac = pd.Index(names, name="factor")
    structure = loadings @ phi if phi is not None else loadings
    ss = fitted["ss"]
    variance = pd.DataFrame({"ss_loadings": ss, "proportion": ss / p, "cumulative": np.cumsum(ss) / p}, index=fac)
    return EFAResult(
        loadings=pd.DataFrame(loadings, index=idx, columns=fac),
        structure=pd.DataFrame(structure, index=idx, columns=fac),
        communalities=pd.Series(communality, index=idx, name="communality"),
        uniquenesses=pd.Series(1 - communality, index=idx, name="uniqueness"),
        variance=variance,
        phi=None if phi is None else pd.DataFrame(phi, index=fac, columns=fac),
        eigenvalues=pd.Series(np.linalg.eigvalsh(r)[::-1], index=pd.RangeIndex(1, p + 1, name="number"),
                              name="eigenvalue"),
        rms=_rms(r, unrotated, pairs), method=method, rotation=rotation, n_factors=int(n_factors), n_obs=n,
        n_dropped=int(n_dropped), nan_policy=nan_policy, converged=fitted["converged"], means=means, sds=sds,
        correlation=pd.DataFrame(r, index=idx, columns=idx), notes=tuple(notes))
