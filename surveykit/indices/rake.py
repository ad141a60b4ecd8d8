"""Raking (iterative proportional fitting) of survey weights to known population margins.

Each sweep post-stratifies the weights to one margin after the other (Deming and Stephan,
1940): the weights of the respondents in level ``l`` of variable ``v`` are multiplied by
target_total(v, l) / current_total(v, l). Sweeps repeat until every margin is within ``tol``
of its target share. The weighted totals per level are one ``numpy.bincount`` per variable,
so a sweep is a few passes over the rows (a million rows and three variables rake in well
under a second). The result equals R ``survey::rake`` (survey 4.1.1) run to a tight
tolerance; optional trimming is ``survey::trimWeights(strict = TRUE)``.

Scale of the weights: shares are rescaled to sum to exactly 1, and margins given as totals to
the total of the first. With population totals the weights sum to the population total, as in
R; when every margin is a share they sum to the number of respondents (mean weight 1). R
rakes to totals only; giving R the shares times n as ``Freq`` yields the same weights as here,
and any other total multiplies them by a constant, which changes no weighted mean or share.

Convergence: R's default ``epsilon = 1`` stops when no cell of the joint table moves by a
whole unit of weight between sweeps, far looser than ``tol``. R stops on the change between
sweeps, surveykit on the distance to the targets; both reach the same fixed point: with the
default ``tol`` the weights equal R's (``epsilon = 1e-12``) to about 4e-10 relative, with
``tol=1e-13`` to about 1e-12.

Trimming: a weight below ``lower * mean`` or above ``upper * mean`` is set to the bound and the
total trimmed (cut minus added) is shared equally, as an amount per respondent, among the
respondents inside the bounds; this repeats until no weight is outside, as ``trimWeights(d,
lower = lower * m, upper = upper * m, strict = TRUE)`` with m the mean raked weight. The sum
(hence the mean) of the weights is kept, so the bounds stay put. Trimming is not followed by
another raking: the margins move away from their targets, and ``margins`` / ``max_error`` show
by how much. To re-balance, rake again with ``base_weights=result.weights`` (the weights may
then leave the bounds again).

Standard errors: pass the raked weights to :func:`surveykit.indices.weighted.weighted_mean` (or
``weighted_proportions``); those standard errors treat the raked weights as fixed sampling
weights. R's ``svymean`` on a raked design also accounts for the calibration, which removes
the variance explained by the raking variables; treating the weights as fixed ignores that
gain, so the surveykit SE is usually the larger (conservative). The estimates are identical.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import FIRST, check_weights, first_names, rows_where
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning

__all__ = ["RakeResult", "RakingWarning", "rake"]

_SHARE_TOL = 1e-6  # margins given as shares must sum to 1 within this
_TOTAL_RTOL = 1e-6  # margins given as totals must agree on the population total within this (relative)
_MAX_TRIM_PASSES = 10_000


class RakingWarning(SurveykitWarning):
    """Raking did not converge, or its margins look like percentages read as totals."""


# ---------------------------------------------------------------------------------------------
# input checks


@dataclass(frozen=True)
class _Margin:
    variable: object
    levels: list
    values: np.ndarray  # as given (shares or totals)
    kind: str  # "shares" or "totals"


def _parse_margins(margins, data: pd.DataFrame, function: str) -> tuple[list[_Margin], float | None, list[str]]:
    """The margins as given, the population total of those given as totals (None if all are shares), notes."""
    example = "e.g. {'gender': {'female': 0.51, 'male': 0.49}, 'age': {'18-34': 0.3, '35+': 0.7}}"
    if not isinstance(margins, Mapping) or not margins:
        raise TypeError(f"The 'margins' parameter of {function} must be a non-empty dict of variable -> "
                        f"{{level: share or total}}, {example}. Got {type(margins).__name__} {margins!r:.80} instead.")
    absent = [v for v in margins if v not in data.columns]
    if absent:
        raise DataError(f"{len(absent)} margin variable{'s are' if len(absent) > 1 else ' is'} not a column of the "
                        f"data passed to {function}: {first_names(absent)}. The data have {len(data.columns)} columns "
                        f"({first_names(list(data.columns), 8)}); check the spelling or rename the column.")
    parsed = []
    for var, spec in margins.items():
        if isinstance(spec, pd.Series):
            spec = dict(spec.items())
        if not isinstance(spec, Mapping) or not spec:
            raise TypeError(f"The margin of {var!r} passed to {function} must be a non-empty dict (or Series) of "
                            f"level -> share or total, {example}. Got {spec!r:.80} instead.")
        levels = list(spec)
        values = []
        for level in levels:
            v = spec[level]
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v) \
                    or v < 0:
                raise ValueError(f"The margin of {var!r} passed to {function} gives level {level!r} the target {v!r}; "
                                 "targets must be numbers, 0 or more (shares that sum to 1, or population totals).")
            values.append(float(v))
        values = np.array(values)
        kind = "shares" if values.max() <= 1 else "totals"
        if kind == "shares" and abs(values.sum() - 1) > _SHARE_TOL:
            raise ValueError(f"The margin of {var!r} passed to {function} reads as shares (no value above 1) but they "
                             f"sum to {values.sum():.10g}, not 1 (allowed: within {_SHARE_TOL:g}). Correct the shares "
                             "so they sum to 1, or give population totals (counts) instead.")
        parsed.append(_Margin(var, levels, values, kind))
    totals = {m.variable: m.values.sum() for m in parsed if m.kind == "totals"}
    notes = []
    population = None
    if totals:
        sums = np.array(list(totals.values()))
        if sums.max() - sums.min() > _TOTAL_RTOL * sums.max():
            listed = ", ".join(f"{v!r} sums to {s:,.10g}" for v, s in totals.items())
            raise ValueError(f"The margins passed to {function} as population totals disagree on the population "
                             f"total: {listed}. Every margin counts the same population: rescale them to one total, "
                             f"or give shares (values that sum to 1) instead.")
        population = float(sums[0])
        if abs(population - 100) < 1e-9:
            note = (f"The margins {first_names(list(totals))} sum to 100 and are read as population totals, so the weights "
                    "sum to 100. If they are percentages, divide them by 100: as shares, the weights sum to the "
                    "number of respondents.")
            warnings.warn(RakingWarning(note), stacklevel=3)
            notes.append(note)
    return parsed, population, notes


def _codes(data: pd.DataFrame, margin: _Margin, function: str) -> np.ndarray:
    """Position of each respondent's level in ``margin.levels``; errors for levels that do not match."""
    var = margin.variable
    col = data[var]
    if isinstance(col, pd.DataFrame):
        raise DataError(f"The data passed to {function} have {col.shape[1]} columns named {var!r}; rename them so "
                        "each raking variable is one column.")
    missing = col.isna().to_numpy()
    if missing.any():
        raise DataError(f"The raking variable {var!r} is missing in {rows_where(missing, data.index)}. Every respondent "
                        "needs a level of every raking variable: impute it, add a level such as 'unknown' to both the "
                        "data and the margins, or drop those rows before raking.")
    codes, uniques = pd.factorize(col, sort=False)
    uniques = list(uniques)
    position = {level: i for i, level in enumerate(margin.levels)}
    lookup = np.array([position.get(u, -1) for u in uniques], dtype=np.intp)
    unmatched = np.flatnonzero(lookup < 0)
    if len(unmatched):
        rows = np.isin(codes, unmatched)
        hint = ""
        if (lookup < 0).all():
            data_kinds = ", ".join(sorted({type(v).__name__ for v in uniques}))
            margin_kinds = ", ".join(sorted({type(v).__name__ for v in margin.levels}))
            hint = (f" None of the data's levels matches a level of the margin: the data hold {data_kinds} values "
                    f"({first_names(uniques, 3)}), the margin names {margin_kinds} levels "
                    f"({first_names(margin.levels, 3)}); convert one to the other.")
        raise DataError(f"{len(unmatched)} level{'s' if len(unmatched) > 1 else ''} of {var!r} in the data "
                        f"{'have' if len(unmatched) > 1 else 'has'} no target in the margins: "
                        f"{first_names([uniques[i] for i in unmatched])}, in {rows_where(rows, data.index)}. Those respondents "
                        f"would get no target. Add the level to the margin of {var!r} with its population share or "
                        f"total, or recode those rows to a level the margin names.{hint}")
    row = lookup[codes]
    count = np.bincount(row, minlength=len(margin.levels))
    empty = [i for i in range(len(margin.levels)) if count[i] == 0 and margin.values[i] > 0]
    if empty:
        listed = ", ".join(f"{margin.levels[i]!r} (target {margin.values[i]:.6g})" for i in empty[:FIRST])
        raise DataError(f"The margin of {var!r} passed to {function} names {len(empty)} level"
                        f"{'s' if len(empty) > 1 else ''} that no respondent has: {listed}. Raking cannot give "
                        "weight to an empty level: merge it with a neighbouring level in both the data and the "
                        "margin, or leave it out of the margin (shares of the other levels then sum to 1).")
    zero = [i for i in range(len(margin.levels)) if count[i] > 0 and margin.values[i] == 0]
    if zero:
        i = zero[0]
        raise DataError(f"The margin of {var!r} passed to {function} gives level {margin.levels[i]!r} a target of 0, "
                        f"but {rows_where(row == i, data.index)} have it: raking would give them weight 0. Drop those "
                        "respondents before raking (they are outside the population), or correct the target.")
    return row


def _check_trim(trim, function: str) -> tuple[float, float] | None:
    if trim is None:
        return None
    bad = ValueError(f"The 'trim' parameter of {function} must be None or (lower, upper) bounds relative to the mean "
                     f"weight with 0 <= lower < 1 < upper, e.g. (0.3, 3.0). Got {trim!r} instead.")
    try:
        lower, upper = (float(b) for b in trim)
    except (TypeError, ValueError):
        raise bad from None
    if not (0 <= lower < 1 < upper) or math.isnan(upper):
        raise bad
    return lower, upper


# ---------------------------------------------------------------------------------------------
# the algorithm


def _ipf(codes: list[np.ndarray], targets: list[np.ndarray], w: np.ndarray, max_iter: int, tol: float):
    """Iterative proportional fitting. ``targets`` are totals (each sums to the same total).

    Returns the weights, the sweeps run, the largest |achieved share - target share| after
    the last sweep, and whether it is below ``tol``.
    """
    total = targets[0].sum()
    shares = [t / total for t in targets]
    sizes = [len(t) for t in targets]
    w = w.copy()
    sums = np.bincount(codes[0], w, minlength=sizes[0])
    error = np.inf
    for sweep in range(1, max_iter + 1):
        for j, (c, t) in enumerate(zip(codes, targets)):
            if j:
                sums = np.bincount(c, w, minlength=sizes[j])
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(sums > 0, t / sums, 1.0)  # a level with target 0 has no rows
            w *= factor[c]
        # convergence: every margin of the weights after the sweep (the first one is reused next sweep)
        wsum = w.sum()
        error = 0.0
        for j in reversed(range(len(codes))):
            sums = np.bincount(codes[j], w, minlength=sizes[j])
            error = max(error, float(np.abs(sums / wsum - shares[j]).max()))
        if not np.isfinite(error):
            return w, sweep, error, False
        if error < tol:
            return w, sweep, error, True
    return w, max_iter, error, False


def _warn(notes: list, note: str, stacklevel: int = 3) -> None:
    """Warn the caller of rake with ``note`` (``stacklevel`` from here) and keep it for the result."""
    warnings.warn(RakingWarning(note), stacklevel=stacklevel)
    notes.append(note)


def _trimmed(w: np.ndarray, bounds, notes: list, function: str):
    """The weights trimmed to ``bounds`` times their mean (unchanged for None), who was trimmed, and the passes."""
    low = high = np.zeros(len(w), dtype=bool)
    if bounds is None:
        return w, low, high, 0
    mean = w.mean()
    w, low, high, passes = _trim(w, bounds[0] * mean, bounds[1] * mean, function)
    still = int(((w < bounds[0] * mean) | (w > bounds[1] * mean)).sum())
    if still:
        _warn(notes, f"Trimming stopped after {passes} passes with {still} weights still outside the bounds; widen "
                     "the bounds.", stacklevel=4)
    return w, low, high, passes


def _base_weights(data: pd.DataFrame, base_weights, function: str) -> np.ndarray:
    """The starting weights (a column of ``data``, one per row, or equal), checked."""
    if len(data) == 0:
        raise DataError(f"No respondents to rake: the data passed to {function} have no rows.")
    if isinstance(base_weights, str):
        if base_weights not in data.columns:
            raise DataError(f"The 'base_weights' column {base_weights!r} of {function} is not a column of the data.")
        base_weights = data[base_weights]
    return check_weights(base_weights, len(data), data.index, function)


def _check_options(data, max_iter, tol, function: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"The 'data' parameter of {function} must be a pandas DataFrame with one row per respondent. "
                        f"Got {type(data).__name__} instead.")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"The 'max_iter' parameter of {function} must be a whole number of at least 1. "
                         f"Got {max_iter!r} instead.")
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.floating)) or not 0 < tol < 1:
        raise ValueError(f"The 'tol' parameter of {function} must be a number between 0 and 1 (a share), e.g. 1e-10. "
                         f"Got {tol!r} instead.")


def _margins_table(parsed: list, codes: list, targets: list, w: np.ndarray, w0: np.ndarray):
    """Each margin's levels with their counts and their base, target and achieved shares; the largest miss."""
    n, wsum = len(w), w.sum()
    rows = []
    max_error = 0.0
    for m, c, t in zip(parsed, codes, targets):
        k = len(m.levels)
        count = np.bincount(c, minlength=k)
        achieved = np.bincount(c, w, minlength=k)
        target_share = t / t.sum()
        achieved_share = achieved / wsum
        max_error = max(max_error, float(np.abs(achieved_share - target_share).max()))
        rows.append(pd.DataFrame({"variable": m.variable, "level": pd.Series(m.levels, dtype=object), "count": count,
                                  "sample_share": count / n, "base_share": np.bincount(c, w0, minlength=k) / w0.sum(),
                                  "target_share": target_share, "achieved_share": achieved_share,
                                  "difference": achieved_share - target_share, "target_total": target_share * wsum,
                                  "achieved_total": achieved}))
    return pd.concat(rows, ignore_index=True), max_error


def _trim(w: np.ndarray, lower: float, upper: float, function: str):
    """survey::trimWeights(strict = TRUE): clip to the bounds, give the trimmed excess equally to the others, repeat.

    Returns the weights, the rows ever trimmed at the lower and at the upper bound, and the passes run.
    """
    low_ever = np.zeros(len(w), dtype=bool)
    high_ever = np.zeros(len(w), dtype=bool)
    passes = 0
    while passes < _MAX_TRIM_PASSES:
        low, high = w < lower, w > upper
        outside = low | high
        if not outside.any():
            break
        inside = ~outside
        if not inside.any():
            raise ValueError(f"The 'trim' bounds of {function} leave no weight inside them, so the trimmed excess "
                             "cannot be redistributed; widen the bounds.")
        low_ever |= low
        high_ever |= high
        new = np.clip(w, lower, upper)
        new[inside] += (w - new).sum() / inside.sum()
        w = new
        passes += 1
    return w, low_ever, high_ever, passes


# ---------------------------------------------------------------------------------------------
# result


@dataclass(frozen=True)
class RakeResult(Result):
    """Raked weights and how well they reproduce the population margins.

    Attributes
    ----------
    weights : Series
        The final weight of each respondent, aligned with the data's index (name
        ``'weight'``). They sum to the population total when any margin is given as totals,
        else to the number of respondents ``n_obs`` (mean weight 1).
    margins : DataFrame
        One row per variable and level: ``variable``, ``level``, ``count`` (respondents),
        ``sample_share`` (unweighted), ``base_share`` (with the base weights),
        ``target_share``, ``achieved_share`` (with the final weights), ``difference``
        (achieved - target), ``target_total`` and ``achieved_total`` (on the scale of
        ``weights``).
    converged : bool
        Whether every margin came within ``tol`` of its target share in ``max_iter`` sweeps.
    n_iter : int
        Sweeps run (one sweep adjusts to every margin once).
    max_error : float
        Largest absolute difference between achieved and target share over all levels,
        with the final weights (after trimming, if any).
    weight_range : tuple of float
        (smallest weight, largest weight, largest / smallest).
    design_effect : float
        Kish's design effect of unequal weighting, 1 + CV^2 = n sum w^2 / (sum w)^2 (CV
        with divisor n).
    effective_n : float
        Kish's effective sample size, (sum w)^2 / sum w^2 = n_obs / design_effect.
    n_obs : int
        Respondents raked (every row: raking drops none).
    sum_weights : float
    population_total : float or None
        Population total of the margins given as totals; None when all are shares.
    trim : tuple of float or None
        The trimming bounds relative to the mean weight, as passed.
    n_trimmed_low, n_trimmed_high : int
        Respondents whose weight was raised to the lower bound / cut to the upper bound.
    notes : tuple of str
        Warnings also emitted as :class:`RakingWarning`.
    """

    weights: pd.Series
    margins: pd.DataFrame
    converged: bool
    n_iter: int
    max_error: float
    weight_range: tuple[float, float, float]
    design_effect: float
    effective_n: float
    n_obs: int
    sum_weights: float
    population_total: float | None
    max_iter: int
    tol: float
    trim: tuple[float, float] | None = None
    n_trimmed_low: int = 0
    n_trimmed_high: int = 0
    trim_passes: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def variables(self) -> list:
        return list(dict.fromkeys(self.margins["variable"]))

    def to_frame(self) -> pd.DataFrame:
        return self.margins.copy()

    def summary(self) -> Summary:
        names = ", ".join(repr(v) for v in self.variables)
        if self.converged:
            status = f"converged in {self.n_iter} iterations (tol {self.tol:g})"
        else:
            status = f"NOT converged after {self.n_iter} iterations (tol {self.tol:g})"
        scale = ("the population total of the margins" if self.population_total is not None
                 else "the number of respondents (the margins are shares)")
        lo, hi, ratio = self.weight_range
        lines = [(f"Raked to {len(self.variables)} margins ({names}): {status}; largest margin difference "
                  f"{self.max_error:.2g} (share)"),
                 f"n = {self.n_obs} respondents; weights sum to {self.sum_weights:,.6g}, {scale}",
                 (f"Weights from {lo:.4g} to {hi:.4g} (ratio {ratio:.3g}); Kish design effect 1 + CV^2 = "
                  f"{self.design_effect:.3f}, effective n = {self.effective_n:.1f}")]
        if self.trim is not None:
            lines.append(f"Trimmed to {self.trim[0]:g} - {self.trim[1]:g} times the mean weight (survey::trimWeights, "
                         f"strict): {self.n_trimmed_low} weights raised, {self.n_trimmed_high} cut, the excess spread "
                         "equally over the others")
        lines += list(self.notes)
        table = self.margins.set_index(["variable", "level"])[
            ["count", "sample_share", "base_share", "target_share", "achieved_share", "difference"]]
        return Summary(title="Raking", lines=lines, tables=[("Margins", table)])

    def __repr__(self) -> str:
        return (f"<RakeResult n_margins={len(self.variables)} converged={self.converged} n_iter={self.n_iter} "
                f"max_error={self.max_error:.2g} design_effect={self.design_effect:.3f} n_obs={self.n_obs}>")


# ---------------------------------------------------------------------------------------------
# rake


def rake(data: pd.DataFrame, margins: Mapping, *, base_weights=None, max_iter: int = 100, tol: float = 1e-10,
         trim: tuple[float, float] | None = None) -> RakeResult:
    """Rake weights so that the weighted sample reproduces known population margins.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, holding the raking variables.
    margins : dict
        Variable (a column of ``data``) -> {level: target} (a dict or a Series), raked in this
        order. Targets all at most 1 are shares, which must sum to 1 within 1e-6; otherwise
        population totals, on which all such margins must agree within 1e-6 (relative);
        shares are scaled to that total. A level with target 0 is allowed only if no
        respondent has it.
    base_weights : array-like or str, optional
        Starting (design) weights, one per respondent, positive and finite; or the name of
        a column of ``data``. None: equal weights.
    max_iter : int
        Most sweeps to run (one sweep adjusts to every margin once).
    tol : float
        Convergence when every level's weighted share is within ``tol`` of its target share.
    trim : (float, float), optional
        ``(lower, upper)`` bounds on the weights relative to the mean weight, e.g.
        ``(0.3, 3.0)``, applied once after raking as ``survey::trimWeights(strict = TRUE)``
        (see the module docstring). None: no trimming.

    Returns
    -------
    RakeResult
        ``weights``, ``converged``, ``n_iter``, ``max_error``, the ``margins`` table
        (``to_frame()``), ``weight_range``, ``design_effect``, ``effective_n``.

    Raises
    ------
    DataError
        A margin variable that is not a column; a missing value in a raking variable; a level
        in the data without a target, or one with a positive target that no respondent has
        (or target 0 that respondents have); base weights missing, zero or negative.
    ValueError
        Shares that do not sum to 1; totals that disagree on the population total; a
        negative or non-numeric target; bad ``max_iter``, ``tol`` or ``trim``.
    TypeError
        ``data`` is not a DataFrame, ``margins`` not a dict of dicts.

    Warns
    -----
    RakingWarning
        Raking did not converge in ``max_iter`` sweeps (``converged`` is False; the note gives
        the largest margin difference left); margins summing to 100, read as totals.

    Notes
    -----
    Iterative proportional fitting (module docstring) converges when the margins are
    consistent with the sample (a joint distribution with those margins exists on the cells
    the sample covers); otherwise it oscillates and ``converged`` is False. The raked weights
    do not depend on the scale of the base weights.

    R equivalent::

        d <- svydesign(ids = ~1, weights = ~base_w, data = x)
        pop_gender <- data.frame(gender = c("female", "male"), Freq = c(0.51, 0.49) * nrow(x))
        r <- rake(d, list(~gender, ~age), list(pop_gender, pop_age),
                  control = list(maxit = 100, epsilon = 1e-12))
        weights(r)

    The scale of the weights (totals or mean 1), the convergence against R's ``epsilon``,
    trimming (as ``trimWeights(strict = TRUE)``, not followed by another raking) and standard
    errors (the raked weights taken as fixed: conservative) are set out in the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.indices.rake import rake
    >>> x = pd.DataFrame({"gender": list("ffffffmmmm"), "age": list("yyyooyyooo")})
    >>> r = rake(x, {"gender": {"f": 0.5, "m": 0.5}, "age": {"y": 0.4, "o": 0.6}})
    >>> r.converged, round(float(r.weights.sum()), 6)
    (True, 10.0)
    >>> r.margins.set_index(["variable", "level"])["achieved_share"].round(6).to_dict()
    {('gender', 'f'): 0.5, ('gender', 'm'): 0.5, ('age', 'y'): 0.4, ('age', 'o'): 0.6}
    >>> r.weights.round(3).tolist()
    [0.75, 0.75, 0.75, 1.0, 1.0, 0.75, 1.0, 1.333, 1.333, 1.333]
    >>> round(r.design_effect, 4), round(r.effective_n, 2)
    (1.0583, 9.45)
    """
    function = "rake"
    _check_options(data, max_iter, tol, function)
    bounds = _check_trim(trim, function)
    parsed, population, notes = _parse_margins(margins, data, function)
    n = len(data)
    w0 = _base_weights(data, base_weights, function)
    codes = [_codes(data, m, function) for m in parsed]
    scale = population if population is not None else float(n)
    targets = [m.values / m.values.sum() * scale for m in parsed]

    w, n_iter, error, converged = _ipf(codes, targets, w0, int(max_iter), float(tol))
    notes = list(notes)
    if not converged:
        _warn(notes, f"Raking did not converge in {n_iter} iterations: a margin is still off its target by "
                     f"{error:.3g} (share), above tol={tol:g}. The weights do not reproduce the margins. The margins "
                     "may be inconsistent with the sample (e.g. they need a combination of levels no respondent "
                     "has); see the margins table, collapse sparse levels, or raise max_iter.")
    w, low, high, passes = _trimmed(w, bounds, notes, function)
    table, max_error = _margins_table(parsed, codes, targets, w, w0)
    wsum = w.sum()
    if bounds is not None and (low.any() or high.any()):
        notes.append(f"Trimming moved the margins off their targets by up to {max_error:.3g} (share; {error:.2g} "
                     "after raking). Rake again with base_weights=result.weights to re-balance them.")
    sq = float((w ** 2).sum())
    return RakeResult(weights=pd.Series(w, index=data.index, name="weight"), margins=table, converged=converged,
                      n_iter=n_iter, max_error=max_error, weight_range=(float(w.min()), float(w.max()),
                                                                        float(w.max() / w.min())),
                      design_effect=float(n * sq / wsum ** 2), effective_n=float(wsum ** 2 / sq), n_obs=n,
                      sum_weights=float(wsum), population_total=population, max_iter=int(max_iter), tol=float(tol),
                      trim=bounds,
                      n_trimmed_low=int(low.sum()), n_trimmed_high=int(high.sum()), trim_passes=passes,
                      notes=tuple(notes))
