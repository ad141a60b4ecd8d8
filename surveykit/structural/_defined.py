"""Defined parameters (``:=``) of ``sem``: delta-method standard errors, and bootstrap percentile and
BCa intervals from refits (private to ``structural``).

The bootstrap draws respondents with replacement within each group (seeded) and refits the model
from the full-sample estimates; refits that fail are left out (with a warning). BCa (Efron &
Tibshirani 1993, 14.3) takes its bias correction from the bootstrap values and its acceleration
from the jackknife: the model refitted without each respondent in turn (respondents with identical
answers share one refit, counted as often as they occur); ``surveykit._bootstrap`` computes both
intervals, quantiles interpolated as R's type 7.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from .._bootstrap import bootstrap_interval
from ..errors import DataError, SurveykitWarning

__all__ = ["COLUMNS", "bootstrap", "check_bootstrap", "defined_table", "evaluator", "jackknife"]

COLUMNS = ["lhs", "op", "rhs", "group", "label", "est", "se", "z", "p_value", "ci_low", "ci_high", "std_all",
           "ci_low_bca", "ci_high_bca"]
# complex-step friendly (the delta method differentiates by a complex step): abs keeps the imaginary part
_FUNCS = {"sqrt": np.sqrt, "exp": np.exp, "log": np.log, "abs": lambda v: -v if np.real(v) < 0 else v}


def evaluator(defined, labels):
    """(at, evaluate): theta (possibly complex) -> the defined values in order, and the same from a dict of
    label values (a definition may use earlier ones)."""
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


def _values(at, thetas):
    return np.array([[complex(v).real for v in at(t.astype(complex))] for t in thetas])


def defined_table(defined, labels, theta, vcov, std, boot=None, jack=None) -> pd.DataFrame:
    """The ``:=`` rows: delta-method se, z, p and normal interval; with ``boot`` (the refits' thetas)
    the bootstrap se and percentile interval, and with ``jack`` = (thetas, counts) the BCa interval."""
    if not defined:
        return pd.DataFrame(columns=COLUMNS)
    at, evaluate = evaluator(defined, labels)
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
    low, high = est - stats.norm.ppf(0.975) * se, est + stats.norm.ppf(0.975) * se
    bca = np.full((len(defined), 2), np.nan)
    if boot is not None:
        values = _values(at, boot)
        se = values.std(axis=0, ddof=1)
        low, high = np.array([bootstrap_interval(values[:, j], est[j], None, 0.95, "percentile")
                              for j in range(len(defined))]).T
        if jack is not None:
            jack_values = _values(at, jack[0])
            bca = np.array([bootstrap_interval(values[:, j], est[j], jack_values[:, j], 0.95, "bca", jack[1])
                            for j in range(len(defined))])
    z = est / se
    rhs = [d.expression.replace("**", "^").replace(" ", "") for d in defined]  # as lavaan writes it
    return pd.DataFrame({"lhs": [d.name for d in defined], "op": ":=", "rhs": rhs,
                         "group": 0, "label": [d.name for d in defined], "est": est, "se": se, "z": z,
                         "p_value": 2 * stats.norm.sf(np.abs(z)), "ci_low": low, "ci_high": high,
                         "std_all": [float(np.real(v)) for v in evaluate(std)],
                         "ci_low_bca": bca[:, 0], "ci_high_bca": bca[:, 1]}, columns=COLUMNS)


def check_bootstrap(n_boot, defined):
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 2:
        raise ValueError(f"sem: bootstrap must be a whole number of resamples of 2 or more (e.g. 1000); "
                         f"got {n_boot!r}.")
    if not defined:
        raise ValueError("sem: bootstrap gives intervals for the defined parameters (':='), and the model has none; "
                         "define the effects to test, e.g. 'M ~ a*X', 'Y ~ b*M', 'ab := a*b'.")


def _refit(refit, frames, theta):
    try:
        t, ok = refit(frames, theta.copy())
    except DataError:
        return None
    return t if ok else None


def bootstrap(refit, frames, theta, n_boot, seed):
    """The thetas of ``n_boot`` refits on respondents drawn with replacement within each group."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(int(n_boot)):
        t = _refit(refit, [f.iloc[rng.integers(0, len(f), len(f))] for f in frames], theta)
        if t is not None:
            out.append(t)
    if len(out) < n_boot:
        warnings.warn(SurveykitWarning(f"{n_boot - len(out)} of {n_boot} bootstrap refits failed and were left out."),
                      stacklevel=3)
    return np.array(out)


def jackknife(refit, frames, theta):
    """(thetas, counts): the model refitted without one respondent, once per distinct answer row of each
    group, with the number of respondents who gave that row; None when a refit fails."""
    thetas, counts = [], []
    for g, f in enumerate(frames):
        keys = pd.util.hash_pandas_object(f, index=False).to_numpy()
        _, first, count = np.unique(keys, return_index=True, return_counts=True)
        for pos, c in zip(first, count):
            keep = np.r_[0:pos, pos + 1:len(f)]
            left = [fr if h != g else f.iloc[keep] for h, fr in enumerate(frames)]
            t = _refit(refit, left, theta)
            if t is None:
                return None
            thetas.append(t)
            counts.append(c)
    return np.array(thetas), np.array(counts)
