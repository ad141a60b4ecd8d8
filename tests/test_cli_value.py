"""``surveykit value`` (surveykit/cli/value.py): text, JSON, CSV and Excel output, the link to a survey, exit codes 0/1/2."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from surveykit.cli.value import add_parser, run


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example study's files, written by ``surveykit example --out``."""
    from surveykit.cli import main

    out = tmp_path_factory.mktemp("example")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["example", "--out", str(out)]) == 0
    return out


def value(argv, capsys=None):
    """The command as surveykit.cli will call it: its own subparser, then run()."""
    parser = argparse.ArgumentParser(prog="surveykit")
    add_parser(parser.add_subparsers(dest="command"))
    return run(parser.parse_args(["value", *map(str, argv)]))


def _strict_json(text: str):
    def reject(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=reject)


def _survey(example):
    return ["-q", example / "customer_value.yaml", example / "responses_qualtrics.csv"]


def test_transactions_alone_give_the_audit_rfm_clv_abc_and_repurchase(example, capsys):
    assert value([example / "transactions.csv"]) == 0
    out = capsys.readouterr().out
    assert "110848 rows read = 110627 used + 221 excluded (221 duplicate rows)" in out  # export duplicates
    for title in ("RFM", "ABC classification: profit", "Customer lifetime value", "Repurchase rate"):
        assert f"\n{title}\n" in f"\n{out}", title
    assert "Customer value and satisfaction" not in out  # no survey given


def test_json_is_strict_and_every_row_and_customer_is_accounted_for(example, capsys):
    assert value([example / "transactions.csv", "--format", "json", "--as-of", "2026-10-31"]) == 0
    payload = _strict_json(capsys.readouterr().out)
    t = payload["transactions"]
    assert t["rows_read"] == t["rows_used"] + t["rows_excluded"] == 110848
    assert sum(row["customers"] for row in payload["rfm_layers"]) == payload["customers"] == 12000
    assert sum(row["customers"] for row in payload["abc"]["classes"]) == 12000 and payload["abc"]["basis"] == "profit"
    assert 0 < payload["clv"]["retention"] < 1 and payload["as_of"] == "2026-10-31"
    assert payload["link"] is None


def test_with_a_survey_the_link_is_accounted_for_and_the_save_list_follows_its_rule(example, capsys):
    assert value([example / "transactions.csv", *_survey(example), "--format", "json", "--language", "en"]) == 0
    link = _strict_json(capsys.readouterr().out)["link"]
    acc = link["accounting"]
    assert acc["respondents"] == 1500 == acc["linked"] + acc["no_customer_id"] + acc["excluded_transactions"] + \
        acc["no_transactions"]
    assert acc["customers"] == acc["customers_linked"] + acc["customers_not_surveyed"] == 12000
    assert len(link["not_linked"]) == 1500 - acc["linked"] > 0  # ~3% of respondents have no transactions
    assert {r["test"] for r in link["tests"]} == {"welch_anova", "anova", "chi_square"}
    save = link["save_list"]
    assert save and all(r["abc_class"] == "A" or r["top_clv"] for r in save)
    assert all((r["satisfaction_index"] is not None and r["satisfaction_index"] < 60) or r["detractor"] for r in save)
    values = [r["abc_value"] for r in save]
    assert values == sorted(values, reverse=True)


def test_csv_out_is_one_row_per_customer_with_ids_as_text(example, tmp_path, capsys):
    out = tmp_path / "customers.csv"
    assert value([example / "transactions.csv", "-o", out]) == 0
    assert f"Tables written to {out}" in capsys.readouterr().out
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"customer_id": str})
    assert len(table) == 12000 and table["customer_id"].str.fullmatch(r"C\d{7}").all()
    assert {"layer", "rfm_cell", "abc_class", "clv_retention"} <= set(table.columns)


def test_a_folder_out_holds_every_table_and_comments_cannot_run_as_formulas(example, tmp_path, capsys):
    out = tmp_path / "tables"
    assert value([example / "transactions.csv", *_survey(example), "-o", out]) == 0
    assert "Customer value and satisfaction" in capsys.readouterr().out
    names = {p.stem for p in out.glob("*.csv")}
    assert {"customers", "rfm_layers", "abc_classes", "clv_by_layer", "respondents", "link_accounting", "not_linked",
            "by_layer", "by_class", "tests", "save_list"} <= names
    with open(out / "respondents.csv", encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # kept, made harmless
    assert any(c.startswith("'+86") for c in cells)


def test_xlsx_out_has_a_sheet_per_table_numbers_as_numbers_and_text_as_text(example, tmp_path, capsys):
    tx = pd.read_csv(example / "transactions.csv", dtype=str)
    small = tmp_path / "tx.csv"
    tx[tx["customer_id"] < "C0002000"].to_csv(small, index=False)
    out = tmp_path / "value.xlsx"
    assert value([small, *_survey(example), "-o", out]) == 0
    assert "are found among the transaction customers" in capsys.readouterr().out  # few respondents link: a note
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["contents", "01 transactions_audit", "02 customers"]
    sheet = wb[next(s for s in wb.sheetnames if s.endswith("respondents"))]
    header = [c.value for c in sheet[3]]
    rows = list(sheet.iter_rows(min_row=4, values_only=False))
    comments = [r[header.index("comment")] for r in rows if isinstance(r[header.index("comment")].value, str)]
    formula_like = [c for c in comments if c.value.startswith("=")]
    assert formula_like and all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    assert isinstance(rows[0][header.index("satisfaction_index")].value, (float, type(None)))


def test_without_a_cost_column_clv_needs_a_margin(example, tmp_path, capsys):
    tx = pd.read_csv(example / "transactions.csv", dtype=str).drop(columns="cost")
    path = tmp_path / "no_cost.csv"
    tx.to_csv(path, index=False)
    assert value([path, "--format", "json"]) == 0
    payload = _strict_json(capsys.readouterr().out)
    assert payload["clv"] is None and payload["abc"]["basis"] == "revenue"
    assert any("pass --cost COL or --margin SHARE" in n for n in payload["notes"])
    assert value([path, "--format", "json", "--margin", "0.3"]) == 0
    assert _strict_json(capsys.readouterr().out)["clv"]["retention"] > 0


@pytest.mark.parametrize("argv, code, message", [
    (lambda ex: [ex / "nowhere.csv"], 2, r"surveykit: error: No transactions file '.*nowhere.csv'"),
    (lambda ex: [ex / "transactions.csv", "--amount", "amt"], 2,
     r"surveykit: error: The 'amount' parameter of prepare_transactions names column 'amt' \(did you mean 'amount'\?\)"),
    (lambda ex: [ex / "transactions.csv", "--date", "day"], 2, r"'date' parameter of link_survey names column 'day'"),
    (lambda ex: [ex / "transactions.csv", "--as-of", "soon"], 2,
     r"The 'as_of' parameter of prepare_transactions must be a date such as '2026-10-31'. Got 'soon' instead."),
    (lambda ex: [ex / "transactions.csv", "-q", ex / "missing.yaml", ex / "responses_qualtrics.csv"], 2,
     r"surveykit: error: "),
    (lambda ex: [ex / "transactions.csv", *_survey(ex), "--customer", "order_id"], 1,
     r"surveykit: invalid data: None of the 1500 respondents' customer ids \(item 'customer_id'"),
    (lambda ex: [ex / "transactions.csv", *_survey(ex), "--id-column", "cust"], 2,
     r"'id_column' parameter of link_survey names 'cust'"),
])
def test_errors_go_to_stderr_with_the_exit_code(example, capsys, argv, code, message):
    assert value(argv(example)) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(message, captured.err), captured.err


def test_usage_errors_of_the_parser_exit_2(example, capsys):
    with pytest.raises(SystemExit) as exc:
        value([example / "transactions.csv", "-q", example / "customer_value.yaml"])  # -q needs Q and DATA
    assert exc.value.code == 2
    assert "expected 2 arguments" in capsys.readouterr().err


def test_surveykit_main_runs_the_command_once_wired(example, capsys):
    from surveykit import cli

    commands = next(a.choices for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    if "value" not in commands:
        pytest.skip("the value command is not wired into surveykit.cli yet")
    assert cli.main(["value", str(example / "transactions.csv"), "--format", "json"]) == 0
    assert _strict_json(capsys.readouterr().out)["customers"] == 12000
