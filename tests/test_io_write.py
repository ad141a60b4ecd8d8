"""surveykit.io.write: plain table records written as .xlsx, .docx and .csv, whoever made them."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from surveykit.io.write import Table, write_csv, write_docx, write_xlsx

FRAME = pd.DataFrame({"comment": ["=1+1", "好评"], "share": [0.25, 0.5]},
                     index=pd.Index(["C0042", "C0107"], name="customer_id"))


def test_plain_tables_go_to_a_workbook_numbered_in_order(tmp_path):
    from openpyxl import load_workbook

    tables = [Table(title="customers", frame=FRAME, percent=("share",), section="value"),
              Table(title="layers", frame=pd.DataFrame({"n": [1, 2]}), index=False, note="n = 3")]
    wb = load_workbook(write_xlsx(tables, tmp_path / "t.xlsx"))
    assert wb.sheetnames == ["contents", "01 customers", "02 layers"]
    assert [c.value for c in wb["contents"][2]] == [1, "value", "customers", "01 customers"]
    ws = wb["01 customers"]
    assert [c.value for c in ws[3]] == ["customer_id", "comment", "share"]
    assert ws["A4"].value == "C0042" and ws["B4"].quotePrefix and ws["C4"].number_format == "0.0%"
    assert wb["02 layers"]["A7"].value == "n = 3"


def test_docx_labels_follow_the_language(tmp_path):
    from docx import Document

    tables = [Table(title="layers", frame=pd.DataFrame({"n": [1, 2]}), index=False, note="n = 3")]
    en = Document(write_docx(tables, tmp_path / "en.docx", language="en"))
    assert [p.text for p in en.paragraphs if p.text.startswith(("Table", "Note"))] == ["Table 1. layers", "Note. n = 3"]
    zh = Document(write_docx(tables, tmp_path / "zh.docx"))
    assert [p.text for p in zh.paragraphs if p.text.startswith(("表", "注"))] == ["表 1  layers", "注：n = 3"]


def test_csv_has_a_bom_the_index_as_a_column_and_no_formula(tmp_path):
    path = write_csv(Table(title="customers", frame=FRAME), tmp_path / "c.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == ["customer_id", "comment", "share"]
    assert back["comment"].tolist() == ["'=1+1", "好评"]
    np.testing.assert_allclose(back["share"], FRAME["share"])  # numbers stay numbers


@pytest.mark.parametrize("index", [True, False])
def test_csv_to_a_buffer_is_text_without_a_bom(index):
    buffer = io.StringIO()
    assert write_csv(Table(title="t", frame=FRAME, index=index), buffer) is None
    text = buffer.getvalue()
    assert not text.startswith("\ufeff") and text.splitlines()[0] == ("customer_id,comment,share" if index
                                                                        else "comment,share")
