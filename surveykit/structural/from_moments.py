"""``sem`` from a covariance matrix and N instead of the rows (ML, one group), as lavaan's ``sample.cov``.

For data too large to hold (the Dask wing merges the covariance from blocks of rows) or a matrix
from a paper; ``psychometrics.cfa_from_moments`` fits its measurement model through it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from ._ram import build_table
from ._syntax import parse_model
from .sem import SEMResult, _check_singular, _check_sizes, _labels, _Model, _Sample, _solve

__all__ = ["sem_from_moments"]


def sem_from_moments(cov: pd.DataFrame, n_obs: int, model: str, *, means=None, n_dropped: int = 0) -> SEMResult:
    """:func:`sem` (ML, one group, complete rows) from the variables' covariance matrix over ``n_obs`` rows.

    As R ``lavaan::sem(model, sample.cov = cov, sample.nobs = n_obs)``: the covariance matrix and
    N are sufficient for the ML fit, so estimates, standard errors, fit measures, R², modification
    indices and residuals are those of :func:`sem` on the rows (for data too large to hold, or a
    matrix from a paper). MLR, FIML, groups, weights and the bootstrap need the rows.

    Parameters
    ----------
    cov : DataFrame
        Covariance matrix labelled by variable on both axes, divided by N - 1 (``DataFrame.cov()``;
        rescaled by (N - 1)/N as lavaan's ``sample.cov.rescale``). Other variables are ignored.
    n_obs : int
        The number of rows ``cov`` is computed on.
    model : str
        lavaan model syntax, as for :func:`sem`.
    means : Series, optional
        The variables' means: needed, and used, only when the model has ``~ 1`` statements.
    n_dropped : int
        Rows left out before ``cov`` was computed, reported on the result.

    Returns
    -------
    SEMResult
        ``sample_cov`` holds ``cov`` divided by N.

    Raises
    ------
    ValueError
        As :func:`sem`; when ``cov`` is not a symmetric frame labelled by variable, or a model
        with ``~ 1`` comes without ``means``.
    DataError
        When a model variable has no variance, a value is not finite, or ``cov`` is singular.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.structural import sem, sem_from_moments
    >>> rng = np.random.default_rng(3)
    >>> items = pd.DataFrame(rng.normal(size=(300, 1)) + rng.normal(scale=0.8, size=(300, 4)), columns=list("abcd"))
    >>> rows, moments = sem(items, "F =~ a + b + c + d"), sem_from_moments(items.cov(), 300, "F =~ a + b + c + d")
    >>> bool(np.allclose(rows.estimates["est"], moments.estimates["est"], rtol=1e-8)), moments.fit["df"]
    (True, 2)
    """
    if not isinstance(cov, pd.DataFrame) or cov.shape[0] != cov.shape[1] or not cov.index.equals(cov.columns):
        raise ValueError("The 'cov' parameter of sem_from_moments must be a square DataFrame labelled by variable on "
                         f"both axes. Got {type(cov).__name__} of shape {getattr(cov, 'shape', '?')} instead.")
    statements, defined = parse_model(model)
    meanstructure = any(s.op == "~1" for s in statements)
    table = build_table(statements, list(cov.columns), 1, meanstructure)
    s, mu, n = _moments(cov, means, n_obs, table.observed, meanstructure)
    _check_sizes([n], ("all",), table, None, function="sem_from_moments")
    fitted = _Model(model, statements, defined, _labels(table, defined), table, ("all",))
    sample = _Sample([(s, mu)], np.ones(1), n, None)
    return _solve(fitted, sample, [], estimator="ML", missing="listwise", dropped=int(n_dropped))


def _moments(cov, means, n_obs, observed, meanstructure):
    """(S with the N divisor, the means or zeros, N) of the model variables, checked."""
    n = int(n_obs)
    if n != n_obs or n < 2:
        raise ValueError(f"sem_from_moments: n_obs must be a whole number of rows, at least 2; got {n_obs!r}.")
    c = cov.loc[observed, observed].to_numpy(dtype=float)
    if not np.all(np.isfinite(c)):
        raise DataError("sem_from_moments: the covariance matrix has values that are not finite (NaN or infinite); "
                        "compute it on complete rows.")
    if not np.allclose(c, c.T, rtol=1e-10, atol=0):
        raise ValueError("sem_from_moments: the covariance matrix is not symmetric; give a covariance matrix.")
    constant = [v for v, d in zip(observed, np.diag(c)) if not d > 0]
    if constant:
        raise DataError(f"sem_from_moments: variables {constant} have no variance; drop them.")
    if not meanstructure:
        mu = np.zeros(len(observed))
    elif means is None:
        raise ValueError("sem_from_moments: the model has '~ 1' statements, which need the variables' means; "
                         "give means=.")
    else:
        mu = pd.Series(means).reindex(observed).to_numpy(dtype=float)
        if not np.all(np.isfinite(mu)):
            absent = [v for v, m in zip(observed, mu) if not np.isfinite(m)]
            raise DataError(f"sem_from_moments: means has no finite value for {absent}.")
    s = (c + c.T) / 2 * (n - 1) / n
    _check_singular([(s, mu)], function="sem_from_moments")
    return s, mu, n
