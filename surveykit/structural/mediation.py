"""Mediation on observed scores: PROCESS models 4 (parallel mediators) and 6 (serial mediators).

Each mediator is regressed on x (and, in a serial model, on the mediators before it), the
outcome on x and every mediator; covariates enter every equation. The paths are OLS
coefficients with classical standard errors as R ``lm``; an indirect effect is the product
of the paths along one chain x -> m ... -> y; its interval comes from resampling the rows
(percentile or BCa). All resamples are solved at once (``_batched.py``), no refit per resample.
"""

from __future__ import annotations

import itertools
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

__all__ = ["MediationResult", "mediation"]

KINDS = ("simple", "parallel", "serial")
MAX_SERIAL = 3


@dataclass(frozen=True)
class MediationResult(Result):
    """Paths, indirect effects and their bootstrap intervals of an observed-score mediation model.

    Attributes
    ----------
    effects : DataFrame
        One row per effect (index 0..), columns ``effect`` (its name), ``type`` ('total',
        'direct', 'indirect', 'total_indirect', 'contrast'), ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``p_value``. The total effect c and the direct effect c' carry OLS
        standard errors, t intervals and p-values; the indirect effects, their total and the
        contrasts (differences between two indirect effects) carry the bootstrap standard
        deviation and interval, and no p-value (NaN).
    paths : DataFrame
        Indexed by path label: ``a1`` (x -> first mediator), ``d21`` (first -> second mediator,
        serial only), ``b1`` (first mediator -> y), ``c`` (total), ``c_prime`` (direct); columns
        ``from``, ``to``, ``estimate``, ``se``, ``t``, ``p_value``, ``ci_low``, ``ci_high``.
    coefficients : DataFrame
        Every equation's full ``lm`` table (covariates and intercept too), columns
        ``outcome``, ``term``, ``estimate``, ``se``, ``t``, ``p_value``, ``ci_low``, ``ci_high``;
        the total-effect equation has outcome ``'<y> (total)'``.
    r_squared : Series
        R^2 of each equation.
    share_mediated : float
        Total indirect effect / total effect (undefined, NaN, when the total effect is 0; it
        can exceed 1 or be negative when effects of opposite signs cancel).
    bootstrap_distribution : DataFrame
        The indirect effects, their total and the contrasts on each resample.
    """

    x: str
    mediators: tuple
    y: str
    covariates: tuple
    kind: str
    effects: pd.DataFrame
    paths: pd.DataFrame
    coefficients: pd.DataFrame
    r_squared: pd.Series
    share_mediated: float
    n_obs: int
    n_dropped: int
    n_boot: int
    ci: str
    ci_level: float
    bootstrap_distribution: pd.DataFrame
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        """The effects table: effect, type, estimate, se, ci_low, ci_high, p_value."""
        return self.effects.copy()

    def statement(self) -> str:
        """Which indirect effects' bootstrap intervals exclude zero, in plain words."""
        level = f"{self.ci_level:.0%} {'bias-corrected and accelerated' if self.ci == 'bca' else 'percentile'}"
        out = []
        rows = self.effects[self.effects["type"].isin(["indirect", "total_indirect"])]
        for _, r in rows.iterrows():
            excludes = r.ci_low > 0 or r.ci_high < 0
            verdict = ("excludes zero: the indirect effect is supported" if excludes else
                       "includes zero: no evidence of this indirect effect")
            out.append(f"The {'total indirect effect' if r.type == 'total_indirect' else 'indirect effect ' + r.effect}"
                       f" is {r.estimate:.4g} ({level} bootstrap interval {r.ci_low:.4g} to {r.ci_high:.4g}, "
                       f"{self.n_boot} resamples); the interval {verdict}.")
        direct = self.effects[self.effects["type"] == "direct"].iloc[0]
        ci_direct = direct.ci_low > 0 or direct.ci_high < 0
        out.append(f"The direct effect c' = {direct.estimate:.4g} (t interval {direct.ci_low:.4g} to "
                   f"{direct.ci_high:.4g}, p = {direct.p_value:.3g}) is {'' if ci_direct else 'not '}significant at "
                   f"alpha = {1 - self.ci_level:.2g}"
                   + (f"; the share mediated is {self.share_mediated:.1%}." if np.isfinite(self.share_mediated)
                      else "."))
        return " ".join(out)

    def summary(self) -> Summary:
        meds = ", ".join(repr(m) for m in self.mediators)
        model = {"simple": "simple mediation (PROCESS model 4, one mediator)",
                 "parallel": f"parallel mediation (PROCESS model 4, {len(self.mediators)} mediators)",
                 "serial": f"serial mediation (PROCESS model 6, {len(self.mediators)} mediators)"}[self.kind]
        cov = f"; covariates {', '.join(repr(c) for c in self.covariates)}" if self.covariates else ""
        lines = [f"{model}: x = {self.x!r}, mediators {meds}, y = {self.y!r}{cov}",
                 f"n = {self.n_obs} complete rows ({self.n_dropped} dropped: a missing answer)",
                 f"Paths: OLS with classical standard errors and t intervals (as R lm); indirect effects: "
                 f"{self.n_boot} bootstrap resamples, {self.ci_level:.0%} {self.ci} intervals",
                 self.statement(), *self.notes]
        return Summary(title=f"Mediation of {self.x!r} -> {self.y!r}", lines=lines,
                       tables=[("Effects", self.effects.set_index("effect")), ("Paths", self.paths)])

    def __repr__(self) -> str:
        total = self.effects.loc[self.effects["type"] == "total_indirect", "estimate"]
        if not len(total):
            total = self.effects.loc[self.effects["type"] == "indirect", "estimate"]
        return self._one_line(f"kind={self.kind!r} x={self.x!r} y={self.y!r} n_mediators={len(self.mediators)} "
                              f"indirect={float(total.iloc[0]):.3f} n_obs={self.n_obs}")


# ---------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class _Model:
    """Variables (x, mediators..., y, covariates...) and equations as column indices (0 = constant)."""

    k: int
    serial: bool
    n_cov: int

    def cols(self):
        x, meds, y = 1, list(range(2, 2 + self.k)), 2 + self.k
        cov = list(range(3 + self.k, 3 + self.k + self.n_cov))
        return x, meds, y, cov

    def equations(self) -> list:
        """Mediator equations, the outcome equation, the total-effect equation: (predictors, response)."""
        x, meds, y, cov = self.cols()
        eqs = [([0, x, *(meds[:j] if self.serial else []), *cov], meds[j]) for j in range(self.k)]
        eqs.append(([0, x, *meds, *cov], y))
        eqs.append(([0, x, *cov], y))
        return eqs

    def bootstrap_equations(self) -> list:
        """The equations the indirect effects need (the total-effect equation is not one)."""
        return self.equations()[:-1]

    def chains(self) -> list:
        """Each indirect path as a tuple of mediator positions, in order."""
        if not self.serial:
            return [(j,) for j in range(self.k)]
        subsets = [c for r in range(1, self.k + 1) for c in itertools.combinations(range(self.k), r)]
        return sorted(subsets)

    def indirect(self, coefs: list) -> np.ndarray:
        """Indirect effects, their total (k > 1), pairwise contrasts: (rows, effects) from the coefficients."""
        k = self.k
        out = []
        for chain in self.chains():
            value = coefs[chain[0]][:, 1]  # a: x in the first mediator's equation
            for prev, nxt in zip(chain, chain[1:]):
                value = value * coefs[nxt][:, 2 + prev]  # d: mediator prev in mediator nxt's equation
            out.append(value * coefs[k][:, 2 + chain[-1]])  # b: last mediator in y's equation
        ind = np.column_stack(out)
        parts = [ind]
        if ind.shape[1] > 1:
            parts.append(ind.sum(axis=1, keepdims=True))
            i, j = np.triu_indices(ind.shape[1], 1)
            parts.append(ind[:, i] - ind[:, j])
        return np.column_stack(parts)


def _check(data, x, m, y, covariates, kind, bootstrap, ci, ci_level, function):
    check_option("kind", kind, KINDS, function=function)
    check_option("ci", ci, CI_METHODS, function=function)
    level = check_level(ci_level, function)
    check_bootstrap(bootstrap, function)
    meds = as_names(m, "m", function)
    covs = as_names(covariates, "covariates", function, allow_empty=True)
    for role, name in [("y", y), ("x", x)]:
        if name in meds:
            raise ValueError(f"The mediator {name!r} of {function} is also the {'outcome' if role == 'y' else 'x'} "
                             f"({role}={name!r}); a variable cannot mediate its own effect. Name a different "
                             "mediator column in 'm'.")
    if x == y:
        raise ValueError(f"x and y of {function} are the same column ({x!r}); name the predictor and the outcome.")
    k = len(meds)
    if kind == "simple" and k != 1:
        raise ValueError(f"{function}(kind='simple') takes one mediator; got {k} ({meds}). Use kind='parallel' or "
                         "kind='serial' for several.")
    if kind == "serial" and not 2 <= k <= MAX_SERIAL:
        raise ValueError(f"{function}(kind='serial') takes 2 to {MAX_SERIAL} mediators (PROCESS model 6); got {k} "
                         f"({meds}).")
    check_columns(data, {"x": [x], "m": meds, "y": [y], "covariates": covs}, function)
    return level, meds, covs


def mediation(data: pd.DataFrame, x, m, y, *, covariates=(), kind: str = "simple", bootstrap: int = 5000,
              seed: int | np.random.Generator | None = None, ci: str = "percentile",
              ci_level: float = 0.95) -> MediationResult:
    """Mediation of x's effect on y through one or more mediators, with bootstrap intervals.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the named columns must be numeric (scores, ratings). Rows
        with a missing value in any of them are dropped (listwise) and counted.
    x, y : str
        Columns of the predictor and the outcome.
    m : str or list of str
        The mediator column(s).
    covariates : list of str, optional
        Columns entered in every equation.
    kind : {'simple', 'parallel', 'serial'}
        'simple': one mediator; 'parallel' (PROCESS model 4): the mediators do not affect
        each other; 'serial' (PROCESS model 6, 2-3 mediators in the order given): each
        mediator is regressed on x and the mediators before it.
    bootstrap : int, default 5000
        Resamples of the rows for the intervals of the indirect effects.
    seed : int or numpy Generator, optional
        Seed of ``np.random.default_rng``, for reproducible intervals.
    ci : {'percentile', 'bca'}
        Percentile or bias-corrected and accelerated (jackknife acceleration) interval.
    ci_level : float, default 0.95

    Returns
    -------
    MediationResult
        ``.effects`` (``to_frame()``), ``.paths``, ``.coefficients``, ``.share_mediated``,
        ``.statement()``.

    Raises
    ------
    ValueError
        A column not in data; a mediator equal to x or y; a column in two roles; a bad
        option; a number of mediators that does not fit ``kind``.
    DataError
        A non-numeric or infinite value; too few complete rows (the largest equation's
        predictors + 2); a variable with one value only; collinear predictors.

    Notes
    -----
    R equivalents: ``lm(m ~ x + cov)``, ``lm(y ~ x + m + cov)``, ``lm(y ~ x + cov)`` for a, b,
    c' and c; the indirect effect is ``a * b`` (``a1 * d21 * b2`` along a serial chain), and
    in OLS c = c' + the sum of the indirect effects exactly. The bootstrap draws rows with
    replacement (``rng.integers(0, n, (bootstrap, n), dtype=np.uint32)``) and solves every resample's
    regressions from its cross-product moments at once; quantiles are R's type 7 (as
    ``quantile``; ``boot.ci`` interpolates on the normal scale and differs by a few
    thousandths). Checked against lm and the boot package in ``tests/reference/mediation.R``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import mediation
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"benefit": rng.normal(size=400)})
    >>> d["value"] = 0.5 * d.benefit + rng.normal(size=400)
    >>> d["satisfaction"] = 0.4 * d.value + 0.1 * d.benefit + rng.normal(size=400)
    >>> r = mediation(d, "benefit", "value", "satisfaction", bootstrap=1000, seed=1)
    >>> r.to_frame()["effect"].tolist()
    ['total', 'direct', 'benefit -> value -> satisfaction']
    >>> bool(r.effects.ci_low.iloc[2] > 0)
    True
    """
    function = "mediation"
    level, meds, covs = _check(data, x, m, y, covariates, kind, bootstrap, ci, ci_level, function)
    model = _Model(len(meds), kind == "serial", len(covs))
    names = ["(intercept)", x, *meds, y, *covs]
    eqs = model.equations()
    need = max(len(p) for p, _ in eqs) + 2
    values, index, n_dropped, notes = complete_rows(data, {"x": [x], "m": meds, "y": [y], "covariates": covs},
                                                    need, function)
    design_all = np.column_stack([np.ones(len(values)), values])
    fits, tables = [], []
    for e, (pred, resp) in enumerate(eqs):
        rank_check(design_all[:, pred], [names[j] for j in pred], names[resp], function)
        fit = ols(design_all[:, pred], design_all[:, resp], level)
        fits.append(fit)
        outcome = names[resp] + (" (total)" if e == len(eqs) - 1 else "")
        tables.append(lm_table(fit, outcome, [names[j] for j in pred]))
    coefficients = pd.concat(tables, ignore_index=True)
    r2 = pd.Series([f["r_squared"] for f in fits], index=[t.outcome.iloc[0] for t in tables], name="r_squared")

    paths = _paths(fits, model, x, meds, y)
    estimate = model.indirect([f["estimate"][None, :] for f in fits])[0]
    reps, jack = bootstrap_effects(model, values, bootstrap, seed, ci)
    labels = _effect_labels(model, x, meds, y)
    effects = _effects(paths, estimate, reps, jack, labels, level, ci)
    total = paths.loc["c", "estimate"]
    total_indirect = float(estimate[:len(model.chains())].sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = total_indirect / total if total != 0 else np.nan
    return MediationResult(x=x, mediators=tuple(meds), y=y, covariates=tuple(covs), kind=kind, effects=effects,
                           paths=paths, coefficients=coefficients, r_squared=r2, share_mediated=float(share),
                           n_obs=len(values), n_dropped=n_dropped, n_boot=int(bootstrap), ci=ci, ci_level=level,
                           bootstrap_distribution=pd.DataFrame(reps, columns=[lab for lab, _ in labels]),
                           notes=notes)


def _paths(fits: list, model: _Model, x, meds: list, y) -> pd.DataFrame:
    keys = ["estimate", "se", "t", "p_value", "ci_low", "ci_high"]
    rows, index = [], []

    def add(label, fit, pos, src, dst):
        index.append(label)
        rows.append({"from": src, "to": dst, **{key: float(fit[key][pos]) for key in keys}})

    k = model.k
    for j in range(k):
        add(f"a{j + 1}", fits[j], 1, x, meds[j])
    if model.serial:
        for j in range(k):
            for i in range(j):
                add(f"d{j + 1}{i + 1}", fits[j], 2 + i, meds[i], meds[j])
    for j in range(k):
        add(f"b{j + 1}", fits[k], 2 + j, meds[j], y)
    add("c", fits[k + 1], 1, x, y)
    add("c_prime", fits[k], 1, x, y)
    return pd.DataFrame(rows, index=pd.Index(index, name="path"))


def _effect_labels(model: _Model, x, meds: list, y) -> list:
    """(label, type) of each column of ``_Model.indirect``."""
    chains = [" -> ".join([str(x), *[str(meds[j]) for j in c], str(y)]) for c in model.chains()]
    labels = [(c, "indirect") for c in chains]
    if len(chains) > 1:
        labels.append(("total indirect", "total_indirect"))
        i, j = np.triu_indices(len(chains), 1)
        labels += [(f"({chains[a]}) - ({chains[b]})", "contrast") for a, b in zip(i, j)]
    return labels


def _effects(paths, estimate, reps, jack, labels, level, ci) -> pd.DataFrame:
    rows = []
    for label, path, kind in [("total", "c", "total"), ("direct", "c_prime", "direct")]:
        p = paths.loc[path]
        rows.append({"effect": label, "type": kind, "estimate": p.estimate, "se": p.se, "ci_low": p.ci_low,
                     "ci_high": p.ci_high, "p_value": p.p_value})
    for j, (label, kind) in enumerate(labels):
        rows.append({"effect": label, "type": kind,
                     **interval(reps[:, j], estimate[j], None if jack is None else jack[:, j], level, ci),
                     "p_value": np.nan})
    return pd.DataFrame(rows)
