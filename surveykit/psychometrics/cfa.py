"""Confirmatory factor analysis (CFA): fit, loadings, convergent and discriminant validity.

Estimation: the factor dict is written as a lavaan model (``f =~ x1 + x2 + ...`` per factor,
on internal names so that any column label works) and fitted by :func:`surveykit.structural.sem`
(from the rows) or :func:`surveykit.structural.sem_from_moments` (from a covariance matrix): ML
discrepancy ``F = log|Σ| + tr(S Σ⁻¹) - log|S| - p`` on the biased covariance S (divided by N, as
lavaan), Fisher scoring without bounds until the largest step is below 1e-10 (as lavaan, a
Heywood case shows as a negative variance); standard errors from the expected information,
``vcov = (2/N) [tr(Σ⁻¹ ∂Σ/∂θ_a Σ⁻¹ ∂Σ/∂θ_b)]⁻¹``.

Fit measures are ``sem``'s (lavaan's ``fitMeasures``: chi2 = N·F_min, CFI/TLI against the
independence model, RMSEA with lavaan's 90% interval, Bentler's SRMR over the p(p+1)/2 elements,
AIC/BIC with the variances counted and the means not) plus, computed here from the model-implied
Σ, GFI = 1 - tr((Σ⁻¹S - I)²) / tr((Σ⁻¹S)²) and AGFI = 1 - p(p+1)/(2 df) (1 - GFI), as lavaan
(semopy's GFI weights differently and differs from lavaan's and AMOS's).

Validity (Fornell & Larcker 1981) on the standardised loadings λ of each factor:
``CR = (Σλ)² / ((Σλ)² + Σ(1 - λ²))``, ``AVE = mean(λ²)``. HTMT (Henseler, Ringle & Sarstedt
2015) on the item correlations of the rows used: the mean absolute correlation between the two
factors' items over the geometric mean of the mean absolute within-factor correlations
(absolute values as ``semTools::htmt``'s default; identical when items are coded in one
direction). The diagonal is 1, as in semTools.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import item_frame
from .._ml import fit_line
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option
from ..structural import sem, sem_from_moments

__all__ = ["cfa", "cfa_from_moments", "CFAResult"]

FIT_MEASURES = ("chi2", "df", "p_value", "cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr", "gfi", "agfi",
                "aic", "bic")
_SINGULAR = 1e-10   # smallest eigenvalue of the item correlation matrix below which it is singular


@dataclass(frozen=True)
class CFAResult(Result):
    """Confirmatory factor analysis of a set of items.

    Attributes
    ----------
    fit : dict
        Fit measures, keyed ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high
        (90% CI), srmr, gfi, agfi, aic, bic``; the values of lavaan ``fitMeasures()``.
    loadings : DataFrame
        Standardised loadings (lavaan ``std.all``), items x factors, 0 where an item does not load.
    estimates : DataFrame
        One row per loading: ``factor, item, estimate`` (unstandardised; the first item of each
        factor is the marker, fixed at 1), ``se, z, p_value`` (NaN for the marker) and
        ``std_estimate``. Also ``to_frame()``.
    residual_variances : DataFrame
        By item: ``estimate`` (unstandardised residual variance), ``se``, ``std_estimate``
        (1 - R²). A negative estimate is a Heywood case.
    phi : DataFrame
        Factor correlation matrix.
    validity : DataFrame
        By factor: ``cr`` (composite reliability), ``ave`` (average variance extracted),
        ``sqrt_ave``.
    fornell_larcker : DataFrame
        Factors x factors: sqrt(AVE) on the diagonal, factor correlations off it. Discriminant
        validity holds for a factor when its diagonal entry exceeds the rest of its row.
    htmt : DataFrame
        Heterotrait-monotrait ratios, factors x factors, 1 on the diagonal.
    model : dict
        Factor -> tuple of items, as fitted.
    converged : bool
        Whether the ML estimation converged; when False, a note says so.
    """

    fit: dict
    loadings: pd.DataFrame
    estimates: pd.DataFrame
    residual_variances: pd.DataFrame
    phi: pd.DataFrame
    validity: pd.DataFrame
    fornell_larcker: pd.DataFrame
    htmt: pd.DataFrame
    model: dict
    n_obs: int
    n_dropped: int
    nan_policy: str
    estimator: str
    converged: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.estimates.copy()

    def summary(self) -> Summary:
        f = self.fit
        lines = [fit_line(f),
                 f"{len(self.model)} factors, {len(self.loadings)} items, n = {self.n_obs} ({self.n_dropped} rows "
                 f"dropped, nan_policy={self.nan_policy!r}); estimator={self.estimator!r}"
                 + ("" if self.converged else "; DID NOT CONVERGE"),
                 *self.notes]
        fit = pd.DataFrame({"value": [float(f[k]) for k in FIT_MEASURES]}, index=pd.Index(FIT_MEASURES, name="measure"))
        return Summary(title="Confirmatory factor analysis", lines=lines, tables=[
            ("Fit measures", fit), ("Loadings", self.estimates.set_index(["factor", "item"])),
            ("Factor correlations", self.phi), ("Convergent validity", self.validity),
            ("Fornell-Larcker criterion (sqrt(AVE) on the diagonal)", self.fornell_larcker),
            ("HTMT", self.htmt)])

    def __repr__(self) -> str:
        return (f"<CFAResult n_factors={len(self.model)} n_items={len(self.loadings)} cfi={self.fit['cfi']:.3f} "
                f"rmsea={self.fit['rmsea']:.3f} srmr={self.fit['srmr']:.3f} n_obs={self.n_obs}>")


def _check_model(model, columns) -> dict:
    if not isinstance(model, Mapping):
        raise TypeError("cfa takes model as a mapping of factor name -> list of item columns, "
                        f"e.g. {{'benefit': ['b1', 'b2', 'b3']}}; got {type(model).__name__}.")
    if not model:
        raise ValueError("cfa: the model has no factors; give at least one factor with its items.")
    out = {}
    for factor, items in model.items():
        if not isinstance(factor, str) or not factor:
            raise ValueError(f"cfa: factor names must be non-empty strings; got {factor!r}.")
        if isinstance(items, str) or not hasattr(items, "__iter__"):
            raise TypeError(f"cfa: the items of factor {factor!r} must be a list of columns; got {items!r}.")
        items = tuple(items)
        repeated = sorted({i for i in items if items.count(i) > 1}, key=items.index)
        if repeated:
            raise ValueError(f"cfa: factor {factor!r} lists items {repeated} more than once.")
        if len(items) < 2:
            raise ValueError(f"cfa: factor {factor!r} has {len(items)} item{'' if len(items) == 1 else 's'} "
                             f"({list(items)}); identification needs at least 2 items per factor "
                             "(3 or more recommended).")
        out[factor] = items
    owners: dict = {}
    for factor, items in out.items():
        for item in items:
            owners.setdefault(item, []).append(factor)
    shared = {item: fs for item, fs in owners.items() if len(fs) > 1}
    if shared:
        listed = "; ".join(f"{item!r} in {fs}" for item, fs in shared.items())
        raise ValueError(f"cfa: each item must load on exactly one factor (cross-loadings are not supported); "
                         f"{len(shared)} item{'s' if len(shared) > 1 else ''} in two or more factors: {listed}.")
    known = set(columns)
    unknown = [item for item in owners if item not in known]
    if unknown:
        hints = []
        for item in unknown[:5]:
            close = difflib.get_close_matches(str(item), [str(c) for c in columns], n=1)
            if close:
                hints.append(f"{item!r} -> {close[0]!r}?")
        cols = list(columns)
        raise DataError(f"cfa: the model names {len(unknown)} item{'s' if len(unknown) > 1 else ''} that are not "
                        f"columns of the data: {unknown}. The data has {len(cols)} columns "
                        f"({cols[:12]}{' ...' if len(cols) > 12 else ''})."
                        + (f" Did you mean: {', '.join(hints)}" if hints else ""))
    return out


def cfa(data: pd.DataFrame, model: Mapping, *, nan_policy: str = "listwise", estimator: str = "ml") -> CFAResult:
    """Confirmatory factor analysis with maximum likelihood, as R ``lavaan::cfa()``.

    Each factor is measured by its own items; factors correlate freely; each factor's scale is
    set by fixing its first item's loading to 1 (marker variable, lavaan's default).

    Parameters
    ----------
    data : DataFrame
        One column per item (columns not named in ``model`` are ignored).
    model : mapping of str -> list of str
        Factor name -> the item columns that measure it, e.g.
        ``{"benefit": ["b1", "b2", "b3"], "cost": ["c1", "c2", "c3"]}``. The first item of each
        factor is its marker.
    nan_policy : {'listwise'}
        Respondents with a blank on any model item are dropped (lavaan's default
        ``missing="listwise"``); FIML is not offered.
    estimator : {'ml'}
        Normal-theory maximum likelihood (lavaan ``estimator="ML"``, ``likelihood="normal"``).

    Returns
    -------
    CFAResult

    Raises
    ------
    DataError
        When the model names items that are not columns of the data, when an item is constant
        or not numeric, or when the items' covariance matrix is singular.
    ValueError
        For a bad option, a factor with fewer than 2 items, an item in two factors, or a model
        with more free parameters than the data have variances and covariances.

    Warns
    -----
    SurveykitWarning
        When the estimation does not converge, in a Heywood case (a negative residual variance,
        a standardised loading or factor correlation of magnitude 1 or more), or when the
        information matrix is singular (standard errors unavailable). Each is also kept as a note.

    Notes
    -----
    Equivalent to R ``lavaan::cfa(model, data, std.lv = FALSE, estimator = "ML")`` (0.6.14),
    with ``fitMeasures()``, ``standardizedSolution()`` (``std.all``) and
    ``semTools::htmt(..., htmt2 = FALSE)``.

    The model is fitted by :func:`surveykit.structural.sem` (a measurement-only model in lavaan
    syntax); the estimation, the fit measures (as lavaan's ``fitMeasures``) and validity (CR, AVE,
    HTMT) are defined in the module docstring.

    Where this differs from lavaan: the marker loadings have ``se``, ``z`` and ``p_value`` NaN
    (lavaan prints se = 0); ``p_value`` of the model is NaN when df = 0.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.psychometrics.cfa import cfa
    >>> rng = np.random.default_rng(1)
    >>> f = rng.multivariate_normal([0, 0], [[1, 0.4], [0.4, 1]], size=300)
    >>> items = pd.DataFrame({f"{name}{i}": f[:, j] + rng.normal(size=300)
    ...                       for j, name in enumerate("bc") for i in range(1, 4)})
    >>> result = cfa(items, {"benefit": ["b1", "b2", "b3"], "cost": ["c1", "c2", "c3"]})
    >>> result.fit["df"], round(float(result.phi.loc["benefit", "cost"]), 1)
    (8, 0.4)
    """
    check_option("nan_policy", nan_policy, ("listwise",), function="cfa")
    check_option("estimator", estimator, ("ml",), function="cfa")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"cfa takes a DataFrame of items (one column per item); got {type(data).__name__}.")
    spec = _check_model(model, data.columns)
    items = [item for its in spec.values() for item in its]
    x, dropped = item_frame(data[items], function="cfa", nan_policy=nan_policy)
    _check_identified(spec, len(x))
    _covariance(x, items)
    names, syntax = _lavaan(spec, items)
    fitted = _quietly(sem, x.set_axis(names, axis=1), syntax)
    return _result(fitted, spec, items, np.abs(np.corrcoef(x.to_numpy(), rowvar=False)), int(dropped), nan_policy,
                   estimator)


def cfa_from_moments(cov: pd.DataFrame, n_obs: int, model: Mapping, *, n_dropped: int = 0) -> CFAResult:
    """:func:`cfa` (ML, ``nan_policy='listwise'``) from the items' covariance matrix over ``n_obs`` complete rows.

    For data too large to hold: ``cov`` (the n - 1 covariance, labelled by item, e.g. merged
    from the blocks of rows of a Dask frame: :func:`surveykit.dask.cfa_dask`) is a sufficient
    statistic of the ML fit; estimates, standard errors, fit measures, CR / AVE and HTMT are
    those of :func:`cfa` on the rows (fitted by :func:`surveykit.structural.sem_from_moments`,
    the same engine from the same start: they agree to the rounding of the covariance).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.psychometrics.cfa import cfa, cfa_from_moments
    >>> rng = np.random.default_rng(1)
    >>> f = rng.multivariate_normal([0, 0], [[1, 0.4], [0.4, 1]], size=300)
    >>> items = pd.DataFrame({f"{name}{i}": f[:, j] + rng.normal(size=300)
    ...                       for j, name in enumerate("bc") for i in range(1, 4)})
    >>> model = {"benefit": ["b1", "b2", "b3"], "cost": ["c1", "c2", "c3"]}
    >>> a, b = cfa(items, model), cfa_from_moments(items.cov(), 300, model)
    >>> bool(np.allclose(a.loadings, b.loadings, rtol=1e-8)), b.fit["df"]
    (True, 8)
    """
    if not isinstance(cov, pd.DataFrame) or cov.shape[0] != cov.shape[1]:
        raise ValueError("The 'cov' parameter of cfa_from_moments must be a square DataFrame labelled by item. Got "
                         f"{type(cov).__name__} of shape {getattr(cov, 'shape', '?')} instead.")
    spec = _check_model(model, cov.columns)
    items = [item for its in spec.values() for item in its]
    n = int(n_obs)
    if n < 3:
        raise DataError(f"cfa_from_moments: only {n} complete rows.")
    _check_identified(spec, n)
    c = cov.loc[items, items].to_numpy(dtype=float)
    constant = [i for i, v in zip(items, np.diag(c)) if not v > 0]
    if constant:
        raise DataError(f"cfa_from_moments: items {constant} have no variance; drop them.")
    s = _checked_covariance(c * (n - 1) / n, items, n)
    sd = np.sqrt(np.diag(s))
    names, syntax = _lavaan(spec, items)
    fitted = _quietly(sem_from_moments, pd.DataFrame(c, index=names, columns=names), n, syntax,
                      n_dropped=int(n_dropped))
    return _result(fitted, spec, items, np.abs(s / np.outer(sd, sd)), int(n_dropped), "listwise", "ml")


def _lavaan(spec: dict, items: list) -> tuple[list, str]:
    """(internal item names, the lavaan model on them): one ``=~`` statement per factor, its first item the
    marker; internal names ``x0, x1, ...`` and ``f0, f1, ...`` so that any label (Chinese, spaces, '+') works."""
    names = [f"x{i}" for i in range(len(items))]
    return names, "\n".join(f"f{j} =~ " + " + ".join(names[items.index(i)] for i in its)
                            for j, its in enumerate(spec.values()))


def _quietly(fit, *args, **kwargs):
    """The engine's fit with its warnings held back: ``cfa`` states its own notes, in its own terms."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        return fit(*args, **kwargs)


def _result(fitted, spec: dict, items: list, r_abs: np.ndarray, dropped: int, nan_policy: str,
            estimator: str) -> CFAResult:
    """The CFA's tables from the engine's fit of ``_lavaan``'s model (``r_abs``: |correlations| for HTMT)."""
    factors, p = list(spec), len(items)
    est = fitted.estimates
    load = est[est["op"] == "=~"]
    item_of = {f"x{i}": i for i in range(p)}
    rows_i = load["rhs"].map(item_of).to_numpy()
    cols_j = load["lhs"].str[1:].astype(int).to_numpy()
    std_lam = np.zeros((p, len(factors)))
    std_lam[rows_i, cols_j] = load["std_all"].to_numpy()
    estimates = pd.DataFrame({"factor": [factors[j] for j in cols_j], "item": [items[i] for i in rows_i],
                              "estimate": load["est"].to_numpy(float), "se": load["se"].to_numpy(float),
                              "z": load["z"].to_numpy(float), "p_value": load["p_value"].to_numpy(float),
                              "std_estimate": std_lam[rows_i, cols_j]})
    var = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"])].set_index("lhs")
    names = [f"x{i}" for i in range(p)]
    residual = pd.DataFrame({"estimate": var.loc[names, "est"].to_numpy(float),
                             "se": var.loc[names, "se"].to_numpy(float),
                             "std_estimate": var.loc[names, "std_all"].to_numpy(float)},
                            index=pd.Index(items, name="item"))
    cov = est[(est["op"] == "~~") & est["lhs"].str.startswith("f") & est["rhs"].str.startswith("f")]
    phi = np.eye(len(factors))
    for a, b, v in zip(cov["lhs"].str[1:].astype(int), cov["rhs"].str[1:].astype(int), cov["std_all"]):
        phi[a, b] = phi[b, a] = v
    notes = []
    if not fitted.converged:
        notes.append("The ML estimation did not converge: the estimates and fit measures are unreliable (check the "
                     "model and the items).")
    elif residual["se"].isna().all():  # residual variances are always free: no se at all means no vcov
        notes.append("The information matrix is singular: the model may not be identified; standard errors "
                     "are not available.")
    notes += _heywood_notes(residual["estimate"].to_numpy(), std_lam, phi, items, factors, spec)
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=3)
    validity, fornell = _validity(std_lam, phi, spec, items)
    factor_index = pd.Index(factors, name="factor")
    return CFAResult(fit=_fit_measures(fitted), loadings=pd.DataFrame(std_lam, index=pd.Index(items, name="item"),
                                                                      columns=factor_index),
                     estimates=estimates, residual_variances=residual,
                     phi=pd.DataFrame(phi, index=factor_index, columns=factor_index), validity=validity,
                     fornell_larcker=fornell, htmt=_htmt(r_abs, spec, items),
                     model={f: tuple(its) for f, its in spec.items()}, n_obs=fitted.n_obs, n_dropped=int(dropped),
                     nan_policy=nan_policy, estimator=estimator, converged=fitted.converged, notes=tuple(notes))


def _check_identified(spec: dict, n: int) -> None:
    """A ValueError when the model has more free parameters than the items have variances and covariances, or
    than there are rows (``sem``'s rules, in cfa's terms)."""
    p, m = sum(len(its) for its in spec.values()), len(spec)
    n_free = sum(len(its) - 1 for its in spec.values()) + m * (m + 1) // 2 + p
    moments = p * (p + 1) // 2
    if n_free > moments:
        raise ValueError(f"cfa: the model has more free parameters ({n_free}) than the {p} items have variances "
                         f"and covariances ({moments}), so it is not identified; add items (3 or more per factor "
                         "recommended).")
    if n < n_free:
        raise ValueError(f"cfa: only {n} complete rows for the model's {n_free} free parameters; collect more "
                         "answers or fit fewer factors / items.")


def _covariance(x: pd.DataFrame, items: list) -> np.ndarray:
    """The items' biased covariance matrix S, or a DataError naming the items when it is singular."""
    return _checked_covariance(np.cov(x.to_numpy(), rowvar=False, bias=True), items, len(x))


def _checked_covariance(s: np.ndarray, items: list, n: int) -> np.ndarray:
    """``s``, or a DataError naming the items when it is singular."""
    p = len(s)
    # On the correlation scale, so that an item's unit (yuan, not 1-5) does not make it look singular.
    values, vectors = np.linalg.eigh(s / np.sqrt(np.outer(np.diag(s), np.diag(s))))
    if values[0] <= _SINGULAR:
        weights = np.abs(vectors[:, 0])
        involved = [items[i] for i in np.argsort(-weights) if weights[i] > 0.1][:6]
        raise DataError(f"cfa: the covariance matrix of the {p} items over the {n} rows used is singular; items "
                        f"{involved} are (almost) linear combinations of each other, or there are too few rows: "
                        "drop one of them.")
    return s


def _validity(std_lam, phi, spec: dict, items: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CR, AVE and sqrt(AVE) by factor; the Fornell-Larcker table (sqrt(AVE) on the diagonal of phi)."""
    factors = pd.Index(list(spec), name="factor")
    std_by_factor = {f: std_lam[[items.index(i) for i in spec[f]], j] for j, f in enumerate(spec)}
    cr = [l.sum() ** 2 / (l.sum() ** 2 + (1 - l ** 2).sum()) for l in std_by_factor.values()]
    ave = np.array([np.mean(l ** 2) for l in std_by_factor.values()])
    validity = pd.DataFrame({"cr": cr, "ave": ave, "sqrt_ave": np.sqrt(ave)}, index=factors)
    fl = phi.copy()
    fl[np.diag_indices(len(spec))] = np.sqrt(ave)
    return validity, pd.DataFrame(fl, index=factors, columns=factors)


def _fit_measures(fitted) -> dict:
    """``sem``'s fit measures in cfa's order, with lavaan's GFI and AGFI (ML: weight matrix Σ⁻¹; AGFI on the
    p(p+1)/2 variances and covariances) from the sample and implied covariance matrices."""
    s, sigma = fitted.sample_cov.to_numpy(), fitted.implied_cov.to_numpy()
    p, df = len(s), fitted.fit["df"]
    ws = np.linalg.solve(sigma, s)
    resid_w = ws - np.eye(p)
    gfi = 1 - np.trace(resid_w @ resid_w) / np.trace(ws @ ws)
    agfi = 1 - p * (p + 1) / 2 / df * (1 - gfi) if df > 0 else 1.0
    extra = {"gfi": float(gfi), "agfi": float(agfi)}
    return {k: extra[k] if k in extra else fitted.fit[k] for k in FIT_MEASURES}


def _htmt(r_abs: np.ndarray, spec: dict, items: list) -> pd.DataFrame:
    idx = {f: [items.index(i) for i in its] for f, its in spec.items()}
    mono = {}
    for f, ii in idx.items():
        block = r_abs[np.ix_(ii, ii)]
        mono[f] = block[np.triu_indices(len(ii), 1)].mean()
    factors = list(spec)
    out = np.ones((len(factors), len(factors)))
    for a, fa in enumerate(factors):
        for b, fb in enumerate(factors):
            if a != b:
                out[a, b] = r_abs[np.ix_(idx[fa], idx[fb])].mean() / math.sqrt(mono[fa] * mono[fb])
    return pd.DataFrame(out, index=pd.Index(factors, name="factor"), columns=pd.Index(factors, name="factor"))


def _heywood_notes(theta, std_lam, phi, items, factors, spec) -> list[str]:
    notes = []
    negative = [items[i] for i in range(len(items)) if theta[i] < 0]
    if negative:
        notes.append(f"Heywood case: items {negative} have negative residual variances; the solution is improper "
                     "(too few items per factor, a misspecified model or a small sample).")
    big = [f"{items[i]!r} on {factors[j]!r} ({std_lam[i, j]:.3f})" for j, f in enumerate(factors)
           for i in (items.index(it) for it in spec[f]) if abs(std_lam[i, j]) >= 1]
    if big:
        notes.append(f"Heywood case: standardised loadings of magnitude 1 or more: {', '.join(big)}.")
    high = [f"{factors[a]!r} and {factors[b]!r} ({phi[a, b]:.3f})" for a in range(len(factors))
            for b in range(a) if not abs(phi[a, b]) < 1]
    if high:
        notes.append(f"Factor correlations of magnitude 1 or more: {', '.join(high)}; the factors are not "
                     "distinct (or the solution is improper).")
    return notes
