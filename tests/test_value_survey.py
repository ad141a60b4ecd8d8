"""A survey linked to the customers' transactions (surveykit/value/survey.py), against R (tests/reference/value_link.R).

R: the join, RFM layers and ABC classes in base R (as value_crm.R), means by level, oneway.test
(Welch and classic), chisq.test(correct = FALSE) of the NPS groups, weighted.mean; and the save list.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DataError
from surveykit.value import IdFormatWarning, prepare_transactions
from surveykit.value.survey import STATUSES, CustomerLinkWarning, CustomerValueLink, link_survey

REF = Path(__file__).parent / "reference" / "data"
AS_OF = "2025-12-31"
# Means, F and chi-square statistics are closed forms of the same sums R adds; p values come from
# scipy's F and chi-square tails against R's pf / pchisq. Observed (relative): means 1e-15, F and
# chi-square 5e-15, p values 2.5e-14 (the smallest p is 1.3e-12). 1e-10, as the banner tests, leaves
# room for libm and summation-order differences.
RTOL = 1e-10
COLUMNS = {"customer": "customer_id", "date": "date", "amount": "amount", "cost": "cost"}

QUESTIONNAIRE = {
    "schema_version": 1, "id": "value_link", "title": {"zh": "客户价值关联测试问卷", "en": "Customer value link test"},
    "language": "zh", "respondent_id": {"column": "id"},
    "scales": {"sat5": {"type": "likert", "min": 1, "max": 5}, "nps11": {"type": "rating", "min": 0, "max": 10},
               "text": {"type": "open_text"}},
    "items": [
        {"id": "cust", "scale": "text", "text": "客户编号"},
        *({"id": i, "scale": "sat5", "text": f"题目 {i}"} for i in ("s1", "s2", "s3", "r1")),
        {"id": "rec", "scale": "nps11", "text": "推荐可能性"},
        *({"id": i, "scale": "sat5", "text": f"题目 {i}"} for i in ("r2", "v1", "v2")),
        {"id": "comment", "scale": "text", "text": "意见和建议"},
    ],
    "constructs": {"satisfaction": {"label": "满意度", "items": ["s1", "s2", "s3"]},
                   "loyalty": {"label": "忠诚度", "items": ["r1", "r2"]},
                   "value": {"label": "感知价值", "items": ["v1", "v2"]}},
    # value_link.R's loyalty index averages r1, rec and r2: the recommend item is declared in (issue 16)
    "roles": {"satisfaction": "satisfaction", "loyalty": {"items": "loyalty", "include_recommend": True},
              "repurchase": "r1", "price_tolerance": "r2",
              "nps": "rec", "perceived_value": "value", "customer_id": "cust"},
    "open_text": [{"item": "comment"}],
}


def _read(q: dict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(REF / "value_link_survey.csv", sk.load_questionnaire(q))


@pytest.fixture(scope="module")
def data():
    return _read(QUESTIONNAIRE)


@pytest.fixture(scope="module")
def tx():
    return pd.read_csv(REF / "value_link_transactions.csv", dtype={"customer_id": str, "date": str})


def _link(data, tx, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the duplicate ids and the transactions audit
        return link_survey(data, tx, **COLUMNS, as_of=AS_OF, **kw)


@pytest.fixture(scope="module")
def link(data, tx):
    return _link(data, tx)


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(REF / "value_link_expected.csv", keep_default_na=False, dtype=str)


@pytest.fixture(scope="module")
def respondents():
    return pd.read_csv(REF / "value_link_respondents_expected.csv", index_col="id")


def ref(expected, case, segment, measure, level, stat):
    hit = expected[(expected.case == case) & (expected.segment == segment) & (expected.measure == measure)
                   & (expected.level == level) & (expected.stat == stat)]
    assert len(hit) == 1, (case, segment, measure, level, stat)
    return float(hit.value.iloc[0])


# ----------------------------------------------------------------------------- against R

def test_every_respondent_and_customer_is_accounted_for_as_in_r(link, expected):
    acc = link.accounting["count"]
    for status in STATUSES:
        assert acc[status] == ref(expected, "accounting", "", "", status, "count"), status
    assert acc["customers"] == ref(expected, "accounting", "", "", "customers", "count")
    assert acc["customers_not_surveyed"] == ref(expected, "accounting", "", "", "customers_not_surveyed", "count")
    assert acc["respondents"] == 300 == sum(acc[s] for s in STATUSES)
    assert acc["customers"] == acc["customers_linked"] + acc["customers_not_surveyed"]
    assert len(link.unmatched) == 300 - link.n_linked and len(link.not_surveyed) == link.n_not_surveyed
    assert set(link.unmatched["status"]) == {"no_customer_id", "excluded_transactions", "no_transactions"}
    # the customers whose every order was excluded (dated after as_of; amount 0) are named as such
    excluded = link.unmatched[link.unmatched["status"] == "excluded_transactions"]
    assert set(excluded["customer_id"]) == {"K0950", "K0951"}


def test_each_respondent_gets_the_layer_class_and_scores_r_gives(link, respondents):
    t = link.table
    assert t.index.tolist() == respondents.index.tolist()
    assert t["status"].astype(str).tolist() == respondents["status"].tolist()
    linked = (t["status"] == "linked").to_numpy()
    assert t.loc[linked, "layer"].astype(str).tolist() == respondents.loc[linked, "layer"].tolist()
    assert t.loc[linked, "abc_class"].astype(str).tolist() == respondents.loc[linked, "abc_class"].tolist()
    assert t.loc[~linked, ["layer", "abc_class", "abc_value"]].isna().all().all()
    np.testing.assert_allclose(t.loc[linked, "abc_value"], respondents.loc[linked, "profit"], rtol=RTOL)
    for col in ("satisfaction_index", "loyalty_index", "value_index"):
        np.testing.assert_allclose(t[col], respondents[col], rtol=RTOL, err_msg=col)
    assert t["nps_group"].astype(object).where(t["nps_group"].notna(), None).tolist() == \
        respondents["nps_group"].astype(object).where(respondents["nps_group"].notna(), None).tolist()


def test_save_list_is_high_value_low_satisfaction_by_profit_as_in_r(data, tx, respondents):
    link = _link(data, tx, top_clv=None)  # R's rule: A class, satisfaction index < 60 or a detractor
    want = respondents[respondents["save"]].sort_values("save_position")
    assert link.save_list.index.tolist() == want.index.tolist()
    assert len(want) > 10
    assert (link.save_list["abc_class"] == "A").all()
    assert (link.save_list["below_threshold"] | link.save_list["detractor"]).all()
    assert link.save_list["abc_value"].is_monotonic_decreasing


@pytest.mark.parametrize("segment", ["layer", "abc_class"])
def test_means_by_level_and_anova_match_r(link, expected, segment):
    means = link.means[(link.means["segment"] == segment) & (link.means["row"] == "mean")]
    levels = sorted(set(means["level"]))
    assert len(levels) == (7 if segment == "layer" else 3)
    for measure in ("satisfaction_index", "loyalty_index", "value_index", "nps"):
        m = means[means["measure"] == measure].set_index("level")
        for level in levels:
            assert m.at[level, "estimate"] == pytest.approx(
                ref(expected, "unweighted", segment, measure, level, "estimate"), rel=RTOL), (measure, level)
            assert m.at[level, "n_obs"] == ref(expected, "unweighted", segment, measure, level, "n_obs")
        tests = link.tests[(link.tests["segment"] == segment) & (link.tests["measure"] == measure)].set_index("test")
        for test in ("welch_anova", "anova"):
            for stat in ("statistic", "df2", "p_value"):
                assert tests.at[test, stat] == pytest.approx(
                    ref(expected, "unweighted", segment, measure, test, stat), rel=RTOL), (measure, test, stat)
    # the layers differ (the input makes dormant customers less satisfied): a test that can fail
    assert link.tests.set_index(["segment", "measure", "test"]).at[(segment, "satisfaction_index", "welch_anova"),
                                                                   "p_value"] < 0.01


@pytest.mark.parametrize("segment", ["layer", "abc_class"])
def test_nps_groups_and_their_chi_square_match_r(link, expected, segment):
    chi = link.tests[(link.tests["segment"] == segment) & (link.tests["measure"] == "nps_group")].iloc[0]
    assert chi["test"] == "chi_square"
    for stat in ("statistic", "df1", "p_value"):
        assert chi[stat] == pytest.approx(ref(expected, "unweighted", segment, "nps_group", "chi_square", stat),
                                          rel=RTOL)
    shares = link.means[(link.means["segment"] == segment) & (link.means["measure"] == "nps_group")]
    for _, row in shares.iterrows():
        assert row["estimate"] == pytest.approx(
            ref(expected, "unweighted", segment, "nps_group", row["level"], row["row"]), rel=RTOL, abs=1e-12)


def test_weighted_means_by_level_match_r(data, tx, expected):
    q = copy.deepcopy(QUESTIONNAIRE)
    q["weight"] = {"column": "w"}
    link = _link(_read(q), tx)
    assert link.weighted and link.by_layer.weighted
    means = link.means[link.means["row"] == "mean"]
    for _, row in means[means["measure"] != "value_index"].iterrows():
        assert row["estimate"] == pytest.approx(
            ref(expected, "weighted", row["segment"], row["measure"], row["level"], "estimate"), rel=RTOL)


# ----------------------------------------------------------------------------- the join

def test_ids_written_as_numbers_link_to_zero_padded_ids_with_id_format(data, tx):
    survey = data.responses.copy()
    digits = survey["cust"].str.strip().str.extract(r"^K(\d{4})$")[0]
    survey["cust"] = pd.to_numeric(digits).astype("Int64")  # the export lost the prefix and the zeros
    numeric = dataclasses.replace(data, responses=survey)
    tx_digits = tx.assign(customer_id=tx["customer_id"].str[1:])  # '0058': zero-padded text
    with pytest.warns(IdFormatWarning, match=r"leading zeros .*id_format='\{:04d\}'"), \
            pytest.raises(DataError, match=r"e\.g\. '282', '67', '328'\).*They match once leading zeros are "
                                            r"ignored: pass id_format \(e\.g\. id_format='\{:04d\}'\)"):
        link_survey(numeric, tx_digits, **COLUMNS, as_of=AS_OF)
    fixed = _link(numeric, tx_digits, id_format="{:04d}")
    assert fixed.n_linked == 266
    assert fixed.table.loc[fixed.table["status"] == "linked", "customer_id"].str.fullmatch(r"\d{4}").all()


def test_no_common_id_is_a_data_error_showing_both_sides(data, tx):
    other = tx.assign(customer_id="X" + tx["customer_id"])
    with pytest.raises(DataError, match=r"None of the 300 respondents' customer ids \(item 'cust'; 285 answered, "
                                        r"e\.g\. 'K\d{4}'.*e\.g\. 'XK0001'.*id_format"):
        link_survey(data, other, **COLUMNS, as_of=AS_OF)


def test_duplicate_and_poorly_matching_ids_warn(data, tx):
    with pytest.warns(CustomerLinkWarning, match=r"4 customer ids are given by more than one respondent \(.*; 8 "):
        link = link_survey(data, tx, **COLUMNS, as_of=AS_OF)
    assert link.duplicate_ids["respondents"].eq(2).all() and len(link.duplicate_ids) == 4
    few = tx[tx["customer_id"] < "K0060"]
    with pytest.warns(CustomerLinkWarning, match=r"Only \d+ of the 285 respondents with a customer id"):
        link_survey(data, few, **COLUMNS, as_of=AS_OF)


def test_prepared_transactions_and_a_default_as_of(data, tx):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prepare_transactions(tx, **COLUMNS, as_of=AS_OF)
        from_prepared = link_survey(data, p)
        clean = tx[tx["date"] <= AS_OF]
        default = link_survey(data, clean, **COLUMNS)
    assert from_prepared.table["abc_class"].equals(_link(data, tx).table["abc_class"])
    assert default.as_of == pd.Timestamp(clean["date"].max())
    assert any("as_of not given: the last transaction date" in n for n in default.notes)


def test_without_cost_classes_are_by_revenue_and_clv_is_skipped_with_a_note(data, tx):
    no_cost = {"customer": "customer_id", "date": "date", "amount": "amount", "as_of": AS_OF}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        link = link_survey(data, tx.drop(columns="cost"), **no_cost)
        with_margin = link_survey(data, tx.drop(columns="cost"), **no_cost, margin=0.3)
    assert link.abc_basis == "revenue" and link.clv is None
    assert "clv_retention" not in link.table and not link.table["top_clv"].any()
    assert any("CLV not computed" in n for n in link.notes)
    assert with_margin.clv is not None and with_margin.clv.margin == 0.3


def test_top_clv_widens_the_save_list_and_comments_stay_as_written(data, tx, link):
    a_only = _link(data, tx, top_clv=None)
    assert set(a_only.save_list.index) <= set(link.save_list.index)
    extra = link.save_list.loc[~link.save_list.index.isin(a_only.save_list.index)]
    assert len(extra) and (extra["top_clv"] & (extra["abc_class"] != "A")).all()
    # every flagged customer is in the top 20% of the whole base by CLV
    clv = link.clv.table["clv_retention"]
    cut = clv.sort_values(ascending=False).iloc[int(0.2 * len(clv)) - 1]
    assert (link.save_list.loc[link.save_list["top_clv"], "clv_retention"] >= cut).all()
    assert "comment" in link.save_list
    assert link.table["comment"].str.startswith("=HYPERLINK").any()  # data, not a formula: kept as written


# ----------------------------------------------------------------------------- bad input and house style

@pytest.mark.parametrize("kw, error, match", [
    ({"low_satisfaction": 150}, ValueError, (r"The 'low_satisfaction' parameter of link_survey must be a number in "
                                            r"\[0, 100\] \(e\.g\. 60\)\. Got 150 instead\.")),
    ({"top_clv": 0}, ValueError, r"'top_clv' parameter of link_survey must be a number in \(0, 1\]"),
    ({"detractors": "yes"}, TypeError, r"'detractors' parameter of link_survey must be True or False"),
    ({"language": "fr"}, ValueError, r"'language' parameter of link_survey must be one of 'zh', 'en', 'both'"),
    ({"rfm_options": {"windows": 30}}, ValueError, r"'rfm_options' parameter of link_survey names 'windows'"),
    ({"id_column": "customer"}, ValueError, r"'id_column' parameter of link_survey names 'customer'.*not a column"),
    ({"correction": "sidak"}, ValueError, r"'correction' parameter of link_survey must be one of"),
    ({"customer": "cust_id"}, ValueError, (r"'customer' parameter of link_survey names column 'cust_id' \(did you "
                                          r"mean 'customer_id'\?\)")),
])
def test_bad_arguments_name_the_parameter(data, tx, kw, error, match):
    args = {**COLUMNS, "as_of": AS_OF, **kw}
    with pytest.raises(error, match=match):
        link_survey(data, tx, **args)


def test_a_questionnaire_without_a_customer_id_role_says_how_to_name_it(tx):
    q = copy.deepcopy(QUESTIONNAIRE)
    del q["roles"]["customer_id"]
    with pytest.raises(ValueError, match=r"roles: customer_id: <item>\) or pass id_column='<item>'\. Text items: "
                                         r"'cust', 'comment'"):
        link_survey(_read(q), tx, **COLUMNS, as_of=AS_OF)
    with pytest.raises(TypeError, match=r"'data' parameter of link_survey must be a SurveyData"):
        link_survey(tx, tx, **COLUMNS, as_of=AS_OF)


def test_result_renders_pickles_and_uses_snake_case(link):
    assert isinstance(link, CustomerValueLink)
    text = link.summary().as_text()
    assert "300 respondents = 266 linked + 15 no customer id + 3 excluded transactions + 16 no transactions" in text
    assert "<table" in link._repr_html_() and "|" in link.summary().as_markdown()
    assert re.fullmatch(r"<CustomerValueLink n_respondents=300 n_linked=266 n_customers=400 save_list=\d+>",
                        repr(link))
    for frame in (link.to_frame(), link.means, link.tests, link.save_list, link.level_means("layer")):
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", str(c)) for c in frame.columns), list(frame.columns)
    again = pickle.loads(pickle.dumps(link))
    assert again.table.equals(link.table) and again.n_linked == link.n_linked
    with pytest.raises(ValueError, match=r"'segment' parameter of CustomerValueLink.level_means"):
        link.level_means("region")


# ----------------------------------------------------------------------------- the report section

def test_report_section_shows_every_part_with_n_and_method_and_escapes_the_data(data, tmp_path):
    from surveykit.report.book import ReportBook
    from surveykit.report.sections.customer_value import section as value_section

    book = ReportBook(out=tmp_path, language="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warnings become the section's notes, none escapes
        section = value_section(data, book, REF / "value_link_transactions.csv", **COLUMNS, as_of=AS_OF)
    assert section.id == "customer_value" and section.title == "客户价值与满意度"
    headings = [b.heading for b in section.blocks if b.heading]
    assert headings == ["交易数据审计", "问卷与交易的关联", "未关联的受访者", "RFM 分层", "客户生命周期价值（按 RFM 分层）",
                        "ABC 分类", "重复购买率", "满意度与忠诚度（按 RFM 分层）", "满意度与忠诚度（按 ABC 分类）",
                        "挽留名单：高价值、低满意客户"]
    tables = [t for t in book.tables if t.section == "customer_value"]
    assert len(tables) == sum(1 for b in section.blocks if b.table)
    assert all(re.search(r"n = \d+|读取 \d+ 行", t.note) for t in tables), [t.note for t in tables]
    assert any("Welch" in t.note and "R oneway.test" in t.note for t in tables)
    numbers = book.numbers["customer_value"]
    assert numbers["accounting"] == {"respondents": 300, "linked": 266, "no_customer_id": 15,
                                     "excluded_transactions": 3, "no_transactions": 16, "customers": 400,
                                     "customers_linked": 262, "customers_not_surveyed": 138}
    save = next(b for b in section.blocks if b.heading == "挽留名单：高价值、低满意客户")
    assert "<b>" not in save.table and "<script" not in save.table
    assert save.lines[0].startswith("高价值 = A 类客户或 CLV 排名前 20% 的客户；低满意 = 满意度指数低于 60 或 NPS 贬损者")
    assert any("4 customer ids are given by more than one respondent" in n for n in section.notes)
    assert len(book.figure_paths) == 2 * 5 and all(p.exists() for p in book.figure_paths)


def test_report_section_without_transactions_or_when_the_link_fails(data, tx, tmp_path):
    from surveykit.report.book import ReportBook
    from surveykit.report.sections.customer_value import section as value_section

    book = ReportBook(out=tmp_path, language="en")
    assert value_section(data, book, None) is None
    failed = value_section(data, book, tx.assign(customer_id="X" + tx["customer_id"]), **COLUMNS, as_of=AS_OF)
    assert failed.blocks == [] and failed.notes[0].startswith(
        "The customer value analysis could not be completed: link_survey: None of the 300 respondents")
    missing = value_section(data, book, tmp_path / "none.csv", **COLUMNS, as_of=AS_OF)
    assert missing.blocks == [] and "No transactions file" in missing.notes[0]
    assert not book.tables and "customer_value" not in book.numbers
