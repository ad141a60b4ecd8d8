"""Multi-word and mixed-script theme keywords (issue 16): ``check in``, ``Wi-Fi``, ``5G套餐``, ``双11``.

A theme dictionary may list phrases; the analyzer finds them in the normalized comment before
it is cut (case, width and traditional characters as the rest of the normalization; with or
without the space or hyphen), so they count as one mention and negation reaches them as it
reaches any keyword.
"""

from __future__ import annotations

import pytest

from surveykit.text import TextAnalyzer
from surveykit.text.counts import theme_counts
from surveykit.text.themes import ThemeDictionaryError, load_themes

THEMES = {
    "schema_version": 1, "language": "en",
    "themes": {
        "front_desk": {"name": "Front desk", "keywords": ["check in", "check out", "前台"]},
        "network": {"name": "Network", "keywords": ["Wi-Fi", "信号"], "synonyms": {"无线 网络": "Wi-Fi"}},
        "plan": {"name": "Plan", "keywords": ["5G套餐", "资费"]},
        "promotion": {"name": "Promotion", "keywords": ["双11", "优惠"]},
    },
}


@pytest.fixture(scope="module", params=["jieba", "rjieba"])
def themes(request):
    """The dictionary with each backend: both must find the phrases alike."""
    return load_themes(THEMES)._with_backend(request.param)


def mentions(themes, text: str) -> dict[str, bool]:
    """theme id -> negated, for each theme one comment mentions (explain's rows)."""
    rows = themes.explain(text)
    return {t: bool(neg) for ids, neg in zip(rows["themes"], rows["negated"]) for t in ids.split(", ")}


@pytest.mark.parametrize("text, expected", [
    ("check in很快", {"front_desk": False}),
    ("Check-In 很快", {"front_desk": False}),
    ("ＣＨＥＣＫ ＩＮ很快", {"front_desk": False}),  # full-width, capitals
    ("checkin排队太久", {"front_desk": False}),
    ("wifi信号差", {"network": False}),
    ("WI-FI太慢", {"network": False}),
    ("无线网络经常断", {"network": False}),  # a synonym phrase, written without its space
    ("5G套餐太贵", {"plan": False}),
    ("5g套餐太贵了", {"plan": False}),
    ("双11优惠力度大", {"promotion": False}),
    ("雙11", {"promotion": False}),  # traditional, simplified before matching
])
def test_phrases_match_as_the_text_is_written(themes, text, expected):
    assert mentions(themes, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("check in不快", {"front_desk": True}),
    ("wifi没有信号", {"network": True}),
    ("5G套餐不划算", {"plan": True}),
    ("双11没有优惠", {"promotion": True}),
    ("check in不快，但wifi很好", {"front_desk": True, "network": False}),
])
def test_negation_reaches_phrases(themes, text, expected):
    assert mentions(themes, text) == expected


@pytest.mark.parametrize("text", ["checking the bill", "15G套餐", "双111", "check it in"])
def test_a_phrase_is_not_found_inside_another_word(themes, text):
    assert "front_desk" not in mentions(themes, text) and "plan" not in mentions(themes, text) \
        and "promotion" not in mentions(themes, text)


def test_theme_counts_count_each_respondent_once(themes):
    texts = ["check in很快", "check-in不快", "wifi信号差", "5G套餐太贵", "双11优惠多", "房间干净", None]
    table = theme_counts(texts, themes).table
    assert table.loc["front_desk", ["count", "plain_count", "negated_count"]].tolist() == [2, 1, 1]
    assert table.loc["network", "count"] == 1  # wifi and 信号 in one comment: one respondent
    assert table.loc["plan", "count"] == 1 and table.loc["promotion", "count"] == 1


def test_analyzer_keeps_phrases_whole_with_both_backends():
    words = ["check in", "Wi-Fi", "5G套餐", "双11"]
    texts = ["check in很快", "wifi信号差", "5G套餐太贵", "双11优惠多", "检查 in the room"]
    expected = [["check in", "很快"], ["wi-fi", "信号", "差"], ["5g套餐", "太贵"], ["双11", "优惠", "多"],
                ["检查", "in", "the", "room"]]
    for backend in ("jieba", "rjieba"):
        assert TextAnalyzer(user_words=words, backend=backend).tokenize(texts, drop_stop_words=False) == expected


def test_dictionary_still_refuses_sentences():
    bad = {"schema_version": 1, "themes": {"x": {"name": "x", "keywords": ["good, fast", "!!"]}}}
    with pytest.raises(ThemeDictionaryError) as err:
        load_themes(bad)
    assert [loc for loc, _ in err.value.problems] == ["themes.x.keywords[0]", "themes.x.keywords[1]"]
    assert "'check in'" in err.value.problems[0][1]  # the message shows what a phrase may look like
