"""Sample profile: every segment's levels with their counts and shares."""

from __future__ import annotations

from ...data import SurveyData
from ...descriptives import effective_n_text, profile_segments
from .._text import t
from ..book import Block, ReportBook, Section


def section(data: SurveyData, book: ReportBook) -> Section:
    """The sample profile, each segment named by its question rather than its id."""
    q, lang = data.questionnaire, book.language
    profile = profile_segments(data)
    table = profile.table.drop(columns=["label"]).reset_index()
    table["segment"] = table["segment"].map(lambda s: q.item(s).text.get(lang))
    note = f"n = {data.n_respondents}" + (
        f"; {t('weighted_note', lang, n_eff=effective_n_text(profile.effective_n))}" if profile.weighted else "")
    html = book.table("profile", t("profile", lang), table.set_index(["segment", "level"]), percent=("share",),
                      note=note)
    return Section(id="profile", title=t("profile", lang), note=note if profile.weighted else None,
                   blocks=[Block(table=html)])
