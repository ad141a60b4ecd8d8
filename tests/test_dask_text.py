"""Theme counts on Dask equal theme_counts on the whole column, whatever the partitioning.

Every count is a number of respondents (or a sum of their weights): the partitions' counts add
up exactly (counts equal; weighted sums and shares to 1e-12 relative, the order of additions).
Quotes are chosen among each partition's picks and are not compared with the pandas picks.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.errors import QuestionnaireError

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from surveykit.dask import DaskThemeCounts, read_responses_dask, themes_dask  # noqa: E402
from surveykit.dask import themes as dask_themes  # noqa: E402
from surveykit.text.counts import theme_counts  # noqa: E402

RTOL = 1e-12
pytestmark = pytest.mark.filterwarnings("ignore::surveykit.errors.DataQualityWarning")


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="module")
def study():
    from pathlib import Path

    from surveykit.example import generate_example

    ex = generate_example(n_respondents=500, n_customers=2500, seed=3)
    raw = ex.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    raw["w"] = np.random.default_rng(2).uniform(0.5, 2.0, len(raw)).round(3)
    raw.loc[[4, 40], "comment"] = ["无", "12345"]  # a non-answer and a cell that is no comment
    spec = yaml.safe_load((Path(__file__).resolve().parents[1] / "questionnaires" / "customer_value.yaml")
                          .read_text(encoding="utf-8"))
    spec["weight"] = {"column": "w"}
    q = sk.load_questionnaire(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdata = sk.read_responses(raw, q)
    want = theme_counts(pdata.responses["comment"], "customer_value", by=pdata.responses["tier"].to_numpy(),
                        weights=pdata.meta["weight"].to_numpy())
    return raw, q, want


def _equal(got, want):
    pd.testing.assert_series_equal(got.accounting, want.accounting)
    pd.testing.assert_frame_equal(got.cooccurrence, want.cooccurrence)
    pd.testing.assert_series_equal(got.unmatched_words, want.unmatched_words)
    for name in ("table", "by_segment"):
        g, w = getattr(got, name), getattr(want, name)
        pd.testing.assert_index_equal(g.index, w.index)
        assert list(g.columns) == list(w.columns)
        for col in w.columns:
            if pd.api.types.is_float_dtype(w[col]):
                np.testing.assert_allclose(g[col], w[col], rtol=RTOL, err_msg=f"{name} {col}")
            else:  # counts and names exactly, with their dtypes
                pd.testing.assert_series_equal(g[col], w[col], check_names=False)
    assert (got.n_obs, got.n_dropped, got.n_not_text, got.n_no_segment) == \
        (want.n_obs, want.n_dropped, want.n_not_text, want.n_no_segment)
    assert got.unmatched_share == want.unmatched_share


@pytest.mark.parametrize("npartitions", [1, 2, 7])
def test_theme_counts_on_partitions_equal_the_whole_column(study, npartitions):
    raw, q, want = study
    data = read_responses_dask(dd.from_pandas(raw, npartitions=npartitions), q, persist=True)
    got = data.themes("comment", "customer_value", by="tier")
    _equal(got, want)
    assert want.table["count"].sum() > 100 and want.accounting["non_answer"] >= 1  # a real test: themes were found
    assert set(got.quotes["theme"]) <= set(want.table.index) and (got.quotes["rank"] <= 3).all()


def test_the_tokenizer_is_built_once_per_worker(study):
    raw, q, _ = study
    data = read_responses_dask(dd.from_pandas(raw, npartitions=3), q, persist=True)
    dask_themes._WORKER_THEMES.clear()
    themes = sk.load_themes("customer_value")
    themes_dask(data, "comment", themes)
    assert len(dask_themes._WORKER_THEMES) == 1  # three partitions, one dictionary kept
    (kept,) = dask_themes._WORKER_THEMES.values()
    assert "analyzer" in kept._cache  # built by the first partition, then reused by the others
    analyzer = kept.analyzer
    themes_dask(data, "comment", themes)
    (again,) = dask_themes._WORKER_THEMES.values()
    assert again is kept and again.analyzer is analyzer


def test_results_render_and_pickle(study):
    raw, q, _ = study
    data = read_responses_dask(dd.from_pandas(raw, npartitions=2), q)
    r = themes_dask(data, "comment", "customer_value")
    assert isinstance(r, DaskThemeCounts) and r.by_segment is None and r.weighted
    assert repr(r).startswith("<DaskThemeCounts") and "\n" not in repr(r)
    assert r._repr_html_().startswith("<div") and "Quotes are chosen" in r.summary().as_text()
    assert repr(pickle.loads(pickle.dumps(r))) == repr(r)
    with pytest.raises(QuestionnaireError, match="'sat_overall' is not an open-text item"):
        themes_dask(data, "sat_overall", "customer_value")
    with pytest.raises(ValueError, match="'by' parameter of themes_dask names column 'nope'"):
        themes_dask(data, "comment", "customer_value", by="nope")
