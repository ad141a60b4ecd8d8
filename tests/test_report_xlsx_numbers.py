"""Tables a reader trusts (issue 16, items 3 and 8): numbers as numbers in tables.xlsx, the weighting of every
weighted table, and the n and missing-data rule of the psychometric tables.

One weighted report of the Qualtrics panel fixture (tests/studies/panel*, its partial responses cleaned) with a
``drivers`` role added, built once for the module; the unweighted checks call the sections on a book that does
not save figures.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.report import build_report
from surveykit.report.book import ReportBook
from surveykit.report.sections import drivers, factor, indices, reliability

STUDIES = Path(__file__).parent / "studies"
DRIVERS = ["Q1_1", "Q1_2", "Q1_3", "Q1_4"]


def _panel() -> sk.SurveyData:
    raw = yaml.safe_load((STUDIES / "panel.yaml").read_text(encoding="utf-8"))
    raw["roles"]["drivers"] = {"outcome": "satisfaction", "drivers": DRIVERS}  # drivers and IPA for this study
    q = sk.load_questionnaire(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        data = sk.read_responses(STUDIES / "panel_qualtrics.csv", q)
    return data.clean(rules=["partials"])


@pytest.fixture(scope="module")
def panel():
    return _panel()


@pytest.fixture(scope="module")
def report(panel, tmp_path_factory):
    """(output, workbook, results.json tables by title) of the weighted panel's report, in English."""
    import json

    from openpyxl import load_workbook

    assert panel.weights is not None and panel.validate().is_valid
    with pytest.MonkeyPatch.context() as mp:  # the figures are not what this file tests: half the time saved
        mp.setattr("surveykit.report._figures.save_figure", lambda fig, path: "")
        out = build_report(panel, tmp_path_factory.mktemp("panel") / "r", language="en", progress=False,
                           parallel=False)
    tables = {t["title"]: t for t in json.loads(out.results_json.read_text(encoding="utf-8"))["tables"]}
    return out, load_workbook(out.xlsx), tables


def _sheet(workbook, tables: dict, title: str):
    """The cells of a table's sheet (sheets are '<number> <title>', cut to 31 characters): the header row, then
    one row per row of the table (the note below is left out)."""
    number = tables[title]["number"]
    ws = next(ws for ws in workbook.worksheets if ws.title.startswith(f"{number:02d} "))
    assert ws.cell(1, 1).value == title
    return [list(r) for r in ws.iter_rows(min_row=3, max_row=3 + len(tables[title]["rows"]))]


def _column(cells: list, name: str) -> list:
    """The values of one column (by its header) of :func:`_sheet`'s cells."""
    j = [c.value for c in cells[0]].index(name)
    return [row[j].value for row in cells[1:]]


def test_headline_indices_are_numbers_with_the_ci_in_two_columns(panel, report):
    _, wb, tables = report
    cells = _sheet(wb, tables, "Overall")
    header = [c.value for c in cells[0]]
    assert header == ["Index", "Estimate", "95% CI low", "95% CI high", "n"]
    estimate, low, high, n = (_column(cells, c) for c in header[1:])
    assert all(isinstance(v, float) for v in estimate + low + high) and all(isinstance(v, int) for v in n)
    assert all(lo < e < hi for e, lo, hi in zip(estimate, low, high))
    # the cells hold the result's numbers at full precision, not the rounded text the report shows
    o = panel.indices(language="en").overall
    assert estimate == pytest.approx(o["estimate"].tolist(), abs=1e-12)
    assert low == pytest.approx(o["ci_low"].tolist(), abs=1e-12) and n == o["n_obs"].tolist()
    assert [row[1].data_type for row in cells[1:]] == ["n"] * len(o)  # numeric cells, shown with a number format
    # each shown with the decimals the report shows it with (issue 16): the 0-100 index to 1, the shares to 3, n whole
    formats = [[c.number_format for c in row[1:5]] for row in cells[1:]]
    assert formats == [["0.0", "0.0", "0.0", "0"] if "index" in name else ["0.000", "0.000", "0.000", "0"]
                       for name in o.index]


def _excel_text(value, fmt: str) -> str:
    """A numeric cell as Excel shows it under the number formats the workbook uses."""
    if fmt.endswith('"%"'):
        return f"{value:.{len(fmt) - 5}f}%" if "." in fmt else f"{value:.0f}%"
    if fmt.endswith("%"):
        return f"{100 * value:.{max(len(fmt) - 3, 0)}f}%"
    return f"{value:.{len(fmt) - 2 if '.' in fmt else 0}f}"


def test_xlsx_cells_show_the_decimals_the_report_shows(report):
    """Every numeric cell has a number format (integers 0, shares 0.0%, the rest the table's decimals), and where
    the report shows a table's cells as text (headline indices, banners), Excel shows each number as the report
    and tables.docx do: "49.5" not "49.470", a banner mean "51.33", its effective base "52.4"."""
    from docx import Document

    out, wb, tables = report
    docx = Document(out.docx).tables
    checked = 0
    for title, t in tables.items():
        cells = _sheet(wb, tables, title)
        header = [c.value for c in cells[0]]
        for row in cells[1:]:
            for c in row:
                if isinstance(c.value, bool) or not isinstance(c.value, (int, float)) or c.column == 1:
                    continue
                assert c.number_format != "General", (title, c.coordinate)
                if header[c.column - 1] in ("n", "n_obs", "count", "base (n)"):  # counts: whole numbers
                    assert c.number_format == "0", (title, c.coordinate)
        if title not in ("Overall", "Segment comparisons: Gender", "Segment comparisons: Age"):
            continue
        shown = [[cell.text for cell in r.cells] for r in docx[t["number"] - 1].rows]
        assert len(shown) == len(cells)
        for row, words in zip(cells[1:], shown[1:]):
            for c in row:
                if isinstance(c.value, float):
                    assert _excel_text(c.value, c.number_format) in " ".join(words).replace("–", " "), (title, c.value)
                    checked += 1
    assert checked > 20
    cells = _sheet(wb, tables, "Segment comparisons: Age")
    assert [r[2].number_format for r in cells[1:4]] == ["0", "0.0", "0.00"]  # base (n), effective base, mean


def test_banner_percentages_and_shares_keep_their_values_and_show_as_the_report(tmp_path):
    from openpyxl import load_workbook

    from surveykit.io.write import write_xlsx

    numbers = pd.DataFrame({"Male / A": [54, 52.394, 52.4039, 47.5961], "Total": [145, 127.51, 50.0, 50.0]},
                           index=pd.Index(["base (n)", "base (effective n)", "Yes", "No"], name="row"))
    display = pd.DataFrame({"Male / A": ["54", "52.4", "52.4% B", "47.6%"], "Total": ["145", "127.5", "50.0%", "50.0%"]},
                           index=numbers.index)
    shares = pd.DataFrame({"share": [0.2804, 0.7196], "n": [40, 103]}, index=pd.Index(["yes", "no"], name="answer"))
    book = ReportBook(out=tmp_path, language="en")
    book.table("indices", "Banner", numbers, display=display, decimals=2)
    book.table("choices", "Shares", shares, percent=("share",))
    write_xlsx(book.tables, tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx")
    banner = [[c for c in r] for r in wb.worksheets[1].iter_rows(min_row=4, max_row=7)]
    assert [[c.number_format for c in r[1:]] for r in banner] == [["0", "0"], ["0.0", "0.0"], ['0.0"%"', '0.0"%"'],
                                                                   ['0.0"%"', '0.0"%"']]
    assert banner[2][1].value == 52.4039  # full precision: shown as 52.4%, kept as 52.4039
    rows = list(wb.worksheets[2].iter_rows(min_row=4, max_row=5))
    assert [(r[1].value, r[1].number_format, r[2].value, r[2].number_format) for r in rows] == [
        (0.2804, "0.0%", 40, "0"), (0.7196, "0.0%", 103, "0")]


def test_banner_cells_are_numbers_and_letters_have_their_own_column(panel, report):
    out, wb, tables = report
    b = panel.index_banners(language="en")["Q4"]
    cells = _sheet(wb, tables, "Segment comparisons: Age")
    header = [c.value for c in cells[0]]
    keys = b.column_keys
    assert header[:2] == ["variable", "row"] and header[-1] == "Total"
    for level, key in keys.items():
        assert f"{level} / {key}" in header and f"{level} / {key} / higher than" in header
    values = {level: _column(cells, f"{level} / {key}") for level, key in keys.items()}
    rows = _column(cells, "row")
    assert rows[:3] == ["base (n)", "base (effective n)", "mean"]
    for level in keys:
        base_n, base_eff, mean = values[level][:3]
        assert isinstance(base_n, int) and isinstance(base_eff, float) and isinstance(mean, float)
        variable = b.table.index[0][0]
        assert base_n == b.counts.at[variable, level] and mean == pytest.approx(b.table.loc[(variable, "mean"), level])
    letters = [v for level, key in keys.items() for v in _column(cells, f"{level} / {key} / higher than")]
    expected = [v for v in b.letters.drop(columns="Total").to_numpy().ravel() if v]
    assert sorted(v for v in letters if v is not None) == sorted(expected)
    assert all(v is None or re.fullmatch(r"[A-Z]( [A-Z])*", v) for v in letters)
    # the report and tables.docx still show the cell as it is read: "value letters"
    from docx import Document

    shown = [[c.text for c in r.cells] for t in Document(out.docx).tables for r in t.rows]
    assert ["variable", "row", *[f"{level} / {key}" for level, key in keys.items()], "Total"] in shown
    html = out.html.read_text(encoding="utf-8")
    assert "base (effective n)" in html and "<th>higher than</th>" not in html  # no letters column


def test_no_number_is_stored_as_text_in_any_table(report):
    _, wb, tables = report
    number_like = re.compile(r"[-−]?\d+(\.\d+)?( [A-Z]( [A-Z])*|%| – .*)?")
    assert {t["section"] for t in tables.values()} >= {"profile", "items", "choices", "indices", "drivers",
                                                        "reliability", "validity", "factor"}
    for title, t in tables.items():
        text = [c.value for row in _sheet(wb, tables, title)[1:] for c in row
                if isinstance(c.value, str) and number_like.fullmatch(c.value)]
        assert text == [], title


def test_every_weighted_table_states_its_weighting(panel, report):
    out, _, tables = report
    ix = panel.indices(language="en")
    d = panel.drivers(language="en")
    rw = d.relative_weights
    assert 0 < rw.effective_n < rw.n_obs  # the result's own Kish n of the rows it used
    overall = f"Weighted (Kish effective n = {round(ix.overall['effective_n'].min())}; unweighted n = 145)."
    assert tables["Overall"]["note"].endswith(overall)
    for title in ("By segment: Gender", "Segment comparisons: Gender", "Segment comparisons: Age"):
        assert re.search(r"Weighted \(Kish effective n = \d+(-\d+)?; unweighted n = \d+(-\d+)?\)\.",
                         tables[title]["note"]), title
    drivers_note = f"Weighted (Kish effective n = {round(rw.effective_n)}; unweighted n = {rw.n_obs})."
    for title in ("Drivers and priorities", "Importance-performance analysis"):
        assert drivers_note in tables[title]["note"], title
    html = out.html.read_text(encoding="utf-8")  # shown under the tables, not only in the exports
    assert drivers_note in html and html.count("Weighted (Kish effective n =") >= 7  # 7 weighted tables


def test_psychometric_tables_state_n_and_missing_rule(report):
    _, _, tables = report
    rel = tables["Reliability and validity"]["note"]
    assert "listwise per construct" in rel and "n = 145 of 145" in rel and "Unweighted" in rel
    for title in ("Model fit", "Confirmatory factor analysis and validity", "Standardised loadings"):
        note = tables[title]["note"]
        assert "listwise over the whole model" in note and "n = 145 of 145 (0 left out)" in note, title
        assert "each construct's own respondents" in note
    for title in ("Loadings (pattern matrix)", "Variance explained"):
        assert "listwise over the items of all multi-item constructs: n = 145 of 145" in tables[title]["note"]


class _NoFigures(ReportBook):
    def figure(self, fig, name: str, title: str) -> dict:
        return {"title": title, "png": None}


def test_unweighted_tables_say_nothing_of_weights_and_psychometric_n_follows_missing_answers(panel, tmp_path):
    data = panel.unweighted()
    items = data.responses.copy()
    items.loc[items.index[:7], "Q2_1"] = float("nan")  # seven respondents skip one satisfaction item
    data = dataclasses.replace(data, responses=items)
    book = _NoFigures(out=tmp_path, language="zh")
    for module in (indices, drivers, reliability, factor):
        module.section(data, book)
    notes = {t.title: t.note or "" for t in book.tables}
    assert not any("加权" in n or "Kish" in n for n in notes.values())
    rel = notes["信度与效度"]
    assert "各构念分别列表删除" in rel and "n = 138-145，共 145 人" in rel
    assert "n = 138，共 145 人（7 人未纳入）" in notes["模型拟合"]
    assert "n = 138，共 145 人（7 人未纳入）" in notes[next(t for t in notes if t.startswith("因子载荷"))]
    numbers = next(t for t in book.tables if t.title == "总体")
    assert list(numbers.frame.columns) == ["估计值", "95% CI 下限", "95% CI 上限", "样本量"]
    assert pd.api.types.is_float_dtype(numbers.frame["95% CI 下限"])
    assert list(numbers.display.columns) == ["估计值", "95% 置信区间", "样本量"]


def test_a_table_with_a_display_writes_numbers_to_xlsx_and_the_display_to_docx_and_html(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from surveykit.io.write import write_docx, write_xlsx

    numbers = pd.DataFrame({"estimate": [66.04, 0.2804], "ci_low": [64.31, 0.25], "ci_high": [67.77, 0.31]},
                           index=pd.Index(["satisfaction", "top-2-box"], name="index"))
    display = pd.DataFrame({"estimate": ["66.0", "0.280"], "ci": ["64.3 – 67.8", "0.250 – 0.310"]},
                           index=numbers.index)
    book = ReportBook(out=tmp_path, language="en")
    html = book.table("indices", "Overall", numbers, display=display, note="n = 10", shown_note="Weighted.")
    assert "64.3 – 67.8" in html and "64.310" not in html and html.count('<p class="note">Weighted.</p>') == 1
    assert book.tables[0].note == "n = 10 Weighted." and book.tables[0].frame is not None
    write_xlsx(book.tables, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").worksheets[1]
    assert [c.value for c in ws[3]] == ["index", "estimate", "ci_low", "ci_high"]
    assert [c.value for c in ws[4]] == ["satisfaction", 66.04, 64.31, 67.77]
    write_docx(book.word_tables(), tmp_path / "t.docx", language="en")
    rows = [[c.text for c in r.cells] for r in Document(tmp_path / "t.docx").tables[0].rows]
    assert rows == [["index", "estimate", "ci"], ["satisfaction", "66.0", "64.3 – 67.8"],
                    ["top-2-box", "0.280", "0.250 – 0.310"]]


def test_the_weighted_kano_table_states_its_kish_n_from_the_result(tmp_path):
    from surveykit.example.satisfaction import kano_data
    from surveykit.report.sections import satisfaction

    data = kano_data()
    assert data.weights is not None
    book = _NoFigures(out=tmp_path, language="en")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.SurveykitWarning)
        satisfaction.section(data, book)
        table = data.kano(language="en").result.table
    note = next(t.note for t in book.tables if t.title == "KANO categories")
    lo, hi = round(table["effective_n"].min()), round(table["effective_n"].max())
    assert f"Weighted (Kish effective n = {lo if lo == hi else f'{lo}-{hi}'}; unweighted n = " in note
    assert "Kish" not in " ".join(t.note or "" for t in book.tables if t.title != "KANO categories"
                                  and "servqual" not in t.title.lower())
