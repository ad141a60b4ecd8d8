"""The surveykit command: help, exit codes 0/1/2/3, --format json."""

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


def test_a_bad_cleaning_rule_is_a_usage_error_in_one_line(tmp_path, q_file, capsys):
    data = write_csv(tmp_path / "ok.csv", SMALL_CSV)
    out = tmp_path / "out"
    assert main(["report", str(data), "-q", str(q_file), "--clean", "speeders,bogus", "-o", str(out),
                 "--no-progress"]) == 2  # a usage error, not invalid data (1)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith("surveykit: error: The 'rules' parameter of clean") and "'bogus'" in captured.err
    assert not (out / "report.html").exists()


def test_the_process_exits_2_without_a_traceback_on_a_bad_cleaning_rule(tmp_path, q_file):
    data = write_csv(tmp_path / "ok.csv", SMALL_CSV)
    done = subprocess.run([sys.executable, "-m", "surveykit", "report", str(data), "-q", str(q_file), "--clean",
                           "bogus", "-o", str(tmp_path / "out"), "--no-progress"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


def test_an_internal_error_exits_3_with_one_line_asking_for_a_report(tmp_path, q_file, capsys, monkeypatch):
    import surveykit.cli.validate as command

    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(command, "read_responses", broken)
    data = write_csv(tmp_path / "ok.csv", SMALL_CSV)
    assert main(["validate", str(data), "-q", str(q_file)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KeyError" in err and "bug" in err and "Traceback" not in err
    monkeypatch.setenv("SURVEYKIT_TRACEBACK", "1")  # a maintainer asks for the traceback
    with pytest.raises(KeyError):
        main(["validate", str(data), "-q", str(q_file)])
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0 and "3 internal error" in capsys.readouterr().out


def test_every_command_maps_errors_the_same_way():
    from surveykit.cli import COMMANDS
    from surveykit.cli._common import command

    for name, module in COMMANDS.items():
        assert module.run.__wrapped__ is not None, name  # each run() is wrapped by the one mapping
        assert module.run.__code__ is command(lambda args: 0).__code__, name


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


def test_report_stops_on_invalid_data_before_any_analysis(tmp_path, q_file, capsys, monkeypatch):
    import surveykit.report as report

    def must_not_run(*args, **kwargs):
        raise AssertionError("the report was built on invalid data")

    monkeypatch.setattr(report, "build_report", must_not_run)
    data = write_csv(tmp_path / "bad.csv", SMALL_CSV.replace("3,320,4,98", "3,320,9,98"))
    out = tmp_path / "out"
    assert main(["report", str(data), "-q", str(q_file), "-o", str(out), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "invalid data" in err and "out_of_range" in err and "'q1'" in err and "--clean" in err
    assert not (out / "report.html").exists()
