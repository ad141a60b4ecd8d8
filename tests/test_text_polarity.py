"""Polarity of theme mentions (surveykit/text/polarity.py): lexicon, negation, degree words, counts, report, CLI."""

from __future__ import annotations

import argparse
import copy
import json
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.text.counts import theme_counts
from surveykit.text.polarity import ACCURACY, comment_scores, load_lexicon, polarity_note
from surveykit.text.themes import bundled_themes, load_themes

matplotlib.use("Agg")

THEMES = "customer_value"


def polarity(text: str, theme: str) -> str:
    """The polarity of one comment's mention of ``theme``, as ThemeCounts reports it."""
    r = theme_counts([text], THEMES, quotes=0, n_jobs=1)
    row = r.table.loc[theme]
    assert row["count"] == 1, f"{text!r} does not mention {theme!r}"
    return next(p for p in ("positive", "negative", "neutral") if row[f"{p}_count"] == 1)


def test_the_lexicon_is_read_from_the_packages_data_files():
    lex = load_lexicon()
    assert len(lex.words) > 30_000 and len(lex.degree) > 200
    assert lex.words["满意"] == 1.0 and lex.words["失望"] == -1.0 and lex.words["贵"] == -1.0
    assert "卫生" not in lex.words and "价格" not in lex.words  # theme nouns carry no sentiment
    assert lex.degree["非常"] > lex.degree["比较"] > 1 > lex.degree["有点"]
    assert any("HowNet" in s for s in lex.sources) and any("BosonNLP" in s for s in lex.sources)
    assert "excellent" in lex.words and lex.words["terrible"] < 0  # VADER's English words


@pytest.mark.parametrize("text, theme, expected", [
    ("质量很好", "quality", "positive"),
    ("质量不好", "quality", "negative"),  # a negated form: one token
    ("质量不是很好", "quality", "negative"),  # negator before degree: weakly negative
    ("价格太贵了", "price", "negative"),
    ("价格不贵", "price", "positive"),  # negation flips a negative word
    ("客服没有问题", "service", "positive"),
    ("客服很满意", "service", "positive"),
    ("客服不满意", "service", "negative"),
    ("很满意的服务", "service", "positive"),  # sentiment before the only mention
    ("质量一般", "quality", "neutral"),  # no sentiment word
    ("价格", "price", "neutral"),
])
def test_negation_flips_and_plain_words_keep_their_sign(text, theme, expected):
    assert polarity(text, theme) == expected


def test_each_sentiment_word_goes_to_the_mention_it_comments_on():
    r = theme_counts(["价格便宜质量不好", "价格不贵，质量很差", "物流很快但是客服态度很差"], THEMES, quotes=0, n_jobs=1)
    t = r.table
    assert t.at["price", "positive_count"] == 2 and t.at["price", "negative_count"] == 0
    assert t.at["quality", "negative_count"] == 2 and t.at["quality", "positive_count"] == 0
    assert t.at["logistics", "positive_count"] == 1 and t.at["service", "negative_count"] == 1


def test_degree_words_weigh_and_a_negator_before_them_weakens():
    # the sum decides: "非常好" (+2) outweighs "有点贵" (-0.8) in one clause of the same theme
    s = comment_scores(["质量好", "质量非常好", "质量有点好", "质量很不好", "质量不太好", "质量太不好"], THEMES)
    good, very, bit, very_not, not_very, too_not = s
    assert very > good > bit > 0
    assert very_not < not_very < 0 and too_not < not_very  # 不太好 is weakly negative, 很不好 / 太不好 strongly
    assert not_very == pytest.approx(-0.5)
    assert polarity("价格非常便宜，只是价格有点贵", "price") == "positive"  # 2 - 0.8 (two clauses, one theme)
    assert polarity("价格有点便宜，价格非常贵", "price") == "negative"


def test_english_comments_use_vader_words():
    assert polarity("quality is great", "quality") == "positive"
    assert polarity("quality is not good", "quality") == "negative"
    assert polarity("the quality", "quality") == "neutral"


def test_polarity_counts_add_up_overall_and_by_segment():
    rng = np.random.default_rng(5)
    pool = ["价格太贵了", "价格便宜", "质量很好", "质量不太好", "客服态度很差", "客服很耐心", "物流一般", "物流很快，包装破损",
            "价格不贵，质量也不错", "无", None, "还可以"]
    texts = [pool[i] for i in rng.integers(len(pool), size=600)]
    seg = rng.choice(["north", "south", "west"], size=600)
    w = rng.uniform(0.5, 2.0, size=600)
    r = theme_counts(texts, THEMES, weights=w, quotes=0, n_jobs=1)
    t = r.table
    assert (t["positive_count"] + t["negative_count"] + t["neutral_count"] == t["count"]).all()
    np.testing.assert_allclose(t["weighted_positive_count"] + t["weighted_negative_count"]
                               + t["weighted_neutral_count"], t["weighted_count"], rtol=1e-12)
    assert t.at["price", "negative_count"] > 0 and t.at["price", "positive_count"] > 0
    b = r.by(seg).by_segment
    for col in ("count", "positive_count", "negative_count", "neutral_count"):
        summed = b[col].groupby(level="theme").sum().reindex(t.index)
        assert (summed == t[col]).all(), col
    np.testing.assert_allclose(b["weighted_negative_count"].groupby(level="theme").sum().reindex(t.index),
                               t["weighted_negative_count"], rtol=1e-12)
    # the same counts when counted by segment from the start, and from the respondents' own booleans
    direct = theme_counts(texts, THEMES, by=seg, weights=w, quotes=0, n_jobs=1)
    pd.testing.assert_frame_equal(direct.by_segment, b)
    m = r.mentions
    assert (m["negative"].sum() == t["negative_count"]).all() and not (m["positive"] & m["negative"]).any().any()
    assert ((m["positive"] | m["negative"] | m["neutral"]) == m["any"]).all().all()


def test_non_answers_and_unmentioned_themes_have_no_polarity():
    r = theme_counts(["无", "没有", "好评", "价格太贵"], THEMES, quotes=0, n_jobs=1)
    assert r.table["positive_count"].sum() == 0 and r.table["negative_count"].sum() == 1
    assert r.table.at["quality", "neutral_count"] == 0


def test_worker_processes_give_the_same_polarity(monkeypatch):
    from surveykit.text import _coding

    monkeypatch.setattr(_coding, "_PARALLEL_MIN", 100)
    monkeypatch.setattr(_coding, "_CHUNK", 150)
    monkeypatch.setattr(_coding, "_CHUNK_MIN", 100)
    texts = [f"价格{'太贵' if i % 3 else '便宜'}了，质量{'不' * (i % 2)}好，编号{i}" for i in range(1200)]
    themes = load_themes(bundled_themes(THEMES))  # a fresh dictionary: nothing remembered
    one = theme_counts(texts, themes, quotes=0, n_jobs=1)
    themes._cache.pop("last_coded")
    two = theme_counts(texts, themes, quotes=0, n_jobs=2)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert one.table.at["price", "negative_count"] == 800 and one.table.at["quality", "negative_count"] == 600


def test_the_note_states_the_measured_accuracy():
    a = ACCURACY
    assert a["accuracy"] > a["baseline_accuracy"] and a["macro_f1"] > a["baseline_macro_f1"]
    en, zh = polarity_note("en"), polarity_note("zh")
    assert f"accuracy {a['accuracy']:.1%}" in en and f"准确率 {a['accuracy']:.1%}" in zh
    assert "SnowNLP" in en and "SnowNLP" in zh


# ---------------------------------------------------------------------------------------------
# survey layer, report, figure, CLI


def test_report_theme_table_has_polarity_columns_and_figure(tmp_path):
    from surveykit.report.book import ReportBook
    from surveykit.report.sections.themes import section

    data = sk.example_data()
    book = ReportBook(out=tmp_path, language="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sec = section(data, book)
    counts = book.tables[0]
    assert {"正面", "负面", "中性"} <= set(counts.frame.columns)
    f = sk.survey_themes(data)["comment"]
    table = f.counts.table
    by_name = {t.name("zh"): i for i, t in zip(table.index, f.counts.themes)}
    for name, row in counts.frame.iterrows():
        theme = by_name[name]
        assert row["负面"] == table.at[theme, "negative_count"] and row["正面"] == table.at[theme, "positive_count"]
    assert "情感倾向" in counts.note and "准确率" in counts.note
    assert any(p.name == "themes_comment_polarity.png" or "polarity" in p.name for p in book.figure_paths)
    numbers = book.numbers["themes"]["comment"]["themes"]
    assert "negative_count" in numbers.columns
    assert sec.blocks[0].figures


def test_plot_theme_polarity_diverges_around_zero():
    from surveykit.plotting import plot_theme_polarity

    r = theme_counts(["价格太贵了", "价格便宜", "价格太贵", "价格", "质量很好"], THEMES, quotes=0, n_jobs=1)
    ax = plot_theme_polarity(r, language="en")
    neg, neutral, pos = ax.containers
    ids = list(r.table.index)
    i = ids.index("price")
    assert neg[i].get_width() == pytest.approx(-0.5) and pos[i].get_width() == pytest.approx(0.25)
    assert neutral[i].get_x() == pytest.approx(-0.125) and neg[i].get_x() == pytest.approx(-0.125)
    assert pos[ids.index("quality")].get_width() == pytest.approx(1.0)
    assert any("4 mentioners" in label.get_text().replace("\n", " ") for label in ax.get_yticklabels())
    with pytest.raises(ValueError, match="'weighted' parameter of plot_theme_polarity"):
        plot_theme_polarity(r, weighted=True)
    matplotlib.pyplot.close("all")


@pytest.fixture
def cli_files(tmp_path):
    from conftest import SMALL, write_csv

    q = copy.deepcopy(SMALL)
    q["open_text"] = [{"item": "comment", "themes": str(bundled_themes(THEMES))}]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(q, allow_unicode=True), encoding="utf-8")
    rows = [(1, 300, 5, 4, 4, 2, 1, "物流很快"), (2, 280, 2, 2, 3, 4, 2, "价格太贵了，质量不太好"),
            (3, 320, 4, 4, 4, 2, 1, "价格便宜"), (4, 290, 3, 3, 3, 3, 2, "无"),
            (5, 310, 2, 2, 1, 5, 1, "客服态度不好"), (6, 305, 4, 5, 4, 1, 2, "价格太贵")]
    lines = ["id,seconds,q1,q2,q3,q4,gender,comment"] + [",".join(map(str, r)) for r in rows]
    return write_csv(tmp_path / "export.csv", "\n".join(lines) + "\n"), path


def _themes_cli(argv) -> int:
    from surveykit.cli.themes import add_parser, run

    parser = argparse.ArgumentParser(prog="surveykit")
    add_parser(parser.add_subparsers(dest="command"))
    return run(parser.parse_args(["themes", *argv]))


def test_cli_json_csv_and_text_carry_the_polarity(cli_files, capsys):
    data, q = cli_files
    assert _themes_cli([str(data), "-q", str(q), "--format", "json"]) == 0
    f = json.loads(capsys.readouterr().out)["fields"]["comment"]
    price = {t["theme"]: t for t in f["themes"]}["price"]
    assert (price["count"], price["negative_count"], price["positive_count"], price["neutral_count"]) == (3, 2, 1, 0)
    seg = pd.DataFrame(f["by_segment"]["gender"])
    assert seg.groupby("theme")["negative_count"].sum()["price"] == 2
    assert _themes_cli([str(data), "-q", str(q), "--format", "csv"]) == 0
    import io

    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    overall = frame[frame["segment"] == "(overall)"].set_index("theme")
    assert overall.at["quality", "negative_count"] == 1 and overall.at["logistics", "positive_count"] == 1
    assert _themes_cli([str(data), "-q", str(q)]) == 0
    out = capsys.readouterr().out
    assert "价格: 3 mentions, 2 negative, 1 positive" in out and "negative_count" in out
