"""Transactions audit, RFM, repurchase and conversion rates against base R (tests/reference/value_crm.R).

The reference input (crm_reference.py) has ties in monetary and 45% one-time buyers, so
quantile boundaries of frequency coincide.
"""

from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import DataError, EmptyDataError
from surveykit.value.ids import IdFormatWarning, _factorize_fixed_width, normalize_ids
from surveykit.value.retention import conversion_rate, repurchase_rate
from surveykit.value.rfm import LAYERS, rfm
from surveykit.value.transactions import TransactionWarning, prepare_transactions

from crm_reference import AS_OF, COLS, REF, expected, prepared, raw, ref, segments  # noqa: F401 (fixtures)

# Counts, days, scores and labels must be equal. Money: per-customer totals are sums of the
# same doubles rounded to 8 decimals on both sides (R: long-double accumulation, numpy:
# double), observed equal; shares and rates are ratios of those: observed <= 1e-15 relative.
# 1e-10 (relative, and absolute for values that are exactly 0) leaves room for libm / BLAS.
RTOL = ATOL = 1e-10


# ---------------------------------------------------------------------------------------------
# the audit


def test_audit_counts_every_row_as_r_does(raw, prepared):
    want = pd.read_csv(REF / "value_crm_audit_expected.csv").set_index("reason")["count"]
    got = prepared.audit.to_frame()["count"]
    assert got.reindex(want.index).tolist() == want.tolist()
    a = prepared.audit
    assert a.n_rows_read == len(raw) == a.n_rows_used + a.n_excluded
    assert a.n_rows_used == prepared.n_rows == want["rows_used"]
    # every problem the input was built with is found
    assert (want[["missing_customer", "missing_date", "unparseable_date", "future_date", "missing_amount",
                  "non_numeric_amount", "missing_cost", "duplicate_row", "zero_amount", "negative_amount"]] > 0).all()
    # returns are used (netted), not excluded
    assert a.reasons.at["negative_amount", "action"] == "netted" and a.n_returns == want["negative_amount"]
    # positions point at the offending rows of the table
    bad = a.positions["unparseable_date"]
    assert sorted(raw.loc[bad, "date"]) == ["31/12/2024", "not a date"]
    assert raw.loc[a.positions["non_numeric_amount"], "amount"].tolist() == ["12,50", "30 RMB"]
    assert (pd.to_datetime(raw.loc[a.positions["future_date"], "date"]) > AS_OF).all()
    dup = a.positions["duplicate_row"]
    assert raw.iloc[dup].apply(tuple, axis=1).isin(raw.drop(index=dup).apply(tuple, axis=1)).all()
    ex = a.excluded_rows()
    assert len(ex) == a.n_excluded + a.n_returns and ex["position"].is_monotonic_increasing
    # a customer whose only order is after as_of is not a customer
    assert "K0922" not in prepared.customers and "K0921" in prepared.customers


def test_problems_warn_once_with_rows_and_how_to_fix(raw):
    with pytest.warns(TransactionWarning) as rec:
        prepare_transactions(raw, **COLS)
    assert len(rec) == 1
    msg = str(rec[0].message)
    for text in ["missing_customer: 2", "unparseable_date: 2", "non_numeric_amount: 2", "first rows",
                 "excluded_rows()"]:
        assert text in msg
    # duplicates, returns, zero amounts and future dates are expected in an export: in the audit, no warning
    clean = raw[raw.index.isin(range(5))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prepare_transactions(pd.concat([clean, clean.iloc[[0]]]), **COLS)


def test_rfm_from_a_frame_equals_rfm_from_prepared(raw, prepared):
    with pytest.warns(TransactionWarning, match=r"^rfm excluded"):
        direct = rfm(raw, **COLS)
    pd.testing.assert_frame_equal(direct.table, rfm(prepared).table)


# ---------------------------------------------------------------------------------------------
# RFM against R


@pytest.mark.parametrize("basis", ["orders", "days"])
def test_rfm_matches_r(prepared, expected, basis):
    want = pd.read_csv(REF / "value_crm_customers_expected.csv", dtype={"first_purchase": str, "last_purchase": str})
    want = want[want.basis == basis].set_index("customer_id")
    r = rfm(prepared, frequency=basis)
    t = r.table
    assert list(t.index) == list(want.index)
    for col in ["recency_days", "frequency", "returns", "r_score", "f_score", "m_score"]:
        np.testing.assert_array_equal(t[col].to_numpy(dtype=float, na_value=np.nan), want[col].to_numpy(dtype=float),
                                      err_msg=col)
    for col in ["monetary", "profit"]:
        np.testing.assert_allclose(t[col], want[col], rtol=RTOL, atol=ATOL, err_msg=col)
    assert (t["layer"].astype(str).to_numpy() == want["layer"].to_numpy()).all()
    for col in ["first_purchase", "last_purchase"]:
        assert (t[col].dt.strftime("%Y-%m-%d").fillna("NA").to_numpy() == want[col].fillna("NA").to_numpy()).all()
    for var in ["recency_days", "frequency", "monetary"]:
        np.testing.assert_allclose(r.breaks.loc[var].to_numpy(float),
                                   [ref(expected, f"breaks_{basis}", var, k) for k in range(1, 5)], rtol=RTOL)
    for layer in r.layers.index:
        n = r.layers.at[layer, "customers"]
        if n == 0:
            assert not (want.layer == layer).any()
            continue
        assert n == ref(expected, f"layers_{basis}", "customers", layer)
        np.testing.assert_allclose(r.layers.loc[layer, ["revenue", "profit"]].to_numpy(float),
                                   [ref(expected, f"layers_{basis}", s, layer) for s in ["revenue", "profit"]],
                                   rtol=RTOL)


def test_scores_share_ties_skip_empty_classes_and_five_is_best(prepared):
    t = rfm(prepared).table
    scored = t[t.r_score.notna()]
    for var, score in [("recency_days", "r_score"), ("frequency", "f_score"), ("monetary", "m_score")]:
        assert (scored.groupby(var)[score].nunique() == 1).all(), f"equal {var} got different scores"
    # 45% bought once: the 20% and 40% boundaries are both 1, class 2 is empty, 2 orders score 3
    assert sorted(scored.f_score.unique()) == [1, 3, 4, 5]
    assert (scored.loc[scored.frequency == 1, "f_score"] == 1).all()
    assert (scored.loc[scored.frequency == 2, "f_score"] == 3).all()
    best = scored.sort_values("recency_days")
    assert best.r_score.iloc[0] == 5 and best.r_score.iloc[-1] == 1
    assert scored.loc[scored.monetary.idxmax(), "m_score"] == 5
    assert (scored.rfm_score == scored.r_score + scored.f_score + scored.m_score).all()
    row = scored.iloc[0]
    assert row.rfm_cell == f"{row.r_score}{row.f_score}{row.m_score}"
    # customers with returns only are kept, labelled, not scored
    ret = t[t.layer == "returns_only"]
    assert len(ret) and ret.r_score.isna().all() and ret.recency_days.isna().all() and (ret.monetary < 0).all()
    assert (ret.frequency == 0).all() and ret.rfm_cell.isna().all()


BOUNDARY = {"K0901": "new", "K0902": "lapsing", "K0903": "lapsing",
            "K0904": "high_recovery", "K0905": "high_recovery", "K0906": "low_recovery", "K0907": "low_recovery",
            "K0908": "lost", "K0911": "active", "K0912": "developing", "K0913": "developing", "K0916": "new",
            "K0915": "active", "K0921": "returns_only"}


def test_layers_on_the_window_boundaries(prepared):
    t = rfm(prepared).table
    for cust, layer in BOUNDARY.items():
        assert t.at[cust, "layer"] == layer, cust
    assert t.at["K0916", "recency_days"] == 0  # bought on as_of: day 0
    # three orders on one day: three purchases by orders, one by days
    assert t.at["K0914", "frequency"] == 3 and t.at["K0914", "layer"] == "developing"
    d = rfm(prepared, frequency="days").table
    assert d.at["K0914", "frequency"] == 1 and d.at["K0914", "layer"] == "new"
    assert t.at["K0917", "layer"] == "active" and d.at["K0917", "layer"] == "developing"


def test_every_customer_gets_a_layer_and_windows_are_parameters(prepared):
    r = rfm(prepared)
    assert r.table.layer.notna().all() and r.layers.customers.sum() == r.n_customers
    assert list(r.layers.index) == list(LAYERS)
    np.testing.assert_allclose(r.layers.share.sum(), 1.0)
    np.testing.assert_allclose(r.layers.revenue.sum(), r.table.monetary.sum(), rtol=1e-12)
    assert r.layers.at["high_recovery", "label_zh"] == "高挽回客户" and r.layers.at["new", "label_en"] == "New"
    assert r.layer_labels("zh")["K0904"] == "高挽回客户" and r.layer_labels("en")["K0908"] == "Lost"
    assert "90-179 days" in r.layers.at["high_recovery", "rule"]
    wide = rfm(prepared, new_days=60, active_days=60, high_recovery=(60, 200), low_recovery=(250, 400)).table
    assert wide.at["K0902", "layer"] == "new"  # one purchase 45 days ago: new with a 60-day window
    assert wide.at["K0906", "layer"] == "high_recovery"  # 180 days
    assert wide.at["K0907", "layer"] == "low_recovery" and wide.at["K0908", "layer"] == "low_recovery"
    gap = rfm(prepared, high_recovery=(90, 150), low_recovery=(200, 360))
    assert gap.table.at["K0905", "layer"] == "dormant" and gap.layers.at["dormant", "customers"] > 0


def test_rfm_on_the_example_study():
    from surveykit.example import AS_OF as EX_AS_OF
    from surveykit.example import generate_example

    tx = generate_example(n_respondents=100, n_customers=3000).transactions
    r = rfm(tx, customer="customer_id", date="date", amount="amount", cost="cost", as_of=EX_AS_OF)
    assert r.audit.reasons.at["duplicate_row", "count"] == tx.duplicated().sum() > 0
    assert r.n_customers == tx.customer_id.nunique()
    assert r.table.layer.notna().all()
    assert r.layers.loc[["new", "active", "high_recovery", "low_recovery", "lapsing", "lost"], "customers"].gt(0).all()
    # the generator's "new" customers bought once in the last 45 days
    new = r.table[r.table.layer == "new"]
    assert (new.frequency == 1).all() and (new.recency_days < 45).all()


# ---------------------------------------------------------------------------------------------
# repurchase and conversion against R


@pytest.mark.parametrize("basis", ["orders", "days"])
def test_repurchase_rate_matches_r(prepared, segments, expected, basis):
    r = repurchase_rate(prepared, frequency=basis, by=segments)
    case = f"repurchase_{basis}"
    np.testing.assert_allclose(r.rate, ref(expected, case, "rate"), rtol=RTOL)
    assert r.n_customers == ref(expected, case, "customers")
    assert r.n_repurchasers == r.table.repurchased.sum() and (r.table.occasions >= 1).all()
    for seg in r.by_segment.index:
        np.testing.assert_allclose(r.by_segment.at[seg, "repurchase_rate"], ref(expected, f"{case}_segment", "rate", seg),
                                   rtol=RTOL)
    since = repurchase_rate(prepared, frequency=basis, since="2024-07-01")
    np.testing.assert_allclose(since.rate, ref(expected, f"{case}_since", "rate"), rtol=RTOL)
    assert since.n_customers == ref(expected, f"{case}_since", "customers")
    for period in ["year", "quarter"]:
        per = repurchase_rate(prepared, frequency=basis, period=period).by_period
        assert per.complete.all() and per.period_end.iloc[-1] == pd.Timestamp(AS_OF)
        assert per.period_start.iloc[0] == pd.Timestamp("2022-07-01")
        for _, row in per.iterrows():
            level = str(row.period_start.date())
            assert row.customers == ref(expected, f"{case}_{period}", "customers", level)
            np.testing.assert_allclose(row.repurchase_rate, ref(expected, f"{case}_{period}", "rate", level), rtol=RTOL)
    assert len(repurchase_rate(prepared, period="year").by_period) == 3


def test_conversion_rate_matches_r(prepared, segments, expected):
    listed = segments.index.to_series()
    r = conversion_rate(listed, prepared, by=segments)
    np.testing.assert_allclose(r.rate, ref(expected, "conversion", "rate"), rtol=RTOL)
    assert r.n_converted == ref(expected, "conversion", "converted")
    assert r.n_unlisted_buyers == ref(expected, "conversion", "unlisted_buyers") > 0
    assert r.n_listed == listed.nunique() and not r.table.loc["P001", "converted"]
    for seg in ["north", "south", "west"]:
        np.testing.assert_allclose(r.by_segment.at[seg, "conversion_rate"], ref(expected, "conversion_segment", "rate", seg),
                                   rtol=RTOL)
    since = conversion_rate(listed, prepared, since="2025-01-01")
    np.testing.assert_allclose(since.rate, ref(expected, "conversion_since", "rate"), rtol=RTOL)
    assert since.rate < r.rate


def test_conversion_counts_a_listed_id_once_and_warns_on_zero_stripped_ids():
    tx = pd.DataFrame({"id": ["00042", "00043", "00043"], "date": ["2026-01-05"] * 3, "amount": [10.0, 5.0, 7.0]})
    with pytest.warns(IdFormatWarning, match=r"id_format='\{:05d\}'"):
        r = conversion_rate(pd.Series([42, 43, 43, 44]), tx, customer="id", date="date", amount="amount",
                            as_of="2026-10-31")
    assert r.n_listed == 3 and r.n_converted == 0  # 42 is not '00042' unless told
    fixed = conversion_rate(pd.Series([42, 43, 43, 44]), tx, customer="id", date="date", amount="amount",
                            as_of="2026-10-31", id_format="{:05d}")
    assert fixed.n_converted == 2 and fixed.rate == pytest.approx(2 / 3) and "ids listed more than once" in fixed.notes[0]


# ---------------------------------------------------------------------------------------------
# customer ids


def test_ids_int_string_and_float_are_one_customer_leading_zeros_kept():
    s = pd.Series([42, "42", 42.0, " 42 ", "0042", "４２", None, "", np.nan], dtype=object)
    with pytest.warns(IdFormatWarning, match="'0042' and '42'"):
        out = normalize_ids(s)
    assert out.tolist()[:6] == ["42", "42", "42", "42", "0042", "42"]
    assert out.iloc[6:].isna().all()
    assert normalize_ids(pd.Series([1.5, 7])).tolist() == ["1.5", "7"]
    with pytest.warns(IdFormatWarning, match="1 customer id is written two ways in this list.*'C0007' and 'C7'"):
        assert normalize_ids(pd.Series([7, "C7"]), id_format="C{:04d}").tolist() == ["C0007", "C7"]
    assert normalize_ids(pd.Series(["7", "x"]), id_format=lambda v: v.upper()).tolist() == ["7", "X"]
    with pytest.raises(ValueError, match="'id_format' parameter of normalize_ids must format one integer"):
        normalize_ids(pd.Series([1]), id_format="{name}")


def test_ids_from_excel_against_zero_padded_ids_warn_with_the_fix():
    survey = pd.Series(["C0000012", "C0000345", "C0000999"])
    excel = pd.Series(["C12", "C345", "C0000999"])
    with pytest.warns(IdFormatWarning, match=r"2 ids in this list are not found.*'C12' ~ 'C0000012'.*id_format='C\{:07d\}'"):
        normalize_ids(excel, match=survey)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        normalize_ids(pd.Series([12, 345]), id_format="C{:07d}", match=survey)


@pytest.mark.parametrize("kind", ["codes", "chinese", "spaces", "multi_run"])
def test_fixed_width_string_ids_read_fast_give_the_same_customers(kind):
    """Fixed-width ids in a string column take a byte-level path; an object column the general one."""
    rng = np.random.default_rng(5)
    n = rng.integers(0, 3000, 20000)
    ids = {"codes": [f"C{i:05d}" for i in n], "chinese": [f"客户{i:04d}" for i in n],
           "spaces": [f"C{i:04d}" if i % 3 else f" C{i % 1000:03d}" for i in n],  # stripped: 'C005' ~ 'C0005'
           "multi_run": [f"A{i % 7:02d}B{i % 5}" if i % 2 else f"A{i % 7}B{i % 5:02d}" for i in n]}[kind]
    assert _factorize_fixed_width(pd.Series(ids, dtype="string[pyarrow]")) is not None  # the fast path is taken
    with warnings.catch_warnings(record=True) as fast_w:
        warnings.simplefilter("always")
        fast = normalize_ids(pd.Series(ids, dtype="string[pyarrow]"))
    with warnings.catch_warnings(record=True) as slow_w:
        warnings.simplefilter("always")
        slow = normalize_ids(pd.Series(ids, dtype=object))
    assert fast.tolist() == slow.tolist()
    assert [str(w.message) for w in fast_w] == [str(w.message) for w in slow_w]
    assert bool(fast_w) is (kind in ("spaces", "multi_run"))  # 'C005' and 'C0005', 'A01B1' and 'A1B01'
    frame = pd.DataFrame({"c": pd.Series(ids, dtype="string[pyarrow]"), "d": "2026-10-01", "a": 1.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IdFormatWarning)
        a = prepare_transactions(frame, customer="c", date="d", amount="a", as_of="2026-10-31")
        b = prepare_transactions(frame.astype({"c": object}), customer="c", date="d", amount="a", as_of="2026-10-31")
    assert list(a.customers) == list(b.customers) == sorted(set(slow))
    np.testing.assert_array_equal(a.code, b.code)


def test_ids_in_a_transactions_table_int_vs_string(recwarn):
    tx = pd.DataFrame({"c": [42, "42", "042", 7.0], "d": ["2026-10-01"] * 4, "a": [10.0, 20.0, 30.0, 40.0]})
    with pytest.warns(IdFormatWarning, match="'042' and '42'"):
        r = rfm(tx, customer="c", date="d", amount="a", as_of="2026-10-31")
    assert list(r.table.index) == ["042", "42", "7"]
    assert r.table.at["42", "frequency"] == 2 and r.table.at["42", "monetary"] == 30
    padded = rfm(tx, customer="c", date="d", amount="a", as_of="2026-10-31", id_format="{:03d}")
    assert list(padded.table.index) == ["007", "042"] and padded.table.at["042", "frequency"] == 3


# ---------------------------------------------------------------------------------------------
# bad input


def small(**over):
    frame = pd.DataFrame({"cust": ["a", "a", "b", "b", "c"], "when": pd.to_datetime(
        ["2026-01-10", "2026-09-01", "2026-05-05", "2026-10-30", "2026-10-31"]), "amt": [100.0, 50.0, 80.0, 20.0, 30.0]})
    return frame.assign(**over)


KW = {"customer": "cust", "date": "when", "amount": "amt", "as_of": "2026-10-31"}


def test_negative_and_zero_amounts():
    tx = small(amt=[100.0, -40.0, 80.0, 0.0, 30.0])
    net = rfm(tx, **KW)
    assert net.table.at["a", "monetary"] == 60 and net.table.at["a", "frequency"] == 1
    assert net.table.at["a", "recency_days"] == (pd.Timestamp("2026-10-31") - pd.Timestamp("2026-01-10")).days
    assert net.table.at["a", "returns"] == 1 and net.table.at["b", "frequency"] == 1
    assert net.audit.reasons.at["zero_amount", "count"] == 1 and net.audit.n_rows_used == 4
    drop = rfm(tx, **KW, returns="drop")
    assert drop.table.at["a", "monetary"] == 100 and drop.audit.n_rows_used == 3
    assert drop.audit.reasons.at["negative_amount", "action"] == "excluded"
    assert drop.audit.n_rows_read == drop.audit.n_rows_used + drop.audit.n_excluded
    with pytest.raises(DataError, match="returns only"):
        rfm(small(amt=[-1.0] * 5), **KW)


def test_missing_and_future_dates_and_duplicates():
    tx = small(when=["2026-01-10", None, "2026-05-05", "2027-01-01", "10/31/2026"])
    with pytest.warns(TransactionWarning, match="missing_date: 1"):
        r = rfm(tx, **KW)
    reasons = r.audit.reasons["count"]
    assert reasons["missing_date"] == 1 and reasons["future_date"] == 1 and reasons["unparseable_date"] == 1
    assert r.audit.positions["missing_date"].tolist() == [1] and r.audit.positions["future_date"].tolist() == [3]
    assert "10/31/2026" in r.audit.notes[0] and "date_format" in r.audit.notes[0]
    with pytest.warns(TransactionWarning, match="missing_date: 1"):
        mixed = rfm(tx, **KW, date_format="mixed")
    assert mixed.audit.reasons.at["unparseable_date", "count"] == 0 and "c" in mixed.table.index
    dup = pd.concat([small(), small().iloc[[0, 0, 3]]], ignore_index=True)
    r = rfm(dup, **KW)
    assert r.audit.reasons.at["duplicate_row", "count"] == 3 and r.table.at["a", "frequency"] == 2
    assert r.audit.positions["duplicate_row"].tolist() == [5, 6, 7]
    kept = rfm(dup, **KW, duplicates="keep")
    assert kept.table.at["a", "frequency"] == 4 and kept.audit.reasons.at["duplicate_row", "action"] == "kept"
    # equal in the analysed columns but not in every column: two genuine orders
    twin = pd.concat([small(order=list("12345")), small(order=list("12345")).iloc[[0]].assign(order="6")])
    assert rfm(twin, **KW).audit.reasons.at["duplicate_row", "count"] == 0


def test_empty_table_missing_column_and_bad_options():
    with pytest.raises(EmptyDataError, match="no rows"):
        rfm(small().iloc[:0], **KW)
    with pytest.raises(ValueError, match=r"'amount' parameter of rfm names column 'amount' \(did you mean 'amt'\?\)"
                                         r".*3 columns: 'cust', 'when', 'amt'"):
        rfm(small(), customer="cust", date="when", amount="amount", as_of="2026-10-31")
    with pytest.raises(EmptyDataError, match="No row of the 5"), pytest.warns(TransactionWarning):
        rfm(small(amt=["x"] * 5), **KW)
    with pytest.raises(DataError, match="holds numbers.*Excel serial"):
        rfm(small(when=[46000] * 5), **KW)
    with pytest.raises(TypeError, match="needs the analysis date"):
        rfm(small(), customer="cust", date="when", amount="amt")
    with pytest.raises(ValueError, match="'as_of' parameter of rfm must be a date"):
        rfm(small(), **{**KW, "as_of": "soon"})
    with pytest.raises(ValueError, match="'returns' parameter of rfm must be one of 'net', 'drop'"):
        rfm(small(), **KW, returns="keep")
    with pytest.raises(ValueError, match="'frequency' parameter of rfm must be one of"):
        rfm(small(), **KW, frequency="weeks")
    with pytest.raises(ValueError, match="'bins' parameter"):
        rfm(small(), **KW, bins=1)
    with pytest.raises(ValueError, match="'high_recovery' window .* must end before"):
        rfm(small(), **KW, high_recovery=(90, 200))
    with pytest.raises(ValueError, match="'low_recovery' parameter of rfm must be a pair"):
        rfm(small(), **KW, low_recovery=(360, 180))
    with pytest.raises(ValueError, match="name the same column"):
        rfm(small(), customer="cust", date="when", amount="amt", cost="amt", as_of="2026-10-31")
    p = prepare_transactions(small(), **KW)
    with pytest.raises(ValueError, match="prepared transactions and also 'customer'"):
        rfm(p, customer="cust")
    with pytest.raises(ValueError, match="differs from the as_of the transactions were prepared with"):
        rfm(p, as_of="2026-01-01")
    with pytest.raises(ValueError, match="returns='drop' but the transactions were prepared with returns='net'"):
        rfm(p, returns="drop")
    with pytest.raises(ValueError, match="'period' parameter of repurchase_rate"):
        repurchase_rate(p, period="week")
    with pytest.raises(ValueError, match="'since' parameter of repurchase_rate .* is after as_of"):
        repurchase_rate(p, since="2027-01-01")
    with pytest.raises(TypeError, match="one column of customer ids"):
        conversion_rate(small(), p)
    with pytest.raises(TypeError, match="'by' parameter of repurchase_rate must be a Series"):
        repurchase_rate(p, by=["x"])
    with pytest.raises(DataError, match="more than one segment"):
        repurchase_rate(p, by=pd.Series(["x", "y"], index=["a", "a"]))


def test_results_render_pickle_and_have_one_line_reprs(prepared, segments):
    listed = segments.index.to_series()
    snake = re.compile(r"^[a-z][a-z0-9_]*$")
    for r in [prepared, prepared.audit, rfm(prepared), repurchase_rate(prepared, by=segments),
              conversion_rate(listed, prepared, by=segments)]:
        name = type(r).__name__
        assert "\n" not in repr(r) and repr(r).startswith(f"<{name}")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. pandas rounding dates in a summary table
            s = r.summary()
            assert s.as_text() and s.as_markdown() and r._repr_html_().startswith("<div")
        pickle.loads(pickle.dumps(r))
        assert all(snake.match(c) for c in r.to_frame().columns), name
    assert prepared.to_frame().shape == (prepared.n_rows, 4)
