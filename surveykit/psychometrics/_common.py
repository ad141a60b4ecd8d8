"""Input checks shared by the psychometric functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, check_option

NAN_POLICIES = ("listwise", "pairwise")


def item_frame(data, *, function: str, nan_policy: str = "listwise", min_items: int = 2):
    """Validate a DataFrame of items; returns (numeric frame after nan_policy, n_dropped)."""
    check_option("nan_policy", nan_policy, NAN_POLICIES, function=function)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{function} takes a DataFrame of items (one column per item); got {type(data).__name__}.")
    if data.shape[1] < min_items:
        raise ValueError(f"{function} needs at least {min_items} items; got {data.shape[1]} ({list(data.columns)}).")
    x = data.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = [c for c in data.columns if (x[c].isna() & data[c].notna()).any()]
    if bad:
        raise DataError(f"{function}: items {bad} hold values that are not numbers; code them first.")
    if nan_policy == "listwise":
        kept = x.dropna()
        dropped = len(x) - len(kept)
        x = kept
    else:
        dropped = int(x.isna().all(axis=1).sum())
        x = x.loc[~x.isna().all(axis=1)]
    constant = [c for c in x.columns if x[c].nunique(dropna=True) <= 1]
    if constant:
        raise DataError(f"{function}: items {constant} are constant (or empty) among the {len(x)} rows used; "
                        "a constant item has no variance: drop it.")
    if len(x) < 3:
        raise DataError(f"{function}: only {len(x)} usable rows ({dropped} dropped under nan_policy={nan_policy!r}).")
    return x, dropped


def correlation(x: pd.DataFrame) -> np.ndarray:
    """Pearson correlations, pairwise-complete where there are missing values (R's use='pairwise')."""
    return x.corr().to_numpy()
