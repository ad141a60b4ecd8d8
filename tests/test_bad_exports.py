"""Exports that passed through other hands (issue 16's bad input): read as the file says, or a clear problem."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

import surveykit as sk

STUDIES = Path(__file__).parent / "studies"
PANEL_Q, PANEL = STUDIES / "panel.yaml", STUDIES / "panel_qualtrics.csv"


def _read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(path, PANEL_Q)


def test_qualtrics_export_without_its_import_id_row_reads_the_same_respondents(tmp_path):
    rows = list(csv.reader(PANEL.open(encoding="utf-8-sig")))
    assert rows[2][0].startswith('{"ImportId"')
    cut = tmp_path / "no_import_ids.csv"
    with cut.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], rows[1], *rows[3:]])
    full, copy = _read(PANEL), _read(cut)
    assert copy.audit.layout == "qualtrics" and copy.n_respondents == full.n_respondents == len(rows) - 3
    assert copy.responses.equals(full.responses)
    assert not [i for i in copy.validate().errors if i.code == "unknown_option"]
    # the source rows still say where each respondent is in the file that was read
    assert (copy.meta["source_row"].to_numpy() == full.meta["source_row"].to_numpy() - 1).all()


def test_a_first_respondent_who_typed_the_labels_is_not_taken_for_a_header(tmp_path):
    """Only Qualtrics' own system-column texts mark the question-text row: a respondent is kept."""
    rows = list(csv.reader(PANEL.open(encoding="utf-8-sig")))
    header = rows[0]
    body = [rows[0], *rows[3:]]
    body[1] = list(body[1])
    body[1][header.index("Q1_1")] = "Quality - The branch has modern-looking equipment"
    path = tmp_path / "one_header.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(body)
    data = _read(path)
    assert data.n_respondents + len(data.exclusions) == len(rows) - 3
    assert [i for i in data.validate().errors if i.code == "unknown_option"]


HOTEL_Q, HOTEL = STUDIES / "hotel.yaml", STUDIES / "hotel_wjx.csv"


def _hotel_rows():
    text = HOTEL.read_bytes().decode("gb18030")
    return text.splitlines(keepends=True)


def test_two_wjx_downloads_pasted_together_skip_the_second_header(tmp_path):
    lines = _hotel_rows()
    header, body = lines[0], lines[1:]
    second = [line.replace(line.split(",", 1)[0], str(1000 + k), 1) for k, line in enumerate(body[:40])]  # new 序号
    path = tmp_path / "pasted.csv"
    path.write_bytes("".join([header, *body, header, *second]).encode("gb18030"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        data = sk.read_responses(path, HOTEL_Q)
    issue = next(i for i in data.validate().issues if i.code == "repeated_header_row")
    assert issue.severity == "warning" and issue.rows == (len(body) + 2,) and "pasted" in issue.message
    assert "unknown_option" not in {i.code for i in data.validate().issues}  # the header is not an answer
    accounting = data.accounting()["count"]
    assert accounting["rows read"] == len(body) + 1 + 40
    assert accounting["used"] == len(body) + 40 and accounting["excluded: repeated_header_row"] == 1


def test_a_summary_first_sheet_names_the_sheet_that_holds_the_responses(tmp_path):
    import pandas as pd

    frame = pd.read_csv(HOTEL, encoding="gb18030", dtype=str, keep_default_na=False)
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"统计": ["总数"], "值": [len(frame)]}).to_excel(xl, sheet_name="汇总", index=False)
        frame.to_excel(xl, sheet_name="数据", index=False)
    with pytest.raises(sk.DataError, match="sheet '数据'.*sheet='数据'.*--sheet 数据"):
        sk.read_responses(path, HOTEL_Q)
    assert sk.read_responses(path, HOTEL_Q, sheet="数据").n_respondents == len(frame)
