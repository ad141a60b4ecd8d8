"""Malformed inputs end in a clean read or one of surveykit's errors: never mojibake, a silently
changed value or a foreign traceback (issue 17). One regression test per class, then a seeded,
bounded property test over generated CSV exports."""

from __future__ import annotations

import csv
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL, SMALL_CSV, write_csv

import surveykit as sk
from surveykit._spreadsheet import strip_control, to_csv
from surveykit.errors import DataError, EmptyDataError, SurveykitError
from surveykit.io.transactions import read_transactions
from surveykit.io.write import Table, write_docx, write_xlsx
from surveykit.plotting._style import wrap_label
from surveykit.value import prepare_transactions


def read(path, q=SMALL):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.errors.DataQualityWarning)
        return sk.read_responses(path, q)


def codes(data, what):
    return {i.code for i in data.validate().issues if what in i.message}


# -- 1. mixed encodings -----------------------------------------------------------------------------

def test_a_utf8_file_with_one_gbk_cell_is_refused_with_the_cell(tmp_path):
    raw = SMALL_CSV.encode("utf-8").replace("价格有点贵".encode(), "价格有点贵".encode("gb18030"))
    (path := tmp_path / "mixed.csv").write_bytes(raw)
    with pytest.raises(DataError, match=r"row 4 column 8 \('comment'\).*as GB18030: '价格有点贵'"):
        read(path)


def test_a_gb18030_file_with_an_undecodable_cell_is_refused_with_the_cell(tmp_path):
    raw = SMALL_CSV.encode("gb18030").replace("无".encode("gb18030"), b"\x81\x20")
    (path := tmp_path / "gbk.csv").write_bytes(raw)
    with pytest.raises(DataError, match=r"GB18030 text except 1 cell that is not: row 5 column 8 \('comment'\)"):
        read(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_file_in_one_encoding_reads_every_comment_as_written(tmp_path, encoding):
    data = read(write_csv(tmp_path / "one.csv", SMALL_CSV, encoding))
    assert data.responses["comment"].tolist()[::2] == ["物流很快", "价格有点贵", "客服态度不好"]


# -- 2. repeated headers ----------------------------------------------------------------------------

@pytest.mark.parametrize("second", ["q2", "q2.1"])
def test_a_repeated_header_is_refused_naming_both_columns(tmp_path, second):
    text = SMALL_CSV.replace("gender,comment\n", f"gender,comment,{second}\n")
    text = "\n".join(line + ",1" if k else line for k, line in enumerate(text.splitlines())) + "\n"
    with pytest.raises(DataError, match=rf"columns 4 \('q2'\) and 9 \('{second}'\)"):
        read(write_csv(tmp_path / "rep.csv", text))


def test_a_dataframe_with_a_repeated_column_name_is_refused():
    df = pd.read_csv(io.StringIO(SMALL_CSV))
    df.columns = [*df.columns[:-1], "q1"]
    with pytest.raises(DataError, match=r"'q1' more than once \(columns 3, 8\)"):
        read(df)


def test_ids_are_kept_as_written_and_an_item_cannot_take_the_ids_place(tmp_path):
    text = "".join(f"R_{k}.0," + line.split(",", 1)[1] + "\n" if k else line + "\n"
                   for k, line in enumerate(SMALL_CSV.splitlines()))
    data = read(write_csv(tmp_path / "ids.csv", text))
    assert data.responses.index.tolist() == [f"R_{k}.0" for k in range(1, 6)]
    q = {**SMALL, "items": [*SMALL["items"], {"id": "__id__", "scale": "text", "column": "note", "text": "x"}]}
    data = read(write_csv(tmp_path / "ok.csv", SMALL_CSV), q)
    assert data.responses.index.tolist() == [1, 2, 3, 4, 5]


# -- 3. rows longer than the header ---------------------------------------------------------------

def test_rows_with_more_cells_than_the_header_are_named(tmp_path):
    text = SMALL_CSV.replace("id,seconds,", "id,")  # a header cell missing: the data would shift
    with pytest.raises(DataError, match=r"5 rows hold more cells than the header.*row 2 \(8 cells\)"):
        read(write_csv(tmp_path / "shift.csv", text))


# -- 4. null markers and strict numbers -----------------------------------------------------------

@pytest.mark.parametrize("marker", ["nan", "NaN", "NA", "N/A", "#N/A", "None", "NULL", "1_0", "inf", "-Infinity"])
def test_null_markers_and_loose_numbers_in_a_likert_cell_are_problems(tmp_path, marker):
    data = read(write_csv(tmp_path / "m.csv", SMALL_CSV.replace("5,310,2,", f"5,310,{marker},")))
    problems = [i for i in data.validate().issues if i.item == "q1" and i.severity == "error"]
    assert problems and problems[0].rows == (6,) and marker in problems[0].message
    assert np.isnan(data.responses.loc[5, "q1"])


def test_a_null_marker_declared_as_a_missing_code_is_missing(tmp_path):
    q = {**SMALL, "missing_codes": {**SMALL["missing_codes"], 97: {"zh": "NA"}}}
    data = read(write_csv(tmp_path / "m.csv", SMALL_CSV.replace("5,310,2,", "5,310,NA,")), q)
    assert np.isnan(data.responses.loc[5, "q1"]) and not [i for i in data.validate().issues if i.item == "q1"]
    assert data.audit.missing_codes.query("item == 'q1'")["code"].tolist() == [97]


def test_a_comment_reading_na_is_kept_as_written(tmp_path):
    data = read(write_csv(tmp_path / "m.csv", SMALL_CSV.replace("物流很快", "N/A")))
    assert data.responses.loc[1, "comment"] == "N/A"


# -- 5. control characters and spreadsheet cells ---------------------------------------------------

def test_control_characters_do_not_stop_the_xlsx_and_docx_writers(tmp_path):
    frame = pd.DataFrame({"comment": ["好\x01评", "a\x0bb", "=1+1"]})
    table = Table(title="comments\x02", frame=frame, index=False)
    write_xlsx([table], tmp_path / "t.xlsx")
    write_docx([table], tmp_path / "t.docx")
    back = pd.read_excel(tmp_path / "t.xlsx", sheet_name=1, header=2, engine="openpyxl")
    assert back["comment"].tolist() == ["好评", "ab", "=1+1"]
    assert strip_control("x\x1fy") == "xy"


def test_a_csv_cell_starting_or_holding_a_line_break_stays_in_its_row():
    buf = io.StringIO()
    to_csv(pd.DataFrame({"comment": ['\r=HYPERLINK("http://x")', "a\rb", "\nx"], "n": [1, 2, 3]}), buf)
    back = pd.read_csv(io.StringIO(buf.getvalue()), keep_default_na=False)
    assert back["n"].tolist() == [1, 2, 3]
    assert back["comment"].tolist() == ["'\r=HYPERLINK(\"http://x\")", "a\rb", "'\nx"]


# -- 6. TeX in labels ----------------------------------------------------------------------------

def test_a_label_holding_tex_is_drawn_as_written():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    label = wrap_label(r"$\frac{1}{$ members", 20)
    ax.set_yticks([0], [label])
    fig.canvas.draw()  # unescaped, mathtext fails here (ValueError)
    assert ax.get_yticklabels()[0].get_text() == r"\$\frac{1}{\$ members"


# -- 7. example --out ---------------------------------------------------------------------------

def test_example_refuses_to_overwrite_a_users_files(tmp_path, capsys):
    from surveykit.cli import main

    mine = tmp_path / "transactions.csv"
    mine.write_text("my own orders\n", encoding="utf-8")
    assert main(["example", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "transactions.csv" in err and len(err.strip().splitlines()) == 1
    assert mine.read_text(encoding="utf-8") == "my own orders\n"


# -- 8. transactions: day/month order and id formats -------------------------------------------------

TX_KW = dict(customer="customer_id", date="date", amount="amount", as_of="2026-12-31")


def tx(dates):
    return pd.DataFrame({"customer_id": [f"C{k}" for k in range(len(dates))], "date": dates,
                         "amount": ["10"] * len(dates)})


def test_ambiguous_day_month_dates_are_refused_unless_a_format_is_given():
    dates = ["03/04/2026", "05/06/2026", "11/12/2026"]
    with pytest.raises(DataError, match="date_format='%d/%m/%Y'"):
        prepare_transactions(tx(dates), **TX_KW)
    p = prepare_transactions(tx(dates), **TX_KW, date_format="%d/%m/%Y")
    assert p.audit.n_excluded == 0


def test_day_first_dates_are_read_day_first_when_the_column_settles_it():
    p = prepare_transactions(tx(["03/04/2026", "25/04/2026"]), **TX_KW)
    days = pd.to_datetime(p.to_frame()["date"]).dt.strftime("%Y-%m-%d").tolist()
    assert sorted(days) == ["2026-04-03", "2026-04-25"]


def test_an_id_format_without_braces_is_refused():
    with pytest.raises(ValueError, match="no '{}' field"):
        prepare_transactions(tx(["2026-01-01"]), **TX_KW, id_format="C0000000")


# -- 9. foreign exceptions become surveykit's errors -----------------------------------------------

def test_corrupt_and_empty_parquet_and_sav_files(tmp_path):
    good = pd.read_csv(io.StringIO(SMALL_CSV))
    good.to_parquet(tmp_path / "ok.parquet")
    raw = (tmp_path / "ok.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(raw[: len(raw) // 2])
    (tmp_path / "junk.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
    for name in ("cut.parquet", "junk.parquet"):
        with pytest.raises(DataError, match=name):
            read(tmp_path / name)
    good.iloc[:0].to_parquet(tmp_path / "none.parquet")
    with pytest.raises(EmptyDataError, match="no rows"):
        read(tmp_path / "none.parquet")
    import pyreadstat

    pyreadstat.write_sav(good.iloc[:0].drop(columns="comment"), str(tmp_path / "none.sav"))
    with pytest.raises(EmptyDataError, match="none.sav"):
        read(tmp_path / "none.sav")


def test_a_long_comment_and_cr_only_line_endings_read(tmp_path):
    long = "好" * 200_000  # over the csv module's 128 KiB field limit
    data = read(write_csv(tmp_path / "long.csv", SMALL_CSV.replace("物流很快", long)))
    assert data.responses.loc[1, "comment"] == long
    data = read(write_csv(tmp_path / "cr.csv", SMALL_CSV.replace("\n", "\r")))
    assert data.n_respondents == 5 and data.responses.loc[3, "comment"] == "价格有点贵"


@pytest.mark.parametrize("content", [b"customer_id,date,amount\n1,2026-01-01,3,4,5\n\"x", b"\n\n", b"a,b\n"])
def test_malformed_transaction_files_raise_data_errors(tmp_path, content):
    (path := tmp_path / "tx.csv").write_bytes(content)
    with pytest.raises(DataError, match="tx.csv"):
        read_transactions(path)


def test_a_corrupt_transactions_parquet_raises_a_data_error(tmp_path):
    (path := tmp_path / "tx.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="tx.parquet"):
        read_transactions(path)


# -- 10. property: a clean read with every value as written, or surveykit's own error ------------------

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

NULLS = ["nan", "NaN", "NA", "N/A", "#N/A", "None", "NULL"]
LIKERT = ["q1", "q2", "q3", "q4"]
cell = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "98", "", "6", "1_0", "inf", "1e300", " 4 ", "非常满意", *NULLS]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r"), max_size=6),
)


@st.composite
def exports(draw):
    header = ["id", "seconds", *LIKERT, "gender", "comment"]
    if draw(st.booleans()):  # a repeated header
        header.insert(draw(st.integers(0, len(header))), draw(st.sampled_from([*header, "q1.1"])))
    n = draw(st.integers(1, 6))
    rows = [[str(r + 1), "300", *(draw(cell) for _ in header[2:])] for r in range(n)]
    rows = [row[: len(header)] + ([draw(cell)] if draw(st.integers(0, 9)) == 0 else []) for row in rows]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    data = buf.getvalue().encode(draw(st.sampled_from(["utf-8", "gb18030"])), errors="replace")
    if draw(st.integers(0, 4)) == 0:  # a stray byte
        k = draw(st.integers(0, len(data)))
        data = data[:k] + bytes([draw(st.integers(0x80, 0xFF))]) + data[k:]
    return header, rows, data


@hypothesis.settings(derandomize=True, max_examples=150, deadline=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(exports())
def test_every_export_reads_as_written_or_raises_a_surveykit_error(tmp_path_factory, export):
    header, rows, data = export
    path = tmp_path_factory.mktemp("prop") / "export.csv"
    path.write_bytes(data)
    try:
        got = read(path)
    except SurveykitError:
        return
    audit = got.audit
    assert audit.n_rows_read == got.n_respondents + len(got.exclusions)
    back = pd.read_csv(io.StringIO(data.decode(_encoding(audit.encoding))), dtype=str, keep_default_na=False,
                       header=None, skiprows=audit.header_row).to_numpy()
    flagged = {(i.item, r) for i in got.validate().issues if i.severity == "error" for r in (i.rows or ())}
    for item in LIKERT:
        column = audit.column_map.get(item)
        if column is None:
            continue
        j = header.index(column)
        for value, source_row in zip(got.responses[item].to_numpy(), got.meta["source_row"].to_numpy()):
            written = back[source_row - audit.header_row - 1][j].strip()
            if np.isnan(value):  # blank, a declared missing code, or a problem raised on this very cell
                assert written in {"", "98", "99"} or (item, source_row) in flagged, (item, source_row, written)
            else:
                assert value == {"非常满意": 5.0}.get(written) or value == float(written)


def _encoding(name):
    return {"UTF-8": "utf-8", "UTF-8 with BOM": "utf-8-sig", "GB18030 (GBK)": "gb18030"}.get(name, name)


# -- 11. formulas, nested Parquet columns (issue 17, part 1) -----------------------------------------

def _workbook_with_a_formula(path, cached: str | None):
    """SMALL_CSV as an xlsx whose C3 (q1 of respondent 2) is '=A3+1', its value saved or not."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "答卷"
    for row in csv.reader(io.StringIO(SMALL_CSV)):
        ws.append(row)
    ws["C3"] = "=A3+1"
    wb.save(path)
    if cached is not None:  # as Excel saves it: the formula and its last result
        with zipfile.ZipFile(path) as z:
            members = {n: z.read(n) for n in z.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        members[sheet] = members[sheet].replace(b"<f>A3+1</f><v></v>", f"<f>A3+1</f><v>{cached}</v>".encode())
        with zipfile.ZipFile(path, "w") as z:
            for n, b in members.items():
                z.writestr(n, b)
    return path


def test_a_formula_without_its_saved_value_is_named_by_sheet_and_cell(tmp_path):
    with pytest.raises(DataError, match=r"sheet '答卷': 1 formula cell has no saved value \(C3\)"):
        read(_workbook_with_a_formula(tmp_path / "f.xlsx", None))
    data = read(_workbook_with_a_formula(tmp_path / "ok.xlsx", "3"))  # Excel's saved result is read
    assert data.responses.loc[2, "q1"] == 3


def test_a_transactions_workbook_with_an_unsaved_formula_is_refused(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["customer_id", "date", "amount"])
    wb.active.append(["C1", "2026-01-05", "=2*5"])
    wb.save(path := tmp_path / "tx.xlsx")
    with pytest.raises(DataError, match=r"C2"):
        read_transactions(path)


@pytest.mark.parametrize("value", [[1, 2], {"a": 1}])
def test_parquet_list_and_struct_columns_are_named(tmp_path, value):
    frame = pd.read_csv(io.StringIO(SMALL_CSV))
    frame["comment"] = [value] * len(frame)
    frame.to_parquet(path := tmp_path / "nested.parquet")
    with pytest.raises(DataError, match=r"Column 'comment' .* holds lists or records \(e.g. row 1\)"):
        read(path)


# -- 12. memory follows the data, not declarations (issue 17, part 2) -----------------------------

@pytest.mark.parametrize("scale", [{"type": "likert", "min": 1, "max": 1e12}, {"type": "rating", "min": -1e9, "max": 1e9}])
def test_a_scale_declared_huge_costs_memory_by_the_data(tmp_path, scale):
    import copy
    import tracemalloc

    q = copy.deepcopy(SMALL)
    q["scales"]["sat5"] = scale  # no labels: answers are codes
    path = write_csv(tmp_path / "s.csv", SMALL_CSV.replace("非常满意,满意,一般,不满意", "5,4,3,2"))
    tracemalloc.start()
    try:
        data = read(path, q)
        described = data.describe()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50e6  # before: range(1, 1e12) of codes, a MemoryError past 3 GB
    assert data.responses["q1"].tolist() == [5, 5, 4, 3, 2]
    assert list(described.groups["sat5"].counts.columns) == [1, 2, 3, 4, 5]  # the values answered, not 1..1e12


def test_a_keyword_of_20000_characters_is_refused_with_its_place(recwarn):
    from surveykit.text.themes import ThemeDictionaryError

    spec = {"schema_version": 1, "themes": {"price": {"name": "价格", "keywords": ["贵", "价" * 20_000]}}}
    with pytest.raises(ThemeDictionaryError, match=r"themes.price.keywords\[1\]: a word of 20,000 characters"):
        sk.load_themes(spec)


def test_reliability_of_10000_items_is_refused_before_any_matrix():
    items = pd.DataFrame(np.random.default_rng(1).integers(1, 6, size=(30, 10_000)).astype(float),
                         columns=[f"i{j}" for j in range(10_000)])
    with pytest.raises(DataError, match=r"reliability takes at most 1,000 items; got 10,000"):
        sk.reliability(items)


@pytest.mark.parametrize("loader", ["questionnaire", "themes"])
def test_yaml_nested_hundreds_of_levels_deep_is_a_located_problem(tmp_path, loader):
    deep = "a:\n" + "".join("  " * i + f"  x{i}:\n" for i in range(1, 400)) + "  " * 400 + "  y: 1\n"
    (path := tmp_path / "deep.yaml").write_text(deep, encoding="utf-8")
    with pytest.raises(sk.QuestionnaireError, match="nested too deeply"):
        (sk.load_questionnaire if loader == "questionnaire" else sk.load_themes)(path)


# -- 13. commands: -o and --date-format (issue 17, part 5) -----------------------------------------

TX_CSV = "customer_id,date,amount\nC1,05/01/2026,10\nC2,13/01/2026,20\nC1,02/02/2026,5\n"


def _cli(argv, capsys):
    from surveykit.cli import main

    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("out, message", [
    ("folder.csv", "is an existing folder, but a file is expected here"),
    ("afile/x.csv", "is a file, so nothing can be written below it"),
    ("afile", "is an existing file, but a folder is expected here"),
])
def test_value_out_where_it_cannot_write_is_a_usage_error(tmp_path, capsys, out, message):
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "afile").write_text("x")
    (tx := tmp_path / "tx.csv").write_text(TX_CSV)
    code, err = _cli(["value", tx, "--date-format", "%d/%m/%Y", "-o", tmp_path / out], capsys)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_read_only_out_folder_is_named_before_the_analysis(tmp_path, capsys, monkeypatch):
    import os

    (tx := tmp_path / "tx.csv").write_text(TX_CSV)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path / "ro") else real(p, mode))
    (tmp_path / "ro").mkdir()
    for argv in (["value", tx, "-o", tmp_path / "ro" / "out.xlsx"], ["report", "-o", tmp_path / "ro"],
                 ["example", "-o", tmp_path / "ro"]):
        code, err = _cli(argv, capsys)
        assert code == 2 and "is read-only for you" in err, argv


def test_an_os_error_while_writing_names_the_file_and_the_fix():
    from surveykit.cli._common import exit_code

    code, line = exit_code(PermissionError(13, "Permission denied", "/srv/out/report.html"))
    assert code == 2 and "cannot use '/srv/out/report.html': Permission denied (permission denied" in line


def test_value_reads_day_first_dates_with_date_format(tmp_path, capsys):
    import json

    (tx := tmp_path / "tx.csv").write_text("customer_id,date,amount\nC1,05/01/2026,10\nC2,06/01/2026,20\n"
                                           "C1,02/02/2026,5\n")
    code, err = _cli(["value", tx, "--format", "json"], capsys)
    assert code == 1 and "day/month or month/day" in err  # ambiguous without the flag
    from surveykit.cli import main

    assert main(["value", str(tx), "--date-format", "%d/%m/%Y", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["as_of"].startswith("2026-02-02") and payload["transactions"]["rows_used"] == 3


# -- 14. numbers: a rating that is text is named, not made missing (issue 17, part 3) ---------------

def test_penalty_reward_names_an_overall_rating_that_is_not_a_number():
    attributes = pd.DataFrame({"a": [1, 2, 3, 4, 5] * 4, "b": [5, 4, 3, 2, 1] * 4})
    overall = pd.Series([1, 2, 3, 4, 5] * 4, dtype=object)
    overall[3] = "满意"
    with pytest.raises(DataError, match=r"'overall'.*'满意'"):
        sk.penalty_reward(attributes, overall)
