"""The surveykit command: help, exit codes 0/1/2, --format json."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SMALL, SMALL_CSV, write_csv
from surveykit.cli import main


@pytest.fixture
def q_file(tmp_path):
    import yaml

    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return path


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0 and "validate" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--help"])
    assert exc.value.code == 0 and "--format" in capsys.readouterr().out
    assert main([]) == 2


def test_validate_valid_file_exits_0_and_json_parses(tmp_path, q_file, capsys):
    data = write_csv(tmp_path / "ok.csv", SMALL_CSV)
    assert main(["validate", str(data), "-q", str(q_file), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] is True and payload["accounting"]["used"] == 5
    assert {i["code"] for i in payload["issues"]} == {"speeder", "straightliner"}


def test_validate_invalid_file_exits_1_with_locations(tmp_path, q_file, capsys):
    data = write_csv(tmp_path / "bad.csv", SMALL_CSV.replace("3,320,4,98", "3,320,9,98"))
    assert main(["validate", str(data), "-q", str(q_file)]) == 1
    out = capsys.readouterr().out
    assert "out_of_range" in out and "'q1'" in out and "bad.csv" in out and "rows: 4" in out


def test_usage_errors_exit_2(tmp_path, q_file, capsys):
    assert main(["validate", str(tmp_path / "missing.csv"), "-q", str(q_file)]) == 2
    assert "missing.csv" in capsys.readouterr().err
    bad_q = tmp_path / "bad.yaml"
    bad_q.write_text("schema_version: 1\nid: x\n", encoding="utf-8")
    assert main(["validate", str(write_csv(tmp_path / "ok.csv", SMALL_CSV)), "-q", str(bad_q)] ) == 2
    assert "required key is missing" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["validate", "x.csv"])  # -q missing
    assert exc.value.code == 2


def test_empty_file_exits_1(tmp_path, q_file, capsys):
    assert main(["validate", str(write_csv(tmp_path / "e.csv", "")), "-q", str(q_file)]) == 1
    assert "empty" in capsys.readouterr().err


def test_report_on_a_file(tmp_path, q_file, capsys):
    data = write_csv(tmp_path / "ok.csv", SMALL_CSV)
    out = tmp_path / "out"
    assert main(["report", str(data), "-q", str(q_file), "-o", str(out), "--no-progress", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["n_respondents"] == 5 and (out / "report.html").is_file()


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "surveykit", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("surveykit ")
