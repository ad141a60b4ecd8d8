"""sem_from_moments: sem from a covariance matrix and N, against R lavaan 0.6.14 and against sem on the rows.

Reference: tests/reference/sem.R -> data/sem_expected.csv (the listwise fits of the latent mediation,
with and without a mean structure, and of the second-order model). lavaan's fit on the rows with
``missing = "listwise"`` is its fit on ``sample.cov`` of the complete rows (``sample.cov.rescale``
divides by N), so the same numbers apply.

Tolerances:

* Against lavaan: ``rtol=1e-4, atol=1e-7`` as in tests/test_sem.py (lavaan's nlminb stops ~1e-6
  relative from the optimum our Fisher scoring reaches); interval bounds ``atol=1e-4·se``.
* Against ``sem`` on the rows: ``rtol=1e-8``. The same engine from the same start; only the
  covariance differs in rounding (``DataFrame.cov()`` rescaled by (N-1)/N against numpy's N
  divisor, ~1e-16 relative), which moves the converged estimates far less than 1e-8.
"""

from __future__ import annotations

import re
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DataError, SurveykitWarning
from surveykit.structural import sem_from_moments

from test_sem import EXPECTED, MEDIATION, REF, SECOND, _close  # the models and reference values of sem's tests
from test_sem_robust import compare_estimates

CASES = {"mediation": ("mediation", MEDIATION), "mediation_means": ("mediation", MEDIATION + "\n y1 ~ 1"),
         "second_order": ("second_order", SECOND)}


@cache
def rows(name: str) -> pd.DataFrame:
    """The complete rows of the case's data (lavaan's listwise deletion)."""
    return pd.read_csv(REF / f"sem_{CASES[name][0]}.csv").dropna()


@cache
def from_moments(name: str):
    x = rows(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SurveykitWarning)  # the reference fits are proper
        return sem_from_moments(x.cov(), len(x), CASES[name][1], means=x.mean())


@pytest.mark.parametrize("name", list(CASES))
def test_fit_measures_match_lavaan(name):
    fit = from_moments(name).fit
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "fit")].set_index("lhs")["est"]
    assert len(ref) >= 10 and fit["df"] == ref["df"]
    for key in ref.index:
        assert _close(fit[key], ref[key]), (key, fit[key], ref[key])


@pytest.mark.parametrize("name", list(CASES))
def test_estimates_and_defined_parameters_match_lavaan(name):
    compare_estimates(from_moments(name), EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "param")])


@pytest.mark.parametrize("name", list(CASES))
def test_r2_matches_lavaan(name):
    r = from_moments(name)
    ref = EXPECTED[(EXPECTED.model == name) & (EXPECTED.kind == "r2")].set_index("lhs")["est"]
    assert len(ref) and set(ref.index) == set(r.r2["variable"])
    assert _close(r.r2.set_index("variable")["r2"].loc[ref.index], ref).all()


@pytest.mark.parametrize("name", list(CASES))
def test_equals_sem_on_the_rows(name):
    x = rows(name)
    a, b = sk.sem(x, CASES[name][1]), from_moments(name)
    assert (b.n_obs, b.n_free, b.converged, b.meanstructure) == (a.n_obs, a.n_free, a.converged, a.meanstructure)
    assert a.fit.keys() == b.fit.keys()
    for key in a.fit:
        np.testing.assert_allclose(b.fit[key], a.fit[key], rtol=1e-8, err_msg=key)
    cols = ["est", "se", "z", "p_value", "ci_low", "ci_high", "std_all"]
    pd.testing.assert_frame_equal(b.estimates.drop(columns=cols), a.estimates.drop(columns=cols))
    np.testing.assert_allclose(b.estimates[cols], a.estimates[cols], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(b.defined[["est", "se", "std_all"]], a.defined[["est", "se", "std_all"]], rtol=1e-8)
    np.testing.assert_allclose(b.r2["r2"], a.r2["r2"], rtol=1e-8)
    np.testing.assert_allclose(b.sample_cov, a.sample_cov, rtol=1e-12)
    np.testing.assert_allclose(b.residuals(), a.residuals(), atol=1e-10)
    mi_a, mi_b = a.modification_indices(), b.modification_indices()
    assert list(mi_b[["lhs", "op", "rhs"]].itertuples(index=False)) == list(mi_a[["lhs", "op", "rhs"]]
                                                                           .itertuples(index=False))
    np.testing.assert_allclose(mi_b["mi"], mi_a["mi"], rtol=1e-6, atol=1e-9)


def test_variable_order_and_extra_variables_do_not_matter():
    x = rows("mediation")
    cov = x.assign(extra=np.arange(len(x)) % 7).cov()
    shuffled = cov.iloc[::-1, ::-1]
    r = sem_from_moments(shuffled, len(x), MEDIATION)
    ref = from_moments("mediation")
    np.testing.assert_allclose(r.estimates["est"], ref.estimates["est"], rtol=1e-8)
    assert r.fit["df"] == ref.fit["df"] and "extra" not in r.sample_cov.index
    assert sem_from_moments(cov, len(x), MEDIATION, n_dropped=12).n_dropped == 12


def test_an_improper_solution_warns_and_is_noted_as_in_sem():
    """2 items per factor, one nearly error-free: a negative residual variance (as tests/test_cfa.py)."""
    rng = np.random.default_rng(0)
    z = rng.standard_normal((60, 6))
    fa, fc = z[:, 0], 0.3 * z[:, 0] + np.sqrt(0.91) * z[:, 1]
    x = pd.DataFrame({"a1": 0.98 * fa + 0.2 * z[:, 2], "a2": 0.5 * fa + z[:, 3],
                      "c1": fc + 0.6 * z[:, 4], "c2": fc + 0.6 * z[:, 5]})
    model = "A =~ a1 + a2\nC =~ c1 + c2"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = sem_from_moments(x.cov(), len(x), model)
    said = [str(w.message) for w in caught if issubclass(w.category, SurveykitWarning)]
    assert said == list(r.notes) and r.converged
    assert said[0].startswith("Heywood case: negative variance estimates for ['a1']")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        assert sk.sem(x, model).notes == r.notes


def _changed(**cells):
    """The mediation rows' covariance with some cells set: ``x1_x2=0.3`` sets (x1, x2) only."""
    c = rows("mediation").cov()
    for key, value in cells.items():
        a, b = key.split("_")
        c.loc[a, b] = value
    return c


def _singular():
    x = rows("mediation")
    return x.assign(y3=x["y1"] + x["y2"]).cov()


BAD = [
    pytest.param(lambda: (np.eye(3), 100, "F =~ a + b + c"), ValueError,
                 ["'cov' parameter of sem_from_moments must be a square DataFrame", "Got ndarray"], id="not-a-frame"),
    pytest.param(lambda: (_changed().iloc[:, :5], 100, MEDIATION), ValueError, ["square DataFrame"], id="not-square"),
    pytest.param(lambda: (_changed(), 100, MEDIATION.replace("x3", "x33")), ValueError,
                 [r"names 'x33'", r"Did you mean 'x3'\?"], id="unknown-variable"),
    pytest.param(lambda: (_changed(x1_x2=0.3), 100, MEDIATION), ValueError, ["not symmetric"], id="asymmetric"),
    pytest.param(lambda: (_changed(m2_m2=0.0), 100, MEDIATION), DataError, [r"variables \['m2'\] have no variance"],
                 id="constant"),
    pytest.param(lambda: (_changed(y1_y1=np.nan), 100, MEDIATION), DataError, ["not finite"], id="nan"),
    pytest.param(lambda: (_changed(), 100, MEDIATION + "\ny1 ~ 1"), ValueError,
                 ["'~ 1' statements, which need the variables' means", "means="], id="means-missing"),
    pytest.param(lambda: (_changed(), 100, MEDIATION + "\ny1 ~ 1", {"x1": 0.1}), DataError,
                 [r"means has no finite value for \['x2'"], id="means-incomplete"),
    pytest.param(lambda: (_changed(), 1.5, MEDIATION), ValueError, ["whole number of rows"], id="fractional-n"),
    pytest.param(lambda: (_changed(), 20, MEDIATION), ValueError,
                 [r"the data has 20 usable respondents, fewer than the \d+ free parameters"], id="too-few-rows"),
    pytest.param(lambda: (_singular(), 400, MEDIATION), DataError, ["singular"], id="singular"),
]


@pytest.mark.parametrize(("args", "error", "messages"), BAD)
def test_bad_input_gets_a_clear_error(args, error, messages):
    with pytest.raises(error) as info:
        sem_from_moments(*args()[:3], means=(args()[3] if len(args()) > 3 else None))
    text = str(info.value)
    assert re.search(r"sem(_from_moments)?\b", text)
    for message in messages:
        assert re.search(message, text), (message, text)
