"""Internal consistency of a scale: Cronbach's alpha, McDonald's omega, item analysis.

* alpha, standardised alpha, Feldt's interval, corrected item-total correlations and alpha
  if item deleted, as R ``psych::alpha`` and SPSS RELIABILITY;
* omega total (one factor) and omega hierarchical (Schmid-Leiman), as ``psych::omega``;
* bootstrap intervals of alpha and omega total (percentile or BCa). The resamples are
  vectorised: a resample's covariance matrix needs only the sums of ``z`` and ``z_j z_l``
  over its rows, i.e. its row counts times a fixed feature matrix, so the work per
  resample is one bincount and one row of a matrix product instead of copying the data.

Omega follows ``psych::omega`` (2.2.9) on the item correlation matrix R: V_t = sum(R),
omega_total = (V_t - sum u2) / V_t with u2 the uniquenesses of a minres fit, of one factor or,
with ``n_groups``, of ``n_groups`` factors. Omega hierarchical comes from the Schmid-Leiman
transformation (``psych::schmid``): minres, varimax, then oblimin (GPArotation, from the
varimax loadings), a one-factor minres of the factor correlations gives each group factor's g
loading (with 2 group factors they are set equal, psych's ``option="equal"``), g = pattern @ g
loadings, and omega_h = (sum g)^2 / V_t. As psych (``flip=TRUE``), items loading negatively on
g count as reverse-keyed in V_t (a warning says so). Where we differ from psych:

* R is computed under ``nan_policy`` (listwise by default); psych always uses
  pairwise-complete correlations (``nan_policy='pairwise'``).
* psych's default is ``nfactors=3``; ours is one factor (omega total only), and group
  factors are asked for with ``n_groups``.
* psych also reports an omega_h for one factor, while warning that it is not meaningful;
  ours is NaN, and ``n_groups`` starts at 2.
* psych accepts any number of group factors; we require 3 or more items per group factor
  and warn when a fitted group factor is defined by fewer than 3 items.
* Our minres optimiser stops later than psych's (L-BFGS-B with a numerical gradient), so
  omegas and g loadings agree with psych to about 1e-7, not to the last digit.

SPSS has no omega.

The bootstrap resamples complete rows (listwise only). Resample b draws
``rng.integers(0, n, n)`` with ``rng = numpy.random.default_rng(seed)``, in order, so a plain
loop over the same draws gives the same replicates; each replicate of omega total refits the
model of the point estimate (warm-started minres, the items keyed as in the point estimate).
BCa intervals take the acceleration from the jackknife (closed form for alpha, leave-one-out
refits for omega) and the quantiles by linear interpolation, as ``scipy.stats.bootstrap`` (the
same draws give the same interval); R ``boot::boot.ci`` interpolates on the normal scale, so
its ends differ slightly. omega_h is not bootstrapped. ``psych::alpha(n.iter=)`` reports
percentile intervals of its own resamples; ``psych::omega(n.iter=)`` normal intervals on
Fisher's z scale. SPSS's Bootstrap module offers percentile and BCa intervals.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._bootstrap import CI_METHODS, bootstrap_interval
from .._checks import item_frame
from .._render import Summary
from .._result import Result
from ..errors import DataError, SurveykitWarning, check_option
from ._common import HEYWOOD_H2, PSI_MIN, check_correlation, correlation
from ._rotation import RotationNotConverged, oblimin, promax
from .efa import fit_factors

__all__ = ["ReliabilityResult", "reliability"]

_CHUNK_BYTES = 64 * 2 ** 20  # resample counts held at once (float64, resamples x rows)
_FEATURE_BYTES = 128 * 2 ** 20  # the feature matrix [z, z_j z_l] is kept whole below this size
_JACK_FLOATS = 2_000_000  # leave-one-out correlation matrices fitted at once (x p x p)
_MAX_REFITS = 200  # resamples whose batched omega fit failed, refitted one by one (about 10 ms each)
_PROGRESS_DRAWS = 2e8  # show a progress bar by default above this many row draws (about a second)


@dataclass(frozen=True)
class ReliabilityResult(Result):
    """Internal consistency of one scale.

    Attributes
    ----------
    alpha, std_alpha : float
        Cronbach's alpha from the covariance matrix; standardised alpha from the correlations.
    ci_low, ci_high : float
        Feldt's confidence interval of alpha at ``ci_level``.
    average_r : float
        Mean inter-item correlation.
    items : DataFrame
        By item: ``mean``, ``sd``, ``r_drop`` (corrected item-total correlation, CITC),
        ``alpha_if_deleted``.
    omega_total : float
        McDonald's omega total, as ``psych::omega``: from one factor when ``n_groups`` is
        None, else from the ``n_groups``-factor model of the Schmid-Leiman solution. NaN,
        with a note, when it cannot be estimated (2 items, a singular correlation matrix).
    omega_h : float
        Omega hierarchical (general-factor saturation); NaN unless ``n_groups`` was given.
    n_groups : int or None
    omega_loadings : DataFrame or None
        The Schmid-Leiman solution when ``n_groups`` was given, by item: ``g`` (general
        factor), ``F1`` ... (group factors, psych's ``F1*``), ``communality``, ``uniqueness``,
        ``g_share`` (g^2 / communality, psych's ``p2``) and ``group`` (the group factor the
        item loads most on). Signs as fitted: an item loading negatively on g is not flipped.
    bootstrap_ci : DataFrame or None
        When ``bootstrap`` > 0, by statistic (``alpha``, ``omega_total``): ``estimate``,
        ``se`` (standard deviation of the replicates), ``ci_low``, ``ci_high``.
    bootstrap_distribution : DataFrame or None
        The replicates, one row per resample, one column per statistic.
    n_boot : int
        Number of bootstrap resamples (0: none).
    ci_method : str or None
        'percentile' or 'bca' when bootstrapped.
    """

    alpha: float
    std_alpha: float
    ci_low: float
    ci_high: float
    ci_level: float
    average_r: float
    items: pd.DataFrame
    n_items: int
    n_obs: int
    n_dropped: int
    nan_policy: str
    omega_total: float = np.nan
    omega_h: float = np.nan
    n_groups: int | None = None
    omega_loadings: pd.DataFrame | None = None
    bootstrap_ci: pd.DataFrame | None = None
    bootstrap_distribution: pd.DataFrame | None = None
    n_boot: int = 0
    ci_method: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.items.copy()

    def summary(self) -> Summary:
        lines = [(f"Cronbach's alpha = {self.alpha:.3f} ({self.ci_level:.0%} CI {self.ci_low:.3f} to "
                  f"{self.ci_high:.3f}, Feldt); standardised alpha = {self.std_alpha:.3f}; "
                  f"mean inter-item r = {self.average_r:.3f}")]
        if self.n_groups is None:
            lines.append(f"McDonald's omega_total = {self.omega_total:.3f} (one factor, minres)"
                         if np.isfinite(self.omega_total) else "McDonald's omega_total: not available (see notes)")
        else:
            lines.append(f"omega_h = {self.omega_h:.3f}, omega_total = {self.omega_total:.3f} (Schmid-Leiman: minres, "
                         f"oblimin, {self.n_groups} group factors)")
        lines.append(f"{self.n_items} items, n = {self.n_obs} ({self.n_dropped} rows dropped, "
                     f"nan_policy={self.nan_policy!r})")
        tables = [("Item analysis", self.items)]
        if self.omega_loadings is not None:
            tables.append(("Schmid-Leiman loadings", self.omega_loadings))
        if self.bootstrap_ci is not None:
            lines.append(f"Bootstrap: {self.n_boot} resamples of the {self.n_obs} rows, {self.ci_level:.0%} "
                         f"{'BCa' if self.ci_method == 'bca' else 'percentile'} intervals")
            tables.append(("Bootstrap", self.bootstrap_ci))
        lines += self.notes
        return Summary(title="Reliability", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<ReliabilityResult alpha={self.alpha:.3f} omega_total={self.omega_total:.3f} "
                f"n_items={self.n_items} n_obs={self.n_obs}>")


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


# ---------------------------------------------------------------------------------------------
# omega


def _omega(r: np.ndarray, n_groups: int | None, items: list) -> dict:
    """``psych::omega(r, nfactors)`` (psych 2.2.9: ``omegah`` and ``schmid``) on a correlation matrix.

    One factor (``n_groups`` None): minres; omega_total = (V_t - sum u2) / V_t. With
    groups: minres with ``n_groups`` factors, varimax, then oblimin from the varimax
    loadings (as ``schmid``), a one-factor minres of the factor correlations (two groups:
    g loadings set equal, psych's ``option="equal"``), g = pattern @ g loadings; items
    loading negatively on g are reversed in V_t (psych ``flip=TRUE``). Returns the omegas,
    the loadings, the keys and the unrotated fit (to warm-start the bootstrap), and notes.
    """
    p = len(r)
    nf = 1 if n_groups is None else n_groups
    notes = []
    fitted = fit_factors(r, nf, "minres", "varimax" if nf > 1 else None)
    notes += fitted["notes"]
    unrotated, orth = fitted["unrotated"], fitted["loadings"]
    h2 = (unrotated ** 2).sum(axis=1)
    u2 = 1 - h2
    at_bound = fitted["psi_at_bound"] if fitted["psi_at_bound"] is not None else np.zeros(p, bool)
    heywood = [items[i] for i in range(p) if at_bound[i] or h2[i] >= HEYWOOD_H2]
    if heywood:
        fix = "drop one of those items." if nf == 1 else "try fewer group factors or drop one of those items."
        notes.append(f"Heywood case in the omega factor model: items {heywood} have communalities at or near 1 "
                     f"(uniqueness at psych's bound {PSI_MIN}); omega is improper: {fix}")
    if nf == 1:
        fload, gload = orth, np.ones(1)
    else:
        try:
            fload, phi = oblimin(orth)
        except RotationNotConverged as exc:  # psych falls back to Promax when oblimin fails
            notes.append(f"The oblimin rotation of the omega model did not converge ({exc}); Promax used instead, "
                         "as psych does when oblimin fails.")
            fload, phi = promax(orth, normalize_rows=False)
        if nf == 2:
            gload = np.sqrt(abs(phi[0, 1])) * np.array([1.0, np.sign(phi[0, 1]) or 1.0])
            notes.append("With 2 group factors the general factor is not identified: its loadings on the two are set "
                         "equal, sqrt(r12) (psych option='equal'); omega_h rests on that assumption. Use 3 or more "
                         "group factors if the scale has them.")
        else:
            second = fit_factors(phi, 1, "minres", None)
            notes += [f"Second-order factor: {note}" for note in second["notes"]]
            gload = second["loadings"][:, 0]
            bound = second["psi_at_bound"] is not None and second["psi_at_bound"].any()
            if bound or (gload ** 2 >= HEYWOOD_H2).any():
                notes.append(f"Heywood case in the second-order factor: a group factor loads {abs(gload).max():.3f} "
                             "on g (at or near 1); omega_h is improper: try fewer group factors.")
    g = fload @ gload
    key = np.where(g < 0, -1.0, 1.0)
    vt = float(key @ r @ key)
    group = np.sign(fload) * np.sqrt(np.clip(fload ** 2 * (1 - gload ** 2), 0, None))
    if (key < 0).any():
        flipped = [items[i] for i in np.flatnonzero(key < 0)]
        notes.append(f"Items {flipped} load negatively on the {'general ' if nf > 1 else ''}factor: omega counts them "
                     "reverse-keyed (as psych::omega, flip=TRUE), alpha does not; reverse-code them first.")
    out = {"omega_total": (vt - u2.sum()) / vt, "omega_h": abs(g).sum() ** 2 / vt, "g": g, "key": key,
           "unrotated": unrotated, "h2": h2, "u2": u2, "notes": notes}
    if nf > 1:
        assigned = np.argmax(abs(group), axis=1)
        names = [f"F{j + 1}" for j in range(nf)]
        thin = {names[j]: [items[i] for i in np.flatnonzero(assigned == j)] for j in range(nf)}
        thin = {f: its for f, its in thin.items() if len(its) < 3}
        if thin:
            notes.append(f"Group factors with fewer than 3 items (the items loading most on them): {thin}; such a "
                         "group factor is poorly identified and omega_h may be off: use fewer group factors.")
        table = pd.DataFrame(group, index=pd.Index(items, name="item"), columns=names)
        table.insert(0, "g", g)
        out["loadings"] = table.assign(communality=h2, uniqueness=u2, g_share=g ** 2 / h2,
                                       group=[names[j] for j in assigned])
    return out


def _paf_step(r: np.ndarray, psi: np.ndarray, k: int) -> np.ndarray:
    """The exact principal-axis map psi -> clip(1 - diag(L L')), L the top-k eigenpairs of R - Psi."""
    e, vec = np.linalg.eigh(r - np.diag(psi))
    return np.clip(1 - (np.maximum(e[-k:], 0) * vec[:, -k:] ** 2).sum(axis=1), PSI_MIN, 1.0)


def _chord(r: np.ndarray, psi: np.ndarray, k: int) -> np.ndarray | None:
    """(I - J)^-1 with J the Jacobian of :func:`_paf_step` at its fixed point psi (central differences).

    Preconditions the iteration of problems near this one (the leave-one-out fits of the
    jackknife): plain principal-axis steps shrink the error by the spectral radius of J,
    which can be 0.99; chord steps by about the distance to this problem.
    """
    p, h = len(psi), 1e-6
    jac = np.empty((p, p))
    for j in range(p):
        d = np.zeros(p)
        d[j] = h
        jac[:, j] = (_paf_step(r, psi + d, k) - _paf_step(r, psi - d, k)) / (2 * h)
    try:
        chord = np.linalg.inv(np.eye(p) - jac)
    except np.linalg.LinAlgError:
        return None
    return chord if np.isfinite(chord).all() else None


def _minres_batch(r: np.ndarray, psi0: np.ndarray, v0: np.ndarray, *, chord: np.ndarray | None = None,
                  tol: float = 1e-12, max_iter: int = 1000):
    """Minres fits of a stack of correlation matrices (B x p x p), warm-started.

    Principal-axis iteration: psi <- 1 - diag(L L'), L from the top-k eigenpairs of
    R - Psi, each step taking one block power step from the previous eigenvectors; its
    fixed points (psi clipped at psych's bound 0.005) are the stationary points of the
    minres criterion, i.e. the optimum the L-BFGS of efa finds. ``chord`` (see
    :func:`_chord`) preconditions the steps. Matrices that have converged (largest step
    below ``tol``) drop out. Returns (u2 = 1 - communality, converged), shapes (B, p), (B,).
    """
    b, p, _ = r.shape
    k = v0.shape[1]
    psi = np.repeat(psi0[None], b, axis=0)
    v = np.repeat(v0[None], b, axis=0)
    u2 = np.full((b, p), np.nan)
    converged = np.zeros(b, bool)
    active = np.arange(b)
    done = np.zeros(b, bool)
    for _ in range(max_iter):
        w = r @ v - psi[:, :, None] * v
        if k == 1:
            v = w / np.linalg.norm(w, axis=1, keepdims=True)
            e = (v * (r @ v - psi[:, :, None] * v)).sum(axis=1)
        else:
            q = np.linalg.qr(w)[0]
            e, u = np.linalg.eigh(q.transpose(0, 2, 1) @ (r @ q - psi[:, :, None] * q))
            v, e = q @ u[:, :, ::-1], e[:, ::-1]
        h2 = (np.maximum(e, 0)[:, None, :] * v ** 2).sum(axis=2)
        step = np.clip(1 - h2, PSI_MIN, 1.0) - psi
        new = (np.abs(step).max(axis=1) < tol) & ~done
        if new.any():
            u2[active[new]] = 1 - h2[new]
            converged[active[new]] = True
            done |= new
        if done.all():
            break
        if done.mean() > 0.25:  # drop the converged matrices
            keep = ~done
            active, r, psi, v, step, done = active[keep], r[keep], psi[keep], v[keep], step[keep], done[keep]
        psi = np.clip(psi + (step if chord is None else step @ chord.T), PSI_MIN, 1.0)
    else:
        rest = ~done
        u2[active[rest]] = 1 - h2[rest]
    return u2, converged


def _omega_total_batch(r: np.ndarray, key: np.ndarray, fit: dict, *, check: bool):
    """Omega total of each correlation matrix of a stack, the model and item keys of the point estimate.

    Returns (omega total, Heywood case) arrays; NaN where a matrix has no correlations
    (an item constant in the resample) or the fit failed.

    ``check``: confirm each fixed point with a full eigendecomposition (the bootstrap
    replicates, which can be far from the point estimate; the leave-one-out problems of the
    jackknife are not, and are iterated with chord steps instead). Matrices whose
    iteration failed are refitted with the L-BFGS minres of efa, up to ``_MAX_REFITS``.
    """
    out = np.full(len(r), np.nan)
    ok = np.isfinite(r).all(axis=(1, 2))
    if not ok.any():
        return out, np.zeros(len(r), bool)
    rr = r[ok]
    unrotated = fit["unrotated"]
    k = unrotated.shape[1]
    v0 = unrotated / np.linalg.norm(unrotated, axis=0)
    psi0 = np.clip(fit["u2"], PSI_MIN, 1.0)
    u2, converged = _minres_batch(rr, psi0, v0, chord=None if check else fit.get("chord"))
    if check:
        m = rr.copy()
        m[:, np.arange(len(key)), np.arange(len(key))] -= np.clip(u2, PSI_MIN, 1.0)
        e, vec = np.linalg.eigh(m)
        h2 = (np.maximum(e[:, -k:], 0)[:, None, :] * vec[:, :, -k:] ** 2).sum(axis=2)
        converged &= np.abs((1 - h2) - u2).max(axis=1) < 1e-8
    for i in np.flatnonzero(~converged)[:_MAX_REFITS]:
        try:
            refit = fit_factors(rr[i], k, "minres", None)
        except (np.linalg.LinAlgError, ValueError):
            continue
        u2[i] = 1 - (refit["unrotated"] ** 2).sum(axis=1)
        converged[i] = True
    vt = np.einsum("i,bij,j->b", key, rr, key)
    out[ok] = np.where(converged, 1 - u2.sum(axis=1) / vt, np.nan)
    heywood = np.zeros(len(r), bool)
    heywood[ok] = (u2 <= 1 - HEYWOOD_H2).any(axis=1)
    return out, heywood


# ---------------------------------------------------------------------------------------------
# bootstrap


def _resample_moments(z: np.ndarray, n_boot: int, rng: np.random.Generator, progress: bool) -> np.ndarray:
    """Sums of z_j and of z_j z_l (j <= l) over the rows of each bootstrap resample.

    Resample b is ``rng.integers(0, n, n)``, drawn in order b = 0, 1, ..., exactly as the
    naive loop ``for b in range(B): idx = rng.integers(0, n, n)`` draws it. Its row counts
    W_b (a bincount) times the features F = [z, z_j z_l] give its sums. Counts are built
    for a chunk of resamples at a time (at most ``_CHUNK_BYTES``) and multiplied block of
    rows by block of rows: every result is a sum of per-block partial sums ``W[:, rows] @
    F[rows]``, so the same scheme runs over row partitions of a larger-than-memory table.
    Returns a (n_boot, k + k(k+1)/2) array.
    """
    n, k = z.shape
    m = k + k * (k + 1) // 2

    def features(rows):  # [z_1 .. z_k, z_1 z_1, z_1 z_2, .., z_k z_k] (np.triu_indices order), no big temporaries
        zb = z[rows]
        out = np.empty((len(zb), m))
        out[:, :k] = zb
        col = k
        for j in range(k):
            np.multiply(zb[:, j:j + 1], zb[:, j:], out=out[:, col:col + k - j])
            col += k - j
        return out

    whole = n * m * 8 <= _FEATURE_BYTES
    cached = [(slice(0, n), features(slice(0, n)))] if whole else None
    size = max(1, _FEATURE_BYTES // 4 // (8 * m))

    def blocks():  # the features whole, or recomputed block by block for every chunk of resamples
        if cached is not None:
            yield from cached
        else:
            for s in range(0, n, size):
                yield slice(s, s + size), features(slice(s, s + size))

    chunk = int(max(1, min(n_boot, _CHUNK_BYTES // (8 * n))))
    counts = np.empty((chunk, n))
    out = np.empty((n_boot, m))
    from tqdm.auto import tqdm

    with tqdm(total=n_boot, desc="bootstrap", unit="resample", disable=not progress, leave=False) as bar:
        for start in range(0, n_boot, chunk):
            c = min(chunk, n_boot - start)
            for j in range(c):
                counts[j] = np.bincount(rng.integers(0, n, n), minlength=n)
            acc = out[start:start + c]
            acc[:] = 0.0
            for rows, fb in blocks():
                acc += counts[:c, rows] @ fb
            bar.update(c)
    return out


def _covariances(sums: np.ndarray, n: int, k: int) -> np.ndarray:
    """Covariance matrices (B x k x k) from the sums of :func:`_resample_moments`."""
    iu, ju = np.triu_indices(k)
    s1 = sums[:, :k]
    s2 = np.empty((len(sums), k, k))
    s2[:, iu, ju] = sums[:, k:]
    s2[:, ju, iu] = sums[:, k:]
    return (s2 - s1[:, :, None] * s1[:, None, :] / n) / (n - 1)


def _to_correlation(cov: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.einsum("bii->bi", cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        return cov / (d[:, :, None] * d[:, None, :])


def _jackknife(z: np.ndarray, fit: dict | None) -> dict:
    """Leave-one-out alpha (closed form) and omega total (warm-started batched refits).

    Deleting row i of centred data z changes the cross-product matrix S = z'z to
    S - n/(n-1) z_i z_i'; alpha needs only its trace and sum.
    """
    n, k = z.shape
    s = z.T @ z
    a = n / (n - 1)
    out = {"alpha": k / (k - 1) * (1 - (np.trace(s) - a * (z ** 2).sum(axis=1)) / (s.sum() - a * z.sum(axis=1) ** 2))}
    if fit is not None:
        d = np.sqrt(np.diag(s))
        fit = {**fit, "chord": _chord(s / np.outer(d, d), np.clip(fit["u2"], PSI_MIN, 1.0), fit["unrotated"].shape[1])}
        omega = np.empty(n)
        step = max(1, _JACK_FLOATS // (k * k))
        for start in range(0, n, step):
            zc = z[start:start + step]
            loo = s[None] - a * zc[:, :, None] * zc[:, None, :]
            omega[start:start + step] = _omega_total_batch(_to_correlation(loo), fit["key"], fit, check=False)[0]
        out["omega_total"] = omega
    return out


def _bootstrap(x: np.ndarray, estimates: dict, omega_fit: dict | None, *, n_boot: int, level: float, method: str,
               rng: np.random.Generator, progress: bool, notes: list):
    """Bootstrap table and replicates of alpha (and omega total when ``omega_fit`` is given)."""
    n, k = x.shape
    z = x - x.mean(axis=0)  # centred once: no cancellation in the resample sums
    cov = _covariances(_resample_moments(z, n_boot, rng, progress), n, k)
    reps = {"alpha": k / (k - 1) * (1 - np.einsum("bii->b", cov) / cov.sum(axis=(1, 2)))}
    if omega_fit is not None:
        reps["omega_total"], heywood = _omega_total_batch(_to_correlation(cov), omega_fit["key"], omega_fit, check=True)
        if heywood.any():
            notes.append(f"{heywood.sum()} of {n_boot} bootstrap resamples gave a Heywood case (a communality at or "
                         "near 1) in the omega model; its interval includes those improper solutions.")
    jack = _jackknife(z, omega_fit) if method == "bca" else {}
    rows = []
    for name, theta in reps.items():
        finite = np.isfinite(theta)
        if not finite.all():
            notes.append(f"{(~finite).sum()} of {n_boot} bootstrap resamples gave no {name} (an item constant "
                         "within the resample, or a fit that did not converge); the interval uses the others.")
        tb = theta[finite]
        low = high = np.nan
        if len(tb):
            low, high = bootstrap_interval(tb, estimates[name], jack.get(name), level, method)
        if not np.isfinite([low, high]).all():
            notes.append(f"The bootstrap interval of {name} cannot be computed (degenerate replicates, or for BCa "
                         "a leave-one-out sample without a value).")
        rows.append({"statistic": name, "estimate": estimates[name], "se": float(np.std(tb, ddof=1)) if len(tb) > 1
                     else np.nan, "ci_low": low, "ci_high": high})
    table = pd.DataFrame(rows).set_index("statistic")
    return table, pd.DataFrame(reps, index=pd.RangeIndex(n_boot, name="resample"))


# ---------------------------------------------------------------------------------------------


def _check_options(ci_level, bootstrap, ci_method, nan_policy) -> None:
    if not 0 < ci_level < 1:
        raise ValueError(f"The 'ci_level' parameter of reliability must be between 0 and 1. Got {ci_level!r} instead.")
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise ValueError("The 'bootstrap' parameter of reliability must be a non-negative integer (the number of "
                         f"resamples; 0 for none). Got {bootstrap!r} instead.")
    check_option("ci_method", ci_method, CI_METHODS, function="reliability")
    if bootstrap and nan_policy != "listwise":
        raise ValueError("The 'bootstrap' option of reliability resamples complete rows and needs "
                         f"nan_policy='listwise'. Got nan_policy={nan_policy!r}.")


def _feldt(alpha: float, n: int, k: int, ci_level: float) -> tuple[float, float]:
    """Feldt's interval of alpha: 1 - (1 - alpha) F_q(n - 1, (n - 1)(k - 1))."""
    q = 1 - ci_level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (1 - (1 - alpha) * stats.f.ppf(1 - q / 2, df1, df2), 1 - (1 - alpha) * stats.f.ppf(q / 2, df1, df2))


def _check_groups(n_groups, k: int) -> int | None:
    """``n_groups`` as an int from 2 to k // 3 (3 or more items per group factor), or None."""
    if n_groups is None:
        return None
    top = k // 3
    if isinstance(n_groups, bool) or not isinstance(n_groups, (int, np.integer)) or not 2 <= n_groups <= top:
        allowed = f"None or an integer from 2 to {top}" if top >= 2 else "None"
        raise ValueError(f"The 'n_groups' parameter of reliability must be {allowed} (3 or more items per group "
                         f"factor; {k} items). Got {n_groups!r} instead.")
    return int(n_groups)


def _item_analysis(names: list, means: np.ndarray, sd: np.ndarray, cov: np.ndarray, notes: list) -> pd.DataFrame:
    """By item: mean, sd, corrected item-total correlation and alpha if deleted; a note on negative ones."""
    k = cov.shape[0]
    r_drop, if_deleted = np.empty(k), np.empty(k)
    for i in range(k):
        rest = np.delete(np.arange(k), i)
        sub = cov[np.ix_(rest, rest)]
        r_drop[i] = cov[i, rest].sum() / np.sqrt(cov[i, i] * sub.sum())
        if_deleted[i] = _alpha(sub) if k > 2 else np.nan
    items = pd.DataFrame({"mean": means, "sd": sd, "r_drop": r_drop, "alpha_if_deleted": if_deleted},
                         index=pd.Index(names, name="item"))
    negative = items.index[items["r_drop"] < 0].tolist()
    if negative:
        notes.append(f"Items {negative} correlate negatively with the rest of the scale: are they reverse-worded "
                     "and not yet reverse-coded?")
    return items


def _omega_or_note(names: list, n: int, corr_of_rows, n_groups, notes: list, quiet: list):
    """The omega fit of the items, or None with a note saying why omega_total is NaN."""
    if len(names) < 3:
        quiet.append("omega_total needs 3 or more items (one factor of 2 items is not identified); it is NaN.")
        return None
    r = corr_of_rows()
    try:
        notes += check_correlation(r, names, n_obs=n, function="reliability")
        om = _omega(r, n_groups, names)
    except (DataError, np.linalg.LinAlgError) as exc:
        if n_groups is not None:
            raise
        notes.append(f"omega_total could not be estimated ({exc}); it is NaN.")
        return None
    notes += om["notes"]
    return om


def reliability(data: pd.DataFrame, *, nan_policy: str = "listwise", ci_level: float = 0.95,
                n_groups: int | None = None, bootstrap: int = 0, ci_method: str = "bca",
                seed: int | np.random.Generator | None = None, progress: bool | None = None) -> ReliabilityResult:
    """Cronbach's alpha, McDonald's omega and item analysis, with Feldt's and bootstrap CIs.

    Parameters
    ----------
    data : DataFrame
        One column per item, already reverse-coded where needed.
    nan_policy : {'listwise', 'pairwise'}
        'listwise' (default) uses respondents who answered every item, as SPSS
        RELIABILITY does; 'pairwise' uses pairwise-complete covariances, as R
        ``psych::alpha`` does by default.
    ci_level : float, default 0.95
        Level of Feldt's interval and of the bootstrap intervals.
    n_groups : int, optional
        Number of group factors of a Schmid-Leiman solution, to estimate omega
        hierarchical (``omega_h``) as ``psych::omega(nfactors=n_groups)``; from 2 to a
        third of the number of items (3 or more items per group factor). By default only
        omega total is estimated, from one factor.
    bootstrap : int, default 0
        Number of bootstrap resamples of the respondents (rows) for intervals of alpha and
        omega total; 0 for none, 2,000 or more for stable interval ends. Needs
        ``nan_policy='listwise'``: a resample draws whole rows.
    ci_method : {'bca', 'percentile'}
        Bootstrap interval: bias-corrected and accelerated (default, as
        ``scipy.stats.bootstrap``) or percentile.
    seed : int or numpy.random.Generator, optional
        Seed of the resampling; the same seed gives the same intervals.
    progress : bool, optional
        Show a progress bar while resampling; by default only for long runs (rows x
        resamples of 2e8 or more).

    Returns
    -------
    ReliabilityResult

    Raises
    ------
    ValueError
        Bad options: ``bootstrap`` negative or not an integer, ``n_groups`` outside 2 to
        items // 3, ``bootstrap`` with ``nan_policy='pairwise'``.
    DataError
        Constant items, too few rows; with ``n_groups``, a singular correlation matrix.

    Warns
    -----
    SurveykitWarning
        When an item correlates negatively with the rest of the scale (probably needs
        reverse-coding), an omega model is improper (Heywood case), a group factor has
        fewer than 3 items, the correlation matrix is near-singular, or some bootstrap
        resamples gave no value; each note is also kept on the result.

    Notes
    -----
    Formulas as R ``psych::alpha`` (2.2.9): alpha = k/(k-1) (1 - tr C / sum C);
    standardised alpha = k r̄ / (1 + (k-1) r̄), with r̄ the mean off-diagonal element of
    ``cov2cor(C)`` (under pairwise deletion this is not the mean pairwise correlation); the corrected item-total correlation of item
    i is ``sum_j!=i C_ij / sqrt(C_ii * sum_{j,l != i} C_jl)``; Feldt's interval is
    ``1 - (1 - alpha) F_q(n-1, (n-1)(k-1))``, with n the rows used (psych counts every row
    of the data it is given). With listwise deletion these equal SPSS RELIABILITY's
    Cronbach's alpha, "Corrected Item-Total Correlation" and "Cronbach's Alpha if Item
    Deleted".

    Omega (``psych::omega``, with where it differs from psych) and the bootstrap (BCa as
    ``scipy.stats.bootstrap``) are set out in the module docstring. SPSS has no omega.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import reliability
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
    >>> res = reliability(items, bootstrap=1000, seed=7)
    >>> round(res.alpha, 2), round(res.omega_total, 2)
    (0.74, 0.74)
    >>> res.bootstrap_ci.loc["alpha", ["ci_low", "ci_high"]].round(2).tolist()  # BCa, 1,000 resamples
    [0.69, 0.79]
    """
    _check_options(ci_level, bootstrap, ci_method, nan_policy)
    x, dropped = item_frame(data, function="reliability", nan_policy=nan_policy)
    n_groups = _check_groups(n_groups, x.shape[1])
    est = _estimates(x.cov().to_numpy(), x.mean().to_numpy(), list(x.columns), len(x), lambda: correlation(x),
                     ci_level, n_groups)
    table = reps = None
    if bootstrap:
        om, show = est["omega"], len(x) * bootstrap >= _PROGRESS_DRAWS if progress is None else progress
        table, reps = _bootstrap(x.to_numpy(), {"alpha": est["alpha"], **({"omega_total": om["omega_total"]} if om
                                                                          else {})}, om, n_boot=int(bootstrap),
                                 level=ci_level, method=ci_method, rng=np.random.default_rng(seed),
                                 progress=bool(show), notes=est["notes"])
    return _result(est, n_dropped=int(dropped), nan_policy=nan_policy, n_groups=n_groups, ci_level=ci_level,
                   bootstrap_ci=table, bootstrap_distribution=reps, n_boot=int(bootstrap),
                   ci_method=ci_method if bootstrap else None)


def _estimates(cov: np.ndarray, means: np.ndarray, names: list, n: int, corr_of_rows, ci_level: float,
               n_groups: int | None) -> dict:
    """Alpha, Feldt's interval, item analysis and omega (of ``corr_of_rows()``) from the items' covariance."""
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)  # psych: cov2cor(C), which differs from cor() under pairwise deletion
    k, alpha, notes, quiet = cov.shape[0], _alpha(cov), [], []
    r_bar = (corr.sum() - k) / (k * (k - 1))
    items = _item_analysis(names, means, sd, cov, notes)
    om = _omega_or_note(names, n, corr_of_rows, n_groups, notes, quiet)
    return {"alpha": alpha, "std_alpha": k * r_bar / (1 + (k - 1) * r_bar), "feldt": _feldt(alpha, n, k, ci_level),
            "average_r": r_bar, "items": items, "k": k, "n": n, "omega": om, "notes": notes, "quiet": quiet}


def _result(est: dict, *, n_dropped: int, nan_policy: str, n_groups, ci_level: float, **boot) -> ReliabilityResult:
    notes, om = est["notes"], est["omega"]
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=3)
    return ReliabilityResult(
        alpha=float(est["alpha"]), std_alpha=float(est["std_alpha"]), ci_low=float(est["feldt"][0]),
        ci_high=float(est["feldt"][1]), ci_level=ci_level, average_r=float(est["average_r"]), items=est["items"],
        n_items=est["k"], n_obs=est["n"], n_dropped=int(n_dropped), nan_policy=nan_policy,
        omega_total=float(om["omega_total"]) if om else np.nan, n_groups=n_groups, notes=tuple(notes + est["quiet"]),
        omega_h=float(om["omega_h"]) if om and n_groups else np.nan, omega_loadings=om and om.get("loadings"), **boot)


def reliability_from_moments(cov: pd.DataFrame, mean, n_obs: int, *, n_dropped: int = 0, ci_level: float = 0.95,
                             n_groups: int | None = None) -> ReliabilityResult:
    """:func:`reliability` (listwise, no bootstrap) from the complete rows' ``cov`` (n - 1, labelled by item), ``mean``
    and ``n_obs``, e.g. merged from the blocks of a Dask frame; omega from ``cov2cor(cov)``, their correlations.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.psychometrics.reliability import reliability, reliability_from_moments
    >>> items = pd.DataFrame(np.random.default_rng(1).normal(size=(300, 4)) @ (1 + np.eye(4)), columns=list("abcd"))
    >>> r = reliability_from_moments(items.cov(), items.mean(), len(items))
    >>> bool(np.isclose(r.alpha, reliability(items).alpha, rtol=1e-12)), r.n_obs
    (True, 300)
    """
    c = np.asarray(cov, dtype=float)
    if not isinstance(cov, pd.DataFrame) or c.shape[0] != c.shape[1] or c.shape[0] < 2 or not (np.diag(c) > 0).all():
        raise ValueError("The 'cov' parameter of reliability_from_moments must be a square DataFrame of 2 or more "
                         f"items with a positive variance each, labelled by item. Got {type(cov).__name__} of shape "
                         f"{c.shape} instead.")
    if n_obs < 3:
        raise DataError(f"reliability_from_moments: only {n_obs} complete rows.")
    n_groups = _check_groups(n_groups, c.shape[0])
    est = _estimates(c, np.asarray(mean, dtype=float), list(cov.columns), int(n_obs),
                     lambda: c / np.sqrt(np.outer(np.diag(c), np.diag(c))), ci_level, n_groups)
    return _result(est, n_dropped=n_dropped, nan_policy="listwise", n_groups=n_groups, ci_level=ci_level)
