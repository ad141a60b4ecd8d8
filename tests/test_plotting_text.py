"""Figures of open-comment themes: what a reader sees matches the theme counts and the comparisons."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from conftest import draw_chinese
from test_text_survey import COLUMNS, REF, REF_Q

import surveykit as sk
from surveykit.plotting import cjk_font_family, cjk_font_path
from surveykit.plotting.text import NEGATED_COLOR, PLAIN_COLOR, plot_cooccurrence, plot_theme_satisfaction, plot_themes
from surveykit.plotting.wordcloud import MissingGlyphWarning, plot_wordcloud
from surveykit.text.counts import theme_counts
from surveykit.text.survey import survey_themes

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def result():
    frame = pd.read_csv(REF / "text_mentions_input.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.read_responses(frame[COLUMNS], sk.load_questionnaire(REF_Q))
    return survey_themes(data)  # weighted, by region


@pytest.fixture(scope="module")
def field(result):
    return result["comment"]


def _yticks(ax):
    return [t.get_text() for _, t in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda p: -p[0])]


def _draw_all(result, language="zh"):
    f = result["comment"]
    return [plot_themes(f, language=language), plot_themes(f, by="region", language=language),
            plot_cooccurrence(f, language=language), plot_theme_satisfaction(result, language=language),
            plot_wordcloud({"物流": 30, "价格": 20, "客服态度": 12, "包装": 5}, language=language)]


# ----------------------------------------------------------------------------- common behaviour

@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_chinese_renders_without_missing_glyphs(case, request, tmp_path, result, caplog):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    axes, complaints = draw_chinese(lambda: _draw_all(result), tmp_path, caplog, "评论主题 −1 ≤ x")
    assert complaints == []
    assert all((tmp_path / f"f{i}.png").stat().st_size > 10_000 for i in range(len(axes)))
    labels = [t for ax in axes[:4] for t in (*ax.get_yticklabels(), ax.xaxis.label)]
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in labels)


@pytest.mark.parametrize("draw", [lambda r, ax: plot_themes(r["comment"], ax=ax),
                                  lambda r, ax: plot_themes(r["comment"], by="region", ax=ax),
                                  lambda r, ax: plot_cooccurrence(r["comment"], ax=ax),
                                  lambda r, ax: plot_theme_satisfaction(r, ax=ax),
                                  lambda r, ax: plot_wordcloud({"物流": 3, "价格": 2}, ax=ax)],
                         ids=["themes", "themes_by", "cooccurrence", "satisfaction", "wordcloud"])
def test_uses_the_axes_given_or_makes_one(draw, result):
    fig, ax = plt.subplots()
    assert draw(result, ax) is ax
    new = draw(result, None)
    assert isinstance(new, Axes) and new.figure is not fig


def test_plotting_leaves_rcparams_unchanged(result):
    before = dict(matplotlib.rcParams)
    _draw_all(result, language="en")
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda r: plot_themes(r["comment"], language="fr"),
     r"The 'language' parameter of plot_themes must be one of 'zh', 'en'. Got 'fr' instead."),
    (lambda r: plot_themes(r["comment"].counts.table), r"'counts' parameter of plot_themes must be a ThemeCounts"),
    (lambda r: plot_themes(r["comment"], by="城市"),
     r"The 'by' parameter of plot_themes must be one of 'region'. Got '城市' instead."),
    (lambda r: plot_themes(r["comment"].counts, by="region"), r"the counts have no segments.*theme_counts"),
    (lambda r: plot_themes(theme_counts(["价格贵"], "customer_value"), weighted=True), r"counts are not weighted"),
    (lambda r: plot_cooccurrence(r["comment"], value="percent"), r"'value' parameter of plot_cooccurrence"),
    (lambda r: plot_theme_satisfaction(r["comment"].counts), r"'result' parameter of plot_theme_satisfaction must"),
    (lambda r: plot_theme_satisfaction(r, measure="loyalty_index"),
     r"The 'measure' parameter of plot_theme_satisfaction must be one of 'satisfaction_index', 'nps'"),
    (lambda r: plot_theme_satisfaction(r, polarity="negated"), r"'polarity' parameter .* 'any', 'split'"),
    (lambda r: plot_theme_satisfaction(r, field="remark"), r"'field' parameter .* one of 'comment'"),
    (lambda r: plot_wordcloud([("物流", 3)]), r"'words' parameter of plot_wordcloud must be a ThemeCounts"),
    (lambda r: plot_wordcloud({}), r"no word with a positive frequency"),
    (lambda r: plot_wordcloud({"物流": "多"}), r"1 word\(s\) to values that are not numbers \(first: '物流' -> '多'\)"),
    (lambda r: plot_wordcloud(pd.DataFrame({"term": ["物流"], "n": [3]})), r"without the columns 'word' and 'weight'"),
    (lambda r: plot_wordcloud({"物流": 3}, max_words=0), r"'max_words' parameter of plot_wordcloud"),
    (lambda r: plot_wordcloud({"物流": 3}, source="all"), r"'source' parameter of plot_wordcloud"),
    (lambda r: plot_wordcloud(theme_counts(["价格贵", "物流快"], "customer_value"), source="unmatched"),
     r"no word with a positive frequency.*source='keywords'"),
])
def test_bad_input_says_what_where_and_how_to_fix(call, match, result):
    with pytest.raises(ValueError, match=match):
        call(result)


def test_theme_satisfaction_without_a_comparison_says_why(result):
    import dataclasses

    f = dataclasses.replace(result["comment"], comparison=None, notes=("no 'satisfaction' role",))
    with pytest.raises(ValueError, match=r"has no comparison of mentioners and non-mentioners.*no 'satisfaction'"):
        plot_theme_satisfaction(f)


# ----------------------------------------------------------------------------- theme bars

def test_theme_bars_are_the_shares_with_negated_mentions_stacked(field):
    ax = plot_themes(field)
    t = field.counts.table
    plain, negated = ax.containers
    share = t["weighted_share"].to_numpy()  # the counts are weighted: so are the bars by default
    neg = share * t["weighted_negated_count"].to_numpy() / t["weighted_count"].to_numpy()
    np.testing.assert_allclose([b.get_width() for b in negated], neg)
    np.testing.assert_allclose([b.get_width() + c.get_width() for b, c in zip(plain, negated)], share)
    np.testing.assert_allclose([c.get_x() for c in negated], [b.get_width() for b in plain])  # stacked
    assert {to_hex(b.get_facecolor()) for b in plain} == {to_hex(PLAIN_COLOR)}
    assert {to_hex(b.get_facecolor()) for b in negated} == {to_hex(NEGATED_COLOR)}
    assert _yticks(ax) == ["价格", "质量", "服务/客服", "物流", "包装"]  # dictionary order, top down
    labels = [x.get_text() for x in ax.texts if x.get_gid() == "theme_share"]
    assert labels == [f"  {100 * s:.0f}% ({n:,})" for s, n in zip(share, t["count"])]
    assert ax.get_xlabel() == f"提及该主题的受访者占有效回答的比例（n = {field.n_obs:,}）"
    assert [x.get_text() for x in ax.get_legend().get_texts()][1].startswith("否定提及")


def test_theme_bars_unweighted_without_negation_and_sorted():
    counts = theme_counts(["价格太贵了", "价格不便宜", "物流很快", "质量不太好", "价格实惠", "无", None],
                          "customer_value")
    ax = plot_themes(counts, negated=False, sort=True, language="en")
    (bars,) = ax.containers
    assert _yticks(ax)[:3] == ["Price", "Quality", "Delivery"]  # 3 of 5, then 1 and 1 in dictionary order
    assert [round(b.get_width(), 6) for b in bars][:3] == [0.6, 0.2, 0.2]
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["Mentioned"]


def test_theme_bars_by_segment_show_each_levels_share(field):
    ax = plot_themes(field, by="region", negated=True)
    seg = field.segments["region"]
    share = seg.segment_table("weighted_share")
    n = seg.segment_table("n_substantive").iloc[0]
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend == [f"{lvl} (n={int(n[lvl]):,})" for lvl in share.columns] + ["否定提及"]
    # per level: a plain and a hatched negated container, adding up to the level's share of each theme
    assert len(ax.containers) == 2 * len(share.columns)
    for j, level in enumerate(share.columns):
        plain, neg = ax.containers[2 * j], ax.containers[2 * j + 1]
        np.testing.assert_allclose([a.get_width() + b.get_width() for a, b in zip(plain, neg)], share[level])
        assert all(b.get_hatch() for b in neg)
    assert ax.get_xlabel() == "提及该主题的受访者占该群体有效回答的比例"


# ----------------------------------------------------------------------------- co-occurrence

def test_cooccurrence_shows_pairs_and_greys_the_diagonal(field):
    ax = plot_cooccurrence(field)
    image = ax.images[0].get_array()
    m = field.counts.cooccurrence.to_numpy()
    assert image.mask.diagonal().all() and not image.mask[~np.eye(5, dtype=bool)].any()
    np.testing.assert_array_equal(image.data[~np.eye(5, dtype=bool)], m[~np.eye(5, dtype=bool)])
    assert ax.images[0].norm.vmax == m[~np.eye(5, dtype=bool)].max()  # the scale is the pairs'
    diagonal = [x.get_text() for x in ax.texts if x.get_gid() == "cooccurrence_diagonal"]
    assert diagonal == [f"{v:,}" for v in np.diag(m)]
    assert [x.get_text() for x in ax.get_xticklabels()] == ["价格", "质量", "服务/客服", "物流", "包装"]
    ax = plot_cooccurrence(field, value="share", language="en")
    np.testing.assert_allclose(ax.images[0].get_array().data, m / field.n_obs)
    assert [x.get_text() for x in ax.get_yticklabels()][0] == "Price"


# ----------------------------------------------------------------------------- mentioners vs non-mentioners

def test_theme_satisfaction_points_are_the_group_means_with_their_intervals(result, field):
    ax = plot_theme_satisfaction(result)
    rows = field.comparison.loc["satisfaction_index"].xs("any", level="polarity")
    mentioners, others = ax.containers
    for container, prefix in ((mentioners, "mentioners"), (others, "non_mentioners")):
        points, _, (bars,) = container.lines
        np.testing.assert_allclose(points.get_xdata(), rows[prefix])
        ends = np.array([[s[0][0], s[1][0]] for s in bars.get_segments()])
        np.testing.assert_allclose(ends, rows[[f"{prefix}_ci_low", f"{prefix}_ci_high"]].to_numpy())
    diffs = [x.get_text() for x in ax.texts if x.get_gid() == "theme_difference"]
    assert diffs == [f"{d:+.1f}" for d in rows["difference"]]
    ps = [x.get_text() for x in ax.texts if x.get_gid() == "theme_p"]
    assert ps == [("p<0.001" if p < 0.001 else f"p={p:.3f}") + sk.stars(p) for p in rows["p_value"]]  # + the stars
    assert _yticks(ax)[0] == f"价格\n(n={rows['n_mentioners'].iloc[0]:,})"
    assert ax.get_xlabel() == "顾客满意度指数（0-100）（95% 置信区间）"
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["提及者", "未提及者"]


def test_theme_satisfaction_split_by_negation_and_on_nps(field):
    ax = plot_theme_satisfaction(field, polarity="split", measure="nps", language="en")
    cmp = field.comparison.loc["nps"]
    plain, negated, others = ax.containers
    np.testing.assert_allclose(negated.lines[0].get_xdata(), cmp.xs("negated", level="polarity")["mentioners"])
    # packaging has too few negated mentions: its plain point is all its mentioners
    want = [cmp.loc[(t, "plain" if (t, "plain") in cmp.index else "any"), "mentioners"]
            for t in ("price", "quality", "service", "logistics", "packaging")]
    np.testing.assert_allclose(plain.lines[0].get_xdata(), want)
    assert len(others.lines[0].get_xdata()) == 5
    assert ax.get_xlabel() == "NPS (95% CI)"
    negated_y = negated.lines[0].get_ydata()
    assert all(negated_y < plain.lines[0].get_ydata()[:4])  # each theme's negated point under its plain point


# ----------------------------------------------------------------------------- word cloud

def test_wordcloud_draws_with_the_cjk_font_and_a_fixed_seed(monkeypatch):
    import wordcloud

    used = {}
    original = wordcloud.WordCloud

    class Spy(original):
        def __init__(self, **kwargs):
            used.update(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(wordcloud, "WordCloud", Spy)
    freqs = {"物流": 30, "价格": 22, "客服态度": 15, "性价比": 9, "包装": 12, "good": 4}
    a = plot_wordcloud(freqs, seed=3, width=400, height=240).images[0].get_array()
    assert used["font_path"] == cjk_font_path() and used["random_state"] == 3
    b = plot_wordcloud(freqs, seed=3, width=400, height=240).images[0].get_array()
    c = plot_wordcloud(freqs, seed=4, width=400, height=240).images[0].get_array()
    assert a.shape == (240, 400, 3)
    np.testing.assert_array_equal(a, b)  # same seed, same picture
    assert (a != c).any()
    assert (a < 200).any()  # ink on the white ground


def test_wordcloud_leaves_out_words_the_font_cannot_draw():
    with pytest.warns(MissingGlyphWarning, match=r"1 word\(s\) left out.*'👍'"):
        ax = plot_wordcloud({"物流": 3, "👍": 5, "价格": 2}, width=300, height=200)
    assert ax.images[0].get_gid() == "wordcloud" and not ax.axison


def test_wordcloud_from_keywords_and_unmatched_words(field):
    kw = field.counts.keywords(top=20)
    ax = plot_wordcloud(kw, width=300, height=200)  # the frame of keywords()
    assert ax.images[0].get_array().shape == (200, 300, 3)
    ax = plot_wordcloud(field, source="unmatched", width=300, height=200)
    assert ax.images[0].get_array().shape == (200, 300, 3)
