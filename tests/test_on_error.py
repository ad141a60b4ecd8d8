"""The on-error policy (issue 16): invalid data stops a command, or its respondents are excluded and said so.

A small study written here (a generic CSV: id, weight, Finished/Progress, three likert items, a
numeric item, gender and an open comment) with one respondent per row-level error code. The
expected rows are worked out from the rows this file corrupts, not by surveykit.
"""

from __future__ import annotations

import json
import shutil
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.cli import main
from surveykit.errors import DataError
from surveykit.issues import ISSUE_CODES
from surveykit.quality import split_errors
from surveykit.text.themes import bundled_themes

QUESTIONNAIRE = """\
schema_version: 1
id: mini
title: {en: Mini study}
language: en
respondent_id: rid
weight: w
scales:
  agree5: {type: likert, min: 1, max: 5, labels: {1: Disagree, 5: Agree}}
  visits: {type: numeric, min: 0, max: 50}
  gender: {type: single_choice, labels: {1: Male, 2: Female}}
  text: {type: open_text}
items:
  - {id: q1, scale: agree5, text: The room was clean}
  - {id: q2, scale: agree5, text: Staff were friendly}
  - {id: q3, scale: agree5, text: Overall I am satisfied}
  - {id: visits, scale: visits, text: Visits this year}
  - {id: gender, scale: gender, text: Gender}
  - {id: comment, scale: text, text: Any comment}
constructs:
  satisfaction: {label: Satisfaction, items: [q1, q2, q3]}
roles: {satisfaction: satisfaction}
segments: [gender]
open_text:
  - {item: comment, themes: themes.yaml}
"""
N = 40
HEADER_ROWS = 1  # a generic CSV: source row = position + 2

# code -> (position of the corrupted respondent(s), column, value); each row-level error code once
CORRUPT = {
    "out_of_range": ([3], "q1", "7"),
    "unknown_option": ([5], "gender", "Other"),
    "not_a_number": ([8], "visits", "many"),
    "missing_respondent_id": ([11], "rid", ""),
    "duplicate_respondent_id": ([14, 15], "rid", "R0014"),
    "bad_weight": ([18], "w", "0"),
    "partial": ([21], "Finished", "0"),
}
ROW_CODES = set(CORRUPT)


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(16)
    base = rng.integers(2, 6, N)
    df = pd.DataFrame({
        "rid": [f"R{i:04d}" for i in range(N)], "w": rng.uniform(0.5, 2.0, N).round(3),
        "Finished": 1, "Progress": 100,
        **{q: np.clip(base + rng.integers(-1, 2, N), 1, 5) for q in ("q1", "q2", "q3")},
        "visits": rng.integers(0, 20, N), "gender": rng.integers(1, 3, N),
        "comment": rng.choice(["客服态度很好", "物流太慢了", "价格不贵，质量好", "无", "包装破损"], N)})
    return df.astype(object)


def source_row(position: int) -> int:
    return position + 1 + HEADER_ROWS


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """(questionnaire path, valid CSV, invalid CSV) of the small study."""
    d = tmp_path_factory.mktemp("on_error")
    q = d / "mini.yaml"
    q.write_text(QUESTIONNAIRE, encoding="utf-8")
    shutil.copyfile(bundled_themes("customer_service"), d / "themes.yaml")
    good = frame()
    good.to_csv(d / "good.csv", index=False)
    bad = frame()
    for rows, col, value in CORRUPT.values():
        for r in rows:
            bad.loc[r, col] = value
    bad.to_csv(d / "bad.csv", index=False)
    return q, d / "good.csv", d / "bad.csv"


def read(path, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(path, q)


@pytest.fixture(scope="module")
def bad(study):
    return read(study[2], study[0])


@pytest.fixture(scope="module")
def excluded(bad):
    return bad.exclude_invalid()


def test_every_row_level_error_code_is_in_the_fixture(bad):
    by_row, other = split_errors(bad.validate())
    assert {i.code for i in by_row} == ROW_CODES and not other
    for code, (rows, _, _) in CORRUPT.items():
        issue = next(i for i in by_row if i.code == code)
        assert sorted(issue.rows) == [source_row(r) for r in rows], code


def test_the_codes_not_about_rows_are_the_rest_of_the_errors():
    errors = {c for c, (severity, _) in ISSUE_CODES.items() if severity == "error"}
    # a new error code must be sorted here: about rows (excluded under --on-error exclude) or not (always stops);
    # bad_ranking (ranking questions) names its rows and is excluded like the codes of this file's fixture
    assert errors - ROW_CODES - {"bad_ranking"} == {"missing_column", "ambiguous_column", "label_conflict",
                                                    "bad_theme_dictionary"}


@pytest.mark.parametrize("code", sorted(ROW_CODES))
def test_each_invalid_respondent_is_excluded_under_its_code(excluded, code):
    rows = [source_row(r) for r in CORRUPT[code][0]]
    ex = excluded.exclusions.set_index("source_row")
    assert set(rows) <= set(ex.index), code
    assert all(code in ex.loc[r, "reason"] for r in rows)
    assert not set(rows) & set(excluded.meta["source_row"])


def test_accounting_adds_up_and_the_rest_is_valid(bad, excluded):
    acc = excluded.accounting()["count"]
    assert acc["rows read"] == N == acc["used"] + acc.drop(["rows read", "used"]).sum()
    assert excluded.n_respondents + len(excluded.exclusions) == excluded.audit.n_rows_read == N
    assert excluded.n_respondents == N - 8  # 8 corrupted rows (the repeated id on two)
    assert excluded.n_excluded_invalid == 7  # the row without an id was excluded on reading already
    assert excluded.validate().is_valid and not bad.validate().is_valid
    assert {i.code for i in excluded.excluded_issues} == ROW_CODES
    assert excluded.on_error == "exclude" and bad.on_error == "stop"
    assert excluded.responses.index.is_unique and (excluded.weights > 0).all()
    assert acc["excluded: duplicate_respondent_id"] == 2  # both rows: which one is the respondent is unknown


def test_excluded_data_can_be_analysed_and_the_original_cannot(bad, excluded):
    assert excluded.describe().to_frame().loc["q1", "n_obs"] == excluded.n_respondents
    with pytest.raises(DataError, match="respondent ids occur on more than one row"):
        bad.describe()


def test_a_respondent_with_two_problems_is_excluded_once(study):
    q, _, path = study
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[3, "w"] = "0"  # out of range and a bad weight on one row
    two = path.with_name("two.csv")
    df.to_csv(two, index=False)
    data = read(two, q).exclude_invalid()
    reasons = data.exclusions.set_index("source_row")["reason"]
    assert reasons[source_row(3)] == "out_of_range, bad_weight"
    assert data.n_respondents + len(data.exclusions) == N


def test_nothing_left_is_an_error(study):
    q, good, _ = study
    df = pd.read_csv(good, dtype=str)
    df["q1"] = "9"  # every respondent out of range
    path = good.with_name("all_bad.csv")
    df.to_csv(path, index=False)
    with pytest.raises(DataError, match=f"Every one of the {N} respondents .* leaves nothing to analyse"):
        read(path, q).exclude_invalid()
    assert main(["themes", str(path), "-q", str(q), "--on-error", "exclude"]) == 1


# ---------------------------------------------------------------------------------------------
# the commands


def test_stop_is_the_default_and_names_both_ways_out(study, capsys):
    q, _, path = study
    start = time.perf_counter()
    assert main(["themes", str(path), "-q", str(q)]) == 1
    assert time.perf_counter() - start < 10  # stops before any analysis
    err = capsys.readouterr().err
    assert all(code in err for code in ROW_CODES)
    assert "--clean RULES or --on-error exclude" in err and "data.clean(" not in err


def test_exclude_runs_the_analysis_and_says_how_many(study, capsys):
    q, good, path = study
    assert main(["themes", str(path), "-q", str(q), "--on-error", "exclude", "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "--on-error exclude: 7 respondents with error-level problems" in out.err
    payload = json.loads(out.out)
    assert payload["n_respondents"] == N - 8
    accounting = payload["fields"]["comment"]["accounting"]
    assert accounting["read"] == N - 8 == accounting["missing"] + accounting["non_answer"] + accounting["substantive"]
    assert main(["themes", str(good), "-q", str(q), "--on-error", "exclude"]) == 0  # valid data: nothing excluded
    assert "--on-error exclude" not in capsys.readouterr().err


def test_report_and_value_take_the_policy(study, monkeypatch, tmp_path, capsys):
    q, _, path = study
    seen = {}

    def fake_report(data, out, **options):  # the report itself is tested below, section by section
        seen["data"] = data
        raise SystemExit(0)

    monkeypatch.setattr("surveykit.report.build_report", fake_report)
    assert main(["report", str(path), "-q", str(q), "-o", str(tmp_path / "r"), "--no-progress"]) == 1
    assert "data" not in seen  # stopped before the report
    with pytest.raises(SystemExit):
        main(["report", str(path), "-q", str(q), "-o", str(tmp_path / "r"), "--no-progress", "--on-error", "exclude"])
    assert seen["data"].n_respondents == N - 8 and seen["data"].on_error == "exclude"
    tx = tmp_path / "tx.csv"
    pd.DataFrame({"customer_id": ["C1"], "date": ["2026-01-01"], "amount": [10.0]}).to_csv(tx, index=False)
    assert main(["value", str(tx), "-q", str(q), str(path)]) == 1
    assert "--on-error exclude" in capsys.readouterr().err


def test_problems_not_about_rows_stop_under_every_policy(study, tmp_path, capsys):
    q, _, path = study
    q2 = q.with_name("missing.yaml")
    q2.write_text(QUESTIONNAIRE.replace("  - {id: comment,", "  - {id: q4, scale: agree5, text: Would return}\n"
                                                          "  - {id: comment,"), encoding="utf-8")
    assert main(["themes", str(path), "-q", str(q2), "--on-error", "exclude"]) == 1
    err = capsys.readouterr().err
    assert "missing_column" in err and "not about single respondents" in err
    assert "--on-error exclude: 7 respondents" in err  # the row-level ones were excluded first
    df = pd.read_csv(path, dtype=str)
    df.insert(3, "q1 ", df["q1"])  # a repeated header
    repeated = tmp_path / "repeated.csv"
    df.to_csv(repeated, index=False)
    assert main(["themes", str(repeated), "-q", str(q), "--on-error", "exclude"]) == 1
    err = capsys.readouterr().err
    assert "repeated column names" in err and "stops the command under every policy" in err


# ---------------------------------------------------------------------------------------------
# the report


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_audit_states_the_policy_and_the_count_first(excluded, tmp_path, language):
    from surveykit.report import sections as S
    from surveykit.report._text import column_names
    from surveykit.report.book import ReportBook

    book = ReportBook(out=tmp_path, language=language, column_names=column_names(language))
    section = S.audit.section(excluded, book, excluded.validate())
    first = section.blocks[0]
    text = " ".join(first.lines)
    assert "--on-error exclude" in text and "7" in text and str(N - 8) in text
    assert "duplicate_respondent_id" in text
    tables = {t.title: t.frame for t in book.tables}
    problems = next(f for title, f in tables.items() if title.startswith(("Problems whose", "受访者已被剔除")))
    assert set(problems.iloc[:, 1]) == ROW_CODES  # the code column ('code' / '代码')
    rows = next(f for title, f in tables.items() if title in ("Rows accounted for", "记录核对"))
    assert int(rows.iloc[:, 0].iloc[0]) == N == int(rows.iloc[1:, 0].sum())


def test_the_audit_of_valid_data_states_the_default_policy(study, tmp_path):
    from surveykit.report import sections as S
    from surveykit.report.book import ReportBook

    data = read(study[1], study[0])
    book = ReportBook(out=tmp_path, language="en")
    first = S.audit.section(data, book, data.validate()).blocks[0]
    assert first.lines == ["Policy --on-error stop (the default): no error-level problems, no respondent excluded "
                           "for invalid data."]
