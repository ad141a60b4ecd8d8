"""Survey hygiene and any-study analyses on two studies that are not the example (issue 16).

The fixtures (``tests/studies``, written by ``make_studies.py``): a 问卷星 hotel survey exported
as a GB18030 CSV with three double submissions (same answers, same IP, seconds apart, a new
序号) and two chance twins, and a weighted Qualtrics numeric export with 15 unfinished
responses. The expected rows are worked out here from the raw files, not by surveykit.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.cli import main

STUDIES = Path(__file__).parent / "studies"
HOTEL_Q, HOTEL = STUDIES / "hotel.yaml", STUDIES / "hotel_wjx.csv"
PANEL_Q, PANEL = STUDIES / "panel.yaml", STUDIES / "panel_qualtrics.csv"


def read(data, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(data, q)


@pytest.fixture(scope="module")
def hotel():
    return read(HOTEL, HOTEL_Q)


@pytest.fixture(scope="module")
def panel():
    return read(PANEL, PANEL_Q)


def _raw_hotel():
    raw = pd.read_csv(HOTEL, encoding="gb18030", dtype=str)
    answers = [c for c in raw.columns if c[0].isdigit()]
    raw["ip"] = raw["来自IP"].str.split("(").str[0]
    raw["t"] = pd.to_datetime(raw["提交答卷时间"], format="%Y/%m/%d %H:%M:%S")
    raw["row"] = np.arange(len(raw)) + 2  # the header is row 1
    return raw, answers


def _expected_repeats(same_ip: bool, within: float | None) -> list[int]:
    raw, answers = _raw_hotel()
    keys = answers + (["ip"] if same_ip else [])
    out = []
    for _, g in raw.groupby(keys, dropna=False):
        g = g.sort_values("t") if within else g.sort_values("row")
        for k in range(1, len(g)):
            gap = (g["t"].iloc[k] - g["t"].iloc[k - 1]).total_seconds()
            if within is None or gap <= within:
                out.append(int(g["row"].iloc[k]))
    return sorted(out)


def test_double_submissions_same_ip_seconds_apart(hotel):
    issue = next(i for i in hotel.validate().issues if i.code == "duplicate_submission")
    expected = _expected_repeats(same_ip=True, within=120)
    assert len(expected) == 3 and sorted(issue.rows) == expected
    assert issue.severity == "warning" and hotel.validate().is_valid  # a warning: identical answers can be chance
    assert "same IP address" in issue.message and "within 120 s" in issue.message
    assert "--clean duplicate_submissions" in issue.cli_text()


def test_thresholds_come_from_the_questionnaire(hotel):
    q = hotel.questionnaire
    loose = q.model_copy(update={"quality": q.quality.model_copy(update={"duplicate_same_ip": False,
                                                                          "duplicate_within_seconds": None})})
    flagged = sk.quality.flag_duplicate_submissions(dataclasses.replace(hotel, questionnaire=loose))
    rows = sorted(hotel.meta.loc[flagged.to_numpy(), "source_row"])
    assert rows == _expected_repeats(same_ip=False, within=None) and len(rows) == 4  # the chance twin too
    strict = q.model_copy(update={"quality": q.quality.model_copy(update={"duplicate_min_answered": 14})})
    # a twin with a blank item answers 13 of 14: a stricter minimum leaves it out
    n_full = sk.quality.flag_duplicate_submissions(dataclasses.replace(hotel, questionnaire=strict)).sum()
    assert n_full <= 3


def test_clean_duplicate_submissions_keeps_the_first(hotel):
    cleaned = hotel.clean(rules=["duplicate_submissions"])
    assert cleaned.n_respondents == hotel.n_respondents - 3
    assert sorted(cleaned.exclusions["source_row"]) == _expected_repeats(True, 120)
    assert set(cleaned.exclusions["reason"]) == {"duplicate_submission"}
    assert cleaned.n_respondents + len(cleaned.exclusions) == cleaned.audit.n_rows_read
    assert not any(i.code == "duplicate_submission" for i in cleaned.validate().issues)


def test_partials_from_finished_and_progress(panel):
    raw = pd.read_csv(PANEL, skiprows=[1, 2], dtype=str)
    expected = sorted(int(r) + 4 for r in np.flatnonzero((raw["Finished"] == "0") | (raw["Progress"].astype(int) < 100)))
    report = panel.validate()
    issue = next(i for i in report.issues if i.code == "partial")
    assert sorted(issue.rows) == expected and len(expected) == 15
    assert not report.is_valid and issue.severity == "error"
    assert "keep_partials" in issue.fix and "--clean partials" in issue.cli_text()
    cleaned = panel.clean(rules=["partials"])
    assert cleaned.validate().is_valid and cleaned.n_respondents == 145
    assert (cleaned.exclusions["reason"] == "partial").sum() == 15


def test_partials_kept_when_the_questionnaire_says_so(panel):
    q = panel.questionnaire
    keep = q.model_copy(update={"quality": q.quality.model_copy(update={"keep_partials": True})})
    report = sk.validate(dataclasses.replace(panel, questionnaire=keep))
    assert report.is_valid
    assert [i.count for i in report.issues if i.code == "partial_kept"] == [15]


def test_quality_keys_are_validated(tmp_path):
    import yaml

    raw = yaml.safe_load(HOTEL_Q.read_text(encoding="utf-8"))
    raw["quality"].update(duplicate_within_seconds=-5, duplicate_min_answered=0)
    with pytest.raises(sk.QuestionnaireError) as exc:
        sk.load_questionnaire(raw)
    assert "quality.duplicate_within_seconds" in str(exc.value) and "quality.duplicate_min_answered" in str(exc.value)


# -- the drivers role: any study --------------------------------------------------------------

def test_drivers_role_on_a_quality_dimensions_study(hotel):
    data = hotel.clean(rules=["duplicate_submissions"])
    d = data.drivers(bootstrap=50)
    assert d.drivers == ("hardware", "service", "food") and d.sacrifices == ()
    assert d.outcome == "satisfaction_index"
    sat = sk.satisfaction_index(data.scored_items()[["sat_1", "sat_2", "sat_3"]], scale_min=1, scale_max=5)
    frame = data.construct_scores()[["hardware", "service", "food"]].assign(satisfaction=sat.scores)
    ols = sk.key_drivers(frame, "satisfaction", ["hardware", "service", "food"], method="ols")
    pd.testing.assert_frame_equal(d.ols.coefficients, ols.coefficients)
    assert d.r_squared > 0.15 and d.to_frame()["share"].idxmax() == "service"  # as generated
    assert d.ipa is not None and set(d.ipa.table.index) == {"hardware", "service", "food"}


@pytest.mark.filterwarnings("ignore:Only 2 item")  # IPA of two drivers says little, and says so
def test_drivers_outcome_need_not_be_satisfaction(hotel):
    from surveykit.questionnaire.model import DriversRole

    q = hotel.questionnaire
    roles = {**q.roles, "drivers": DriversRole(outcome="service", drivers=("hardware", "food"))}
    d = dataclasses.replace(hotel, questionnaire=q.model_copy(update={"roles": roles})).drivers(bootstrap=20)
    assert d.outcome == "service_index" and d.drivers == ("hardware", "food")


def test_report_drivers_section_runs_for_any_declared_study(hotel, tmp_path):
    from surveykit.report.book import ReportBook
    from surveykit.report.sections.drivers import section

    sec = section(hotel.clean(rules=["duplicate_submissions"]), ReportBook(out=tmp_path, language="zh"))
    assert sec is not None and sec.blocks and sec.id == "drivers"
    assert sec.note.startswith("因变量：满意度（按其题项计算的 0-100 指数）；自变量：硬件设施, 服务质量, 餐饮")


# -- nothing is analysed on invalid data ------------------------------------------------------

def test_cli_stops_on_partials_before_any_analysis(tmp_path, capsys):
    start = time.perf_counter()
    code = main(["report", str(PANEL), "-q", str(PANEL_Q), "-o", str(tmp_path / "r"), "--no-progress"])
    assert code == 1 and time.perf_counter() - start < 10
    err = capsys.readouterr().err
    assert "partial: 15 responses are unfinished" in err and "--clean RULES" in err
    assert not (tmp_path / "r" / "report.html").exists()


def test_cli_clean_rules_are_listed(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "duplicate_submissions, partials" in out


@pytest.mark.parametrize("command", ["themes", "value"])
def test_themes_and_value_stop_on_invalid_data(command, tmp_path, capsys):
    raw = HOTEL.read_bytes().decode("gb18030").splitlines()
    raw[3] = ",".join(["2", *raw[3].split(",")[1:]])  # 序号 2 twice
    path = tmp_path / "twice.csv"
    path.write_text("\n".join(raw) + "\n", encoding="gb18030")
    if command == "themes":
        args = ["themes", str(path), "-q", str(HOTEL_Q)]
    else:
        tx = tmp_path / "tx.csv"
        tx.write_text("customer_id,date,amount\nC1,2026-01-01,10\n", encoding="utf-8")
        args = ["value", str(tx), "-q", str(HOTEL_Q), str(path)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "duplicate_respondent_id" in err and "rows 3, 4" in err
