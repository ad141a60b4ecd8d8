"""分析建议 / 智能分析 / 参考文献 in the report: the same text in report.html, tables.docx and results.json."""

from __future__ import annotations

import html
import json
import warnings

import pandas as pd
import pytest

import surveykit as sk
from surveykit.interpretation import REFERENCES
from surveykit.io.write import write_docx
from surveykit.report import sections as S
from surveykit.report.book import Block, ReportBook, Section
from surveykit.report.build import _write_html
from surveykit.report.export import write_results_json


def _docx_text(path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(path).paragraphs)


@pytest.mark.parametrize("language", ["zh", "en", "both"])
def test_reliability_section_carries_its_interpretation_to_every_output(example, tmp_path, language):
    book = ReportBook(out=tmp_path, language=language)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        section = S.reliability.section(example, book)
    rel = example.reliability(language=language)
    languages = ("zh", "en") if language == "both" else (language,)
    paragraphs = [rel.interpret(L).paragraph for L in languages]
    table = next(t for t in book.tables if t.section == "reliability")
    assert [i.paragraph for i in table.interpretations] == paragraphs
    # report.html: under the table, escaped as any text
    sections = [section, Section(id="references", title="refs", blocks=[Block(lines=sorted(book.references))])]
    page = _write_html(tmp_path, example, language, sections).read_text(encoding="utf-8")
    headings = {"zh": ("分析建议", "智能分析"), "en": ("How to read", "Interpretation"),
                "both": ("分析建议 / How to read", "智能分析 / Interpretation")}[language]
    assert all(f"<h4>{h}</h4>" in page for h in headings)
    for p in paragraphs:
        assert html.escape(p) in page
        assert page.index(html.escape(p)) > page.index(table.html[:200])  # below its table
    for ref in book.references:
        assert html.escape(ref) in page
    # tables.docx: the same paragraphs under the table, the references at the end
    docx = write_docx(book.tables, tmp_path / "t.docx", language=language, references=sorted(book.references),
                      references_heading="参考文献")
    text = _docx_text(docx)
    assert all(p in text for p in paragraphs) and all(h in text for h in headings)
    assert text.rstrip().endswith(sorted(book.references)[-1]) and "参考文献" in text
    # results.json: each interpretation with its table, sentences with criteria and citations
    data = json.loads(write_results_json(book, tmp_path / "r.json", {}).read_text(encoding="utf-8"))
    record = next(t for t in data["tables"] if t["number"] == table.number)
    assert [i["paragraph"] for i in record["interpretation"]] == paragraphs
    assert all(s["citation"] is None or s["citation"].split(";")[0] in (*REFERENCES, "user-set") or " test" in s["citation"]
               for i in record["interpretation"] for s in i["sentences"])
    assert data["references"] == sorted(book.references)
    assert REFERENCES["Nunnally, 1978"] in data["references"]


def test_rules_given_to_the_book_are_applied(example, tmp_path):
    strict = sk.RuleSet(alpha_min=0.99, alpha_borderline=0.98)
    book = ReportBook(out=tmp_path, language="en", rules=strict)
    rel = example.reliability(language="en")
    book.table("reliability", "alpha", rel.to_frame(), interpret=rel)
    text = book.tables[0].texts[1][1][0]
    assert "does not meet the criterion α ≥ 0.99 (user-set)" in text


def test_labelled_results_a_failing_interpreter_and_a_missing_one(tmp_path):
    book = ReportBook(out=tmp_path, language="zh")
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 5, 1], "c": [1, 3, 3, 4, 4, 2]})
    r = sk.reliability(items)
    html_ = book.table("x", "t", items, interpret=[("构念甲", r), ("构念乙", r)])
    paragraphs = book.tables[0].texts[1][1]
    assert paragraphs[0].startswith("构念甲：信度分析") and paragraphs[1].startswith("构念乙：")
    assert "构念乙：" in html_

    class Broken:
        def interpret(self, language, rules):
            raise ValueError("no variance")

    book.table("x", "t2", items, interpret=Broken())
    assert book.tables[1].texts == (("智能分析", ("无法生成（no variance）",)),)  # said, never silent
    with pytest.raises(NotImplementedError, match="BoxResult has no interpreter"):
        book.table("x", "t3", items, interpret=sk.top_box(items.a, scale_min=1, scale_max=5))


def test_the_example_report_ends_with_its_references(example_report):
    out, _, _ = example_report
    page = (out / "report.html").read_text(encoding="utf-8")
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert page.count('class="interp"') >= 6 and '<section id="references">' in page
    assert data["references"] and all(html.escape(r) in page for r in data["references"])
    cited = {c.strip() for t in data["tables"] for i in t["interpretation"] for s in i["sentences"] if s["citation"]
             for c in s["citation"].split(";")}
    assert {REFERENCES[c] for c in cited if c in REFERENCES} <= set(data["references"])  # every source cited is listed
    assert "Hu, L., & Bentler, P. M. (1999)" in " ".join(data["references"])
    text = _docx_text(out / "tables.docx")
    assert all(r in text for r in data["references"])
