"""Structural equation models in lavaan syntax, fitted by maximum likelihood as lavaan 0.6.

The model (``_syntax.py`` parses it, ``_ram.py`` builds lavaan's parameter table and the RAM
matrices) is fitted by Fisher scoring on the ML discrepancy (``_fiml.py``: on the casewise
likelihood under ``missing="fiml"``) from simple starting values, until the largest step is below
1e-10. Standard errors come from the expected information (lavaan's default for complete data),
the observed information (FIML) or the MLR sandwich (``_robust.py``, with the Yuan-Bentler scaled
χ²); defined parameters (``:=``) from the delta method, or with ``bootstrap=B`` from B seeded
refits on rows drawn with replacement within each group, with percentile and BCa intervals
(``_defined.py``). ``_measures.py`` computes what the result reports from the fitted table.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._blas import one_blas_thread
from .._checks import check_weights
from .._ml import fit_line, information_vcov
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option, numeric_frame
from . import _fiml as fiml
from ._defined import bootstrap as bootstrap_refits
from ._defined import check_bootstrap, defined_table, jackknife
from ._measures import covariances, fit_measures, heywood, modification_indices, r_squared, standardised
from ._ram import GROUP_EQUAL, build_table, fit_ml, parse_partial, score, start_values
from ._robust import hessian, mlr, robust_indices, scaled_difference
from ._robust_fiml import mlr_fiml
from ._syntax import parse_model

__all__ = ["SEMResult", "sem", "compare"]

FIT_MEASURES = ("chi2", "df", "p_value", "cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr", "aic", "bic")
FIML_JACKKNIFE_MAX = 1000  # BCa under FIML: at most this many leave-one-out FIML refits (0.05-0.3 s each)
ROBUST_MEASURES = ("chi2_scaled", "p_value_scaled", "scaling_factor", "cfi_robust", "tli_robust", "rmsea_robust")


@dataclass(frozen=True)
class SEMResult(Result):
    """A structural equation model fitted by ML.

    Attributes
    ----------
    fit : dict
        ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high, srmr, aic, bic``
        (lavaan ``fitMeasures()``; the keys of ``cfa``'s fit without GFI/AGFI), ``chi2_baseline,
        df_baseline, logl``; with ``estimator="MLR"`` also ``chi2_scaled, p_value_scaled,
        scaling_factor, cfi_robust, tli_robust, rmsea_robust`` (lavaan ``chisq.scaled``,
        ``pvalue.scaled``, ``chisq.scaling.factor``, ``cfi.robust``, ``tli.robust``, ``rmsea.robust``).
    estimates : DataFrame
        lavaan's ``parameterEstimates(standardized=TRUE)`` layout: ``lhs, op, rhs, group,
        label, est, se, z, p_value, ci_low, ci_high, std_all`` (fixed parameters: se, z, p and
        the interval NaN; lavaan prints se = 0).
    defined : DataFrame
        The ``:=`` parameters, same columns plus ``ci_low_bca, ci_high_bca``; delta-method se and
        normal interval (BCa NaN), or with ``bootstrap`` the bootstrap se, the percentile interval
        in ``ci_low, ci_high`` and the BCa interval (jackknife acceleration) in the ``_bca`` columns.
    r2 : DataFrame
        R² of every endogenous variable by group (``group, variable, r2``).
    weighted : bool
        Whether the fit used survey weights (``weights=``).
    groups : tuple
        The groups' values in their order (``("all",)`` without ``group``). The ``group`` column
        of ``estimates`` and ``r2`` holds the group's value (lavaan: its number), 1 in a
        single-group model, 0 for defined parameters (as lavaan).
    sample_cov, implied_cov : DataFrame
        The observed variables' sample covariance matrix (divided by N) and the model-implied one,
        indexed by variable (by ``group`` and variable in a multi-group model).
    """

    fit: dict
    estimates: pd.DataFrame
    defined: pd.DataFrame
    r2: pd.DataFrame
    model: str
    groups: tuple
    group_equal: tuple
    group_partial: tuple
    n_obs: int
    n_dropped: int
    n_free: int
    estimator: str
    missing: str
    meanstructure: bool
    converged: bool
    n_boot: int = 0
    notes: tuple = ()
    weighted: bool = False
    sample_cov: pd.DataFrame = field(default=None, repr=False)
    implied_cov: pd.DataFrame = field(default=None, repr=False)
    # the modification indices, or the call that computes them on first use (one score test per fixed
    # parameter: most of a large model's fitting time, and cfa never asks); None when not offered
    _mi: object = field(default=None, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        return self.estimates.copy()

    def residuals(self) -> pd.DataFrame:
        """Correlation residuals: the sample minus the model-implied correlations (lavaan
        ``residuals(fit, type = "cor")``, Bollen's), in the layout of ``sample_cov``."""
        def cor(c):
            sd = np.sqrt(np.diag(c))
            return c / np.outer(sd, sd)

        if self.sample_cov.index.nlevels == 1:
            return self.sample_cov.pipe(cor) - self.implied_cov.pipe(cor)
        parts = [self.sample_cov.loc[g].pipe(cor) - self.implied_cov.loc[g].pipe(cor) for g in self.groups]
        return pd.concat(parts, keys=list(self.groups), names=["group", "variable"])

    def modification_indices(self) -> pd.DataFrame:
        """Modification indices (score tests of fixed-at-0 loadings, residual covariances and factor
        regressions), largest first: ``lhs, op, rhs, group, mi, epc`` (single-group models fitted by ML
        on complete rows: lavaan's MLR and FIML indices use the observed information, not offered)."""
        if self._mi is None:
            raise ValueError(f"sem: modification indices are computed for converged, identified single-group models "
                             f"fitted with estimator='ML' and missing='listwise' only (this fit: {len(self.groups)} "
                             f"group(s), estimator={self.estimator!r}, missing={self.missing!r}, converged="
                             f"{self.converged}); refit with the defaults to screen for misfit.")
        if not isinstance(self._mi, pd.DataFrame):
            object.__setattr__(self, "_mi", self._mi())
        return self._mi.copy()

    def summary(self) -> Summary:
        f = self.fit
        lines = [fit_line(f),
                 f"n = {self.n_obs} ({self.n_dropped} rows dropped, missing={self.missing!r}); "
                 f"{len(self.groups)} group{'s' if len(self.groups) > 1 else ''}; {self.n_free} free parameters; "
                 f"estimator={self.estimator!r}" + ("; weighted" if self.weighted else "")
                 + ("" if self.converged else "; DID NOT CONVERGE"), *self.notes]
        keys = FIT_MEASURES + tuple(k for k in ROBUST_MEASURES if k in f)
        fit = pd.DataFrame({"value": [float(f[k]) for k in keys]}, index=pd.Index(keys, name="measure"))
        tables = [("Fit measures", fit), ("Parameter estimates", self.estimates)]
        if len(self.defined):
            tables.append(("Defined parameters", self.defined))
        tables.append(("R-squared", self.r2))
        return Summary(title="Structural equation model", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return self._one_line(f"n_groups={len(self.groups)} n_free={self.n_free} cfi={self.fit['cfi']:.3f} "
                              f"rmsea={self.fit['rmsea']:.3f} srmr={self.fit['srmr']:.3f} n_obs={self.n_obs}")


def sem(data: pd.DataFrame, model: str, *, estimator: str = "ML", missing: str = "listwise", group=None,
        group_equal=(), group_partial=(), bootstrap=None, seed=None, weights=None) -> SEMResult:
    """Structural equation model in lavaan syntax, fitted as R ``lavaan::sem()``.

    Parameters
    ----------
    data : DataFrame
        One column per observed variable (others are ignored), plus the ``group`` column.
    model : str
        lavaan model syntax: ``f =~ x1 + x2 + x3`` (the first loading fixed at 1), ``y ~ a*x``
        (regression with label ``a``), ``x1 ~~ x2`` ((co)variance), ``x1 ~ 1`` (intercept),
        ``1*x`` / ``0*x`` fixed values, ``NA*x`` free, ``c(l1, l2)*x`` one modifier per group,
        ``ab := a*b`` defined parameters, ``#`` comments, statements over several lines.
        Second-order factors are factors measured by factors.
    estimator : {'ML', 'MLR'}
        ``'ML'``: normal-theory maximum likelihood. ``'MLR'``: the same estimates with robust
        (Huber-White sandwich) standard errors and the Yuan-Bentler scaled χ² (lavaan's MLR, for
        skewed or kurtotic answers such as Likert items), with listwise deletion or FIML.
    missing : {'listwise', 'fiml'}
        ``'listwise'``: rows with a blank in a model variable (or the group) are dropped.
        ``'fiml'``: full-information (casewise) ML on every answer given (lavaan ``missing =
        "ml"``, valid when answers are missing at random); only rows with no answer to any model
        variable are dropped (with a note, as lavaan). Implies a mean structure.
    group : str, optional
        Column of the groups of a multi-group model (groups in their order of first appearance;
        the first is the reference for latent means).
    group_equal : sequence of str
        Parameters equal across groups: ``'loadings'``, ``'intercepts'`` (then the latent means
        are free in groups 2..G, as lavaan), ``'means'``, ``'residuals'``,
        ``'residual.covariances'``, ``'lv.variances'``, ``'lv.covariances'``, ``'regressions'``.
        A label used in several groups (or statements) is one parameter too.
    group_partial : sequence of str
        Parameters exempt from ``group_equal`` (partial invariance, lavaan ``group.partial``),
        written as in the model: ``"F1 =~ x4"``, ``"x4 ~ 1"``, ``"x4 ~~ x4"``.
    bootstrap : int, optional
        Number of bootstrap refits for the defined parameters' se, percentile and BCa intervals
        (respondents drawn with replacement within each group; the BCa acceleration from the
        jackknife, one refit per distinct answer row, so it costs up to N more refits).
    seed : int, optional
        Seed of the bootstrap.
    weights : str or array-like, optional
        Survey (sampling) weights: the name of a column of ``data``, or one positive weight per row,
        as lavaan's ``sampling.weights``: ML on the weighted means and covariances (the weights
        scaled to sum to N), robust standard errors and the Yuan-Bentler scaled χ² from the weighted
        scores (lavaan then uses MLR whatever the estimator: so does ``sem``, and says so in a
        note). Listwise deletion only; no bootstrap.

    Returns
    -------
    SEMResult

    Raises
    ------
    ValueError
        For a model naming an unknown variable, unreadable syntax, a factor with one indicator
        and neither its variance nor the indicator's residual variance fixed, more free parameters
        than moments, a group with fewer respondents than free parameters, a bad option.
    DataError
        When a model variable is not numeric or constant, or a group's covariance matrix is singular.

    Warns
    -----
    SurveykitWarning
        Non-convergence, a Heywood case (negative variance estimate, |std_all| > 1 of a loading),
        a singular information matrix (an unidentified model), rows with no answer dropped under
        FIML; each is also a note on the result.

    Notes
    -----
    lavaan conventions followed (lavaan 0.6.14, ``sem()`` defaults): the sample covariance
    divides by N (not N-1) and χ² = Σ_g N_g F_g with F the ML discrepancy; free by default are
    the residual variances of all variables, the variances and covariances of exogenous factors
    (``auto.cov.lv.x``), the residual covariances of the endogenous variables that predict no
    other variable (``auto.cov.y``); the first loading of each factor is fixed at 1. One group
    without ``~ 1`` in the model: ``meanstructure = FALSE``. With ``group`` (or a ``~ 1``
    statement): observed intercepts free, latent means fixed at 0 (free in groups 2..G under
    equal intercepts). RMSEA in a multi-group model is multiplied by sqrt(G); SRMR is lavaan's
    (Bentler's, with the mean residuals when there is a mean structure, groups weighted by
    N_g/N); AIC/BIC count the free parameters (intercepts included). Standardised estimates are
    ``std.all`` with lavaan's ``cov.std = TRUE`` (a residual covariance is divided by the two
    residual sds); a defined parameter's ``std_all`` is its expression at the ``std_all`` values.
    Standard errors: expected information, ``(2/N) H⁻¹``.

    ``estimator="MLR"`` follows lavaan 0.6.14's MLR for complete data: the sandwich
    ``A⁻¹ B A⁻¹ / N`` with the *observed* information ``A`` (lavaan's default for MLR; a numerical
    Hessian of the analytic gradient) and ``B`` the mean outer product of the respondents' scores;
    the "yuan.bentler.mplus" scaling factor ``c = tr(U Γ) / df`` (``chi2_scaled = chi2 / c``);
    ``cfi_robust``, ``tli_robust`` and ``rmsea_robust`` of Brosseau-Liard & Savalei, from the
    unscaled χ² and the scaling factors of the model and of the baseline model. Without a mean
    structure (one group, no ``~ 1``) the scores are taken about the sample means, as lavaan.
    ``missing="fiml"`` follows lavaan's ``missing="ml"``: casewise likelihood; χ² against the
    saturated model fitted by EM; the baseline (independence) model fitted by FIML; SRMR against
    the EM moments; standard errors from the observed information (lavaan's default under
    ``missing="ml"``). ``estimator="MLR"`` with ``missing="fiml"`` follows lavaan's ``estimator =
    "MLR", missing = "ml"`` (``_robust_fiml.py``): the sandwich with the observed information of the
    casewise likelihood and the casewise scores, the "yuan.bentler.mplus" factor with the saturated
    model's observed and first-order information at the EM moments, and robust CFI / TLI / RMSEA from
    lavaan's FIML-corrected statistics (Zhang & Savalei); NaN with a note where lavaan gives NA.
    Bootstrap: lavaan's ``boot.ci.type = "bca.simple"`` corrects for bias only; the BCa interval
    here also has the jackknife acceleration (Efron & Tibshirani 1993), as ``boot::boot.ci``'s
    ``"bca"``; both intervals use R's type-7 quantiles. Under ``missing="fiml"`` each resample
    draws respondents with their blanks and refits the casewise likelihood in full (no one-step
    approximation), which costs about 0.1-0.3 s per refit at N = 500 (Fisher scoring on the
    expected information converges linearly when answers are missing): B = 1000 takes minutes.
    Its BCa jackknife refits once per distinct answer row and is bounded: above
    ``FIML_JACKKNIFE_MAX`` (1000) distinct rows only the percentile interval is given, with a note.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import sem
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=500); m = 0.5 * x + rng.normal(size=500); y = 0.4 * m + rng.normal(size=500)
    >>> data = pd.DataFrame({f"{v}{i}": s + rng.normal(scale=0.6, size=500)
    ...                      for v, s in zip("xmy", (x, m, y)) for i in (1, 2, 3)})
    >>> fit = sem(data, '''X =~ x1 + x2 + x3
    ...                    M =~ m1 + m2 + m3
    ...                    Y =~ y1 + y2 + y3
    ...                    M ~ a*X
    ...                    Y ~ b*M + X
    ...                    ab := a*b''')
    >>> fit.fit["df"], round(float(fit.defined["est"].iloc[0]), 1)
    (24, 0.2)
    >>> robust = sem(data, "X =~ x1 + x2 + x3\\nM =~ m1 + m2 + m3\\nM ~ X", estimator="MLR")
    >>> sorted(k for k in robust.fit if k.endswith("_robust"))
    ['cfi_robust', 'rmsea_robust', 'tli_robust']
    """
    check_option("estimator", estimator, ("ML", "MLR"), function="sem")
    check_option("missing", missing, ("listwise", "fiml"), function="sem")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"sem takes a DataFrame (one column per observed variable); got {type(data).__name__}.")
    wts = _weights(data, weights, missing, bootstrap)
    weight_note = None
    if wts is not None:  # lavaan: sampling.weights imply MLR
        estimator = "MLR"
        weight_note = ("Weighted (sampling weights, as lavaan's sampling.weights): ML on the weighted moments with "
                       "robust (MLR) standard errors and the Yuan-Bentler scaled chi2, as lavaan uses with weights.")
    if isinstance(group_equal, str):
        group_equal = (group_equal,)
    group_equal = tuple(group_equal)
    for g in group_equal:
        check_option("group_equal", g, GROUP_EQUAL, function="sem")
    if group_equal and group is None:
        raise ValueError("sem: group_equal needs group= (the column of the groups).")
    group_partial = (group_partial,) if isinstance(group_partial, str) else tuple(group_partial)
    if group_partial and not group_equal:
        raise ValueError("sem: group_partial frees parameters from group_equal, which is empty.")
    statements, defined = parse_model(model)
    if bootstrap is not None:
        check_bootstrap(bootstrap, defined)
    if group is not None and group not in data.columns:
        raise ValueError(f"sem: group={group!r} is not a column of the data.")
    groups = tuple(pd.unique(data[group].dropna())) if group is not None else ("all",)
    meanstructure = group is not None or any(s.op == "~1" for s in statements) or missing == "fiml"
    table = build_table(statements, list(data.columns), len(groups), meanstructure, group_equal, group_partial)
    _check_partial(table, group_partial)
    x, gcol, dropped, notes = _rows(data if wts is None else data.assign(**{_WCOL: wts}), table.observed, group,
                                    missing, wts is not None)
    frames = [x.loc[gcol == g] if group is not None else x for g in groups]
    _check_sizes([len(f) for f in frames], groups, table, group)
    fitted = _Model(model, statements, defined, _labels(table, defined), table, groups, group_equal, group_partial)
    sample = _prepare(frames, missing, notes, weighted=wts is not None)
    return _solve(fitted, sample, notes, estimator=estimator, missing=missing, dropped=dropped, frames=frames,
                  bootstrap=bootstrap, seed=seed, weight_note=weight_note)


@dataclass(frozen=True)
class _Model:
    """The model as ``sem`` read it: its text, statements, ``:=`` definitions, parameter table and groups."""

    text: str
    statements: list
    defined: list
    labels: dict
    table: object
    groups: tuple
    group_equal: tuple = ()
    group_partial: tuple = ()


def _solve(m: _Model, sample, notes: list, *, estimator: str, missing: str, dropped: int, frames=None, bootstrap=None,
           seed=None, weight_note=None) -> SEMResult:
    """Fit ``m`` to ``sample`` and build the result (the bootstrap refits ``frames``); warns each note."""
    table, groups = m.table, m.groups
    with one_blas_thread():
        theta, converged, n_iter = _estimate(table, sample, start_values(table, sample.stats))
    if not converged:
        notes.append(f"The ML estimation did not converge in {n_iter} iterations: the estimates and fit measures are "
                     "unreliable (check the model: identification, starting values, Heywood cases).")
    fit = fit_measures(table, theta, sample.stats, sample.weights, sample.n, _fiml_logliks(table, theta, sample))
    vcov = _vcov(table, theta, sample, estimator, fit, notes) if converged else None
    se = np.sqrt(np.clip(np.diag(vcov), 0, None)) if vcov is not None else np.full(table.n_free, np.nan)
    std = standardised(table, theta)
    estimates = _estimates(table, theta, se, std, groups)
    boot = jack = None
    if bootstrap is not None:
        def refit(resampled, start):
            return _estimate(table, _prepare(resampled, missing), start)[:2]

        with one_blas_thread(), np.errstate(all="ignore"):
            boot = bootstrap_refits(refit, frames, theta, bootstrap, seed)
            distinct = sum(len(f.drop_duplicates()) for f in frames)
            if missing == "listwise" or distinct <= FIML_JACKKNIFE_MAX:
                jack = jackknife(refit, frames, theta)
            else:
                notes.append(f"BCa intervals are not computed under missing='fiml' for more than "
                             f"{FIML_JACKKNIFE_MAX} distinct answer rows (here {distinct}; their jackknife needs one "
                             "FIML refit per distinct row); the percentile intervals are given.")
    # lavaan: a defined parameter's std.all is its expression at the std.all of the labelled parameters
    std_labels = {}
    for r, v in zip(table.rows, std):
        if r.label:
            std_labels.setdefault(r.label, v)
    defined_df = defined_table(m.defined, m.labels, theta, vcov, std_labels, boot, jack)
    notes += heywood(table, theta, std, groups)
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=3)
    if weight_note:  # a statement of what was done, not a warning
        notes.insert(0, weight_note)
    mi = None
    if len(groups) == 1 and vcov is not None and estimator == "ML" and missing == "listwise":
        mi = functools.partial(modification_indices, table, theta, sample.stats, sample.weights, sample.n,
                               m.statements)
    return SEMResult(fit=fit, estimates=estimates, defined=defined_df,
                     r2=r_squared(table, theta, groups), model=m.text, groups=groups, group_equal=m.group_equal,
                     group_partial=m.group_partial, n_obs=sample.n, n_dropped=dropped, n_free=table.n_free,
                     estimator=estimator, missing=missing, weighted=sample.wts is not None,
                     meanstructure=table.meanstructure, converged=converged, n_boot=int(bootstrap or 0),
                     notes=tuple(notes), **covariances(table, theta, sample.stats, groups), _mi=mi)


def _check_partial(table, group_partial):
    present = {(r.lhs, r.op, r.rhs) for r in table.rows} | {(r.rhs, r.op, r.lhs) for r in table.rows if r.op == "~~"}
    absent = [s for s in group_partial if parse_partial(s) not in present]
    if absent:
        raise ValueError(f"sem: group_partial names {absent}, which are not parameters of the model; write them "
                         "as in the model, e.g. 'F1 =~ x4' or 'x4 ~ 1'.")


_WCOL = "\0weights"  # the weights ride along as a column no questionnaire can name


def _weights(data, weights, missing, bootstrap):
    """The weights as positive floats aligned with the rows of data, or None."""
    if weights is None:
        return None
    if missing != "listwise" or bootstrap is not None:
        raise ValueError("sem: weights are offered with missing='listwise' and no bootstrap (lavaan's "
                         "sampling.weights with ML); drop missing='fiml' / bootstrap=, or fit unweighted.")
    if isinstance(weights, str):
        if weights not in data.columns:
            raise ValueError(f"sem: weights={weights!r} is not a column of the data.")
        weights = data[weights]
    w = check_weights(np.asarray(weights), len(data), data.index, "sem")
    return w * len(w) / w.sum()


def _rows(data, observed, group, missing, weighted=False):
    """(numeric frame, group column, rows dropped, notes): listwise, or under FIML without the rows that answer
    no model variable (lavaan drops them too, with a warning); with ``weighted`` the weights ride along in the
    frame's last column."""
    cols = observed + ([group] if group is not None else []) + ([_WCOL] if weighted else [])
    sub = data[cols] if group is None else data.loc[data[group].notna(), cols]
    notes = []
    if missing == "listwise":
        sub = sub.dropna()
    else:
        empty = sub[observed].isna().all(axis=1)
        if empty.any():
            first = ", ".join(repr(i) for i in sub.index[empty][:5])
            notes.append(f"{int(empty.sum())} rows answer none of the model variables and were dropped (rows {first}"
                         f"{', ...' if empty.sum() > 5 else ''}), as lavaan does under missing='ml'.")
            sub = sub.loc[~empty]
    x = numeric_frame(sub[observed], function="sem")
    if weighted:
        x[_WCOL] = sub[_WCOL].to_numpy(float)
    constant = [c for c in observed if not x[c].max() > x[c].min()]
    if constant:
        raise DataError(f"sem: variables {constant} are constant (or blank) among the {len(x)} rows used; drop them.")
    return x, (sub[group] if group is not None else None), len(data) - len(sub), notes


def _check_sizes(sizes, groups, table, group, function="sem"):
    """A ValueError when the model has more free parameters than moments, or a group fewer rows than them."""
    p = len(table.observed)
    moments = table.n_groups * (p * (p + 1) // 2 + (p if table.meanstructure else 0))
    if table.n_free > moments:
        raise ValueError(f"{function}: the model has more free parameters ({table.n_free}) than the data have "
                         f"moments ({moments}), so it is not identified; fix parameters or add indicators.")
    for g, size in zip(groups, sizes):
        if size < table.n_free:
            where = f"group {g!r} of {group!r}" if group is not None else "the data"
            raise ValueError(f"{function}: {where} has {size} usable respondents, fewer than the {table.n_free} free "
                             "parameters of the model; merge small groups, constrain more parameters or collect more "
                             "data.")


def _labels(table, defined):
    """Label -> theta index (free) or fixed value; a ValueError when ':=' uses a name that is neither a label
    nor a parameter defined above it."""
    labels = {}
    for r in table.rows:
        if r.label:
            labels.setdefault(r.label, r.free if r.free >= 0 else float(r.value))
    known = set(labels)
    for d in defined:
        missing_ = [nm for nm in d.names if nm not in known]
        if missing_:
            raise ValueError(f"sem: the defined parameter {d.name!r} uses {missing_}, which label no parameter (and "
                             f"are not defined above it); label them in the model (e.g. 'M ~ a*X') "
                             f"(labels: {sorted(labels)}).")
        known.add(d.name)
    return labels


@dataclass
class _Sample:
    """What the fit needs of the data: each group's (S, ȳ) (under FIML the EM estimates of the saturated
    model; None in bootstrap refits), the groups' shares, N, the arrays and the FIML patterns."""

    stats: list
    weights: np.ndarray
    n: int
    arrays: list
    patterns: list = None
    wts: list = None      # survey weights per group (summing to N over the groups), or None


def _prepare(frames, missing, notes=None, weighted=False) -> _Sample:
    wts = [f[_WCOL].to_numpy(float) for f in frames] if weighted else None
    arrays = [f.drop(columns=_WCOL).to_numpy(float) if weighted else f.to_numpy(float) for f in frames]
    # a group's size is its respondents' count, or with weights their sum (lavaan: weights sum to N overall)
    ns = np.array([len(a) for a in arrays] if wts is None else [w.sum() for w in wts], dtype=float)
    if missing == "fiml":
        pats = fiml.patterns(arrays)
        if notes is None:  # a bootstrap or jackknife refit: the saturated model is not needed
            return _Sample(None, ns / ns.sum(), int(ns.sum()), arrays, pats)
        h1 = [fiml.em_saturated(a, pat) for a, pat in zip(arrays, pats)]
        if not all(ok for _, _, ok in h1):
            notes.append("The EM estimation of the saturated model did not converge: chi2 and the fit indices are "
                         "unreliable.")
        stats_g = [(sig, mu) for sig, mu, _ in h1]
    elif weighted:
        pats = None
        stats_g = [(np.cov(a, rowvar=False, aweights=w, bias=True), np.average(a, axis=0, weights=w))
                   for a, w in zip(arrays, wts)]
    else:
        pats = None
        stats_g = [(np.cov(a, rowvar=False, bias=True), a.mean(axis=0)) for a in arrays]
    _check_singular(stats_g)
    return _Sample(stats_g, ns / ns.sum(), int(round(ns.sum())), arrays, pats, wts)


def _check_singular(stats_g, function="sem"):
    for s, _ in stats_g:
        d = np.sqrt(np.diag(s))
        if np.linalg.eigvalsh(s / np.outer(d, d))[0] <= 1e-10:
            raise DataError(f"{function}: the covariance matrix of the model variables is singular (in a group); "
                            "some variables are linear combinations of others, or a group has too few rows.")


def _estimate(table, sample: _Sample, start):
    """(theta, converged, iterations) by Fisher scoring: on the ML discrepancy, or casewise under FIML
    (the caller limits BLAS to one thread, once: entering that limit costs more than a small fit)."""
    with np.errstate(all="ignore"):
        if sample.patterns is not None:
            return fiml.fit_fiml(table, sample.patterns, sample.n, start)
        if sample.stats is None:
            return start, False, 0
        return fit_ml(table, sample.stats, sample.weights, start)


def _fiml_logliks(table, theta, sample):
    """(log L_H0, log L_H1, log L_baseline) under FIML, else None."""
    if sample.patterns is None:
        return None
    return (fiml.loglik(table.moments(theta), sample.patterns), fiml.loglik(sample.stats, sample.patterns),
            sum(fiml.baseline_loglik(a) for a in sample.arrays))


def _vcov(table, theta, sample, estimator, fit, notes):
    """Expected information (ML), observed information (FIML, lavaan's default there) or the MLR sandwich;
    the MLR scaling factors join ``fit``."""
    with one_blas_thread(), np.errstate(all="ignore"):
        if estimator == "MLR" and sample.patterns is not None:
            vcov, robust = mlr_fiml(table, theta, sample, fit)
            fit.update(robust)
        elif estimator == "MLR":
            vcov, c, c_null = mlr(table, theta, sample.arrays, sample.stats, sample.weights, fit["df"], sample.wts)
            fit.update(robust_indices(fit["chi2"], fit["df"], fit["chi2_baseline"], fit["df_baseline"], sample.n,
                                      table.n_groups, c, c_null))
        elif sample.patterns is not None:
            info = hessian(lambda t: fiml.score(table, t, sample.patterns, sample.n, info_too=False)[0], theta)
            vcov = information_vcov(info, sample.n)
        else:
            vcov = information_vcov(score(table, theta, sample.stats, sample.weights)[1], sample.n)
    if vcov is None:
        notes.append("The information matrix is singular: the model is probably not identified; standard errors "
                     "are not available.")
    missing_ = [k for k in ("chi2_scaled", "cfi_robust", "tli_robust", "rmsea_robust") if k in fit and np.isnan(fit[k])]
    if missing_:
        notes.append(f"The robust fit measures {missing_} are not available (NaN, where lavaan reports NA): the model "
                     "is saturated (df = 0), a scaling factor is not positive, or an information matrix is singular.")
    return vcov


def _estimates(table, theta, se, std, groups):
    rows = []
    for r, st in zip(table.rows, std):
        free = r.free >= 0
        est = theta[r.free] if free else r.value
        s = se[r.free] if free else np.nan
        z = est / s if free else np.nan
        rows.append({"lhs": r.lhs, "op": r.op, "rhs": r.rhs, "group": groups[r.group] if len(groups) > 1 else 1,
                     "label": r.label, "est": est, "se": s, "z": z,
                     "p_value": 2 * stats.norm.sf(abs(z)) if free else np.nan,
                     "ci_low": est - stats.norm.ppf(0.975) * s, "ci_high": est + stats.norm.ppf(0.975) * s,
                     "std_all": st})
    return pd.DataFrame(rows, columns=["lhs", "op", "rhs", "group", "label", "est", "se", "z", "p_value", "ci_low",
                                       "ci_high", "std_all"])


def compare(m1: SEMResult, m2: SEMResult) -> pd.DataFrame:
    """Likelihood-ratio (Δχ²) test of two nested models, with ΔAIC and ΔBIC, as lavaan ``anova()``.

    Parameters
    ----------
    m1, m2 : SEMResult
        Two fits of nested models on the same rows, with the same ``estimator`` and ``missing``
        (in either order: the one with more degrees of freedom is the restricted model).

    Returns
    -------
    DataFrame
        One row per model, fewer df first: ``df, aic, bic, chi2, chi2_diff, df_diff, p_value,
        aic_diff, bic_diff, scaling_diff`` (the differences against the row above; NaN in the
        first row). ``chi2`` is each model's unscaled χ². With ``estimator="MLR"`` ``chi2_diff`` is
        the Satorra-Bentler (2001) scaled difference ``(χ²₀ - χ²₁) / c_d`` with
        ``c_d = (df₀ c₀ - df₁ c₁) / (df₀ - df₁)`` from the models' scaling factors (lavaan
        ``lavTestLRT``'s default for MLR; ``scaling_diff`` is ``c_d``, NaN when it is not
        positive); otherwise the plain difference (``scaling_diff`` 1).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import sem, compare
    >>> rng = np.random.default_rng(2)
    >>> f = rng.normal(size=(400, 2)) @ np.array([[1, 0.5], [0, 0.8]])
    >>> data = pd.DataFrame({f"{v}{i}": f[:, j] + rng.normal(scale=0.7, size=400)
    ...                      for j, v in enumerate("ab") for i in (1, 2, 3)})
    >>> free = sem(data, "A =~ a1 + a2 + a3\\nB =~ b1 + b2 + b3")
    >>> orth = sem(data, "A =~ a1 + a2 + a3\\nB =~ b1 + b2 + b3\\nA ~~ 0*B")
    >>> table = compare(free, orth)
    >>> int(table["df_diff"].iloc[1]), bool(table["p_value"].iloc[1] < 0.001)
    (1, True)
    """
    for m in (m1, m2):
        if not isinstance(m, SEMResult):
            raise TypeError(f"compare takes two SEMResult (from surveykit.sem); got {type(m).__name__}.")
    if m1.n_obs != m2.n_obs:
        raise ValueError(f"compare: the models were fitted on different rows (n = {m1.n_obs} and {m2.n_obs}); "
                         "nested models must be fitted on the same data.")
    if (m1.estimator, m1.missing) != (m2.estimator, m2.missing):
        raise ValueError(f"compare: the models were fitted differently (estimator {m1.estimator!r} / {m2.estimator!r}, "
                         f"missing {m1.missing!r} / {m2.missing!r}); fit both the same way.")
    a, b = sorted((m1, m2), key=lambda m: m.fit["df"])
    if a.fit["df"] == b.fit["df"]:
        raise ValueError(f"compare: both models have {a.fit['df']} degrees of freedom, so they are not nested; "
                         "a nested model fixes or constrains parameters of the other.")
    d_chi2 = b.fit["chi2"] - a.fit["chi2"]
    d_df = b.fit["df"] - a.fit["df"]
    scaling = 1.0
    if a.estimator == "MLR":
        d_chi2, scaling = scaled_difference(b.fit["chi2"], b.fit["df"], b.fit["scaling_factor"], a.fit["chi2"],
                                            a.fit["df"], a.fit["scaling_factor"])
    rows = [{k: a.fit[k] for k in ("df", "aic", "bic", "chi2")}, {k: b.fit[k] for k in ("df", "aic", "bic", "chi2")}]
    rows[0].update(chi2_diff=np.nan, df_diff=np.nan, p_value=np.nan, aic_diff=np.nan, bic_diff=np.nan,
                   scaling_diff=np.nan)
    rows[1].update(chi2_diff=d_chi2, df_diff=d_df, p_value=float(stats.chi2.sf(max(d_chi2, 0.0), d_df)),
                   aic_diff=b.fit["aic"] - a.fit["aic"], bic_diff=b.fit["bic"] - a.fit["bic"], scaling_diff=scaling)
    return pd.DataFrame(rows, index=pd.Index(["model_1", "model_2"], name="model"))
