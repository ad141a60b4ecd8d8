"""Importance-performance analysis (IPA, 四分图): quadrants, derived importance against R, and the figure."""

from __future__ import annotations

import dataclasses
import pickle
import re
import warnings
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from surveykit.errors import DataError, SurveykitWarning
from surveykit.indices.ipa import IPAResult, ipa
from surveykit.plotting import cjk_font_family
from surveykit.plotting.drivers import plot_ipa

matplotlib.use("Agg")

REF = Path(__file__).parent / "reference" / "data"
ITEMS = [f"q{i}" for i in range(1, 7)]
# Closed-form statistics (means, correlations), the same operations as R 4.2.2; R values are
# written with 17 digits. Observed agreement is ~1e-15 relative; 1e-10 leaves room for libm.
RTOL = 1e-10

# one item per quadrant; grand means 3.725 (performance) and 3.925 (importance)
PERF = {"质量": 4.3, "价格": 3.1, "服务": 3.4, "物流": 4.1}
IMP = {"质量": 4.6, "价格": 4.4, "服务": 3.2, "物流": 3.5}
TEXT = {"质量": "产品质量稳定可靠", "价格": "价格公道合理", "服务": "售后服务响应迅速（含上门安装与调试），工程师专业耐心",
        "物流": "物流速度"}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "ipa_input.csv")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "ipa_expected.csv")


def ref(expected, stat) -> np.ndarray:
    hit = expected[expected.stat == stat].set_index("item")["value"]
    assert list(hit.index) == ITEMS, stat
    return hit.to_numpy(dtype=float)


def quiet(*args, **kwargs) -> IPAResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)  # q6 correlates negatively on purpose
        return ipa(*args, **kwargs)


# ----------------------------------------------------------------------------- against R

def test_performance_means_and_counts_match_r(data, expected):
    r = quiet(ITEMS, "derived", data=data, outcome="overall")
    np.testing.assert_allclose(r.table["performance"], ref(expected, "mean"), rtol=RTOL)
    assert r.table["n_obs"].tolist() == ref(expected, "n_obs").astype(int).tolist() == data[ITEMS].count().tolist()
    assert r.n_obs == len(data) and not r.weighted
    rw = quiet(data[ITEMS], "derived", outcome=data["overall"], weights=data["w"])
    np.testing.assert_allclose(rw.table["performance"], ref(expected, "mean_weighted"), rtol=RTOL)
    # the weights move the means (the test would notice weights being ignored)
    assert np.abs(rw.table["performance"] - r.table["performance"]).max() > 0.01
    assert rw.weighted and rw.table["n_obs"].tolist() == r.table["n_obs"].tolist()  # counts stay unweighted


@pytest.mark.parametrize("kwargs, stat", [({}, "pearson"), ({"correlation": "spearman"}, "spearman"),
                                          ({"weights": "w"}, "pearson_weighted")])
def test_derived_importance_matches_r_cor_and_cov_wt(data, expected, kwargs, stat):
    r = quiet(ITEMS, "derived", data=data, outcome="overall", **kwargs)
    np.testing.assert_allclose(r.table["importance"], ref(expected, stat), rtol=RTOL)
    assert r.table["n_pairs"].tolist() == ref(expected, "n_pairs").astype(int).tolist()
    assert r.method == f"derived_{kwargs.get('correlation', 'pearson')}" and r.outcome == "overall"


def test_derived_importance_is_the_pairwise_correlation_of_pandas(data):
    r = quiet(data[ITEMS], "derived", outcome=data["overall"])
    np.testing.assert_allclose(r.table["importance"], data[ITEMS].corrwith(data["overall"]), rtol=1e-12)
    spearman = quiet(data[ITEMS], "derived", outcome=data["overall"], correlation="spearman")
    want = [data[[i, "overall"]].corr(method="spearman").iloc[0, 1] for i in ITEMS]
    np.testing.assert_allclose(spearman.table["importance"], want, rtol=1e-12)


def test_derived_importance_quadrants_use_the_grand_means(data):
    r = quiet(ITEMS, "derived", data=data, outcome="overall")
    t = r.table
    assert r.split == pytest.approx((t["performance"].mean(), t["importance"].mean()), rel=1e-15)
    high_p, high_i = t["performance"] >= r.split[0], t["importance"] >= r.split[1]
    want = np.where(high_i, np.where(high_p, "keep_up", "concentrate"), np.where(high_p, "overkill", "low_priority"))
    assert t["quadrant"].tolist() == want.tolist()
    assert set(t["quadrant"]) == {"keep_up", "concentrate", "low_priority", "overkill"}


# ----------------------------------------------------------------------------- quadrants by hand

def test_each_item_lands_in_its_quadrant_with_labels_in_every_language():
    r = ipa(PERF, IMP)
    assert r.split == pytest.approx((3.725, 3.925))
    assert r.table["quadrant"].to_dict() == {"质量": "keep_up", "价格": "concentrate", "服务": "low_priority",
                                             "物流": "overkill"}
    assert r.table.loc["价格", "quadrant_label"] == "修补区 Concentrate here"
    assert r.table.loc["质量", "quadrant_label"] == "优势区 Keep up the good work"
    assert ipa(PERF, IMP, language="zh").table["quadrant_label"].tolist() == ["优势区", "修补区", "机会区", "维持区"]
    assert ipa(PERF, IMP, language="en").table["quadrant_label"].tolist() == [
        "Keep up the good work", "Concentrate here", "Low priority", "Possible overkill"]
    custom = ipa(PERF, IMP, language="zh", labels={"low_priority": "次要区"})
    assert custom.table["quadrant_label"].tolist() == ["优势区", "修补区", "次要区", "维持区"]
    assert custom.items_in("low_priority") == ["服务"] and custom.items_in("concentrate") == ["价格"]
    assert r.method == "stated" and r.split_method == "mean" and r.table["n_obs"].isna().all()


def test_an_item_on_a_split_line_counts_as_high():
    # grand means exactly 3 and 3 (representable): items on a line, and one at the crosshair
    perf = {"on_p_low_i": 3.0, "on_p_high_i": 3.0, "on_i_low_p": 2.0, "on_i_high_p": 4.0, "cross": 3.0}
    imp = {"on_p_low_i": 2.0, "on_p_high_i": 4.0, "on_i_low_p": 3.0, "on_i_high_p": 3.0, "cross": 3.0}
    r = ipa(perf, imp)
    assert r.split == (3.0, 3.0)
    assert r.table["quadrant"].to_dict() == {"on_p_low_i": "overkill", "on_p_high_i": "keep_up",
                                             "on_i_low_p": "concentrate", "on_i_high_p": "keep_up",
                                             "cross": "keep_up"}
    # a given crosshair follows the same rule
    g = ipa(PERF, IMP, split=(3.4, 4.4))  # 服务 on the performance line, 价格 on the importance line
    assert g.split_method == "custom" and g.split == (3.4, 4.4)
    assert g.table["quadrant"].to_dict() == {"质量": "keep_up", "价格": "concentrate", "服务": "overkill",
                                             "物流": "overkill"}


def test_midpoint_split_uses_the_scale_and_for_derived_importance_the_mean(data):
    r = ipa(PERF, IMP, split="midpoint", scale_min=1, scale_max=5)
    assert r.split == (3.0, 3.0)
    assert r.table["quadrant"].to_dict() == {"质量": "keep_up", "价格": "keep_up", "服务": "keep_up",
                                             "物流": "keep_up"}
    r7 = ipa(PERF, {k: v + 2 for k, v in IMP.items()}, split="midpoint", scale_min=(1, 1), scale_max=(5, 7))
    assert r7.split == (3.0, 4.0) and r7.importance_range == (1.0, 7.0)
    d = quiet(ITEMS, "derived", data=data, outcome="overall", split="midpoint", scale_min=1, scale_max=5)
    assert d.split == pytest.approx((3.0, d.table["importance"].mean()))
    assert "grand mean" in d.summary().as_text()


def test_diagonal_puts_items_above_the_line_first():
    r = ipa(PERF, IMP, split="diagonal", scale_min=1, scale_max=5)
    gap = {k: (IMP[k] - PERF[k]) / 4 for k in PERF}
    np.testing.assert_allclose(r.table["gap"], [gap[k] for k in r.table.index], rtol=1e-12)
    # 质量 (keep up by the crosshair) lies above the 45° line: a priority in the diagonal variant
    assert r.table["quadrant"].to_dict() == {"质量": "concentrate", "价格": "concentrate", "服务": "low_priority",
                                             "物流": "overkill"}
    assert r.table.sort_values("priority").index.tolist() == ["价格", "质量", "服务", "物流"]
    assert r.split == pytest.approx((3.725, 3.925)) and r.split_method == "diagonal"
    # exactly on the line (importance = performance) is not above it
    on = ipa({"a": 3.0, "b": 4.0, "c": 2.0}, {"a": 3.0, "b": 4.5, "c": 1.0}, split="diagonal", scale_min=1,
             scale_max=5)
    assert on.table.loc["a", "gap"] == 0 and on.table.loc["a", "quadrant"] == "keep_up"
    assert on.table.loc["b", "quadrant"] == "concentrate" and on.table.loc["c", "quadrant"] == "low_priority"
    # without a scale, each axis spans its items (a relative diagonal)
    rel = ipa(PERF, IMP, split="diagonal")
    assert rel.performance_range == (3.1, 4.3) and rel.importance_range == (3.2, 4.6)
    assert "lowest and highest item" in rel.summary().as_text()


def test_priority_ranks_concentrate_items_by_gap_then_the_rest():
    perf = {"a": 2.0, "b": 2.5, "c": 4.5, "d": 4.0, "e": 2.2}
    imp = {"a": 4.0, "b": 4.6, "c": 4.8, "d": 2.0, "e": 2.4}
    r = ipa(perf, imp, scale_min=1, scale_max=5)
    assert r.items_in("concentrate") == ["b", "a"]  # gaps 0.525 and 0.5
    # then the others by gap, whatever their quadrant: c 0.075 (keep up), e 0.05 (low priority), d -0.5
    assert r.table["priority"].to_dict() == {"b": 1, "a": 2, "c": 3, "e": 4, "d": 5}
    assert sorted(r.table["priority"]) == [1, 2, 3, 4, 5]


# ----------------------------------------------------------------------------- other inputs

def test_stated_importance_from_answers_and_weighted_means():
    perf = pd.DataFrame({"a": [5, 4, np.nan, 2], "b": [3, 3, 2, 1], "c": [4, 5, 5, np.nan]})
    imp = pd.DataFrame({"a": [5, 5, 4, 4], "b": [2, 3, 3, np.nan], "c": [3, 4, 4, 4]})
    w = np.array([1.0, 2.0, 0.5, 1.5])
    r = ipa(perf, imp, weights=w)
    for item in "abc":
        ok = perf[item].notna()
        assert r.table.loc[item, "performance"] == pytest.approx(np.average(perf[item][ok], weights=w[ok]))
        ok = imp[item].notna()
        assert r.table.loc[item, "importance"] == pytest.approx(np.average(imp[item][ok], weights=w[ok]))
    assert r.table["n_obs"].tolist() == [3, 4, 3]
    assert r.method == "stated" and r.weighted


def test_driver_shares_are_duck_typed():
    drivers = SimpleNamespace(importance=pd.Series({"价格": 0.40, "质量": 0.30, "服务": 0.10, "物流": 0.20}))
    r = ipa(PERF, drivers, language="en")
    assert r.method == "drivers"
    assert r.table["importance"].tolist() == [0.30, 0.40, 0.10, 0.20]  # in the order of the performance items
    assert r.table.loc["价格", "quadrant"] == "concentrate" and r.table.loc["质量", "quadrant"] == "keep_up"


def test_warnings_for_few_items_extra_importance_and_negative_correlations(data):
    with pytest.warns(SurveykitWarning, match="Only 2 item"):
        r = ipa({"a": 3.0, "b": 4.0}, {"a": 4.0, "b": 3.0})
    assert any("Only 2" in n for n in r.notes)
    with pytest.warns(SurveykitWarning, match=r"not in performance, ignored: 'x'"):
        r = ipa(PERF, {**IMP, "x": 4.0})
    assert "x" not in r.table.index
    with pytest.warns(SurveykitWarning, match="correlate negatively with 'overall': 'q6'"):
        ipa(ITEMS, "derived", data=data, outcome="overall")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ipa(PERF, IMP)  # four clean items: no warning


BAD = [
    (lambda d: ipa(pd.DataFrame({"a": [1, 2, 3], "b": [np.nan] * 3, "c": [2, 3, 4]}), {"a": 1, "b": 2, "c": 3}),
     DataError, "1 performance item.* no answers .*'b'"),
    (lambda d: ipa(d[ITEMS], "derived", outcome=np.full(len(d), 7.0)), DataError, "outcome 'outcome' .* is constant"),
    (lambda d: ipa(pd.DataFrame({"a": [1, 2, 3, 4], "b": [3, 3, 3, 3], "c": [1, 3, 2, 4]}), "derived",
                   outcome=[1, 2, 3, 4]), DataError, "undefined for 1 item.*'b': the item is constant"),
    (lambda d: ipa(PERF, {"质量": 4.0, "价格": 4.0}), DataError, "Importance is missing for 2 of the 4 .*'服务', '物流'"),
    (lambda d: ipa({**PERF, "包装": np.nan}, IMP), DataError, "missing or infinite: '包装'"),
    (lambda d: ipa({**PERF, "质量": "高"}, IMP), DataError, "not numbers .*'质量' = '高'"),
    (lambda d: ipa(PERF, IMP, scale_min=1, scale_max=4), DataError, r"outside the scale 1-4: '质量' = 4.3"),
    (lambda d: ipa(PERF, IMP, split="median"), ValueError,
     "The 'split' parameter of ipa must be one of 'mean', 'midpoint', 'diagonal', or a"),
    (lambda d: ipa(PERF, IMP, split=(3, "x")), ValueError, "'split' parameter of ipa"),
    (lambda d: ipa(PERF, IMP, language="fr"), ValueError, "'language' parameter of ipa"),
    (lambda d: ipa(PERF, IMP, labels={"fix": "改进"}), ValueError, "'labels' parameter of ipa has unknown .*'fix'"),
    (lambda d: ipa(PERF, IMP, split="midpoint"), ValueError, "split='midpoint' in ipa needs the scale end points"),
    (lambda d: ipa(PERF, IMP, scale_min=1), ValueError, "both 'scale_min' and 'scale_max'"),
    (lambda d: ipa(PERF, IMP, scale_min=5, scale_max=1), ValueError, "scale_min < scale_max"),
    (lambda d: ipa(PERF), ValueError, "'importance' parameter of ipa is missing"),
    (lambda d: ipa(PERF, "derived", outcome=[1, 2]), ValueError, "must be the DataFrame of answers"),
    (lambda d: ipa(d[ITEMS], "derived"), ValueError, "needs 'outcome'"),
    (lambda d: ipa(d[ITEMS], "stated"), ValueError, "'importance' parameter of ipa must be one of 'derived'"),
    (lambda d: ipa(PERF, IMP, outcome=[1, 2, 3]), ValueError, "'outcome' parameter of ipa is used only"),
    (lambda d: ipa(PERF, IMP, weights=[1, 2, 3, 4]), ValueError, "'weights' parameter of ipa applies to answers"),
    (lambda d: ipa(d[ITEMS], "derived", outcome=d["overall"], weights=d["w"], correlation="spearman"), ValueError,
     "weighted Spearman"),
    (lambda d: ipa(d[ITEMS], "derived", outcome=d["overall"].iloc[::-1].reset_index(drop=True).set_axis(
        d.index[::-1])), ValueError, "index differs from the answers' index"),
    (lambda d: ipa(d[ITEMS], "derived", outcome=d["overall"][:10]), ValueError, "has 10 values but there are 240"),
    (lambda d: ipa(d[ITEMS], "derived", outcome="overall"), ValueError, "names a column .* but no data was given"),
    (lambda d: ipa(d[ITEMS], "derived", outcome=d["overall"], weights=-d["w"]), DataError, "must be positive"),
    (lambda d: ipa(pd.DataFrame({"a": ["好", 4, 5], "b": [1, 2, 3]}), "derived", outcome=[1, 2, 3]), DataError,
     "not numbers .*'a': 1 row, e.g. row 0 = '好'"),
    (lambda d: ipa(["q1", "q9"], "derived", data=d, outcome="overall"), ValueError, "not in data: 'q9'"),
    (lambda d: ipa([4.1, 3.2], [3.0, 4.0]), TypeError, "'performance' parameter of ipa must be a mapping"),
]


@pytest.mark.parametrize("call, error, match", BAD, ids=range(len(BAD)))
def test_bad_input_says_what_and_where(data, call, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        with pytest.raises(error, match=match):
            call(data)


def test_result_renders_pickles_and_is_frozen():
    r = ipa(PERF, IMP)
    assert re.fullmatch(r"<IPAResult n_items=4 method='stated' split='mean' concentrate=1>", repr(r))
    text = r.summary().as_text()
    assert "修补区 Concentrate here: 1 (价格)" in text and "grand means: performance 3.725" in text
    assert r._repr_html_().startswith("<div") and r.summary().as_markdown()
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in r.to_frame().columns)
    back = pickle.loads(pickle.dumps(r))
    pd.testing.assert_frame_equal(back.table, r.table)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.split = (0, 0)


# ----------------------------------------------------------------------------- the figure

def _label_texts(ax) -> list:
    return [t for t in ax.texts if type(t).__name__ == "Annotation"]


@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_figure_in_chinese_has_no_missing_glyphs(case, request, tmp_path):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot_ipa(ipa(PERF, IMP), item_labels=TEXT)
        ax.figure.savefig(tmp_path / "ipa.png")
        ax.figure.savefig(tmp_path / "ipa.pdf")
        both = plot_ipa(ipa(PERF, IMP, split="diagonal", scale_min=1, scale_max=5), language="both")
        both.figure.savefig(tmp_path / "both.png")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert (tmp_path / "ipa.png").stat().st_size > 10_000
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in ax.texts)


def test_figure_draws_one_point_per_item_coloured_by_quadrant():
    r = ipa(PERF, IMP)
    ax = plot_ipa(r, item_labels=TEXT)
    assert isinstance(ax, Axes) and len(ax.collections) == 1
    points = ax.collections[0]
    np.testing.assert_allclose(points.get_offsets(), r.table[["performance", "importance"]].to_numpy())
    colours = [to_hex(c) for c in points.get_facecolors()]
    assert colours[1] == "#b2182b" and len(set(colours)) == 4  # concentrate here in red; four quadrants
    labels = _label_texts(ax)
    assert [t.get_text() for t in labels] == ["产品质量稳定可靠", "价格公道合理", "售后服务响应迅速\n（含上门安装与…",
                                              "物流速度"]  # long texts wrapped onto two lines and cut
    corners = [t.get_text() for t in ax.texts if t not in labels]
    assert corners == ["修补区", "优势区", "机会区", "维持区"]
    # crosshair at the split; axes centred on it so each corner lies in its quadrant
    xs = [line.get_xdata()[0] for line in ax.lines if line.get_xdata()[0] == line.get_xdata()[-1]]
    assert xs == [pytest.approx(3.725)]
    assert np.mean(ax.get_xlim()) == pytest.approx(3.725) and np.mean(ax.get_ylim()) == pytest.approx(3.925)
    assert ax.get_xlabel() == "表现（评分均值）" and ax.get_ylabel() == "重要性（评分均值）"


def test_figure_in_english_diagonal_derived_and_custom_names(data):
    r = quiet(ITEMS, "derived", data=data, outcome="overall", split="diagonal", scale_min=1, scale_max=5,
              labels={"overkill": "Over-delivered"})
    ax = plot_ipa(r, language="en", annotate=False)
    assert _label_texts(ax) == []
    assert [t.get_text() for t in ax.texts] == ["Concentrate here", "Keep up the good work", "Low priority",
                                                "Over-delivered"]
    assert ax.get_ylabel() == "Derived importance (correlation with overall)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Iso-priority line (importance = performance)" and legend[1].startswith("Grand means")
    # the diagonal joins the ends of the two common 0-1 scales
    diag = next(line for line in ax.lines if type(line).__name__ == "AxLine")
    assert diag.get_xy1() == (1.0, r.importance_range[0]) and diag.get_xy2() == (5.0, r.importance_range[1])
    assert len(ax.collections[0].get_offsets()) == len(ITEMS)


def test_figure_labels_do_not_overlap_each_other_in_a_crowded_corner():
    perf = {f"i{k}": v for k, v in enumerate([3.0, 3.05, 3.1, 3.02, 4.2, 2.2, 3.9, 2.5])}
    imp = {f"i{k}": v for k, v in enumerate([4.0, 4.02, 3.98, 4.06, 2.2, 2.4, 4.3, 3.1])}
    texts = {k: f"属性{k[1:]} 名称" for k in perf}
    ax = plot_ipa(ipa(perf, imp), item_labels=texts)
    ax.figure.canvas.draw()  # after layout
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in _label_texts(ax)]
    assert len(boxes) == 8
    overlaps = [(i, j) for i in range(8) for j in range(i + 1, 8) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []


def test_figure_uses_the_axes_given_and_leaves_rcparams_alone():
    before = dict(matplotlib.rcParams)
    fig, ax = plt.subplots()
    assert plot_ipa(ipa(PERF, IMP), ax=ax, s=80) is ax and fig.axes[0] is ax
    assert ax.collections[0].get_sizes().tolist() == [80]
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda: plot_ipa(ipa(PERF, IMP), language="fr"), "The 'language' parameter of plot_ipa must be one of"),
    (lambda: plot_ipa(SimpleNamespace(table=pd.DataFrame({"performance": [1.0]}), split=(1, 1))),
     "'result' parameter of plot_ipa .*'importance', 'quadrant' are missing"),
    (lambda: plot_ipa(SimpleNamespace(table=ipa(PERF, IMP).table, split=None)),
     "'result' parameter of plot_ipa must have a 'split'"),
])
def test_figure_bad_options_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()
