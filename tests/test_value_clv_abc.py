"""ABC classes, CLV (simple and retention forms) and profit contribution against base R (tests/reference/value_crm.R)."""

from __future__ import annotations

import dataclasses
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import DataError
from surveykit.value.abc import abc
from surveykit.value.clv import clv, profit_contribution
from surveykit.value.rfm import rfm

from crm_reference import AS_OF, REF, expected, prepared, raw, ref, segments  # noqa: F401 (fixtures)

# Classes, ranks and counts must be equal. Money totals per customer are rounded to 8 decimals
# on both sides (observed equal); shares, annual values and CLVs are a few floating-point
# operations on them (observed <= 2e-15 relative). 1e-10 relative (and absolute, for values
# that are exactly 0, such as the CLV of a lapsed customer) leaves room for libm differences.
RTOL = ATOL = 1e-10


# ---------------------------------------------------------------------------------------------
# ABC


@pytest.mark.parametrize("variable", ["monetary", "profit"])
def test_abc_matches_r(prepared, expected, variable):
    values = rfm(prepared).table[variable]
    r = abc(values)
    want = pd.read_csv(REF / "value_crm_abc_expected.csv")
    want = want[want.variable == variable].set_index("customer_id")
    t = r.table
    assert list(t.index) == list(values.index) == list(want.index)
    assert (t["class"].astype(str) == want["class"]).all()
    assert (t["rank"] == want["rank"]).all()
    np.testing.assert_allclose(t[["share", "cumulative_share"]].to_numpy(), want[["share", "cumulative_share"]].to_numpy(),
                               rtol=RTOL, atol=ATOL)
    for k in "ABC":
        assert r.classes.at[k, "customers"] == ref(expected, f"abc_{variable}", "customers", k)
        np.testing.assert_allclose(r.classes.at[k, "value"], ref(expected, f"abc_{variable}", "value", k), rtol=RTOL)
    # monetary has ties (round prices): equal values share a rank and a class
    assert (t.groupby("value")["class"].nunique() == 1).all() and (t.groupby("value")["rank"].nunique() == 1).all()
    other = abc(values, shares=(0.7, 0.2, 0.1)) if variable == "monetary" else None
    if other is not None:
        for k in "ABC":
            assert other.classes.at[k, "customers"] == ref(expected, "abc_monetary_70_20", "customers", k)


def test_abc_boundary_ties_and_negative_values():
    v = pd.Series([500, 300, 100, 60, 40, 0, -20], index=list("uvwxyzq"), name="profit")
    r = abc(v)
    t = r.table
    # v brings the cumulative share to exactly 80%: it is in A; w starts at 80%: B
    assert t["class"].tolist() == ["A", "A", "B", "B", "C", "C", "C"]
    assert t.loc["v", "cumulative_share"] == 0.8 and t.loc["x", "cumulative_share"] == pytest.approx(0.96)
    # the customer crossing the boundary (0.75 -> 0.85) is in A, and so is the one tied with it;
    # the last starts exactly at 95% (not below 0.8 + 0.15 = 0.9500000000000001): C
    cross = abc(pd.Series([75.0, 10, 10, 5])).table
    assert cross["class"].tolist() == ["A", "A", "A", "C"]
    # ties: equal values share the class of the best-placed one, and the best rank (the second 15
    # starts at 85% but is A like the first), whatever their order in the input
    tie = abc(pd.Series([15.0, 70, 0, 15])).table
    assert tie["class"].tolist() == ["A", "A", "C", "A"] and tie["rank"].tolist() == [2, 1, 4, 2]
    assert tie["cumulative_share"].tolist() == pytest.approx([0.85, 0.7, 1.0, 1.0])
    # negatives and zeros: class C, shares of the positive total, the curve falls back (whale curve)
    assert r.n_negative == 1 and r.n_zero == 1 and t.loc["q", "share"] == pytest.approx(-0.02)
    assert "negative value" in r.summary().as_text() and r.pareto.value_share.iloc[-1] == pytest.approx(0.98)
    assert r.pareto.value_share.max() == pytest.approx(1.0)
    assert r.pareto.iloc[0].tolist() == [0.0, 0.0] and r.pareto.customer_share.iloc[-1] == 1.0
    assert len(r.pareto) == len(v) + 1 and r.pareto.value_share.iloc[:6].is_monotonic_increasing
    np.testing.assert_allclose(r.classes.value_share.sum(), r.total / r.positive_total)
    assert r.classes.customers.sum() == len(v) and r.shares == (0.8, 0.15, 0.05)


def test_abc_bad_input():
    with pytest.raises(DataError, match=r"missing in 1 row \(first rows: 'b'\)"):
        abc(pd.Series([1.0, np.nan], index=["a", "b"]))
    with pytest.raises(DataError, match="not numbers in 1 row"):
        abc(pd.Series([1, "x"]))
    with pytest.raises(DataError, match="None of the 2 values passed to abc is positive"):
        abc([-1, 0])
    with pytest.raises(DataError, match="no values"):
        abc(pd.Series([], dtype=float))
    with pytest.raises(DataError, match="infinite"):
        abc([1, np.inf])
    for bad in [(0.8, 0.2), (0.8, 0.15, 0.1), (0.9, -0.1, 0.2), "abc"]:
        with pytest.raises(ValueError, match="'shares' parameter of abc must be three positive shares"):
            abc([1, 2, 3], shares=bad)


# ---------------------------------------------------------------------------------------------
# CLV


CLV_COLS = ["years_observed", "annual_revenue", "annual_cost", "annual_margin", "clv_simple", "clv_retention"]


@pytest.mark.parametrize("case", ["cost", "margin", "given"])
def test_clv_matches_r(prepared, expected, case):
    kw = {"cost": {}, "margin": {"margin": 0.3}, "given": {"retention": 0.6, "years": 4, "discount": 0.05}}[case]
    # margin: the same rows as R (which reads the cost column for the cleaning), without the costs
    p = dataclasses.replace(prepared, cost=None) if case == "margin" else prepared
    r = clv(p, **kw)
    want = pd.read_csv(REF / "value_crm_clv_expected.csv")
    want = want[want.case == case].set_index("customer_id")
    assert list(r.table.index) == list(want.index)
    np.testing.assert_allclose(r.table[CLV_COLS].to_numpy(float), want[CLV_COLS].to_numpy(float), rtol=RTOL, atol=ATOL)
    assert (r.table.active == want.active).all()
    if case == "given":
        assert (r.retention, r.years, r.discount) == (0.6, 4.0, 0.05)
        assert not r.retention_estimated and not r.years_estimated
    else:
        np.testing.assert_allclose([r.retention, r.years], [ref(expected, "clv", "retention"), ref(expected, "clv", "years")],
                                   rtol=RTOL)
        assert r.years == pytest.approx(1 / (1 - r.retention), rel=1e-15)


def test_clv_periods_retention_and_segments_match_r(prepared, segments, expected):
    r = clv(prepared, by=segments)
    assert r.periods.complete.all() and len(r.periods) == 3
    assert r.periods.period_start.tolist() == [pd.Timestamp(d) for d in ["2022-07-01", "2023-07-01", "2024-07-01"]]
    assert r.retention_table.customers_prior.tolist() == [ref(expected, "clv_pairs", "customers_prior", t)
                                                          for t in (1, 2)]
    assert r.retention_table.retained.tolist() == [ref(expected, "clv_pairs", "retained", t) for t in (1, 2)]
    np.testing.assert_allclose(r.retention, r.retention_table.retained.sum() / r.retention_table.customers_prior.sum())
    seg = r.by_segment
    assert list(seg.index) == ["north", "south", "west", "(no segment)"]
    for level in seg.index:
        for stat in ["customers", "active_customers"]:
            assert seg.at[level, stat] == ref(expected, "clv_segment", stat, level)
        for stat in ["retention", "annual_margin", "clv_simple", "clv_retention", "clv_retention_total",
                     "clv_retention_share"]:
            np.testing.assert_allclose(seg.at[level, stat], ref(expected, "clv_segment", stat, level), rtol=RTOL,
                                       err_msg=f"{level} {stat}")
    np.testing.assert_allclose(seg.clv_retention_share.sum(), 1.0)
    assert "(no segment)" in r.notes[0]


def test_clv_forms_behave_as_documented(prepared):
    r = clv(prepared)
    t = r.table
    assert (t.loc[~t.active, "clv_retention"] == 0).all() and (~t.active).any()
    act = t[t.active]
    np.testing.assert_allclose(act.clv_retention, act.annual_margin * r.retention / (1.1 - r.retention), rtol=1e-14)
    np.testing.assert_allclose(t.clv_simple, t.annual_margin / (1 - r.retention), rtol=1e-14)
    # years observed: annual periods from the customer's first transaction (of any kind) to as_of
    first = prepared.to_frame().groupby("customer_id")["date"].min()
    want = np.select([first >= "2024-07-01", first >= "2023-07-01"], [1, 2], 3)
    np.testing.assert_array_equal(t.years_observed.to_numpy(), want)
    # a higher discount rate lowers the retention form only
    hi = clv(prepared, discount=0.3).table
    assert (hi.loc[act.index[act.annual_margin > 0], "clv_retention"] < act.loc[act.annual_margin > 0, "clv_retention"]).all()
    np.testing.assert_array_equal(hi.clv_simple, t.clv_simple)


def test_clv_bad_input(prepared):
    one_year = pd.DataFrame({"c": ["a", "b", "a"], "d": ["2026-01-05", "2026-02-01", "2026-05-01"], "a": [10.0, 20, 5]})
    kw = {"customer": "c", "date": "d", "amount": "a", "as_of": "2026-10-31"}
    with pytest.raises(DataError, match="cannot estimate retention.*1 period.*Pass retention="):
        clv(one_year, **kw, margin=0.3)
    ok = clv(one_year, **kw, margin=0.3, retention=0.5)
    assert ok.years == 2 and ok.table.at["a", "clv_simple"] == pytest.approx(0.3 * 15 * 2)
    with pytest.raises(ValueError, match="needs the cost of the orders: pass cost='cost'.*or margin=0.3"):
        clv(one_year, **kw, retention=0.5)
    with pytest.raises(ValueError, match="both a cost column and margin"):
        clv(prepared, margin=0.3)
    for name, bad in [("discount", -0.1), ("retention", 1.0), ("margin", 1.5), ("years", 0)]:
        with pytest.raises(ValueError, match=f"'{name}' parameter of clv must be a number"):
            clv(one_year, **{**kw, "margin": 0.3, "retention": 0.5, name: bad})
    stay = pd.DataFrame({"c": ["a", "a"], "d": ["2024-11-01", "2026-02-01"], "a": [10.0, 20]})
    with pytest.raises(DataError, match="retention 1.*Pass years="):
        clv(stay, customer="c", date="d", amount="a", as_of="2026-10-31", margin=0.5)
    assert clv(stay, customer="c", date="d", amount="a", as_of="2026-10-31", margin=0.5, years=3).retention == 1


# ---------------------------------------------------------------------------------------------
# profit contribution


def test_profit_contribution_matches_r(prepared, segments, expected):
    r = profit_contribution(prepared, since="2024-07-01", by=segments)
    want = pd.read_csv(REF / "value_crm_profit_expected.csv").set_index("customer_id")
    assert list(r.table.index) == list(want.index)
    cols = ["revenue", "cost", "profit", "profit_share"]
    np.testing.assert_allclose(r.table[cols].to_numpy(float), want[cols].to_numpy(float), rtol=RTOL, atol=ATOL)
    for level in r.by_segment.index:
        assert r.by_segment.at[level, "customers"] == ref(expected, "profit_segment", "customers", level)
        for stat in ["profit", "profit_share"]:
            np.testing.assert_allclose(r.by_segment.at[level, stat], ref(expected, "profit_segment", stat, level),
                                       rtol=RTOL)
    np.testing.assert_allclose(r.table.profit_share.sum(), 1.0)
    assert r.total_profit == pytest.approx(r.table.profit.sum())
    everything = profit_contribution(prepared)
    assert everything.n_customers == prepared.n_customers > r.n_customers
    np.testing.assert_allclose(everything.table.profit, rfm(prepared).table.profit, rtol=1e-12)


def test_results_render_pickle_and_have_one_line_reprs(prepared, segments):
    snake = re.compile(r"^[a-z][a-z0-9_]*$")
    results = [abc(rfm(prepared).table.profit), clv(prepared, by=segments),
               profit_contribution(prepared, by=segments, since="2025-01-01")]
    for r in results:
        name = type(r).__name__
        assert "\n" not in repr(r) and repr(r).startswith(f"<{name}")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            s = r.summary()
            assert s.as_text() and s.as_markdown() and r._repr_html_().startswith("<div")
        pickle.loads(pickle.dumps(r))
        assert all(snake.match(c) for c in r.to_frame().columns), name
