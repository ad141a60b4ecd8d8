"""Reading exports: encodings, layouts, option text, missing codes, and every bad input."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

import surveykit as sk
from conftest import SMALL_CSV, write_csv


def read_quiet(path, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(path, q)


EXPECTED_Q = pd.DataFrame(
    {"q1": [5, 5, 4, 3, 2], "q2": [4, 4, np.nan, 3, 2], "q3": [4, 3, 4, 3, 1], "q4": [2, 2, 2, 3, 5],
     "gender": [1, 2, 1, 2, 1]},
    index=pd.Index([1, 2, 3, 4, 5], name="respondent_id"), dtype=float,
)


def test_csv_codes_labels_and_missing_codes(tmp_path, small_q):
    data = read_quiet(write_csv(tmp_path / "a.csv", SMALL_CSV), small_q)
    pd.testing.assert_frame_equal(data.responses[EXPECTED_Q.columns], EXPECTED_Q)
    assert data.responses["comment"].tolist()[:2] == ["物流很快", np.nan] or pd.isna(data.responses["comment"].iloc[1])
    assert data.audit.encoding == "UTF-8"
    assert data.meta["source_row"].tolist() == [2, 3, 4, 5, 6]
    mc = data.audit.missing_codes
    assert mc.loc[mc["item"] == "q2", ["code", "count"]].values.tolist() == [[98.0, 1]]
    assert data.validate().is_valid


@pytest.mark.parametrize("encoding, name", [("gbk", "GB18030 (GBK)"), ("gb18030", "GB18030 (GBK)"),
                                            ("utf-8-sig", "UTF-8 with BOM")])
def test_chinese_encodings_give_the_same_frame(tmp_path, small_q, encoding, name):
    ref = read_quiet(write_csv(tmp_path / "u.csv", SMALL_CSV), small_q)
    data = read_quiet(write_csv(tmp_path / "e.csv", SMALL_CSV, encoding), small_q)
    assert data.audit.encoding == name
    pd.testing.assert_frame_equal(data.responses, ref.responses)


def test_gbk_after_a_long_ascii_start_is_still_read(tmp_path, small_q):
    # the encoding is sniffed on the first MiB; a GBK line further down must not fail
    body = "".join(f"{i},300,5,4,4,2,1,ok\n" for i in range(10, 60000))
    data = read_quiet(write_csv(tmp_path / "g.csv", SMALL_CSV + body + "99999,300,5,5,5,1,2,价格贵\n", "gbk"), small_q)
    assert data.responses.loc[99999, "comment"] == "价格贵"
    assert data.audit.encoding == "GB18030 (GBK)"


def test_empty_and_header_only_files(tmp_path, small_q):
    with pytest.raises(sk.EmptyDataError, match=r"empty \(0 bytes\)"):
        sk.read_responses(write_csv(tmp_path / "empty.csv", ""), small_q)
    with pytest.raises(sk.EmptyDataError, match="header row .* but no respondents"):
        sk.read_responses(write_csv(tmp_path / "head.csv", SMALL_CSV.splitlines()[0] + "\n"), small_q)
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        sk.read_responses(tmp_path / "nope.csv", small_q)


def test_option_text_with_no_code_is_reported_with_rows(tmp_path, small_q):
    csv = SMALL_CSV.replace("2,280,非常满意", "2,280,很满意")
    with pytest.warns(sk.DataQualityWarning, match="很满意"):
        data = sk.read_responses(write_csv(tmp_path / "x.csv", csv), small_q)
    (issue,) = [i for i in data.validate().errors if i.code == "unknown_option"]
    assert (issue.item, issue.column, issue.rows, issue.count) == ("q1", "q1", (3,), 1)
    assert "'很满意'" in issue.message and "x.csv" in issue.message and issue.fix
    assert np.isnan(data.responses.loc[2, "q1"])


def test_full_width_and_stray_spaces_in_option_text_are_tolerated(tmp_path, small_q):
    csv = SMALL_CSV.replace("2,280,非常满意,满意", "2,280, 非常 满意 ,５")
    data = read_quiet(write_csv(tmp_path / "fw.csv", csv), small_q)
    assert data.responses.loc[2, ["q1", "q2"]].tolist() == [5.0, 5.0]
    assert data.validate().is_valid


def test_value_outside_the_scale(tmp_path, small_q):
    csv = SMALL_CSV.replace("3,320,4,98", "3,320,9,98").replace("5,310,2,2,1", "5,310,0,2,1")
    data = read_quiet(write_csv(tmp_path / "r.csv", csv), small_q)
    (issue,) = [i for i in data.validate().errors if i.code == "out_of_range"]
    assert issue.rows == (4, 6) and issue.values == (0.0, 9.0)
    assert "(1-5): 0, 9 in 2 rows" in issue.message and "missing_codes" in issue.fix
    assert data.responses["q1"].isna().sum() == 2


def test_duplicate_respondent_ids_and_cleaning_accounts_for_every_row(tmp_path, small_q):
    csv = SMALL_CSV + "3,330,4,4,4,2,1,重复提交\n\n"
    data = read_quiet(write_csv(tmp_path / "d.csv", csv), small_q)
    report = data.validate()
    (dup,) = [i for i in report.errors if i.code == "duplicate_respondent_id"]
    assert dup.rows == (4, 7) and not report.is_valid and report.exit_code == 1
    cleaned = data.clean(["duplicate_ids", "speeders"])
    assert cleaned.responses.index.is_unique
    acc = cleaned.accounting()["count"]
    assert acc["rows read"] == 7  # 5 respondents, the repeated submission, one blank line
    assert acc["rows read"] == acc.drop("rows read").sum()
    assert set(cleaned.exclusions["reason"]) == {"blank_row", "duplicate_respondent_id", "speeder"}
    assert cleaned.exclusions.loc[cleaned.exclusions["reason"] == "duplicate_respondent_id", "source_row"].tolist() == [7]


def test_missing_column_is_an_error_naming_what_was_looked_for(tmp_path, small_q):
    csv = "\n".join(",".join(c for j, c in enumerate(line.split(",")) if j != 3) for line in SMALL_CSV.splitlines())
    data = read_quiet(write_csv(tmp_path / "m.csv", csv + "\n"), small_q)
    (issue,) = [i for i in data.validate().errors if i.code == "missing_column"]
    assert issue.item == "q2" and "'您对服务的满意程度'" in issue.message and "aliases" in issue.fix
    assert data.responses["q2"].isna().all()


def test_no_respondent_id_column_raises(tmp_path, small_q):
    with pytest.raises(sk.DataError, match="No respondent-id column .* 'id', '序号'"):
        sk.read_responses(write_csv(tmp_path / "n.csv", SMALL_CSV.replace("id,", "ident,", 1)), small_q)


def test_rows_without_id_are_excluded_with_a_reason(tmp_path, small_q):
    data = read_quiet(write_csv(tmp_path / "i.csv", SMALL_CSV + ",300,5,5,5,1,1,没有编号\n"), small_q)
    assert data.n_respondents == 5
    assert data.exclusions.to_dict("records") == [{"source_row": 7, "respondent_id": None, "reason": "missing_respondent_id"}]


def test_title_row_above_the_header_in_a_gbk_csv(tmp_path, small_q):
    data = read_quiet(write_csv(tmp_path / "t.csv", "顾客满意度调查数据,,,,,,,\n" + SMALL_CSV, "gbk"), small_q)
    assert data.audit.header_row == 2 and data.meta["source_row"].iloc[0] == 3
    pd.testing.assert_frame_equal(data.responses[EXPECTED_Q.columns], EXPECTED_Q)


def _wjx_frame():
    return pd.DataFrame({
        "序号": [1, 2, 3], "提交答卷时间": ["2026/10/3 14:22:05"] * 3, "所用时间": ["125秒", "2分5秒", "00:03:10"],
        "1.您对产品质量的满意程度": ["非常满意", "（空）", "不知道"],
        "2、您对服务的满意程度": ["满意", "一般", "非常不满意"],
        "3．您对价格的满意程度": ["满意", "满意", "(跳过)"],
        "4.您对等待时间的不满程度": ["不满意", "满意", "一般"],
        "5.您的性别": ["男", "女", "女"], "6.意见和建议": ["(空)", "很好", "<b>客服</b>"],
    })


def test_wjx_xlsx_with_merged_title_row(tmp_path, small_q):
    path = tmp_path / "wjx.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    frame = _wjx_frame()
    ws.append(["顾客满意度调查"] + [None] * (frame.shape[1] - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=frame.shape[1])
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    wb.save(path)
    data = read_quiet(path, small_q)
    assert data.audit.layout == "wjx" and data.audit.header_row == 2
    assert data.meta["source_row"].tolist() == [3, 4, 5]
    assert data.meta["duration_sec"].tolist() == [125.0, 125.0, 190.0]
    r = data.responses
    assert r["q1"].isna().tolist() == [False, True, True] and r.loc[1, "q1"] == 5
    assert r["q3"].tolist()[:2] == [4.0, 4.0] and np.isnan(r.loc[3, "q3"])
    assert r["comment"].tolist()[1:] == ["很好", "<b>客服</b>"]
    assert data.audit.column_map["q2"] == "2、您对服务的满意程度"


def test_qualtrics_three_header_rows(tmp_path, small_q):
    rows = [
        "StartDate,ResponseId,Duration (in seconds),QID1,QID2,QID3,QID4,QID5,QID6,id",
        "Start Date,Response ID,Duration (in seconds),您对产品质量的满意程度,您对服务的满意程度,您对价格的满意程度,您对等待时间的不满程度,您的性别,意见和建议,id",
        '{"ImportId":"startDate"},{"ImportId":"_recordId"},{"ImportId":"duration"},{"ImportId":"QID1"},{"ImportId":"QID2"},{"ImportId":"QID3"},{"ImportId":"QID4"},{"ImportId":"QID5"},{"ImportId":"QID6_TEXT"},{"ImportId":"id"}',
        '2026-10-01,R_abc,300,5,4,4,2,1,"物流很快, 但是""包装""一般",1',
        "2026-10-01,R_abd,280,5,4,3,2,2,,2",
    ]
    q = sk.load_questionnaire({**_dict(small_q), "duration": {"column": "Duration (in seconds)"}})
    data = read_quiet(write_csv(tmp_path / "qx.csv", "\n".join(rows) + "\n", "utf-8-sig"), q)
    assert data.audit.layout == "qualtrics" and data.meta["source_row"].tolist() == [4, 5]
    assert data.responses.index.tolist() == [1, 2]  # the embedded id, not ResponseId? both are candidates
    assert data.responses.loc[1, "comment"] == '物流很快, 但是"包装"一般'
    assert data.responses.loc[2, "q3"] == 3
    assert data.audit.column_map["q1"] == "QID1"  # matched through the question text of row 2


def _dict(q):
    from conftest import SMALL

    return dict(SMALL)


def test_sav_value_labels_and_user_missing(tmp_path, small_q):
    df = pd.DataFrame({"id": [1.0, 2.0, 3.0], "seconds": [300.0, 200.0, 250.0], "q1": [5.0, 1.0, 97.0],
                       "q2": [4.0, 4.0, 99.0], "q3": [1.0, 2.0, 3.0], "q4": [2.0, 2.0, 2.0],
                       "gender": [1.0, 2.0, 1.0], "comment": ["好", "", "一般"]})
    reversed_labels = {1.0: "非常满意", 2.0: "满意", 3.0: "一般", 4.0: "不满意", 5.0: "非常不满意"}
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels={"q3": reversed_labels, "q1": {97.0: "拒答"}},
                         missing_ranges={"q1": [97.0], "q2": [99.0]})
    data = read_quiet(path, small_q)
    assert data.responses.index.dtype == np.int64 and data.audit.layout == "spss"
    assert np.isnan(data.responses.loc[3, "q1"]) and np.isnan(data.responses.loc[3, "q2"])
    codes = {i.code: i for i in data.validate().issues}
    assert "label_conflict" in codes and codes["label_conflict"].item == "q3"
    assert "seems coded the other way round" in codes["label_conflict"].message
    assert codes["undeclared_missing"].values == (97.0,) and "q1" in codes["undeclared_missing"].message
    assert "out_of_range" not in codes


def test_parquet_and_dataframe_sources(tmp_path, small_q):
    ref = read_quiet(write_csv(tmp_path / "a.csv", SMALL_CSV), small_q)
    frame = pd.read_csv(tmp_path / "a.csv", dtype={"comment": str})
    frame.to_parquet(tmp_path / "a.parquet")
    for src in (tmp_path / "a.parquet", frame):
        pd.testing.assert_frame_equal(read_quiet(src, small_q).responses, ref.responses)


def test_unknown_file_type(tmp_path, small_q):
    with pytest.raises(sk.DataError, match=r"unknown file type '\.json'"):
        sk.read_responses(write_csv(tmp_path / "a.json", "{}"), small_q)


def test_reverse_coding_never_overwrites_raw_codes(tmp_path, small_q):
    data = read_quiet(write_csv(tmp_path / "a.csv", SMALL_CSV), small_q)
    assert data.responses["q4"].tolist() == [2, 2, 2, 3, 5]
    assert data.scored_items()["q4"].tolist() == [4, 4, 4, 3, 1]
    assert data.responses["q4"].tolist() == [2, 2, 2, 3, 5]
    scores = data.construct_scores()["sat"]
    assert scores.loc[1] == pytest.approx((5 + 4 + 4 + 4) / 4)
    assert scores.loc[3] == pytest.approx((4 + 4 + 4) / 3)  # q2 was 98: 3 valid answers >= min_valid 3


def test_speeders_and_straightliners_are_flagged_not_dropped(tmp_path, small_q):
    data = read_quiet(write_csv(tmp_path / "a.csv", SMALL_CSV), small_q)
    report = data.validate()
    flagged = {i.code: i.rows for i in report.warnings}
    assert flagged["speeder"] == (5,) and flagged["straightliner"] == (5,)
    assert report.is_valid and data.n_respondents == 5
    cleaned = data.clean(["speeders", "straightliners"])
    assert cleaned.n_respondents == 4 and cleaned.exclusions["reason"].tolist() == ["speeder"]


def test_clean_rejects_unknown_rule(tmp_path, small_q):
    data = read_quiet(write_csv(tmp_path / "a.csv", SMALL_CSV), small_q)
    with pytest.raises(ValueError, match="The 'rules' parameter of clean must be one of .* Got 'speeder' instead"):
        data.clean(["speeder"])


def test_numeric_item_rejects_text_and_out_of_range(tmp_path):
    from conftest import SMALL

    raw = {**SMALL, "scales": {**SMALL["scales"], "age": {"type": "numeric", "min": 16, "max": 99}},
           "items": [*SMALL["items"], {"id": "age", "scale": "age", "text": "您的年龄"}]}
    q = sk.load_questionnaire(raw)
    csv = SMALL_CSV.replace("comment\n", "comment,age\n", 1)
    lines = csv.splitlines()
    ages = ["35", "abc", "120", "28.5", ""]
    csv = "\n".join([lines[0]] + [f"{line},{a}" for line, a in zip(lines[1:], ages)]) + "\n"
    data = read_quiet(write_csv(tmp_path / "n.csv", csv), q)
    codes = {i.code: i for i in data.validate().errors}
    assert codes["not_a_number"].rows == (3,) and "'abc'" in codes["not_a_number"].message
    assert codes["out_of_range"].values == (120.0,) and "16 to 99" in codes["out_of_range"].message
    assert data.responses["age"].tolist()[::3] == [35.0, 28.5]
