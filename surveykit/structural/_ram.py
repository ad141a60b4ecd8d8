"""The parameter table of a lavaan model and its ML fit (private to ``structural``).

Every variable (observed and latent) is one row of the RAM matrices of each group: ``A``
(loadings and regressions, ``A[to, from]``), ``S`` ((residual) variances and covariances) and
``M`` (intercepts and latent means). With ``E = (I - A)⁻¹`` the implied moments of all variables
are ``E S Eᵀ`` and ``E M``; the observed ones are the rows of the observed variables (the
LISREL all-y form Σ = Λ (I-B)⁻¹ Ψ (I-B)⁻ᵀ Λᵀ + Θ written in one matrix). A free parameter may sit
in several cells (a shared label, an equality across groups): its derivative is their sum.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field

import numpy as np

from .._ml import discrepancy, fisher_scoring

__all__ = ["GROUP_EQUAL", "Row", "Table", "build_table", "fit_ml", "parse_partial", "score", "start_values"]

GROUP_EQUAL = ("loadings", "intercepts", "means", "residuals", "residual.covariances", "lv.variances",
               "lv.covariances", "regressions")
_MAX_ITER = 1000
_STEP_TOL = 1e-10     # converged when the largest parameter change is below this (relative to 1 + |theta|)
_MIN_STEP = 1e-10     # step halving gives up below this fraction of the Fisher step


@dataclass
class Row:
    """One parameter of one group, as a row of lavaan's parameter table."""

    lhs: str
    op: str
    rhs: str
    group: int
    free: int = -1         # index into theta, or -1 when fixed
    value: float = 0.0     # the fixed value (or the start)
    label: str = ""
    user: bool = True


@dataclass
class Table:
    rows: list
    observed: list
    latent: list
    n_free: int
    n_groups: int
    meanstructure: bool
    variables: list = field(default_factory=list)

    def __post_init__(self):
        self.variables = self.observed + self.latent
        self.index = {v: i for i, v in enumerate(self.variables)}
        self.cells = [self._cell(r) for r in self.rows]

    def _cell(self, r: Row):
        i = self.index
        if r.op == "=~":
            return "A", i[r.rhs], i[r.lhs]
        if r.op == "~":
            return "A", i[r.lhs], i[r.rhs]
        if r.op == "~~":
            return "S", i[r.lhs], i[r.rhs]
        return "M", i[r.lhs], 0

    def matrices(self, theta):
        """(A, S, M) of each group at theta."""
        v = len(self.variables)
        out = [(np.zeros((v, v)), np.zeros((v, v)), np.zeros(v)) for _ in range(self.n_groups)]
        for r, (mat, a, b) in zip(self.rows, self.cells):
            val = theta[r.free] if r.free >= 0 else r.value
            A, S, M = out[r.group]
            if mat == "A":
                A[a, b] = val
            elif mat == "S":
                S[a, b] = S[b, a] = val
            else:
                M[a] = val
        return out

    def implied(self, theta):
        """Per group: (E, Σ_all, m_all) of all variables (the last theta's are kept: a Fisher step asks for
        them three times)."""
        key = np.asarray(theta).tobytes()
        memo = getattr(self, "_memo", None)
        if memo is not None and memo[0] == key:
            return memo[1]
        out = []
        eye = np.eye(len(self.variables))
        for A, S, M in self.matrices(theta):
            e = np.linalg.inv(eye - A)
            out.append((e, e @ S @ e.T, e @ M))
        self._memo = (key, out)
        return out

    def moments(self, theta):
        """Per group: the observed variables' (Σ, μ)."""
        p = len(self.observed)
        return [(sig[:p, :p], m[:p]) for _, sig, m in self.implied(theta)]

    def derivatives(self, theta):
        """Per group: ∂Σ/∂θ (k, p, p) and ∂μ/∂θ (k, p) of the observed variables."""
        p, k = len(self.observed), self.n_free
        implied = self.implied(theta)
        d_sig = [np.zeros((k, p, p)) for _ in implied]
        d_mu = [np.zeros((k, p)) for _ in implied]
        for r, (mat, a, b) in zip(self.rows, self.cells):
            if r.free < 0:
                continue
            e, sig, m = implied[r.group]
            if mat == "A":
                block = np.outer(e[:p, a], sig[b, :p])
                d_sig[r.group][r.free] += block + block.T
                d_mu[r.group][r.free] += e[:p, a] * m[b]
            elif mat == "S":
                block = np.outer(e[:p, a], e[:p, b])
                d_sig[r.group][r.free] += block + block.T if a != b else block
            else:
                d_mu[r.group][r.free] += e[:p, a]
        return d_sig, d_mu


def _unknown(name, columns, latent) -> ValueError:
    close = difflib.get_close_matches(str(name), [str(c) for c in columns] + list(latent), n=1)
    return ValueError(f"sem: the model names {name!r}, which is neither a column of the data nor a factor (a factor "
                      "is the left-hand side of '=~')." + (f" Did you mean {close[0]!r}?" if close else ""))


def _group_modifier(st, g: int, n_groups: int):
    mod = st.modifier
    if isinstance(mod, tuple):
        if len(mod) != n_groups:
            raise ValueError(f"sem: the modifier c(...) of '{st.lhs} {st.op} {st.rhs}' has {len(mod)} values but the "
                             f"model has {n_groups} groups; give one value per group.")
        return mod[g]
    return mod


def _kind(op, lhs, rhs, latent) -> str:
    """The group_equal class of a parameter."""
    if op == "=~":
        return "loadings"
    if op == "~":
        return "regressions"
    if op == "~1":
        return "means" if lhs in latent else "intercepts"
    if lhs in latent:
        return "lv.variances" if lhs == rhs else "lv.covariances"
    return "residuals" if lhs == rhs else "residual.covariances"


def parse_partial(spec: str) -> tuple:
    """``"F =~ x4"``, ``"x4 ~ 1"``, ``"x1 ~~ x1"`` -> (lhs, op, rhs), as lavaan's ``group.partial``."""
    text = str(spec).replace(" ", "")
    if text.endswith("~1") and "=~" not in text and "~~" not in text:
        return text[:-2], "~1", ""
    for op in ("=~", "~~", "~"):
        if op in text:
            lhs, rhs = text.split(op, 1)
            if lhs and rhs:
                return lhs, op, rhs
    raise ValueError(f"sem: cannot read the group_partial entry {spec!r}; write a parameter as in the model, "
                     "e.g. 'F1 =~ x4' (a loading), 'x4 ~ 1' (an intercept) or 'x4 ~~ x4' (a residual variance).")


def _roles(statements, columns):
    """(latent, observed, indicators, regressed, predictors), or a ValueError for a model sem cannot fit."""
    seen = set()
    for s in statements:
        key = (s.op, *sorted((s.lhs, s.rhs))) if s.op == "~~" else (s.lhs, s.op, s.rhs)
        if key in seen:
            written = " ".join(x for x in (s.lhs, s.op, s.rhs) if x)
            raise ValueError(f"sem: the model states '{written}' twice; write each parameter once.")
        seen.add(key)
    latent = list(dict.fromkeys(s.lhs for s in statements if s.op == "=~"))
    names = list(dict.fromkeys(n for s in statements for n in (s.lhs, s.rhs) if n))
    known = set(columns)
    observed = [n for n in names if n not in latent]
    for n in observed:
        if n not in known:
            raise _unknown(n, columns, latent)
    indicators = {s.rhs for s in statements if s.op == "=~"}
    lhs_reg = {s.lhs for s in statements if s.op == "~"}
    rhs_reg = {s.rhs for s in statements if s.op == "~"}
    exo_obs = [n for n in observed if n in rhs_reg and n not in lhs_reg and n not in indicators]
    if exo_obs:
        raise ValueError(f"sem: observed predictors {exo_obs} are exogenous observed variables, which are not "
                         "supported yet (lavaan fixes their variances at the sample values); measure them by a factor "
                         "or use surveykit.mediation / moderation on observed scores.")
    loose = [n for n in observed if n not in indicators and n not in lhs_reg and n not in rhs_reg]
    if loose:
        raise ValueError(f"sem: observed variables {loose} appear only in '~~' or '~ 1' statements; give them a "
                         "place in the model (an indicator of a factor or a regression).")
    for f in latent:
        its = [s.rhs for s in statements if s.op == "=~" and s.lhs == f]
        if len(its) == 1:
            fixed = [s for s in statements if s.op == "~~" and s.lhs == s.rhs and s.lhs in (f, its[0])
                     and all(isinstance(m, float) for m in (s.modifier if isinstance(s.modifier, tuple)
                                                             else (s.modifier,)))]
            if not fixed:
                raise ValueError(f"sem: factor {f!r} has one indicator ({its[0]!r}), so its variance and the "
                                 f"indicator's residual variance cannot both be estimated (not identified); fix one, "
                                 f"e.g. '{its[0]} ~~ 0*{its[0]}', or give {f!r} more indicators.")
    return latent, observed, indicators, lhs_reg, rhs_reg


def build_table(statements, columns, n_groups: int, meanstructure: bool, group_equal=(), group_partial=()) -> Table:
    """lavaan's parameter table for ``sem()`` defaults (see ``sem``'s Notes)."""
    latent, observed, indicators, lhs_reg, rhs_reg = _roles(statements, columns)
    group_equal = set(group_equal)
    partial = {parse_partial(s) for s in group_partial}
    partial |= {(r, op, l) for l, op, r in partial if op == "~~"}
    rows: list[Row] = []
    keys: dict = {}   # shared parameters: a label, or a group-equal key -> theta index
    n_free = 0

    def add(lhs, op, rhs, g, mod, user, fixed_default=None, free_default=True):
        nonlocal n_free
        mod = None if mod == "NA" else mod
        label = mod if isinstance(mod, str) else ""
        if isinstance(mod, float):
            rows.append(Row(lhs, op, rhs, g, -1, mod, label, user))
            return
        if fixed_default is not None and mod is None or (fixed_default is not None and label):
            rows.append(Row(lhs, op, rhs, g, -1, fixed_default, label, user))
            return
        if not free_default and mod is None:
            rows.append(Row(lhs, op, rhs, g, -1, 0.0, label, user))
            return
        kind = _kind(op, lhs, rhs, latent)
        equal = kind in group_equal and (lhs, op, rhs) not in partial
        key = ("label", label) if label else (("eq", lhs, op, rhs) if equal else ("own", lhs, op, rhs, g))
        if key not in keys:
            keys[key] = n_free
            n_free += 1
        rows.append(Row(lhs, op, rhs, g, keys[key], 0.0, label, user))

    for g in range(n_groups):
        seen_first = set()
        written = set()
        for st in statements:
            mod = _group_modifier(st, g, n_groups)
            first = st.op == "=~" and st.lhs not in seen_first
            if st.op == "=~":
                seen_first.add(st.lhs)
            # the first indicator is fixed at 1 unless a value or NA* is given (a bare label keeps it fixed)
            if first and not (isinstance(mod, float) or mod == "NA"):
                add(st.lhs, st.op, st.rhs, g, mod, True, fixed_default=1.0)
            else:
                add(st.lhs, st.op, st.rhs, g, mod, True)
            written.add((st.lhs, st.op, st.rhs))
            written.add((st.rhs, st.op, st.lhs))
        variables = observed + latent
        for v in variables:
            if (v, "~~", v) not in written:
                add(v, "~~", v, g, None, False)
        endogenous = lhs_reg | indicators
        lv_x = [f for f in latent if f not in endogenous]
        pure_y = [v for v in variables if v in lhs_reg and v not in rhs_reg]
        for group in (lv_x, pure_y):
            for a, b in itertools.combinations(group, 2):
                if (a, "~~", b) not in written:
                    add(a, "~~", b, g, None, False)
        if meanstructure:
            for v in variables:
                if (v, "~1", "") not in written:
                    free_mean = v in observed or ("intercepts" in group_equal and "means" not in group_equal and g > 0)
                    add(v, "~1", "", g, None, False, free_default=free_mean)
    # lavaan labels a parameter made equal across groups by group_equal '.pN.', N its row in group 1
    equal = {k: None for key, k in keys.items() if key[0] == "eq"}
    for i, r in enumerate(rows):
        if r.free in equal and not r.label:
            if equal[r.free] is None:
                equal[r.free] = f".p{i + 1}."
            r.label = equal[r.free]
    return Table(rows, observed, latent, n_free, n_groups, meanstructure)


def objective(table: Table, theta, stats_g, weights):
    """F = Σ_g w_g F_g (inf when some Σ_g is not positive definite)."""
    total = 0.0
    for (sig, mu), (s, ybar), w in zip(table.moments(theta), stats_g, weights):
        f = discrepancy(s, sig)
        if not np.isfinite(f):
            return np.inf
        if table.meanstructure:
            d = ybar - mu
            f += d @ np.linalg.solve(sig, d)
        total += w * f
    return total


def score(table: Table, theta, stats_g, weights):
    """(gradient of F, expected information of F) at theta."""
    k = table.n_free
    grad, info = np.zeros(k), np.zeros((k, k))
    d_sig, d_mu = table.derivatives(theta)
    for (sig, mu), (s, ybar), w, ds, dm in zip(table.moments(theta), stats_g, weights, d_sig, d_mu):
        inv = np.linalg.inv(sig)
        s_star = s
        if table.meanstructure:
            d = ybar - mu
            s_star = s + np.outer(d, d)
            grad -= w * 2 * dm @ (inv @ d)
            info += w * 2 * dm @ inv @ dm.T
        wm = inv @ (sig - s_star) @ inv
        grad += w * (ds.reshape(k, -1) @ wm.ravel())
        a = inv @ ds
        info += w * (a.reshape(k, -1) @ a.transpose(0, 2, 1).reshape(k, -1).T)
    return grad, info


def fit_ml(table: Table, stats_g, weights, x):
    """(theta, converged, iterations): Fisher scoring on F from x."""
    return fisher_scoring(lambda v: objective(table, v, stats_g, weights), lambda v: score(table, v, stats_g, weights),
                          x, max_iter=_MAX_ITER, step_tol=_STEP_TOL, min_step=_MIN_STEP)


def start_values(table: Table, stats_g):
    """Simple starts: markers 1, other loadings from the marker's covariances, factor variances the marker's
    variance times its mean correlation with the other indicators, residual variances half the item variances,
    regressions 0, intercepts the sample means (as lavaan's 'simple' start, with the loadings and variances nearer)."""
    theta = np.zeros(table.n_free)
    set_ = np.zeros(table.n_free, dtype=bool)
    obs = {v: i for i, v in enumerate(table.observed)}
    rows = table.rows
    for g, (s, ybar) in enumerate(stats_g):
        markers = {r.lhs: r.rhs for r in rows if r.group == g and r.op == "=~" and r.free < 0}
        inds = {}
        for r in rows:
            if r.group == g and r.op == "=~":
                inds.setdefault(r.lhs, []).append(r.rhs)
        fvar = {}
        for f, m in markers.items():
            others = [x for x in inds[f] if x != m and x in obs and m in obs]
            # the marker's variance times its mean correlation with the other indicators: in the marker's
            # units whatever the others' (an item in yuan beside 1-5 items does not swamp the start)
            r = [s[obs[m], obs[x]] / np.sqrt(s[obs[m], obs[m]] * s[obs[x], obs[x]]) for x in others]
            fvar[f] = float(np.mean(r) * s[obs[m], obs[m]]) if r and np.mean(r) > 0 else 0.05
        for r in rows:
            if r.group != g or r.free < 0 or set_[r.free]:
                continue
            val = 0.0
            if r.op == "=~":
                m = markers.get(r.lhs)
                if m in obs and r.rhs in obs and fvar.get(r.lhs, 0) > 0:
                    val = s[obs[m], obs[r.rhs]] / fvar[r.lhs]
                else:
                    val = 1.0
            elif r.op == "~~" and r.lhs == r.rhs:
                val = 0.5 * s[obs[r.lhs], obs[r.lhs]] if r.lhs in obs else fvar.get(r.lhs, 0.05)
            elif r.op == "~1" and r.lhs in obs:
                val = ybar[obs[r.lhs]]
            theta[r.free] = val
            set_[r.free] = True
    return theta
