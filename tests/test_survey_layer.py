"""The questionnaire layer's calls behind the report's tables: one call per table, computed once per SurveyData."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.indices.survey import DRIVERS_BOOTSTRAP, DRIVERS_SEED, survey_indices
from surveykit.psychometrics.survey import PA_ITERATIONS, PA_SEED


@pytest.fixture(scope="module")
def data():
    return sk.example_data()


def test_weights_and_segment_labels_come_from_the_questionnaire(data, small_q, tmp_path):
    from conftest import SMALL_CSV, write_csv

    assert data.weights is None or data.weights.dtype == float
    region = data.segment_labels("region")
    assert isinstance(region.dtype, pd.CategoricalDtype) and region.name == "region"
    assert list(region.cat.categories) == list(data.segment("region").cat.categories)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        small = sk.read_responses(write_csv(tmp_path / "s.csv", SMALL_CSV), small_q)
    assert small.weights is None
    assert list(small.segment_labels("gender").dropna().unique()) == ["男", "女"]


def test_index_scores_are_computed_once_per_survey_data(data, monkeypatch):
    import surveykit.indices.survey as module

    fresh = sk.example_data()
    calls = []
    compute = module._survey_indices
    monkeypatch.setattr(module, "_survey_indices", lambda *a: calls.append(a[1]) or compute(*a))
    full = fresh.indices()
    overall = survey_indices(fresh, segments=())  # as survey_themes and link_survey call it
    assert calls == [tuple(fresh.questionnaire.segments)] and fresh.indices() is full
    assert overall.results["satisfaction_index"] is full.results["satisfaction_index"]
    direct = compute(sk.example_data(), (), 0, "bca", None, 2, fresh.questionnaire.language)[0]
    pd.testing.assert_frame_equal(overall.table.reset_index(drop=True), direct.table)
    assert overall.notes == direct.notes and overall.segments == ()
    # a new object starts afresh; pickling leaves the cache behind
    assert fresh.clean(["duplicate_ids"])._cache == {}
    assert pickle.loads(pickle.dumps(fresh))._cache == {}


def test_factor_analysis_keeps_its_decisions_on_the_result(data):
    fa = data.factor_analysis(n_iter=30)
    constructs = [c for c in data.questionnaire.constructs.values() if len(c.items) >= 2]
    assert fa.n_factors == len(constructs) == fa.efa.n_factors
    assert fa.items == tuple(i for c in constructs for i in c.items)
    assert fa.n_iter == fa.parallel.n_iter == 30 and fa.seed == PA_SEED
    assert fa.bartlett.n_obs == fa.efa.n_obs  # listwise throughout
    x = data.scored_items()[list(fa.items)]
    assert fa.kmo.overall == pytest.approx(sk.kmo(x, nan_policy="listwise").overall, abs=1e-12)
    assert data.factor_analysis().n_iter == PA_ITERATIONS
    r = fa
    assert "\n" not in repr(r) and repr(r).startswith("<SurveyFactorAnalysis")
    assert r.summary().as_text() and r._repr_html_().startswith("<div") and list(r.to_frame().index) == list(fa.items)
    assert repr(pickle.loads(pickle.dumps(r))) == repr(r)


def test_drivers_are_the_numeric_calls_on_the_roles(data):
    d = data.drivers(bootstrap=50, seed=3)
    parts = [*d.benefits, *d.sacrifices]
    sat = data.indices().results["satisfaction_index"].scores
    frame = data.construct_scores()[parts].assign(satisfaction=sat)
    rw = sk.key_drivers(frame, "satisfaction", parts, method="relative_weights", bootstrap=50, seed=3)
    np.testing.assert_allclose(d.to_frame()["share"], rw.coefficients["share"], atol=1e-12)
    assert d.bootstrap == 50 and d.seed == 3 and d.ipa is not None
    lo, hi = d.scale_min, d.scale_max
    cost = d.sacrifices[0]
    assert d.performance[cost] == pytest.approx(lo + hi - data.construct_scores()[cost].mean())
    default = data.drivers()
    assert (default.bootstrap, default.seed) == (DRIVERS_BOOTSTRAP, DRIVERS_SEED)
    assert "\n" not in repr(d) and repr(d).startswith("<SurveyDrivers")
    assert d.summary().as_text() and d._repr_html_().startswith("<div")
    assert repr(pickle.loads(pickle.dumps(d))) == repr(d)


def test_nps_value_and_banners_by_segment(data):
    by = data.nps_by_segment()
    region = data.segment_labels("region")
    level = region.cat.categories[0]
    mask = (region == level).to_numpy()
    expected = sk.nps(data.scored_items()[data.questionnaire.resolve_role("nps")[0]][mask])
    assert by[f"region: {level}"].score == pytest.approx(expected.score)
    points = data.value_by_segment("region")
    assert list(points) == [str(c) for c in region.cat.categories]
    banners = data.index_banners(segments=["region"])
    assert list(banners) == ["region"] and banners["region"].n_obs > 0


def test_questionnaire_without_roles_says_what_is_missing(small_q, tmp_path):
    from conftest import SMALL_CSV, write_csv

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        small = sk.read_responses(write_csv(tmp_path / "s.csv", SMALL_CSV), small_q)
    with pytest.raises(sk.QuestionnaireError, match="perceived_benefits"):
        small.drivers()
