"""tables.xlsx, tables.docx and results.json: the report's tables and numbers, safe and complete."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from conftest import SMALL, SMALL_CSV, write_csv
from surveykit.report import build_report
from surveykit.report.book import ReportBook
from surveykit.io.write import write_docx, write_xlsx
from surveykit.report.export import write_results_json

HOSTILE_TEXT = ['=HYPERLINK("http://x","价格太贵")', "+86 物流很快", "-1 差评", "@客服 回复太慢",
                "<script>alert(1)</script>", "正常的评论"]


@pytest.fixture
def book(tmp_path):
    b = ReportBook(out=tmp_path, language="zh")
    b.table("themes", "引用 / quotes", pd.DataFrame({"comment": HOSTILE_TEXT, "share": np.linspace(0, 1, 6),
                                                    "n": np.arange(6), "ok": [True, False] * 3}),
            percent=("share",), note="n = 6", index=False)
    wide = pd.DataFrame(np.arange(24.0).reshape(2, 12) / 7, columns=[f"c{j}" for j in range(12)],
                        index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["seg", None]))
    wide.iloc[0, 0] = np.nan
    b.table("indices", "宽表", wide, decimals=2)
    b.table("indices", "宽表", pd.DataFrame({"x": [1.5]}))  # same title: sheet names stay unique
    return b


def test_xlsx_keeps_numbers_as_numbers_and_formula_like_text_as_text(book, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(write_xlsx(book.tables, tmp_path / "t.xlsx"))
    assert wb.sheetnames[0] == "contents" and len(wb.sheetnames) == 1 + len(book.tables)
    assert len(set(wb.sheetnames)) == len(wb.sheetnames) and all(len(n) <= 31 for n in wb.sheetnames)
    ws = wb[wb.sheetnames[1]]
    assert ws["A1"].value == "引用 / quotes"
    assert [c.value for c in ws[3]] == ["comment", "share", "n", "ok"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 1) for r in range(4, 10)}
    for text in HOSTILE_TEXT:
        cell = cells[text]  # written exactly as the respondent wrote it
        assert cell.data_type == "s"
        if text[0] in "=+-@":
            assert cell.quotePrefix  # Excel shows it as text and never evaluates it
    assert ws.cell(5, 2).value == pytest.approx(0.2) and ws.cell(5, 2).number_format == "0.0%"
    assert ws.cell(5, 3).value == 1 and ws.cell(4, 4).value is True
    assert ws.cell(11, 1).value == "n = 6"  # the note, below the table
    wide = wb[wb.sheetnames[2]]
    assert [c.value for c in wide[3]][:3] == ["seg", "level_1", "c0"]
    assert wide.cell(4, 3).value is None and wide.cell(5, 3).value == pytest.approx(12 / 7)
    contents = wb["contents"]
    assert contents.cell(2, 4).hyperlink.location == f"'{wb.sheetnames[1]}'!A1"


def test_no_formula_is_ever_stored(book, tmp_path):
    import zipfile

    path = write_xlsx(book.tables, tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "HYPERLINK" in xml


def _borders(el, tag):
    from docx.oxml.ns import qn

    b = el.find(qn(tag))
    return {} if b is None else {child.tag.split("}")[1]: (child.get(qn("w:val")), child.get(qn("w:sz")))
                                 for child in b}


def test_docx_tables_are_three_line_tables_with_title_and_note(book, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(write_docx(book.tables, tmp_path / "t.docx", title="满意度调查", language=book.language))
    assert len(doc.tables) == len(book.tables)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("表 ")]
    assert captions == ["表 1  引用 / quotes", "表 2  宽表", "表 3  宽表"]
    assert any(p.text == "注：n = 6" for p in doc.paragraphs)
    for table in doc.tables:
        tbl = _borders(table._tbl.tblPr, "w:tblBorders")
        assert tbl["top"] == ("single", "12") and tbl["bottom"] == ("single", "12")  # thick rules, 1.5 pt
        assert tbl["insideH"][0] == tbl["insideV"][0] == tbl["left"][0] == tbl["right"][0] == "nil"
        for j, cell in enumerate(table.rows[0].cells):
            assert _borders(cell._tc.tcPr, "w:tcBorders") == {"bottom": ("single", "6")}  # thin rule, 0.75 pt
        for row in table.rows[1:]:
            assert all(cell._tc.tcPr.find(qn("w:tcBorders")) is None for cell in row.cells)
    first = doc.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["comment", "share", "n", "ok"]
    assert [c.text for c in first.rows[2].cells] == ["+86 物流很快", "20.0%", "1", "✗"]
    assert doc.tables[1].rows[1].cells[2].text == ""  # NaN is blank, not "nan"
    assert doc.tables[1].rows[2].cells[2].text == "1.71"
    orientations = [s.orientation for s in doc.sections]
    assert 1 in orientations  # the 14-column table is on a landscape page


def test_docx_long_tables_are_written_in_linear_time(tmp_path, monkeypatch):
    """python-docx's Table.cell(i, j) walks every cell of the table: filling a table with it is quadratic
    (minutes for the example report). The writer goes row by row; a long table comes out whole."""
    from docx import Document
    from docx.table import Table

    def walk(*args):
        raise AssertionError("Table.cell is quadratic over a table")

    monkeypatch.setattr(Table, "cell", walk)
    b = ReportBook(out=tmp_path, language="en")
    frame = pd.DataFrame({"respondent": np.arange(2000), "comment": ["price too high"] * 2000,
                          "score": np.linspace(0, 10, 2000)})
    b.table("themes", "long", frame, index=False)
    table = Document(write_docx(b.tables, tmp_path / "long.docx", language=b.language)).tables[0]
    assert len(table.rows) == 2001 and [c.text for c in table.rows[-1].cells] == ["1999", "price too high", "10.000"]


def test_results_json_has_every_table_number_and_no_nan(book, tmp_path):
    book.numbers["indices"] = {"nps": np.float64(12.5), "missing": float("nan"), "by": pd.Series({"a": 1})}
    path = write_results_json(book, tmp_path / "r.json", {"surveykit_version": sk.__version__})
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text
    results = json.loads(text)
    assert results["sections"]["indices"] == {"nps": 12.5, "missing": None, "by": {"a": 1}}
    quotes, wide, _ = results["tables"]
    assert quotes["columns"] == ["comment", "share", "n", "ok"] and quotes["rows"][1][:3] == [HOSTILE_TEXT[1], 0.2, 1]
    assert wide["rows"][1][2] == 12 / 7  # full precision, not the report's 2 decimals
    assert wide["rows"][0][2] is None


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tmp = tmp_path_factory.mktemp("small")
        data = sk.read_responses(write_csv(tmp / "s.csv", SMALL_CSV), sk.load_questionnaire(SMALL))
        return data, build_report(data, tmp / "report", progress=False)


def test_every_report_table_is_exported(small_report):
    from docx import Document
    from openpyxl import load_workbook

    data, out = small_report
    results = json.loads(out.results_json.read_text(encoding="utf-8"))
    assert out.n_tables == len(results["tables"]) >= 4
    assert len(load_workbook(out.xlsx).sheetnames) == out.n_tables + 1
    assert len(Document(out.docx).tables) == out.n_tables
    html = out.html.read_text(encoding="utf-8")
    assert html.count('<table class="dataframe tbl">') == out.n_tables
    assert results["questionnaire"]["id"] == data.questionnaire.id
    assert results["data"]["sha256"] == data.audit.sha256 and results["surveykit_version"] == sk.__version__
    assert results["options"]["language"] == data.questionnaire.language
    rows_read = next(t for t in results["tables"] if t["section"] == "audit")
    # the counts of SurveyData.accounting(), each row named in the report's language
    assert [n for _, n in rows_read["rows"]] == data.accounting()["count"].tolist()
    assert [label for label, _ in rows_read["rows"]] == ["读入记录", "纳入分析"]
    assert all(not (isinstance(v, float) and math.isnan(v)) for t in results["tables"] for r in t["rows"] for v in r)
