"""Moderated mediation on observed scores: PROCESS models 7 (first stage) and 14 (second stage).

Model 7: the moderator w changes the a path, m = a1 x + a2 w + a3 x w (+ cov), y = c' x + b m
(+ cov); the indirect effect at w is (a1 + a3 w) b and the index of moderated mediation a3 b.
Model 14: w changes the b path, m = a x (+ cov), y = c' x + b1 m + b2 w + b3 m w (+ cov); the
indirect effect at w is a (b1 + b3 w) and the index a b3 (Hayes 2015). Several mediators are
parallel (one index per mediator). Products are of the raw columns (PROCESS's default: no
centring), so the conditional effects are at values of w on its own scale. Intervals come
from the same vectorised bootstrap as ``mediation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._bootstrap import CI_METHODS
from .._checks import check_level
from .._linear import ols
from .._render import Summary
from .._result import Result
from ..errors import check_option
from ._batched import bootstrap_effects, interval
from ._ols import as_names, check_bootstrap, check_columns, complete_rows, lm_table, rank_check

__all__ = ["ModeratedMediationResult", "moderated_mediation"]

STAGES = ("first", "second")


@dataclass(frozen=True)
class ModeratedMediationResult(Result):
    """Index of moderated mediation and conditional indirect effects (PROCESS model 7 or 14).

    Attributes
    ----------
    effects : DataFrame
        Columns ``effect``, ``type`` ('index' or 'conditional_indirect'), ``mediator``, ``w``
        (the value of the moderator; NaN for an index), ``estimate``, ``se`` (bootstrap SD),
        ``ci_low``, ``ci_high`` (bootstrap interval).
    coefficients : DataFrame
        Every equation's ``lm`` table (outcome, term, estimate, se, t, p_value, ci_low, ci_high);
        the product terms are named ``'x:w'`` / ``'m:w'`` with the column names.
    bootstrap_distribution : DataFrame
        The effects on each resample.
    """

    x: str
    mediators: tuple
    y: str
    w: str
    covariates: tuple
    stage: str
    effects: pd.DataFrame
    coefficients: pd.DataFrame
    n_obs: int
    n_dropped: int
    n_boot: int
    ci: str
    ci_level: float
    bootstrap_distribution: pd.DataFrame
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        """The effects table: effect, type, mediator, w, estimate, se, ci_low, ci_high."""
        return self.effects.copy()

    def statement(self) -> str:
        """Whether each index's bootstrap interval excludes zero, in plain words."""
        out = []
        for _, r in self.effects[self.effects["type"] == "index"].iterrows():
            excludes = r.ci_low > 0 or r.ci_high < 0
            out.append(f"The index of moderated mediation through {r.mediator!r} is {r.estimate:.4g} "
                       f"({self.ci_level:.0%} {self.ci} bootstrap interval {r.ci_low:.4g} to {r.ci_high:.4g}): "
                       + ("it excludes zero, the indirect effect depends on " if excludes else
                          "it includes zero, no evidence that the indirect effect depends on ") + f"{self.w!r}.")
        return " ".join(out)

    def summary(self) -> Summary:
        model = "PROCESS model 7 (w moderates x -> m)" if self.stage == "first" else \
            "PROCESS model 14 (w moderates m -> y)"
        lines = [f"Moderated mediation, {model}: x = {self.x!r}, mediators "
                 f"{', '.join(repr(m) for m in self.mediators)}, y = {self.y!r}, w = {self.w!r}",
                 f"n = {self.n_obs} complete rows ({self.n_dropped} dropped: a missing answer)",
                 f"{self.n_boot} bootstrap resamples, {self.ci_level:.0%} {self.ci} intervals", self.statement(),
                 *self.notes]
        return Summary(title=f"Moderated mediation of {self.x!r} -> {self.y!r} by {self.w!r}", lines=lines,
                       tables=[("Effects", self.effects.set_index("effect")), ("Coefficients", self.coefficients)])

    def __repr__(self) -> str:
        index = self.effects.loc[self.effects["type"] == "index", "estimate"].iloc[0]
        return self._one_line(f"stage={self.stage!r} x={self.x!r} w={self.w!r} y={self.y!r} index={index:.3f} "
                              f"n_obs={self.n_obs}")


@dataclass(frozen=True)
class _Model:
    """Columns (0 = constant): x, mediators, y, w, covariates, then the products; the equations."""

    k: int
    n_cov: int
    first: bool
    at: tuple

    def cols(self):
        k = self.k
        x, meds, y, w = 1, list(range(2, 2 + k)), 2 + k, 3 + k
        cov = list(range(4 + k, 4 + k + self.n_cov))
        prods = list(range(4 + k + self.n_cov, 4 + k + self.n_cov + (1 if self.first else k)))
        return x, meds, y, w, cov, prods

    def equations(self) -> list:
        """Mediator equations, then the outcome equation: (predictors, response)."""
        x, meds, y, w, cov, prods = self.cols()
        if self.first:
            return [*[([0, x, w, prods[0], *cov], m) for m in meds], ([0, x, *meds, *cov], y)]
        return [*[([0, x, *cov], m) for m in meds], ([0, x, *meds, w, *prods, *cov], y)]

    bootstrap_equations = equations

    def indirect(self, coefs: list) -> np.ndarray:
        """Per mediator: the index, then the conditional indirect effect at each value of ``at``."""
        k, at = self.k, np.asarray(self.at)
        out = []
        for j in range(k):
            if self.first:
                a1, a3, b = coefs[j][:, 1], coefs[j][:, 3], coefs[k][:, 2 + j]
                out += [a3 * b, (a1[:, None] + a3[:, None] * at) * b[:, None]]
            else:
                a, b1, b3 = coefs[j][:, 1], coefs[k][:, 2 + j], coefs[k][:, 3 + k + j]
                out += [a * b3, a[:, None] * (b1[:, None] + b3[:, None] * at)]
        return np.column_stack(out)


def moderated_mediation(data: pd.DataFrame, x, m, y, w, *, stage: str = "first", covariates=(), at=None,
                        bootstrap: int = 5000, seed: int | np.random.Generator | None = None, ci: str = "percentile",
                        ci_level: float = 0.95) -> ModeratedMediationResult:
    """Moderated mediation: the index of moderated mediation and conditional indirect effects.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; numeric columns; rows with a missing value are dropped.
    x, y, w : str
        Predictor, outcome and moderator columns.
    m : str or list of str
        Mediator(s), parallel.
    stage : {'first', 'second'}
        'first' (PROCESS model 7): w moderates x -> m; 'second' (model 14): w moderates m -> y.
    covariates : list of str, optional
        Entered in every equation.
    at : list of float, optional
        Values of w for the conditional indirect effects; default its mean and mean +- 1 SD.
    bootstrap, seed, ci, ci_level
        As :func:`surveykit.mediation`.

    Returns
    -------
    ModeratedMediationResult

    Raises
    ------
    ValueError, DataError
        As :func:`surveykit.mediation`; the moderator equal to x, y or a mediator; a moderator
        with one value only.

    Notes
    -----
    R equivalents (model 7): ``lm(m ~ x * w + cov)``, ``lm(y ~ x + m + cov)``; index =
    ``coef(fm)["x:w"] * coef(fy)["m"]``. Model 14: ``lm(m ~ x + cov)``, ``lm(y ~ x + m * w +
    cov)``; index = ``coef(fm)["x"] * coef(fy)["m:w"]``. Checked in ``tests/reference/mediation.R``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.structural import moderated_mediation
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=500), "w": rng.normal(size=500)})
    >>> d["m"] = (0.3 + 0.3 * d.w) * d.x + rng.normal(size=500)
    >>> d["y"] = 0.5 * d.m + rng.normal(size=500)
    >>> r = moderated_mediation(d, "x", "m", "y", "w", bootstrap=1000, seed=1)
    >>> r.effects.type.tolist()
    ['index', 'conditional_indirect', 'conditional_indirect', 'conditional_indirect']
    >>> bool(r.effects.ci_low.iloc[0] > 0)
    True
    """
    function = "moderated_mediation"
    check_option("stage", stage, STAGES, function=function)
    check_option("ci", ci, CI_METHODS, function=function)
    level = check_level(ci_level, function)
    check_bootstrap(bootstrap, function)
    meds = as_names(m, "m", function)
    covs = as_names(covariates, "covariates", function, allow_empty=True)
    roles = {"x": [x], "m": meds, "y": [y], "w": [w], "covariates": covs}
    check_columns(data, roles, function)
    k = len(meds)
    need = (2 * k + 5 + len(covs)) if stage == "second" else max(5, k + 2) + len(covs)
    values, _, n_dropped, notes = complete_rows(data, roles, need, function)
    wv = values[:, 2 + k]
    prods = values[:, [0]] * wv[:, None] if stage == "first" else values[:, 1:1 + k] * wv[:, None]
    values = np.column_stack([values, prods])
    if at is None:
        at = (wv.mean() - wv.std(ddof=1), wv.mean(), wv.mean() + wv.std(ddof=1))
    at = tuple(float(v) for v in np.atleast_1d(np.asarray(at, dtype=float)))
    model = _Model(k, len(covs), stage == "first", at)
    product_names = [f"{x}:{w}"] if stage == "first" else [f"{mm}:{w}" for mm in meds]
    names = ["(intercept)", x, *meds, y, w, *covs, *product_names]
    design_all = np.column_stack([np.ones(len(values)), values])
    fits, tables = [], []
    for pred, resp in model.equations():
        terms = [names[j] for j in pred]
        rank_check(design_all[:, pred], terms, names[resp], function)
        fit = ols(design_all[:, pred], design_all[:, resp], level)
        fits.append(fit)
        tables.append(lm_table(fit, names[resp], terms))
    estimate = model.indirect([f["estimate"][None, :] for f in fits])[0]
    reps, jack = bootstrap_effects(model, values, bootstrap, seed, ci)
    rows = []
    for j, med in enumerate(meds):
        for i, w0 in enumerate([np.nan, *at]):
            col = j * (len(at) + 1) + i
            label = (f"index ({med})" if i == 0 else f"{x} -> {med} -> {y} | {w} = {w0:.4g}")
            rows.append({"effect": label, "type": "index" if i == 0 else "conditional_indirect", "mediator": med,
                         "w": w0, **interval(reps[:, col], estimate[col], None if jack is None else jack[:, col],
                                             level, ci)})
    effects = pd.DataFrame(rows)
    return ModeratedMediationResult(x=x, mediators=tuple(meds), y=y, w=w, covariates=tuple(covs), stage=stage,
                                    effects=effects, coefficients=pd.concat(tables, ignore_index=True),
                                    n_obs=len(values), n_dropped=n_dropped, n_boot=int(bootstrap), ci=ci,
                                    ci_level=level, notes=notes,
                                    bootstrap_distribution=pd.DataFrame(reps, columns=effects.effect.tolist()))
