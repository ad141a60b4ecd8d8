"""The report's structural-model section: the notebook calls' numbers, criteria from the rule set,
stars, the path diagram, and an invariance table for each segment the questionnaire marks."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import surveykit as sk  # noqa: E402
from surveykit.interpretation.rules import DEFAULT_RULES  # noqa: E402
from surveykit.questionnaire.model import Questionnaire  # noqa: E402
from surveykit.report._text import column_names  # noqa: E402
from surveykit.report.book import ReportBook  # noqa: E402
from surveykit.report.sections import ANALYSES, drivers, structural  # noqa: E402

STUDIES = Path(__file__).parent / "studies"


@pytest.fixture(scope="module")
def data(example):
    return example


def build(data, tmp_path, language="zh", rules=None):
    book = ReportBook(out=tmp_path, language=language, column_names=column_names(language), rules=rules)
    return structural.section(data, book), book


@pytest.fixture(scope="module")
def zh(data, tmp_path_factory):
    return build(data, tmp_path_factory.mktemp("zh"))


def tables(book) -> dict:
    return {t.title: t for t in book.tables}


def test_the_section_follows_drivers_and_shows_the_notebooks_numbers(example_value_model, zh):
    assert ANALYSES.index(structural) == ANALYSES.index(drivers) + 1
    section, book = zh
    assert section.id == "structural" and section.title == "结构方程模型"
    vm = example_value_model
    saved = book.numbers["structural"]
    assert saved["fit"] == vm.fit and saved["model"] == vm.sem.model
    np.testing.assert_allclose([p["std_all"] for p in saved["paths"]], vm.paths["std_all"], rtol=0, atol=0)
    assert book.options["structural"] == {"estimator": "ML", "missing": "listwise", "bootstrap": 0, "seed": None,
                                          "weighted": False}
    t = tables(book)
    paths = t["结构路径系数"].frame
    assert list(paths.index) == ["感知利得 → 感知价值", "感知利失 → 感知价值", "感知价值 → 顾客满意度",
                                 "顾客满意度 → 顾客忠诚度"]
    assert (paths["显著性"] == [sk.stars(p) for p in vm.paths["p_value"]]).all()
    assert "* p < .05" in t["结构路径系数"].note
    indirect = t["间接效应（中介效应）"]
    assert "delta 法" in indirect.note and len(indirect.frame) == len(vm.indirect)
    np.testing.assert_allclose(indirect.frame["95% CI 下限"], vm.indirect["ci_low"])
    assert list(t["解释方差 R²"].frame.index) == ["感知价值", "顾客满意度", "顾客忠诚度"]
    assert any(p.name == "structural_model.png" for p in book.figure_paths)


def test_the_fit_table_judges_by_the_reports_rule_set(data, zh, tmp_path):
    _, book = zh
    fit = tables(book)["模型拟合指标"].frame
    cfi = data.value_model().fit["cfi"]
    assert fit.loc["CFI", "判断标准"].startswith(f"≥ {DEFAULT_RULES.cfi_min:g}")
    assert fit.loc["SRMR", "判断标准"] == f"≤ {DEFAULT_RULES.srmr_max:g}"
    assert bool(fit.loc["CFI", "是否达标"]) == (cfi >= DEFAULT_RULES.cfi_min)
    assert "Hu & Bentler, 1999" in tables(book)["模型拟合指标"].note
    strict = sk.RuleSet(cfi_min=0.99, tli_min=0.99, citations={"cfi_min": "Bentler & Bonett, 1980"})
    _, book = build(data, tmp_path, rules=strict)
    fit = tables(book)["模型拟合指标"].frame
    assert fit.loc["CFI", "判断标准"].startswith("≥ 0.99") and not bool(fit.loc["CFI", "是否达标"])
    assert "Bentler & Bonett, 1980" in tables(book)["模型拟合指标"].note


def test_an_invariance_table_for_each_marked_segment(data, zh):
    section, book = zh
    inv = data.invariance("tier", language="zh")
    table = tables(book)["测量等值性：客户等级"].frame
    assert list(table.index) == ["形态等值", "弱等值（载荷）", "强等值（截距）", "严格等值（残差）"]
    np.testing.assert_allclose(table["CFI"], inv.table["cfi"])
    assert book.numbers["structural"]["invariance"]["tier"]["highest"] == inv.highest
    lines = " ".join(line for b in section.blocks for line in b.lines)
    assert "客户等级" in lines and "A类客户 " in lines
    assert "潜均值差异（强等值模型，以 A类客户 为 0）" in tables(book)


def test_english_and_a_study_without_the_chain(data, tmp_path):
    section, book = build(data, tmp_path / "en", language="en")
    assert section.title == "Structural model" and "Model fit" in tables(book)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hotel = sk.read_responses(STUDIES / "hotel_wjx.csv", sk.load_questionnaire(STUDIES / "hotel.yaml"))
    assert build(hotel, tmp_path / "hotel")[0] is None  # no value chain, no segment marked: no section
    q = hotel.questionnaire
    marked = Questionnaire.model_validate({**q.model_dump(exclude={"source"}), "invariance": {"segments": ["gender"]}})
    section, book = build(replace(hotel, questionnaire=marked), tmp_path / "hotel2")
    assert list(tables(book)) == ["测量等值性：您的性别", "潜均值差异（强等值模型，以 男 为 0）"]
    assert section.note is None and not any("value" in n for n in section.notes)  # the chain is absent, not failed
