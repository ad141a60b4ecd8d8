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
