"""CFA against R lavaan 0.6.14 and semTools (tests/reference/cfa.R -> data/cfa_expected.csv).

Every cell of the fixture is compared (``test_every_fixture_quantity_is_compared`` fails if
cfa.R grows a quantity no test reads).

Tolerances:

* Iterative quantities (estimates, se, z, p, standardised solution, phi, residual variances,
  CR, AVE and the fit measures): ``rtol=1e-5, atol=1e-7``. lavaan's nlminb stops when the
  objective improves by less than ``rel.tol = 1e-10`` (``x.tol = 1.5e-8``), which leaves its
  parameters ~1e-7 relative from the optimum that our Fisher scoring reaches (step < 1e-10);
  the largest difference seen is 1.4e-6 relative (a loading of the 'missing' shape). Fit
  measures built on F_min agree to ~1e-11 (F is flat at the optimum); SRMR and the RMSEA
  interval move to first order (a lower bound near 0 differs by 7e-6 relative, 6e-8
  absolute). ``atol`` only matters for p-values that R prints as 0 and bounds near 0.
  Far tighter than the 1e-3 of the issue, so a real drift in the estimator shows.
* HTMT is closed-form on the same correlations: ``rtol=1e-10`` (R writes 15 digits).
* Counts (n_obs, df) are exact.
"""

from __future__ import annotations

import ast
import math
import pickle
import re
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.psychometrics.cfa import FIT_MEASURES

REF = Path(__file__).parent / "reference" / "data"
# keep_default_na=False: empty lhs/rhs stay "" and lavaan's "NA" (marker z, p) stays a string.
EXPECTED = pd.read_csv(REF / "cfa_expected.csv", keep_default_na=False, dtype={"value": str})
SHAPES = ["two_factor", "three_factor", "missing"]
TWO = {"benefit": ["b1", "b2", "b3", "b4"], "cost": ["c1", "c2", "c3", "c4"]}
MODELS = {  # as in cfa.R
    "two_factor": TWO,
    "three_factor": {"quality": ["qual_1", "qual_2", "qual_3"], "service": ["serv_1", "serv_2", "serv_3", "serv_4"],
                     "value": ["val_1", "val_2", "val_3", "val_4", "val_5"]},
    "missing": TWO,
}
TOL = {"rtol": 1e-5, "atol": 1e-7}
HTMT_RTOL = 1e-10
COMPARED = {"n_obs", *FIT_MEASURES, "estimate", "se", "z", "std_estimate", "phi", "theta", "cr", "ave", "htmt"}


def data(shape: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"cfa_{shape}.csv")


@cache
def fitted(shape: str) -> sk.CFAResult:
    """One fit per shape for the whole module (results are frozen)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", sk.SurveykitWarning)  # the reference fits are proper
        return sk.cfa(data(shape), MODELS[shape])


def rows(shape: str, quantity: str, *, per_parameter: bool) -> pd.DataFrame:
    """Fixture rows; 'p_value' is both a fit measure (lhs empty) and per loading (lhs = factor)."""
    e = EXPECTED[(EXPECTED["shape"] == shape) & (EXPECTED["quantity"] == quantity)]
    e = e[e["lhs"] != ""] if per_parameter else e[e["lhs"] == ""]
    assert len(e), (shape, quantity, per_parameter)
    return e


def values(e: pd.DataFrame) -> np.ndarray:
    return np.array([math.nan if v == "NA" else float(v) for v in e["value"]])


# --- reference values ---------------------------------------------------------------------------

def test_every_fixture_quantity_is_compared():
    assert set(EXPECTED["shape"]) == set(SHAPES)
    assert set(EXPECTED["quantity"]) == COMPARED, "cfa.R writes a quantity that no test compares"


@pytest.mark.parametrize("shape", SHAPES)
def test_fit_measures_and_n_obs_match_lavaan(shape):
    r = fitted(shape)
    assert r.n_obs == int(values(rows(shape, "n_obs", per_parameter=False))[0])
    assert set(r.fit) == set(FIT_MEASURES)
    assert isinstance(r.fit["df"], int) and r.fit["df"] == values(rows(shape, "df", per_parameter=False))[0]
    for name in FIT_MEASURES:
        np.testing.assert_allclose(r.fit[name], values(rows(shape, name, per_parameter=False))[0], **TOL,
                                   err_msg=f"{shape} {name}")


@pytest.mark.parametrize("quantity", ["estimate", "se", "z", "p_value", "std_estimate"])
@pytest.mark.parametrize("shape", SHAPES)
def test_loadings_match_lavaan(shape, quantity):
    r = fitted(shape)
    e = rows(shape, quantity, per_parameter=True)
    # Same loadings, in lavaan's order (factor by factor, items as in the model).
    assert list(zip(r.estimates["factor"], r.estimates["item"])) == list(zip(e["lhs"], e["rhs"]))
    ours, ref = r.estimates[quantity].to_numpy(float), values(e)
    markers = np.array([item == MODELS[shape][f][0] for f, item in zip(e["lhs"], e["rhs"])])
    assert markers.sum() == len(MODELS[shape])
    if quantity == "estimate":
        np.testing.assert_array_equal(ours[markers], 1.0)  # fixed, as lavaan's marker
        np.testing.assert_array_equal(ref[markers], 1.0)
    elif quantity == "se":
        # lavaan prints se = 0 for the fixed marker; we give NaN (documented in cfa's Notes).
        np.testing.assert_array_equal(ref[markers], 0.0)
        assert np.isnan(ours[markers]).all()
    elif quantity in ("z", "p_value"):
        assert (e["value"][markers] == "NA").all()  # lavaan: NA
        assert np.isnan(ours[markers]).all()        # us: NaN
    else:
        assert not np.isnan(ours).any()
    assert not np.isnan(ours[~markers]).any()
    np.testing.assert_allclose(ours[~markers], ref[~markers], **TOL, err_msg=f"{shape} {quantity}")
    if quantity == "std_estimate":  # result.loadings is the same standardised solution, items x factors
        wide = [r.loadings.loc[item, f] for f, item in zip(e["lhs"], e["rhs"])]
        np.testing.assert_allclose(wide, ref, **TOL)
        for f, its in MODELS[shape].items():  # and 0 where an item does not load
            assert (r.loadings.loc[~r.loadings.index.isin(its), f] == 0).all()


@pytest.mark.parametrize("shape", SHAPES)
def test_phi_and_residual_variances_match_lavaan(shape):
    r = fitted(shape)
    e = rows(shape, "phi", per_parameter=True)
    m = len(MODELS[shape])
    assert len(e) == m * (m - 1) // 2
    for (a, b), v in zip(zip(e["lhs"], e["rhs"]), values(e)):
        np.testing.assert_allclose([r.phi.loc[a, b], r.phi.loc[b, a]], [v, v], **TOL, err_msg=f"phi {a} {b}")
    np.testing.assert_allclose(np.diag(r.phi), 1.0, rtol=1e-12)
    e = rows(shape, "theta", per_parameter=True)
    assert (e["lhs"] == e["rhs"]).all()
    assert list(r.residual_variances.index) == list(e["lhs"])
    np.testing.assert_allclose(r.residual_variances["estimate"], values(e), **TOL)
    # std_estimate of a residual is 1 - R² = 1 - std loading², as lavaan's std.all
    lam = r.loadings.max(axis=1)
    np.testing.assert_allclose(r.residual_variances["std_estimate"], 1 - lam ** 2, rtol=1e-10)


@pytest.mark.parametrize("shape", SHAPES)
def test_cr_ave_and_htmt_match_lavaan_and_semtools(shape):
    r = fitted(shape)
    factors = list(MODELS[shape])
    assert list(r.validity.index) == factors
    for quantity in ("cr", "ave"):
        e = rows(shape, quantity, per_parameter=True)
        assert (e["rhs"] == "").all()
        np.testing.assert_allclose(r.validity.loc[e["lhs"], quantity], values(e), **TOL, err_msg=quantity)
    np.testing.assert_allclose(r.validity["sqrt_ave"], np.sqrt(values(rows(shape, "ave", per_parameter=True))),
                               **TOL)
    e = rows(shape, "htmt", per_parameter=True)
    assert len(e) == len(factors) ** 2  # the full matrix, diagonal included
    ours = [r.htmt.loc[a, b] for a, b in zip(e["lhs"], e["rhs"])]
    np.testing.assert_allclose(ours, values(e), rtol=HTMT_RTOL, atol=0)
    np.testing.assert_array_equal(np.diag(r.htmt), 1.0)


@pytest.mark.parametrize("shape", SHAPES)
def test_fornell_larcker_table(shape):
    r = fitted(shape)
    fl = r.fornell_larcker
    assert list(fl.index) == list(fl.columns) == list(MODELS[shape])
    np.testing.assert_allclose(np.diag(fl), r.validity["sqrt_ave"], rtol=1e-12)
    np.testing.assert_allclose(np.diag(fl), np.sqrt(values(rows(shape, "ave", per_parameter=True))), **TOL)
    off = ~np.eye(len(fl), dtype=bool)
    np.testing.assert_allclose(fl.to_numpy()[off], r.phi.to_numpy()[off], rtol=1e-12)


def test_blank_answers_are_dropped_listwise_and_counted():
    raw = data("missing")
    r = fitted("missing")
    incomplete = int(raw[TWO["benefit"] + TWO["cost"]].isna().any(axis=1).sum())
    assert 0 < incomplete < len(raw)
    assert r.nan_policy == "listwise"
    assert r.n_dropped == incomplete and r.n_obs + r.n_dropped == len(raw)
    assert r.n_obs == values(rows("missing", "n_obs", per_parameter=False))[0]  # lavaan's nobs after na.omit
    assert f"{r.n_dropped} rows dropped" in r.summary().as_text()
    # A column outside the model, blank everywhere, does not cost any row.
    again = sk.cfa(raw.assign(note=np.nan), TWO)
    assert (again.n_obs, again.n_dropped) == (r.n_obs, r.n_dropped)


# --- labels and units ---------------------------------------------------------------------------

def test_chinese_and_spaced_labels_give_the_same_results():
    names = {"b1": "感知收益 1", "b2": "感知收益 2", "b3": "b 3", "b4": " b4 ",
             "c1": "成本（元）", "c2": "c-2", "c3": "c3 ", "c4": "第4题"}
    model = {"感知 收益": [names[i] for i in TWO["benefit"]], "cost factor": [names[i] for i in TWO["cost"]]}
    r = sk.cfa(data("two_factor").rename(columns=names), model)
    ref = fitted("two_factor")
    for name in FIT_MEASURES:
        np.testing.assert_allclose(r.fit[name], ref.fit[name], rtol=1e-8, atol=1e-12, err_msg=name)
    assert list(r.estimates["item"]) == [names[i] for i in ref.estimates["item"]]
    assert list(r.estimates["factor"].unique()) == ["感知 收益", "cost factor"]
    cols = ["estimate", "se", "z", "p_value", "std_estimate"]
    np.testing.assert_allclose(r.estimates[cols], ref.estimates[cols], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(r.loadings, ref.loadings, rtol=1e-8, atol=1e-12)
    assert r.loadings.index[0] == "感知收益 1" and r.loadings.columns[0] == "感知 收益"
    assert r.phi.loc["感知 收益", "cost factor"] == pytest.approx(ref.phi.loc["benefit", "cost"], rel=1e-8)
    np.testing.assert_allclose(r.htmt, ref.htmt, rtol=1e-12)
    assert "感知 收益" in r._repr_html_() and "成本（元）" in r.summary().as_text()


def test_an_item_in_other_units_changes_nothing_standardised():
    """ML is scale-equivariant: an item in yuan rather than 1-5 must not look singular.

    (Regression: the singularity and information checks were on the raw scale, so c4 * 1e5 raised
    DataError 'singular' and c4 * 1e3 lost every standard error.)
    """
    ref = fitted("two_factor")
    x = data("two_factor")
    with warnings.catch_warnings():
        warnings.simplefilter("error", sk.SurveykitWarning)
        r = sk.cfa(x.assign(c4=x["c4"] * 1e5), TWO)
    for name in set(FIT_MEASURES) - {"aic", "bic"}:
        np.testing.assert_allclose(r.fit[name], ref.fit[name], rtol=1e-6, atol=1e-9, err_msg=name)
    # logL has -n log|k| for an item multiplied by k (the density of c4 is in yuan now)
    for name in ("aic", "bic"):
        np.testing.assert_allclose(r.fit[name] - ref.fit[name], 2 * r.n_obs * math.log(1e5), rtol=1e-8)
    for col in ("z", "p_value", "std_estimate"):
        np.testing.assert_allclose(r.estimates[col], ref.estimates[col], rtol=1e-6, atol=1e-12, err_msg=col)
    c4 = r.estimates["item"] == "c4"
    np.testing.assert_allclose(r.estimates.loc[c4, "estimate"], ref.estimates.loc[c4, "estimate"] * 1e5, rtol=1e-6)


# --- improper solutions -------------------------------------------------------------------------

def heywood_data(seed: int = 0, n: int = 60) -> pd.DataFrame:
    """2 items per factor, one nearly error-free (loading .98), n = 60: a1's residual variance goes
    negative (lavaan 0.6.14 on this data: -2.030, 'some estimated ov variances are negative')."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 6))
    fa, fc = z[:, 0], 0.3 * z[:, 0] + math.sqrt(0.91) * z[:, 1]
    return pd.DataFrame({"a1": 0.98 * fa + 0.2 * z[:, 2], "a2": 0.5 * fa + z[:, 3],
                         "c1": fc + 0.6 * z[:, 4], "c2": fc + 0.6 * z[:, 5]})


def test_heywood_case_warns_and_is_noted():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = sk.cfa(heywood_data(), {"A": ["a1", "a2"], "C": ["c1", "c2"]})
    assert all(issubclass(w.category, sk.SurveykitWarning) for w in caught)  # nothing else (no numpy noise)
    said = [str(w.message) for w in caught]
    assert said == list(r.notes) and len(said) == 2
    assert said[0].startswith("Heywood case: items ['a1'] have negative residual variances")
    assert r.converged  # a proper optimum of an improper model, as lavaan: not a failure to converge
    assert r.residual_variances.loc["a1", "estimate"] < 0
    assert (r.residual_variances.drop("a1")["estimate"] > 0).all()
    assert r.loadings.loc["a1", "A"] > 1
    assert any("negative residual variances" in note and "'a1'" in note for note in r.notes)
    assert any("standardised loadings of magnitude 1 or more" in note and "'a1' on 'A'" in note for note in r.notes)
    assert all(note in r.summary().as_text() for note in r.notes)


def test_proper_solution_has_no_notes():
    for shape in SHAPES:
        r = fitted(shape)
        assert r.converged and r.notes == ()
        assert (r.residual_variances["estimate"] > 0).all()


# --- bad input ----------------------------------------------------------------------------------

def _with_text(x: pd.DataFrame) -> pd.DataFrame:
    b2 = x["b2"].astype(object)
    b2.iloc[3] = "很好"
    return x.assign(b2=b2)


BAD = [
    pytest.param(lambda x: x, {"benefit": ["b1", "b2", "b3", "bb4"], "cost": TWO["cost"]}, sk.DataError,
                 [r"not columns of the data: \['bb4'\]", r"Did you mean: 'bb4' -> 'b4'\?", "8 columns"],
                 id="unknown-item"),
    pytest.param(lambda x: x, {"benefit": TWO["benefit"], "cost": ["c1"]}, ValueError,
                 [r"factor 'cost' has 1 item \(\['c1'\]\)", "at least 2 items per factor"], id="one-item-factor"),
    pytest.param(lambda x: x, {"benefit": TWO["benefit"], "cost": ["c1", "c2", "b4"]}, ValueError,
                 ["exactly one factor", r"'b4' in \['benefit', 'cost'\]"], id="item-in-two-factors"),
    pytest.param(lambda x: x, {"benefit": ["b1", "b2", "b2"], "cost": TWO["cost"]}, ValueError,
                 [r"factor 'benefit' lists items \['b2'\] more than once"], id="repeated-item"),
    pytest.param(lambda x: x, [("benefit", TWO["benefit"])], TypeError,
                 ["model as a mapping of factor name -> list of item columns", "got list"], id="not-a-mapping"),
    pytest.param(lambda x: x, {"benefit": "b1 b2 b3"}, TypeError,
                 [r"items of factor 'benefit' must be a list"], id="items-as-string"),
    pytest.param(lambda x: x, {}, ValueError, ["no factors"], id="empty-model"),
    pytest.param(lambda x: x.assign(c3=4), TWO, sk.DataError,
                 [r"items \['c3'\] are constant", "400 rows"], id="constant-item"),
    pytest.param(lambda x: x.assign(c4=x["c1"] + x["c2"]), TWO, sk.DataError,
                 ["covariance matrix of the 8 items over the 400 rows used is singular", "'c1'", "'c2'", "'c4'"],
                 id="singular-covariance"),
    pytest.param(_with_text, TWO, sk.DataError, ["1 item holds values that are not numbers", "'b2': 1 row, e.g. row 3 = '很好'"],
                 id="non-numeric-column"),
]


@pytest.mark.parametrize(("change", "model", "error", "messages"), BAD)
def test_bad_input_gets_a_clear_error(change, model, error, messages):
    with pytest.raises(error) as info:
        sk.cfa(change(data("two_factor")), model)
    text = str(info.value)
    assert text.startswith("cfa")
    for message in messages:
        assert re.search(message, text), (message, text)


def test_singular_covariance_names_only_the_dependent_items():
    x = data("two_factor")
    with pytest.raises(sk.DataError) as info:
        sk.cfa(x.assign(c4=x["c1"] + x["c2"]), TWO)
    named = re.search(r"items (\[.*?\]) are", str(info.value)).group(1)
    assert set(ast.literal_eval(named)) == {"c1", "c2", "c4"}


def test_bad_options_and_data_type():
    x = data("two_factor")
    with pytest.raises(ValueError, match=r"The 'nan_policy' parameter of cfa must be one of 'listwise'\. "
                                         r"Got 'pairwise' instead\."):
        sk.cfa(x, TWO, nan_policy="pairwise")
    with pytest.raises(ValueError, match=r"The 'estimator' parameter of cfa must be one of 'ml'\. Got 'wls' instead"):
        sk.cfa(x, TWO, estimator="wls")
    with pytest.raises(TypeError, match="cfa takes a DataFrame"):
        sk.cfa(x.to_numpy(), TWO)
    with pytest.raises(ValueError, match=r"more free parameters \(4\) than the 2 items have"):
        sk.cfa(x, {"benefit": ["b1", "b2"]})


# --- rendering ----------------------------------------------------------------------------------

def test_result_renders_and_is_frozen():
    r = fitted("three_factor")
    html = r._repr_html_()
    for name in FIT_MEASURES:
        assert f"<th>{name}</th>" in html
    assert f"{r.fit['cfi']:.3f}" in html and f"{r.fit['rmsea']:.3f}" in html and "HTMT" in html
    text = repr(r)
    assert "\n" not in text and text.startswith("<CFAResult ") and text.endswith(">")
    assert "n_factors=3" in text and "n_items=12" in text and "n_obs=600" in text and f"cfi={r.fit['cfi']:.3f}" in text
    summary = r.summary()
    body = summary.as_text()
    assert f"chi2({r.fit['df']}) = {r.fit['chi2']:.2f}" in body and "Fornell-Larcker" in body
    assert "Loadings" in summary.as_markdown()
    frame = r.to_frame()
    assert list(frame.columns) == ["factor", "item", "estimate", "se", "z", "p_value", "std_estimate"]
    frame.loc[0, "estimate"] = 99.0  # a copy: the result is untouched
    assert r.estimates.loc[0, "estimate"] == 1.0
    with pytest.raises(AttributeError):
        r.n_obs = 1
    back = pickle.loads(pickle.dumps(r))
    assert back.fit == r.fit and back.model == r.model == {f: tuple(i) for f, i in MODELS["three_factor"].items()}
