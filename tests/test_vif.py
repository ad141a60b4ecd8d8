"""Variance inflation factors of every driver model against R (tests/reference/vif.R: car::vif and
1 / (1 - R²_j) by lm, which the script checks agree to 1e-10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ref

from surveykit._linear import vif
from surveykit.indices.drivers import key_drivers
from surveykit.satisfaction import penalty_reward

REF = Path(__file__).parent / "reference" / "data"
DRIVERS = ["quality", "service", "price", "delivery", "support"]
# Closed forms (least squares on the same rows, R writes 15 significant digits): observed
# agreement ~1e-14; 1e-10 leaves room for BLAS and the order of summation.
RTOL = 1e-10


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "drivers_input.csv", index_col="respondent")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "vif_expected.csv")


@pytest.mark.parametrize("method", ["ols", "relative_weights", "ordered_logit"])
@pytest.mark.parametrize("weighted", ["unweighted", "weighted"])
def test_every_driver_method_carries_vif_and_tolerance_as_car_vif(data, expected, method, weighted):
    r = key_drivers(data, "overall", DRIVERS, method=method, bootstrap=0,
                    weights="weight" if weighted == "weighted" else None)
    case = f"drivers_{weighted}"
    np.testing.assert_allclose(r.coefficients["vif"].to_numpy(), ref(expected, case, "vif", DRIVERS), rtol=RTOL)
    np.testing.assert_allclose(r.coefficients["tolerance"].to_numpy(), ref(expected, case, "tolerance", DRIVERS),
                               rtol=RTOL)


def test_penalty_reward_dummies_carry_vif(data, expected):
    d = data.dropna(subset=["overall", *DRIVERS])
    r = penalty_reward(d[DRIVERS], d["overall"], low=2, high=6)
    np.testing.assert_allclose(r.table["penalty_vif"].to_numpy(),
                               ref(expected, "penalty_reward", "vif", [f"{a}_low" for a in DRIVERS]), rtol=RTOL)
    np.testing.assert_allclose(r.table["reward_vif"].to_numpy(),
                               ref(expected, "penalty_reward", "vif", [f"{a}_high" for a in DRIVERS]), rtol=RTOL)


def test_vif_grows_with_collinearity_and_is_one_for_a_lone_or_orthogonal_driver():
    rng = np.random.default_rng(5)
    a = rng.normal(size=500)
    b = a + 0.1 * rng.normal(size=500)  # R² of b on a ~ 0.99: VIF ~ 100
    c = rng.normal(size=500)
    v = vif(np.column_stack([a, b, c]))
    assert v[0] > 50 and v[1] > 50 and v[2] < 1.05
    assert vif(a[:, None]).tolist() == [1.0]
    assert np.isinf(vif(np.column_stack([a, 2 * a + 1, c]))[:2]).all()


def test_vif_shows_in_the_survey_drivers_table():
    import surveykit as sk

    data = sk.example_data()
    d = data.drivers(bootstrap=50, seed=1)
    table = d.to_frame()
    assert {"vif", "tolerance"} <= set(table.columns)
    np.testing.assert_allclose(table["vif"] * table["tolerance"], 1.0, rtol=1e-12)
    assert (table["vif"] >= 1).all()
