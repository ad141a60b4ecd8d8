"""Theme dictionaries (surveykit/text/themes.py) and theme counts (surveykit/text/counts.py).

No R reference: these are counts of respondents. The expected codes come from hand-built
comments and from the templates the example study's comments are made of
(surveykit/example/comments.py), decomposed here independently of the coding.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import DataError, QuestionnaireError, SurveykitWarning
from surveykit.example import generate_example
from surveykit.example.comments import ADVERSARIAL, MIXED, NO_THEME, NON_ANSWERS, PHRASES
from surveykit.text import _coding, counts
from surveykit.text.counts import ThemeCounts, theme_counts
from surveykit.text.normalize import is_non_answer
from surveykit.text.themes import (
    DuplicateKeywordWarning,
    ThemeDictionary,
    ThemeDictionaryError,
    bundled_themes,
    load_themes,
)

from _corpus import make_corpus  # benchmarks/_corpus.py
from conftest import ROOT


@pytest.fixture(scope="module")
def value_themes() -> ThemeDictionary:
    return load_themes("customer_value")


@pytest.fixture(scope="module")
def service_themes() -> ThemeDictionary:
    return load_themes("customer_service")


@pytest.fixture(scope="module")
def example_comments() -> pd.Series:
    return generate_example().truth["comment"]


def small(**extra) -> dict:
    """A small dictionary with the keywords the negation examples need (满意, 问题)."""
    raw = {"schema_version": 1, "themes": {
        "price": {"name": {"zh": "价格", "en": "Price"}, "keywords": ["价格", "贵", "便宜", "划算"]},
        "quality": {"name": {"zh": "质量", "en": "Quality"}, "keywords": ["质量", "问题"]},
        "overall": {"name": {"zh": "总体", "en": "Overall"}, "keywords": ["满意"]},
        "logistics": {"name": {"zh": "物流", "en": "Delivery"}, "keywords": ["物流", "到货"],
                      "synonyms": ["快递", "发货"]}}}
    raw.update(extra)
    return raw


@pytest.fixture(scope="module")
def small_themes() -> ThemeDictionary:
    return load_themes(small())


def coded(themes: ThemeDictionary, text: str) -> dict[str, tuple[bool, bool]]:
    """theme -> (mentioned plainly, mentioned negated) for one comment, through theme_counts."""
    m = theme_counts([text], themes, quotes=0).mentions.iloc[0]
    return {t: (bool(m["plain", t]), bool(m["negated", t])) for t in themes.ids if m["any", t]}


# ---------------------------------------------------------------------------------------------
# negation, on hand-built comments

PLAIN, NEG, BOTH = (True, False), (False, True), (True, True)


@pytest.mark.parametrize("text, expected", [
    ("不满意", {"overall": NEG}),
    ("没有问题", {"quality": NEG}),
    ("质量不太好", {"quality": NEG}),  # the negation follows the topic
    ("价格不便宜", {"price": NEG}),
    ("价格不贵，质量好", {"price": NEG, "quality": PLAIN}),  # a clause end stops the negator
    ("价格不贵 质量好", {"price": NEG, "quality": PLAIN}),  # so does white space between Chinese words
    ("价格便宜质量不好", {"price": PLAIN, "quality": NEG}),  # the negator reaches the nearest mention only
    ("物流很快但是不便宜", {"logistics": PLAIN, "price": NEG}),  # a contrastive conjunction ends the reach
    ("涨价太多，不划算", {"price": NEG}),  # 不划算: one token, negator + keyword
    ("质量很好，非常满意", {"quality": PLAIN, "overall": PLAIN}),  # 非常 is not the negator 非
    ("质量不错", {"quality": PLAIN}),  # 不错 is praise, not a negation
    ("太贵了", {"price": PLAIN}),  # degree adverb + one-character keyword, one token
    ("快递第二天就到了", {"logistics": PLAIN}),  # synonym of the first keyword
    ("没收到货", {"logistics": NEG}),
    ("质量not good", {"quality": NEG}),
    ("QUALITY很差", {}),  # no English synonym in this dictionary
    ("價格不貴", {"price": NEG}),  # traditional characters
    ("ＰＲＩＣＥ价格很便宜！", {"price": PLAIN}),  # full-width forms
])
def test_negation_rules(small_themes, text, expected):
    assert coded(small_themes, text) == expected


def test_negation_window_and_custom_negators():
    # window 0: only a negator glued to the keyword (不划算) negates
    narrow = load_themes(small(negation_window=0))
    assert coded(narrow, "价格不便宜") == {"price": PLAIN}
    assert coded(narrow, "很不划算") == {"price": NEG}
    # window 1: 不 two tokens before 满意 no longer reaches it
    one = load_themes(small(negation_window=1))
    assert coded(one, "不是很满意") == {"overall": PLAIN}
    assert coded(load_themes(small()), "不是很满意") == {"overall": NEG}  # default window 3
    # negators replace the defaults
    custom = load_themes(small(negators=["没有"]))
    assert coded(custom, "价格不便宜") == {"price": PLAIN}
    assert coded(custom, "没有问题") == {"quality": NEG}


def test_explain_names_the_negator(small_themes):
    e = small_themes.explain("价格不贵，质量好")
    assert e[["token", "themes", "negated", "negator", "clause"]].values.tolist() == [
        ["价格", "price", True, "不", 0], ["贵", "price", True, "不", 0], ["质量", "quality", False, "", 1]]
    assert small_themes.explain("").empty and small_themes.explain(None).empty


def test_sub_theme_mention_counts_for_its_parent(service_themes):
    r = theme_counts(["退货很麻烦，客服不回复", "电池续航太差", "物流很快"], service_themes, quotes=0)
    m = r.mentions["any"]
    assert m.loc[0, "after_sales"] and m.loc[0, "after_sales.returns"] and not m.loc[0, "after_sales.repair"]
    assert m.loc[0, "service"] and m.loc[0, "service.responsiveness"]
    assert r.mentions["negated"].loc[0, "service.responsiveness"]  # 不回复
    assert m.loc[1, "function"] and m.loc[1, "function.battery"]
    assert m.loc[2, "logistics"] and not m.loc[2, ["logistics.speed", "logistics.courier"]].any()
    assert pd.isna(r.table.loc["function", "parent"]) and r.table.loc["function.battery", "parent"] == "function"


@pytest.mark.parametrize("text, theme", [
    ("价格有点贵", "price"), ("性价比很高", "price.value_for_money"), ("优惠券用不了", "price.promotion"),
    ("做工粗糙", "quality.workmanship"), ("是假货", "quality.authenticity"), ("用了两天就坏了", "quality.durability"),
    ("客服态度很好", "service.attitude"), ("发货太慢", "logistics.speed"), ("快递小哥很热心", "logistics.courier"),
    ("包装盒压坏了", "packaging.damage"), ("退款很快", "after_sales.returns"), ("保修期太短", "after_sales.repair"),
    ("颜色很正", "appearance.colour"), ("外观漂亮", "appearance"), ("续航很长", "function.battery"),
    ("屏幕清晰", "function.sound_display"), ("手感舒服", "experience.comfort"), ("操作方便", "experience.ease_of_use"),
])
def test_general_dictionary_codes_each_theme(service_themes, text, theme):
    hits = coded(service_themes, text)
    assert theme in hits and theme.split(".")[0] in hits


def test_whole_word_beats_compound(service_themes):
    # 售后服务 is a synonym of after-sales: it does not also count as 服务 (service) by its ending
    assert coded(service_themes, "售后服务很好") == {"after_sales": PLAIN}
    # a compound of a negator and a non-keyword is not a negation (无线 = wireless; 耳机 is no keyword)
    assert coded(service_themes, "无线耳机音质好") == {"function": PLAIN, "function.sound_display": PLAIN}


def test_bundled_dictionaries_are_clean():
    for name in ("customer_value", "customer_service"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            d = load_themes(bundled_themes(name))  # a fresh read: warnings are not cached away
            assert d.analyzer is not None  # every word can be cut as one token
        assert all(t.name_zh and t.name_en for t in d.themes)
    d = load_themes("customer_service")
    top = [t.name_zh for t in d.themes if t.parent is None]
    assert top == ["价格", "质量", "服务/客服", "物流", "包装", "售后", "外观", "功能", "体验"]
    assert load_themes("customer_value").ids == ("price", "quality", "service", "logistics", "packaging")


# ---------------------------------------------------------------------------------------------
# the example study's comments, coded with the bundled dictionary


def _phrase_truth() -> dict[str, tuple[str, tuple[bool, bool]]]:
    """phrase -> (theme, (plain, negated)), read off the templates by hand."""
    negated = {"性价比不高": NEG, "价格不便宜": NEG, "涨价太多，不划算": BOTH, "质量不太好": NEG, "质量not good": NEG,
               "客服态度不好": BOTH, "售后没有人管": NEG, "服务不满意": NEG, "发货不及时": NEG}
    out = {}
    for pool in (PHRASES, MIXED):
        for theme, (pos, neg) in pool.items():
            for p in pos + neg:
                out[p] = (theme, negated.get(p, PLAIN))
    return out


def _expected(comment, truth) -> tuple[str, dict]:
    """status and theme -> (plain, negated) of one example comment."""
    if not isinstance(comment, str):
        return "missing", {}
    adversarial = {ADVERSARIAL[0]: "service", ADVERSARIAL[1]: "price", ADVERSARIAL[2]: "logistics",
                   ADVERSARIAL[3]: "service"}
    if comment in adversarial:
        return "matched", {adversarial[comment]: PLAIN}
    if comment in NON_ANSWERS:
        return "non_answer", {}
    if comment in NO_THEME:  # 挺好的 ("it's fine"): an opinion without a theme
        return "unmatched", {}
    found = [p for p in truth if p in comment]
    rest = comment
    for p in sorted(found, key=len, reverse=True):
        rest = rest.replace(p, "")
    assert re.fullmatch(r"[，。； 👍😡]*", rest), (comment, rest)  # the phrases cover the whole comment
    out: dict[str, tuple[bool, bool]] = {}
    for p in found:
        theme, (plain, neg) = truth[p]
        old = out.get(theme, (False, False))
        out[theme] = (old[0] or plain, old[1] or neg)
    return "matched", out


def test_example_comments_are_coded_as_written(value_themes, example_comments):
    truth = _phrase_truth()
    phrases = list(truth)
    assert not [(a, b) for a in phrases for b in phrases if a != b and a in b]  # decomposition is unambiguous
    comments = example_comments
    r = theme_counts(comments, value_themes)
    m = r.mentions
    status = r.status
    wrong = []
    for rid, comment in comments.items():
        kind, want = _expected(None if pd.isna(comment) else comment, truth)
        got = {t: (bool(m.at[rid, ("plain", t)]), bool(m.at[rid, ("negated", t)]))
               for t in value_themes.ids if m.at[rid, ("any", t)]}
        if status[rid] != kind or got != want:
            wrong.append((rid, comment, kind, status[rid], want, got))
    assert not wrong, wrong[:5]
    assert r.unmatched_share == pytest.approx(comments.isin(NO_THEME).sum() / r.n_obs)
    assert (r.table["count"] > 200).all()  # every theme is common in the example
    # the accounting adds up and matches the input
    a = r.accounting
    assert a["read"] == len(comments) == a["missing"] + a["non_answer"] + a["substantive"]
    assert a["substantive"] == a["matched"] + a["unmatched"] == r.n_obs
    assert a["missing"] == comments.isna().sum()


# ---------------------------------------------------------------------------------------------
# counts, weights, segments


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    rows = [("价格太贵了", "a", 1.0), ("价格不便宜，物流很快", "a", 2.0), ("质量很好", "b", 1.5), ("无", "b", 1.0),
            (None, "a", 3.0), ("包装很好看", "b", 0.5), ("物流太慢，价格还行", "c", 1.0), ("价格不贵", None, 2.0),
            ("没有问题", "c", 4.0), ("颜色漂亮 外观大方", "c", 1.0)]
    return pd.DataFrame(rows, columns=["comment", "seg", "w"], index=pd.Index([f"r{i}" for i in range(10)],
                                                                                name="respondent"))


def test_counts_and_shares_by_hand(panel, small_themes):
    r = theme_counts(panel.comment, small_themes)
    t = r.to_frame()
    # substantive: all but None and 无 -> 8; price: r0 r1 r6 r7; negated price: r1 r7; quality: r2 r8 (r8 negated)
    assert r.n_obs == 8 and r.n_dropped == 2
    assert t.loc["price", ["count", "plain_count", "negated_count"]].tolist() == [4, 2, 2]
    assert t.loc["price", "share"] == pytest.approx(4 / 8)
    assert t.loc["quality", ["count", "negated_count"]].tolist() == [2, 1]
    assert t.loc["logistics", "count"] == 2 and t.loc["overall", "count"] == 0
    assert t.loc["price", "name"] == "价格"
    # two comments match nothing; their words are listed, most frequent first
    assert r.accounting.to_dict() == {"read": 10, "missing": 1, "non_answer": 1, "substantive": 8, "matched": 6,
                                      "unmatched": 2}
    assert r.unmatched_share == pytest.approx(2 / 8)
    assert {"包装", "好看", "颜色", "漂亮", "外观"} <= set(r.unmatched_words.index)
    assert r.unmatched_words.is_monotonic_decreasing
    s = r.status
    assert s["r4"] == "missing" and s["r3"] == "non_answer" and s["r5"] == "unmatched" and s["r0"] == "matched"
    # co-occurrence: respondents mentioning both; the diagonal is the count
    co = r.cooccurrence
    assert co.loc["price", "logistics"] == co.loc["logistics", "price"] == 2
    np.testing.assert_array_equal(np.diag(co), t["count"])
    any_ = r.mentions["any"].astype(int)
    np.testing.assert_array_equal(co.to_numpy(), (any_.T @ any_).to_numpy())


def test_language_of_names(small_themes):
    r = theme_counts(["价格太贵了"], load_themes(small(language="en")), quotes=0)
    assert r.to_frame().loc["price", "name"] == "Price"


def test_weights(panel, small_themes):
    r = theme_counts(panel.comment, small_themes, weights=panel.w)
    t = r.to_frame()
    m = r.mentions
    w = panel.w
    substantive = w[r.status.isin(["matched", "unmatched"])].sum()
    for theme in small_themes.ids:
        assert t.loc[theme, "weighted_count"] == pytest.approx(w[m["any", theme]].sum())
        assert t.loc[theme, "weighted_negated_count"] == pytest.approx(w[m["negated", theme]].sum())
        assert t.loc[theme, "weighted_plain_count"] == pytest.approx(w[m["plain", theme]].sum())
        assert t.loc[theme, "weighted_share"] == pytest.approx(w[m["any", theme]].sum() / substantive)
    assert t.loc["price", "weighted_count"] == pytest.approx(1 + 2 + 1 + 2)
    # unit weights give the unweighted numbers
    r1 = theme_counts(panel.comment, small_themes, weights=np.ones(len(panel)))
    np.testing.assert_allclose(r1.table["weighted_count"], r1.table["count"])
    assert "weighted_count" not in theme_counts(panel.comment, small_themes).table


@pytest.mark.parametrize("bad, where", [(0.0, "zero"), (-1.0, "negative"), (np.nan, "missing or infinite")])
def test_bad_weights(panel, small_themes, bad, where):
    w = panel.w.to_numpy().copy()
    w[3] = bad
    with pytest.raises(DataError, match=rf"{where} in 1 row \(first rows: 'r3'\)"):
        theme_counts(panel.comment, small_themes, weights=w)
    with pytest.raises(ValueError, match="9 values but there are 10 answers"):
        theme_counts(panel.comment, small_themes, weights=np.ones(9))
    with pytest.raises(ValueError, match="index differs"):
        theme_counts(panel.comment, small_themes, weights=panel.w.reset_index(drop=True))


def test_by_segment(panel, small_themes):
    r = theme_counts(panel.comment, small_themes, by=panel.seg, weights=panel.w)
    b = r.by_segment
    assert list(b.index.names) == ["segment", "theme"]
    assert list(b.index.get_level_values("segment").unique()) == ["a", "b", "c"]
    assert r.n_no_segment == 1 and r.segment == "seg"
    # a: r0 r1 (r4 missing) -> 2 substantive, price 2 (1 negated); c: r6 r8 r9 -> 3 substantive
    assert b.loc[("a", "price"), ["n_substantive", "count", "negated_count"]].tolist() == [2, 2, 1]
    assert b.loc[("c", "price"), "share"] == pytest.approx(1 / 3)
    assert b.loc[("b", "price"), "count"] == 0
    # segments add up to the total, less the respondent without a segment (r7: price, negated)
    total = b.groupby(level="theme", sort=False)[["count", "negated_count", "weighted_count"]].sum()
    t = r.table
    assert (total.loc["price", ["count", "negated_count"]] == t.loc["price", ["count", "negated_count"]] - 1).all()
    assert total.loc["price", "weighted_count"] == pytest.approx(t.loc["price", "weighted_count"] - 2.0)
    wide = r.segment_table("share")
    assert list(wide.index) == list(small_themes.ids) and list(wide.columns) == ["a", "b", "c"]
    assert wide.loc["price", "a"] == 1.0
    with pytest.raises(ValueError, match="'stat' parameter of ThemeCounts.segment_table"):
        r.segment_table("mean")
    with pytest.raises(ValueError, match="needs segments"):
        theme_counts(panel.comment, small_themes).segment_table()


def test_by_segment_keeps_categorical_levels_and_rejects_misaligned(panel, small_themes):
    seg = pd.Series(pd.Categorical(panel.seg, categories=["c", "b", "a", "empty"]), index=panel.index)
    r = theme_counts(panel.comment, small_themes, by=seg, quotes=0)
    assert list(r.segment_table().columns) == ["c", "b", "a", "empty"]
    assert r.by_segment.loc[("empty", "price"), "n_substantive"] == 0
    assert np.isnan(r.by_segment.loc[("empty", "price"), "share"])
    with pytest.raises(ValueError, match="index differs"):
        theme_counts(panel.comment, small_themes, by=panel.seg.reset_index(drop=True))
    with pytest.raises(ValueError, match="'by' parameter of theme_counts has 3 values"):
        theme_counts(panel.comment, small_themes, by=["a", "b", "c"])


def test_by_counts_segments_without_coding_again(panel, small_themes, monkeypatch):
    whole = theme_counts(panel.comment, small_themes, weights=panel.w)
    direct = theme_counts(panel.comment, small_themes, by=panel.seg, weights=panel.w)
    monkeypatch.setattr(counts, "code_distinct", None)  # no coding from here on
    split = whole.by(panel.seg)
    pd.testing.assert_frame_equal(split.by_segment, direct.by_segment)
    assert split.n_no_segment == direct.n_no_segment == 1 and split.segment == "seg"
    pd.testing.assert_frame_equal(split.segment_table("weighted_share"), direct.segment_table("weighted_share"))
    pd.testing.assert_frame_equal(split.table, whole.table)
    assert whole.by_segment is None and whole.segment is None  # a new result; the first is as it was
    seg = pd.Categorical(panel.seg, categories=["c", "b", "a", "empty"])
    assert list(whole.by(seg).segment_table().columns) == ["c", "b", "a", "empty"]
    with pytest.raises(ValueError, match="'by' parameter of ThemeCounts.by is a Series whose index differs"):
        whole.by(panel.seg.reset_index(drop=True))


def test_repeated_comments_are_counted_per_respondent(small_themes):
    texts = ["价格太贵了"] * 500 + ["价格不贵"] * 300 + ["无"] * 200
    r = theme_counts(texts, small_themes, by=np.repeat(["x", "y"], 500))
    assert r.table.loc["price", ["count", "plain_count", "negated_count"]].tolist() == [800, 500, 300]
    assert r.by_segment.loc[("y", "price"), ["n_substantive", "count", "negated_count"]].tolist() == [300, 300, 300]
    assert r._flags.shape[0] == 3  # three distinct comments coded


# ---------------------------------------------------------------------------------------------
# quotes


def test_quotes_are_deterministic_and_on_theme(value_themes, example_comments):
    comments = example_comments
    r1 = theme_counts(comments, value_themes, quotes=2)
    r2 = theme_counts(comments.sample(frac=1.0, random_state=1), value_themes, quotes=2)
    q = r1.quotes
    assert list(q.columns) == ["theme", "polarity", "rank", "respondent", "count", "text"]
    assert q.groupby(["theme", "polarity"]).size().max() == 2
    assert set(q.polarity) == {"plain", "negated"}
    assert set(q.theme) == set(value_themes.ids)
    for _, row in q.iterrows():  # each quote mentions its theme with its polarity, and is the respondent's own text
        e = value_themes.explain(row.text)
        hits = e[e.themes.str.split(", ").map(lambda ids, theme=row.theme: theme in ids)]
        assert (hits.negated.any() if row.polarity == "negated" else not hits.negated.any()), row.text
        assert comments[row.respondent] == row.text
        assert row["count"] == (comments == row.text).sum()
    # the same quotes whatever the row order (apart from which respondent wrote them first)
    cols = ["theme", "polarity", "rank", "text"]
    pd.testing.assert_frame_equal(q[cols], r2.quotes[cols])
    assert theme_counts(comments, value_themes, quotes=0).quotes.empty
    # the most frequent focused comment comes first
    top = q[(q.theme == "packaging") & (q.polarity == "plain")].iloc[0]
    packaging = comments[r1.mentions["plain", "packaging"] & (r1.mentions["any"].sum(axis=1) == 1)]
    assert top["count"] == packaging.value_counts().max()


# ---------------------------------------------------------------------------------------------
# bad input


def test_bad_cells_are_accounted_for(small_themes):
    long = "价格太贵了，质量很好。" * 1000  # 11,000 characters
    cells = [np.nan, None, pd.NA, 5, 3.2, True, "", "   ", "。", "👍👍", "无", "没有了", "nothing", "N/A",
             "价格太贵了 👍", long, "<script>alert(1)</script>质量很差", '=HYPERLINK("http://x","价格太贵")',
             "+86 物流很快", "@快递 太慢", "ｑｕａｌｉｔｙ质量好", "the product arrived", "😀😀价格不贵😀"]
    r = theme_counts(pd.Series(cells, dtype=object), small_themes)
    a = r.accounting
    assert a["read"] == len(cells) == a["missing"] + a["non_answer"] + a["substantive"]
    assert a["missing"] == 6 and r.n_not_text == 3  # NaN, None, NA; 5, 3.2, True
    assert a["non_answer"] == 8  # "", "   ", "。", "👍👍", 无, 没有了, nothing, N/A
    assert a["substantive"] == 9 and a["unmatched"] == 1  # "the product arrived"
    st = r.status
    assert list(st.iloc[:6]) == ["missing"] * 6 and list(st.iloc[6:14]) == ["non_answer"] * 8
    m = r.mentions["any"]
    assert m.loc[15, "price"] and m.loc[15, "quality"]  # the long comment
    assert m.loc[16, "quality"] and not m.loc[16].drop("quality").any()  # markup is not text
    assert m.loc[17, "price"]  # the formula shows its quoted text
    assert m.loc[18, "logistics"] and m.loc[19, "logistics"]
    assert r.mentions["negated"].loc[22, "price"]
    assert {"product", "arrived"} <= set(r.unmatched_words.index)
    assert not any(re.fullmatch(r"[\W\d_]+", w) for w in r.unmatched_words.index)  # no punctuation, digits, emoji
    # the long comment is quoted whole, and cut only when rendered
    assert long in set(r.quotes.text)
    assert "…" in r.summary().as_text() and long not in r.summary().as_text()


def test_no_substantive_answer(small_themes):
    r = theme_counts([None, "无", np.nan], small_themes)
    assert r.n_obs == 0 and (r.table["count"] == 0).all() and r.table["share"].isna().all()
    assert np.isnan(r.unmatched_share)
    assert "0 substantive" in r.summary().as_text()
    with pytest.raises(DataError, match="No comments to count"):
        theme_counts([], small_themes)


def test_bad_arguments(small_themes):
    with pytest.raises(ValueError, match="'quotes' parameter of theme_counts must be a whole number"):
        theme_counts(["价格"], small_themes, quotes=-1)
    with pytest.raises(ValueError, match="'quotes' parameter"):
        theme_counts(["价格"], small_themes, quotes=True)
    with pytest.raises(ValueError, match="'progress' parameter of theme_counts"):
        theme_counts(["价格"], small_themes, progress="yes")
    with pytest.raises(TypeError, match="'themes' parameter of theme_counts"):
        theme_counts(["价格"], 3)
    with pytest.raises(ValueError, match="one column"):
        theme_counts(pd.DataFrame({"a": ["x"], "b": ["y"]}), small_themes)
    r = theme_counts(["价格太贵了"], small_themes)
    with pytest.raises(ValueError, match="'method' parameter of ThemeCounts.keywords"):
        r.keywords(method="lda")
    with pytest.raises(ValueError, match="'top' parameter"):
        r.keywords(top=0)


def test_progress_bar(small_themes, capsys):
    r = theme_counts(["价格太贵了", "物流很快"], small_themes, progress=True)
    assert r.n_obs == 2
    assert "theme_counts" in capsys.readouterr().err


def test_progress_bar_shows_by_default_on_long_runs(small_themes, capsys, monkeypatch):
    monkeypatch.setattr(counts, "_PROGRESS_MIN", 3)  # 100,000 distinct comments in real use
    theme_counts(["价格太贵了", "物流很快"], small_themes)
    assert "theme_counts" not in capsys.readouterr().err
    theme_counts(["价格太贵了", "物流很快", "质量好"], small_themes)
    assert "theme_counts" in capsys.readouterr().err
    theme_counts(["价格太贵了", "物流很快", "质量好"], small_themes, progress=False)
    assert "theme_counts" not in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# the fast paths: batches of comments coded at once, in worker processes; the same counts as the rules


@pytest.fixture(scope="module")
def varied() -> list:
    """Generated comments of every kind (benchmarks/_corpus.py), the example study's phrases, bad cells."""
    texts = make_corpus(6000, seed=99)
    texts += [p for pool in (PHRASES, MIXED) for ws in pool.values() for part in ws for p in part]
    texts += list(NON_ANSWERS) + list(ADVERSARIAL)
    texts += ["价格 不贵", "not good 质量", " =SUM(A1)", "\u3000价格不贵\u3000质量 好", " \u3000=HYPERLINK(\"x\",\"贵\")",
              "<a 价格>贵", "价格\x1c不贵", "没有意见", "不满意", "没有问题", "无无无", "没有了，谢谢", "", None, 3.5,
              "  无  ", "\u3000无", "无 \u3000", "\t没有 意见", "没有\x1c", " 没 有 ", "<p>无</p> 价格", "＜b 无＞没有"]
    return texts


_SPACE_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")  # as _coding.py marks clause ends first


def _rules(themes: ThemeDictionary, texts: list, mult) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Flags, status and unmatched words of distinct texts the slow way: explain()'s scan of each comment
    (tokens cut one comment at a time, normalized twice: for the tokens and for the non-answer test)."""
    m, analyzer = _coding.matcher(themes), themes.analyzer
    flags = np.zeros((len(texts), len(themes.themes)), dtype=np.uint8)
    status = np.zeros(len(texts), dtype=np.int8)
    stop = {w.lower() for w in (*themes.negators, *themes.negated_forms, *themes.stop_words)}
    words: dict[str, int] = {}
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            continue
        tokens = analyzer._tokens(_SPACE_BREAK.sub("。", text) if not text.isascii() else text, False)
        bits = m.code(tokens)
        if (bits is None or len(text) <= 24) and is_non_answer(text):
            status[i] = 1
            continue
        status[i] = 2
        for j, b in (bits or {}).items():
            flags[i, j] = b
        if bits is None:
            for w in {w.lower() for w in analyzer.drop_stop_words(tokens)}:
                if re.search(r"[^\W\d_]", w) and w not in stop and not (len(w) == 1 and w.isascii()):
                    words[w] = words.get(w, 0) + int(mult[i])
    ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
    return flags, status, pd.Series(dict(ranked), dtype=np.int64)


def test_batch_coding_equals_the_rules_comment_by_comment(varied, service_themes):
    """theme_counts cuts and codes thousands of comments per call (_coding.BatchCoder, one dict look-up per token,
    normalized once for tokens and non-answers); explain() scans one comment at a time (_coding.Matcher.scan)."""
    r = theme_counts(varied, service_themes, quotes=0, n_jobs=1)
    flags, status, words = _rules(service_themes, r._distinct, np.bincount(r._codes[r._codes >= 0]))
    assert (flags & 2).any(axis=1).sum() > 1000 and (flags == 3).any() and (status == 1).sum() > 20  # not vacuous
    np.testing.assert_array_equal(r._distinct_status, status)
    np.testing.assert_array_equal(r._flags, flags)
    assert r.unmatched_words.to_dict() == words.to_dict() and len(words) > 50


def test_worker_processes_give_the_serial_result(varied, service_themes, monkeypatch, tmp_path):
    monkeypatch.setattr(_coding, "_PARALLEL_MIN", 1000)  # 20,000 distinct comments in real use
    monkeypatch.setattr(_coding, "_CHUNK", 900)
    monkeypatch.setattr(_coding, "_CHUNK_MIN", 400)
    chunk = _coding.code_chunk

    def spy(*args):  # runs in the worker: leaves its process id behind
        (tmp_path / f"pid{os.getpid()}").touch()
        return chunk(*args)

    monkeypatch.setattr(_coding, "code_chunk", spy)
    rng = np.random.default_rng(3)
    texts = pd.Series([varied[i] for i in rng.integers(len(varied), size=12_000)],
                      index=pd.Index([f"r{i}" for i in range(12_000)], name="respondent"))
    seg, w = rng.choice(["a", "b", "c"], size=len(texts)), rng.uniform(0.5, 2.0, size=len(texts))
    one = theme_counts(texts, service_themes, by=seg, weights=w, n_jobs=1)
    assert {p.name for p in tmp_path.iterdir()} == {f"pid{os.getpid()}"}
    for p in tmp_path.iterdir():
        p.unlink()
    again = theme_counts(texts, service_themes, by=seg, weights=w, n_jobs=2)
    assert not list(tmp_path.iterdir())  # the same comments again: their codes are remembered, nothing is coded
    pd.testing.assert_frame_equal(one.table, again.table, check_exact=True)
    service_themes._cache.pop("last_coded")
    two = theme_counts(texts, service_themes, by=seg, weights=w, n_jobs=2)
    assert len({p.name for p in tmp_path.iterdir()} - {f"pid{os.getpid()}"}) == 2  # two workers coded
    for a, b in [(one.table, two.table), (one.by_segment, two.by_segment), (one.cooccurrence, two.cooccurrence),
                 (one.quotes, two.quotes), (one.mentions, two.mentions)]:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    pd.testing.assert_series_equal(one.unmatched_words, two.unmatched_words)
    pd.testing.assert_series_equal(one.accounting, two.accounting)
    assert _coding.processes(None, 10**6) == min(2, len(os.sched_getaffinity(0)))  # auto: two where there are two
    assert _coding.processes(None, 999) == _coding.processes(4, 999) == 1  # too few to pay
    assert _coding.processes(None, 999, 10**6) == min(2, len(os.sched_getaffinity(0)))  # ... unless long
    with pytest.raises(ValueError, match="'n_jobs' parameter of theme_counts must be a whole number of processes"):
        theme_counts(["价格"], service_themes, n_jobs=0)
    with pytest.raises(ValueError, match="'n_jobs' parameter"):
        theme_counts(["价格"], service_themes, n_jobs=1.5)


def test_spawned_worker_processes_from_an_interactive_session():
    """As on macOS and Windows (no fork), from a notebook (the code is no file: python -c): worker processes are
    spawned, each builds its own tokenizer from the pickled dictionary; the counts are the same."""
    code = ("import types, pandas as pd\n"
            f"import sys; sys.path.append({str(ROOT / 'benchmarks')!r})\n"
            "from surveykit.text import _coding, counts\n"
            "from _corpus import make_corpus\n"
            "_coding._PARALLEL_MIN, _coding._CHUNK, _coding._CHUNK_MIN = 200, 300, 200\n"
            "_coding.sys = types.SimpleNamespace(platform='darwin')\n"
            "assert _coding.processes(None, 10**6) == 1 and _coding.processes(2, 10**6) == 2  # auto: none without fork\n"
            "texts = make_corpus(1200, seed=5)\n"
            "one = counts.theme_counts(texts, 'customer_value', n_jobs=1)\n"
            "two = counts.theme_counts(texts, 'customer_value', n_jobs=2)\n"
            "pd.testing.assert_frame_equal(one.table, two.table)\n"
            "pd.testing.assert_frame_equal(one.quotes, two.quotes)\n"
            "assert (one._flags == two._flags).all() and one.unmatched_words.equals(two.unmatched_words)\n"
            "print('same', one.table['count'].sum())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=False)
    assert out.returncode == 0 and out.stdout.startswith("same"), out.stderr[-2000:]
    assert int(out.stdout.split()[1]) > 700


def test_rjieba_counts_equal_jiebas(varied, service_themes):
    """The fast tokenizer gives the counts the reference one gives (token identity: test_text_tokenize.py)."""
    texts = varied[:2500] + varied[-120:]
    a = theme_counts(texts, service_themes._with_backend("rjieba"), n_jobs=1)
    b = theme_counts(texts, service_themes._with_backend("jieba"), n_jobs=1)
    assert a.themes.analyzer.backend == "rjieba" and b.themes.analyzer.backend == "jieba"
    np.testing.assert_array_equal(a._flags, b._flags)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    pd.testing.assert_series_equal(a.unmatched_words, b.unmatched_words)
    assert a.table["negated_count"].sum() > 200


def test_cooccurrence_over_theme_combinations():
    rng = np.random.default_rng(1)
    anyf = rng.random((5000, 70)) < 0.05  # more themes than a 64-bit mask holds
    mult = rng.integers(1, 50, size=5000)
    want = anyf.T.astype(np.int64) @ (anyf * mult[:, None]).astype(np.int64)
    np.testing.assert_array_equal(counts._cooccurrence(anyf, mult), want)
    np.testing.assert_array_equal(counts._count(mult, anyf), mult @ anyf)


def test_space_marks_clause_ends_as_before():
    """mark_breaks (a white-space search first, then the look-around pattern) marks as the plain pattern did."""
    from surveykit.text._coding import mark_breaks, mark_breaks_many

    plain = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
    texts = make_corpus(3000, seed=4) + ["a \u3000b", "中 \u3000 a", "\u3000\u3000=x", " 中", "a  b", "中\t\n文",
                                         "x\u3000\u3000y", "\u3000", " \u3000 ", "very good 好"]
    want = [plain.sub("。", t) if not t.isascii() else t for t in texts]
    assert [mark_breaks(t) for t in texts] == want
    # a chunk of comments is marked in one pass over them joined by NUL: the same, whatever their order
    rng = np.random.default_rng(4)
    for _ in range(20):
        order = rng.permutation(len(texts))[:300]
        assert mark_breaks_many([texts[i] for i in order]) == [want[i] for i in order]
    assert mark_breaks_many(["中 \x00 文", "好 a"]) == ["中。\x00。文", "好。a"]


# ---------------------------------------------------------------------------------------------
# theme files


def write(tmp_path, text: str, name: str = "themes.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_empty_theme_is_an_error_with_its_location(tmp_path):
    p = write(tmp_path, "schema_version: 1\nthemes:\n  price:\n    name: 价格\n    keywords: [价格]\n"
                        "  quality:\n    name: 质量\n    keywords: []\n")
    with pytest.raises(ThemeDictionaryError) as err:
        load_themes(p)
    msg = "theme 'quality' has no keywords and no sub-themes; list the words that mark it, or remove it"
    assert err.value.problems == [("themes.quality.keywords", msg)]
    assert str(p) in str(err.value) and "problem in the theme dictionary" in str(err.value)
    assert isinstance(err.value, QuestionnaireError) and isinstance(err.value, ValueError)


def test_every_problem_is_reported_at_once():
    raw = {"schema_version": 2, "langauge": "zh", "negation_window": -1, "negators": ["不", ""],
           "themes": {"price": {"name": "价格", "keywords": ["价格", "very cheap!"], "synonyms": {"价钱": "价位"}},
                      "2nd": {"name": "x", "keywords": ["x"]},
                      "svc": {"keywords": ["客服"], "colour": "red",
                              "sub_themes": {"staff": {"name": "人员", "keywords": ["人员"],
                                                       "sub_themes": {"deep": {"name": "d", "keywords": ["d"]}}},
                                             "empty": {"name": "空"}}}}}
    with pytest.raises(ThemeDictionaryError) as err:
        load_themes(raw)
    where = dict(err.value.problems)
    assert set(where) == {"schema_version", "langauge", "negation_window", "negators[1]",
                          "themes.price.keywords[1]", "themes.price.synonyms.价钱", "themes.2nd", "themes.svc.colour",
                          "themes.svc.name", "themes.svc.sub_themes.staff.sub_themes",
                          "themes.svc.sub_themes.empty.keywords"}
    assert "'价位' is not a keyword of theme 'price'" in where["themes.price.synonyms.价钱"]
    assert "theme 'svc.empty' has no keywords" in where["themes.svc.sub_themes.empty.keywords"]
    assert "one level deep" in where["themes.svc.sub_themes.staff.sub_themes"]
    assert "<dict>: 11 problems" in str(err.value)


def test_structure_errors(tmp_path):
    with pytest.raises(ThemeDictionaryError, match="themes: required key is missing"):
        load_themes({"schema_version": 1})
    with pytest.raises(ThemeDictionaryError, match="must hold a mapping"):
        load_themes(write(tmp_path, "- a\n- b\n"))
    with pytest.raises(ThemeDictionaryError, match="tags such as !!python"):
        load_themes(write(tmp_path, "schema_version: !!python/object/apply:os.system ['echo hi']\n"))
    with pytest.raises(ThemeDictionaryError, match="found the key 'price' twice"):
        load_themes(write(tmp_path, "schema_version: 1\nthemes:\n  price: {name: a, keywords: [a]}\n"
                                    "  price: {name: b, keywords: [b]}\n"))
    with pytest.raises(FileNotFoundError, match="not found"):
        load_themes(tmp_path / "none.yaml")
    with pytest.raises(TypeError, match="'source' parameter of load_themes"):
        load_themes(42)


def test_unknown_bundled_name_lists_the_shipped_ones():
    with pytest.raises(FileNotFoundError) as err:
        load_themes("customer_servce")
    assert "No bundled theme dictionary 'customer_servce'" in str(err.value)
    assert "'customer_service', 'customer_value'" in str(err.value)


def test_duplicate_keyword_warns_and_counts_for_both(tmp_path):
    p = write(tmp_path, "schema_version: 1\nthemes:\n  price: {name: 价格, keywords: [价格, 贵]}\n"
                        "  quality:\n    name: 质量\n    keywords: [质量]\n    synonyms: {贵: 质量}\n")
    with pytest.warns(DuplicateKeywordWarning, match=r"'贵' in 'price' and 'quality'") as rec:
        d = load_themes(p)
    assert issubclass(rec[0].category, SurveykitWarning)
    assert coded(d, "太贵了") == {"price": PLAIN, "quality": PLAIN}


def test_synonym_list_maps_to_the_first_keyword_and_yaml_file_round_trip(tmp_path):
    p = write(tmp_path, "schema_version: 1\nlanguage: en\nstop_words: [亲]\nuser_words: [客服态度]\n"
                        "themes:\n  delivery:\n    name: {zh: 物流, en: Delivery}\n    keywords: [物流, 到货]\n"
                        "    synonyms: [快递, 发货]\n")
    d = load_themes(p)
    assert d["delivery"].synonyms == (("快递", "物流"), ("发货", "物流"))
    assert d.source == str(p) and d.name == "themes" and d.language == "en"
    assert coded(d, "快递很快") == {"delivery": PLAIN}
    r = theme_counts(["亲，客服态度真好", "快递很快"], d)
    assert "亲" not in r.unmatched_words.index and "客服态度" in r.unmatched_words.index
    assert r.to_frame().loc["delivery", "name"] == "Delivery"


# ---------------------------------------------------------------------------------------------
# keywords by segment, with a private extractor


def test_keywords_use_own_extractor(panel):
    import jieba
    import jieba.analyse

    d = load_themes(small(user_words=["客服态度"]))
    texts = ["客服态度很差，客服态度需要改进", "客服态度一般", "物流很快，包装结实", "物流很快"] * 3
    r = theme_counts(texts, d, by=["x", "x", "y", "y"] * 3)
    for method in ("tfidf", "textrank"):
        kw = r.keywords(method=method, top=3)
        assert list(kw.index.names) == ["segment", "rank"] and list(kw.columns) == ["word", "weight"]
        assert set(kw.index.get_level_values("segment")) == {"x", "y"}
        assert kw.loc[("x", 1), "word"] == "客服态度"  # the user word stays whole: the analyzer's dictionary
        assert kw.groupby(level="segment").size().max() <= 3
    overall = r.keywords(by=np.zeros(len(texts)), top=5)
    assert set(overall.index.get_level_values("segment")) == {0.0}
    # jieba's global extractor and tokenizer are untouched
    assert jieba.analyse.default_tfidf.tokenizer is jieba.dt
    assert "客服态度" not in jieba.dt.FREQ or not jieba.dt.initialized


# ---------------------------------------------------------------------------------------------
# conventions shared by result objects


def test_result_conventions(panel, small_themes):
    r = theme_counts(panel.comment, small_themes, by=panel.seg, weights=panel.w)
    assert isinstance(r, ThemeCounts)
    text = r.summary().as_text()
    assert "10 comments read: 1 missing, 1 non-answers, 8 substantive" in text
    assert "Share by seg" in text and "Quotes" in text
    assert "<h4>" in r._repr_html_() and "###" in r.summary().as_markdown()
    assert "\n" not in repr(r) and repr(r).startswith("<ThemeCounts name='comment' themes=4")
    for frame in (r.to_frame(), r.by_segment, r.quotes):
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in frame.columns)
    back = pickle.loads(pickle.dumps(r))
    pd.testing.assert_frame_equal(back.to_frame(), r.to_frame())
    pd.testing.assert_frame_equal(back.mentions, r.mentions)
    d = pickle.loads(pickle.dumps(small_themes))
    assert d == small_themes and coded(d, "价格不贵") == {"price": NEG}
    assert "\n" not in repr(small_themes) and "Theme dictionary" in small_themes.summary().as_text()
    assert list(small_themes.to_frame().columns) == ["name_zh", "name_en", "parent", "keywords", "synonyms"]
    with pytest.raises(KeyError, match="No theme 'nope'"):
        small_themes["nope"]
