"""EFA against R psych 2.2.9 + GPArotation (tests/reference/efa.R), every cell of every case.

Tolerance 1e-4 for loadings, communalities, factor correlations, SS loadings, rms and scores:
psych fits minres and ml with ``optim`` (L-BFGS-B, finite-difference gradient), which stops
about 1e-5 from the optimum; we minimise the same criterion with the exact gradient, so the
two solutions differ in the fifth decimal (measured: at most 1e-5). Principal components
are closed-form and checked to 1e-8.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit import DataError, SurveykitWarning, efa, harman_test
from surveykit.psychometrics._rotation import oblimin, promax, varimax

REF = Path(__file__).parent / "reference" / "data"
EXPECTED = pd.read_csv(REF / "efa_expected.csv", keep_default_na=False)
CASES = [c for c in EXPECTED["case"].unique() if not c.startswith(("pa/", "omega"))]


def _data(shape: str) -> pd.DataFrame:
    x = pd.read_csv(REF / f"efa_{shape.removesuffix('_one')}.csv")
    return x.iloc[:, :4] if shape.endswith("_one") else x


def _matrix(g: pd.DataFrame, quantity: str) -> pd.DataFrame:
    sub = g[g["quantity"] == quantity]
    m = sub.pivot(index="row", columns="col", values="value")
    m.columns = m.columns.astype(int)
    return m.sort_index(axis=1)


@pytest.fixture(scope="module", params=CASES)
def case(request):
    name = request.param
    shape, method, rotation, policy = name.split("/")
    g = EXPECTED[EXPECTED["case"] == name]
    x = _data(shape)
    k = int(g.loc[g["quantity"] == "loading", "col"].astype(int).max())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        result = efa(x, k, method=method, rotation=None if rotation == "none" else rotation, nan_policy=policy)
    return name, g, x, result


def _tol(name: str) -> float:
    return 1e-8 if "/principal/" in name else 1e-4


def test_loadings_communalities_and_variance_match_psych(case):
    name, g, _, res = case
    tol = _tol(name)
    expected = _matrix(g, "loading").loc[res.loadings.index]
    np.testing.assert_allclose(res.loadings.to_numpy(), expected.to_numpy(), atol=tol, err_msg=name)
    comm = g[g["quantity"] == "communality"].set_index("row")["value"].loc[res.communalities.index]
    np.testing.assert_allclose(res.communalities.to_numpy(), comm.to_numpy(), atol=tol)
    np.testing.assert_allclose(res.uniquenesses + res.communalities, 1.0, atol=1e-12)
    ss = g[g["quantity"] == "ss_loadings"].sort_values("col", key=lambda c: c.astype(int))["value"].to_numpy()
    np.testing.assert_allclose(res.variance["ss_loadings"].to_numpy(), ss, atol=tol)
    p = len(res.loadings)
    np.testing.assert_allclose(res.variance["proportion"].to_numpy(), ss / p, atol=tol)
    np.testing.assert_allclose(res.variance["cumulative"].to_numpy(), np.cumsum(ss) / p, atol=tol)


def test_factor_correlations_and_rms_match_psych(case):
    name, g, _, res = case
    if (g["quantity"] == "phi").any():
        np.testing.assert_allclose(res.phi.to_numpy(), _matrix(g, "phi").to_numpy(), atol=_tol(name))
        np.testing.assert_allclose(res.structure.to_numpy(), res.loadings.to_numpy() @ res.phi.to_numpy())
    else:
        assert res.phi is None
        pd.testing.assert_frame_equal(res.structure, res.loadings)
    rms = g.loc[g["quantity"] == "rms", "value"]
    if len(rms):
        assert res.rms == pytest.approx(float(rms.iloc[0]), abs=1e-4)


@pytest.mark.parametrize("method", ["regression", "bartlett"])
def test_factor_scores_match_psych(case, method):
    name, g, x, res = case
    if name.endswith("/pairwise"):
        pytest.skip("R scored the listwise data with its own means; pairwise fits standardise with all rows")
    expected = _matrix(g, f"score_{method}").to_numpy()
    got = res.scores(x.dropna().iloc[:5], method=method).to_numpy()
    np.testing.assert_allclose(got, expected, atol=1e-4 if "/principal/" not in name else 1e-7)


def test_scores_of_new_respondents_use_the_training_scale():
    x = _data("three_factor")
    res = efa(x.iloc[:300], 3)
    one = res.scores(x.iloc[300:301])
    alone = res.scores(x.iloc[300:])
    pd.testing.assert_frame_equal(one, alone.iloc[:1])  # a respondent's score does not depend on the others
    blank = x.iloc[:2].copy()
    blank.iloc[0, 0] = np.nan
    scored = res.scores(blank)
    assert scored.iloc[0].isna().all() and scored.iloc[1].notna().all()
    with pytest.raises(ValueError, match="lack the items"):
        res.scores(x.drop(columns=x.columns[0]))


def test_rotations_leave_the_fit_unchanged():
    x = _data("three_factor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        fits = {rot: efa(x, 3, rotation=rot) for rot in (None, "varimax", "promax", "oblimin")}
    base = fits[None]
    for rot, res in fits.items():
        implied = res.loadings.to_numpy() @ (res.phi.to_numpy() if res.phi is not None else np.eye(3)) \
            @ res.loadings.to_numpy().T
        np.testing.assert_allclose(implied, base.loadings.to_numpy() @ base.loadings.to_numpy().T, atol=1e-8,
                                   err_msg=str(rot))
        pd.testing.assert_series_equal(res.communalities, base.communalities)


def test_rotation_functions_are_invariant_to_sign_and_order_of_input_factors():
    x = _data("three_factor")
    base = efa(x, 3, rotation=None).loadings.to_numpy()
    shuffled = base[:, [2, 0, 1]] * np.array([1, -1, 1])
    for fn in (varimax, promax, oblimin):
        a, _ = fn(base)
        b, _ = fn(shuffled)
        # same solution up to the order and sign of the columns
        match = np.abs(a.T @ b) / np.outer(np.linalg.norm(a, axis=0), np.linalg.norm(b, axis=0))
        assert np.allclose(np.sort(match.max(axis=1)), 1, atol=1e-5), fn.__name__


def test_labelled_result_and_rendering():
    x = _data("three_factor").rename(columns=lambda c: f"感知收益 {c}")
    res = efa(x, 3)
    assert list(res.loadings.columns) == ["F1", "F2", "F3"]
    assert res.loadings.index.name == "item" and res.loadings.index[0].startswith("感知收益")
    assert res.eigenvalues.index[0] == 1 and res.eigenvalues.is_monotonic_decreasing
    html = res._repr_html_()
    assert "Exploratory factor analysis" in html and "感知收益" in html and "Factor correlations" in html
    assert "oblimin" in repr(res) and "n_obs=" in repr(res)
    assert set(res.to_frame().columns) == {"F1", "F2", "F3", "communality", "uniqueness"}


def test_missing_answers_are_never_imputed():
    x = _data("two_factor_missing")
    res = efa(x, 2)
    assert res.n_obs == len(x.dropna()) and res.n_dropped == len(x) - len(x.dropna())
    pair = efa(x, 2, nan_policy="pairwise")
    assert pair.n_obs == len(x) and pair.n_dropped == 0


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_factors": 0}, ValueError, "n_factors"),
    ({"n_factors": 12}, ValueError, "from 1 to 11"),
    ({"n_factors": 2, "method": "paf"}, ValueError, "method"),
    ({"n_factors": 2, "rotation": "quartimax"}, ValueError, "rotation"),
    ({"n_factors": 2, "nan_policy": "impute"}, ValueError, "nan_policy"),
])
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        efa(_data("three_factor"), **kwargs)


def test_bad_data_gets_clear_errors():
    x = _data("three_factor")
    with pytest.raises(DataError, match=r"\['c'\] are constant"):
        efa(x.assign(c=3.0), 2)
    with pytest.raises(DataError, match="usable respondents for 12 items"):
        efa(x.iloc[:10], 2)
    dependent = x.assign(total=x.iloc[:, :3].sum(axis=1))
    with pytest.raises(DataError, match="singular.*total"):
        efa(dependent, 3)
    with pytest.raises(DataError, match="not numbers"):
        efa(x.astype(object).assign(x1=["a"] * len(x)), 2)
    with pytest.raises(ValueError, match="at least 3 items"):
        efa(x.iloc[:, :2], 1)


def test_near_singular_and_heywood_cases_warn():
    rng = np.random.default_rng(3)
    x = _data("three_factor")
    near = x.assign(copy=x.iloc[:, 0] + rng.normal(scale=1e-4, size=len(x)))
    with pytest.warns(SurveykitWarning, match="near-singular"):
        res = efa(near, 3)
    assert any("near-singular" in n for n in res.notes)
    f = rng.normal(size=(200, 1))
    heywood = pd.DataFrame(np.hstack([f + rng.normal(scale=0.01, size=(200, 1)),
                                      0.5 * f + rng.normal(size=(200, 3))]), columns=list("abcd"))
    with pytest.warns(SurveykitWarning, match="Heywood"):
        res = efa(heywood, 1)
    assert any("Heywood" in n and "'a'" in n for n in res.notes)


def _expected(case: str, quantity: str) -> np.ndarray:
    g = EXPECTED[(EXPECTED["case"] == case) & (EXPECTED["quantity"] == quantity)]
    return g.sort_values("col", key=lambda c: c.astype(int))["value"].to_numpy()


def test_harman_share_is_the_first_eigenvalue_share_or_one_factor_ss_loadings():
    x = _data("three_factor")
    res = harman_test(x)
    pc = _expected("pa/three_factor", "observed_pc")
    assert res.variance_share == pytest.approx(pc[0] / 12, abs=1e-10)  # SPSS "% of Variance", component 1
    assert res.n_eigen_above_1 == int((pc > 1).sum()) == 3
    assert not res.flagged and res.n_items == 12 and res.n_obs == len(x)
    one = harman_test(x.iloc[:, :4], method="minres")
    ss = _expected("three_factor_one/minres/none/listwise", "ss_loadings")
    assert one.variance_share == pytest.approx(ss[0] / 4, abs=1e-4)
    assert "does not exceed" in res._repr_html_()


def test_harman_flags_one_dominant_factor():
    rng = np.random.default_rng(5)
    f = rng.normal(size=(300, 1))
    x = pd.DataFrame(f + 0.5 * rng.normal(size=(300, 6)), columns=[f"q{i}" for i in range(6)])
    with pytest.warns(SurveykitWarning, match="common-method bias"):
        res = harman_test(x, threshold=0.4)
    assert res.flagged and res.variance_share > 0.7 and "exceeds" in res.summary().lines[0]
    with pytest.raises(ValueError, match="threshold"):
        harman_test(x, threshold=50)
    with pytest.raises(ValueError, match="method"):
        harman_test(x, method="paf")
