"""Reading at scale (issue 18): the shortcuts a large export takes give the frames, counts and problems
the plain item-by-item path gives."""

from __future__ import annotations

import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit import quality
from surveykit.io import responses as read_module


def read_quiet(path, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(path, q, progress=False)


def _large_csv(path, n=24_000, seed=5):
    """An export large enough to be coded ahead in threads, with labels, missing codes, bad values and durations."""
    rng = np.random.default_rng(seed)
    q1 = rng.integers(1, 6, n).astype(object)
    q1[rng.random(n) < 0.05] = "非常满意"
    q1[rng.random(n) < 0.01] = 98
    q1[:3] = [7, "很好吧", ""]  # out of range, not an option, blank
    q2 = rng.integers(1, 6, n).astype(float)
    q2[rng.random(n) < 0.03] = np.nan
    seconds = np.array(["125秒", "2分5秒", "00:03:10", "300", "很快"], dtype=object)[rng.integers(0, 5, n)]
    frame = pd.DataFrame({"id": np.arange(1, n + 1), "seconds": seconds, "q1": q1, "q2": q2,
                          "q3": rng.integers(1, 6, n), "q4": rng.integers(1, 6, n), "gender": rng.integers(1, 3, n),
                          "comment": np.array(["物流很快", "", "价格有点贵"], dtype=object)[rng.integers(0, 3, n)]})
    frame.to_csv(path, index=False)
    return path


def _same(a, b):
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.meta, b.meta)
    pd.testing.assert_frame_equal(a.audit.missing_codes, b.audit.missing_codes)
    assert [(i.code, i.message, i.rows) for i in a.validate().issues] == \
        [(i.code, i.message, i.rows) for i in b.validate().issues]


def test_a_large_export_coded_in_threads_equals_item_by_item(tmp_path, small_q, monkeypatch):
    path = _large_csv(tmp_path / "large.csv")
    fast = read_quiet(path, small_q)
    codes = {i.code for i in fast.validate().issues}
    assert {"out_of_range", "unknown_option", "bad_duration"} <= codes  # the problems are there to compare
    monkeypatch.setattr(read_module, "_code_ahead", lambda *args: {})
    monkeypatch.setattr(read_module, "_durations", read_module._durations_parsed)
    _same(fast, read_quiet(path, small_q))
    assert fast.audit.sha256 == read_module.file_sha256(path)


def test_durations_read_once_per_distinct_value_as_each_one():
    cells = pd.Series(["125秒", "2分5秒", "00:03:10", None, "很快", "125秒", "", "1小时"] * 50, dtype=object)
    v, bad = read_module._durations(cells, "seconds")
    v0, bad0 = read_module._durations_parsed(cells, "seconds")
    np.testing.assert_array_equal(v, v0)
    np.testing.assert_array_equal(bad, bad0)
    assert v[:3].tolist() == [125.0, 125.0, 190.0] and bad[4] and not bad[3]


def test_duplicate_submissions_match_a_plain_groupby(tmp_path, small_q):
    data = read_quiet(_large_csv(tmp_path / "large.csv", n=3_000, seed=9), small_q)
    r = data.responses
    # repeats of 40 rows, some with another comment (then not the same submission)
    rng = np.random.default_rng(2)
    picked = r.iloc[rng.integers(0, 40, 400)].copy()
    picked.loc[picked.index[::5], "comment"] = "另一条意见"
    picked.index = pd.Index(np.arange(len(picked)) + 10**6, name=r.index.name)
    responses = pd.concat([r, picked])
    meta = pd.DataFrame({"source_row": np.arange(len(responses)) + 2}, index=responses.index)
    import dataclasses

    big = dataclasses.replace(data, responses=responses, meta=meta)
    flagged = quality.flag_duplicate_submissions(big).to_numpy()
    keys = responses.astype(object).where(responses.notna(), "<blank>")
    answered = responses.notna().sum(axis=1) >= data.questionnaire.quality.duplicate_min_answered
    expected = keys.duplicated(keep="first").to_numpy() & answered.to_numpy()
    np.testing.assert_array_equal(flagged, expected)
    assert flagged.sum() > 300


def _sheet_zip(path, sheet_xml: str):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


FORMULAS = ['<x:c r="B2"><x:f>SUM(A1:A2)</x:f><x:v></x:v></x:c>', '<x:c r="B2"><x:f t="shared" si="0"/></x:c>']


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_formula_in_a_prefixed_sheet_is_still_found(tmp_path, cell):
    from surveykit.io.table import check_formula_values

    xml = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           f'<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c>{cell}</x:row></x:sheetData></x:worksheet>')
    with pytest.raises(sk.DataError, match="B2"):
        check_formula_values(_sheet_zip(tmp_path / "f.xlsx", xml))
    plain = xml.replace(cell, "")
    check_formula_values(_sheet_zip(tmp_path / "p.xlsx", plain))  # no formula: nothing to say
