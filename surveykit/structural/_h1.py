"""The saturated (h1) normal model in moment coordinates, for the robust statistics of ``sem``
(private to ``structural``).

Coordinates: the p means, then the p(p+1)/2 distinct (co)variances σ_ab, a ≤ b (``np.triu_indices``
order). lavaan orders them differently (``vech``), but every quantity taken from them here is a trace
of products of informations and their inverses, which does not depend on the coordinates. Casewise
scores use each respondent's answered variables only (casewise ML), so complete data is the case of
one pattern. ``delta`` maps θ to these coordinates (lavaan's ``Delta``).
"""

from __future__ import annotations

import numpy as np

from ._fiml import Patterns, _terms

__all__ = ["crossprod", "delta", "expected", "gradient", "observed", "scores", "sub_info"]

_BLOCK = 20000  # respondents per block of scores: bounds the memory of N x m scores on large samples


def _iu(p):
    return np.triu_indices(p)


def scores(sig, mu, y):
    """Blocks of casewise scores ∂ log L_i / ∂(μ, σ) at (Σ, μ), (rows, m) each, respondents grouped by pattern:
    μ part Σ_oo⁻¹ d, σ_ab part u_a u_b - (Σ_oo⁻¹)_ab (halved on the diagonal), u = Σ_oo⁻¹ d, d the
    respondent's answers minus μ (0 where blank)."""
    p = len(mu)
    a, b = _iu(p)
    half = np.where(a == b, 0.5, 1.0)
    answered = ~np.isnan(y)
    keys, which = np.unique(answered, axis=0, return_inverse=True)
    which = np.ravel(which)
    for k, key in enumerate(keys):
        rows = np.flatnonzero(which == k)
        o = np.flatnonzero(key)
        inv = np.zeros((p, p))
        inv[np.ix_(o, o)] = np.linalg.inv(sig[np.ix_(o, o)])
        for start in range(0, len(rows), _BLOCK):
            part = rows[start:start + _BLOCK]
            u = np.where(answered[part], y[part] - mu, 0.0) @ inv
            yield np.hstack([u, (u[:, a] * u[:, b] - inv[a, b]) * half])


def crossprod(sig, mu, y, right=None):
    """Σ_i (sᵢ R)ᵀ (sᵢ R) over the casewise scores sᵢ (R = ``right``, e.g. Δ; the identity when None)."""
    total = 0.0
    for block in scores(sig, mu, y):
        block = block if right is None else block @ right
        total = total + block.T @ block
    return total


def gradient(sig, mu, pats: Patterns):
    """The sum of the casewise scores of one group, from its patterns' means and covariances."""
    p = len(mu)
    a, b = _iu(p)
    _, inv, d = _terms(sig, mu, pats)
    s_star = pats.cov + d[:, :, None] * d[:, None, :]
    g_mu = np.einsum("P,Pab,Pb->a", pats.counts, inv, d)
    g_sig = 0.5 * np.einsum("P,Pab->ab", pats.counts, inv @ s_star @ inv - inv)
    return np.concatenate([g_mu, g_sig[a, b] * np.where(a == b, 1.0, 2.0)])


def observed(sig, mu, pats: Patterns, hessian):
    """The observed information per respondent (minus the Hessian of log L over N_g) of the saturated
    model at (Σ, μ) under the group's missing-data patterns; ``hessian`` differentiates the gradient
    numerically (``_robust.hessian``)."""
    p = len(mu)
    a, b = _iu(p)

    def grad(x):
        s = np.zeros((p, p))
        s[a, b] = x[p:]
        s[b, a] = x[p:]
        return gradient(s, x[:p], pats)

    return -hessian(grad, np.concatenate([mu, sig[a, b]]), h=1e-5 * max(1.0, float(np.max(np.diag(sig))))) \
        / pats.counts.sum()


def expected(sig):
    """The complete-data (expected) information per respondent at Σ: Σ⁻¹ for the means and
    ½ tr(Σ⁻¹ E_ab Σ⁻¹ E_cd) for the (co)variances, E_ab the symmetric unit matrix of σ_ab."""
    p = len(sig)
    a, b = _iu(p)
    inv = np.linalg.inv(sig)
    k = np.zeros((p * p, len(a)))
    k[a * p + b, np.arange(len(a))] = 1
    k[b * p + a, np.arange(len(a))] = 1
    out = np.zeros((p + len(a), p + len(a)))
    out[:p, :p] = inv
    out[p:, p:] = 0.5 * k.T @ np.kron(inv, inv) @ k
    return out


def delta(d_sig, d_mu):
    """(m, k) Jacobian of the group's moments in these coordinates w.r.t. θ."""
    a, b = _iu(d_mu.shape[1])
    return np.hstack([d_mu, d_sig[:, a, b]]).T


def sub_info(p):
    """The coordinates of the independence model (the means and the variances)."""
    a, b = _iu(p)
    return np.concatenate([np.arange(p), p + np.flatnonzero(a == b)])
