"""The example report's interpretations name constructs and items by their questionnaire labels, never by ids.

Each section is built as ``build_report`` builds it (a ReportBook in Chinese); the paragraphs under
the SEM, PLS, IPMA, IPA and item-discrimination tables must contain the Chinese labels and none of
the ids (``perceived_value``, ``sat_1`` ...) the numeric results are indexed by.
"""

from __future__ import annotations

import re
import warnings

import pytest

import surveykit as sk
from surveykit.interpretation import interpret
from surveykit.report import sections as S
from surveykit.report._text import column_names
from surveykit.report.book import ReportBook


@pytest.fixture(scope="module")
def paragraphs(example, tmp_path_factory):
    """result type -> the zh paragraphs under the tables of the structural, PLS, drivers and discrimination sections."""
    out = tmp_path_factory.mktemp("labels")
    book = ReportBook(out=out, language="zh", column_names=column_names("zh"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module in (S.structural, S.pls, S.drivers, S.discrimination):
            module.section(example, book)
    found: dict = {}
    for table in book.tables:
        for i in table.interpretations:
            found.setdefault(i.result_type, []).append(i.paragraph)
    return found


def _ids(example) -> set:
    q = example.questionnaire
    roles = {r for r in q.roles if r not in ("customer_id",)}
    return {*q.constructs, *(i.id for i in q.items), *roles}


def _raw(text: str, ids: set) -> list:
    """The ids found in ``text`` as whole words (an id is ASCII snake_case; CJK text around it is no boundary)."""
    return sorted(i for i in ids if re.search(rf"(?<![A-Za-z0-9_]){re.escape(i)}(?![A-Za-z0-9_])", text))


@pytest.mark.parametrize("kind, labels", [
    ("SEMResult", ["感知利得", "感知利失", "感知价值", "顾客满意度", "顾客忠诚度"]),
    ("PLSResult", ["感知价值", "顾客满意度", "顾客抱怨", "顾客忠诚度"]),
    ("IPMAResult", ["顾客忠诚度", "顾客满意度", "感知价值"]),
    ("IPAResult", ["产品价值", "服务价值", "人员价值", "形象价值", "货币成本"]),
    ("SurveyDiscrimination", ["产品价值", "服务价值", "货币成本", "顾客满意度", "产品功能满足我的需要"]),
])
def test_zh_interpretations_name_labels_not_ids(example, paragraphs, kind, labels):
    assert kind in paragraphs, f"no {kind} interpretation in the report (found {sorted(paragraphs)})"
    text = " ".join(paragraphs[kind])
    assert [label for label in labels if label not in text] == []
    assert _raw(text, _ids(example)) == []


def test_the_numeric_results_still_name_ids_and_labels_need_an_interpreter_that_names(example_value_model):
    vm = example_value_model
    assert "perceived_value → satisfaction" in vm.sem.interpret("zh").paragraph.replace("路径 ", "")
    assert "感知价值 → 顾客满意度" in vm.interpret("zh").paragraph
    with pytest.raises(TypeError, match="takes no 'labels'"):
        interpret(sk.nps([10, 9, 3, 8]), "zh", labels={"x": "y"})


def test_discrimination_names_each_construct_once_per_paragraph(example):
    r = example.item_discrimination(language="en")
    text = r.interpret("en").paragraph
    for construct in r.results:
        assert text.count(f"{r.labels[construct]}: the low group") == 1
