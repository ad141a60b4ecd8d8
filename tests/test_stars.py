"""Significance stars: one convention, the same in result summaries, report tables and figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit._render import Summary, with_stars
from surveykit._stars import STAR_CONVENTIONS


@pytest.fixture(autouse=True)
def _default_convention(monkeypatch):
    monkeypatch.delenv("SURVEYKIT_STARS", raising=False)
    previous = sk.set_star_convention(None)
    yield
    sk.set_star_convention(previous)


@pytest.mark.parametrize("p, apa, econ", [
    (0.5, "", ""), (0.1, "", ""), (0.0999, "", "*"), (0.05, "", "*"), (0.0499, "*", "**"), (0.01, "*", "**"),
    (0.0099, "**", "***"), (0.001, "**", "***"), (0.00099, "***", "***"), (0.0, "***", "***"),
    (float("nan"), "", ""), (None, "", "")])
def test_cut_points_are_strict_as_apa_writes_them(p, apa, econ):
    assert sk.stars(p) == apa
    assert sk.stars(p, convention="0.1/0.05/0.01") == econ == sk.stars(p, convention="econ")


def test_custom_cut_points_and_bad_conventions():
    assert sk.stars(0.006, convention=(0.05, 0.01, 0.005)) == "**"
    assert sk.star_note((0.05, 0.01, 0.005)) == "* p < .05, ** p < .01, *** p < .005"
    for bad in ["spss", (0.01, 0.05, 0.1), (0.05, 0.01), (0.05, 0.01, 1.5), 0.05]:
        with pytest.raises(ValueError, match="'apa', '0.1/0.05/0.01'"):
            sk.stars(0.01, convention=bad)
    with pytest.raises(ValueError, match=r"p-value in \[0, 1\]"):
        sk.stars(1.5)


def test_notes_in_both_languages():
    assert sk.star_note() == "* p < .05, ** p < .01, *** p < .001"
    assert sk.star_note("0.1/0.05/0.01") == "* p < 0.1, ** p < 0.05, *** p < 0.01"
    assert sk.star_note(language="zh") == "* p < .05，** p < .01，*** p < .001"


def test_one_setting_changes_every_later_call_and_the_context_restores_it(monkeypatch):
    assert sk.get_star_convention() == "apa"
    with sk.star_convention("econ"):
        assert sk.get_star_convention() == "0.1/0.05/0.01" and sk.stars(0.07) == "*"
    assert sk.stars(0.07) == ""
    monkeypatch.setenv("SURVEYKIT_STARS", "0.1/0.05/0.01")  # what a command line run sets
    assert sk.stars(0.07) == "*"
    sk.set_star_convention("apa")  # an explicit setting wins over the environment
    assert sk.stars(0.07) == ""
    sk.set_star_convention(None)
    monkeypatch.setenv("SURVEYKIT_STARS", "fisher")
    with pytest.raises(ValueError, match="environment variable SURVEYKIT_STARS"):
        sk.stars(0.01)


def test_summary_tables_get_a_sig_column_from_the_unrounded_p_and_the_legend():
    table = pd.DataFrame({"estimate": [0.5, 0.1, 0.3], "p_value": [0.0496, 0.2, 0.0004],
                          "penalty_p": [0.009, np.nan, 0.02]}, index=["a", "b", "c"])
    shown = with_stars(table)
    assert list(shown.columns) == ["estimate", "p_value", "sig", "penalty_p", "penalty_sig"]
    assert shown["sig"].tolist() == ["*", "", "***"]  # 0.0496 rounds to 0.050 but is below .05
    assert shown["penalty_sig"].tolist() == ["**", "", "*"]
    text = Summary(title="t", tables=[("T", table)]).as_text()
    assert "Note: * p < .05, ** p < .01, *** p < .001" in text
    with sk.star_convention("econ"):
        assert "* p &lt; 0.1, ** p &lt; 0.05, *** p &lt; 0.01" in Summary(title="t", tables=[("T", table)]).as_html()
    md = Summary(title="t", tables=[("T", table)]).as_markdown()
    assert "\\*\\*\\*" in md  # escaped: Markdown would read *** as emphasis
    assert with_stars(table[["estimate"]]) is not None and "sig" not in with_stars(table[["estimate"]]).columns


def test_driver_results_and_the_report_table_agree(tmp_path):
    from surveykit.report.book import ReportBook

    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.integers(1, 8, size=(300, 3)).astype(float), columns=["quality", "service", "price"])
    x["overall"] = np.clip(np.round(0.4 * x.quality + 0.2 * x.service + rng.normal(0, 1, 300)), 1, 5)
    r = sk.key_drivers(x, "overall", ["quality", "service", "price"])
    expected = [sk.stars(p) for p in r.coefficients["p_value"]]
    assert "***" in expected and "" in expected
    book = ReportBook(out=tmp_path, language="en")
    html = book.table("drivers", "Drivers", r.coefficients, note="OLS.")
    registered = book.tables[-1]
    assert registered.frame["sig"].tolist() == expected
    assert registered.note == "OLS. * p < .05, ** p < .01, *** p < .001" and "***" in html
    with sk.star_convention("0.1/0.05/0.01"):
        book.table("drivers", "Drivers", r.coefficients)
    assert book.tables[-1].frame["sig"].tolist() == [sk.stars(p, "econ") for p in r.coefficients["p_value"]]


def test_figures_mark_p_values_by_the_same_convention():
    from surveykit.plotting import plot_drivers

    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.normal(size=(200, 3)), columns=["质量", "服务", "价格"])
    x["满意度"] = x @ [0.6, 0.3, 0.0] + rng.normal(size=200)
    r = sk.key_drivers(x, "满意度", ["质量", "服务", "价格"])
    ax = plot_drivers(r, language="en", sort=False)
    labels = [t.get_text() for t in ax.texts]
    for driver, label in zip(["价格", "服务", "质量"], labels):  # bottom to top
        assert label.endswith("%" + sk.stars(r.coefficients.loc[driver, "p_value"]))
    assert sk.star_note() in ax.get_title(loc="left")


def test_named_conventions_are_loosest_first():
    for cuts in STAR_CONVENTIONS.values():
        assert cuts[0] > cuts[1] > cuts[2]
