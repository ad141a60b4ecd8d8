"""The reference transactions of tests/reference/value_crm.R and base R's results, for the value tests.

The input (make_value_crm_input.py) holds returns, exact duplicates, zero amounts, future
dates, missing / unreadable customers, dates, amounts and costs, orders on the same day, round
prices shared by many customers and customers on every layer boundary. A test module takes
the fixtures by importing them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from surveykit.value.transactions import PreparedTransactions, TransactionWarning, prepare_transactions

REF = Path(__file__).parent / "reference" / "data"
AS_OF = "2025-06-30"
COLS = {"customer": "customer_id", "date": "date", "amount": "amount", "cost": "cost", "as_of": AS_OF}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(REF / "value_crm_input.csv")


@pytest.fixture(scope="module")
def prepared(raw) -> PreparedTransactions:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TransactionWarning)
        return prepare_transactions(raw, **COLS)


@pytest.fixture(scope="module")
def segments() -> pd.Series:
    return pd.read_csv(REF / "value_crm_prospects.csv").set_index("customer_id")["segment"]


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    e = pd.read_csv(REF / "value_crm_expected.csv", keep_default_na=False, dtype={"level": str})
    e["value"] = e["value"].replace("NA", "nan").astype(float)
    return e


def ref(expected: pd.DataFrame, case: str, stat: str, level="") -> float:
    """R's value of one statistic (one row of value_crm_expected.csv)."""
    hit = expected[(expected.case == case) & (expected.stat == stat) & (expected.level == str(level))]
    assert len(hit) == 1, (case, stat, level)
    return float(hit.value.iloc[0])
