"""``surveykit themes`` (surveykit/cli/themes.py): text, JSON and CSV output, exit codes 0/1/2, CSV injection."""

from __future__ import annotations

import argparse
import copy
import io
import json

import pandas as pd
import pytest
import yaml
from conftest import SMALL, write_csv

from surveykit.cli.themes import add_parser, run
from surveykit.text.themes import bundled_themes

QUESTIONNAIRE = copy.deepcopy(SMALL)
QUESTIONNAIRE["open_text"] = [{"item": "comment", "themes": str(bundled_themes("customer_value"))}]
QUESTIONNAIRE["roles"] = {"satisfaction": "sat"}

ROWS = [  # id, seconds, q1..q4, gender, comment
    (1, 300, 5, 4, 4, 2, 1, "物流很快"), (2, 280, 2, 2, 3, 4, 2, "价格太贵了，质量不太好"),
    (3, 320, 4, 4, 4, 2, 1, "价格便宜"), (4, 290, 3, 3, 3, 3, 2, "无"),
    (5, 310, 2, 2, 1, 5, 1, "客服态度不好"), (6, 305, 4, 5, 4, 1, 2, '=HYPERLINK("http://x","价格太贵")'),
    (7, 299, 5, 5, 5, 1, 1, "+86 物流很快"), (8, 301, 2, 3, 2, 4, 2, "@客服 回复太慢"),
    (9, 296, 4, 4, 5, 2, 1, "<b>包装</b>破损了"), (10, 315, 3, 4, 3, 3, 2, ""),
    (11, 288, 1, 2, 1, 5, 1, "-_- 质量太差"), (12, 302, 4, 4, 4, 2, 2, "下次再来"),
]


def _csv(rows) -> str:
    lines = ["id,seconds,q1,q2,q3,q4,gender,comment"]
    for r in rows:
        text = r[-1].replace('"', '""')
        lines.append(",".join(map(str, r[:-1])) + f',"{text}"')
    return "\n".join(lines) + "\n"


@pytest.fixture
def files(tmp_path):
    q = tmp_path / "q.yaml"
    q.write_text(yaml.safe_dump(QUESTIONNAIRE, allow_unicode=True), encoding="utf-8")
    return write_csv(tmp_path / "export.csv", _csv(ROWS)), q


def themes(argv) -> int:
    """The command as surveykit.cli will call it: its own subparser, then run()."""
    parser = argparse.ArgumentParser(prog="surveykit")
    add_parser(parser.add_subparsers(dest="command"))
    return run(parser.parse_args(["themes", *argv]))


def _strict_json(text: str):
    def reject(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=reject)


def test_text_output_lists_themes_and_accounting(files, capsys):
    data, q = files
    assert themes([str(data), "-q", str(q)]) == 0
    out = capsys.readouterr().out
    assert "12 answers read: 1 missing, 1 non-answers, 10 substantive" in out
    assert "价格" in out and "Share by gender" in out and "Mentioners vs non-mentioners: satisfaction_index" in out


def test_json_is_strict_json_and_every_comment_is_accounted_for(files, capsys):
    data, q = files
    assert themes([str(data), "-q", str(q), "--format", "json", "--language", "en"]) == 0
    payload = _strict_json(capsys.readouterr().out)  # NaN would be invalid JSON: written as null
    f = payload["fields"]["comment"]
    a = f["accounting"]
    assert a["read"] == 12 == a["missing"] + a["non_answer"] + a["substantive"]
    assert {t["theme"]: t["count"] for t in f["themes"]}["price"] == 3  # 太贵, 便宜, the formula's 价格太贵
    assert payload["segments"] == ["gender"] and set(f["by_segment"]) == {"gender"}
    assert {r["measure"] for r in f["comparison"]} == {"satisfaction_index"}
    rows = {r["theme"]: r for r in f["comparison"]}
    assert rows["packaging"]["n_mentioners"] == 1 and rows["packaging"]["p_value"] is None  # one mentioner: no test
    assert isinstance(rows["price"]["p_value"], float) and rows["price"]["n_mentioners"] == 3
    assert "下次" in f["unmatched_words"] and a["unmatched"] == 1
    assert any("no 'nps' role" in n for n in f["notes"])


@pytest.mark.parametrize("table, column", [("quotes", "text"), ("counts", "theme"), ("comparison", "p_value"),
                                           ("unmatched", "word")])
def test_csv_tables_parse_and_neutralise_formulas(files, capsys, table, column):
    data, q = files
    assert themes([str(data), "-q", str(q), "--format", "csv", "--table", table]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert column in frame.columns and frame["field"].eq("comment").all()
    cells = [str(v) for v in frame.to_numpy().ravel()]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]  # nothing a spreadsheet would run
    if table == "quotes":
        texts = set(frame["text"])
        assert {"'=HYPERLINK(\"http://x\",\"价格太贵\")", "'+86 物流很快", "'@客服 回复太慢"} <= texts
        assert "<b>包装</b>破损了" in texts  # kept as written: a CSV is not HTML
    if table == "counts":
        overall = frame[frame["segment"] == "(overall)"].set_index("theme")
        assert overall.at["price", "count"] == 3 and overall.at["price", "n_substantive"] == 10
        assert set(frame["segment"]) == {"(overall)", "gender"}


def test_csv_to_a_file_has_a_bom_for_excel(files, tmp_path):
    data, q = files
    out = tmp_path / "themes.csv"
    assert themes([str(data), "-q", str(q), "--format", "csv", "--by", "gender", "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "价格".encode() in raw


def test_usage_errors_exit_2_with_the_reason_on_stderr(files, tmp_path, capsys):
    data, q = files
    assert themes([str(data), "-q", str(q), "--field", "commnt"]) == 2
    err = capsys.readouterr().err
    assert "The 'field' parameter of survey_themes must be one of 'comment'. Got 'commnt' instead." in err
    assert themes([str(data), "-q", str(q), "--by", "城市"]) == 2
    assert "'城市'" in capsys.readouterr().err
    assert themes([str(tmp_path / "missing.csv"), "-q", str(q)]) == 2
    assert "missing.csv" in capsys.readouterr().err
    plain = copy.deepcopy(QUESTIONNAIRE)
    del plain["open_text"]
    q2 = tmp_path / "plain.yaml"
    q2.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
    assert themes([str(data), "-q", str(q2)]) == 2
    assert "lists no open-text field" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        themes([str(data)])  # -q missing
    assert exc.value.code == 2


def test_invalid_data_exits_1(files, tmp_path, capsys):
    _, q = files
    empty = write_csv(tmp_path / "empty.csv", "id,seconds,q1,q2,q3,q4,gender,comment\n")
    assert themes([str(empty), "-q", str(q)]) == 1
    assert "surveykit: invalid data:" in capsys.readouterr().err


def test_wired_into_the_surveykit_command(files, capsys):
    from surveykit import cli

    parser = cli._parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if "themes" not in commands:
        pytest.skip("surveykit.cli does not have the themes command yet")
    data, q = files
    assert cli.main(["themes", str(data), "-q", str(q), "--format", "json"]) == 0
    assert _strict_json(capsys.readouterr().out)["fields"]["comment"]["accounting"]["read"] == 12
