"""Data audit: where the data came from, every row accounted for, the problems found, missing codes."""

from __future__ import annotations

from ...data import SurveyData
from ...descriptives import effective_n_text
from .._text import t
from ..book import Block, ReportBook, Section


def section(data: SurveyData, book: ReportBook, validation) -> Section:
    """The audit of ``data``; ``validation`` is its :class:`~surveykit.ValidationReport`."""
    q, audit, lang = data.questionnaire, data.audit, book.language
    word = t("audit_fields", lang)
    pairs = [
        (word["questionnaire"], f"{q.id} — {q.title.get(lang)}"),
        (word["file"], audit.source), (word["format"], f"{audit.format} / {audit.layout}"),
        (word["encoding"], audit.encoding or "—"), (word["header_row"], str(audit.header_row)),
        (word["sha256"], audit.sha256 or "—"),
    ]
    if q.weight is not None:  # one weighting for the whole report, stated once here and in each weighted table
        column = repr(q.weight.column)
        pairs.append((word["weights"], word["weights_unused"].format(column=column) if data.weights_ignored else
                      word["weights_used"].format(column=column, n=data.n_respondents,
                                                  n_eff=effective_n_text(data.effective_n))))
    accounting = data.accounting().rename(index=lambda s: _status(s, word))
    policy = _on_error(data, book, validation)  # the policy on invalid data first (issue 16); its table numbered first
    blocks = [*policy, Block(heading=t("source", lang), pairs=pairs),
              Block(heading=t("rows", lang), table=book.table("audit", t("rows", lang), accounting))]
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


def _on_error(data: SurveyData, book: ReportBook, validation) -> list[Block]:
    """The policy on invalid data and how many respondents it excluded, with the problems set aside."""
    lang = book.language
    if data.on_error == "exclude":
        from ...issues import ValidationReport

        codes = ", ".join(dict.fromkeys(i.code for i in data.excluded_issues)) or "—"
        line = t("on_error.exclude", lang, n=data.n_excluded_invalid, codes=codes, used=data.n_respondents)
        blocks = [Block(heading=t("on_error.heading", lang), lines=[line])]
        if data.excluded_issues:
            excluded = ValidationReport(source=data.audit.source, n_rows=data.audit.n_rows_read,
                                        issues=data.excluded_issues).to_frame().drop(columns=["item", "column", "fix"])
            blocks.append(Block(heading=t("on_error.issues", lang),
                                table=book.table("audit", t("on_error.issues", lang), excluded, index=False)))
        return blocks
    if validation.is_valid:
        return [Block(heading=t("on_error.heading", lang), lines=[t("on_error.stop", lang)])]
    return []


def _status(status: str, word: dict) -> str:
    """A row of :meth:`SurveyData.accounting` in the report's language ("excluded: <rule>" keeps the rule)."""
    head, _, rule = status.partition(": ")
    label = word.get(head.replace(" ", "_"), head)
    return f"{label}: {rule}" if rule else label
