"""The report: self-contained, escaped, and complete for the example study."""

from __future__ import annotations

import copy
import json
import re
import warnings

import pytest

import surveykit as sk
from conftest import SMALL, SMALL_CSV, write_csv
from surveykit.cli import main
from surveykit.report import build_report


@pytest.fixture
def hostile(tmp_path):
    raw = copy.deepcopy(SMALL)
    raw["title"] = {"zh": "<script>alert('title')</script>满意度"}
    raw["items"][0]["text"] = {"zh": "<img src=x onerror=alert(1)>质量"}
    q = sk.load_questionnaire(raw)
    csv = SMALL_CSV.replace("2,280,非常满意", "2,280,<b>很满意</b>")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(write_csv(tmp_path / "h.csv", csv), q)


def test_report_escapes_questionnaire_text_and_answers(hostile, tmp_path):
    out = build_report(hostile, tmp_path / "r", progress=False)
    html = out.html.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html and "<b>很满意</b>" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;满意度" in html
    assert "&lt;b&gt;很满意&lt;/b&gt;" in html  # shown, as text, in the problems table


def test_report_is_self_contained(hostile, tmp_path):
    out = build_report(hostile, tmp_path / "r", progress=False)
    html = out.html.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert html.count("data:image/png;base64,") == len([p for p in out.figures if p.suffix == ".png"]) >= 1
    assert all(p.is_file() for p in out.figures)
    results = json.loads(out.results_json.read_text(encoding="utf-8"))
    assert results["n_respondents"] == 5 and results["data"]["sha256"] == hostile.audit.sha256


def test_report_language_option(hostile, tmp_path):
    with pytest.raises(ValueError, match="'language' parameter of build_report"):
        build_report(hostile, tmp_path / "r", language="fr", progress=False)
    html = build_report(hostile, tmp_path / "en", language="en", progress=False).html.read_text(encoding="utf-8")
    assert "Data audit" in html and 'lang="en"' in html


def test_report_without_data_runs_the_example_study(example_report):
    out, printed, caught = example_report
    assert [w for w in caught if "missing from" in w] == []
    assert "report.html" in printed and "tables.xlsx" in printed
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "顾客感知价值与满意度调查" in html and "1500" in html
    for section in ("数据审计", "样本概况", "题项描述统计", "信度与效度", "验证性因子分析与效度", "探索性因子分析"):
        assert section in html
    for table in ("HTMT", "Fornell-Larcker", "KMO = 0.", "cfi", "sqrt_ave", "communality"):
        assert table in html
    assert html.index('id="reliability"') < html.index('id="factor"')  # the order journals use
    figures = {p.stem for p in (out / "figures").glob("*.png")}
    assert {"item_total", "scree", "loadings"} <= figures and len(figures) >= 13
    summary = json.loads((out / "results.json").read_text(encoding="utf-8"))["sections"]["psychometrics"]
    assert summary["validity"]["fit"]["df"] > 0 and 0.5 < summary["factor_analysis"]["kmo"] < 1
    assert (out / "example_data" / "responses_wjx.xlsx").is_file()


def test_example_command_writes_every_file(tmp_path, capsys):
    assert main(["example", "--out", str(tmp_path / "ex"), "--format", "json"]) == 0
    paths = json.loads(capsys.readouterr().out)
    assert set(paths) == {"questionnaire", "themes", "wjx", "qualtrics", "sav", "transactions"}
    assert main(["validate", paths["wjx"], "-q", paths["questionnaire"]]) == 0
