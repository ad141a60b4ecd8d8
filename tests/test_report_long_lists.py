"""Long lists (one row per respondent or customer) do not grow the report or tables.docx with n."""

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from surveykit.io.write import write_docx, write_xlsx
from surveykit.report.book import LIST_ROWS, ReportBook


@pytest.mark.parametrize("language", ["zh", "en"])
def test_long_list_shows_first_rows_and_writes_every_row(tmp_path, language):
    n = 3 * LIST_ROWS + 7
    frame = pd.DataFrame({"customer_id": [f"C{i:05d}" for i in range(n)], "clv": [float(i) for i in range(n)]},
                         index=pd.Index([f"R{i}" for i in range(n)], name="respondent"))
    book = ReportBook(out=tmp_path, language=language)
    html = book.table("customer_value", "save list", frame, note="n = all", long_list=True)
    short = book.table("customer_value", "short", frame.head(5), long_list=True)

    assert html.count("<td>C0") == LIST_ROWS
    assert "R49" in html and "R50" not in html
    assert f"{n}" in html and "lists/customer_value_1.csv" in html  # the reader is told where the rest is
    table = book.tables[0]
    assert table.shown == LIST_ROWS and len(table.frame) == n
    assert str(n) in table.note and "lists/customer_value_1.csv" in table.note and table.note.startswith("n = all")
    listed = pd.read_csv(tmp_path / "lists" / "customer_value_1.csv", encoding="utf-8-sig")
    assert len(listed) == n and listed["respondent"].iloc[-1] == f"R{n - 1}"
    assert book.list_paths == [tmp_path / "lists" / "customer_value_1.csv"]
    assert book.tables[1].shown is None and "<tr>" in short and book.tables[1].note is None

    docx = write_docx(book.tables, tmp_path / "t.docx", language=language)
    word_rows = len(Document(docx).tables[0].rows)
    assert word_rows == LIST_ROWS + 1
    xlsx = write_xlsx(book.tables, tmp_path / "t.xlsx")
    sheets = load_workbook(xlsx, read_only=True).worksheets
    assert max(ws.max_row for ws in sheets) >= n + 1
