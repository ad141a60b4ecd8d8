"""Roles with options (issue 16): ``loyalty: {items, include_recommend}``, ``drivers: {outcome, drivers}``,
and unknown role keys reported with the known ones, every problem at once."""

from __future__ import annotations

import copy

import pytest
import yaml

import surveykit as sk
from surveykit.questionnaire.model import ROLE_NAMES, DriversRole, LoyaltyRole


@pytest.fixture(scope="module")
def raw():
    from surveykit.questionnaire.load import bundled_questionnaire

    return yaml.safe_load(bundled_questionnaire("customer_value").read_text(encoding="utf-8"))


def _problems(raw):
    with pytest.raises(sk.QuestionnaireError) as exc:
        sk.load_questionnaire(raw)
    return str(exc.value)


def test_role_options_load(raw):
    r = copy.deepcopy(raw)
    r["roles"].update(loyalty={"items": ["loy_repurchase", "loy_price"], "include_recommend": True},
                      drivers={"outcome": "satisfaction", "drivers": ["product_value", "service_value"]})
    q = sk.load_questionnaire(r)
    assert q.roles["loyalty"] == LoyaltyRole(items=("loy_repurchase", "loy_price"), include_recommend=True)
    assert q.recommend_in_loyalty and q.resolve_role("loyalty") == ("loy_repurchase", "loy_price")
    assert isinstance(q.roles["drivers"], DriversRole)
    assert q.resolve_role("drivers") == ("prod_1", "prod_2", "prod_3", "svc_1", "svc_2", "svc_3")
    plain = sk.load_questionnaire(raw)
    assert not plain.recommend_in_loyalty and plain.roles["loyalty"] == "loyalty"


def test_unknown_role_keys_and_bad_options_all_at_once(raw):
    r = copy.deepcopy(raw)
    r["roles"].update(perceived_qualty="product_value", hardware={"a": "product_value"},
                      loyalty={"items": ["loy_x"], "include_recommend": "maybe"},
                      drivers={"outcome": "satisfactio", "drivers": "service_value"})
    r["items"][0]["scale"] = "nope"
    text = _problems(r)
    known = ", ".join(ROLE_NAMES)
    assert f"roles.perceived_qualty: unknown role (roles: {known})" in text
    assert f"roles.hardware: unknown role (roles: {known})" in text
    assert "drivers.drivers: Input should be a valid tuple (e.g. {outcome: satisfaction, drivers: [" in text
    assert "loyalty.include_recommend: Input should be a valid boolean" in text
    assert "items[0].scale: unknown scale 'nope'" in text  # found alongside


def test_unknown_names_inside_role_options(raw):
    r = copy.deepcopy(raw)
    r["roles"].update(loyalty={"items": ["loy_x", "loy_price"]},
                      drivers={"outcome": "satisfactio", "drivers": ["product_value", "zzz"]})
    del r["roles"]["nps"]
    r["roles"]["loyalty"]["include_recommend"] = True
    text = _problems(r)
    assert "roles.loyalty.items[0]: unknown construct or item 'loy_x'" in text
    assert "roles.drivers.outcome: unknown construct or item 'satisfactio'" in text
    assert "roles.drivers.drivers[1]: unknown construct or item 'zzz'" in text
    assert "roles.loyalty.include_recommend: there is no recommend item to include" in text


def test_options_only_where_they_belong(raw):
    r = copy.deepcopy(raw)
    r["roles"]["satisfaction"] = {"outcome": "satisfaction", "drivers": ["product_value", "service_value"]}
    assert "roles.satisfaction: must name a construct or item, or map parts to them" in _problems(r)
    r = copy.deepcopy(raw)
    r["roles"]["drivers"] = {"outcome": "satisfaction", "drivers": ["satisfaction", "service_value"]}
    assert "roles: drivers: the outcome 'satisfaction' is also listed as a driver" in _problems(r)
