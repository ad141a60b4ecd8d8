"""Reliability, KMO and Bartlett against R psych 2.2.9 (tests/reference/psychometrics.R)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).parent / "reference" / "data"
EXPECTED = pd.read_csv(REF / "psychometrics_expected.csv", keep_default_na=False)
SHAPES = ["clean", "missing", "reverse", "near_singular"]
POLICIES = ["listwise", "pairwise"]
# Closed-form statistics: R writes 15 significant digits; the rest is floating-point order.
RTOL = 1e-9


def expected(shape, policy, quantity):
    rows = EXPECTED[(EXPECTED["shape"] == shape) & (EXPECTED["nan_policy"] == policy) & (EXPECTED["quantity"] == quantity)]
    return rows.set_index("item")["value"].astype(float)


def data(shape):
    return pd.read_csv(REF / f"psy_{shape}.csv")


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("shape", SHAPES)
def test_reliability_matches_psych_alpha(shape, policy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.SurveykitWarning)
        r = sk.reliability(data(shape), nan_policy=policy)
    for name in ("alpha", "std_alpha", "average_r", "ci_low", "ci_high"):
        np.testing.assert_allclose(getattr(r, name), expected(shape, policy, name).iloc[0], rtol=RTOL, err_msg=name)
    for col in ("r_drop", "alpha_if_deleted", "mean", "sd"):
        ref = expected(shape, policy, col)
        np.testing.assert_allclose(r.items.loc[ref.index, col], ref.to_numpy(), rtol=RTOL, err_msg=col)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("shape", SHAPES)
def test_kmo_and_bartlett_match_psych(shape, policy):
    k = sk.kmo(data(shape), nan_policy=policy)
    np.testing.assert_allclose(k.overall, expected(shape, policy, "kmo").iloc[0], rtol=RTOL)
    ref = expected(shape, policy, "msa")
    np.testing.assert_allclose(k.items.loc[ref.index, "msa"], ref.to_numpy(), rtol=RTOL)
    b = sk.bartlett(data(shape), nan_policy=policy)
    np.testing.assert_allclose([b.chi2, b.df, b.p_value],
                               [expected(shape, policy, q).iloc[0] for q in ("chi2", "df", "p_value")], rtol=1e-8)


def test_missing_answers_listwise_vs_pairwise_differ_and_are_counted():
    listwise = sk.reliability(data("missing"))
    pairwise = sk.reliability(data("missing"), nan_policy="pairwise")
    assert listwise.n_dropped > 50 and listwise.n_obs + listwise.n_dropped == 300 and pairwise.n_obs == 300
    assert listwise.alpha != pairwise.alpha


def test_reverse_worded_item_warns_and_is_noted():
    with pytest.warns(sk.SurveykitWarning, match=r"\['i3'\] correlate negatively .* reverse"):
        r = sk.reliability(data("reverse"))
    assert r.items.loc["i3", "r_drop"] < 0 and r.notes


def test_bad_input_gets_clear_errors():
    x = data("clean")
    with pytest.raises(sk.DataError, match=r"items \['i2'\] are constant"):
        sk.reliability(x.assign(i2=3.0))
    with pytest.raises(ValueError, match="at least 2 items"):
        sk.reliability(x[["i1"]])
    with pytest.raises(ValueError, match="The 'nan_policy' parameter of reliability must be one of"):
        sk.reliability(x, nan_policy="drop")
    with pytest.raises(sk.DataError, match="singular"):
        sk.kmo(x.assign(i6=x["i1"] + x["i2"]))
    with pytest.raises(sk.DataError, match="not numbers"):
        sk.bartlett(x.assign(i1=x["i1"].astype(object).where(x.index > 0, "很好")))


def test_results_render():
    for r in (sk.reliability(data("clean")), sk.kmo(data("clean")), sk.bartlett(data("clean"))):
        assert "\n" not in repr(r) and r.summary().as_text() and r._repr_html_().startswith("<div")
        assert all(c.islower() for c in r.to_frame().columns)


def test_construct_reliability_applies_reverse_keys():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.example_data("sav")
    table = data.reliability().to_frame()
    assert set(table.index) == {c for c, v in data.questionnaire.constructs.items() if len(v.items) >= 2}
    assert (table["min_r_drop"] > 0.3).all() and (table["alpha"] > 0.6).all()
    raw = data.items("monetary_cost", scored=False).dropna()
    with pytest.warns(sk.SurveykitWarning, match="cost_money_2"):
        assert sk.reliability(raw).items.loc["cost_money_2", "r_drop"] < 0
