"""The questionnaire layer: validity of every construct and the perceived-value model from roles."""

from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL_CSV, write_csv

import surveykit as sk
from surveykit.psychometrics import construct_validity, value_measurement


@pytest.fixture(scope="module")
def data():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.example_data().clean()


def test_validity_table_is_one_cfa_on_reverse_coded_items(data):
    v = data.validity(["product_value", "monetary_cost", "time_cost"])
    model = {c: list(data.questionnaire.items_of(c)) for c in ("product_value", "monetary_cost", "time_cost")}
    x = data.scored_items()[[i for its in model.values() for i in its]]
    direct = sk.cfa(x, model)
    table = v.to_frame()
    pd.testing.assert_frame_equal(table[["cr", "ave", "sqrt_ave"]], direct.validity)
    assert v.cfa.n_obs == len(x.dropna()) and v.cfa.fit == direct.fit
    # alpha on the CFA's respondents, reverse-worded cost_money_2 recoded: all loadings positive
    assert table.loc["monetary_cost", "alpha"] == pytest.approx(sk.reliability(x.dropna()[model["monetary_cost"]]).alpha)
    assert (v.cfa.estimates["std_estimate"] > 0.4).all()
    phi = v.cfa.phi.abs().to_numpy().copy()
    np.fill_diagonal(phi, 0)
    np.testing.assert_allclose(table["max_r"], phi.max(axis=1))
    assert (table["fornell_larcker_ok"] == (table["sqrt_ave"] > table["max_r"])).all()
    assert list(table.columns[:3]) == ["label", "n_items", "alpha"] and table.loc["time_cost", "n_items"] == 2


def test_default_validity_covers_every_multi_item_construct(data):
    table = data.validity().to_frame()
    q = data.questionnaire
    assert list(table.index) == [c for c, v in q.constructs.items() if len(v.items) >= 2]
    assert table["convergent_ok"].all()  # the example study is built with sound scales
    html = data.validity()._repr_html_()
    assert "HTMT" in html and "Fornell" in html and "产品价值" in html


def test_validity_result_renders_pickles_and_has_a_one_line_repr(data):
    """ConstructValidity behaves as every result (tests/test_package.py lists it here)."""
    v = data.validity(["product_value", "time_cost"])
    assert "\n" not in repr(v) and repr(v).startswith("<ConstructValidity ")
    assert v.summary().as_text() and v.summary().as_markdown() and v._repr_html_().startswith("<div")
    back = pickle.loads(pickle.dumps(v))
    pd.testing.assert_frame_equal(back.to_frame(), v.to_frame())
    assert all(re.match(r"^[a-z][a-z0-9_]*$", c) for c in v.to_frame().columns)


def test_value_measurement_comes_from_the_roles(data):
    v = value_measurement(data)
    q = data.questionnaire
    benefits, sacrifices = q.roles["perceived_benefits"].values(), q.roles["perceived_sacrifices"].values()
    assert list(v.cfa.model) == [*benefits, *sacrifices, "perceived_value"]
    assert {v.groups[c] for c in benefits} == {"perceived_benefits"}
    assert {v.groups[c] for c in sacrifices} == {"perceived_sacrifices"}
    assert v.to_frame()["group"].tolist().count("perceived_sacrifices") == 4
    assert v.cfa.loadings.loc["cost_money_2", "monetary_cost"] > 0.4  # reverse key applied


def test_value_measurement_needs_its_roles(tmp_path, small_q):
    small = sk.read_responses(write_csv(tmp_path / "s.csv", SMALL_CSV), small_q)
    with pytest.raises(sk.QuestionnaireError, match="(?s)2 problems.*perceived_benefits.*perceived_sacrifices"):
        value_measurement(small)
    with pytest.raises(KeyError, match="no constructs \\['nope'\\]"):
        construct_validity(small, ["nope"])
