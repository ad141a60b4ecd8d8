"""Sample profile: every segment's levels with their counts and shares."""

from __future__ import annotations

from ...data import SurveyData
from ...descriptives import profile_segments
from .._text import t
from ..book import Block, ReportBook, Section


def section(data: SurveyData, book: ReportBook) -> Section:
    """The sample profile, each segment named by its question rather than its id."""
    q, lang = data.questionnaire, book.language
    table = profile_segments(data).table.drop(columns=["label"]).reset_index()
    table["segment"] = table["segment"].map(lambda s: q.item(s).text.get(lang))
    html = book.table("profile", t("profile", lang), table.set_index(["segment", "level"]), percent=("share",),
                      note=f"n = {data.n_respondents}")
    return Section(id="profile", title=t("profile", lang), blocks=[Block(table=html)])
