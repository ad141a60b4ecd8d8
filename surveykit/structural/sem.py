"""Structural equation models in lavaan syntax, fitted by maximum likelihood as lavaan 0.6.

The model (``_syntax.py`` parses it, ``_ram.py`` builds lavaan's parameter table and the RAM
matrices) is fitted by Fisher scoring on the ML discrepancy from simple starting values, until the
largest step is below 1e-10. Standard errors come from the expected information (lavaan's
default for complete data), defined parameters (``:=``) from the delta method, or with
``bootstrap=B`` from B seeded refits on rows drawn with replacement (within each group).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._blas import one_blas_thread
from .._ml import discrepancy, fit_indices, fit_line, information_vcov
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option, numeric_frame
from ._ram import GROUP_EQUAL, Row, Table, build_table, fit_ml, parse_partial, score, start_values
from ._syntax import parse_model

__all__ = ["SEMResult", "sem", "compare"]

FIT_MEASURES = ("chi2", "df", "p_value", "cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr", "aic", "bic")
# complex-step friendly (the delta method differentiates by a complex step): abs keeps the imaginary part
_FUNCS = {"sqrt": np.sqrt, "exp": np.exp, "log": np.log, "abs": lambda v: -v if np.real(v) < 0 else v}


@dataclass(frozen=True)
class SEMResult(Result):
    """A structural equation model fitted by ML.

    Attributes
    ----------
    fit : dict
        ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high, srmr, aic, bic``
        (lavaan ``fitMeasures()``; the keys of ``cfa``'s fit without GFI/AGFI).
    estimates : DataFrame
        lavaan's ``parameterEstimates(standardized=TRUE)`` layout: ``lhs, op, rhs, group,
        label, est, se, z, p_value, ci_low, ci_high, std_all`` (fixed parameters: se, z, p and
        the interval NaN; lavaan prints se = 0).
    defined : DataFrame
        The ``:=`` parameters, same columns; delta-method se and normal interval, or with
        ``bootstrap`` the bootstrap se and percentile interval (``ci="percentile"``).
    r2 : DataFrame
        R² of every endogenous variable by group (``group, variable, r2``).
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
    sample_cov: pd.DataFrame = field(default=None, repr=False)
    implied_cov: pd.DataFrame = field(default=None, repr=False)
    _mi: pd.DataFrame = field(default=None, repr=False, compare=False)

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
        regressions), largest first: ``lhs, op, rhs, group, mi, epc`` (single-group models)."""
        if self._mi is None:
            raise ValueError("sem: modification indices are computed for single-group models only.")
        return self._mi.copy()

    def summary(self) -> Summary:
        f = self.fit
        lines = [fit_line(f),
                 f"n = {self.n_obs} ({self.n_dropped} rows dropped, missing={self.missing!r}); "
                 f"{len(self.groups)} group{'s' if len(self.groups) > 1 else ''}; {self.n_free} free parameters; "
                 f"estimator={self.estimator!r}" + ("" if self.converged else "; DID NOT CONVERGE"), *self.notes]
        fit = pd.DataFrame({"value": [float(f[k]) for k in FIT_MEASURES]}, index=pd.Index(FIT_MEASURES, name="measure"))
        tables = [("Fit measures", fit), ("Parameter estimates", self.estimates)]
        if len(self.defined):
            tables.append(("Defined parameters", self.defined))
        tables.append(("R-squared", self.r2))
        return Summary(title="Structural equation model", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return self._one_line(f"n_groups={len(self.groups)} n_free={self.n_free} cfi={self.fit['cfi']:.3f} "
                              f"rmsea={self.fit['rmsea']:.3f} srmr={self.fit['srmr']:.3f} n_obs={self.n_obs}")


def sem(data: pd.DataFrame, model: str, *, estimator: str = "ML", missing: str = "listwise", group=None,
        group_equal=(), group_partial=(), bootstrap=None, seed=None) -> SEMResult:
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
    estimator : {'ML'}
        Normal-theory maximum likelihood (MLR is not offered yet).
    missing : {'listwise'}
        Rows with a blank in a model variable (or the group) are dropped (FIML is not offered yet).
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
        Number of bootstrap refits for the defined parameters' se and percentile intervals.
    seed : int, optional
        Seed of the bootstrap.

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
        Non-convergence, a Heywood case (negative variance estimate, |std_all| > 1 of a loading)
        or a singular information matrix; each is also a note on the result.

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
    """
    check_option("estimator", estimator, ("ML",), function="sem")
    check_option("missing", missing, ("listwise",), function="sem")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"sem takes a DataFrame (one column per observed variable); got {type(data).__name__}.")
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
        _check_bootstrap(bootstrap, defined)
    if group is not None and group not in data.columns:
        raise ValueError(f"sem: group={group!r} is not a column of the data.")
    groups = tuple(pd.unique(data[group].dropna())) if group is not None else ("all",)
    meanstructure = group is not None or any(s.op == "~1" for s in statements)
    table = build_table(statements, list(data.columns), len(groups), meanstructure, group_equal, group_partial)
    _check_partial(table, group_partial)
    x, gcol, dropped = _rows(data, table.observed, group)
    frames = [x.loc[gcol == g] if group is not None else x for g in groups]
    _check_sizes(frames, groups, table, group)
    labels = _labels(table, defined)
    theta, converged, n_iter = _fit(table, frames)
    notes = []
    if not converged:
        notes.append(f"The ML estimation did not converge in {n_iter} iterations: the estimates and fit measures are "
                     "unreliable (check the model: identification, starting values, Heywood cases).")
    stats_g, weights, n = _sample(frames)
    vcov = _vcov(table, theta, stats_g, weights, n, notes) if converged else None
    se = np.sqrt(np.clip(np.diag(vcov), 0, None)) if vcov is not None else np.full(table.n_free, np.nan)
    std = _standardised(table, theta)
    estimates = _estimates(table, theta, se, std, groups)
    boot = _bootstrap(table, frames, theta, bootstrap, seed) if bootstrap is not None else None
    # lavaan: a defined parameter's std.all is its expression at the std.all of the labelled parameters
    std_labels = {}
    for r, v in zip(table.rows, std):
        if r.label:
            std_labels.setdefault(r.label, v)
    defined_df = _defined(defined, labels, theta, vcov, std_labels, boot)
    notes += _heywood(table, theta, std, groups)
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=2)
    mi = _modification_indices(table, theta, stats_g, weights, n, statements) if len(groups) == 1 and converged \
        else None
    return SEMResult(fit=_fit_measures(table, theta, stats_g, weights, n), estimates=estimates, defined=defined_df,
                     r2=_r2(table, theta, groups), model=model, groups=groups, group_equal=group_equal,
                     group_partial=group_partial, n_obs=n, n_dropped=dropped, n_free=table.n_free,
                     estimator=estimator, missing=missing,
                     meanstructure=meanstructure, converged=converged, n_boot=int(bootstrap or 0),
                     notes=tuple(notes), **_covariances(table, theta, stats_g, groups), _mi=mi)


def _check_partial(table, group_partial):
    present = {(r.lhs, r.op, r.rhs) for r in table.rows} | {(r.rhs, r.op, r.lhs) for r in table.rows if r.op == "~~"}
    absent = [s for s in group_partial if parse_partial(s) not in present]
    if absent:
        raise ValueError(f"sem: group_partial names {absent}, which are not parameters of the model; write them "
                         "as in the model, e.g. 'F1 =~ x4' or 'x4 ~ 1'.")


def _rows(data, observed, group):
    cols = observed + ([group] if group is not None else [])
    sub = data[cols].dropna()
    x = numeric_frame(sub[observed], function="sem")
    constant = [c for c in observed if not x[c].max() > x[c].min()]
    if constant:
        raise DataError(f"sem: variables {constant} are constant among the {len(x)} rows used; drop them.")
    return x, (sub[group] if group is not None else None), len(data) - len(sub)


def _check_sizes(frames, groups, table, group):
    p = len(table.observed)
    moments = table.n_groups * (p * (p + 1) // 2 + (p if table.meanstructure else 0))
    if table.n_free > moments:
        raise ValueError(f"sem: the model has more free parameters ({table.n_free}) than the data have moments "
                         f"({moments}), so it is not identified; fix parameters or add indicators.")
    for g, frame in zip(groups, frames):
        if len(frame) < table.n_free:
            where = f"group {g!r} of {group!r}" if group is not None else "the data"
            raise ValueError(f"sem: {where} has {len(frame)} usable respondents, fewer than the {table.n_free} free "
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


def _sample(frames):
    stats_g = []
    for f in frames:
        v = f.to_numpy(float)
        stats_g.append((np.cov(v, rowvar=False, bias=True), v.mean(axis=0)))
    ns = np.array([len(f) for f in frames], dtype=float)
    return stats_g, ns / ns.sum(), int(ns.sum())


def _fit(table, frames, start=None):
    stats_g, weights, _ = _sample(frames)
    for s, _ in stats_g:
        d = np.sqrt(np.diag(s))
        if np.linalg.eigvalsh(s / np.outer(d, d))[0] <= 1e-10:
            raise DataError("sem: the covariance matrix of the model variables is singular (in a group); some "
                            "variables are linear combinations of others, or a group has too few rows.")
    with one_blas_thread(), np.errstate(all="ignore"):
        return fit_ml(table, stats_g, weights, start_values(table, stats_g) if start is None else start)


def _vcov(table, theta, stats_g, weights, n, notes):
    vcov = information_vcov(score(table, theta, stats_g, weights)[1], n)
    if vcov is None:
        notes.append("The information matrix is singular: the model is probably not identified; standard errors "
                     "are not available.")
    return vcov


def _standardised(table, theta):
    """std.all of every row of the parameter table."""
    implied = table.implied(theta)
    mats = table.matrices(theta)
    out = np.full(len(table.rows), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for k, (r, (mat, a, b)) in enumerate(zip(table.rows, table.cells)):
            _, sig, _ = implied[r.group]
            sd = np.sqrt(np.diag(sig))
            est = theta[r.free] if r.free >= 0 else r.value
            if mat == "A":
                out[k] = est * sd[b] / sd[a]
            elif mat == "M":
                out[k] = est / sd[a]
            elif a == b:
                out[k] = est / sig[a, a]
            else:
                s = mats[r.group][1]
                out[k] = est / math.sqrt(s[a, a] * s[b, b])
    return out


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


def _evaluator(defined, labels):
    """A function theta (possibly complex) -> the defined values, in order (a definition may use earlier ones)."""
    codes = [(d.name, compile(d.expression, "<:=>", "eval")) for d in defined]

    def evaluate(values: dict):
        env = dict(values)
        out = []
        for name, code in codes:
            env[name] = eval(code, {"__builtins__": {}, **_FUNCS}, env)  # noqa: S307 (parsed to arithmetic only)
            out.append(env[name])
        return out

    def at(theta):
        return evaluate({lab: k if isinstance(k, float) else theta[k] for lab, k in labels.items()})

    return at, evaluate


def _defined(defined, labels, theta, vcov, std, boot):
    cols = ["lhs", "op", "rhs", "group", "label", "est", "se", "z", "p_value", "ci_low", "ci_high", "std_all"]
    if not defined:
        return pd.DataFrame(columns=cols)
    at, evaluate = _evaluator(defined, labels)
    est = np.array([complex(v).real for v in at(theta.astype(complex))])
    if vcov is not None:
        h = 1e-20
        jac = np.empty((len(defined), len(theta)))
        for k in range(len(theta)):
            t = theta.astype(complex)
            t[k] += 1j * h
            jac[:, k] = [complex(v).imag / h for v in at(t)]
        se = np.sqrt(np.clip(np.diag(jac @ vcov @ jac.T), 0, None))
    else:
        se = np.full(len(defined), np.nan)
    z = est / se
    low, high = est - stats.norm.ppf(0.975) * se, est + stats.norm.ppf(0.975) * se
    if boot is not None:
        values = np.array([[complex(v).real for v in at(t.astype(complex))] for t in boot])
        se = values.std(axis=0, ddof=1)
        low, high = np.quantile(values, 0.025, axis=0), np.quantile(values, 0.975, axis=0)
        z = est / se
    rhs = [d.expression.replace("**", "^").replace(" ", "") for d in defined]  # as lavaan writes it
    return pd.DataFrame({"lhs": [d.name for d in defined], "op": ":=", "rhs": rhs,
                         "group": 0, "label": [d.name for d in defined], "est": est, "se": se, "z": z,
                         "p_value": 2 * stats.norm.sf(np.abs(z)), "ci_low": low, "ci_high": high,
                         "std_all": [float(np.real(v)) for v in evaluate(std)]}, columns=cols)


def _check_bootstrap(n_boot, defined):
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 2:
        raise ValueError(f"sem: bootstrap must be a whole number of resamples of 2 or more (e.g. 1000); "
                         f"got {n_boot!r}.")
    if not defined:
        raise ValueError("sem: bootstrap gives intervals for the defined parameters (':='), and the model has none; "
                         "define the effects to test, e.g. 'M ~ a*X', 'Y ~ b*M', 'ab := a*b'.")


def _bootstrap(table, frames, theta, n_boot, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(int(n_boot)):
        resampled = [f.iloc[rng.integers(0, len(f), len(f))] for f in frames]
        try:
            t, ok, _ = _fit(table, resampled, start=theta.copy())
        except DataError:
            ok = False
        if ok:
            out.append(t)
    if len(out) < n_boot:
        warnings.warn(SurveykitWarning(f"{n_boot - len(out)} of {n_boot} bootstrap refits failed and were left out."),
                      stacklevel=3)
    return np.array(out)


def _heywood(table, theta, std, groups):
    notes = []
    where = (lambda r: f" (group {groups[r.group]!r})" if len(groups) > 1 else "")
    negative = [f"{r.lhs}{where(r)}" for r in table.rows
                if r.op == "~~" and r.lhs == r.rhs and r.free >= 0 and theta[r.free] < 0]
    if negative:
        notes.append(f"Heywood case: negative variance estimates for {negative}; the solution is improper (too few "
                     "indicators per factor, a misspecified model or a small sample).")
    big = [f"{r.lhs} =~ {r.rhs}{where(r)} ({v:.3f})" for r, v in zip(table.rows, std) if r.op == "=~" and abs(v) > 1]
    if big:
        notes.append(f"Heywood case: standardised loadings of magnitude above 1: {', '.join(big)}.")
    return notes


def _covariances(table, theta, stats_g, groups):
    """The sample and implied covariance matrices as DataFrames (stacked by group when there are several)."""
    names = pd.Index(table.observed, name="variable")
    out = {}
    for key, mats in (("sample_cov", [s for s, _ in stats_g]), ("implied_cov", [s for s, _ in table.moments(theta)])):
        frames = [pd.DataFrame(m, index=names, columns=names) for m in mats]
        out[key] = frames[0] if len(frames) == 1 else pd.concat(frames, keys=list(groups), names=["group", "variable"])
    return out


def _r2(table, theta, groups):
    implied, mats = table.implied(theta), table.matrices(theta)
    rows = []
    for g, ((_, sig, _), (A, S, _)) in enumerate(zip(implied, mats)):
        for i, v in enumerate(table.variables):
            if np.any(A[i] != 0):
                rows.append({"group": groups[g] if len(groups) > 1 else 1, "variable": v,
                             "r2": 1 - S[i, i] / sig[i, i]})
    return pd.DataFrame(rows, columns=["group", "variable", "r2"])


def _fit_measures(table, theta, stats_g, weights, n):
    """lavaan's fitMeasures: chi2 = Σ N_g F_g; baseline = independence model in each group."""
    p, n_groups, ms = len(table.observed), table.n_groups, table.meanstructure
    chi2 = chi2_null = logl = srmr = 0.0
    for (sig, mu), (s, ybar), w in zip(table.moments(theta), stats_g, weights):
        n_g = w * n
        d = ybar - mu if ms else np.zeros(p)
        chi2 += n_g * (discrepancy(s, sig) + d @ np.linalg.solve(sig, d))
        chi2_null += n_g * (np.sum(np.log(np.diag(s))) - np.linalg.slogdet(s)[1])
        logl += -n_g / 2 * (p * math.log(2 * math.pi) + np.linalg.slogdet(sig)[1]
                            + np.trace(np.linalg.solve(sig, s + np.outer(d, d))))
        scale = np.sqrt(np.diag(s))
        resid = ((s - sig) / np.outer(scale, scale))[np.tril_indices(p)]
        squares = np.concatenate([resid, d / scale]) if ms else resid
        srmr += w * math.sqrt(np.mean(squares ** 2))
    k = table.n_free
    df = n_groups * (p * (p + 1) // 2 + (p if ms else 0)) - k
    chi2 = max(chi2, 0.0)
    return {"chi2": float(chi2), "df": int(df), **fit_indices(chi2, df, chi2_null, n_groups * p * (p - 1) // 2, n,
                                                               n_groups),
            "srmr": float(srmr), "aic": float(-2 * logl + 2 * k), "bic": float(-2 * logl + k * math.log(n))}


def _modification_indices(table, theta, stats_g, weights, n, statements):
    """Score tests of the loadings, residual covariances and factor (residual) covariances fixed at 0
    (lavaan ``modindices()``, expected information): MI = (N/2) g² / h and EPC = -g / h, with h the
    information of the parameter given the free ones."""
    present = {(r.lhs, r.op, r.rhs) for r in table.rows} | {(r.rhs, r.op, r.lhs) for r in table.rows if r.op == "~~"}
    obs_ind = [v for v in table.observed if any(r.op == "=~" and r.rhs == v for r in table.rows)]
    cand = [Row(f, "=~", v, 0) for f in table.latent for v in obs_ind if (f, "=~", v) not in present]
    cand += [Row(a, "~~", b, 0) for i, a in enumerate(table.observed) for b in table.observed[i + 1:]
             if (a, "~~", b) not in present]
    linked = {(r.lhs, r.rhs) for r in table.rows if r.op in ("=~", "~")}
    cand += [Row(a, "~~", b, 0) for i, a in enumerate(table.latent) for b in table.latent[i + 1:]
             if (a, "~~", b) not in present and (a, b) not in linked and (b, a) not in linked]
    if not cand:
        return pd.DataFrame(columns=["lhs", "op", "rhs", "group", "mi", "epc"])
    k = table.n_free
    for j, r in enumerate(cand):
        r.free, r.user = k + j, False
    ext = Table(table.rows + cand, table.observed, table.latent, k + len(cand), table.n_groups, table.meanstructure)
    with np.errstate(all="ignore"):
        grad, info = score(ext, np.concatenate([theta, np.zeros(len(cand))]), stats_g, weights)
        h_ff = info[:k, :k]
        cross = info[k:, :k]
        h = np.diag(info[k:, k:]) - np.einsum("ij,ij->i", cross, np.linalg.solve(h_ff, cross.T).T)
        g = grad[k:]
        mi, epc = n / 2 * g ** 2 / h, -g / h
    out = pd.DataFrame({"lhs": [r.lhs for r in cand], "op": [r.op for r in cand], "rhs": [r.rhs for r in cand],
                        "group": 1, "mi": mi, "epc": epc})
    return out.sort_values("mi", ascending=False, kind="stable").reset_index(drop=True)


def compare(m1: SEMResult, m2: SEMResult) -> pd.DataFrame:
    """Likelihood-ratio (Δχ²) test of two nested models, with ΔAIC and ΔBIC, as lavaan ``anova()``.

    Parameters
    ----------
    m1, m2 : SEMResult
        Two fits of nested models on the same rows (in either order: the one with more degrees
        of freedom is the restricted model).

    Returns
    -------
    DataFrame
        One row per model, fewer df first: ``df, aic, bic, chi2, chi2_diff, df_diff, p_value,
        aic_diff, bic_diff`` (the differences against the row above; NaN in the first row).

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
    a, b = sorted((m1, m2), key=lambda m: m.fit["df"])
    if a.fit["df"] == b.fit["df"]:
        raise ValueError(f"compare: both models have {a.fit['df']} degrees of freedom, so they are not nested; "
                         "a nested model fixes or constrains parameters of the other.")
    d_chi2 = b.fit["chi2"] - a.fit["chi2"]
    d_df = b.fit["df"] - a.fit["df"]
    rows = [{k: a.fit[k] for k in ("df", "aic", "bic", "chi2")}, {k: b.fit[k] for k in ("df", "aic", "bic", "chi2")}]
    rows[0].update(chi2_diff=np.nan, df_diff=np.nan, p_value=np.nan, aic_diff=np.nan, bic_diff=np.nan)
    rows[1].update(chi2_diff=d_chi2, df_diff=d_df, p_value=float(stats.chi2.sf(max(d_chi2, 0.0), d_df)),
                   aic_diff=b.fit["aic"] - a.fit["aic"], bic_diff=b.fit["bic"] - a.fit["bic"])
    return pd.DataFrame(rows, index=pd.Index(["model_1", "model_2"], name="model"))
