"""Key-driver analysis: how much each attribute rating moves an overall rating.

One outcome (overall satisfaction, loyalty) on several drivers (attribute ratings or
construct scores), three ways:

* ``'ols'``: linear regression (weighted least squares with survey weights) with
  heteroskedasticity-consistent sandwich standard errors, as R ``lm`` + ``sandwich::vcovHC``;
* ``'ordered_logit'``: proportional-odds logistic regression of a single Likert outcome, as
  R ``MASS::polr(method="logistic")``;
* ``'relative_weights'``: Johnson's (2000) relative weights, a split of R^2 among correlated
  drivers, with bootstrap intervals. All resamples are computed at once from weighted
  cross-product sums (no refit per resample).

This module checks the input, fits OLS and builds the result; the ordered logit is in
``_ordered_logit.py`` and the relative weights with their bootstrap in ``_relative_weights.py``.
statsmodels does the fitting (``OLS`` / ``WLS``, ``OrderedModel``); it is imported only when
a model is fitted, and its unlabelled arrays and warnings stay inside these modules.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._bootstrap import CI_METHODS
from .._checks import FIRST, check_in_data, check_level, check_weights, complete_numeric_rows, first_names, rows_where
from .._linear import vif
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option, numeric_frame
from ._ordered_logit import ordered_logit
from ._relative_weights import COLLINEAR, relative_weights

__all__ = ["DriversResult", "KeyDriversWarning", "key_drivers"]

METHODS = ("ols", "ordered_logit", "relative_weights")
ROBUST = ("HC0", "HC1", "HC2", "HC3", None)
MAX_LEVELS = 15  # distinct outcome values an ordered logit accepts (one cut point per level)


class KeyDriversWarning(SurveykitWarning):
    """A key-driver model was fitted, but its numbers need care (no convergence, failed resamples)."""


# ---------------------------------------------------------------------------------------------
# result


@dataclass(frozen=True)
class DriversResult(Result):
    """A key-driver model of one outcome.

    Attributes
    ----------
    coefficients : DataFrame
        Indexed by driver (in the order given). Every method has ``estimate``, ``se``,
        ``p_value``, ``ci_low``, ``ci_high``:

        * ``'ols'``: regression coefficient, its (robust) standard error, t test and t
          interval with the residual degrees of freedom; plus ``std_estimate``, the
          standardized beta b * sd(x) / sd(y).
        * ``'ordered_logit'``: log odds ratio of a higher outcome level per point of the
          driver, its standard error, normal (Wald) test and interval; plus
          ``std_estimate`` = b * sd(x), the change in log odds per standard deviation.
        * ``'relative_weights'``: ``estimate`` is the raw relative weight (the part of R^2
          due to the driver; the raw weights sum to ``r_squared``), ``se`` its bootstrap
          standard deviation, ``ci_low`` / ``ci_high`` its bootstrap interval;
          ``p_value`` is NaN (the bootstrap gives no test: a weight is never negative).
          ``share`` is the raw weight in percent of R^2 (summing to 100), and
          ``share_ci_low`` / ``share_ci_high`` its bootstrap interval.

        Every method ends with ``vif`` and ``tolerance``: the driver's variance inflation factor
        1 / (1 - R²_j) (R²_j of the driver regressed on the other drivers, weighted with survey
        weights; R ``car::vif`` on the ``lm``) and its tolerance 1 - R²_j. A VIF above 5 (10 by
        the older rule) flags a driver whose effect the model hardly separates from the others.
    importance : Series
        Importance of each driver in percent, summing to 100, for every method: shares of
        |std_estimate| for ``'ols'`` and ``'ordered_logit'``, the relative-weight
        ``share`` for ``'relative_weights'``. Only the relative weights split R^2; the
        beta shares are a ranking aid (a driver with a negative coefficient counts by its
        size).
    r_squared, adj_r_squared : float
        R^2 and adjusted R^2 of the (weighted) linear regression for ``'ols'`` and
        ``'relative_weights'``; McFadden's pseudo R^2, 1 - logLik / logLik(thresholds
        only), and NaN for ``'ordered_logit'``.
    intercept : DataFrame or None
        ``'ols'``: the constant (one row, same columns as the coefficients).
    thresholds : DataFrame or None
        ``'ordered_logit'``: the cut points zeta on the latent logistic scale, indexed
        ``'1|2'``, ``'2|3'``, ... as ``polr``: P(outcome <= level k) =
        logistic(zeta_k - x'b).
    log_likelihood : float
        ``'ordered_logit'`` only (NaN otherwise).
    cov_type : str
        Standard errors used: 'nonrobust', 'HC0' .. 'HC3', or 'bootstrap'.
    n_obs, n_dropped : int
        Complete rows used; rows dropped for a missing outcome or driver (listwise).
    effective_n : float
        Kish's effective sample size (sum w)^2 / sum w^2 of the weights of the rows used
        (``n_obs`` without weights); what a table of the weighted fit states beside ``n_obs``.
    n_boot, ci_method, bootstrap_distribution
        ``'relative_weights'``: number of resamples, interval method and the raw weights
        of every resample (DataFrame, resamples x drivers; None without a bootstrap).
    notes : tuple of str
        What the user should know about this fit (rows dropped by column, failed resamples).
    """

    coefficients: pd.DataFrame
    importance: pd.Series
    method: str
    outcome: str
    r_squared: float
    adj_r_squared: float
    n_obs: int
    n_dropped: int
    cov_type: str
    ci_level: float
    weighted: bool
    intercept: pd.DataFrame | None = None
    thresholds: pd.DataFrame | None = None
    log_likelihood: float = np.nan
    n_boot: int = 0
    ci_method: str | None = None
    bootstrap_distribution: pd.DataFrame | None = None
    nan_policy: str = "listwise"
    notes: tuple[str, ...] = ()
    effective_n: float = np.nan

    def to_frame(self) -> pd.DataFrame:
        """The coefficients table with the ``importance`` share (percent) as last column."""
        out = self.coefficients.copy()
        out["importance"] = self.importance
        return out

    def _model_line(self) -> str:
        p = len(self.coefficients)
        w = " (survey weights)" if self.weighted else ""
        if self.method == "relative_weights":
            boot = (f"{self.n_boot} bootstrap resamples, {self.ci_level:.0%} {self.ci_method} intervals"
                    if self.n_boot else "no bootstrap")
            return f"Johnson's relative weights{w} of {p} drivers; {boot}"
        se = {"nonrobust": "classical", "bootstrap": "bootstrap"}.get(self.cov_type, f"{self.cov_type} (sandwich)")
        if self.method == "ols":
            kind = "weighted least squares" if self.weighted else "ordinary least squares"
            return (f"{kind} on {p} drivers; {se} standard errors, t tests and {self.ci_level:.0%} t intervals "
                    f"with {self.n_obs - p - 1} df")
        return (f"ordered logit (proportional odds){w} on {p} drivers; {se} standard errors, Wald tests and "
                f"{self.ci_level:.0%} normal intervals")

    def summary(self) -> Summary:
        fit = {"ols": f"R² = {self.r_squared:.3f}, adjusted R² = {self.adj_r_squared:.3f}",
               "relative_weights": (f"R² = {self.r_squared:.3f} (the sum of the raw weights), adjusted R² = "
                                    f"{self.adj_r_squared:.3f}"),
               "ordered_logit": (f"McFadden pseudo R² = {self.r_squared:.3f}, log-likelihood = "
                                 f"{self.log_likelihood:.2f}")}[self.method]
        basis = {"ols": "|standardized beta|", "ordered_logit": "|b * sd(x)|",
                 "relative_weights": "relative weights (shares of R²)"}[self.method]
        lines = [self._model_line(),
                 f"n = {self.n_obs} complete rows ({self.n_dropped} dropped: a missing outcome or driver)", fit,
                 f"Importance: shares of {basis} in percent, summing to 100"]
        if "vif" in self.coefficients.columns:
            vif = self.coefficients["vif"]
            lines.append(f"Largest VIF = {vif.max():.2f} ({vif.idxmax()!r}); above 5 flags collinearity")
        lines += self.notes
        tables = [("Coefficients", self.to_frame())]
        if self.intercept is not None:
            tables.append(("Intercept", self.intercept))
        if self.thresholds is not None:
            tables.append(("Thresholds (cut points)", self.thresholds))
        return Summary(title=f"Key drivers of {self.outcome!r}", lines=lines, tables=tables)

    def __repr__(self) -> str:
        top = self.importance.idxmax() if self.importance.notna().any() else None
        return (f"<DriversResult method={self.method!r} outcome={self.outcome!r} n_drivers={len(self.coefficients)} "
                f"r_squared={self.r_squared:.3f} top={top!r} n_obs={self.n_obs}>")


# ---------------------------------------------------------------------------------------------
# input checks


def _columns(data: pd.DataFrame, outcome, drivers, function: str) -> list:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"The 'data' parameter of {function} must be a DataFrame with one column per variable; got "
                        f"{type(data).__name__}.")
    if isinstance(drivers, (str, bytes)) or not hasattr(drivers, "__iter__"):
        drivers = [drivers]
    drivers = list(drivers)
    if not drivers:
        raise ValueError(f"The 'drivers' parameter of {function} is empty; name at least one column of data.")
    dup = sorted({d for d in drivers if drivers.count(d) > 1}, key=str)
    if dup:
        raise ValueError(f"The 'drivers' parameter of {function} names {first_names(dup, None)} more than once; list each "
                         "driver once.")
    if outcome in drivers:
        raise ValueError(f"The outcome {outcome!r} of {function} is also listed among the drivers; remove it from "
                         "'drivers'.")
    for name, wanted in [("outcome", [outcome]), ("drivers", drivers)]:
        check_in_data(data, name, wanted, function)
    return drivers


def _collinearity(x: np.ndarray, w: np.ndarray, drivers: list, function: str) -> None:
    """Raise a DataError naming the drivers that are exact linear combinations of others.

    The drivers are centred and scaled (weighted) so the test does not depend on units; they
    are collinear when the smallest singular value is below ``COLLINEAR`` times the largest.
    Each dependency is then named by adding the drivers one by one, in the order given: a
    driver that the ones before it reproduce exactly is written as their combination.
    """
    xc = x - np.average(x, axis=0, weights=w)
    xs = np.sqrt(w)[:, None] * xc
    scale = np.linalg.norm(xs, axis=0)
    xs = xs / scale
    sv = np.linalg.svd(xs, compute_uv=False)
    if sv[-1] > COLLINEAR * sv[0]:
        return
    kept, relations, involved = [], [], set()
    for j in range(xs.shape[1]):
        if kept:
            coef = np.linalg.lstsq(xs[:, kept], xs[:, j], rcond=None)[0]
            if np.linalg.norm(xs[:, j] - xs[:, kept] @ coef) < 1e-8:
                coef = coef * scale[j] / scale[kept]
                big = np.abs(coef) > 1e-8 * np.abs(coef).max()
                terms = " + ".join(f"{c:.4g}*{drivers[k]!r}" for c, k in zip(coef[big], np.array(kept)[big]))
                relations.append(f"{drivers[j]!r} = {terms.replace('+ -', '- ')} + a constant")
                involved.update([j, *np.array(kept)[big]])
                continue
        kept.append(j)
    if not relations:  # numerically collinear without an exact dependency: name the null direction
        v = np.linalg.svd(xs)[2][-1]
        involved = set(np.flatnonzero(np.abs(v) > 0.01 * np.abs(v).max()))
        relations.append("a combination of them is constant up to rounding")
    names = first_names([drivers[j] for j in sorted(involved)], None)
    raise DataError(f"Drivers {names} of {function} are perfectly collinear in the {len(x)} complete rows: "
                    f"{'; '.join(relations)}. A model cannot separate their effects: drop "
                    f"{'one of them' if len(relations) == 1 else 'the drivers written as combinations'} (e.g. a "
                    "total or mean of other drivers), or combine them into one scale score.")


@dataclass(frozen=True)
class _Input:
    y: np.ndarray
    x: np.ndarray
    w: np.ndarray  # weights of the complete rows, rescaled to mean 1
    weighted: bool
    index: pd.Index  # labels of the complete rows
    n_dropped: int
    notes: tuple


def _prepare(data, outcome, drivers: list, weights, method: str, function: str) -> _Input:
    if isinstance(weights, str):
        if weights not in data.columns:
            raise ValueError(f"The 'weights' parameter of {function} names column {weights!r}, which is not in data. "
                             "Pass a column name of data or one weight per row.")
        if weights == outcome or weights in drivers:
            raise ValueError(f"The weights column {weights!r} of {function} is also the outcome or a driver.")
        weights = data[weights]
    w_all = check_weights(weights, len(data), data.index, function)
    values, complete, by_col = complete_numeric_rows(numeric_frame(data[[outcome, *drivers]], function=function),
                                                     function)
    m, n, p = int(complete.sum()), len(values), len(drivers)
    need = p + 2
    if m < need:
        raise DataError(f"{function} needs at least {need} complete rows (outcome and every driver answered) for "
                        f"{p} driver{'s' if p > 1 else ''}; {m} of {n} rows are complete. Missing answers by "
                        f"column: {by_col or 'none'}. Drop the drivers with most missing answers, or impute them "
                        "before the call.")
    y, x = values[complete, 0], values[complete, 1:]
    index = data.index[complete]
    for j, name in enumerate([outcome, *drivers]):
        col = values[complete, j]
        if col.min() == col.max():
            role = "The outcome" if j == 0 else "Driver"
            fix = ("there is nothing to explain" if j == 0 else
                   "a constant cannot drive anything: remove it from the drivers")
            raise DataError(f"{role} {name!r} of {function} has the same value ({col[0]:g}) in all {m} complete rows; "
                            f"{fix}.")
    if method == "ordered_logit":
        frac = y != np.round(y)
        if frac.any():
            shown = ", ".join(f"{v:g}" for v in pd.unique(y[frac])[:FIRST])
            raise DataError(f"The outcome {outcome!r} of {function}(method='ordered_logit') has values that are not "
                            f"whole numbers: {shown} in {rows_where(frac, index)}. An ordered logit needs ordered "
                            "categories coded as integers (e.g. 1-5): round or recode them, or use method='ols' for "
                            "a score.")
        levels = np.unique(y)
        if len(levels) > MAX_LEVELS:
            raise DataError(f"The outcome {outcome!r} of {function}(method='ordered_logit') has {len(levels)} distinct "
                            f"values ({levels[0]:g} to {levels[-1]:g}); an ordered logit estimates one cut point "
                            f"between each pair of neighbouring values, at most {MAX_LEVELS} levels are accepted. Use "
                            "method='ols' for a score, or recode it into fewer ordered categories (e.g. pd.cut).")
        need = p + len(levels)
        if m < need + 1:
            raise DataError(f"{function}(method='ordered_logit') needs more than {need} complete rows for {p} "
                            f"drivers and {len(levels) - 1} cut points; {m} rows are complete.")
    w = w_all[complete]
    _collinearity(x, w, drivers, function)
    notes = ()
    if m < n:
        notes = (f"Rows dropped for a missing answer, by column (a row can miss several): {by_col}.",)
    return _Input(y, x, w / w.mean(), weights is not None, index, n - m, notes)


def _wsd(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted standard deviation of each column, as R ``cov.wt`` (``sd`` when the weights are equal)."""
    a = w / w.sum()
    mean = a @ x
    return np.sqrt((a @ (x - mean) ** 2) / (1 - (a ** 2).sum()))


def _share(v: np.ndarray) -> np.ndarray:
    """Percent shares of |v|, summing to 100 (along the last axis)."""
    v = np.abs(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100 * v / v.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# OLS / WLS


def _ols(d: _Input, drivers: list, robust, level: float, function: str) -> dict:
    import statsmodels.api as sm

    n = len(d.y)
    design = np.column_stack([np.ones(n), d.x])
    if robust in ("HC2", "HC3"):
        q, _ = np.linalg.qr(np.sqrt(d.w)[:, None] * design)
        lev = (q ** 2).sum(axis=1)
        one = lev > 1 - 1e-10
        if one.any():
            raise DataError(f"{rows_where(one, d.index).capitalize()} of {function} have leverage 1 in the regression "
                            "(each alone determines a coefficient, e.g. the only respondent with a given value of a "
                            f"driver): {robust} standard errors divide by 1 - leverage and are undefined. Use "
                            "robust='HC1', or drop those rows.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs are checked above; statsmodels' notes (e.g. small n) do not apply
        model = sm.WLS(d.y, design, weights=d.w) if d.weighted else sm.OLS(d.y, design)
        res = model.fit(cov_type=robust or "nonrobust", use_t=True)
        ci = np.asarray(res.conf_int(alpha=1 - level))
    table = pd.DataFrame({"estimate": res.params, "se": res.bse, "p_value": res.pvalues, "ci_low": ci[:, 0],
                          "ci_high": ci[:, 1]}, index=pd.Index(["intercept", *drivers], name="driver"))
    coefs = table.iloc[1:].copy()
    coefs["std_estimate"] = coefs["estimate"].to_numpy() * _wsd(d.x, d.w) / _wsd(d.y[:, None], d.w)[0]
    return {"coefficients": coefs, "intercept": table.iloc[:1].rename_axis(None),
            "importance": _share(coefs["std_estimate"].to_numpy()), "r_squared": float(res.rsquared),
            "adj_r_squared": float(res.rsquared_adj), "cov_type": robust or "nonrobust"}


# ---------------------------------------------------------------------------------------------


def _check_options(method, robust, ci_method, ci_level, bootstrap, function: str) -> float:
    """The interval level, after checking the options of key_drivers."""
    check_option("method", method, METHODS, function=function)
    check_option("robust", robust, ROBUST, function=function)
    check_option("ci_method", ci_method, CI_METHODS, function=function)
    level = check_level(ci_level, function)
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise ValueError(f"The 'bootstrap' parameter of {function} must be a whole number of resamples, 0 or more "
                         f"(e.g. 1000). Got {bootstrap!r} instead.")
    return level


def _fit(d: _Input, drivers: list, method: str, robust, level: float, n_boot: int, ci_method: str, seed,
         function: str) -> dict:
    """The fitted model by ``method``: coefficients, importance (percent), fit, notes and warnings."""
    if method == "ols":
        return _ols(d, drivers, robust, level, function)
    if method == "ordered_logit":
        out = ordered_logit(d.y, d.x, d.w, drivers, robust, level, function)
        coefs = out["coefficients"]
        coefs["std_estimate"] = coefs["estimate"].to_numpy() * _wsd(d.x, d.w)
        out["importance"] = _share(coefs["std_estimate"].to_numpy())
        return out
    return relative_weights(d.y, d.x, d.w, drivers, n_boot, level, ci_method, seed)


def key_drivers(data: pd.DataFrame, outcome, drivers, *, method: str = "ols", weights=None, robust: str | None = "HC3",
                bootstrap: int = 1000, ci_level: float = 0.95, ci_method: str = "percentile",
                seed: int | np.random.Generator | None = None) -> DriversResult:
    """Key-driver analysis: regress an overall rating on attribute ratings and rank the drivers.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the outcome and driver columns must be numeric (answer
        codes). Rows with a missing outcome or driver are dropped (listwise) and counted.
    outcome : str
        Column of the overall rating (satisfaction, loyalty, likelihood to recommend).
    drivers : list of str
        Columns of the attribute ratings or construct scores.
    method : {'ols', 'ordered_logit', 'relative_weights'}
        'ols' (default): linear regression with robust standard errors. 'ordered_logit':
        proportional-odds logistic regression of an outcome with whole-number levels
        (at most 15). 'relative_weights': Johnson's relative weights with bootstrap intervals.
    weights : str or array-like, optional
        Survey weights: a column of ``data`` or one positive, finite weight per row (by
        position), rescaled to mean 1 over the rows used: weighted least squares, weighted
        correlations, or the weighted log-likelihood of the ordered logit.
    robust : {'HC3', 'HC2', 'HC1', 'HC0', None}
        Sandwich standard errors (default 'HC3', as ``sandwich::vcovHC``); None for classical
        ones. The ordered logit has HC0 (and HC1 = HC0 n / (n - k)); 'HC2' and 'HC3', defined
        by a linear regression's leverages, give HC0 there (see ``.cov_type``). Not used by
        'relative_weights'.
    bootstrap : int, default 1000
        'relative_weights' only: resamples of the rows for the intervals; 0 for none.
    ci_level : float, default 0.95
        Level of every interval.
    ci_method : {'percentile', 'bca'}
        Bootstrap interval of the relative weights: percentile (default) or bias-corrected
        and accelerated (jackknife acceleration).
    seed : int or numpy Generator, optional
        Seed of the bootstrap, for reproducible intervals.

    Returns
    -------
    DriversResult
        ``.coefficients`` (by driver: estimate, se, p_value, ci_low, ci_high and a
        method-specific part), ``.importance`` (percent, summing to 100), ``.r_squared``,
        ``.n_obs``, ``.n_dropped``; ``to_frame()`` is the coefficients with the importance.

    Raises
    ------
    DataError
        Non-numeric or infinite answers; fewer complete rows than drivers + 2; an outcome or
        driver with one value only; perfectly collinear drivers (named, with the dependency);
        weights missing, zero or negative; for 'ordered_logit' an outcome with values that
        are not whole numbers or more than 15 levels; leverage-1 rows with 'HC2' / 'HC3'.
    ValueError
        A column not in data, the outcome among the drivers, a bad option.

    Warns
    -----
    KeyDriversWarning
        The ordered logit did not converge; most bootstrap resamples failed.

    Notes
    -----
    R equivalents::

        fit <- lm(overall ~ quality + service, data = x, weights = w)   # 'ols'
        lmtest::coeftest(fit, vcov. = sandwich::vcovHC(fit, type = "HC3"))
        MASS::polr(factor(overall) ~ quality + service, data = x, weights = w,
                   method = "logistic", Hess = TRUE)                       # 'ordered_logit'
        sandwich::sandwich(fit_polr)                                       # its HC0

    OLS tests and intervals use the t distribution with the residual degrees of freedom for
    robust standard errors too, as ``coeftest`` on an ``lm`` (statsmodels would use the
    normal). The ordered logit follows ``polr``'s signs (a positive coefficient means higher
    outcome levels); with weights, its model-based (``robust=None``) standard errors treat
    the rescaled weights as frequencies: use the sandwich for survey weights. Relative
    weights (Johnson 2000) sum to R^2 and split it among correlated drivers; R's
    ``relaimpo`` has no such method. They have no p-value (NaN): compare two drivers by the
    replicates in ``bootstrap_distribution``. The derivations are in the module docstrings
    of ``surveykit/indices/_ordered_logit.py`` and ``_relative_weights.py``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.indices.drivers import key_drivers
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.integers(1, 8, size=(300, 3)).astype(float), columns=["quality", "service", "price"])
    >>> x["overall"] = np.clip(np.round(0.4 * x.quality + 0.2 * x.service + rng.normal(0, 1, 300)), 1, 5)
    >>> r = key_drivers(x, "overall", ["quality", "service", "price"])
    >>> r.coefficients.columns.tolist()
    ['estimate', 'se', 'p_value', 'ci_low', 'ci_high', 'std_estimate', 'vif', 'tolerance']
    >>> r.importance.idxmax(), round(float(r.importance.sum()), 6)
    ('quality', 100.0)
    >>> rw = key_drivers(x, "overall", ["quality", "service", "price"], method="relative_weights", seed=1)
    >>> bool(np.isclose(rw.coefficients["estimate"].sum(), rw.r_squared))
    True
    """
    function = "key_drivers"
    level = _check_options(method, robust, ci_method, ci_level, bootstrap, function)
    drivers = _columns(data, outcome, drivers, function)
    d = _prepare(data, outcome, drivers, weights, method, function)
    out = _fit(d, drivers, method, robust, level, int(bootstrap), ci_method, seed, function)
    inflation = vif(d.x, d.w)
    out["coefficients"] = out["coefficients"].assign(vif=inflation, tolerance=1 / inflation)
    for message in out.get("warnings", ()):
        warnings.warn(message, KeyDriversWarning, stacklevel=2)
    boot = method == "relative_weights" and bootstrap > 0
    importance = pd.Series(out["importance"], index=pd.Index(drivers, name="driver"), name="importance")
    return DriversResult(coefficients=out["coefficients"], importance=importance, method=method, outcome=str(outcome),
                         r_squared=float(out["r_squared"]), adj_r_squared=float(out["adj_r_squared"]),
                         n_obs=len(d.y), n_dropped=d.n_dropped, cov_type=out["cov_type"], ci_level=level,
                         weighted=d.weighted, intercept=out.get("intercept"), thresholds=out.get("thresholds"),
                         log_likelihood=float(out.get("log_likelihood", np.nan)),
                         n_boot=int(bootstrap) if boot else 0, ci_method=ci_method if boot else None,
                         bootstrap_distribution=out.get("bootstrap_distribution"),
                         notes=tuple(d.notes) + tuple(out.get("notes", ())),
                         effective_n=float(d.w.sum() ** 2 / (d.w ** 2).sum()))
