"""Results as JSON the command line prints: NaN -> null, numpy -> Python, frames -> records."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["jsonable"]


def jsonable(obj):
    """``obj`` with every value JSON can hold: NaN/NA/NaT -> None, numpy scalars -> Python numbers,
    DataFrames -> records (a meaningful index kept as columns), Series -> dicts, dates -> ISO text.

    >>> jsonable({"a": np.float64("nan"), "b": pd.DataFrame({"x": [1]}, index=pd.Index(["t"], name="theme"))})
    {'a': None, 'b': [{'theme': 't', 'x': 1}]}
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, pd.Index)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        named = not isinstance(obj.index, pd.RangeIndex) or any(n is not None for n in obj.index.names)
        return jsonable((obj.reset_index() if named else obj).to_dict(orient="records"))
    if isinstance(obj, pd.Series):
        return jsonable(obj.to_dict())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(obj) else float(obj)
    if obj is None or obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, pd.Timestamp):
        return str(obj.date()) if obj == obj.normalize() else obj.isoformat()
    return obj if isinstance(obj, str) else str(obj)
