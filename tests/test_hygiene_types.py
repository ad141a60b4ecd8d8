"""Survey hygiene of the question types (issues 16 and 17): rankings that are no ranking (``bad_ranking``),
answers that contradict an item's ``shown_if`` (``display_logic``), 问卷星's two "not shown" markers
(``(跳过)`` in the text export, -3 in the number export) counted alike, and the frequency tables'
notes where a share or mean rank is NaN.

The 问卷星 hotel study (tests/studies, both exports) is changed cell by cell here, the same cells in
both layouts, so each expectation is worked out from the change itself.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.descriptives import frequencies, multiple_response, ranking_summary

STUDIES = Path(__file__).parent / "studies"
HOTEL_Q = STUDIES / "hotel_types.yaml"
STAYED, REASON = "3.您以前入住过本酒店吗", "4.您上次入住的目的"
RANK_COLUMNS = ["7(价格)", "7(位置)", "7(服务)", "7(卫生)"]


def read(source, q=HOTEL_Q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(source, q)


@pytest.fixture(scope="module")
def exports():
    """(number export, text export) as the files hold them, every cell text."""
    numbers = pd.read_csv(STUDIES / "hotel_types_wjx_numbers.csv", encoding="gb18030", dtype=str, keep_default_na=False)
    text = pd.read_excel(STUDIES / "hotel_types_wjx_text.xlsx", engine="calamine", dtype=object)
    return numbers, text


def _issue(data, code, item=None):
    found = [i for i in data.validate().issues if i.code == code and (item is None or i.item == item)]
    return found[0] if found else None


def _row(data, position: int) -> int:
    """The source row number the messages use for the respondent at ``position``."""
    return int(data.meta["source_row"].iloc[position])


# -- rankings ---------------------------------------------------------------------------------------

def test_a_rank_given_twice_is_a_bad_ranking_in_both_wjx_exports(exports):
    numbers, text = (f.copy() for f in exports)
    ranked = np.flatnonzero((numbers[RANK_COLUMNS] != "(空)").all(axis=1).to_numpy())
    tie, gap = int(ranked[0]), int(ranked[1])
    for frame in (numbers, text):  # both exports write the rank itself in 7(选项)
        frame.loc[tie, RANK_COLUMNS] = ["1", "1", "2", "3"]
        frame.loc[gap, RANK_COLUMNS] = ["1", "3", "4", ""]
    issues = []
    for frame in (numbers, text):
        data = read(frame)
        issue = _issue(data, "bad_ranking", "factors")
        assert issue is not None and issue.severity == "error" and not data.validate().is_valid
        assert issue.rows == (_row(data, tie), _row(data, gap)) and issue.count == 2
        assert "gave the same rank to two options (rows " + str(_row(data, tie)) in issue.message
        assert "skipped a rank" in issue.message and "'factors'" in issue.message
        assert "data.clean(rules=['bad_rankings'])" in issue.fix
        issues.append((issue.rows, issue.message))
        # the named rule sets exactly those respondents aside, and the rows still add up
        cleaned = data.clean(rules=["bad_rankings"])
        assert _issue(cleaned, "bad_ranking") is None
        assert cleaned.n_respondents == data.n_respondents - 2
        assert cleaned.accounting().loc["excluded: bad_ranking", "count"] == 2
        assert cleaned.accounting().loc[["used", "excluded: bad_ranking"], "count"].sum() == len(frame)
    assert issues[0] == issues[1]


RANK_Q = {
    "schema_version": 1, "id": "rank", "title": "rank", "respondent_id": "id",
    "scales": {"rank": {"type": "ranking", "labels": {1: "价格", 2: "位置", 3: "服务"}}},
    "items": [{"id": "factors", "scale": "rank", "column": "8", "aliases": ["Q8"], "text": "请排序"}],
}


def test_a_joined_ranking_naming_an_option_twice_is_a_bad_ranking():
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "8": ["价格→位置→服务", "价格→位置→价格", "位置→服务", "服务→服务"]})
    data = read(frame, RANK_Q)
    issue = _issue(data, "bad_ranking")
    assert issue.rows == (_row(data, 1), _row(data, 3)) and issue.item == "factors"
    assert "named an option twice" in issue.message


def test_a_rank_outside_1_to_k_is_reported_and_never_analysed():
    frame = pd.DataFrame({"id": [1, 2, 3], "Q8_1": ["1", "7", "2"], "Q8_2": ["2", "1", "1"], "Q8_3": ["3", "2", "3"]})
    data = read(frame, RANK_Q)
    out = _issue(data, "out_of_range")
    assert out.values == (7.0,) and out.rows == (_row(data, 1),) and out.item == "factors"
    # the 7 is emptied on reading, never averaged into a mean rank ...
    assert np.isnan(data.responses.loc[:, "factors_1"].iloc[1])
    f = data.frequencies().tables["factors"]
    assert f.table.loc[1.0, "mean_rank"] == pytest.approx(1.5)
    # ... and the data are invalid until it is corrected; the ranks left (1, 2) are a ranking, not reported twice
    assert not data.validate().is_valid and _issue(data, "bad_ranking") is None


def test_complete_rankings_and_partial_top_k_rankings_are_valid():
    frame = pd.DataFrame({"id": [1, 2, 3], "Q8_1": ["1", "", "2"], "Q8_2": ["2", "1", ""], "Q8_3": ["3", "", "1"]})
    data = read(frame, RANK_Q)
    assert _issue(data, "bad_ranking") is None and data.validate().is_valid
    assert not sk.quality.flag_bad_rankings(data).any()


# -- shown_if -------------------------------------------------------------------------------------

def test_answers_against_the_display_logic_are_a_warning_with_counts_and_rows(exports):
    numbers, text = (f.copy() for f in exports)
    not_shown = np.flatnonzero((numbers[STAYED] == "2").to_numpy())[:2]  # 否: 'reason' is not shown
    shown = np.flatnonzero((numbers[STAYED] == "1").to_numpy() & (numbers[REASON] != "(空)").to_numpy())[:1]
    numbers.loc[not_shown, REASON] = "1"
    text.loc[not_shown, REASON] = "商务"
    numbers.loc[shown, REASON] = "-3"
    text.loc[shown, REASON] = "(跳过)"
    found = []
    for frame in (numbers, text):
        data = read(frame)
        issue = _issue(data, "display_logic", "reason")
        assert issue is not None and issue.severity == "warning"
        assert data.validate().is_valid  # a warning: the answers are analysed as given, and said so
        assert issue.values == (2, 1) and issue.count == 3
        assert issue.rows == tuple(sorted(_row(data, p) for p in [*not_shown, *shown]))
        assert "2 answered it although" in issue.message and "1 are marked 'not shown'" in issue.message
        assert "'stayed' is 1" in issue.message
        found.append((issue.rows, issue.values))
    assert found[0] == found[1]


def test_the_unchanged_exports_keep_to_their_display_logic(exports):
    for frame in exports:
        assert _issue(read(frame), "display_logic") is None


def test_display_logic_on_a_multiple_choice_condition():
    q = {"schema_version": 1, "id": "mc", "title": "mc", "respondent_id": "id",
         "scales": {"fac": {"type": "multiple_choice", "labels": {1: "早餐", 2: "健身房"}},
                    "sat": {"type": "likert", "min": 1, "max": 5}},
         "items": [{"id": "fac", "scale": "fac", "column": "7", "text": "设施"},
                   {"id": "gym", "scale": "sat", "column": "8", "text": "健身房满意度",
                    "shown_if": {"item": "fac", "codes": [2]}}]}
    # rows: gym chosen and rated; breakfast only, yet rated (not shown per the rule); nothing chosen (unknown)
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "7": ["早餐┋健身房", "早餐", "", "早餐"], "8": ["4", "5", "3", ""]})
    data = read(frame, q)
    issue = _issue(data, "display_logic", "gym")
    assert issue.rows == (_row(data, 1),) and issue.values == (1, 0)
    assert data.not_shown("gym").tolist() == [False, False, False, True]


def test_the_display_logic_rule_blanks_the_answers_not_the_respondents_in_both_exports(exports):
    """``clean(rules=["display_logic"])``: the two answers given although 'reason' was not shown are blanked and
    become "not shown", the respondents stay, the audit counts the cells, and the warning about them is gone
    (the shown-but-marked one stays: the rule does not invent answers)."""
    numbers, text = (f.copy() for f in exports)
    not_shown = np.flatnonzero((numbers[STAYED] == "2").to_numpy())[:2]
    shown = np.flatnonzero((numbers[STAYED] == "1").to_numpy() & (numbers[REASON] != "(空)").to_numpy())[:1]
    numbers.loc[not_shown, REASON], text.loc[not_shown, REASON] = "1", "商务"
    numbers.loc[shown, REASON], text.loc[shown, REASON] = "-3", "(跳过)"
    cleaned = []
    for frame in (numbers, text):
        data = read(frame)
        assert "data.clean(rules=['display_logic'])" in _issue(data, "display_logic", "reason").fix
        assert sk.quality.flag_display_logic(data).to_numpy().nonzero()[0].tolist() == sorted(not_shown)
        out = data.clean(rules=["display_logic"])
        assert out.n_respondents == data.n_respondents and out.accounting().equals(data.accounting())
        assert out.cleaning == ("display_logic",)
        assert out.responses["reason"].iloc[not_shown].isna().all()
        assert out.not_shown("reason").iloc[not_shown].all()
        changed = {c: int((out.responses[c].isna() != data.responses[c].isna()).sum()) for c in data.responses}
        assert {c: k for c, k in changed.items() if k} == {"reason": 2}  # only those two cells
        kept = out.responses.notna().to_numpy()
        assert (out.responses.astype(object).to_numpy()[kept] == data.responses.astype(object).to_numpy()[kept]).all()
        blanked = out.audit.missing_codes[out.audit.missing_codes["label"].str.contains("display_logic")]
        assert blanked[["item", "count"]].values.tolist() == [["reason", 2]]
        issue = _issue(out, "display_logic", "reason")
        assert issue.values == (0, 1) and issue.rows == (_row(data, int(shown[0])),)
        cleaned.append(out)
    pd.testing.assert_frame_equal(cleaned[0].responses, cleaned[1].responses)


def test_the_display_logic_rule_on_a_multiple_choice_item_and_condition():
    q = {"schema_version": 1, "id": "mc", "title": "mc", "respondent_id": "id", "language": "en",
         "scales": {"fac": {"type": "multiple_choice", "labels": {1: "breakfast", 2: "gym"}},
                    "why": {"type": "multiple_choice", "labels": {1: "price", 2: "location"}}},
         "items": [{"id": "fac", "scale": "fac", "column": "7", "text": "Facilities"},
                   {"id": "why", "scale": "why", "column": "8", "text": "Why the gym",
                    "shown_if": {"item": "fac", "codes": [2]}}]}
    frame = pd.DataFrame({"id": [1, 2, 3], "7": ["breakfast┋gym", "breakfast", ""],
                          "8": ["price", "price┋location", "location"]})
    data = read(frame, q)
    out = sk.clean(data, ["display_logic"])
    block = out.responses[["why_1", "why_2"]]
    assert block.iloc[0].tolist() == [1, 0] and block.iloc[1].isna().all()  # row 2 did not see it: blanked
    assert block.iloc[2].tolist() == [0, 1]  # condition unanswered: shown or not cannot be told, kept
    assert out.audit.missing_codes.set_index("item").at["why", "count"] == 1
    assert sk.quality.flag_display_logic(out).sum() == 0


def test_the_display_logic_rule_is_a_command_line_clean_rule(capsys):
    from surveykit.cli import main

    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "display_logic" in capsys.readouterr().out
    with pytest.raises(ValueError, match="display_logic"):  # the rules named when one is mistyped
        sk.clean(sk.example_data(), ["display_logc"])


# -- "not shown": (跳过) and -3 counted alike --------------------------------------------------------

SKIPPED = ["1.您对以下方面的满意程度—房间设施新", "2.您向亲友推荐本酒店的可能性有多大", "5(早餐)", "5(健身房)", "5(泳池)",
           "5(停车场)", "5(其他)", "5(其他)_填空", "6.您通过哪些渠道预订", *RANK_COLUMNS, "8.您的性别"]


def test_skip_markers_count_the_same_in_both_wjx_exports(exports):
    """Every question type (matrix row, rating, per-option and joined multiple choice, its 'other' text, ranking,
    single choice) marked "not shown" in the same rows: the audit, the accounting, the frequency tables and
    validation count the text export's (跳过) exactly as the number export's -3."""
    numbers, text = (f.copy() for f in exports)
    rows = [3, 10, 20]
    numbers.loc[rows, SKIPPED] = "-3"
    text.loc[rows, SKIPPED] = "(跳过)"
    a, b = read(numbers), read(text)
    expected = {"hw_1": 3, "recommend": 3, "facilities": 3, "facilities_other": 3, "channels": 3, "factors": 3,
                "gender": 3, "reason": int((exports[0][REASON] == "-3").sum())}
    for data in (a, b):
        counts = data.audit.missing_codes.set_index("item")
        assert counts["count"].to_dict() == expected and set(counts["code"]) == {-3.0}
        assert {c for c in data.meta if c.startswith("not_shown:")} == {f"not_shown:{i}" for i in expected}
    pd.testing.assert_frame_equal(a.audit.missing_codes, b.audit.missing_codes)
    pd.testing.assert_frame_equal(a.accounting(), b.accounting())
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.meta.filter(like="not_shown:"), b.meta.filter(like="not_shown:"))
    fa, fb = a.frequencies().tables, b.frequencies().tables
    assert {k: (f.n_not_shown, f.n_not_answered, f.n_obs) for k, f in fa.items()} == \
        {k: (f.n_not_shown, f.n_not_answered, f.n_obs) for k, f in fb.items()}
    assert fa["gender"].n_not_shown == 3
    summary = [sorted((i.code, i.item or "", i.count) for i in d.validate().issues) for d in (a, b)]
    assert summary[0] == summary[1]


# -- the frequency tables: a NaN is explained (issue 17) ------------------------------------------

def test_frequency_tables_explain_their_nan():
    f = frequencies(pd.Series([np.nan, np.nan]), name="q9", weights=[1.0, 2.0])
    assert f.n_obs == 0 and np.isnan(f.effective_n) and "Nobody answered question 'q9'" in f.notes[0]
    assert "Nobody answered question 'q9'" in f.summary().as_text()  # the note shows with the table
    m = multiple_response(pd.DataFrame({"a": [0.0, 0.0], "b": [0.0, 0.0]}))
    assert m.table["share_respondents"].tolist() == [0.0, 0.0] and m.table["share_responses"].isna().all()
    assert "None of the 2 answering respondents chose any option" in m.notes[0]
    r = ranking_summary(pd.DataFrame({"a": [1, 2], "b": [2, 1], "c": [np.nan, np.nan]}))
    assert np.isnan(r.table.loc["c", "mean_rank"]) and "ranked by nobody ('c')" in r.notes[0]
    assert frequencies([1, 2, 2]).notes == () and multiple_response(pd.DataFrame({"a": [1, 0]})).notes == ()


def test_ranking_summary_names_rankings_that_repeat_a_rank():
    r = ranking_summary(pd.DataFrame({"a": [1, 1, 2], "b": [2, 1, 1]}, index=["r1", "r2", "r3"]))
    assert any("1 respondent(s) gave the same rank to two options" in n and "'r2'" in n for n in r.notes)


def test_choice_functions_refuse_values_that_are_no_answer():
    with pytest.raises(sk.DataError, match=r"Column 'b' of multiple_response holds 2 in 1 row"):
        multiple_response(pd.DataFrame({"a": [1, 0], "b": [0, 2]}))
    with pytest.raises(sk.DataError, match="infinite"):
        frequencies([1, np.inf, 2])


def test_the_command_line_names_the_ranking_problem_and_its_clean_rule(tmp_path, capsys):
    import yaml

    from surveykit.cli import main

    (tmp_path / "q.yaml").write_text(yaml.safe_dump(RANK_Q, allow_unicode=True), encoding="utf-8")
    pd.DataFrame({"id": [1, 2, 3], "Q8_1": [1, 1, 2], "Q8_2": [2, 1, 1], "Q8_3": [3, 2, 3]}).to_csv(tmp_path / "x.csv",
                                                                                                index=False)
    argv = ["validate", str(tmp_path / "x.csv"), "-q", str(tmp_path / "q.yaml")]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "bad_ranking: Ranking 'factors'" in out and "--clean bad_rankings" in out
    with pytest.raises(SystemExit):  # the rule the message names is one the analysing commands take
        main(["report", "--help"])
    assert "bad_rankings" in capsys.readouterr().out
