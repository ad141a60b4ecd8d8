"""Open-text themes over a questionnaire (surveykit/text/survey.py) against R (tests/reference/text_mentions.R).

The reference input holds comments built from phrases whose themes and negations are known
(tests/reference/make_text_mentions_input.py); R computes the comparisons from those truth
columns, so the coding is checked against the truth and the statistics against R.
"""

from __future__ import annotations

import copy
import pickle
import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.errors import QuestionnaireError
from surveykit.report.book import ReportBook
from surveykit.io.write import write_xlsx
from surveykit.report.sections.themes import section as theme_section
from surveykit.text.counts import theme_counts
from surveykit.text.survey import COMPARISON_COLUMNS, FieldThemes, SurveyThemes, survey_themes
from surveykit.text.themes import bundled_themes, load_themes

REF = Path(__file__).parent / "reference" / "data"
# Closed forms (Welch's t, the linearized svyttest, svymean SEs, normal z) with the same
# operations as R 4.2.2 / survey 4.1.1; R's values are written with 17 digits. Observed
# agreement is ~1e-14 relative; 1e-10 leaves room for libm and for the t / normal tail
# functions of scipy against R's.
RTOL = 1e-10
THEMES = ("price", "quality", "service", "logistics", "packaging")

REF_Q = {
    "schema_version": 1, "id": "mentions", "title": {"zh": "评论与满意度", "en": "Comments and satisfaction"},
    "language": "zh", "respondent_id": {"column": "id"}, "weight": {"column": "w"},
    "scales": {"sat5": {"type": "likert", "min": 1, "max": 5}, "nps11": {"type": "rating", "min": 0, "max": 10},
               "region": {"type": "single_choice", "labels": {1: "华东", 2: "华南", 3: "西部"}},
               "text": {"type": "open_text"}},
    "items": [{"id": "sat_1", "scale": "sat5", "text": "总体满意度"}, {"id": "sat_2", "scale": "sat5", "text": "与期望相比"},
              {"id": "sat_3", "scale": "sat5", "text": "与理想相比"}, {"id": "rec", "scale": "nps11", "text": "推荐可能性"},
              {"id": "region", "scale": "region", "text": "地区"},
              {"id": "comment", "scale": "text", "text": {"zh": "意见和建议", "en": "Comments"}}],
    "constructs": {"satisfaction": {"label": "满意度", "items": ["sat_1", "sat_2", "sat_3"]}},
    "roles": {"satisfaction": "satisfaction", "nps": "rec"},
    "segments": ["region"],
    "open_text": [{"item": "comment", "themes": str(bundled_themes("customer_value"))}],
}
COLUMNS = ["id", "w", "region", "sat_1", "sat_2", "sat_3", "rec", "comment"]


def questionnaire(**changes):
    raw = copy.deepcopy(REF_Q)
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return sk.load_questionnaire(raw)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_csv(REF / "text_mentions_input.csv")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "text_mentions_expected.csv")


def read(frame, **changes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(frame[COLUMNS], questionnaire(**changes))


@pytest.fixture(scope="module")
def weighted(frame):
    return survey_themes(read(frame))


@pytest.fixture(scope="module")
def unweighted(frame):
    return survey_themes(read(frame, weight=None))


# ---------------------------------------------------------------------------------------------
# against R


def test_comments_are_coded_as_written(frame, weighted):
    counts = weighted["comment"].counts
    m = counts.mentions
    for t in THEMES:
        np.testing.assert_array_equal(m["any", t].to_numpy(), frame[f"any_{t}"].to_numpy() == 1, err_msg=t)
        np.testing.assert_array_equal(m["negated", t].to_numpy(), frame[f"neg_{t}"].to_numpy() == 1, err_msg=t)
    subst = counts.status.isin(["matched", "unmatched"]).to_numpy()
    np.testing.assert_array_equal(subst, frame["status"].to_numpy() == "substantive")
    assert counts.accounting["read"] == len(frame) == counts.n_obs + counts.n_dropped


@pytest.mark.parametrize("case", ["unweighted", "weighted"])
def test_comparison_matches_r(case, weighted, unweighted, expected):
    result = {"weighted": weighted, "unweighted": unweighted}[case]["comment"]
    cmp = result.comparison
    want = expected[expected["case"] == case]
    stats = {"mentioners_estimate": "mentioners", "mentioners_se": "mentioners_se",
             "mentioners_ci_low": "mentioners_ci_low", "mentioners_ci_high": "mentioners_ci_high",
             "non_mentioners_estimate": "non_mentioners", "non_mentioners_se": "non_mentioners_se",
             "non_mentioners_ci_low": "non_mentioners_ci_low", "non_mentioners_ci_high": "non_mentioners_ci_high",
             "difference": "difference", "se": "se", "statistic": "statistic", "df": "df", "p_value": "p_value",
             "ci_low": "ci_low", "ci_high": "ci_high"}
    compared = 0
    for (measure, theme, polarity), row in cmp.iterrows():
        r = want[(want.theme == theme) & (want.polarity == polarity) & (want.measure == measure)].set_index("stat")
        names = [s for s in stats if s in r.index]
        assert "df" in names or measure == "nps"
        np.testing.assert_allclose(row[[stats[s] for s in names]].to_numpy(float), r.loc[names, "value"].to_numpy(),
                                   rtol=RTOL, err_msg=f"{case} {measure} {theme} {polarity}")
        assert (row["n_mentioners"], row["n_non_mentioners"]) == (r.at["mentioners_n", "value"],
                                                                  r.at["non_mentioners_n", "value"])
        compared += 1
    # every theme in any polarity; plain and negated where both groups reach min_group (30): not packaging (14 negated)
    assert compared == 2 * (5 + 2 * 4)
    assert set(cmp.loc[("nps", "packaging")].index) == {"any"}
    assert set(cmp["test"]) == ({"design_t", "z"} if case == "weighted" else {"welch_t", "z"})
    assert any("packaging" in n and "not compared separately" in n for n in result.notes)


def test_what_a_reader_sees_negated_mentions_rate_lower(weighted):
    cmp = weighted["comment"].comparison.loc["satisfaction_index"]
    for theme in ("price", "quality", "service", "logistics"):
        neg = cmp.loc[(theme, "negated")]
        assert neg["difference"] < 0 and neg["p_value"] < 0.05 and neg["ci_high"] < 0, theme
    frame = weighted["comment"].to_frame()
    assert list(frame.index) == list(THEMES)
    assert {"count", "share", "negated_count", "weighted_share", "satisfaction_index_mentioners",
            "nps_p_value"} <= set(frame.columns)
    np.testing.assert_allclose(frame["satisfaction_index_difference"],
                               cmp.xs("any", level="polarity")["difference"].reindex(frame.index))


# ---------------------------------------------------------------------------------------------
# counts by segment, weights, fields


def test_counts_by_segment_are_theme_counts_with_the_questionnaires_weights(frame, weighted):
    data = read(frame)
    f = weighted["comment"]
    assert list(f.segments) == ["region"] and weighted.segments == ("region",) and weighted.weighted
    direct = theme_counts(data.responses["comment"], load_themes("customer_value"), by=data.segment("region"),
                          weights=data.meta["weight"].to_numpy(float))
    pd.testing.assert_frame_equal(f.segments["region"].by_segment, direct.by_segment)
    pd.testing.assert_frame_equal(f.counts.table, direct.table)
    assert list(f.segment_table("region").columns) == ["华东", "华南", "西部"]
    np.testing.assert_allclose(f.segment_table("region", "weighted_share"), direct.segment_table("weighted_share"))


def test_by_none_uses_the_questionnaires_segments_and_an_empty_by_none(frame):
    data = read(frame, weight=None)
    assert list(survey_themes(data)["comment"].segments) == ["region"]
    r = survey_themes(data, by=[])
    assert r.segments == () and r["comment"].segments == {} and not r.weighted


def test_a_questionnaire_whose_folder_is_gone_finds_the_bundled_dictionary(tmp_path, frame):
    """As example_data(): the questionnaire was read from a temporary folder that no longer exists."""
    raw = copy.deepcopy(REF_Q)
    raw["open_text"] = [{"item": "comment", "themes": "themes/customer_value.yaml"}]
    folder = tmp_path / "gone"
    (folder / "themes").mkdir(parents=True)
    shutil.copyfile(bundled_themes("customer_value"), folder / "themes" / "customer_value.yaml")
    (folder / "q.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    q = sk.load_questionnaire(folder / "q.yaml")
    shutil.rmtree(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.read_responses(frame[COLUMNS], q)
    f = survey_themes(data, by=[])["comment"]
    assert Path(f.themes_file) == bundled_themes("customer_value")
    assert f.question == "意见和建议" and f.counts.n_obs == 610


def test_theme_file_is_read_relative_to_the_questionnaire(tmp_path, frame):
    (tmp_path / "themes").mkdir()
    shutil.copyfile(bundled_themes("customer_service"), tmp_path / "themes" / "mine.yaml")
    raw = copy.deepcopy(REF_Q)
    raw["open_text"] = [{"item": "comment", "themes": "themes/mine.yaml"}]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.read_responses(frame[COLUMNS], sk.load_questionnaire(path))
    f = survey_themes(data, by=[])["comment"]
    assert f.themes_file == str(tmp_path / "themes" / "mine.yaml")
    assert "after_sales" in f.counts.table.index or len(f.counts.table) > 5  # the general dictionary's themes
    # the file disappears after loading: the error names it and the questionnaire
    (tmp_path / "themes" / "mine.yaml").unlink()
    with pytest.raises(FileNotFoundError, match=(r"open-text field 'comment' in questionnaire 'mentions' \(file "
                                                 r".*q\.yaml'\) is missing: open_text\[0\]\.themes is "
                                                 r"'themes/mine\.yaml'.*mine\.yaml")):
        survey_themes(data)


def test_a_field_without_a_dictionary_uses_the_general_one(frame):
    data = read(frame, open_text=[{"item": "comment"}])
    f = survey_themes(data, by=[])["comment"]
    assert Path(f.themes_file).stem == "customer_service"
    assert any("names no theme dictionary" in n and "customer_service" in n for n in f.notes)


# ---------------------------------------------------------------------------------------------
# bad input


def test_a_questionnaire_without_open_text_fields(frame):
    data = read(frame, open_text=None)
    with pytest.raises(QuestionnaireError, match=r"(?s)mentions: 1 problem.*open_text: the questionnaire lists no "
                                                 r"open-text field"):
        survey_themes(data)


def test_an_unknown_field_lists_the_fields(frame):
    with pytest.raises(ValueError, match=r"The 'field' parameter of survey_themes must be one of 'comment'. "
                                         r"Got 'commnt' instead."):
        survey_themes(read(frame), field="commnt")


def test_a_missing_theme_file_in_a_mapping_questionnaire(frame):
    data = read(frame, open_text=[{"item": "comment", "themes": "themes/没有这个文件.yaml"}])
    with pytest.raises(FileNotFoundError, match=r"questionnaire 'mentions' \(read from a mapping\).*"
                                                r"'themes/没有这个文件.yaml'"):
        survey_themes(data)


def test_without_a_satisfaction_role_the_comparison_is_nps_only_and_counts_remain(frame):
    data = read(frame, roles={"nps": "rec"})
    f = survey_themes(data, by=[])["comment"]
    assert f.outcome is None and f.counts.n_obs == 610
    assert set(f.comparison.index.get_level_values("measure")) == {"nps"}
    assert any("no 'satisfaction_index' to compare" in n and "'satisfaction' role" in n for n in f.notes)
    none = survey_themes(read(frame, roles=None), by=[])["comment"]
    assert none.comparison is None and len(none.counts.table) == 5
    assert any("no 'nps' role" in n for n in none.notes)
    assert "nps_mentioners" not in none.to_frame().columns
    none.summary().as_text()  # renders without a comparison


@pytest.mark.parametrize("kwargs, match", [
    ({"outcome": "satisfaction"}, r"The 'outcome' parameter of survey_themes must be one of 'satisfaction_index', "
                                  r"'loyalty_index', 'value_index'. Got 'satisfaction' instead."),
    ({"by": "城市"}, r"The 'by' parameter of survey_themes names '城市', which is not a variable of the data; "
                   r"the questionnaire's segments are 'region'"),
    ({"min_group": 1}, r"'min_group' parameter of survey_themes must be a whole number of at least 2"),
    ({"language": "fr"}, r"'language' parameter of survey_themes must be one of 'zh', 'en', 'both'"),
    ({"ci_level": 95}, r"'ci_level' parameter of survey_themes must be a number between 0 and 1"),
])
def test_bad_options_name_the_parameter(frame, kwargs, match):
    with pytest.raises(ValueError, match=match):
        survey_themes(read(frame), **kwargs)


def test_min_group_controls_the_separate_negated_comparison(frame):
    f = survey_themes(read(frame, weight=None), by=[], min_group=100)["comment"]
    assert set(f.comparison.index.get_level_values("polarity")) == {"any"}
    assert sum("not compared separately" in n for n in f.notes) == 5


# ---------------------------------------------------------------------------------------------
# house style


def test_results_render_pickle_and_have_one_line_reprs(weighted):
    f = weighted["comment"]
    for r, name in ((weighted, "SurveyThemes"), (f, "FieldThemes")):
        assert "\n" not in repr(r) and repr(r).startswith(f"<{name} ")
        s = r.summary()
        assert s.as_text() and s.as_markdown() and r._repr_html_().startswith("<div")
        back = pickle.loads(pickle.dumps(r))
        pd.testing.assert_frame_equal(back.to_frame(), r.to_frame())
        cols = [c for c in r.to_frame().columns]
        assert all(re.match(r"^[a-z][a-z0-9_]*$", c) for c in cols), cols
    assert list(f.comparison.columns) == COMPARISON_COLUMNS
    assert isinstance(weighted["comment"], FieldThemes) and isinstance(weighted, SurveyThemes)
    assert weighted.to_frame().index.names == ["field", "theme"]
    assert weighted.comparison.index.names == ["field", "measure", "theme", "polarity"]
    assert "Welch" not in f.summary().as_text() and "svyttest" in f.summary().as_text()


# ---------------------------------------------------------------------------------------------
# report section


def test_report_section_tables_figures_and_numbers(frame, tmp_path, monkeypatch):
    import surveykit.report.book

    saved = []  # saving at 300 dpi and as SVG is ReportBook's (tested with it); here: which figures, drawn
    monkeypatch.setattr(surveykit.report.book, "save_figure", lambda fig, path: saved.append(path.name) or "png")
    hostile = frame[COLUMNS].copy()
    hostile.loc[:39, "comment"] = "<b>价格</b>太贵了"  # the most frequent comments: they become quotes
    hostile.loc[40:79, "comment"] = '=HYPERLINK("http://x","价格太贵")'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.read_responses(hostile, questionnaire())
    book = ReportBook(out=tmp_path, language="zh")
    sec = theme_section(data, book)
    assert sec.id == "themes" and sec.title == "开放题：评论主题" and "jieba" in sec.note
    headings = [b.heading for b in sec.blocks]
    assert headings == ["意见和建议 (comment)", "按细分群体的提及比例", "提及者与未提及者比较: 顾客满意度指数（0-100）",
                        "提及者与未提及者比较: NPS", "示例评论", "未匹配任何主题的评论"]
    # every table states n and the method, in its note and on the page
    assert len(book.tables) == 6 and all(t.note for t in book.tables)
    counts, _, sat, nps, quotes, _ = book.tables
    assert "n = " in counts.note and "加权" in counts.note and "否定" in counts.note
    assert "Welch" not in sat.note and "svyttest" in sat.note and "z 检验" in nps.note
    assert all(b.lines for b in sec.blocks[1:])
    # the numbers are survey_themes' numbers
    f = survey_themes(data)["comment"]
    np.testing.assert_allclose(sat.frame["差值"].to_numpy(), f.comparison.loc["satisfaction_index", "difference"])
    assert list(counts.frame["提及人数"]) == list(f.counts.table["count"])
    assert book.numbers["themes"]["comment"]["accounting"]["read"] == len(frame)
    assert len(book.numbers["themes"]["comment"]["comparison"]) == len(f.comparison)
    # free text: escaped in the HTML, text (never a formula) in the exports
    assert "&lt;b&gt;价格&lt;/b&gt;太贵了" in quotes.html and "<b>价格</b>" not in quotes.html
    assert '=HYPERLINK("http://x","价格太贵")' in set(quotes.frame["评论原文"])
    from openpyxl import load_workbook

    workbook = load_workbook(write_xlsx(book.tables, tmp_path / "tables.xlsx"))
    ws = workbook[workbook.sheetnames[5]]  # contents, then the tables in order: the quotes are the fifth
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=HYPER")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    # figures: theme bars, polarity, co-occurrence, by region, mentioners vs non-mentioners, keyword cloud
    figures = [fig for b in sec.blocks for fig in b.figures]
    assert len(figures) == 6 and all(fig["png"] for fig in figures)
    assert set(saved) == {
        "themes_comment_bars.png", "themes_comment_polarity.png", "themes_comment_cooccurrence.png",
        "themes_comment_by_region.png", "themes_comment_satisfaction_index.png", "themes_comment_wordcloud.png"}


def test_report_section_is_none_without_open_text_and_bilingual_with_both(frame, tmp_path, monkeypatch):
    import surveykit.report.book

    assert theme_section(read(frame, open_text=None), ReportBook(out=tmp_path, language="zh")) is None
    monkeypatch.setattr(surveykit.report.book, "save_figure", lambda fig, path: "png")
    book = ReportBook(out=tmp_path, language="both")
    sec = theme_section(read(frame, weight=None), book)
    assert sec.title == "开放题：评论主题 / Open comments: themes"
    zh, en = book.tables[2].note.split(" / ", 1)
    assert "Welch t 检验" in zh and "Means" not in zh and "Welch's t test" in en and "检验" not in en
    assert list(book.tables[0].frame.index) == ["价格 / Price", "质量 / Quality", "服务/客服 / Service",
                                                "物流 / Delivery", "包装 / Packaging"]
