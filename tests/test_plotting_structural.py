"""plot_path: path diagrams of SEM, value-model, CFA, PLS and mediation results, drawn by matplotlib alone."""

from __future__ import annotations


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Ellipse, FancyArrowPatch  # noqa: E402

import surveykit as sk  # noqa: E402
from surveykit.plotting import cjk_font_family, plot_path  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data(example):
    return example


@pytest.fixture(scope="module")
def value_model(example_value_model):
    return example_value_model


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def arrows(ax) -> list:
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def test_value_model_diagram_has_the_labels_the_coefficients_and_their_stars(value_model):
    before = dict(plt.rcParams)
    ax = plot_path(value_model)
    assert dict(plt.rcParams) == before  # no global matplotlib state changed
    drawn = texts(ax)
    for label in ("感知利得", "感知利失", "感知价值", "顾客满意度", "顾客忠诚度", "产品价值", "体力成本"):
        assert label in drawn
    # every structural path and second-order loading labelled std_all with its stars
    for _, r in value_model.paths.iterrows():
        assert f"{r.std_all:.2f}{sk.stars(r.p_value)}" in drawn
    assert any(t.endswith("***") for t in drawn)
    lo = value_model.loadings
    marker = lo[lo["p_value"].isna()].iloc[0]
    assert f"{marker.std_all:.2f}" in drawn  # a fixed marker loading: no test, no stars
    assert len(arrows(ax)) == len(value_model.paths) + len(lo) + 1  # + the benefits-sacrifices covariance
    assert sum(isinstance(p, Ellipse) for p in ax.patches) == len(value_model.nodes)
    assert f"R² = {value_model.r2['satisfaction']:.2f}" in drawn
    # layers left to right: sub-dimensions, benefits/sacrifices, value, satisfaction, loyalty
    x = {t.get_text(): t.get_position()[0] for t in ax.texts}
    assert x["产品价值"] < x["感知利得"] < x["感知价值"] < x["顾客满意度"] < x["顾客忠诚度"]
    # Chinese without set-up: the CJK family is pinned on the text itself
    family = next(t for t in ax.texts if t.get_text() == "感知利得").get_fontfamily()
    assert family[: len(cjk_font_family())] == cjk_font_family()
    assert "标准化系数" in ax.get_title(loc="left") and "CFI" in ax.get_title(loc="left")


def test_the_star_convention_is_the_packages(value_model):
    with sk.star_convention("econ"):
        ax = plot_path(value_model, language="en")
    assert "* p < 0.1" in ax.get_title(loc="left")
    p = value_model.paths.iloc[0]
    with sk.star_convention((0.5, 1e-300, 1e-301)):  # only the loosest cut can be met
        ax = plot_path(value_model, language="en")
    assert f"{p.std_all:.2f}*" in texts(ax) and "Standardised coefficients" in ax.get_title(loc="left")


def test_a_cfa_draws_its_indicators_and_a_given_axes_is_used(data):
    validity = data.validity(["perceived_value", "satisfaction"], language="en")
    fig, ax = plt.subplots()
    out = plot_path(validity, ax=ax, labels={"value_1": "Worth it"})
    assert out is ax
    drawn = texts(ax)
    assert "Worth it" in drawn and "sat_ideal" in drawn and "Perceived value" in drawn
    assert len(arrows(ax)) == 6  # one loading per item, no structural path
    e = validity.cfa.estimates
    row = e[e["item"] == "value_2"].iloc[0]
    assert f"{row.std_estimate:.2f}{sk.stars(row.p_value)}" in drawn


def test_mediation_and_pls_results(data):
    med = data.mediation("product_value", ["perceived_value", "satisfaction"], "loyalty", bootstrap=50, seed=1)
    ax = plot_path(med, language="en")
    drawn = texts(ax)
    a1 = med.paths.loc["a1"]
    assert f"{a1.estimate:.3f}{sk.stars(a1.p_value)}" in drawn
    assert len(arrows(ax)) == 5  # a1, a2, b1, b2, c'
    assert "Unstandardised" in ax.get_title(loc="left") and "c = " in ax.get_title(loc="left")
    pls = data.csi_model()
    ax = plot_path(pls)
    assert len(arrows(ax)) == sum(len(v) for v in pls.paths.values())
    assert "GoF" in ax.get_title(loc="left")


def test_bad_input_is_refused_with_the_parameter_named():
    with pytest.raises(ValueError, match="'result' parameter of plot_path"):
        plot_path(pd.DataFrame())
    rng = np.random.default_rng(0)
    f = rng.normal(size=400)
    d = pd.DataFrame({f"x{i}": f + rng.normal(scale=0.6, size=400) for i in range(1, 4)})
    d["g"] = np.repeat(["a", "b"], 200)
    with pytest.raises(ValueError, match="single-group"):
        plot_path(sk.sem(d, "F =~ x1 + x2 + x3", group="g"))
    with pytest.raises(ValueError, match="'language' parameter of plot_path"):
        plot_path(sk.sem(d, "F =~ x1 + x2 + x3"), language="fr")
