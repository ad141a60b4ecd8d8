"""Significance stars by one convention, the same in every table and figure.

Private base of the package (the public names are re-exported by ``surveykit``). A convention
is three p-value cut points, loosest first, each marked with one more star; a p-value strictly
below a cut point earns its stars (APA: p < .05 is *, so p = .05 exactly has none):

* ``'apa'`` (default): * p < .05, ** p < .01, *** p < .001 (APA Publication Manual, 7th ed.);
* ``'0.1/0.05/0.01'``: * p < 0.1, ** p < 0.05, *** p < 0.01 (the economics convention, as R
  ``stargazer`` and Stata ``esttab``); ``'econ'`` is another name for it;
* three numbers, e.g. ``(0.05, 0.01, 0.005)``.

Which convention applies, highest first: the ``convention`` argument of a call; the one set by
:func:`set_star_convention` (or inside ``with star_convention(...)``); the environment variable
``SURVEYKIT_STARS`` (so a command-line run, a notebook and the report agree without passing
it down); else ``'apa'``. Result summaries (``surveykit._render.Summary``), report tables and
figures all ask :func:`stars` and write :func:`star_note` under the table, so they never differ.
(R's ``summary.lm`` prints its own ``0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1`` legend: the
APA marks plus a dot, which we leave out.)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Real

__all__ = ["STAR_CONVENTIONS", "get_star_convention", "is_p_column", "set_star_convention", "star_column",
           "star_convention", "star_note", "stars"]

#: Named conventions: the p-value cut points of *, ** and ***.
STAR_CONVENTIONS = {"apa": (0.05, 0.01, 0.001), "0.1/0.05/0.01": (0.1, 0.05, 0.01)}
_ALIASES = {"econ": "0.1/0.05/0.01"}
ENV = "SURVEYKIT_STARS"
_state: dict = {"convention": None}  # set only by set_star_convention / star_convention


def _cuts(convention, where: str = "convention") -> tuple[float, float, float]:
    """The three cut points of a convention name or triple, or a ValueError naming the options."""
    if isinstance(convention, str):
        name = _ALIASES.get(convention.strip().lower(), convention.strip().lower())
        if name in STAR_CONVENTIONS:
            return STAR_CONVENTIONS[name]
    elif (isinstance(convention, (tuple, list)) and len(convention) == 3
          and all(isinstance(c, Real) and not isinstance(c, bool) for c in convention)):
        cuts = tuple(float(c) for c in convention)
        if all(0 < c < 1 for c in cuts) and cuts[0] > cuts[1] > cuts[2]:
            return cuts
    raise ValueError(f"The {where!r} of the significance stars must be one of 'apa', '0.1/0.05/0.01' (or 'econ'), "
                     f"or three p-value cut points in (0, 1), loosest first, e.g. (0.05, 0.01, 0.001). "
                     f"Got {convention!r} instead.")


def get_star_convention():
    """The convention in force: the one set, else ``$SURVEYKIT_STARS``, else ``'apa'``."""
    if _state["convention"] is not None:
        return _state["convention"]
    env = os.environ.get(ENV, "").strip()
    if env:
        _cuts(env, f"environment variable {ENV}")
        return _ALIASES.get(env.lower(), env.lower())
    return "apa"


def set_star_convention(convention=None):
    """Set the significance-star convention of every later table and figure; returns the previous one.

    Parameters
    ----------
    convention : {'apa', '0.1/0.05/0.01', 'econ'}, tuple of 3 floats, or None
        None returns to the default (``$SURVEYKIT_STARS``, else ``'apa'``).

    Examples
    --------
    >>> import surveykit as sk
    >>> old = sk.set_star_convention("0.1/0.05/0.01")
    >>> sk.stars(0.07), sk.star_note()
    ('*', '* p < 0.1, ** p < 0.05, *** p < 0.01')
    >>> _ = sk.set_star_convention(old)
    """
    previous = _state["convention"]
    if convention is not None:
        _cuts(convention)
        if isinstance(convention, str):
            convention = _ALIASES.get(convention.strip().lower(), convention.strip().lower())
        else:
            convention = tuple(float(c) for c in convention)
    _state["convention"] = convention
    return previous


@contextmanager
def star_convention(convention) -> Iterator[None]:
    """Use ``convention`` inside a ``with`` block only (e.g. one report), then restore the one before.

    Examples
    --------
    >>> import surveykit as sk
    >>> with sk.star_convention("econ"):
    ...     sk.stars(0.03)
    '**'
    >>> sk.stars(0.03)
    '*'
    """
    previous = set_star_convention(convention)
    try:
        yield
    finally:
        _state["convention"] = previous


def stars(p, convention=None) -> str:
    """The significance stars of one p-value: '', '*', '**' or '***'.

    Parameters
    ----------
    p : float
        A p-value; NaN or None (no test) gives ''.
    convention : str or tuple of 3 floats, optional
        Default: :func:`get_star_convention`.

    Raises
    ------
    ValueError
        A p-value outside [0, 1] or an unknown convention.

    Examples
    --------
    >>> from surveykit import stars
    >>> [stars(p) for p in (0.2, 0.05, 0.049, 0.004, 0.0002, float("nan"))]
    ['', '', '*', '**', '***', '']
    >>> stars(0.08, convention="0.1/0.05/0.01")
    '*'
    """
    cuts = _cuts(get_star_convention() if convention is None else convention)
    if p is None:
        return ""
    p = float(p)
    if math.isnan(p):
        return ""
    if not -1e-12 <= p <= 1 + 1e-9:  # rounding of a computed p-value may overshoot 1 by a hair
        raise ValueError(f"stars takes a p-value in [0, 1]; got {p!r}.")
    return "*" * sum(p < c for c in cuts)


def _number(c: float, apa: bool) -> str:
    text = f"{c:g}"
    return text[1:] if apa and text.startswith("0.") else text


def star_note(convention=None, language: str = "en") -> str:
    """The legend of the stars, for the note under a table or figure: ``'* p < .05, ** p < .01, *** p < .001'``.

    Parameters
    ----------
    convention : str or tuple of 3 floats, optional
        Default: :func:`get_star_convention`.
    language : {'en', 'zh'}
        'zh' joins the parts with the full-width comma '，'.

    Examples
    --------
    >>> from surveykit import star_note
    >>> star_note(language="zh")
    '* p < .05，** p < .01，*** p < .001'
    """
    if language not in ("en", "zh"):
        raise ValueError(f"The 'language' parameter of star_note must be one of 'en', 'zh'. Got {language!r} instead.")
    convention = get_star_convention() if convention is None else convention
    cuts = _cuts(convention)
    apa = cuts != STAR_CONVENTIONS["0.1/0.05/0.01"]  # APA drops the leading zero of a p-value; the economists' keep it
    parts = [f"{'*' * (k + 1)} p < {_number(c, apa)}" for k, c in enumerate(cuts)]
    return ("，" if language == "zh" else ", ").join(parts)


def star_column(p_values, convention=None) -> list[str]:
    """The stars of each p-value of a column (a list, for a table's ``sig`` column)."""
    return [stars(p, convention) for p in p_values]


def is_p_column(name) -> bool:
    """Whether a table column holds p-values by the package's vocabulary (``p_value``, ``p``, ``*_p``,
    ``p_adjusted``): the columns a rendered table marks with stars."""
    name = str(name)
    return name in ("p", "p_value", "p_adjusted") or name.endswith(("_p", "_p_value"))
