"""The questionnaire layer of the indices: every index the roles allow, overall and by segment."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.indices.survey import OVERALL
from surveykit.questionnaire.model import ColumnRef


@pytest.fixture(scope="module")
def data():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.example_data().clean()


@pytest.fixture(scope="module")
def indices(data):
    return data.indices(language="en")


def test_every_index_the_roles_allow(indices):
    assert list(indices.overall.index) == [
        "satisfaction_index", "top2_box:sat_overall", "top2_box:sat_expect", "top2_box:sat_ideal", "loyalty_index",
        "nps", "value_index", "delivered_value", "delivered_value_ratio"]
    assert indices.overall.loc["delivered_value", "label"] == "Customer delivered value: value − cost (Kotler)"
    assert not indices.weighted and indices.segments == ("gender", "age_band", "region", "tier", "tenure")


def test_overall_equals_the_numeric_layer(data, indices):
    scored = data.scored_items()
    q = data.questionnaire
    sat = sk.satisfaction_index(scored[list(q.items_of("satisfaction"))], scale_min=1, scale_max=5)
    assert indices.overall.loc["satisfaction_index", "estimate"] == pytest.approx(sat.estimate, rel=1e-14)
    assert indices.overall.loc["satisfaction_index", "se"] == pytest.approx(sat.se, rel=1e-14)
    # issue 16: the loyalty index holds the declared loyalty items only; the 0-10 recommend item is NPS
    loy = sk.loyalty_index(scored[["loy_repurchase", "loy_price"]], scale_min=1, scale_max=5)
    assert indices.overall.loc["loyalty_index", "estimate"] == pytest.approx(loy.estimate, rel=1e-14)
    assert indices.overall.loc["nps", "estimate"] == pytest.approx(sk.nps(scored["loy_recommend"]).score, rel=1e-14)
    scores = data.construct_scores()
    value = sk.delivered_value({k: scores[k + "_value"] for k in ["product", "service", "personnel", "image"]},
                               {k: scores[k + "_cost"] for k in ["monetary", "time", "energy", "physical"]})
    assert indices.overall.loc["delivered_value", "estimate"] == pytest.approx(value.difference, rel=1e-14)
    assert indices.overall.loc["delivered_value_ratio", "estimate"] == pytest.approx(value.ratio, rel=1e-14)
    assert indices.overall.loc["delivered_value_ratio", "ci_low"] == pytest.approx(value.table.at["ratio", "ci_low"])
    assert isinstance(indices.results["nps"], sk.NPSResult)


def test_segments_partition_the_respondents(data, indices):
    region = indices.table[indices.table.segment == "region"]
    nps_rows = region[region["index"] == "nps"]
    assert nps_rows.n_obs.sum() == indices.overall.loc["nps", "n_obs"]  # every respondent in one region
    wide = indices.by_segment("region")
    assert list(wide.index) == list(data.segment("region").cat.categories)
    north = data.segment("region") == wide.index[0]
    direct = sk.nps(data.scored_items().loc[north.to_numpy(), "loy_recommend"])
    assert wide.iloc[0]["nps"] == pytest.approx(direct.score, rel=1e-14)
    with pytest.raises(KeyError, match="No segment 'city'"):
        indices.by_segment("city")


def test_weights_from_the_questionnaire(data):
    rng = np.random.default_rng(1)
    w = rng.uniform(0.5, 2.0, data.n_respondents)
    q = data.questionnaire.model_copy(update={"weight": ColumnRef(column="w")})
    weighted = dataclasses.replace(data, questionnaire=q, meta=data.meta.assign(weight=w))
    ix = weighted.indices(segments=["gender"])
    assert ix.weighted
    direct = sk.nps(data.scored_items()["loy_recommend"], weights=w)
    assert ix.overall.loc["nps", "estimate"] == pytest.approx(direct.score, rel=1e-14)
    assert ix.overall.loc["nps", "effective_n"] == pytest.approx(direct.effective_n, rel=1e-12)
    assert ix.overall.loc["nps", "effective_n"] < ix.overall.loc["nps", "n_obs"]


def test_small_and_empty_groups_are_notes_not_numbers(data):
    small = data.responses.copy()
    tier_c = small.index[small["tier"] == 3]
    small.loc[tier_c[1:], "tier"] = 2  # Tier C keeps a single respondent
    lonely = dataclasses.replace(data, responses=small)
    ix = lonely.indices(segments=["tier"])
    level = lonely.segment("tier").cat.categories[2]
    rows = ix.table[(ix.table.segment == "tier") & (ix.table.level == level)]
    assert len(rows) == len(ix.overall) and rows.estimate.isna().all()
    assert any("1 respondent(s) in the group" in n for n in ix.notes)
    # the other tiers are estimated
    assert ix.table[(ix.table.segment == "tier") & (ix.table.level != level)].estimate.notna().all()


def test_bootstrap_intervals_are_reproducible(data):
    a = data.indices(segments=["gender"], bootstrap=200, seed=7)
    b = data.indices(segments=["gender"], bootstrap=200, seed=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert (a.overall.ci_method == "bca").all()
    inside = (a.table.ci_low <= a.table.estimate) & (a.table.estimate <= a.table.ci_high)
    assert inside.all()


def test_missing_roles_are_said(data):
    q = data.questionnaire
    roles = {k: v for k, v in q.roles.items() if k not in ("perceived_benefits", "nps")}
    ix = dataclasses.replace(data, questionnaire=q.model_copy(update={"roles": roles})).indices(segments=[])
    assert "nps" not in ix.overall.index and "delivered_value" not in ix.overall.index
    assert any("perceived_benefits" in n for n in ix.notes)
    assert ix.table.segment.eq(OVERALL).all()
    none = q.model_copy(update={"roles": {}})
    with pytest.raises(sk.QuestionnaireError, match="no index can be computed"):
        dataclasses.replace(data, questionnaire=none).indices()


def test_index_notes_list_their_items(indices):
    notes = "\n".join(indices.notes)
    assert "(loyalty_index): the mean of loy_repurchase (1-5), loy_price (1-5)," in notes
    assert "(satisfaction_index): the mean of sat_overall (1-5), sat_expect (1-5), sat_ideal (1-5)," in notes
    assert "cost_money_2 (1-5, reversed)" in notes
    assert "Not in the loyalty index" in notes


def test_recommend_joins_loyalty_only_when_declared(data):
    from surveykit.questionnaire.model import LoyaltyRole

    q = data.questionnaire
    roles = {**q.roles, "loyalty": LoyaltyRole(items="loyalty", include_recommend=True)}
    ix = dataclasses.replace(data, questionnaire=q.model_copy(update={"roles": roles})).indices(segments=[])
    scored = data.scored_items()
    items = ["loy_repurchase", "loy_price", "loy_recommend"]  # recommend on 0-10, rescaled by its own scale
    loy = sk.loyalty_index(scored[items], scale_min={"loy_repurchase": 1, "loy_price": 1, "loy_recommend": 0},
                           scale_max={"loy_repurchase": 5, "loy_price": 5, "loy_recommend": 10})
    assert ix.overall.loc["loyalty_index", "estimate"] == pytest.approx(loy.estimate, rel=1e-14)
    assert ix.overall.loc["loyalty_index", "estimate"] != pytest.approx(data.indices().overall.loc[
        "loyalty_index", "estimate"])
    assert any("loy_recommend (0-10)" in n and "loyalty_index" in n for n in ix.notes)


def test_no_analysis_on_repeated_respondent_ids(data):
    index = data.responses.index.to_list()
    index[5] = index[3]
    twice = dataclasses.replace(data, responses=data.responses.set_axis(pd.Index(index, name="respondent_id")),
                                meta=data.meta.set_axis(pd.Index(index, name="respondent_id")))
    expected = (rf"1 respondent ids occur on more than one row .*{index[3]!r}.* "
                r"\(rows \d+, \d+\).*data.clean\(rules=\['duplicate_ids'\]\)")
    for analysis in (twice.indices, twice.themes, twice.reliability, twice.describe, twice.drivers,
                     twice.index_banners, twice.construct_scores):
        with pytest.raises(sk.DataError, match=expected):
            analysis()
    assert twice.clean(rules=["duplicate_ids"]).indices(segments=[]).overall.loc["nps", "n_obs"] > 0
