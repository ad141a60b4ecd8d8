"""The satisfaction index model from the roles: the ACSI / ECSI paths between the constructs present."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

import surveykit as sk
from surveykit.indices.csi import CSI_PATHS, csi_model


@pytest.fixture(scope="module")
def data():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.example_data().clean()


def test_model_is_the_csi_paths_between_the_roles_present(data):
    m = data.csi_model()
    assert m.paths == {"satisfaction": ("perceived_value",), "complaints": ("satisfaction",),
                       "loyalty": ("satisfaction", "complaints")}
    assert list(m.blocks["satisfaction"]) == ["sat_overall", "sat_expect", "sat_ideal"]
    for target, sources in m.paths.items():
        assert all(target in CSI_PATHS[s] for s in sources)
    items = [i for its in m.blocks.values() for i in its]
    direct = sk.pls_pm(data.scored_items()[items], m.blocks, m.paths, scheme="path", scaled=False,
                       scale_min={i: 1 for i in items}, scale_max={**{i: 5 for i in items}, "complained": 2})
    assert m.path_coefs.equals(direct.path_coefs)
    assert m.index["index"].between(0, 100).all()


def test_too_few_roles_is_a_questionnaire_error(data):
    q = data.questionnaire
    only = q.model_copy(update={"roles": {"satisfaction": "satisfaction"}})
    with pytest.raises(sk.QuestionnaireError, match="at least two linked roles"):
        csi_model(dataclasses.replace(data, questionnaire=only))
