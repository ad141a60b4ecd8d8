"""What mediation and moderation share: the column checks, the complete rows, the tables of
``summary(lm(...))`` (each equation is fitted by :func:`surveykit._linear.ols`).

Private to the structural wing; ``rank_check`` names the equation whose predictors are collinear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._checks import check_in_data, complete_numeric_rows, first_names
from .._linear import collinear
from ..errors import DataError, numeric_frame


def as_names(value, name: str, function: str, *, allow_empty: bool = False) -> list:
    """One column name or a list of them, as a list (each once)."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        value = [value]
    value = list(value)
    if not value and not allow_empty:
        raise ValueError(f"The {name!r} parameter of {function} is empty; name at least one column of data.")
    dup = sorted({v for v in value if value.count(v) > 1}, key=str)
    if dup:
        raise ValueError(f"The {name!r} parameter of {function} names {first_names(dup, None)} more than once; list "
                         "each column once.")
    return value


def check_bootstrap(bootstrap, function: str) -> int:
    """The number of resamples, a whole number of at least 1."""
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 1:
        raise ValueError(f"The 'bootstrap' parameter of {function} must be a whole number of resamples, 1 or more "
                         f"(5000 is customary for mediation). Got {bootstrap!r} instead.")
    return int(bootstrap)


def lm_table(fit: dict, outcome: str, terms: list) -> pd.DataFrame:
    """One equation's coefficients as rows: outcome, term, estimate, se, t, p_value, ci_low, ci_high."""
    out = pd.DataFrame({key: fit[key] for key in ["estimate", "se", "t", "p_value", "ci_low", "ci_high"]})
    out.insert(0, "term", terms)
    out.insert(0, "outcome", outcome)
    return out


def check_columns(data, roles: dict, function: str) -> None:
    """``roles`` maps a parameter name to its list of columns: each exists, none plays two roles."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"The 'data' parameter of {function} must be a DataFrame with one column per variable; got "
                        f"{type(data).__name__}.")
    for name, wanted in roles.items():
        check_in_data(data, name, wanted, function)
    seen: dict = {}
    for name, wanted in roles.items():
        for c in wanted:
            if c in seen:
                raise ValueError(f"Column {c!r} of {function} is given both as {seen[c]!r} and as {name!r}; a "
                                 f"variable plays one role in the model: remove it from {name!r}.")
            seen[c] = name


def complete_rows(data: pd.DataFrame, roles: dict, need: int, function: str):
    """The model's columns as floats on the complete rows: (values, index, n_dropped, notes).

    Columns in the order of ``roles``; a DataError for a non-numeric or infinite value, fewer
    than ``need`` complete rows, or a column with one value only among the complete rows.
    """
    names = [c for wanted in roles.values() for c in wanted]
    role_of = {c: name for name, wanted in roles.items() for c in wanted}
    values, complete, by_col = complete_numeric_rows(numeric_frame(data[names], function=function), function)
    m, n = int(complete.sum()), len(values)
    if m < need:
        raise DataError(f"{function} needs at least {need} complete rows (every variable of the model answered); "
                        f"{m} of {n} rows are complete. Missing answers by column: {by_col or 'none'}. Drop the "
                        "variables with most missing answers, or impute them before the call.")
    values = values[complete]
    for j, c in enumerate(names):
        if values[:, j].min() == values[:, j].max():
            raise DataError(f"Column {c!r} (the {role_of[c]!r} of {function}) has the same value "
                            f"({values[0, j]:g}) in all {m} complete rows: a variable without variance cannot "
                            "explain or be explained. Check the column, or remove it from the model.")
    notes = (f"Rows dropped for a missing answer, by column (a row can miss several): {by_col}.",) if m < n else ()
    return values, data.index[complete], n - m, notes


def rank_check(design: np.ndarray, names: list, outcome, function: str) -> None:
    """DataError when the predictors of one equation are (numerically) collinear."""
    if collinear(design):
        raise DataError(f"The predictors of {outcome!r} in {function} ({first_names(names[1:], None)}) are perfectly "
                        "collinear in the complete rows: the regression cannot separate their effects. Remove a "
                        "predictor that is a combination of the others (e.g. a covariate equal to a mediator).")
