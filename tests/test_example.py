"""The bundled example study: realistic, deterministic, and identical through all three exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import surveykit as sk
from surveykit.example import generate_example, write_example


@pytest.fixture(scope="module")
def study():
    return generate_example()


@pytest.fixture(scope="module")
def files(study, tmp_path_factory):
    return write_example(tmp_path_factory.mktemp("example"), study)


@pytest.mark.parametrize("layout, expected", [("wjx", "wjx"), ("qualtrics", "qualtrics"), ("sav", "spss")])
def test_three_export_layouts_load_to_the_identical_coded_frame(study, files, layout, expected):
    data = sk.read_responses(files[layout], files["questionnaire"])
    assert data.audit.layout == expected
    pd.testing.assert_frame_equal(data.responses, study.truth)
    np.testing.assert_array_equal(data.meta["duration_sec"].to_numpy(), study.meta["duration_sec"].to_numpy())
    report = data.validate()
    assert report.is_valid, [str(i) for i in report.errors]
    assert data.accounting().loc["used", "count"] == data.audit.n_rows_read == 1500


def test_injected_quality_problems_are_found(study, files):
    data = sk.read_responses(files["sav"], files["questionnaire"])
    from surveykit.quality import flag_speeders, flag_straightliners

    speeders, straight = flag_speeders(data), flag_straightliners(data)
    assert speeders[study.flags["speeder"]].all() and straight[study.flags["straightliner"]].all()
    # few honest respondents are caught: a lognormal duration rarely falls below a third of the median
    assert (speeders & ~study.flags["speeder"]).sum() <= 8
    assert (straight & ~study.flags["straightliner"]).sum() <= 3
    cleaned = data.clean(["speeders", "straightliners"])
    assert cleaned.n_respondents + len(cleaned.exclusions) == 1500


def test_missing_codes_are_counted_by_code(study, files):
    # Qualtrics keeps every code; 问卷星 writes a skipped question (97) as "(跳过)", a blank
    data = sk.read_responses(files["qualtrics"], files["questionnaire"])
    counts = data.audit.missing_codes.groupby("code")["count"].sum()
    answered = study.answers.drop(columns=["comment", "customer_id"])
    for code in (97.0, 98.0, 99.0):
        assert counts[code] == int((answered == code).sum().sum())


def test_the_structural_model_shows_in_the_data(study):
    data_like = study.truth.copy()
    q = study.questionnaire
    for it in q.items:
        if it.reverse:
            data_like[it.id] = 6 - data_like[it.id]
    score = {c: data_like[list(q.items_of(c))].mean(axis=1) for c in q.constructs}
    assert score["perceived_value"].corr(score["satisfaction"]) > 0.4
    assert score["satisfaction"].corr(score["loyalty"]) > 0.4
    assert score["product_value"].corr(score["perceived_value"]) > 0.15
    assert score["monetary_cost"].corr(score["perceived_value"]) < -0.05
    # reverse-worded items run against their construct before reverse-coding
    honest = ~study.flags["straightliner"]
    raw = study.truth[honest]
    assert raw["cost_money_2"].corr(raw["cost_money_1"]) < -0.2
    # benefit ratings are negatively skewed, as real satisfaction data are
    assert study.truth["prod_1"].value_counts(normalize=True)[[4.0, 5.0]].sum() > 0.6


def test_answers_respect_their_scales(study):
    q = study.questionnaire
    for it in q.items:
        scale = q.scales[it.scale]
        if scale.type in ("open_text", "multiple_choice"):
            continue
        allowed = set(scale.valid_codes()) | set(q.missing_codes_for(it.id))
        assert set(study.answers[it.id].dropna().unique()) <= allowed, it.id


def test_deterministic_and_sized(study):
    again = generate_example()
    pd.testing.assert_frame_equal(again.answers, study.answers)
    tx = study.transactions
    assert len(study.answers) == 1500 and tx["customer_id"].nunique() >= 10_000 and len(tx) >= 100_000
    assert tx.duplicated().sum() > 0 and (tx["amount"] < 0).mean() == pytest.approx(0.02, abs=0.005)
    assert tx["customer_id"].str.match(r"^C\d{7}$").all() and (tx["date"] <= study.as_of).all()
    linked = study.truth["customer_id"].isin(set(tx["customer_id"])).mean()
    assert 0.9 < linked < 1.0  # a few respondents have no transactions, on purpose
    assert study.truth["comment"].notna().mean() > 0.5


def test_exports_keep_text_as_text(files):
    import openpyxl

    ws = openpyxl.load_workbook(files["wjx"]).active
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    _, meta = pyreadstat.read_sav(str(files["sav"]), user_missing=True, metadataonly=True)
    assert meta.missing_ranges["prod_1"] == [{"lo": 98.0, "hi": 98.0}, {"lo": 99.0, "hi": 99.0}]
    tx = pd.read_csv(files["transactions"], dtype={"customer_id": str})
    assert tx["customer_id"].str.startswith("C0").any()
