"""Factor rotations, written to give the same solutions as R.

* ``varimax``: :func:`stats::varimax` (Kaiser normalisation, eps = 1e-5), as ``psych::fa``
  calls it for ``rotate="varimax"``.
* ``promax``: ``psych::fa(rotate="promax")``, i.e. ``psych::kaiser(L, "Promax")``: rows are
  normalised to unit length, then varimax, then the target ``x |x|^(m-1)`` (m = 4) is
  fitted by least squares, then rows are scaled back. (``stats::promax`` does not normalise
  the rows before building its target, so its loadings differ slightly.)
* ``oblimin``: ``GPArotation::oblimin`` (gamma = 0, i.e. quartimin; no normalisation;
  gradient projection with eps = 1e-5), as ``psych::fa(rotate="oblimin")``.

Each function takes an unrotated loading matrix (items x factors) and returns
``(loadings, phi)`` with ``phi`` None for orthogonal rotations.
"""

from __future__ import annotations

import numpy as np

ROTATIONS = ("varimax", "promax", "oblimin")


class RotationNotConverged(RuntimeError):
    """The rotation criterion did not converge within its iteration limit."""


def varimax(loadings: np.ndarray, *, normalize: bool = True, eps: float = 1e-5, max_iter: int = 1000):
    """Orthogonal varimax rotation; returns (rotated loadings, rotation matrix)."""
    x = np.asarray(loadings, dtype=float)
    p, k = x.shape
    if k < 2:
        return x.copy(), np.eye(k)
    scale = np.sqrt((x ** 2).sum(axis=1)) if normalize else np.ones(p)
    x = x / scale[:, None]
    rot = np.eye(k)
    d = 0.0
    for _ in range(max_iter):
        z = x @ rot
        b = x.T @ (z ** 3 - z * ((z ** 2).sum(axis=0) / p))
        u, s, vt = np.linalg.svd(b)
        rot = u @ vt
        d_past, d = d, s.sum()
        if d < d_past * (1 + eps):
            break
    return (x @ rot) * scale[:, None], rot


def _promax_core(x: np.ndarray, m: int):
    """psych::Promax on already normalised rows: (loadings, phi)."""
    x, rot = varimax(x)
    target = x * np.abs(x) ** (m - 1)
    u = np.linalg.lstsq(x, target, rcond=None)[0]
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u * np.sqrt(d)
    z = x @ u
    u_inv = np.linalg.inv(rot @ u)
    return z, u_inv @ u_inv.T


def promax(loadings: np.ndarray, *, m: int = 4, normalize_rows: bool = True):
    """Oblique promax rotation; returns (loadings, phi).

    ``normalize_rows``: Kaiser-normalise the rows first (psych::kaiser, as psych::fa);
    False gives stats::promax (as psych::principal).
    """
    x = np.asarray(loadings, dtype=float)
    h = np.sqrt((x ** 2).sum(axis=1)) if normalize_rows else np.ones(len(x))
    z, phi = _promax_core(x / h[:, None], m)
    return z * h[:, None], phi


def _oblimin_criterion(lam: np.ndarray, gamma: float):
    k = lam.shape[1]
    x = (lam ** 2) @ (1 - np.eye(k))
    if gamma:
        p = lam.shape[0]
        x = (np.eye(p) - gamma / p) @ x
    return (lam ** 2 * x).sum() / 4, lam * x


def oblimin(loadings: np.ndarray, *, gamma: float = 0.0, eps: float = 1e-5, max_iter: int = 1000):
    """Direct oblimin by gradient projection (Jennrich 2002), as GPArotation::GPFoblq.

    Returns (loadings, phi); raises :class:`RotationNotConverged` after ``max_iter``.
    """
    a = np.asarray(loadings, dtype=float)
    k = a.shape[1]
    t = np.eye(k)
    lam = a @ np.linalg.inv(t).T
    f, gq = _oblimin_criterion(lam, gamma)
    g = -(lam.T @ gq @ np.linalg.inv(t)).T
    step = 1.0
    for _ in range(max_iter + 1):
        gp = g - t * (t * g).sum(axis=0)
        s = np.sqrt((gp ** 2).sum())
        if s < eps:
            return lam, t.T @ t
        step *= 2
        for _ in range(11):
            x = t - step * gp
            t_new = x / np.sqrt((x ** 2).sum(axis=0))
            lam = a @ np.linalg.inv(t_new).T
            f_new, gq = _oblimin_criterion(lam, gamma)
            if f - f_new > 0.5 * s ** 2 * step:
                break
            step /= 2
        t, f = t_new, f_new
        g = -(lam.T @ gq @ np.linalg.inv(t_new)).T
    raise RotationNotConverged(f"oblimin did not converge in {max_iter} iterations")


def rotate(loadings: np.ndarray, rotation: str | None, *, normalize_rows: bool = True):
    """Dispatch on the rotation name; returns (loadings, phi or None)."""
    if rotation is None or loadings.shape[1] < 2:
        return np.asarray(loadings, dtype=float).copy(), None
    if rotation == "varimax":
        return varimax(loadings)[0], None
    if rotation == "promax":
        return promax(loadings, normalize_rows=normalize_rows)
    return oblimin(loadings)
