"""``SurveyData.ipma()``: the importance-performance map of the study's PLS model, constructs labelled,
the same numbers as the numeric ``ipma`` of ``csi_model`` (checked against R in test_ipma.py)."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import QuestionnaireError
from surveykit.indices.survey_pls import SurveyIPMA, SurveyPLS


def test_ipma_of_the_example_is_the_numeric_map_of_its_pls_model(example):
    m = example.ipma(language="zh")
    assert isinstance(m, SurveyIPMA) and isinstance(m.model, SurveyPLS)
    # the target is the end of the index chain: every other construct of the model is on the map
    assert m.target == "loyalty" and list(m.result.table.index) == ["perceived_value", "satisfaction", "complaints"]
    expected = sk.ipma(example.csi_model(), "loyalty", language="zh")
    pd.testing.assert_frame_equal(m.result.table, expected.table)  # same numbers, nothing recomputed differently
    assert m.result.target_performance == expected.target_performance
    frame = m.to_frame()
    assert frame.loc["perceived_value", "label"] == "感知价值" and frame.loc["complaints", "label"] == "顾客抱怨"
    # importance: the unstandardized total effect, here direct plus the paths through satisfaction
    assert frame.loc["perceived_value", "direct"] == 0 and frame.loc["perceived_value", "importance"] > 0
    first = frame.sort_values("priority").iloc[0]  # important and below the mean performance: improve first
    assert first.name == "satisfaction" and first["quadrant"] == "concentrate"
    paths = m.model.to_frame()
    assert "感知价值 → 顾客满意度" in paths.index
    np.testing.assert_allclose(paths["estimate"].to_numpy(), example.csi_model().inner_model["estimate"].to_numpy())


def test_ipma_interpretations_name_the_constructs_by_their_labels(example):
    zh, en = example.ipma(language="zh"), example.ipma(language="en")
    text = zh.interpret("zh").paragraph
    assert "顾客忠诚度" in text and "顾客满意度" in text and "感知价值" in text
    assert not any(lv in text for lv in ("loyalty", "satisfaction", "perceived_value", "complaints"))
    model = en.model.interpret("en").paragraph
    assert "Perceived value → Satisfaction" in model and "Customer complaints" in model and "perceived_value" not in model
    # 'both': each language gets its own half of the label
    both = example.ipma(language="both")
    assert "Loyalty" in both.interpret("en").paragraph and "顾客忠诚度" not in both.interpret("en").paragraph
    assert "顾客忠诚度" in both.interpret("zh").paragraph


def test_ipma_target_and_bad_input(example, small_q):
    with pytest.warns(sk.SurveykitWarning, match="Only 1 predecessor"):
        sat = example.ipma(target="satisfaction", language="en")
    assert list(sat.result.table.index) == ["perceived_value"]
    assert any("several predecessors" in n for n in sat.notes)  # one predecessor: the map says little, and says so
    with pytest.raises(ValueError, match="'target' parameter of ipma .* Got 'value'"):
        example.ipma(target="value")
    with pytest.raises(ValueError, match="'split' parameter"):
        example.ipma(split="median")
    data = sk.read_responses(pd.DataFrame({"id": [1, 2, 3], "q1": [1, 2, 3], "q2": [2, 3, 4], "q3": [3, 3, 3],
                                           "q4": [1, 2, 2], "gender": [1, 2, 1], "seconds": [300, 200, 250],
                                           "comment": ["", "", ""]}), small_q)
    with pytest.raises(QuestionnaireError):  # no satisfaction index roles: no model to map
        data.ipma()


def test_results_render_pickle_and_repr(example):
    m = example.ipma(language="en")
    for r in (m, m.model):
        assert "\n" not in repr(r) and r._repr_html_().startswith("<div")
        again = pickle.loads(pickle.dumps(r))
        pd.testing.assert_frame_equal(again.to_frame(), r.to_frame())
    assert repr(m).startswith("<SurveyIPMA target='loyalty'") and repr(m.model).startswith("<SurveyPLS")
