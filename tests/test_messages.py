"""Messages in the caller's terms (issue 16): written once for the API, printed by the commands with
command-line syntax."""

from __future__ import annotations

import warnings
from pathlib import Path

import surveykit as sk
from surveykit.cli import main

STUDIES = Path(__file__).parent / "studies"
PANEL_Q, PANEL = STUDIES / "panel.yaml", STUDIES / "panel_qualtrics.csv"


def test_validation_fixes_are_api_calls_in_python_and_flags_on_the_command_line(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        report = sk.read_responses(PANEL, PANEL_Q).validate()
    partial = next(i for i in report.issues if i.code == "partial")
    assert "data.clean(rules=['partials'])" in str(partial) and "--clean" not in str(partial)

    assert main(["validate", str(PANEL), "-q", str(PANEL_Q)]) == 1
    printed = capsys.readouterr().out
    assert "--clean partials" in printed and "--clean speeders" in printed
    assert "data.clean" not in printed

    assert main(["report", str(PANEL), "-q", str(PANEL_Q), "-o", "unused", "--no-progress"]) == 1
    said = capsys.readouterr().err
    assert "--clean partials" in said and "data.clean" not in said


def test_in_cli_terms_rewrites_every_clean_call():
    from surveykit.issues import in_cli_terms

    assert in_cli_terms("keep the first with data = data.clean(rules=['duplicate_ids']).") == \
        "keep the first with --clean duplicate_ids."
    assert in_cli_terms("nothing to change") == "nothing to change"


def test_a_broken_theme_dictionary_is_a_validation_error_and_stops_the_report(tmp_path, capsys):
    """Not a report whose open-text section is silently missing."""
    from surveykit.example import write_example

    paths = write_example(tmp_path / "ex")
    q = Path(paths["questionnaire"])
    broken = q.parent / "themes" / "customer_value.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("\nthemes:\n", "\nthemes:\n  bogus: {keywords: []}\n", 1),
                      encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        data = sk.read_responses(paths["wjx"], q)
    issue = next(i for i in data.validate().errors if i.code == "bad_theme_dictionary")
    assert issue.item and "bogus" in issue.message
    assert main(["report", str(paths["wjx"]), "-q", str(q), "-o", str(tmp_path / "out"), "--no-progress"]) == 1
    assert "bad_theme_dictionary" in capsys.readouterr().err
    assert not (tmp_path / "out" / "report.html").exists()


def test_a_missing_column_names_the_closest_headers_and_is_not_repeated_per_respondent(tmp_path):
    import pandas as pd

    raw = pd.read_csv(PANEL, dtype=str, keep_default_na=False)
    renamed = raw.rename(columns={"Q1_1": "Q1 - The branch has modern-looking equipment", "Q1_2": "Q1 - busy"})
    path = tmp_path / "renamed.csv"
    renamed.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        report = sk.read_responses(path, PANEL_Q).validate()
    missing = {i.item: i for i in report.issues if i.code == "missing_column"}
    assert set(missing) == {"Q1_1", "Q1_2"}
    assert "Closest headers in the export: 'Q1 - The branch has modern-looking equipment'" in missing["Q1_1"].message
    assert "column: Q1 - The branch has modern-looking equipment" in missing["Q1_1"].fix
    # two of seven rating items absent from the file do not make every respondent a "too many missing" case
    too_many = next((i for i in report.issues if i.code == "too_many_missing"), None)
    assert too_many is None or too_many.count < 20
