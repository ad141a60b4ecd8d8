"""Item descriptives against R (tests/reference/descriptives.R) and the example study."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit import describe_items

REF = Path(__file__).parent / "reference" / "data"


def test_describe_items_matches_r():
    x = pd.read_csv(REF / "descriptives_input.csv")
    r = pd.read_csv(REF / "descriptives_expected.csv").set_index("item")
    d = describe_items(x, scale_min=1, scale_max=5)
    # closed-form statistics: R and numpy differ only by floating-point summation order
    cols = ["n_obs", "mean", "sd", "median", "top_box", "bottom_box"]
    np.testing.assert_allclose(d.table[cols].to_numpy(float), r[cols].to_numpy(float), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(d.distribution.to_numpy(), r[[f"p{k}" for k in range(1, 6)]].to_numpy(), atol=1e-12)
    assert d.counts.sum(axis=1).tolist() == r["n_obs"].tolist()


def test_all_missing_item_gives_nan_not_zero():
    d = describe_items(pd.DataFrame({"a": [np.nan, np.nan], "b": [1.0, 5.0]}), scale_min=1, scale_max=5)
    assert d.table.loc["a", "n_obs"] == 0 and np.isnan(d.table.loc["a", "top_box"]) and np.isnan(d.table.loc["a", "mean"])
    assert d.table.loc["b", "top_box"] == 0.5


def test_bad_top_k():
    with pytest.raises(ValueError, match="'top_k' parameter of describe_items"):
        describe_items(pd.DataFrame({"a": [1.0]}), scale_min=1, scale_max=5, top_k=3)


def test_result_renders():
    d = describe_items(pd.DataFrame({"a": [1.0, 2.0, 5.0]}), scale_min=1, scale_max=5, item_labels={"a": "<b>产品</b>"})
    assert "\n" not in repr(d) and repr(d).startswith("<ItemDescriptives")
    html = d._repr_html_()
    assert "&lt;b&gt;产品&lt;/b&gt;" in html and "<b>产品" not in html
    assert "| a |" in d.summary().as_markdown() or "| a" in d.summary().as_markdown()
