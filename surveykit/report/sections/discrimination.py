"""Item analysis (项目分析, the thesis checklist): each item's critical ratio between extreme groups."""

from __future__ import annotations

from ..._caught import caught
from ...data import SurveyData
from ...satisfaction.survey import CR_MIN, DISCRIMINATION_ALPHA, survey_item_discrimination
from .._text import t
from ..book import Block, ReportBook, Section
from .satisfaction import explained


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """The critical ratio of every item of every construct of two or more items; None without one."""
    if not any(len(c.items) >= 2 for c in data.questionnaire.constructs.values()):
        return None
    lang = book.language
    notes: list[str] = []
    r = caught(notes, survey_item_discrimination, data, language="en" if lang == "en" else "zh")
    title = t("discrimination.title", lang)
    if r is None or not r.results:
        return Section(id="discrimination", title=title, notes=list(dict.fromkeys([*notes, *(r.notes if r else ())])))
    labels = {c: r.labels.get(c, c) for c in r.results}
    frame = r.to_frame()
    table = frame[["construct", "label", "n_low", "n_high", "mean_low", "mean_high", "estimate", "cr", "df", "p_value",
                   "discriminates"]].rename(columns={"cr": "critical_ratio", "label": "text"})
    table["construct"] = table["construct"].map(labels)
    table["discriminates"] = table["discriminates"].map({True: t("discrimination.ok", lang),
                                                         False: t("discrimination.not_ok", lang)})
    note = t("discrimination.note", lang, groups=r.groups, cr_min=CR_MIN, alpha=DISCRIMINATION_ALPHA)
    weak = frame.index[~frame["discriminates"]].tolist()
    lines = [note, t("discrimination.weak", lang, items=", ".join(weak)) if weak else t("discrimination.all", lang)]
    html = book.table("discrimination", title, table, note=note, interpret=explained(r))
    book.numbers["discrimination"] = {
        "by": r.by, "groups": r.groups, "cr_min": CR_MIN, "alpha": DISCRIMINATION_ALPHA,
        "items": frame.drop(columns=["label"]).astype(object).where(frame.notna(), None).to_dict(orient="index")}
    return Section(id="discrimination", title=title, note=note, blocks=[Block(lines=lines[1:], table=html)],
                   notes=list(dict.fromkeys([*notes, *r.notes])))
