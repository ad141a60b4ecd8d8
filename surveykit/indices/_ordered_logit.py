"""The ordered (proportional-odds) logit of key_drivers, with case weights and analytic derivatives.

Fitted as R ``MASS::polr(method="logistic")``: P(y <= k) = logistic(zeta_k - x'b), so a
positive coefficient means higher outcome levels; the outcome's observed distinct values are
its levels (an unused level in between is not a level); two levels are accepted (``polr``
wants three). The sandwich is bread * sum (w_i s_i)(w_i s_i)' * bread, which does not depend
on the scale of the weights; ``sandwich::sandwich(polr)`` equals it when the weights have
mean 1. statsmodels' ``OrderedModel`` does the optimisation; it is imported on first use.
"""

from __future__ import annotations

import itertools
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import special, stats

from .._checks import first_names

SEPARATED = 20.0  # log odds moved over a driver's range (or between cut points) taken as separation


def _ologit_terms(params: np.ndarray, x: np.ndarray, codes: np.ndarray, w: np.ndarray, derivatives: int = 2):
    """Log-likelihood, per-row scores and Hessian of the ordered logit in (b, cut points).

    P(y = j) = F(c_j - x'b) - F(c_{j-1} - x'b), F the logistic cdf, c_{-1} = -inf and
    c_{K-1} = +inf. With u, l the upper and lower arguments and a, b their gradients in the
    parameters, the score of a row is (f(u) a - f(l) b) / P and the Hessian of its log is
    (f'(u) a a' - f'(l) b b') / P - s s', f = F (1 - F), f' = f (1 - 2F).
    """
    n, p = x.shape
    q = len(params) - p
    beta, cuts = params[:p], params[p:]
    eta = x @ beta
    ext = np.concatenate([[-np.inf], cuts, [np.inf]])
    upper, lower = ext[codes + 1] - eta, ext[codes] - eta
    # P = F(u) - F(l), computed on the side where it does not cancel
    flip = lower > 0
    prob = np.where(flip, special.expit(-lower) - special.expit(-upper), special.expit(upper) - special.expit(lower))
    loglik = float(w @ np.log(prob))
    if derivatives == 0:
        return loglik
    fu_cdf, fl_cdf = special.expit(upper), special.expit(lower)
    fu, fl = fu_cdf * (1 - fu_cdf), fl_cdf * (1 - fl_cdf)
    a = np.zeros((n, p + q))
    b = np.zeros((n, p + q))
    a[:, :p] = b[:, :p] = -x
    rows = np.arange(n)
    top, bottom = codes < q, codes > 0
    a[rows[top], p + codes[top]] = 1.0
    b[rows[bottom], p + codes[bottom] - 1] = 1.0
    score = (fu / prob)[:, None] * a - (fl / prob)[:, None] * b
    if derivatives == 1:
        return loglik, score
    du, dl = fu * (1 - 2 * fu_cdf) / prob, fl * (1 - 2 * fl_cdf) / prob
    hess = (a * (w * du)[:, None]).T @ a - (b * (w * dl)[:, None]).T @ b - (score * w[:, None]).T @ score
    return loglik, score, hess


@lru_cache(maxsize=1)
def _ordered_logit_class():
    """statsmodels' OrderedModel(distr='logit') with case weights and analytic derivatives.

    Defined on first use so that importing surveykit does not import statsmodels. The
    optimiser works in OrderedModel's parameters: b, then the first cut point and the logs
    of the increments, c_k = t_0 + sum_{m=1..k} exp(t_m); the derivatives are taken in (b, c)
    and carried over by the chain rule.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class _WeightedOrderedLogit(OrderedModel):
        def __init__(self, endog, exog, weights):
            super().__init__(endog, exog, distr="logit")
            self.case_weights = weights
            self.codes = self.endog.astype(np.intp)

        def _cuts(self, params):
            k = self.exog.shape[1]
            return np.concatenate([params[:k], self.transform_threshold_params(params)[1:-1]])

        def _jacobian(self, params):
            k = self.exog.shape[1]
            t = params[k:]
            jac = np.tril(np.ones((len(t), len(t))) * np.concatenate([[1.0], np.exp(t[1:])])[None, :])
            return k, t, jac

        def loglike(self, params):
            return _ologit_terms(self._cuts(params), self.exog, self.codes, self.case_weights, 0)

        def score(self, params):
            _, s = _ologit_terms(self._cuts(params), self.exog, self.codes, self.case_weights, 1)
            g = self.case_weights @ s
            k, _, jac = self._jacobian(params)
            return np.concatenate([g[:k], jac.T @ g[k:]])

        def hessian(self, params):
            _, s, h = _ologit_terms(self._cuts(params), self.exog, self.codes, self.case_weights, 2)
            g = self.case_weights @ s
            k, t, jac = self._jacobian(params)
            full = np.eye(len(params))
            full[k:, k:] = jac
            out = full.T @ h @ full
            # second derivative of c_k in t_m (1 <= m <= k) is exp(t_m): adds exp(t_m) * sum_{k>=m} dL/dc_k
            tail = np.cumsum(g[k:][::-1])[::-1]
            out[k + 1:, k + 1:] += np.diag(np.exp(t[1:]) * tail[1:])
            return out

    return _WeightedOrderedLogit


def ordered_logit(y: np.ndarray, x: np.ndarray, w: np.ndarray, drivers: list, robust, level: float,
                  function: str) -> dict:
    """The fitted ordered logit of ``y`` on ``x`` (case weights ``w``, mean 1): coefficients, cut points, fit.

    ``coefficients`` has estimate, se, p_value, ci_low, ci_high by driver; ``warnings`` holds
    the messages for a fit that is unreliable (the caller warns).
    """
    levels = np.unique(y)
    codes = np.searchsorted(levels, y)
    n, p = x.shape
    q = len(levels) - 1
    model = _ordered_logit_class()(codes.astype(float), x, w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence is judged below from the gradient
        first = model.fit(method="bfgs", maxiter=2000, gtol=1e-8, disp=False)
        res = model.fit(start_params=first.params, method="newton", maxiter=100, tol=1e-12, disp=False)
    params = model._cuts(np.asarray(res.params))
    loglik, score, hess = _ologit_terms(params, x, codes, w)
    grad = w @ score
    info = -hess
    notes, messages = [], []
    converged = np.isfinite(loglik) and np.abs(grad).max() < 1e-6 * max(1.0, abs(loglik))
    try:
        bread = np.linalg.inv(info)
        ok = np.all(np.linalg.eigvalsh(info) > 0)
    except np.linalg.LinAlgError:
        bread, ok = np.full((p + q, p + q), np.nan), False
    # separation: a driver (or the cut points) moving the log odds by more than SEPARATED over its
    # range means fitted probabilities of 0 or 1, an estimate that is infinite in theory
    span = np.abs(params[:p]) * (x.max(axis=0) - x.min(axis=0))
    separated = [drivers[j] for j in np.flatnonzero(span > SEPARATED)]
    gaps = np.diff(params[p:]) > SEPARATED
    if not (converged and ok) or separated or gaps.any():
        many = len(separated) > 1
        what = (f"driver{'s' if many else ''} {first_names(separated, None)} predict{'' if many else 's'} the "
                "outcome levels (almost) perfectly" if separated else
                "two outcome levels are separated (a level with (almost) no answers)" if gaps.any() else
                f"it did not converge (largest gradient {np.abs(grad).max():.2g})")
        messages.append(f"The ordered logit of {function} is unreliable: {what}. This happens when everyone with "
                        "some rating of a driver gave the same overall rating, or when an outcome level has very few "
                        "answers; such a coefficient is infinite in theory and its standard error meaningless. Merge "
                        "sparse outcome levels, drop or recode the driver, or use method='ols'.")
        notes.append(f"The ordered logit is unreliable: {what}.")
    cov_type = {None: "nonrobust", "HC1": "HC1"}.get(robust, "HC0")
    if cov_type == "nonrobust":
        cov = bread
    else:
        ws = score * w[:, None]
        cov = bread @ (ws.T @ ws) @ bread
        if cov_type == "HC1":
            cov = cov * n / (n - p - q)
    if robust in ("HC2", "HC3"):
        notes.append(f"{robust} is defined for linear regression only; the ordered logit uses the HC0 sandwich.")
    se = np.sqrt(np.diag(cov))
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        pv = 2 * stats.norm.sf(np.abs(params / se))
    table = pd.DataFrame({"estimate": params, "se": se, "p_value": pv, "ci_low": params - z * se,
                          "ci_high": params + z * se})
    coefs = table.iloc[:p].set_axis(pd.Index(drivers, name="driver"))
    labels = [f"{a:g}|{b:g}" for a, b in itertools.pairwise(levels)]
    thresholds = table.iloc[p:].drop(columns="p_value").set_axis(pd.Index(labels, name="threshold"))
    counts = np.bincount(codes, weights=w, minlength=q + 1)
    loglik0 = float(counts @ np.log(counts / counts.sum()))
    return {"coefficients": coefs, "thresholds": thresholds, "r_squared": 1 - loglik / loglik0,
            "adj_r_squared": np.nan, "log_likelihood": loglik, "cov_type": cov_type, "notes": notes,
            "warnings": messages}
