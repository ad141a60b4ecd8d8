"""Banners, reliability, KMO / Bartlett, EFA, CFA and driver models on Dask equal their pandas results.

The same responses as tests/test_dask.py (its fixtures), read once per partitioning (1, 2 and 7
partitions, kept in memory), each analysis compared with today's pandas function, itself checked
against R by tests/reference/. Tolerances: sums, moments and what is read from them in closed
form (cells, tests, alpha, KMO, Bartlett, OLS) 1e-12 relative (partitions change only the order
of additions); a difference of two estimates to 1e-12 of the estimates (cancellation); EFA and
CFA estimates to the tolerance of their iterative fits (minres and Fisher scoring stop at steps
of about 1e-10: a correlation matrix that differs in the last bits moves the stopping point by
as much), counts exactly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DataError, QuestionnaireError

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from test_dask import _close, expected, questionnaire, raw  # noqa: E402,F401  (shared fixtures)

from surveykit.dask import banner_dask, read_responses_dask  # noqa: E402
from surveykit.indices.banner import banner  # noqa: E402
from surveykit.indices.drivers import key_drivers  # noqa: E402
from surveykit.psychometrics import bartlett, cfa, efa, kmo  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::surveykit.errors.DataQualityWarning")
ITERATIVE = 1e-8  # EFA / CFA: the fits' own convergence tolerance (see the module docstring)
_READ: dict = {}


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _data(raw, q, npartitions):
    """The responses read on Dask once per questionnaire and partitioning, kept in memory (persist)."""
    key = (q.weight is not None, npartitions)
    if key not in _READ:
        _READ[key] = read_responses_dask(dd.from_pandas(raw, npartitions=npartitions), q, persist=True)
    return _READ[key]


def _frame(pdata):
    """The pandas coded frame with the meta columns (the weights), as the Dask frame has them."""
    return pdata.responses.join(pdata.meta)


def _iterative(got, want, what):
    got, want = np.asarray(got, float), np.asarray(want, float)
    np.testing.assert_allclose(got, want, rtol=ITERATIVE, atol=ITERATIVE * np.nanmax(np.abs(want)), err_msg=what)


# -- banners -------------------------------------------------------------------------------------------

def _same_banner(got, want):
    """Equal tables: cells and intervals to 1e-12 relative, counts, letters and notes exactly."""
    for name in ("table", "effective_base"):
        _close(getattr(got, name), getattr(want, name), name)
    pd.testing.assert_frame_equal(got.counts, want.counts)
    pd.testing.assert_frame_equal(got.letters, want.letters)
    assert got.column_keys == want.column_keys and got.n_obs == want.n_obs and got.n_dropped == want.n_dropped
    for name in ("tests", "estimates", "pairwise"):
        g, w = getattr(got, name), getattr(want, name)
        assert g.shape == w.shape and list(g.columns) == list(w.columns)
        for col in w.columns:
            if pd.api.types.is_float_dtype(w[col]):
                _close(g[col], w[col], f"{name} {col}", of_differences=col in ("difference", "statistic"))
            else:
                assert g[col].tolist() == w[col].tolist(), f"{name} {col}"


@pytest.mark.parametrize("npartitions", [1, 2, 7])
def test_banners_equal_the_pandas_banner(raw, questionnaire, expected, npartitions):
    weights = "weight" if questionnaire.weight is not None else None
    data = _data(raw, questionnaire, npartitions)
    frame = _frame(expected["data"])
    rows = {"sat_overall": "sat_overall", "svc_2": "svc_2", "sat_overall (distribution)": "sat_overall",
            "gender": "gender", "complained": "complained"}
    kind = {"sat_overall (distribution)": "proportions", "gender": "proportions"}
    for segment in ("tier", "region"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = banner(frame, segment, rows, kind=kind, weights=weights, correction="holm")
            got = banner_dask(data, segment, rows, kind=kind, weights=weights, correction="holm")
        _same_banner(got, want)
        assert np.isfinite(got.tests["p_value"]).all() and len(got.pairwise) > 20  # every test ran
    assert data.banner("tier", ["sat_overall"], weights=weights).table.shape == (1, 1 + frame["tier"].nunique())


def test_a_banner_row_without_answers_and_a_bad_option(raw, questionnaire):
    data = _data(raw, questionnaire, 2)
    with pytest.raises(ValueError, match="'alpha' parameter of banner_dask"):
        banner_dask(data, "tier", ["sat_overall"], alpha=2)
    with pytest.raises(ValueError, match="names column 'nope'"):
        banner_dask(data, "nope", ["sat_overall"])
    empty = read_responses_dask(dd.from_pandas(raw.assign(svc_3=np.nan), npartitions=2), questionnaire)
    with pytest.raises(DataError, match=r"Row 'svc_3' of banner has no answers in any column of 'tier'"):
        banner_dask(empty, "tier", ["svc_3"])


# -- reliability, adequacy, EFA, CFA --------------------------------------------------------------------

@pytest.mark.parametrize("npartitions", [1, 2, 7])
def test_psychometrics_from_one_pass_of_cross_products(raw, questionnaire, expected, npartitions):
    data = _data(raw, questionnaire, npartitions)
    pdata = expected["data"]
    every = data.reliability()  # every construct in one pass
    assert set(every) == set(questionnaire.constructs)
    for construct in ("satisfaction", "product_value", "monetary_cost"):
        got, want = every[construct], sk.reliability(pdata.items(construct))
        assert (got.n_obs, got.n_dropped, got.n_items) == (want.n_obs, want.n_dropped, want.n_items)
        _close([got.alpha, got.std_alpha, got.average_r, got.ci_low, got.ci_high, got.omega_total],
               [want.alpha, want.std_alpha, want.average_r, want.ci_low, want.ci_high, want.omega_total], construct)
        _close(got.items, want.items, f"{construct} item analysis")
    assert data.reliability("loyalty").alpha == every["loyalty"].alpha

    items = [*questionnaire.items_of("product_value"), *questionnaire.items_of("service_value"),
             *questionnaire.items_of("satisfaction")]
    scored = pdata.scored_items()[items]
    k, b = data.adequacy(items)
    _close([k.overall, b.chi2, b.p_value], [kmo(scored, nan_policy="listwise").overall,
                                            *(lambda r: (r.chi2, r.p_value))(bartlett(scored, nan_policy="listwise"))],
           "KMO, Bartlett")
    _close(k.items, kmo(scored, nan_policy="listwise").items, "per-item MSA")
    got, want = data.efa(3, items=items), efa(scored, 3)
    assert (got.n_obs, got.n_dropped) == (want.n_obs, want.n_dropped)
    _close(got.eigenvalues, want.eigenvalues, "eigenvalues")  # closed form of the correlations
    _close(got.means, want.means, "means")
    for name in ("loadings", "communalities", "phi"):
        _iterative(getattr(got, name), getattr(want, name), name)

    model = {"product_value": list(questionnaire.items_of("product_value")),
             "satisfaction": list(questionnaire.items_of("satisfaction"))}
    got, want = data.cfa(model), cfa(pdata.scored_items(), model)
    assert got.n_obs == want.n_obs and got.fit["df"] == want.fit["df"]
    for name in ("loadings", "phi", "validity", "htmt"):
        _iterative(getattr(got, name), getattr(want, name), name)
    _iterative(got.estimates.select_dtypes("number"), want.estimates.select_dtypes("number"), "estimates")
    _iterative([got.fit[m] for m in ("chi2", "cfi", "rmsea", "srmr")],
               [want.fit[m] for m in ("chi2", "cfi", "rmsea", "srmr")], "fit")


def test_psychometrics_bad_input(raw, questionnaire):
    data = _data(raw, questionnaire, 2)
    with pytest.raises(QuestionnaireError, match="unknown item 'nope'"):
        data.reliability(items=["sat_overall", "nope"])
    with pytest.raises(ValueError, match="'construct' and 'items'"):
        data.reliability("satisfaction", items=["sat_overall"])
    with pytest.raises(ValueError, match="'n_factors' parameter of efa must be an integer from 1 to 2"):
        data.efa(3, items=["prod_1", "prod_2", "prod_3"])


# -- driver models --------------------------------------------------------------------------------------

@pytest.mark.parametrize("npartitions", [1, 2, 7])
def test_drivers_from_per_partition_cross_products(raw, questionnaire, expected, npartitions):
    data = _data(raw, questionnaire, npartitions)
    frame = _frame(expected["data"])
    weights = "weight" if questionnaire.weight is not None else None
    drivers = ["prod_1", "svc_1", "staff_1", "img_1", "value_1"]
    for robust in (None, "HC1", "HC3"):
        got = data.drivers("sat_overall", drivers, weights=weights, robust=robust)
        want = key_drivers(frame, "sat_overall", drivers, weights=weights, robust=robust)
        assert (got.n_obs, got.n_dropped, got.cov_type, got.weighted) == \
            (want.n_obs, want.n_dropped, want.cov_type, want.weighted)
        _close(got.coefficients, want.coefficients, f"coefficients {robust}")
        _close(got.intercept, want.intercept, f"intercept {robust}")
        _close(got.importance, want.importance, "importance")
        _close([got.r_squared, got.adj_r_squared, got.effective_n],
               [want.r_squared, want.adj_r_squared, want.effective_n], "fit")


def test_drivers_bad_input(raw, questionnaire):
    collinear = raw.assign(svc_1=raw["prod_1"])
    data = read_responses_dask(dd.from_pandas(collinear, npartitions=2), questionnaire)
    with pytest.raises(DataError, match="perfectly collinear"):
        data.drivers("sat_overall", ["prod_1", "svc_1"])
    with pytest.raises(ValueError, match="The 'robust' parameter of drivers_dask"):
        data.drivers("sat_overall", ["prod_1"], robust="HC9")
    with pytest.raises(ValueError, match=r"not in it: \['nope'\]"):
        data.drivers("sat_overall", ["nope"])


# -- the Poisson bootstrap ------------------------------------------------------------------------------

def test_poisson_bootstrap_intervals_whatever_the_partitioning(raw, questionnaire, expected):
    """The same resamples whatever the partitioning (each row's draws seeded by its block of rows), so the
    intervals agree to the order of additions; a frame in memory (one block, the pandas path) gets them too."""
    from surveykit import _moments as mo
    from surveykit.indices.nps import nps_points

    tables = [_data(raw, questionnaire, k).indices(segments=["tier"], bootstrap=300, seed=7).table for k in (1, 2, 7)]
    for t in tables[1:]:
        assert (t["ci_method"] == "poisson_percentile").all()
        for col in ("estimate", "ci_low", "ci_high"):
            _close(t[col], tables[0][col], col)
    t = tables[0].dropna(subset=["estimate"])
    assert ((t["ci_low"] < t["estimate"]) & (t["estimate"] < t["ci_high"])).all()
    pdata = expected["data"]
    (item,) = questionnaire.resolve_role("nps")
    w = pdata.meta["weight"].to_numpy() if questionnaire.weight is not None else None
    sums = mo.poisson_sums(nps_points(pdata.responses[item]), w, pdata.meta["source_row"].to_numpy(), 300, 7)
    lo, hi = mo.poisson_interval(sums, 0.95)
    row = tables[0].set_index(["index", "segment"]).loc[("nps", "(overall)")]
    _close([row["ci_low"], row["ci_high"]], [lo[0, 0], hi[0, 0]], "NPS interval, one block")
    other = _data(raw, questionnaire, 2).indices(segments=[], bootstrap=300, seed=8).table
    assert not np.allclose(other["ci_low"].dropna(), tables[0].query("segment == '(overall)'")["ci_low"].dropna())
