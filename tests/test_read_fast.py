"""Parsing a UTF-8 CSV body from the file itself (io/table.py:_Source._read_csv_file) gives what pandas'
reading of the whole decoded text gives: the same responses, meta, exclusions, issues and audit (dtypes and values), or the same error,
on every export layout of the example study and on the malformed files of test_robustness.py (issue 18)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL, SMALL_CSV, write_csv

import surveykit as sk
from surveykit.example import write_example
from surveykit.io import table


def _read(path, q, fast: bool, monkeypatch):
    monkeypatch.setattr(table, "FAST_CSV", fast)
    used = []
    real = table._Source._read_csv_file

    def spy(*args):
        out = real(*args)
        used.append(out is not None)
        return out

    monkeypatch.setattr(table._Source, "_read_csv_file", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = sk.read_responses(path, q)
        except Exception as exc:  # the same error either way
            return (type(exc), str(exc)), used
    return data, used


def assert_same(path, q, monkeypatch, *, fast_path: bool | None = True):
    """Both readings equal; ``fast_path``: the file was parsed as it is (True), fell back (False), either (None)."""
    slow, _ = _read(path, q, False, monkeypatch)
    fast, used = _read(path, q, True, monkeypatch)
    if fast_path is not None:
        assert any(used) is fast_path, used
    if isinstance(slow, tuple):
        assert fast == slow
        return slow
    assert not isinstance(fast, tuple), fast
    for name in ("responses", "meta", "exclusions"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True)
    assert fast.read_issues == slow.read_issues
    for field in ("source", "format", "layout", "encoding", "header_row", "n_rows_read", "column_map", "sha256"):
        assert getattr(fast.audit, field) == getattr(slow.audit, field), field
    pd.testing.assert_frame_equal(fast.audit.missing_codes, slow.audit.missing_codes)
    assert fast.validate().issues == slow.validate().issues
    return fast


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return write_example(tmp_path_factory.mktemp("example"), transactions=False)


def test_the_qualtrics_export_reads_the_same(example, monkeypatch):
    data = assert_same(example["qualtrics"], example["questionnaire"], monkeypatch)
    assert data.audit.layout == "qualtrics" and data.n_respondents == 1500


@pytest.mark.parametrize("layout", ["wjx", "sav"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_every_layout_as_csv_reads_the_same(example, layout, encoding, tmp_path, monkeypatch):
    if layout == "wjx":  # option text, numbered headers, platform columns (times, durations as '125秒')
        frame = pd.read_excel(example["wjx"], header=None, dtype=object, engine="calamine")
        text = frame.to_csv(index=False, header=False)
    else:  # codes, missing codes 98/99, multiple choice as 0/1 columns
        text = pd.read_spss(example["sav"], convert_categoricals=False).to_csv(index=False)
    path = write_csv(tmp_path / f"{layout}.csv", text, encoding)
    data = assert_same(path, example["questionnaire"], monkeypatch, fast_path=encoding != "gb18030")
    assert data.n_respondents == 1500


MALFORMED = {
    "plain": SMALL_CSV,
    "crlf": SMALL_CSV.replace("\n", "\r\n"),
    "semicolons": SMALL_CSV.replace(",", ";"),
    "title row": "满意度调查 2024,,,,,,,\n" + SMALL_CSV,
    "blank lines": SMALL_CSV.replace("\n3,", "\n\n\n3,"),
    "blank markers": SMALL_CSV.replace("物流很快", "(空)").replace(",2,2,1,5,", ",(跳过),2,1,5,"),
    "null markers": SMALL_CSV.replace(",5,4,4,2,", ",nan,N/A,NULL,None,"),
    "strict numbers": SMALL_CSV.replace(",5,4,4,2,", ",1_0,inf,-Infinity,0x3,"),
    "inf in numbers": SMALL_CSV.replace(",5,4,4,2,", ",inf,4,4,2,"),
    "spaces": SMALL_CSV.replace(",3,3,3,3,", ", 3,3 , 3 ,３,"),
    "true and false": SMALL_CSV.replace(",1,物流", ",True,物流").replace(",2,无", ",False,无"),
    "quoted line breaks": SMALL_CSV.replace("物流很快", '"物流很快\n包装也好"').replace("价格有点贵", '"价格,有点""贵"""'),
    "short row": SMALL_CSV.replace("4,20,3,3,3,3,2,无", "4,20,3,3"),
    "long row": SMALL_CSV.replace("4,20,3,3,3,3,2,无", "4,20,3,3,3,3,2,无,多余"),
    "repeated header": SMALL_CSV.replace("q3,q4", "q3,q3"),
    "missing id": SMALL_CSV.replace("\n4,20,", "\n,20,"),
    "only blank": SMALL_CSV.split("\n")[0] + "\n,,,,,,,\n",
    "duplicate ids": SMALL_CSV.replace("\n4,20,", "\n3,20,"),
    "decimal codes": SMALL_CSV.replace(",4,98,4,", ",4.0,98.0,4.5,"),
    "control characters": SMALL_CSV.replace("物流很快", "物流\x07很快"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_malformed_files_read_the_same_or_fail_the_same(name, encoding, tmp_path, monkeypatch):
    q = sk.load_questionnaire(SMALL)
    path = write_csv(tmp_path / "export.csv", MALFORMED[name], encoding)
    assert_same(path, q, monkeypatch, fast_path=None)


def test_cells_that_are_not_utf8_fall_back_to_the_named_error(tmp_path, monkeypatch):
    raw = ("id,seconds,q1,q2,q3,q4,gender,comment\n" + "".join(
        f"{i},300,5,4,4,2,1,物流很快{i}\n" for i in range(1, 60_000))).encode()
    raw = raw.replace("物流很快59000".encode(), "物流很快59000".encode("gb18030"))
    (path := tmp_path / "mixed.csv").write_bytes(raw)  # the first MiB is UTF-8: the body is not
    slow, _ = _read(path, sk.load_questionnaire(SMALL), False, monkeypatch)
    fast, used = _read(path, sk.load_questionnaire(SMALL), True, monkeypatch)
    assert used == [False] and fast == slow and "row 59001 column 8" in fast[1]


def test_a_large_file_reads_the_same_from_the_file(tmp_path, monkeypatch):
    rng = np.random.default_rng(5)
    n = 50_000
    frame = pd.DataFrame({"id": np.arange(1, n + 1), "seconds": rng.integers(20, 900, n)})
    labels = np.array(["非常不满意", "不满意", "一般", "满意", "非常满意", "98", "", "5", "(空)"])
    for c in ["q1", "q2", "q3", "q4"]:
        frame[c] = labels[rng.integers(0, len(labels), n)]
    frame["gender"] = np.array(["1", "2", "男", "女", ""])[rng.integers(0, 5, n)]
    frame["comment"] = np.array(["物流很快", "", "无", "价格, 有点贵", "007"])[rng.integers(0, 5, n)]
    path = tmp_path / "large.csv"
    frame.to_csv(path, index=False)
    data = assert_same(path, sk.load_questionnaire(SMALL), monkeypatch)
    assert data.n_respondents == n


@pytest.mark.parametrize("values", [
    ["物流很快", "", None, " (空) ", "007", "（跳过）", "a"],  # pandas' string dtype, object, numbers
    [1.0, 12.5, np.nan, 3.0],
])
@pytest.mark.parametrize("dtype", ["str", object, None])
def test_text_column_equals_code_text_as_text(values, dtype):
    from surveykit.io.coding import TEXT_DTYPE, code_text, text_column

    series = pd.Series(values, dtype=dtype)
    expected = pd.Series(code_text(series), dtype=object).astype(TEXT_DTYPE)
    pd.testing.assert_series_equal(pd.Series(text_column(series)).astype(TEXT_DTYPE), expected, check_exact=True)
