"""Every question type, declared in the questionnaire and loaded identically from every export layout
(issue 16, deliverable 2): matrix, multiple choice (joined, 0/1, option text, 问卷星 ``N(选项)``,
Qualtrics ``Q7_k``), "other, please specify", ranking and skip-logic "not shown"; frequency tables.

Fixtures (``tests/studies``, written by ``make_studies.py``): the 问卷星 hotel study exported both
ways (``hotel_types_wjx_text.xlsx`` 按选项文本 and ``hotel_types_wjx_numbers.csv`` 按选项序号, GB18030)
and the weighted Qualtrics study (``panel_types_qualtrics.csv``). Expected values are worked out here
from the raw files, or come from R (tests/reference/frequencies.R).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.descriptives import frequencies, multiple_response, ranking_summary

STUDIES = Path(__file__).parent / "studies"
HOTEL_Q = STUDIES / "hotel_types.yaml"
HOTEL_TEXT, HOTEL_NUMBERS = STUDIES / "hotel_types_wjx_text.xlsx", STUDIES / "hotel_types_wjx_numbers.csv"
PANEL_Q, PANEL = STUDIES / "panel_types.yaml", STUDIES / "panel_types_qualtrics.csv"
REF = Path(__file__).parent / "reference" / "data" / "frequencies_expected.csv"


def read(source, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(source, q)


@pytest.fixture(scope="module")
def hotel_text():
    return read(HOTEL_TEXT, HOTEL_Q)


@pytest.fixture(scope="module")
def hotel_numbers():
    return read(HOTEL_NUMBERS, HOTEL_Q)


@pytest.fixture(scope="module")
def panel():
    return read(PANEL, PANEL_Q)


def _errors(data):
    return [i for i in data.validate().issues if i.severity == "error"]


# -- the two 问卷星 exports --------------------------------------------------------------------------

def test_both_wjx_exports_load_to_equal_frames(hotel_text, hotel_numbers):
    assert not _errors(hotel_text) and not _errors(hotel_numbers)
    pd.testing.assert_frame_equal(hotel_text.responses, hotel_numbers.responses)
    hidden = [c for c in hotel_numbers.meta if c.startswith("not_shown:")]
    assert hidden == ["not_shown:reason"]
    pd.testing.assert_frame_equal(hotel_text.meta[hidden], hotel_numbers.meta[hidden])
    assert hotel_text.audit.column_map == hotel_numbers.audit.column_map
    # every column of both files is read: nothing is left over as 'unexpected'
    assert not any(i.code == "unexpected_column" for i in hotel_numbers.validate().issues)


def test_per_option_multiple_choice_matches_the_raw_cells(hotel_text, hotel_numbers):
    raw = pd.read_csv(HOTEL_NUMBERS, encoding="gb18030", dtype=str, keep_default_na=False)
    text = pd.read_excel(HOTEL_TEXT, engine="calamine", dtype=str).fillna("")
    for code, label in {1: "早餐", 2: "健身房", 5: "其他"}.items():
        cells = raw[f"5({label})"]
        expected = cells.map({"1": 1.0, "0": 0.0, "(空)": np.nan})
        np.testing.assert_array_equal(hotel_numbers.responses[f"facilities_{code}"].to_numpy(), expected.to_numpy())
        # the text export writes the option text or nothing: chosen where the number export says 1
        assert ((text[f"5({label})"] == label) == (cells == "1")).all()
    # a guest who ticked nothing did not answer (NaN), one who ticked something did not choose the rest (0)
    none = (raw[[c for c in raw if c.startswith("5(") and not c.endswith("_填空")]] == "(空)").all(axis=1)
    assert none.sum() > 0
    assert hotel_text.responses.loc[none.to_numpy(), "facilities_1"].isna().all()


def test_other_please_specify_is_kept_as_open_text(hotel_text, panel):
    raw = pd.read_excel(HOTEL_TEXT, engine="calamine", dtype=str)
    assert hotel_text.audit.column_map["facilities_other"] == "5(其他)_填空"
    got = hotel_text.responses["facilities_other"]
    assert got.dropna().tolist() == raw["5(其他)_填空"].dropna().tolist()
    assert (got.notna().to_numpy() == (hotel_text.responses["facilities_5"] == 1).to_numpy()).all()
    assert panel.audit.column_map["services_other"] == "Q7_5_TEXT"
    assert panel.responses["services_other"].notna().sum() == (panel.responses["services_5"] == 1).sum() > 0


def test_other_text_inside_a_joined_wjx_cell():
    q = {**MC_Q, "scales": {**MC_Q["scales"], "t": {"type": "open_text"}},
         "items": [*MC_Q["items"], {"id": "fac_other", "scale": "t", "text": "其他设施", "specify": {"item": "fac", "option": 3}}]}
    data = read(pd.DataFrame({"id": [1, 2, 3], "7": ["早餐┋其他〖会议室〗", "健身房", ""]}), q)
    assert not _errors(data)
    np.testing.assert_array_equal(data.responses[["fac_1", "fac_2", "fac_3"]].to_numpy(),
                                  [[1, 0, 1], [0, 1, 0], [np.nan] * 3])
    assert data.responses["fac_other"].tolist()[0] == "会议室" and data.responses["fac_other"].isna().sum() == 2


def test_matrix_rows_matched_by_stem_and_row(hotel_text, panel):
    q = hotel_text.questionnaire
    assert hotel_text.audit.column_map["svc_2"] == "1.您对以下方面的满意程度—员工热情有礼"
    assert q.item("svc_2").text.get("zh") == "员工热情有礼" and q.stem_of("svc_2").get("zh") == "您对以下方面的满意程度"
    # Qualtrics: the 'stem - statement' question-text row, ids that are not the export's names
    assert panel.audit.column_map["busy"] == "Q1_2" and panel.audit.column_map["hours"] == "Q1_4"
    assert panel.responses["busy"].notna().all()


def test_matrix_row_missing_from_the_export_names_the_row():
    raw = pd.read_excel(HOTEL_TEXT, engine="calamine", dtype=object).drop(columns=["1.您对以下方面的满意程度—床品舒适"])
    data = read(raw, HOTEL_Q)
    issue = next(i for i in data.validate().issues if i.code == "missing_column" and i.item == "hw_2")
    assert "'床品舒适'" in issue.message and "您对以下方面的满意程度—床品舒适" in issue.message


def test_skip_logic_counted_apart_from_not_answered(hotel_text, hotel_numbers):
    raw = pd.read_csv(HOTEL_NUMBERS, encoding="gb18030", dtype=str, keep_default_na=False)["4.您上次入住的目的"]
    for data in (hotel_text, hotel_numbers):
        f = data.frequencies().tables["reason"]
        assert isinstance(f, sk.descriptives.FrequencyTable)
        assert f.n_not_shown == (raw == "-3").sum() > 0
        assert f.n_not_answered == (raw == "(空)").sum() > 0
        assert f.n_obs == len(raw) - f.n_not_shown - f.n_not_answered
        assert data.not_shown("reason").sum() == f.n_not_shown
    # no -3 reaches the codes as an answer or an out-of-range value
    assert not (hotel_numbers.responses["reason"] == -3).any()
    # the audit counts them under one code, whichever marker the export wrote
    audits = [d.audit.missing_codes.set_index("item").loc["reason"] for d in (hotel_text, hotel_numbers)]
    assert audits[0].to_dict() == audits[1].to_dict() == {"code": -3.0, "label": "未显示（跳题逻辑）",
                                                           "count": (raw == "-3").sum()}


def test_qualtrics_display_logic_marks_empty_cells_not_shown(panel):
    raw = pd.read_csv(PANEL, skiprows=[1, 2], dtype=str, keep_default_na=False)
    hidden = (raw["Q5"] == "2") & (raw["Q6"] == "")
    unanswered = (raw["Q5"] == "1") & (raw["Q6"] == "")
    f = panel.frequencies().tables["mortgage_sat"]
    assert (f.n_not_shown, f.n_not_answered) == (hidden.sum(), unanswered.sum())
    assert f.n_not_answered > 0


# -- multiple choice: every layout, the same frame -----------------------------------------------------

MC_Q = {
    "schema_version": 1, "id": "mc", "title": "mc", "respondent_id": "id",
    "scales": {"fac": {"type": "multiple_choice", "labels": {1: "早餐", 2: "健身房", 3: "其他"}},
               "rank": {"type": "ranking", "labels": {1: "价格", 2: "位置", 3: "服务"}}},
    "items": [{"id": "fac", "scale": "fac", "column": "7", "text": "您使用了哪些设施"}],
}
CHOSEN = np.array([[1, 1, 0], [0, 0, 1], [np.nan] * 3, [1, 0, 0]])


def _layouts():
    labels = ["早餐", "健身房", "其他"]
    ids = {"id": [1, 2, 3, 4]}
    joined = ["早餐┋健身房", "其他", "", "早餐"]
    yield "joined ┋", pd.DataFrame({**ids, "7": joined})
    yield "joined ,", pd.DataFrame({**ids, "7": ["1,2", "3", "", "1"]})
    yield "0/1 columns", pd.DataFrame({**ids, **{f"7_{k}": CHOSEN[:, k - 1] for k in (1, 2, 3)}})
    text_cols = {f"7_{k}": [labels[k - 1] if c == 1 else "" for c in CHOSEN[:, k - 1]] for k in (1, 2, 3)}
    yield "option-text columns", pd.DataFrame({**ids, **text_cols})
    yield "问卷星 numbers", pd.DataFrame({**ids, **{f"7({lab})": ["(空)" if np.isnan(c) else str(int(c))
                                                                 for c in CHOSEN[:, k]] for k, lab in enumerate(labels)}})
    yield "问卷星 text", pd.DataFrame({**ids, **{f"7({lab})": [lab if c == 1 else "" for c in CHOSEN[:, k]]
                                               for k, lab in enumerate(labels)}})
    yield "Qualtrics", pd.DataFrame({**ids, **{f"Q7_{k}": ["1" if c == 1 else "" for c in CHOSEN[:, k - 1]]
                                             for k in (1, 2, 3)}})


@pytest.mark.parametrize("name,frame", list(_layouts()), ids=[n for n, _ in _layouts()])
def test_multiple_choice_layouts_load_identically(name, frame):
    q = {**MC_Q, "items": [{**MC_Q["items"][0], "aliases": ["Q7"]}]}
    data = read(frame, q)
    assert not _errors(data), [i.message for i in _errors(data)]
    np.testing.assert_array_equal(data.responses[["fac_1", "fac_2", "fac_3"]].to_numpy(), CHOSEN)


def test_option_text_not_in_the_questionnaire_is_a_clear_problem():
    frame = pd.DataFrame({"id": [1, 2, 3], "7(早餐)": ["早餐", "", "早饭"], "7(健身房)": ["", "健身房", ""],
                          "7(其他)": ["", "", ""]})
    issue = next(i for i in read(frame, MC_Q).validate().issues if i.code == "unknown_option")
    assert issue.column == "7(早餐)" and issue.rows == (3,) and issue.values == ("早饭",)
    assert "'早饭'" in issue.message and "'7(早餐)'" in issue.message


# -- ranking ------------------------------------------------------------------------------------------

RANKS = np.array([[1, 2, 3], [3, 1, 2], [np.nan] * 3, [2, 3, 1]])


def test_ranking_layouts_load_identically():
    q = {**MC_Q, "items": [{"id": "fac", "scale": "rank", "column": "8", "aliases": ["Q8"], "text": "请排序"}]}
    labels = ["价格", "位置", "服务"]
    cells = {k: ["" if np.isnan(r) else f"{r:g}" for r in RANKS[:, k]] for k in range(3)}
    frames = [pd.DataFrame({"id": [1, 2, 3, 4], **{f"8({lab})": cells[k] for k, lab in enumerate(labels)}}),
              pd.DataFrame({"id": [1, 2, 3, 4], **{f"Q8_{k + 1}": cells[k] for k in range(3)}}),
              pd.DataFrame({"id": [1, 2, 3, 4], "8": ["价格→位置→服务", "位置→服务→价格", "(空)", "服务→价格→位置"]})]
    for frame in frames:
        data = read(frame, q)
        assert not _errors(data)
        np.testing.assert_array_equal(data.responses[["fac_1", "fac_2", "fac_3"]].to_numpy(), RANKS)
    bad = frames[1].assign(Q8_1=["1", "7", "", "2"])
    issue = next(i for i in read(bad, q).validate().issues if i.code == "out_of_range")
    assert issue.values == (7.0,) and issue.rows == (2,)


# -- frequencies against R ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(REF, dtype={"term": str}, keep_default_na=False)


def _r(expected, case, stat):
    hit = expected[(expected.case == case) & (expected.stat == stat)]
    return hit.set_index("term")["value"].astype(float)


# R computes in double precision from the same codes: agreement to rounding error
TOL = dict(rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("study", ["hotel", "panel"])
def test_frequencies_match_r(study, hotel_numbers, panel, expected):
    data = hotel_numbers if study == "hotel" else panel
    freq = data.frequencies()
    assert isinstance(freq, sk.descriptives.ChoiceFrequencies)
    assert freq.weighted == (study == "panel")
    for item, f in freq.tables.items():
        case = f"{study}_{item}"
        terms = [f"{c:g}" for c in f.table.index]
        r_count = _r(expected, case, "count")
        np.testing.assert_array_equal(f.table["count"].to_numpy(), r_count.reindex(terms).fillna(0).to_numpy())
        if f.kind == "single_choice":
            stat = "share" if study == "panel" else "share_unweighted"
            np.testing.assert_allclose(f.table["share"].to_numpy(), _r(expected, case, stat).loc[terms], **TOL)
        elif f.kind == "multiple_choice":
            for stat in ("share_respondents", "share_responses"):
                np.testing.assert_allclose(f.table[stat].to_numpy(), _r(expected, case, stat).loc[terms], **TOL)
            assert f.n_obs == _r(expected, case, "n_obs").iloc[0]
        else:
            for stat in ("mean_rank", "first_share"):
                np.testing.assert_allclose(f.table[stat].to_numpy(), _r(expected, case, stat).loc[terms], **TOL)


def test_weighted_frequencies_say_so_and_keep_unweighted_counts(panel):
    f = panel.frequencies().tables["services"]
    w = panel.meta["weight"].to_numpy()
    answered = panel.responses["services_1"].notna().to_numpy()
    assert f.weighted and f.effective_n == pytest.approx(w[answered].sum() ** 2 / (w[answered] ** 2).sum())
    assert f.weight_note.startswith("weighted (Kish effective n = ")
    unweighted = panel.unweighted().frequencies().tables["services"]
    assert (unweighted.table["count"] == f.table["count"]).all()
    assert not np.allclose(unweighted.table["share_respondents"], f.table["share_respondents"])


def test_numeric_core_small_cases():
    f = frequencies(pd.Series([1, 2, 2, np.nan, np.nan]), labels={1: "a", 2: "b", 3: "c"},
                    not_shown=[False, False, False, True, False])
    assert f.table["count"].tolist() == [1, 2, 0] and (f.n_not_shown, f.n_not_answered) == (1, 1)
    m = multiple_response(pd.DataFrame({"a": [1, 1, 0], "b": [1, 0, 0]}), weights=[1.0, 3.0, 1.0])
    np.testing.assert_allclose(m.table["share_respondents"], [4 / 5, 1 / 5])
    np.testing.assert_allclose(m.table["share_responses"], [4 / 5, 1 / 5])
    r = ranking_summary(pd.DataFrame({"a": [1, 2, np.nan], "b": [2, 1, np.nan]}))
    assert r.n_obs == 2 and r.table["mean_rank"].tolist() == [1.5, 1.5]


# -- the report ---------------------------------------------------------------------------------------

def test_report_has_a_table_for_every_choice_question(panel, hotel_text, tmp_path):
    from surveykit.report.book import ReportBook
    from surveykit.report.sections.items import section

    book = ReportBook(out=tmp_path, language="en")
    sec = section(panel, book)
    headings = [b.heading for b in sec.blocks]
    for item in ("Q3", "mortgage", "mortgage_sat", "services", "factors"):
        assert panel.questionnaire.item(item).text.get("en") in headings
    html = " ".join(b.table or "" for b in sec.blocks)
    assert "share_respondents" in html and "share_responses" in html and "mean_rank" in html
    notes = {tb.title: tb.note for tb in book.tables}
    n_eff = panel.frequencies().tables["mortgage_sat"].effective_n
    assert f"Kish effective n = {round(n_eff)}" in notes["mortgage_sat: How satisfied are you with your mortgage?"]
    hidden = panel.frequencies().tables["mortgage_sat"].n_not_shown
    assert f"not shown (skip logic) {hidden}." in notes["mortgage_sat: How satisfied are you with your mortgage?"]
    # the matrix stem said once in the note, the rows by their short text
    zh_book = ReportBook(out=tmp_path, language="zh")
    zh = section(hotel_text, zh_book)
    text = " ".join(tb.note or "" for tb in zh_book.tables)
    assert text.count("矩阵题「您对以下方面的满意程度」") == 1
    assert "员工热情有礼" in " ".join(b.table or "" for b in zh.blocks)


# -- the questionnaire ----------------------------------------------------------------------------------

def test_questionnaire_refuses_wrong_question_type_references():
    import yaml

    raw = yaml.safe_load(HOTEL_Q.read_text(encoding="utf-8"))
    raw["items"][0]["matrix"] = "qualty"
    raw["items"][11]["shown_if"] = {"item": "stayed", "codes": [3]}
    raw["items"][13]["specify"] = {"item": "recommend", "option": 5}
    with pytest.raises(sk.QuestionnaireError) as exc:
        sk.load_questionnaire(raw)
    msg = str(exc.value)
    assert "unknown matrix 'qualty'" in msg and "3 is no option of 'stayed'" in msg
    assert "'recommend' is not a single- or multiple-choice item" in msg


def test_frequency_results_render_pickle_and_have_a_one_line_repr(panel):
    import pickle

    freq = panel.frequencies()
    for r in (freq, *freq.tables.values()):
        assert "\n" not in repr(r) and "<table" in r._repr_html_()
        back = pickle.loads(pickle.dumps(r))
        pd.testing.assert_frame_equal(back.to_frame(), r.to_frame())
        assert all(re.fullmatch(r"[a-z_]+", c) for c in r.to_frame().columns)
    with pytest.raises(ValueError, match="Item 'equipment' is likert"):
        panel.frequencies(["equipment"])


def test_matrix_rows_outside_constructs_are_one_figure_titled_by_the_stem():
    import yaml

    from surveykit.report.sections.items import _likert_panels

    raw = yaml.safe_load(HOTEL_Q.read_text(encoding="utf-8"))
    raw["constructs"] = {}
    data = read(HOTEL_NUMBERS, sk.load_questionnaire(raw))
    (title, group), = list(_likert_panels(data, "zh"))
    assert title == "您对以下方面的满意程度" and group.item_labels["svc_2"] == "员工热情有礼"
