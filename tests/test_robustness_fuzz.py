"""Property tests (issue 17): the questionnaire parser, the theme-dictionary parser, the response and
transaction readers and the commands end every generated input in a clean read or a clear error, never a
traceback, a hang or a silently changed value.

The inputs come from the generators of benchmarks/bench_fuzz.py (a longer campaign runs there),
driven by hypothesis: seeded (derandomize) and bounded, a few seconds per target.
"""

from __future__ import annotations

import random

import pytest

hypothesis = pytest.importorskip("hypothesis")
bench_fuzz = pytest.importorskip("bench_fuzz")  # benchmarks/ is on sys.path (conftest)

SETTINGS = dict(derandomize=True, deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck))
seeds = hypothesis.strategies.integers(0, 2**32 - 1)


def _check(kind: str, detail: str) -> None:
    assert kind in ("clean", "error"), f"{kind}: {detail}"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@hypothesis.settings(max_examples=40, **SETTINGS)
@hypothesis.given(seeds)
def test_the_questionnaire_parser_reads_or_names_the_problem(work, seed):
    _check(*bench_fuzz.run_questionnaire(random.Random(seed), work))


@hypothesis.settings(max_examples=20, **SETTINGS)
@hypothesis.given(seeds)
def test_the_theme_dictionary_parser_reads_or_names_the_problem(work, seed):
    _check(*bench_fuzz.run_themes(random.Random(seed), work))


@hypothesis.settings(max_examples=12, **SETTINGS)
@hypothesis.given(seeds)
def test_the_response_reader_accounts_for_every_row_and_reads_codes_as_written(work, seed):
    _check(*bench_fuzz.run_responses(random.Random(seed), work))


@hypothesis.settings(max_examples=60, **SETTINGS)
@hypothesis.given(seeds)
def test_the_transaction_reader_reads_ids_as_written_or_names_the_problem(work, seed):
    _check(*bench_fuzz.run_transactions(random.Random(seed), work))


@pytest.fixture(scope="module")
def pool(work):
    return bench_fuzz.cli_pool(work)


@hypothesis.settings(max_examples=20, **SETTINGS)
@hypothesis.given(seeds)
def test_every_command_exits_0_1_or_2_without_a_traceback(work, pool, seed):
    _check(*bench_fuzz.run_cli(random.Random(seed), work, pool))


def test_the_generators_reach_both_clean_reads_and_errors(work, pool):
    """The campaign is not all errors: some inputs read cleanly, so the checks on values run."""
    kinds = {bench_fuzz.run_transactions(random.Random(s), work)[0] for s in range(40)}
    kinds |= {bench_fuzz.run_questionnaire(random.Random(s), work)[0] for s in range(40)}
    assert {"clean", "error"} <= kinds
    responses = {bench_fuzz.run_responses(random.Random(s), work)[0] for s in range(7)}
    assert {"clean", "error"} <= responses


# -- found by the campaign (benchmarks/bench_fuzz.py, target 'responses') ------------------------------

def _workbook(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_text_null_markers_in_an_xlsx_are_reported_not_read_as_missing(tmp_path):
    """The .xlsx reader once let pandas turn the text 'NULL', 'N/A', 'nan', 'NA', 'None' into missing answers
    without a word (the CSV reader already kept them): now each is an unknown_option of its row."""
    import surveykit as sk

    markers = ["NULL", "N/A", "nan", "NA", "None"]
    rows = [["id", "seconds", "q1", "q2", "q3", "gender", "comment"]]
    rows += [[k + 1, 300, m, 4, 2, 1, m] for k, m in enumerate(markers)] + [[9, 300, 5, 4, 2, 1, None]]
    q = sk.load_questionnaire(bench_fuzz.QUESTIONNAIRE)
    with pytest.warns(sk.DataQualityWarning):
        data = sk.read_responses(_workbook(tmp_path / "export.xlsx", rows), q)
    found = {i.values: i.rows for i in data.validate().issues if i.code == "unknown_option" and i.item == "q1"}
    assert found == {(m,): (k + 2,) for k, m in enumerate(markers)}  # each marker, on its spreadsheet row
    assert data.responses["comment"].tolist()[:5] == markers  # an open-text answer keeps the text as written
    assert data.responses["q1"].iloc[-1] == 5


def test_an_excel_error_value_is_refused_with_its_cell(tmp_path):
    import surveykit as sk
    from surveykit.io.transactions import read_transactions

    rows = [["id", "seconds", "q1", "q2", "q3", "gender", "comment"], [1, 300, "#N/A", 4, 2, 1, "好"],
            [2, 300, 4, "#DIV/0!", 2, 1, ""]]
    q = sk.load_questionnaire(bench_fuzz.QUESTIONNAIRE)
    with pytest.raises(sk.DataError, match=r"2 cells hold an Excel error value \(C2 #N/A, D3 #DIV/0!\)"):
        sk.read_responses(_workbook(tmp_path / "export.xlsx", rows), q)
    tx = _workbook(tmp_path / "tx.xlsx", [["customer_id", "date", "amount"], ["C1", "2026-01-05", "#N/A"]])
    with pytest.raises(sk.DataError, match=r"C2 #N/A"):
        read_transactions(tx)
    tx2 = _workbook(tmp_path / "tx2.xlsx", [["customer_id", "date", "amount"], ["NA", "2026-01-05", 3]])
    ok = read_transactions(tx2)
    assert ok["customer_id"].tolist() == ["NA"]  # a customer id 'NA' is an id, not a missing one
