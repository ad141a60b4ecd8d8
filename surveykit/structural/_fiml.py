"""Full-information ML with missing answers (lavaan's ``missing = "ml"``; private to ``structural``).

Respondents are grouped by their pattern of answered variables; each pattern contributes the
normal log-likelihood of its answered variables under the rows and columns of the implied
moments that it answers (casewise ML). The saturated (unrestricted H1) model is fitted by EM
(means and covariances of all variables), so that χ² = 2 (log L_H1 - log L_H0); the baseline is
the independence model fitted by FIML (each variable's mean and variance from its answers). A
row with no answer is dropped (lavaan: "some cases are empty and will be ignored").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._ml import fisher_scoring
from . import _ram
from ._ram import Table

__all__ = ["Patterns", "baseline_loglik", "em_saturated", "fit_fiml", "loglik", "objective", "patterns", "score"]

_EM_TOL = 1e-9       # EM stops when the largest change of a mean or covariance is below this (lavaan: 1e-5)
_EM_MAX_ITER = 10000


@dataclass
class Patterns:
    """The respondents of one group, by pattern of answered variables, as stacked arrays (one slice per
    pattern): which variables it answers, how many respondents, their means and covariances (divided by
    n) embedded in p-vectors and p x p matrices with zeros for the unanswered variables."""

    group: int
    mask: np.ndarray      # (P, p) bool
    counts: np.ndarray    # (P,)
    mean: np.ndarray      # (P, p)
    cov: np.ndarray       # (P, p, p)

    @property
    def outer(self):
        return self.mask[:, :, None] & self.mask[:, None, :]


def patterns(arrays) -> list:
    """The missing-data patterns of each group's array (rows with no answer must be dropped first)."""
    out = []
    for g, y in enumerate(arrays):
        answered = ~np.isnan(y)
        keys, inverse = np.unique(answered, axis=0, return_inverse=True)
        inverse = np.ravel(inverse)
        p = y.shape[1]
        mean, cov = np.zeros((len(keys), p)), np.zeros((len(keys), p, p))
        counts = np.bincount(inverse, minlength=len(keys))
        for k, key in enumerate(keys):
            rows = y[inverse == k][:, key]
            d = rows - rows.mean(axis=0)
            mean[k, key] = rows.mean(axis=0)
            cov[k][np.ix_(key, key)] = d.T @ d / len(rows)
        out.append(Patterns(g, keys, counts, mean, cov))
    return out


def _terms(sig, mu, pats: Patterns):
    """(log|Σ_oo|, Σ_oo⁻¹ embedded, d = ȳ_o - μ_o embedded) of every pattern; None when some Σ_oo is
    not positive definite. Σ with the unanswered rows and columns replaced by the identity has the
    same determinant and, on the answered block, the same inverse as Σ_oo."""
    outer = pats.outer
    masked = np.where(outer, sig, np.eye(len(mu)))
    sign, logdet = np.linalg.slogdet(masked)
    if np.any(sign <= 0):
        return None
    inv = np.linalg.inv(masked) * outer
    return logdet, inv, (pats.mean - mu) * pats.mask


def loglik(moments, pats_list) -> float:
    """The casewise log-likelihood of all respondents at the per-group moments [(Σ, μ), ...]."""
    total = 0.0
    for pats in pats_list:
        sig, mu = moments[pats.group]
        terms = _terms(sig, mu, pats)
        if terms is None:
            return -np.inf
        logdet, inv, d = terms
        quad = np.einsum("Pab,Pab->P", inv, pats.cov) + np.einsum("Pa,Pab,Pb->P", d, inv, d)
        total -= float(np.sum(pats.counts / 2 * (pats.mask.sum(axis=1) * math.log(2 * math.pi) + logdet + quad)))
    return total


def objective(table: Table, theta, pats, n: int) -> float:
    """F = -2 log L / N (inf outside the positive definite region)."""
    return -2 * loglik(table.moments(theta), pats) / n


def score(table: Table, theta, pats_list, n: int, info_too: bool = True):
    """(gradient of F, the expected information of F used for the Fisher steps, or None without
    ``info_too``). The gradient is summed over patterns in Σ and μ first, then mapped to θ once."""
    k = table.n_free
    d_sig, d_mu = table.derivatives(theta)
    moments = table.moments(theta)
    grad = np.zeros(k)
    info = np.zeros((k, k)) if info_too else None
    for pats in pats_list:
        g = pats.group
        sig, mu = moments[g]
        _, inv, d = _terms(sig, mu, pats)
        w = pats.counts / n
        s_star = pats.cov + d[:, :, None] * d[:, None, :]
        g_sig = np.einsum("P,Pab->ab", w, inv - inv @ s_star @ inv)
        g_mu = -2 * np.einsum("P,Pab,Pb->a", w, inv, d)
        grad += d_sig[g].reshape(k, -1) @ g_sig.ravel() + d_mu[g] @ g_mu
        if info_too:  # Σ_P w_P tr(Σ_P⁻¹ ∂_k Σ Σ_P⁻¹ ∂_l Σ) + 2 ∂_k μᵀ (Σ_P w_P Σ_P⁻¹) ∂_l μ, as matrix products
            a = np.matmul(inv[:, None], d_sig[g][None])                      # (P, k, p, p)
            left = (a * w[:, None, None, None]).transpose(1, 0, 2, 3).reshape(k, -1)
            right = a.transpose(1, 0, 3, 2).reshape(k, -1)
            info += left @ right.T
            info += 2 * d_mu[g] @ np.tensordot(w, inv, axes=1) @ d_mu[g].T
    return grad, info


def fit_fiml(table: Table, pats, n: int, x):
    """(theta, converged, iterations) of the casewise ML fit from x."""
    return fisher_scoring(lambda v: objective(table, v, pats, n), lambda v: score(table, v, pats, n), x,
                          max_iter=_ram._MAX_ITER, step_tol=_ram._STEP_TOL, min_step=_ram._MIN_STEP)


def em_saturated(y, pats: Patterns):
    """(Σ, μ, converged) of one group's variables with blanks, by EM from the available-case moments.

    Batched over patterns: with B = Σ Σ_oo⁻¹ (embedded), a respondent's expected answers are μ + B d
    and the conditional covariance of the unanswered ones is Σ - B Σ, so the expected sums of
    squares of a pattern follow from its mean and covariance alone.
    """
    mu = np.nanmean(y, axis=0)
    sig = np.diag(np.nanvar(y, axis=0))
    w = pats.counts / pats.counts.sum()
    for _ in range(_EM_MAX_ITER):
        _, inv, d = _terms(sig, mu, pats)
        b = sig @ inv
        fill = mu + np.einsum("Pab,Pb->Pa", b, d)
        second = (fill[:, :, None] * fill[:, None, :] + b @ pats.cov @ b.transpose(0, 2, 1) + sig - b @ sig)
        new_mu = w @ fill
        new_sig = np.einsum("P,Pab->ab", w, second) - np.outer(new_mu, new_mu)
        new_sig = (new_sig + new_sig.T) / 2
        change = max(np.max(np.abs(new_mu - mu)), np.max(np.abs(new_sig - sig)))
        mu, sig = new_mu, new_sig
        if change < _EM_TOL:
            return sig, mu, True
    return sig, mu, False


def baseline_loglik(y) -> float:
    """log L of the independence model fitted by FIML: each variable's mean and variance from its answers."""
    total = 0.0
    for col in y.T:
        v = col[~np.isnan(col)]
        total -= len(v) / 2 * (math.log(2 * math.pi) + math.log(np.var(v)) + 1)
    return total
