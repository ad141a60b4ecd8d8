"""What ``sem`` reports from a fitted parameter table (private to ``structural``): standardised
estimates, R², the covariance matrices, lavaan's fit measures, modification indices and the
Heywood-case notes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._ml import discrepancy, fit_indices
from ._ram import Row, Table, score

__all__ = ["covariances", "fit_measures", "heywood", "modification_indices", "r_squared", "standardised"]


def standardised(table, theta):
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


def heywood(table, theta, std, groups):
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


def covariances(table, theta, stats_g, groups):
    """The sample and implied covariance matrices as DataFrames (stacked by group when there are several)."""
    names = pd.Index(table.observed, name="variable")
    out = {}
    for key, mats in (("sample_cov", [s for s, _ in stats_g]), ("implied_cov", [s for s, _ in table.moments(theta)])):
        frames = [pd.DataFrame(m, index=names, columns=names) for m in mats]
        out[key] = frames[0] if len(frames) == 1 else pd.concat(frames, keys=list(groups), names=["group", "variable"])
    return out


def r_squared(table, theta, groups):
    implied, mats = table.implied(theta), table.matrices(theta)
    rows = []
    for g, ((_, sig, _), (A, S, _)) in enumerate(zip(implied, mats)):
        for i, v in enumerate(table.variables):
            if np.any(A[i] != 0):
                rows.append({"group": groups[g] if len(groups) > 1 else 1, "variable": v,
                             "r2": 1 - S[i, i] / sig[i, i]})
    return pd.DataFrame(rows, columns=["group", "variable", "r2"])


def fit_measures(table, theta, stats_g, weights, n, fiml=None):
    """lavaan's fitMeasures: chi2 = Σ N_g F_g; baseline = independence model in each group.

    With ``fiml = (log L_H0, log L_H1, log L_baseline)`` (casewise ML), χ² and the baseline χ² are
    twice the differences of the log-likelihoods, AIC/BIC use log L_H0, and SRMR compares the
    implied moments with the EM estimates of the saturated model in ``stats_g`` (as lavaan).
    """
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
    if fiml is not None:
        logl, logl_h1, logl_base = fiml
        chi2, chi2_null = 2 * (logl_h1 - logl), 2 * (logl_h1 - logl_base)
    k = table.n_free
    df = n_groups * (p * (p + 1) // 2 + (p if ms else 0)) - k
    df_null = n_groups * p * (p - 1) // 2
    chi2 = max(chi2, 0.0)
    return {"chi2": float(chi2), "df": int(df), **fit_indices(chi2, df, chi2_null, df_null, n, n_groups),
            "srmr": float(srmr), "aic": float(-2 * logl + 2 * k), "bic": float(-2 * logl + k * math.log(n)),
            "chi2_baseline": float(chi2_null), "df_baseline": int(df_null), "logl": float(logl)}


def modification_indices(table, theta, stats_g, weights, n, statements):
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
