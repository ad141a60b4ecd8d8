"""Confirmatory factor analysis (CFA): fit, loadings, convergent and discriminant validity.

Estimation: semopy fits the model first (objective ``"MLW"``, the ML discrepancy
``F = log|Σ| + tr(S Σ⁻¹) - log|S| - p`` on the biased covariance S, divided by N, as lavaan).
Its SLSQP optimiser stops up to ~1e-3 from the optimum and bounds residual variances at 0, so
the solution is then finished by Fisher scoring on the same F, without bounds (as lavaan: a
Heywood case shows as a negative variance), until the largest step is below ``_STEP_TOL``.
Standard errors come from the expected information,
``vcov = (2/N) [tr(Σ⁻¹ ∂Σ/∂θ_a Σ⁻¹ ∂Σ/∂θ_b)]⁻¹``.

Fit measures, computed here from the model-implied Σ (not taken from semopy, whose conventions
differ): chi2 = N·F_min with df = p(p+1)/2 - free parameters; CFI and TLI against the
independence model (diagonal Σ); RMSEA = sqrt(max(chi2/df - 1, 0)/N) with its 90% interval by
the non-central chi-square (lavaan's method); SRMR as Bentler's: the root mean square of
``(s_ij - σ_ij)/sqrt(s_ii s_jj)`` over the p(p+1)/2 elements including the diagonal;
GFI = 1 - tr((Σ⁻¹S - I)²) / tr((Σ⁻¹S)²) and AGFI = 1 - p(p+1)/(2 df) (1 - GFI), as lavaan
(semopy's GFI weights differently and differs from lavaan's and AMOS's); AIC/BIC from
``logL = -N/2 (p log 2π + log|Σ| + tr(S Σ⁻¹))`` with k free parameters (variances included,
means not counted).

Validity (Fornell & Larcker 1981) on the standardised loadings λ of each factor:
``CR = (Σλ)² / ((Σλ)² + Σ(1 - λ²))``, ``AVE = mean(λ²)``. HTMT (Henseler, Ringle & Sarstedt
2015) on the item correlations of the rows used: the mean absolute correlation between the two
factors' items over the geometric mean of the mean absolute within-factor correlations
(absolute values as ``semTools::htmt``'s default; identical when items are coded in one
direction). The diagonal is 1, as in semTools.
"""

from __future__ import annotations

import difflib
import logging
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._blas import one_blas_thread
from .._checks import item_frame
from .._ml import discrepancy, fisher_scoring, fit_indices, fit_line, information_vcov
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option

__all__ = ["cfa", "cfa_from_moments", "CFAResult"]

FIT_MEASURES = ("chi2", "df", "p_value", "cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr", "gfi", "agfi",
                "aic", "bic")
_MAX_ITER = 500     # Fisher-scoring iterations after semopy's fit
_STEP_TOL = 1e-10   # converged when the largest parameter change is below this (relative to 1 + |theta|)
_MIN_STEP = 1e-8    # step halving gives up below this fraction of the Fisher step: no descent left
_DESCENT_SLACK = 1e-14  # a step may raise F by this much (relative) and count as descent: rounding of F
_SINGULAR = 1e-10   # smallest eigenvalue of the item correlation matrix below which it is singular
_MAX_COND = 1e12    # condition number of the scaled information beyond which it is taken as singular


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

    Estimation (semopy's start finished by Fisher scoring), the fit measures (as lavaan's
    ``fitMeasures``) and validity (CR, AVE, HTMT) are defined in the module docstring.

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
    _check_identified(spec)
    s = _covariance(x, items)
    return _cfa_fit(spec, items, s, len(x), x, np.abs(np.corrcoef(x.to_numpy(), rowvar=False)), int(dropped),
                    nan_policy, estimator)


def cfa_from_moments(cov: pd.DataFrame, n_obs: int, model: Mapping, *, n_dropped: int = 0) -> CFAResult:
    """:func:`cfa` (ML, ``nan_policy='listwise'``) from the items' covariance matrix over ``n_obs`` complete rows.

    For data too large to hold: ``cov`` (the n - 1 covariance, labelled by item, e.g. merged
    from the blocks of rows of a Dask frame: :func:`surveykit.dask.cfa_dask`) is a sufficient
    statistic of the ML fit; estimates, standard errors, fit measures, CR / AVE and HTMT are
    those of :func:`cfa` on the rows. The starting values come from semopy's fit of the
    covariance instead of the rows, so the estimates equal :func:`cfa`'s to the tolerance of
    the Fisher scoring (relative steps below 1e-10), not to the last digit.

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
    _check_identified(spec)
    c = cov.loc[items, items].to_numpy(dtype=float)
    constant = [i for i, v in zip(items, np.diag(c)) if not v > 0]
    if constant:
        raise DataError(f"cfa_from_moments: items {constant} have no variance; drop them.")
    s = _checked_covariance(c * (n - 1) / n, items, n)
    sd = np.sqrt(np.diag(s))
    return _cfa_fit(spec, items, s, n, None, np.abs(s / np.outer(sd, sd)), int(n_dropped), "listwise", "ml")


def _cfa_fit(spec: dict, items: list, s: np.ndarray, n: int, x, r_abs: np.ndarray, dropped: int, nan_policy: str,
             estimator: str) -> CFAResult:
    """The ML fit of the model to the biased covariance ``s`` of ``n`` rows (``x``: the rows, for semopy's
    starting values; None: start from ``s``) and every table of the result (``r_abs``: |correlations| for HTMT)."""
    factors = list(spec)
    layout = _Layout(spec, items)
    with one_blas_thread():  # hundreds of small products and solves: see surveykit._blas
        theta0 = layout.pack(*_semopy_start(x, spec, items, s, n))
        theta, converged, n_iter = _fisher_scoring(layout, s, theta0)
    lam, psi, th = layout.unpack(theta)
    sigma = layout.sigma(theta)
    notes = []
    if not converged:
        notes.append(f"The ML estimation did not converge in {n_iter} iterations: the estimates and fit measures "
                     "are unreliable (check the model and the items).")
    vcov = _vcov(layout, theta, sigma, n, notes) if converged else None
    se = np.sqrt(np.clip(np.diag(vcov), 0, None)) if vcov is not None else np.full(len(theta), np.nan)

    sd_x, std_lam, phi = _standardised(lam, psi, sigma)
    loadings = pd.DataFrame(std_lam, index=pd.Index(items, name="item"), columns=pd.Index(factors, name="factor"))
    phi_df = pd.DataFrame(phi, index=pd.Index(factors, name="factor"), columns=pd.Index(factors, name="factor"))

    estimates = _loading_estimates(layout, spec, items, lam, se, std_lam)
    residual = pd.DataFrame({"estimate": th, "se": se[layout.theta_slice], "std_estimate": th / sd_x ** 2},
                            index=pd.Index(items, name="item"))

    validity, fornell = _validity(std_lam, phi, spec, items)
    htmt = _htmt(r_abs, spec, items)

    notes += _heywood_notes(th, std_lam, phi, items, factors, spec)
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=3)
    return CFAResult(fit=_fit_measures(s, sigma, n, len(theta)), loadings=loadings, estimates=estimates,
                     residual_variances=residual, phi=phi_df, validity=validity, fornell_larcker=fornell, htmt=htmt,
                     model={f: tuple(its) for f, its in spec.items()}, n_obs=n, n_dropped=int(dropped),
                     nan_policy=nan_policy, estimator=estimator, converged=converged, notes=tuple(notes))


def _check_identified(spec: dict) -> None:
    """A ValueError when the model has more free parameters than the items have variances and covariances."""
    p, m = sum(len(its) for its in spec.values()), len(spec)
    n_free = sum(len(its) - 1 for its in spec.values()) + m * (m + 1) // 2 + p
    moments = p * (p + 1) // 2
    if n_free > moments:
        raise ValueError(f"cfa: the model has more free parameters ({n_free}) than the {p} items have variances "
                         f"and covariances ({moments}), so it is not identified; add items (3 or more per factor "
                         "recommended).")


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


def _standardised(lam, psi, sigma):
    """The items' model sds, the standardised loadings (lavaan std.all) and the factor correlations."""
    with np.errstate(invalid="ignore", divide="ignore"):  # a negative factor variance (not converged) gives NaN
        sd_f = np.sqrt(np.diag(psi))
        sd_x = np.sqrt(np.diag(sigma))
        return sd_x, lam * sd_f[None, :] / sd_x[:, None], psi / np.outer(sd_f, sd_f)


def _vcov(layout, theta, sigma, n: int, notes: list):
    """(2/N) times the inverse expected information, or None (with a note) when it is singular."""
    vcov = information_vcov(layout.information(theta, sigma), n, _MAX_COND)
    if vcov is None:
        notes.append("The information matrix is singular: the model may not be identified; standard errors "
                     "are not available.")
    return vcov


def _loading_estimates(layout, spec: dict, items: list, lam, se, std_lam) -> pd.DataFrame:
    """One row per factor and item: the loading with its se, z and p (NaN for the marker) and its standardised value."""
    rows = []
    for j, f in enumerate(spec):
        for item in spec[f]:
            i = items.index(item)
            k = layout.lambda_index.get((i, j))
            est_se = se[k] if k is not None else np.nan
            z = lam[i, j] / est_se if k is not None else np.nan
            rows.append({"factor": f, "item": item, "estimate": lam[i, j], "se": est_se, "z": z,
                         "p_value": 2 * stats.norm.sf(abs(z)) if k is not None else np.nan,
                         "std_estimate": std_lam[i, j]})
    return pd.DataFrame(rows, columns=["factor", "item", "estimate", "se", "z", "p_value", "std_estimate"])


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


class _Layout:
    """Free parameters of the CFA: non-marker loadings, the factor covariances (lower triangle),
    the residual variances; Σ = Λ Ψ Λ' + Θ and its derivatives."""

    def __init__(self, spec: dict, items: list):
        self.p, self.m = len(items), len(spec)
        self.lambda_pos = [(items.index(item), j) for j, its in enumerate(spec.values()) for item in its[1:]]
        self.markers = [(items.index(its[0]), j) for j, its in enumerate(spec.values())]
        self.lambda_index = {pos: k for k, pos in enumerate(self.lambda_pos)}
        self.psi_pos = [(a, b) for a in range(self.m) for b in range(a + 1)]
        start = len(self.lambda_pos) + len(self.psi_pos)
        self.theta_slice = slice(start, start + self.p)

    def pack(self, lam, psi, theta):
        return np.concatenate([[lam[i, j] for i, j in self.lambda_pos], [psi[a, b] for a, b in self.psi_pos], theta])

    def unpack(self, x):
        lam = np.zeros((self.p, self.m))
        for i, j in self.markers:
            lam[i, j] = 1.0
        nl = len(self.lambda_pos)
        for (i, j), v in zip(self.lambda_pos, x[:nl]):
            lam[i, j] = v
        psi = np.zeros((self.m, self.m))
        for (a, b), v in zip(self.psi_pos, x[nl:nl + len(self.psi_pos)]):
            psi[a, b] = psi[b, a] = v
        return lam, psi, np.asarray(x[self.theta_slice], dtype=float)

    def sigma(self, x):
        lam, psi, theta = self.unpack(x)
        return lam @ psi @ lam.T + np.diag(theta)

    def derivatives(self, x):
        """∂Σ/∂θ_k for every free parameter, shape (k, p, p), built by array indexing (no loop in Python)."""
        lam, psi, _ = self.unpack(x)
        lp = lam @ psi
        nl, npsi = len(self.lambda_pos), len(self.psi_pos)
        out = np.zeros((nl + npsi + self.p, self.p, self.p))
        if nl:
            k = np.arange(nl)
            li, lj = np.array(self.lambda_pos).T
            out[k, li, :] += lp[:, lj].T
            out[k, :, li] += lp[:, lj].T  # the diagonal cell (i, i) gets both: 2 (ΛΨ)_ij
        pa, pb = np.array(self.psi_pos).T
        outer = lam[:, pa].T[:, :, None] * lam[:, pb].T[:, None, :]
        off = pa != pb
        outer[off] += outer[off].transpose(0, 2, 1)
        out[nl:nl + npsi] = outer
        diag = np.arange(self.p)
        out[nl + npsi + diag, diag, diag] = 1.0
        return out

    def score(self, x, s):
        """(Σ, gradient of F, expected information of F) at ``x``; traces as matrix products (BLAS)."""
        sigma = self.sigma(x)
        d = self.derivatives(x)
        k = len(d)
        inv = np.linalg.inv(sigma)
        w = inv @ (sigma - s) @ inv
        grad = d.reshape(k, -1) @ w.T.ravel()  # tr(W ∂Σ/∂θ_k)
        a = inv @ d  # Σ⁻¹ ∂Σ/∂θ_k
        info = a.reshape(k, -1) @ a.transpose(0, 2, 1).reshape(k, -1).T  # tr(A_k A_l)
        return sigma, grad, info

    def information(self, x, sigma):
        """Expected information of F (twice lavaan's per-observation information)."""
        return self.score(x, sigma)[2]


def _fisher_scoring(layout: _Layout, s, x):
    return fisher_scoring(lambda v: discrepancy(s, layout.sigma(v)), lambda v: layout.score(v, s)[1:], x,
                          max_iter=_MAX_ITER, step_tol=_STEP_TOL, min_step=_MIN_STEP, descent_slack=_DESCENT_SLACK)


def _semopy_start(x: pd.DataFrame | None, spec: dict, items: list, s: np.ndarray, n: int):
    """Starting values (Λ, Ψ, Θ) from semopy's own fit (of the rows ``x``, or of ``s`` over ``n`` rows when ``x``
    is None), on internal names so that any column label works."""
    p, m = len(items), len(spec)
    lam = np.zeros((p, m))
    for j, its in enumerate(spec.values()):
        lam[[items.index(i) for i in its], j] = 1.0
    fallback = (lam, np.diag([0.5 * min(np.diag(s)[[items.index(i) for i in its]]) for its in spec.values()]),
                0.5 * np.diag(s))
    obs = [f"x{i}" for i in range(p)]
    lat = [f"f{j}" for j in range(m)]
    desc = "\n".join(f"{lat[j]} =~ " + " + ".join(obs[items.index(i)] for i in its)
                     for j, its in enumerate(spec.values()))
    frame = None if x is None else pd.DataFrame(x.to_numpy(), columns=obs)
    logger = logging.getLogger("semopy")
    level = logger.level
    try:
        import semopy

        logger.setLevel(logging.CRITICAL)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            sem = semopy.Model(desc)
            if frame is None:
                sem.fit(cov=pd.DataFrame(s, index=obs, columns=obs), n_samples=n, obj="MLW")
            else:
                sem.fit(frame, obj="MLW")
            mx = sem.inspect(mode="mx", what="est")
        est = (mx["Lambda"].loc[obs, lat].to_numpy(float), mx["Psi"].loc[lat, lat].to_numpy(float),
               np.diag(mx["Theta"].loc[obs, obs].to_numpy(float)))
    except Exception:  # semopy's failure is not the user's problem: start from simple values instead
        return fallback
    finally:
        logger.setLevel(level)
    if not all(np.all(np.isfinite(a)) for a in est):
        return fallback
    return est


def _fit_measures(s, sigma, n, k) -> dict:
    p = len(s)
    df = p * (p + 1) // 2 - k
    chi2 = max(n * discrepancy(s, sigma), 0.0)
    chi2_null = n * (np.sum(np.log(np.diag(s))) - np.linalg.slogdet(s)[1])
    df_null = p * (p - 1) // 2
    indices = fit_indices(chi2, df, chi2_null, df_null, n)
    scale = np.sqrt(np.diag(s))
    resid = (s - sigma) / np.outer(scale, scale)
    srmr = math.sqrt(np.mean(resid[np.tril_indices(p)] ** 2))
    # lavaan lav_fit_gfi (ML): weight matrix Σ⁻¹; AGFI on the p(p+1)/2 variances and covariances
    ws = np.linalg.solve(sigma, s)
    resid_w = ws - np.eye(p)
    gfi = 1 - np.trace(resid_w @ resid_w) / np.trace(ws @ ws)
    agfi = 1 - p * (p + 1) / 2 / df * (1 - gfi) if df > 0 else 1.0
    logl = -n / 2 * (p * math.log(2 * math.pi) + np.linalg.slogdet(sigma)[1] + np.trace(np.linalg.solve(sigma, s)))
    return {"chi2": float(chi2), "df": int(df), **indices, "srmr": float(srmr), "gfi": float(gfi),
            "agfi": float(agfi), "aic": float(-2 * logl + 2 * k), "bic": float(-2 * logl + k * math.log(n))}


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
