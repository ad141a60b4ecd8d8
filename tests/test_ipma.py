"""IPMA (importance-performance map analysis) of the ECSI PLS model against base R (tests/reference/ipma.R).

The R script rescales the items to 0-100, applies R plspm's own outer weights, fits the
unstandardized path regressions with ``lm`` and inverts (I - B); weighted performance by
``survey::svymean``. Our outer weights agree with plspm's to ~1e-15 (tests/test_pls.py), so the
IPMA numbers are closed forms of the same inputs: observed agreement ~1e-13 (performance, on
0-100) and ~1e-15 (importance); ``atol=1e-9`` leaves room for BLAS and the order of summation.
The ECSI data live in ../shared/reference (as for test_pls.py); without them the R checks skip,
the behaviour tests run on simulated data.
"""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ref

import surveykit as sk
from surveykit.errors import DataError, SurveykitWarning
from surveykit.indices.ipma import IPMAResult, ipma
from surveykit.indices.pls import pls_pm

REF = Path(__file__).parents[1].parent / "shared" / "reference" / "ecsi-satisfaction"
DATA = Path(__file__).parent / "reference" / "data"
ATOL = 1e-9
LVS = ["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"]
BLOCKS = {"IMAG": [f"imag{i}" for i in range(1, 6)], "EXPE": [f"expe{i}" for i in range(1, 6)],
          "QUAL": [f"qual{i}" for i in range(1, 6)], "VAL": [f"val{i}" for i in range(1, 5)],
          "SAT": [f"sat{i}" for i in range(1, 5)], "LOY": [f"loy{i}" for i in range(1, 5)]}
PATHS = {"EXPE": ["IMAG"], "QUAL": ["EXPE"], "VAL": ["EXPE", "QUAL"], "SAT": ["IMAG", "EXPE", "QUAL", "VAL"],
         "LOY": ["IMAG", "SAT"]}
needs_ref = pytest.mark.skipif(not REF.is_dir(), reason=f"ECSI reference folder {str(REF)!r} is absent")


@pytest.fixture(scope="module")
def ecsi():
    data = pd.read_csv(REF / "satisfaction.csv", index_col=0)
    return data, pls_pm(data, BLOCKS, PATHS, scaled=False, scale_min=0, scale_max=10)


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(DATA / "ipma_expected.csv")


def _small(n=300, seed=3, flip_qual=False):
    rng = np.random.default_rng(seed)
    qual = rng.normal(size=n)
    val = 0.5 * qual + 0.8 * rng.normal(size=n)
    sat = (-0.4 if flip_qual else 0.4) * qual + 0.4 * val + 0.7 * rng.normal(size=n)
    items = pd.DataFrame({f"{lv}{i}": np.clip(np.round(3 + (f + 0.6 * rng.normal(size=n))), 1, 5)
                          for lv, f in (("q", qual), ("v", val), ("s", sat)) for i in (1, 2, 3)})
    model = pls_pm(items, {"QUAL": ["q1", "q2", "q3"], "VAL": ["v1", "v2", "v3"], "SAT": ["s1", "s2", "s3"]},
                   {"VAL": ["QUAL"], "SAT": ["QUAL", "VAL"]}, scaled=False, scale_min=1, scale_max=5)
    return items, model


@needs_ref
@pytest.mark.parametrize("target", ["SAT", "LOY"])
def test_importance_and_performance_as_base_r_from_plspm_weights(ecsi, expected, target):
    _, model = ecsi
    r = ipma(model, target)
    preds = list(r.table.index)
    assert preds == [lv for lv in LVS if lv != target and (target, lv) != ("SAT", "LOY")]
    np.testing.assert_allclose(r.table["importance"], ref(expected, target, "importance", preds), rtol=0, atol=ATOL)
    np.testing.assert_allclose(r.table["direct"], ref(expected, target, "direct", preds), rtol=0, atol=ATOL)
    np.testing.assert_allclose(r.table["performance"], ref(expected, "all", "performance", preds), rtol=0, atol=ATOL)
    np.testing.assert_allclose(r.table["performance_se"], ref(expected, "all", "performance_se", preds), rtol=0,
                               atol=ATOL)
    assert r.target_performance == pytest.approx(ref(expected, "all", "performance", [target])[0], abs=ATOL)
    # the standardized total effects are plspm's $effects, already checked against R in test_pls.py
    np.testing.assert_allclose(r.table["std_total"], model.effects.set_index("from").query("to == @target")
                               .loc[preds, "total"], rtol=0, atol=1e-15)


@needs_ref
def test_weighted_performance_as_svymean_importance_unchanged(ecsi, expected):
    data, model = ecsi
    w = pd.read_csv(DATA / "ipma_weights.csv")["weight"].to_numpy()
    plain = ipma(model, "LOY")
    r = ipma(model, "LOY", weights=pd.Series(w, index=data.index))
    preds = list(r.table.index)
    assert r.weighted and not plain.weighted
    np.testing.assert_allclose(r.table["performance"], ref(expected, "all", "performance_weighted", preds), rtol=0,
                               atol=ATOL)
    np.testing.assert_allclose(r.table["performance_se"], ref(expected, "all", "performance_weighted_se", preds),
                               rtol=0, atol=ATOL)
    assert r.target_performance == pytest.approx(ref(expected, "all", "performance_weighted", ["LOY"])[0], abs=ATOL)
    np.testing.assert_allclose(r.table["importance"], plain.table["importance"], rtol=0, atol=0)
    by_position = ipma(model, "LOY", weights=w)
    np.testing.assert_allclose(by_position.table["performance"], r.table["performance"], rtol=0, atol=0)


@needs_ref
def test_performance_is_the_pls_index_and_quadrants_split_at_the_means(ecsi):
    _, model = ecsi
    r = ipma(model, "SAT", language="en")
    np.testing.assert_allclose(r.table["performance"], model.index.loc[r.table.index, "index"], rtol=1e-14)
    assert r.split == pytest.approx((r.table["performance"].mean(), r.table["importance"].mean()))
    high_p = r.table["performance"] >= r.split[0]
    high_i = r.table["importance"] >= r.split[1]
    assert ((r.table["quadrant"] == "concentrate") == (high_i & ~high_p)).all()
    assert ((r.table["quadrant"] == "keep_up") == (high_i & high_p)).all()
    assert r.table.loc[r.table["quadrant"] == "concentrate", "priority"].min() == 1


def test_importance_adds_the_indirect_paths():
    _, model = _small()
    r = ipma(model, "SAT")
    b = r.path_coefs
    # QUAL reaches SAT directly and through VAL: total = direct + b(VAL<-QUAL) * b(SAT<-VAL)
    expected = b.loc["SAT", "QUAL"] + b.loc["VAL", "QUAL"] * b.loc["SAT", "VAL"]
    assert r.table.loc["QUAL", "importance"] == pytest.approx(expected, rel=1e-12)
    assert r.table.loc["VAL", "importance"] == pytest.approx(b.loc["SAT", "VAL"], rel=1e-12)
    # one point of the 0-100 index of a single predictor moves the target by b_std * sd(target) / sd(predictor)
    s = model.index_scores
    unstd = model.path_coefs.loc["VAL", "QUAL"] * s["VAL"].std() / s["QUAL"].std()
    assert b.loc["VAL", "QUAL"] == pytest.approx(unstd, rel=1e-10)


def test_negative_importance_is_warned_and_in_notes():
    _, model = _small(flip_qual=True)
    with pytest.warns(SurveykitWarning, match="negative total effect"):
        r = ipma(model, "SAT")
    assert any("negative total effect" in n for n in r.notes)
    assert r.table.loc["QUAL", "importance"] < 0


def test_bad_input_is_named():
    items, model = _small()
    with pytest.raises(ValueError, match="'target' parameter of ipma .* Got 'SATT'"):
        ipma(model, "SATT")
    with pytest.raises(ValueError, match="'QUAL' is exogenous"):
        ipma(model, "QUAL")
    with pytest.raises(ValueError, match="'split' parameter"):
        ipma(model, "SAT", split="diagonal")
    with pytest.raises(TypeError, match="must be a PLSResult"):
        ipma(model.index, "SAT")
    with pytest.raises(ValueError, match="one weight per respondent the PLS model used \\(300\\)"):
        ipma(model, "SAT", weights=np.ones(10))
    with pytest.raises(ValueError, match="no weight for 1 of the 300"):
        ipma(model, "SAT", weights=pd.Series(1.0, index=items.index[1:]))
    with pytest.raises(DataError, match="positive and finite"):
        ipma(model, "SAT", weights=np.r_[0.0, np.ones(299)])


def test_observed_range_note_is_carried():
    items, _ = _small()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pls_pm(items, {"QUAL": ["q1", "q2", "q3"], "SAT": ["s1", "s2", "s3"]}, {"SAT": ["QUAL"]},
                       scaled=False)
    with pytest.warns(SurveykitWarning):
        r = ipma(model, "SAT")
    assert any("Scale end points not given" in n for n in r.notes)


def test_result_behaves_like_every_result():
    _, model = _small()
    r = ipma(model, "SAT", split="midpoint", language="zh")
    assert isinstance(r, IPMAResult) and r.split[0] == 50.0
    assert "\n" not in repr(r) and repr(r).startswith("<IPMAResult target='SAT'")
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in r.to_frame().columns)
    assert pickle.loads(pickle.dumps(r)).to_frame().equals(r.to_frame())
    text = r.summary().as_text()
    assert "Importance-performance map (IPMA)" in text and "QUAL" in text
    assert "<h4>Importance-performance map (IPMA)</h4>" in r._repr_html_()
    assert set(r.table["quadrant_label"]) <= {"修补区", "优势区", "机会区", "维持区"}
    assert sk.ipma is ipma and sk.IPMAResult is IPMAResult


def test_plot_ipma_reuses_the_ipa_chart():
    from surveykit.plotting import plot_ipma

    _, model = _small()
    r = ipma(model, "SAT")
    ax = plot_ipma(r, language="en", item_labels={"QUAL": "Quality", "VAL": "Value"})
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], r.table["performance"])
    np.testing.assert_allclose(offsets[:, 1], r.table["importance"])
    assert ax.get_xlabel() == "Performance (0-100 index)"
    assert ax.get_ylabel() == "Importance (unstandardized total effect on SAT)"
    assert {"Quality", "Value"} <= {t.get_text() for t in ax.texts}
    with pytest.raises(ValueError, match="must be an IPMAResult"):
        plot_ipma(sk.ipa({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 3, "c": 2}))
