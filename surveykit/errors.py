"""Exceptions and warnings raised by surveykit.

Every exception subclasses the matching builtin so that ``except ValueError``
keeps working in user code (STYLE.md, "Errors").
"""

from __future__ import annotations

__all__ = [
    "SurveykitError",
    "QuestionnaireError",
    "DataError",
    "EmptyDataError",
    "SurveykitWarning",
    "DataQualityWarning",
    "check_option",
]


class SurveykitError(Exception):
    """Base class of every error raised on purpose by surveykit."""


class QuestionnaireError(SurveykitError, ValueError):
    """A questionnaire definition is invalid.

    ``problems`` holds every problem found, each as ``(location, message)``,
    so that a file is reported once, completely.
    """

    what = "questionnaire"  # what the file defines, as the message names it

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''} in the {self.what}:"]
        lines += [f"  {loc}: {msg}" if loc else f"  {msg}" for loc, msg in self.problems]
        super().__init__("\n".join(lines))


class DataError(SurveykitError, ValueError):
    """A data file cannot be read as survey responses."""


class EmptyDataError(DataError):
    """A data file holds no respondents (empty, or a header only)."""


class SurveykitWarning(UserWarning):
    """Base class of the warnings surveykit emits."""


class DataQualityWarning(SurveykitWarning):
    """The responses were read, but validation found problems."""


def check_option(name: str, value, allowed, *, function: str) -> None:
    """Raise the package's one-template error for a bad option value.

    ``The 'rotation' parameter of efa must be one of 'varimax', 'promax'. Got 'promx' instead.``
    """
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"The {name!r} parameter of {function} must be one of {choices}. Got {value!r} instead."
        )


def numeric_frame(data, *, function: str, what: str = "Column"):
    """``data`` (a DataFrame of answers) as floats; a DataError names each item, row and value that is not a number."""
    import pandas as pd

    from ._checks import check_finite  # infinite values and magnitudes whose squares overflow: a DataError

    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in data.dtypes):
        x = data.astype(float)  # already numbers: nothing to convert or report
        check_finite(x.to_numpy(), x.columns, x.index, function, what=what)
        return x
    x = data.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = {c: data.index[x[c].isna() & data[c].notna()] for c in data.columns}
    bad = {c: rows for c, rows in bad.items() if len(rows)}
    if bad:
        where = "; ".join(f"{c!r}: {len(rows)} row{'s' if len(rows) > 1 else ''}, e.g. row {rows[0]!r} = "
                          f"{data.at[rows[0], c]!r}" for c, rows in list(bad.items())[:5])
        raise DataError(f"{function}: {len(bad)} item{'s hold' if len(bad) > 1 else ' holds'} values that are not "
                        f"numbers ({where}); code the answers as numbers first (a SurveyData from the questionnaire "
                        "does this) or blank them.")
    check_finite(x.to_numpy(), x.columns, x.index, function, what=what)
    return x
