"""Weighted item descriptives and sample profile, checked against R survey (issue 16).

Reference: tests/reference/weighted_descriptives.R (survey::svymean, svyvar, svyquantile with
qrule = "math", svytable) on make_weighted_descriptives_input.py's data. Tolerance 1e-9
relative: the same closed-form sums in a different order (R prints 15 significant digits).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.descriptives import describe_items, profile_segments

REF = Path(__file__).parent / "reference" / "data"


@pytest.fixture(scope="module")
def frame():
    return pd.read_csv(REF / "weighted_descriptives_input.csv")


def test_weighted_item_descriptives_match_r(frame):
    r = pd.read_csv(REF / "weighted_descriptives_expected.csv").set_index("item")
    items = [c for c in frame.columns if c.startswith("item")]
    d = describe_items(frame[items], scale_min=1, scale_max=5, weights=frame["weight"])
    assert d.weighted and d.table["n_obs"].tolist() == r["n_obs"].tolist()  # n stays unweighted
    for col in ("effective_n", "mean", "sd", "median", "top_box", "bottom_box"):
        np.testing.assert_allclose(d.table[col], r[col], rtol=1e-9, err_msg=col)
    np.testing.assert_allclose(d.distribution.to_numpy(), r[[f"p{k}" for k in range(1, 6)]].to_numpy(), rtol=1e-9)
    assert d.weight_note == "weighted (Kish effective n = 145-230)"
    assert "weighted (Kish effective n = 145-230), n_obs unweighted" in d.summary().as_text()
    plain = describe_items(frame[items], scale_min=1, scale_max=5)
    assert not plain.weighted and "effective_n" not in plain.table
    assert abs(plain.table.at["item1", "mean"] - d.table.at["item1", "mean"]) > 0.01  # the weights matter here


def test_unit_weights_give_the_unweighted_numbers(frame):
    items = [c for c in frame.columns if c.startswith("item")]
    a = describe_items(frame[items], scale_min=1, scale_max=5)
    b = describe_items(frame[items], scale_min=1, scale_max=5, weights=np.ones(len(frame)))
    pd.testing.assert_frame_equal(a.table, b.table.drop(columns="effective_n"))


def test_bad_weights_are_refused(frame):
    w = frame["weight"].to_numpy().copy()
    w[7] = 0
    with pytest.raises(sk.DataError, match="describe_items"):
        describe_items(frame[["item1"]], scale_min=1, scale_max=5, weights=w)


def _survey(frame, weighted: bool):
    q = {"schema_version": 1, "id": "w", "title": "weighted", "language": "en", "respondent_id": "rid",
         "scales": {"a5": {"type": "likert", "min": 1, "max": 5},
                    "seg": {"type": "single_choice", "labels": {1: "north", 2: "south", 3: "west"}}},
         "items": [*({"id": f"item{j}", "scale": "a5", "text": f"Item {j}"} for j in range(1, 5)),
                   {"id": "segment", "scale": "seg", "text": "Region"}],
         "segments": ["segment"]}
    if weighted:
        q["weight"] = "weight"
    df = frame.assign(rid=np.arange(len(frame)) + 1,
                      segment=frame["segment"].map({"north": 1, "south": 2, "west": 3}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(df, sk.load_questionnaire(q))


def test_survey_describe_and_profile_are_weighted_with_the_weight_column(frame):
    data = _survey(frame, weighted=True)
    r = pd.read_csv(REF / "weighted_descriptives_expected.csv").set_index("item")
    d = data.describe()
    assert d.weighted and "weighted (Kish effective n = 145-230)" in d.summary().as_text()
    np.testing.assert_allclose(d.groups["a5"].table["mean"], r["mean"], rtol=1e-9)
    p = profile_segments(data)
    expected = pd.read_csv(REF / "weighted_profile_expected.csv").set_index("level")
    got = p.table.loc["segment"].drop(index="(no answer)")
    np.testing.assert_allclose(got["share"], expected.loc[got.index, "share"], rtol=1e-9)
    assert got["count"].tolist() == expected.loc[got.index, "count"].tolist()  # counts: respondents
    w = frame["weight"]
    assert p.weighted and p.effective_n == pytest.approx(w.sum() ** 2 / (w ** 2).sum(), rel=1e-12)
    assert f"shares weighted (Kish effective n = {round(p.effective_n)})" in p.summary().as_text()
    plain = profile_segments(_survey(frame, weighted=False))
    assert not plain.weighted and plain.weight_note == "unweighted"


def test_report_tables_say_weighted(frame, tmp_path):
    from surveykit.report.book import ReportBook
    from surveykit.report.sections import items, profile

    data = _survey(frame, weighted=True)
    book = ReportBook(out=tmp_path, language="en")
    sections = [profile.section(data, book), items.section(data, book)]
    assert all("Weighted (Kish effective n = " in s.note for s in sections)  # shown above the tables
    notes = " ".join(str(t.note) for t in book.tables)
    assert "n = 300; Weighted (Kish effective n = " in notes
    assert "Weighted (Kish effective n = 145-230)" in notes
