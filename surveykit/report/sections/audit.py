"""Data audit: where the data came from, every row accounted for, the problems found, missing codes."""

from __future__ import annotations

from ...data import SurveyData
from .._text import t
from ..book import Block, ReportBook, Section


def section(data: SurveyData, book: ReportBook, validation) -> Section:
    """The audit of ``data``; ``validation`` is its :class:`~surveykit.ValidationReport`."""
    q, audit, lang = data.questionnaire, data.audit, book.language
    pairs = [
        ("questionnaire", f"{q.id} — {q.title.get(lang)}"),
        ("file", audit.source), ("format / layout", f"{audit.format} / {audit.layout}"),
        ("encoding", audit.encoding or "—"), ("header row", str(audit.header_row)),
        ("sha256", audit.sha256 or "—"),
    ]
    blocks = [Block(heading=t("source", lang), pairs=pairs),
              Block(heading=t("rows", lang), table=book.table("audit", t("rows", lang), data.accounting()))]
    if validation.issues:
        issues = validation.to_frame().drop(columns=["item", "column"])
        blocks.append(Block(heading=t("issues", lang),
                            table=book.table("audit", t("issues", lang), issues, index=False)))
    else:
        blocks.append(Block(heading=t("issues", lang), lines=[t("no_issues", lang)]))
    if len(audit.missing_codes):
        codes = audit.missing_codes.groupby(["code", "label"])["count"].sum().reset_index().set_index("code")
        blocks.append(Block(heading=t("missing", lang), table=book.table("audit", t("missing", lang), codes)))
    return Section(id="audit", title=t("audit", lang), blocks=blocks)
