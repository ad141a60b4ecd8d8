"""Customer-value figures (surveykit/plotting/customer_value.py): what a reader sees matches the RFM, ABC and link results."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from conftest import draw_chinese
from test_value_survey import AS_OF, COLUMNS, QUESTIONNAIRE, REF

import surveykit as sk
from surveykit.plotting import cjk_font_family
from surveykit.plotting.customer_value import plot_pareto, plot_rfm_layers, plot_satisfaction_by_value, plot_value_satisfaction
from surveykit.value import LAYERS, abc, rfm
from surveykit.value.survey import link_survey

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def link():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.read_responses(REF / "value_link_survey.csv", sk.load_questionnaire(QUESTIONNAIRE))
        tx = pd.read_csv(REF / "value_link_transactions.csv", dtype={"customer_id": str, "date": str})
        return link_survey(data, tx, **COLUMNS, as_of=AS_OF)


def _draw_all(link, language="zh"):
    return [plot_rfm_layers(link.rfm, value="profit", language=language), plot_pareto(link.abc, language=language),
            plot_satisfaction_by_value(link, language=language), plot_value_satisfaction(link, language=language)]


def _yticks(ax):
    return [t.get_text() for _, t in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda p: -p[0])]


# ----------------------------------------------------------------------------- common behaviour

@pytest.mark.parametrize("case", ["installed", "fresh_linux"])
def test_chinese_renders_without_missing_glyphs(case, request, tmp_path, link, caplog):
    if case == "fresh_linux":
        request.getfixturevalue("fresh_linux")
    axes, complaints = draw_chinese(lambda: _draw_all(link), tmp_path, caplog, "客户价值 −1 ≤ x")
    assert complaints == []
    assert all((tmp_path / f"f{i}.png").stat().st_size > 10_000 for i in range(4))
    labels = [*axes[0].get_yticklabels(), *axes[2].get_yticklabels(), *axes[1].texts, axes[3].xaxis.label]
    assert all(t.get_fontfamily()[0] == cjk_font_family()[0] for t in labels)


@pytest.mark.parametrize("draw", [lambda link, ax: plot_rfm_layers(link, ax=ax),
                                  lambda link, ax: plot_pareto(link, ax=ax),
                                  lambda link, ax: plot_satisfaction_by_value(link, ax=ax),
                                  lambda link, ax: plot_value_satisfaction(link, ax=ax)],
                         ids=["rfm_layers", "pareto", "satisfaction_by_value", "value_satisfaction"])
def test_uses_the_axes_given_or_makes_one(draw, link):
    fig, ax = plt.subplots()
    assert draw(link, ax) is ax
    assert fig.axes[0] is ax
    new = draw(link, None)
    assert isinstance(new, Axes) and new.figure is not fig


def test_plotting_leaves_rcparams_unchanged(link):
    before = dict(matplotlib.rcParams)
    _draw_all(link, language="en")
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}


@pytest.mark.parametrize("call, match", [
    (lambda link: plot_rfm_layers(link, language="fr"),
     r"The 'language' parameter of plot_rfm_layers must be one of 'zh', 'en'. Got 'fr' instead."),
    (lambda link: plot_rfm_layers(link, value="margin"), r"'value' parameter of plot_rfm_layers must be one of"),
    (lambda link: plot_rfm_layers(link.abc), (r"'rfm' parameter of plot_rfm_layers must have a 'layers' attribute.*"
                                            r"surveykit.value.rfm")),
    (lambda link: plot_rfm_layers(SimpleNamespace(layers=link.rfm.layers.drop(columns="profit_share")),
                                  value="profit"),
     r"needs the columns 'customers', 'share', 'profit_share' in rfm.layers; 'profit_share' is missing.*cost column"),
    (lambda link: plot_rfm_layers(SimpleNamespace(layers=link.rfm.layers.assign(customers=0))),
     r"'rfm' parameter of plot_rfm_layers has no layer with customers"),
    (lambda link: plot_pareto(link.abc.pareto), r"'abc' parameter of plot_pareto must have a 'pareto' attribute"),
    (lambda link: plot_satisfaction_by_value(link, measure="csat"),
     (r"The 'measure' parameter of plot_satisfaction_by_value must be one of 'satisfaction_index', 'loyalty_index', "
     r"'value_index', 'nps'. Got 'csat' instead.")),
    (lambda link: plot_satisfaction_by_value(link, reference="mean"),
     r"'reference' parameter of plot_satisfaction_by_value must be 'overall', a finite number or None"),
    (lambda link: plot_satisfaction_by_value(link.rfm), (r"'link' parameter of plot_satisfaction_by_value must have a "
                                                       r"'means' attribute.*link_survey")),
    (lambda link: plot_value_satisfaction(link, x="clv"), (r"'x' parameter of plot_value_satisfaction must be one of "
                                                          r"'abc_value', 'clv_retention', 'clv_simple', 'monetary'")),
    (lambda link: plot_value_satisfaction(link, xscale="log2"), r"'xscale' parameter of plot_value_satisfaction"),
    (lambda link: plot_value_satisfaction(SimpleNamespace(table=link.table.drop(columns="clv_retention")),
                                          x="clv_retention"),
     r"'clv_retention' is missing.*with a cost column or margin \(for CLV\)"),
    (lambda link: plot_value_satisfaction(SimpleNamespace(table=link.table.assign(satisfaction_index=np.nan))),
     r"no linked respondent with both 'abc_value' and 'satisfaction_index': nothing to draw"),
])
def test_bad_input_says_what_where_and_how_to_fix(call, match, link):
    with pytest.raises(ValueError, match=match):
        call(link)


# ----------------------------------------------------------------------------- what each figure shows

def test_rfm_layers_are_the_shares_of_customers_and_value_in_order(link):
    ax = plot_rfm_layers(link.rfm, value="profit", language="en")
    layers = link.rfm.layers[link.rfm.layers["customers"] > 0]
    assert "dormant" not in layers.index  # empty with the default windows: left out
    customers, value = ax.containers
    np.testing.assert_allclose([b.get_width() for b in customers], layers["share"])
    np.testing.assert_allclose([b.get_width() for b in value], layers["profit_share"])
    assert [b.get_y() for b in customers] == sorted([b.get_y() for b in customers], reverse=True)  # first on top
    assert _yticks(ax) == [f"{LAYERS[k]['en']}  (n={int(n):,})" for k, n in layers["customers"].items()]
    assert ax.get_legend().texts[1].get_text() == "Share of profit"


def test_negative_value_shares_are_drawn_left_of_zero():
    tx = pd.DataFrame({"c": ["a", "a", "b", "c", "d"], "d": ["2025-12-01", "2025-06-01", "2025-11-30", "2025-12-20",
                                                           "2025-12-05"],
                       "x": [100.0, 80.0, 50.0, -30.0, 20.0]})
    r = rfm(tx, customer="c", date="d", amount="x", as_of="2025-12-31")
    ax = plot_rfm_layers(r)
    widths = {t.get_text().split("  ")[0]: b.get_width() for t, b in zip(ax.get_yticklabels(), ax.containers[1])}
    assert widths["仅退货客户"] == pytest.approx(-30 / 220) and ax.get_xlim()[0] < widths["仅退货客户"] < 0
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("-")] == ["-14%"]


def test_pareto_curve_and_class_bands_are_the_abc_result(link):
    ax = plot_pareto(link)
    line = ax.lines[0]
    assert line.get_gid() == "pareto"
    np.testing.assert_allclose(line.get_xdata(), link.abc.pareto["customer_share"])
    np.testing.assert_allclose(line.get_ydata(), link.abc.pareto["value_share"])
    bands = [p for p in ax.patches if p.get_gid() == "abc_band"]
    widths = [p.get_width() if isinstance(p, Rectangle) else np.ptp(p.get_xy()[:, 0]) for p in bands]
    np.testing.assert_allclose(widths, link.abc.classes["customer_share"])
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "abc_label"]
    a = link.abc.classes.loc["A"]
    assert labels[0] == f"A 类：{100 * a['customer_share']:.0f}% 客户，{100 * a['value_share']:.0f}% 利润"
    assert ax.get_ylabel() == "累计利润占比"


def test_pareto_of_revenue_without_a_link_and_without_equality_line():
    r = abc(pd.Series([500, 300, 100, 60, 40], index=list("uvwxy"), name="revenue"))
    ax = plot_pareto(r, language="en", equality=False)
    assert len(ax.lines) == 1 + 2  # the curve and the two class boundaries
    assert ax.get_ylabel() == "Cumulative share of revenue"
    assert [t.get_text() for t in ax.texts if t.get_gid() == "abc_letter"] == ["A", "B", "C"]


def test_satisfaction_by_value_shows_each_level_with_its_interval_and_test(link):
    ax = plot_satisfaction_by_value(link, measure="loyalty_index", language="en", reference=None)
    rows = link.means[(link.means["measure"] == "loyalty_index") & (link.means["row"] == "mean")]
    points = ax.containers[0]
    np.testing.assert_allclose(points.lines[0].get_xdata(), rows["estimate"])
    segments = points.lines[2][0].get_segments()
    np.testing.assert_allclose([s[0][0] for s in segments], rows["ci_low"])
    np.testing.assert_allclose([s[1][0] for s in segments], rows["ci_high"])
    ticks = _yticks(ax)
    p = link.tests.set_index(["segment", "measure", "test"]).at[("layer", "loyalty_index", "welch_anova"), "p_value"]
    shown = "Welch ANOVA p < 0.001" if p < 0.001 else f"Welch ANOVA p = {p:.3f}"
    assert ticks[0] == f"RFM layer ({shown}{sk.stars(p)})"  # stars by the one convention (surveykit.stars)
    assert ticks[1] == f"New  (n={int(rows.iloc[0]['n_obs'])})" and "Class A" in ticks[-3]
    assert ax.get_xlabel() == "Loyalty index (0-100)" and not [ln for ln in ax.lines if ln.get_linestyle() == "--"]


def test_satisfaction_by_value_reference_is_the_mean_of_the_linked_respondents(link):
    ax = plot_satisfaction_by_value(link)
    overall = link.by_layer.table.loc[("satisfaction_index", "mean"), "Total"]
    assert [ln.get_xdata()[0] for ln in ax.lines if ln.get_linestyle() == "--"] == [pytest.approx(overall)]
    assert ax.get_legend().texts[1].get_text() == f"已关联受访者总体 {overall:.1f}"


def test_value_satisfaction_highlights_the_save_list_and_its_zone(link):
    ax = plot_value_satisfaction(link)
    others, saved = ax.collections
    assert (others.get_gid(), saved.get_gid()) == ("others", "save_list")
    s = link.save_list.dropna(subset=["abc_value", "satisfaction_index"])
    assert len(saved.get_offsets()) == len(s)
    np.testing.assert_allclose(sorted(saved.get_offsets()[:, 1]), sorted(s["satisfaction_index"]))
    linked = link.table[link.table["status"] == "linked"].dropna(subset=["abc_value", "satisfaction_index"])
    assert len(others.get_offsets()) + len(saved.get_offsets()) == len(linked)
    zone = next(p for p in ax.patches if p.get_gid() == "save_zone")
    assert zone.get_x() == pytest.approx(link.abc.classes.at["A", "min_value"])
    assert zone.get_y() + zone.get_height() == pytest.approx(link.low_satisfaction)
    assert ax.get_xscale() == "symlog"  # a few loss-making customers: the log scale must reach zero and below
    assert ax.get_legend().texts[0].get_text() == f"挽留名单（{len(s)} 人）"


def test_value_satisfaction_with_clv_on_a_log_axis(link):
    positive = SimpleNamespace(table=link.table.assign(clv_simple=link.table["clv_simple"].abs() + 1),
                               low_satisfaction=60.0, measures=link.measures)
    ax = plot_value_satisfaction(positive, x="clv_simple", language="en")
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "Customer lifetime value (simple form)"
    assert not [p for p in ax.patches if p.get_gid() == "save_zone"]  # the zone is the ABC rule's: abc_value only
    assert plot_value_satisfaction(link, xscale="linear").get_xscale() == "linear"
