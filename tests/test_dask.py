"""The pipeline on Dask equals the pandas pipeline: reading and accounting, descriptives, indices, item covariance.

Every comparison is against today's pandas functions on the same responses (themselves checked
against R by tests/reference/): sums and moments to 1e-12 relative (the partitions only change
the order of floating-point additions, ~1e-16 each), counts exactly. The synchronous scheduler
keeps the suite fast; one test runs a 2-worker LocalCluster.
"""

from __future__ import annotations

import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.errors import DataError

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from surveykit.dask import (  # noqa: E402
    describe_dask,
    indices_dask,
    item_covariance_dask,
    read_responses_dask,
)
from surveykit.dask.analyses import survey_summary_dask  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RTOL = 1e-12  # partitions change only the order of additions
# each part with problems warns as read_responses does; the tests compare the problems themselves
pytestmark = pytest.mark.filterwarnings("ignore::surveykit.errors.DataQualityWarning")


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="module")
def raw():
    """The example study's export with dirt a real export has: a blank row, a row without id, an
    out-of-range answer, an answer that is no option of its scale, and survey weights."""
    from surveykit.example import generate_example

    study = generate_example(n_respondents=800, n_customers=4000, seed=11)
    frame = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    frame["w"] = np.random.default_rng(5).uniform(0.3, 3.0, len(frame)).round(4)
    frame = frame.astype({"prod_1": object})
    frame.loc[17, "prod_1"] = "很好"  # no option of the scale
    frame.loc[40, "svc_2"] = 7.0  # outside 1-5
    blank = pd.DataFrame([[np.nan] * frame.shape[1]], columns=frame.columns)
    no_id = frame.iloc[[3]].assign(resp_id=np.nan)
    return pd.concat([frame.iloc[:100], blank, frame.iloc[100:500], no_id, frame.iloc[500:]], ignore_index=True)


@pytest.fixture(scope="module", params=["unweighted", "weighted"])
def questionnaire(request):
    spec = yaml.safe_load((ROOT / "questionnaires" / "customer_value.yaml").read_text(encoding="utf-8"))
    if request.param == "weighted":
        spec["weight"] = {"column": "w"}
    return sk.load_questionnaire(spec)


def _pandas(raw, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(raw, q)


@pytest.fixture(scope="module")
def expected(raw, questionnaire):
    """The pandas results, once per questionnaire."""
    q = questionnaire
    data = _pandas(raw, q)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"data": data, "describe": data.describe(), "indices": data.indices(segments=q.segments).table,
                "reliability": {c: sk.reliability(data.items(c)) for c in ("satisfaction", "product_value")}}


def _close(got, want, what, *, of_differences=False):
    """Equal to RTOL; a difference of two estimates (and its test statistic) to RTOL of the largest value of
    its column, as the estimates it is taken from (cancellation in the difference, not the sums)."""
    got, want = np.asarray(got, float), np.asarray(want, float)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=what)
    atol = RTOL * np.nanmax(np.abs(want)) if of_differences and np.isfinite(want).any() else 0
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=atol, err_msg=what)


@pytest.mark.parametrize("npartitions", [1, 2, 7])
def test_partitions_give_the_pandas_results(raw, questionnaire, expected, npartitions):
    q = questionnaire
    pdata = expected["data"]
    data = read_responses_dask(dd.from_pandas(raw, npartitions=npartitions), q)
    assert data.npartitions == npartitions
    # accounting: rows read = used + excluded, every reason, rows numbered across partitions
    pd.testing.assert_frame_equal(data.accounting(), pdata.accounting())
    assert sorted(zip(data.exclusions["source_row"], data.exclusions["reason"])) == \
        sorted(zip(pdata.exclusions["source_row"], pdata.exclusions["reason"]))
    codes = {i.code: (i.count, sorted(i.rows)) for i in pdata.read_issues if i.rows}
    assert {i.code: (i.count, sorted(i.rows)) for i in data.read_issues if i.rows} == codes
    assert {"unknown_option", "out_of_range", "blank_row", "missing_respondent_id"} <= set(codes)

    desc, ix = survey_summary_dask(data)
    want = expected["describe"]
    assert desc.weighted == want.weighted == (q.weight is not None)
    for name, group in want.groups.items():
        got = desc.groups[name]
        for col in group.table:
            _close(got.table[col], group.table[col], f"{name} {col}")
        pd.testing.assert_frame_equal(got.counts, group.counts)  # counts exactly
        _close(got.distribution, group.distribution, f"{name} distribution")

    pix = expected["indices"]
    pix = pix[pix["index"].isin(ix.table["index"])]
    assert len(ix.table) == len(pix) > 40  # every index overall and by every level of every segment
    merged = pix.merge(ix.table, on=["index", "segment", "level"], suffixes=("_pandas", "_dask"))
    assert len(merged) == len(pix)
    assert (merged["n_obs_pandas"] == merged["n_obs_dask"]).all()
    for col in ("estimate", "se", "ci_low", "ci_high", "effective_n"):
        _close(merged[f"{col}_dask"], merged[f"{col}_pandas"], col)

    for construct in ("satisfaction", "product_value"):
        cov = item_covariance_dask(data, construct)
        items = pdata.items(construct).dropna()
        _close(cov.cov, items.cov(), f"{construct} covariance")
        _close(cov.corr, items.corr(), f"{construct} correlation")
        rel = expected["reliability"][construct]
        assert cov.n_obs == rel.n_obs
        _close([cov.alpha, cov.std_alpha, cov.average_r], [rel.alpha, rel.std_alpha, rel.average_r], "alpha")


def test_separate_calls_equal_the_one_pass(raw, questionnaire):
    data = read_responses_dask(dd.from_pandas(raw, npartitions=3), questionnaire, persist=True)
    desc, ix = survey_summary_dask(data)
    pd.testing.assert_frame_equal(describe_dask(data).to_frame(), desc.to_frame())
    pd.testing.assert_frame_equal(indices_dask(data).table, ix.table)
    assert data.describe().weighted == desc.weighted


def test_results_render_pickle_and_have_one_line_reprs(raw):
    data = read_responses_dask(dd.from_pandas(raw, npartitions=2), "customer_value")
    results = (data, data.indices(segments=["tier"]), data.item_covariance("satisfaction"))
    assert [type(r).__name__ for r in results] == ["DaskSurveyData", "DaskIndices", "ItemCovariance"]
    for r in results:
        assert "\n" not in repr(r) and repr(r).startswith(f"<{type(r).__name__}")
        assert r.summary().as_text() and r._repr_html_().startswith("<div")
        back = pickle.loads(pickle.dumps(r))
        assert repr(back) == repr(r)
    assert pickle.loads(pickle.dumps(data)).frame.compute().shape == data.frame.compute().shape
    with pytest.raises(ValueError, match="'construct' and 'items'"):
        item_covariance_dask(data)


def _write_parts(raw, tmp_path, fmt, n_files=3):
    bounds = np.linspace(0, len(raw), n_files + 1).astype(int)
    paths = []
    for k in range(n_files):
        part = raw.iloc[bounds[k]:bounds[k + 1]]
        path = tmp_path / f"export_{k}.{fmt}"
        if fmt == "csv":
            part.to_csv(path, index=False, encoding="utf-8")
        else:
            part.astype({"prod_1": str}).replace({"nan": None}).to_parquet(path, index=False)
        paths.append(path)
    return paths


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_pattern_of_exports(raw, questionnaire, expected, tmp_path, fmt):
    paths = _write_parts(raw, tmp_path, fmt)
    data = read_responses_dask(str(tmp_path / f"export_*.{fmt}"), questionnaire)
    assert data.sources == tuple(str(p) for p in paths) and data.npartitions == 3
    assert data.audit.n_rows_read == len(raw)
    pdata = expected["data"]
    pd.testing.assert_frame_equal(data.accounting(), pdata.accounting())
    # each file numbers its own rows, as read_responses numbers them (header = row 1)
    ex = data.exclusions.set_index("reason")
    blank_file = ex.loc["blank_row", "source_file"]
    assert Path(blank_file).name == "export_0.csv" if fmt == "csv" else Path(blank_file).name == "export_0.parquet"
    assert ex.loc["blank_row", "source_row"] == (102 if fmt == "csv" else 101)
    frame = data.frame.compute()
    assert frame["source_file"].nunique() == 3 and len(frame) == pdata.n_respondents
    want, got = expected["describe"].to_frame(), data.describe().to_frame()
    for col in ("n_obs", "mean", "sd", "top_box"):
        _close(got[col], want[col], col)


def test_each_file_is_decoded_with_its_own_encoding(raw, questionnaire, expected, tmp_path):
    paths = _write_parts(raw, tmp_path, "csv")
    pd.read_csv(paths[1], dtype=str).to_csv(paths[1], index=False, encoding="gb18030")
    data = read_responses_dask(str(tmp_path / "export_*.csv"), questionnaire)
    assert "gb18030" in data.audit.encoding.lower() and "utf-8" in data.audit.encoding.lower()
    pd.testing.assert_frame_equal(data.accounting(), expected["data"].accounting())
    got = data.describe().to_frame()
    _close(got["mean"], expected["describe"].to_frame()["mean"], "mean")


def test_files_whose_headers_differ(raw, tmp_path):
    paths = _write_parts(raw, tmp_path, "csv")
    pd.read_csv(paths[2]).drop(columns=["svc_1"]).rename(columns={"gender": "sex"}).to_csv(paths[2], index=False)
    with pytest.raises(DataError, match=r"'export_2.csv' lacks 'svc_1', 'gender' and has 'sex' in addition"):
        read_responses_dask(str(tmp_path / "export_*.csv"), "customer_value")


def test_a_pattern_matching_no_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No file matches the pattern .*nothing_\*\.csv"):
        read_responses_dask(str(tmp_path / "nothing_*.csv"), "customer_value")


def test_ids_repeated_across_partitions(raw):
    twice = pd.concat([raw.iloc[:300], raw.iloc[250:600]], ignore_index=True)
    data = read_responses_dask(dd.from_pandas(twice, npartitions=2), "customer_value")
    repeated = [i for i in data.read_issues if i.code == "duplicate_respondent_id"]
    assert len(repeated) == 1 and repeated[0].count == 50  # within a partition (25) and across the two (25)
    assert "100 rows, in partition 0, partition 1" in repeated[0].message


def test_an_empty_partition_counts_nothing(raw):
    blocks = [raw.iloc[:400], raw.iloc[:0], raw.iloc[400:]]
    data = read_responses_dask(dd.from_map(lambda k: blocks[k], range(3), meta=raw.iloc[:0]), "customer_value")
    pdata = _pandas(raw, sk.load_questionnaire("customer_value"))
    pd.testing.assert_frame_equal(data.accounting(), pdata.accounting())
    frame = data.frame.compute()
    assert len(frame) == pdata.n_respondents and frame["source_row"].is_unique
    # rows keep their numbers across the empty partition
    np.testing.assert_array_equal(frame["source_row"], pdata.meta["source_row"])


def test_without_dask_the_message_names_the_extra(monkeypatch, tmp_path):
    for name in [m for m in sys.modules if m == "dask" or m.startswith("dask.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "surveykit\[dask\]"'):
        read_responses_dask(str(tmp_path / "*.csv"), "customer_value")


def test_on_a_local_cluster(raw, tmp_path):
    """End to end on a 2-worker LocalCluster (threads, so it starts in about a second): < 20 s."""
    distributed = pytest.importorskip("distributed")
    start = time.perf_counter()
    _write_parts(raw, tmp_path, "parquet", n_files=4)
    q = sk.load_questionnaire("customer_value")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c, \
            distributed.Client(c), dask.config.set(scheduler=None):
        data = read_responses_dask(str(tmp_path / "*.parquet"), q)
        desc, ix = survey_summary_dask(data)
    pdata = _pandas(raw, q)
    pd.testing.assert_frame_equal(data.accounting(), pdata.accounting())
    want = pdata.indices().overall
    got = ix.overall.loc[want.index.intersection(ix.overall.index)]
    _close(got["estimate"], want.loc[got.index, "estimate"], "estimate")
    _close(desc.to_frame()["mean"], pdata.describe().to_frame()["mean"], "mean")
    assert time.perf_counter() - start < 20

