"""Exports that passed through other hands (issue 16's bad input): read as the file says, or a clear problem."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

import surveykit as sk

STUDIES = Path(__file__).parent / "studies"
PANEL_Q, PANEL = STUDIES / "panel.yaml", STUDIES / "panel_qualtrics.csv"


def _read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(path, PANEL_Q)


def test_qualtrics_export_without_its_import_id_row_reads_the_same_respondents(tmp_path):
    rows = list(csv.reader(PANEL.open(encoding="utf-8-sig")))
    assert rows[2][0].startswith('{"ImportId"')
    cut = tmp_path / "no_import_ids.csv"
    with cut.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], rows[1], *rows[3:]])
    full, copy = _read(PANEL), _read(cut)
    assert copy.audit.layout == "qualtrics" and copy.n_respondents == full.n_respondents == len(rows) - 3
    assert copy.responses.equals(full.responses)
    assert not [i for i in copy.validate().errors if i.code == "unknown_option"]
    # the source rows still say where each respondent is in the file that was read
    assert (copy.meta["source_row"].to_numpy() == full.meta["source_row"].to_numpy() - 1).all()


def test_a_first_respondent_who_typed_the_labels_is_not_taken_for_a_header(tmp_path):
    """Only Qualtrics' own system-column texts mark the question-text row: a respondent is kept."""
    rows = list(csv.reader(PANEL.open(encoding="utf-8-sig")))
    header = rows[0]
    body = [rows[0], *rows[3:]]
    body[1] = list(body[1])
    body[1][header.index("Q1_1")] = "Quality - The branch has modern-looking equipment"
    path = tmp_path / "one_header.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(body)
    data = _read(path)
    assert data.n_respondents + len(data.exclusions) == len(rows) - 3
    assert [i for i in data.validate().errors if i.code == "unknown_option"]
