"""Figures of indices by group: the NPS bars and the index by segment match the NPS and index results."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from conftest import draw_chinese

import surveykit as sk
from surveykit.plotting import cjk_font_family
from surveykit.plotting.indices import NPS_COLORS, plot_indices, plot_nps

matplotlib.use("Agg")

REGIONS = ["华东", "华南", "西部地区客户（含新疆、西藏、青海等偏远省份）"]


@pytest.fixture(scope="module")
def ix():
    return sk.example_data().indices()  # a few seconds: once for the module


@pytest.fixture(scope="module")
def by_region():
    rng = np.random.default_rng(11)
    return {REGIONS[0]: sk.nps(rng.integers(0, 11, 300)), REGIONS[1]: sk.nps(rng.integers(4, 11, 200)),
            REGIONS[2]: sk.nps(rng.integers(6, 11, 80))}


def _rows(ax):
    """Bar patches grouped by row, top row first, each row left to right."""
    rows = {}
    for p in ax.patches:
        rows.setdefault(round(p.get_y() + p.get_height() / 2, 9), []).append(p)
    return [sorted(rows[y], key=lambda p: p.get_x()) for y in sorted(rows, reverse=True)]


def _texts(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid]


def _yticks(ax):
    """Tick labels, top to bottom."""
    return [t.get_text() for _, t in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda p: -p[0])]


def _draw_all(ix, by_region, language="zh"):
    return [plot_nps(by_region, language=language),
            plot_indices(ix, "satisfaction_index", language=language)]


# ----------------------------------------------------------------------------- common behaviour

@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_chinese_renders_without_missing_glyphs(case, request, tmp_path, ix, by_region, caplog):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    axes, complaints = draw_chinese(lambda: _draw_all(ix, by_region), tmp_path, caplog, "分群比较 −1 ≤ x")
    assert complaints == []
    assert all((tmp_path / f"f{i}.png").stat().st_size > 10_000 for i in range(2))
    labels = [*axes[0].get_yticklabels(), *axes[1].get_yticklabels()]
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in labels)


@pytest.mark.parametrize("draw", [lambda ix, nps, ax: plot_nps(nps, ax=ax),
                                  lambda ix, nps, ax: plot_indices(ix, "nps", segment="tier", ax=ax)],
                         ids=["nps", "indices"])
def test_uses_the_axes_given_or_makes_one(draw, ix, by_region):
    fig, ax = plt.subplots()
    assert draw(ix, by_region, ax) is ax
    assert fig.axes[0] is ax
    new = draw(ix, by_region, None)
    assert isinstance(new, Axes) and new.figure is not fig


def test_plotting_leaves_rcparams_unchanged(ix, by_region):
    before = dict(matplotlib.rcParams)
    _draw_all(ix, by_region, language="en")
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda ix, nps: plot_nps(nps, language="fr"),
     r"The 'language' parameter of plot_nps must be one of 'zh', 'en'. Got 'fr' instead."),
    (lambda ix, nps: plot_nps([1, 2]), r"'results' parameter of plot_nps must be an NPSResult or a mapping"),
    (lambda ix, nps: plot_nps({}), r"'results' parameter of plot_nps is an empty mapping"),
    (lambda ix, nps: plot_nps({**nps, "华北": 12.5}), r"1 of 4 entries are not \(first: '华北' -> float\)"),
    (lambda ix, nps: plot_nps(SimpleNamespace(promoters=0.5, passives=0.5, detractors=0.5, score=0)),
     r"sum to 1; 1 do not .*sums to 1.5"),
    (lambda ix, nps: plot_nps(nps, annotate_min=2), r"'annotate_min' parameter of plot_nps"),
    (lambda ix, nps: plot_indices(ix, "npss"),
     r"The 'index' parameter of plot_indices must be one of 'satisfaction_index', .*'nps'.*Got 'npss' instead."),
    (lambda ix, nps: plot_indices(ix, "nps", segment="城市"),
     (r"The 'segment' parameter of plot_indices must be one of 'gender', 'age_band', 'region', 'tier', 'tenure'. "
      r"Got '城市' instead.")),
    (lambda ix, nps: plot_indices(ix.table, "nps"),
     r"'indices' parameter of plot_indices must have a 'table' attribute.*SurveyData.indices"),
    (lambda ix, nps: plot_indices(ix, "nps", reference="mean"),
     r"'reference' parameter of plot_indices must be 'overall', a finite number or None. Got 'mean'"),
    (lambda ix, nps: plot_indices(SimpleNamespace(table=ix.table.drop(columns="ci_high")), "nps"),
     r"'ci_high' is missing"),
])
def test_bad_input_says_what_where_and_how_to_fix(call, match, ix, by_region):
    with pytest.raises(ValueError, match=match):
        call(ix, by_region)


# ----------------------------------------------------------------------------- NPS

def test_nps_bars_are_the_shares_of_each_group_in_order(by_region):
    ax = plot_nps(by_region)
    rows = _rows(ax)
    assert len(rows) == len(by_region) and all(len(r) == 3 for r in rows)
    for row, result in zip(rows, by_region.values()):
        assert row[0].get_x() == 0
        assert [p.get_width() for p in row] == pytest.approx([result.detractors, result.passives, result.promoters])
        assert sum(p.get_width() for p in row) == pytest.approx(1)  # the bar is the whole base
        assert row[-1].get_x() + row[-1].get_width() == pytest.approx(1)
        assert [to_hex(p.get_facecolor()) for p in row] == [to_hex(c) for c in NPS_COLORS]
    assert _yticks(ax)[:2] == REGIONS[:2]
    assert _yticks(ax)[2].replace("\n", "") == REGIONS[2]  # long label wrapped, not cut
    # the score column: the NPS rounded to a whole number with its sign, and n
    assert [t.get_text() for t in _texts(ax, "nps_score")] == [f"{round(r.score):+d}" for r in by_region.values()]
    assert [t.get_text() for t in _texts(ax, "nps_n")] == [f"{r.n_obs:,}" for r in by_region.values()]
    shares = {t.get_text() for t in ax.texts if t.get_text().endswith("%")}
    first = next(iter(by_region.values()))
    assert f"{100 * first.detractors:.0f}%" in shares
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["贬损者（0-6 分）", "中立者（7-8 分）", "推荐者（9-10 分）"]


def test_nps_single_result_english_and_without_score():
    r = sk.nps(np.r_[np.full(30, 10), np.full(20, 8), np.full(50, 3)])
    ax = plot_nps(r, language="en", show_score=False)
    assert len(ax.patches) == 3 and _yticks(ax) == ["Overall"]
    assert _texts(ax, "nps_score") == [] and _texts(ax, "nps_n") == []
    assert ax.get_xlim() == (0, 1)
    assert sorted(t.get_text() for t in ax.texts) == ["20%", "30%", "50%"]
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "Detractors (0-6)"


def test_nps_rounds_half_away_from_zero_and_marks_empty_groups():
    def result(score, shares=(0.2, 0.3, 0.5), n=40):
        return SimpleNamespace(detractors=shares[0], passives=shares[1], promoters=shares[2], score=score, n_obs=n)

    nan = (np.nan, np.nan, np.nan)
    ax = plot_nps({"a": result(12.5), "b": result(-0.4), "c": result(-7.5), "d": result(np.nan, nan, 0)})
    assert [t.get_text() for t in _texts(ax, "nps_score")] == ["+13", "0", "-8", "n/a"]
    assert len(_texts(ax, "nps_na")) == 1  # the empty bar says so
    assert sum(p.get_width() for p in _rows(ax)[3]) == 0


# ----------------------------------------------------------------------------- indices

def test_indices_by_one_segment_show_each_level_with_its_interval(ix):
    ax = plot_indices(ix, "satisfaction_index", segment="region")
    t = ix.table
    rows = t[(t["index"] == "satisfaction_index") & (t["segment"] == "region")]
    overall = t[(t["index"] == "satisfaction_index") & (t["segment"] == "(overall)")].iloc[0]
    points, caps, (bars,) = ax.containers[0].lines
    assert len(points.get_xdata()) == len(rows) == 6
    np.testing.assert_allclose(points.get_xdata(), rows["estimate"])
    # top to bottom in table order, each error bar from ci_low to ci_high
    assert list(points.get_ydata()) == sorted(points.get_ydata(), reverse=True)
    ends = np.array([[s[0][0], s[1][0]] for s in bars.get_segments()])
    np.testing.assert_allclose(ends, rows[["ci_low", "ci_high"]].to_numpy())
    reference = [ln for ln in ax.lines if ln is not points and ln not in caps]
    assert [ln.get_xdata()[0] for ln in reference] == pytest.approx([overall["estimate"]])
    assert "".join(ax.get_xlabel().split()) == "".join(overall["label"].split())  # the label, perhaps wrapped
    ticks = _yticks(ax)
    assert ticks[0] == f"华东 / East  (n={rows['n_obs'].iloc[0]})" and len(ticks) == 6
    values = [t.get_text() for t in ax.texts]
    assert values == [f"{v:.1f}" for v in rows["estimate"]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["估计值及 95% 置信区间", f"总体 {overall['estimate']:.1f}"]


def test_indices_for_every_segment_are_grouped_under_headings(ix):
    ax = plot_indices(ix, "nps", language="en", segment_labels={"region": "地区 Region"})
    t = ix.table[ix.table["index"] == "nps"]
    levels = t[t["segment"] != "(overall)"]
    points = ax.containers[0].lines[0]
    assert len(points.get_xdata()) == len(levels)
    np.testing.assert_allclose(points.get_xdata(), levels["estimate"])
    ticks = _yticks(ax)
    assert len(ticks) == len(levels) + len(ix.segments)
    headings = ["gender", "age_band", "地区 Region", "tier", "tenure"]
    assert [x for x in ticks if "(n=" not in x] == headings
    assert ticks.index("地区 Region") == 1 + 2 + 1 + 5  # after gender's 2 and age_band's 5 levels
    assert len([p for p in ax.patches]) == len(headings)  # one shaded band per heading


def test_an_estimate_that_rounds_to_zero_shows_no_minus_sign(ix):
    table = ix.table.copy()
    tier_b = (table["index"] == "nps") & (table["segment"] == "tier") & (table["level"].str.startswith("B"))
    table.loc[tier_b, ["estimate", "ci_low", "ci_high"]] = [-0.24, -9.0, 9.0]
    ax = plot_indices(dataclasses.replace(ix, table=table), "nps", segment="tier")
    labels = [x.get_text() for x in ax.texts]
    assert "0" in labels and "-0" not in labels


def test_indices_keep_levels_without_an_estimate_as_na(ix):
    table = ix.table.copy()
    gone = (table["index"] == "loyalty_index") & (table["segment"] == "tier") & (table["level"].str.startswith("B"))
    table.loc[gone, ["estimate", "se", "ci_low", "ci_high", "n_obs"]] = np.nan
    ax = plot_indices(dataclasses.replace(ix, table=table), "loyalty_index", segment="tier")
    assert len(_yticks(ax)) == 3 and _yticks(ax)[1] == "B类客户 / Tier B"  # the row stays, without an n
    assert len(ax.containers[0].lines[0].get_xdata()) == 2
    (na,) = _texts(ax, "index_na")
    assert na.get_text() == "n/a" and na.get_position()[1] == 1  # the middle row


def test_indices_reference_can_be_a_value_or_none(ix):
    def reference_lines(ax):
        points, caps, _ = ax.containers[0].lines
        return [ln.get_xdata()[0] for ln in ax.lines if ln is not points and ln not in caps]

    ax = plot_indices(ix, "satisfaction_index", segment="gender", reference=None)
    assert reference_lines(ax) == [] and len(ax.get_legend().get_texts()) == 1
    ax = plot_indices(ix, "satisfaction_index", segment="gender", reference=70, language="en")
    assert reference_lines(ax) == [70]
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "Reference 70.0"
