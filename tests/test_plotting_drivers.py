"""The driver-importance figure: what a reader sees matches the DriversResult."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit import key_drivers
from surveykit.plotting import plot_drivers


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.normal(size=(300, 4)), columns=["产品质量", "服务", "价格", "时间成本"])
    x["overall"] = x @ [0.7, 0.4, -0.3, 0.1] + rng.normal(size=300)
    return x


def test_bars_are_the_importance_shares_largest_on_top(frame):
    r = key_drivers(frame, "overall", list(frame.columns[:4]), method="relative_weights", bootstrap=200, seed=1)
    ax = plot_drivers(r, item_labels={"价格": "价格（货币成本）"})
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx(sorted(r.importance.to_numpy()))  # bottom to top: ascending
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[-1] == "产品质量" and "价格（货币成本）" in ticks
    texts = {t.get_text() for t in ax.texts}
    assert f"{r.importance.max():.1f}%" in texts
    # the error bars span the bootstrap share interval
    segs = ax.collections[0].get_segments()
    top = segs[-1]
    assert top[0][0] == pytest.approx(r.coefficients.loc["产品质量", "share_ci_low"])
    assert top[1][0] == pytest.approx(r.coefficients.loc["产品质量", "share_ci_high"])


def test_ols_drivers_have_no_interval_and_ax_is_used(frame):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    r = key_drivers(frame, "overall", list(frame.columns[:4]))
    out = plot_drivers(r, language="en", sort=False, ax=ax)
    assert out is ax and not ax.collections
    assert "standardized" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == list(frame.columns[:4])


def test_bad_input():
    with pytest.raises(ValueError, match="must be a DriversResult"):
        plot_drivers(object())
    with pytest.raises(ValueError, match="'language'"):
        plot_drivers(object(), language="fr")
