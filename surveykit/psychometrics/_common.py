"""Checks and constants shared by the psychometric functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError

PSI_MIN = 0.005  # psych's lower bound on uniquenesses (optim L-BFGS-B lower = 0.005)
HEYWOOD_H2 = 0.995  # communality at psych's bound on the uniquenesses (1 - 0.005): a Heywood case


def correlation(x: pd.DataFrame) -> np.ndarray:
    """Pearson correlations, pairwise-complete where there are missing values (R's use='pairwise')."""
    values = x.to_numpy(dtype=float)
    if not np.isnan(values).any():
        return np.corrcoef(values, rowvar=False)  # BLAS: ~15x faster than DataFrame.corr on complete data
    return x.corr().to_numpy()


def check_correlation(r: np.ndarray, items: list, *, n_obs: int, function: str) -> list[str]:
    """Refuse a correlation matrix no factor method can use; return notes on a doubtful one.

    Raises DataError when there are fewer respondents than items or the matrix is singular
    (naming the items of the near-dependency); returns a note when it is near-singular
    (condition number above 1e6) or not positive definite under pairwise deletion.
    """
    p = len(items)
    if n_obs <= p:
        raise DataError(f"{function}: {n_obs} usable respondents for {p} items; a correlation matrix of more items "
                        "than respondents is singular. Collect more responses or analyse fewer items.")
    values, vectors = np.linalg.eigh(r)
    if values[0] < -1e-8:
        raise DataError(f"{function}: the pairwise-complete correlation matrix is not positive definite (smallest "
                        f"eigenvalue {values[0]:.3g}): too few respondents answered some pairs of items together. "
                        "Use nan_policy='listwise' or drop the items most often left blank.")
    cond = values[-1] / values[0] if values[0] > 0 else np.inf
    if cond > 1e12:
        weights = np.abs(vectors[:, 0])
        involved = [items[i] for i in np.argsort(-weights) if weights[i] > 0.1][:6]
        raise DataError(f"{function}: the correlation matrix is singular or nearly so (condition number {cond:.3g}); "
                        f"items {involved} are (almost) linear combinations of each other: drop one of them.")
    if cond > 1e6:
        weights = np.abs(vectors[:, 0])
        involved = [items[i] for i in np.argsort(-weights) if weights[i] > 0.1][:6]
        return [f"The correlation matrix is near-singular (condition number {cond:.3g}): items {involved} are "
                "almost redundant; results involving them are unstable."]
    return []
