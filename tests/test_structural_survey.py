"""The questionnaire layer of structural models: the value chain from the roles (checked against lavaan),
invariance across any segment, mediation and moderation by construct names, on the example study and
on the hotel and weighted panel studies of tests/studies."""

from __future__ import annotations

import pickle
import re
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.questionnaire.model import Questionnaire

REF = Path(__file__).parent / "reference" / "data"
STUDIES = Path(__file__).parent / "studies"


@pytest.fixture(scope="module")
def data(example):
    return example


@pytest.fixture(scope="module")
def value_model(example_value_model):
    return example_value_model


@pytest.fixture(scope="module")
def hotel():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(STUDIES / "hotel_wjx.csv", sk.load_questionnaire(STUDIES / "hotel.yaml"))


@pytest.fixture(scope="module")
def panel():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(STUDIES / "panel_qualtrics.csv", sk.load_questionnaire(STUDIES / "panel.yaml"))


def with_roles(data, **roles):
    """The same responses under a questionnaire whose roles are replaced."""
    q = data.questionnaire
    changed = Questionnaire.model_validate({**q.model_dump(exclude={"source"}), "roles": {**q.model_dump()["roles"],
                                                                                          **roles}})
    return replace(data, questionnaire=changed)


# -- the value chain ------------------------------------------------------------------------------

def test_value_model_equals_lavaan_on_the_example_study(value_model):
    """tests/reference/value_model.R fits the same syntax with lavaan 0.6 sem(); estimates and fit
    measures agree to 1e-4 relative (both are iterative ML solutions, converged to ~1e-6)."""
    assert value_model.sem.model + "\n" == (REF / "value_model_example.lav").read_text(encoding="utf-8"), \
        "the model built from the roles changed: rerun make_value_model_input.py and value_model.R"
    lav = pd.read_csv(REF / "value_model_lavaan.csv")
    fit = lav[lav.kind == "fit"].set_index("lhs")["est"]
    assert value_model.n_obs == int(fit["n_obs"]) and value_model.fit["df"] == int(fit["df"])
    for k in ("chi2", "cfi", "tli", "rmsea", "srmr", "aic", "bic"):
        np.testing.assert_allclose(value_model.fit[k], fit[k], rtol=1e-4, err_msg=k)
    params = lav[lav.kind == "param"]
    regs = params[params.op == "~"].set_index(["rhs", "lhs"])
    paths = value_model.paths.set_index(["from", "to"])
    for col in ("est", "se", "std_all"):
        np.testing.assert_allclose(paths[col], regs.loc[paths.index, col], rtol=1e-4, err_msg=col)
    defined = params[params.op == ":="].set_index("lhs")
    names = ["ind__" + "__".join([e.split(" -> ")[0], e.split(" -> ")[-1]]) for e in value_model.indirect.index]
    for col in ("est", "se", "ci_low", "ci_high", "std_all"):
        np.testing.assert_allclose(value_model.indirect[col], defined.loc[names, col], rtol=1e-4, err_msg=col)
    r2 = lav[lav.kind == "r2"].set_index("lhs")["est"]
    np.testing.assert_allclose(value_model.r2, r2.loc[value_model.r2.index], rtol=1e-4)
    second = params[(params.op == "=~") & params.lhs.isin(["perceived_benefits", "perceived_sacrifices"])]
    np.testing.assert_allclose(value_model.loadings["std_all"], second["std_all"], rtol=1e-4)


def test_value_model_follows_the_roles(data, value_model):
    q = data.questionnaire
    assert value_model.levels == (("perceived_benefits", "perceived_sacrifices"), ("perceived_value",),
                                  ("satisfaction",), ("loyalty",))
    kinds = value_model.nodes["kind"]
    assert set(kinds[kinds == "first_order"].index) == {*q.roles["perceived_benefits"].values(),
                                                        *q.roles["perceived_sacrifices"].values()}
    assert kinds["perceived_benefits"] == kinds["perceived_sacrifices"] == "second_order"
    assert value_model.labels["perceived_value"] == "感知价值" and value_model.labels["time_cost"] == "时间成本"
    # the reverse-worded price item loads positively on monetary cost: its key was applied
    e = value_model.sem.estimates
    assert e[(e.lhs == "monetary_cost") & (e.rhs == "cost_money_2")]["std_all"].iloc[0] > 0.5
    # an indirect effect is the product of the paths along its chain, and std_all the product of theirs
    p = value_model.paths.set_index(["from", "to"])
    chain = p.loc[[("perceived_benefits", "perceived_value"), ("perceived_value", "satisfaction"),
                   ("satisfaction", "loyalty")]]
    row = value_model.indirect.loc["perceived_benefits -> perceived_value -> satisfaction -> loyalty"]
    assert row["est"] == pytest.approx(chain["est"].prod(), rel=1e-12)
    assert row["std_all"] == pytest.approx(chain["std_all"].prod(), rel=1e-10)
    assert row["ci"] == "delta" and value_model.bootstrap == 0 and value_model.weighted is False
    # the listwise loss is said, with its count
    dropped = value_model.sem.n_dropped
    assert dropped > 0 and any(f"{dropped} of {data.n_respondents}" in n for n in value_model.notes)


def test_value_model_bootstrap_gives_percentile_intervals(data):
    vm = data.value_model(bootstrap=10, seed=3)
    assert vm.bootstrap == 10 and (vm.indirect["ci"] == "percentile").all()
    assert (vm.indirect["ci_low"] < vm.indirect["est"]).all() and (vm.indirect["est"] < vm.indirect["ci_high"]).all()
    again = data.value_model(bootstrap=10, seed=3)
    pd.testing.assert_frame_equal(vm.indirect, again.indirect)


def test_single_item_sub_dimensions_are_pooled_and_a_single_item_role_is_observed(data):
    d = with_roles(data, perceived_benefits={"product": "prod_1", "service": "svc_1", "personnel": "personnel_value"},
                   satisfaction="sat_overall")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.SurveykitWarning)  # two pooled items under a second-order factor: Heywood
        vm = d.value_model(language="en")
    nodes = vm.nodes
    assert nodes.loc["perceived_benefits_items", "kind"] == "first_order"
    assert nodes.loc["perceived_benefits_items", "indicators"] == "prod_1 + svc_1"
    assert nodes.loc["sat_overall", "kind"] == "observed" and vm.levels[2] == ("sat_overall",)
    assert "sat_overall ~ perceived_value__sat_overall*perceived_value" in vm.sem.model
    lone = with_roles(data, perceived_benefits={"product": "prod_1", "service": "service_value"})
    with pytest.raises(sk.QuestionnaireError, match="roles.perceived_benefits.*'prod_1' is a single item"):
        lone.value_model()


def test_the_chain_skips_a_missing_role(data):
    q = data.questionnaire
    roles = {k: v for k, v in q.model_dump()["roles"].items() if k != "perceived_value"}
    d = replace(data, questionnaire=Questionnaire.model_validate({**q.model_dump(exclude={"source"}), "roles": roles}))
    vm = d.value_model()
    assert vm.levels == (("perceived_benefits", "perceived_sacrifices"), ("satisfaction",), ("loyalty",))
    assert list(vm.indirect.index) == ["perceived_benefits -> satisfaction -> loyalty",
                                       "perceived_sacrifices -> satisfaction -> loyalty"]


def test_a_study_without_the_chain_gets_a_clear_error(hotel):
    with pytest.raises(sk.QuestionnaireError, match="needs two of its levels.*has \\['satisfaction'\\]"):
        hotel.value_model()


def test_value_model_result_behaves_as_every_result(value_model):
    assert "\n" not in repr(value_model) and repr(value_model).startswith("<SurveyValueModel ")
    text = value_model.summary().as_text()
    assert "Indirect effects" in text and "unweighted" in text
    assert value_model._repr_html_().startswith("<div")
    back = pickle.loads(pickle.dumps(value_model))
    pd.testing.assert_frame_equal(back.paths, value_model.paths)
    assert all(re.match(r"^[a-z][a-z0-9_]*$", c) for c in value_model.to_frame().columns)


# -- invariance -------------------------------------------------------------------------------------

def test_invariance_across_a_segment_uses_its_labels_and_the_questionnaires_constructs(data):
    inv = data.invariance("tier", language="en")
    assert inv.constructs == data.questionnaire.invariance.constructs == ("perceived_value", "satisfaction", "loyalty")
    assert list(inv.n_by_level.index) == ["Tier A", "Tier B", "Tier C"] == list(inv.result.groups)
    assert inv.n_by_level.sum() == inv.result.n_obs
    # the same as the numeric call on the same rows
    q = data.questionnaire
    items = [i for c in inv.constructs for i in q.items_of(c)]
    frame = data.scored_items()[items].assign(tier=data.responses["tier"]).dropna().sort_values("tier", kind="stable")
    model = "\n".join(f"{c} =~ {' + '.join(q.items_of(c))}" for c in inv.constructs)
    direct = sk.invariance(frame, model, "tier")
    np.testing.assert_allclose(inv.table[["chi2", "cfi", "rmsea", "srmr"]], direct.table[["chi2", "cfi", "rmsea", "srmr"]],
                               rtol=1e-10)
    assert inv.highest == direct.highest and inv.weighted is False
    assert "\n" not in repr(inv) and "Measurement invariance" in inv.summary().as_text()
    assert type(inv).__name__ == "SurveyInvariance" and inv._repr_html_().startswith("<div")
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(inv)).table, inv.table)


def test_invariance_on_the_hotel_study_defaults_to_every_multi_item_construct(hotel):
    inv = hotel.invariance("gender", levels=("configural", "metric"))
    assert inv.constructs == ("hardware", "service", "food", "satisfaction")
    assert list(inv.table.index) == ["configural", "metric"] and list(inv.n_by_level.index) == ["男", "女"]
    with pytest.raises(KeyError, match="no item 'nope'"):
        hotel.invariance("nope")
    with pytest.raises(KeyError, match="no constructs \\['nope'\\]"):
        hotel.invariance("gender", constructs=["nope"])


def test_a_weighted_study_weights_invariance_and_says_mediation_and_moderation_are_unweighted(panel):
    inv = panel.invariance("Q3", levels=("configural", "metric"))
    assert inv.weighted is True and any("'panel_weight'" in n and "sampling.weights" in n for n in inv.notes)
    assert "chi2_scaled" in inv.result.fits["metric"].fit  # weighted fits are MLR, as lavaan's
    plain = panel.unweighted().invariance("Q3", levels=("configural", "metric"))
    assert plain.weighted is False and not any("panel_weight" in n for n in plain.notes)
    assert abs(inv.table.loc["configural", "chi2"] - plain.table.loc["configural", "chi2"]) > 1e-3
    mo = panel.moderation("quality", "Q1_4", "satisfaction")
    assert any("'panel_weight'" in n for n in mo.notes)
    assert not any("panel_weight" in n for n in panel.unweighted().moderation("quality", "Q1_4", "satisfaction").notes)


# -- mediation and moderation by construct names ------------------------------------------------------

def test_mediation_by_construct_names_is_mediation_of_the_construct_scores(hotel):
    r = hotel.mediation("hardware", "service", "satisfaction", bootstrap=300, seed=5)
    direct = sk.mediation(hotel.construct_scores(), "hardware", "service", "satisfaction", bootstrap=300, seed=5)
    pd.testing.assert_frame_equal(r.effects, direct.effects)
    assert any("hardware = mean of hw_1, hw_2, hw_3" in n for n in r.notes)
    parallel = hotel.mediation("hardware", ["service", "food"], "satisfaction", bootstrap=100, seed=1)
    assert parallel.kind == "parallel"


def test_moderation_takes_constructs_and_items_and_refuses_what_it_cannot_score(data):
    r = data.moderation("perceived_value", "monetary_cost", "satisfaction")
    scores = data.construct_scores()
    direct = sk.moderation(scores, "perceived_value", "monetary_cost", "satisfaction")
    pd.testing.assert_frame_equal(r.simple_slopes, direct.simple_slopes)
    item = data.moderation("perceived_value", "cost_money_2", "satisfaction")  # an item: reverse key applied
    assert item.n_obs > 0
    with pytest.raises(ValueError, match="'gender' is a single_choice item"):
        data.moderation("perceived_value", "gender", "satisfaction")
    with pytest.raises(KeyError, match="'nope' is neither a construct nor an item"):
        data.mediation("nope", "perceived_value", "satisfaction")


# -- the questionnaire option ---------------------------------------------------------------------------

def test_the_invariance_option_names_listed_segments_and_multi_item_constructs(tmp_path):
    text = (Path(sk.__file__).parents[1] / "questionnaires" / "customer_value.yaml").read_text(encoding="utf-8")
    bad = text.replace("invariance: {segments: [tier], constructs: [perceived_value, satisfaction, loyalty]}",
                       "invariance: {segments: [tier, comment], constructs: [perceived_value, nope]}")
    assert bad != text
    path = tmp_path / "q.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(sk.QuestionnaireError) as err:
        sk.load_questionnaire(path)
    message = str(err.value)
    assert "invariance.segments[1]: 'comment' is not listed under 'segments'" in message
    assert "invariance.constructs[1]: unknown construct 'nope'" in message
