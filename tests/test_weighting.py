"""One weighting for the whole run (issue 16): the study's weight column is used by every
questionnaire-layer estimate, the report and the commands, or by none of them (``--unweighted``),
and the report prints the numbers the API gives."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import surveykit as sk
from surveykit.cli import main

STUDIES = Path(__file__).parent / "studies"
PANEL_Q, PANEL = STUDIES / "panel.yaml", STUDIES / "panel_qualtrics.csv"


@pytest.fixture(scope="module")
def panel():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        return sk.read_responses(PANEL, PANEL_Q).clean(rules=["partials"])


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """results.json of ``surveykit report`` on the weighted panel study, weighted and ``--unweighted``."""
    out = {}
    for name, extra in (("weighted", []), ("unweighted", ["--unweighted"])):
        folder = tmp_path_factory.mktemp(name)
        assert main(["report", str(PANEL), "-q", str(PANEL_Q), "--clean", "partials", "-o", str(folder),
                     "--no-progress", "--format", "json", *extra]) == 0
        out[name] = (json.loads((folder / "results.json").read_text(encoding="utf-8")),
                     (folder / "report.html").read_text(encoding="utf-8"))
    return out


def _index(results, key="satisfaction_index", segment="(overall)", level=""):
    return next(r for r in results["sections"]["indices"]
                if r["index"] == key and r["segment"] == segment and r["level"] == level)


def test_unweighted_leaves_the_weights_unused(panel):
    assert panel.weights is not None and panel.effective_n < panel.n_respondents
    plain = panel.unweighted()
    assert plain.weights is None and plain.effective_n is None and plain.weights_ignored
    assert panel.weights is not None  # the original is unchanged
    w, u = panel.indices().overall, plain.indices().overall
    assert w.at["satisfaction_index", "estimate"] != pytest.approx(u.at["satisfaction_index", "estimate"], abs=1e-3)


def test_report_prints_the_api_numbers_in_both_weightings(panel, reports):
    for name, data in (("weighted", panel), ("unweighted", panel.unweighted())):
        results, _ = reports[name]
        api = data.indices().table
        for _, row in api.iterrows():
            printed = _index(results, row["index"], row["segment"], row["level"])
            assert printed["estimate"] == pytest.approx(row["estimate"], rel=1e-12), (name, row["index"])
        profile = next(t for t in results["tables"] if t["section"] == "profile")
        share = {(r[0], r[1]): r[3] for r in profile["rows"]}
        gender = data.responses["Q3"]
        w = np.ones(len(gender)) if data.weights is None else data.weights
        expected = w[(gender == 1).to_numpy()].sum() / w[gender.notna().to_numpy()].sum()
        assert share[("Gender", "Male")] == pytest.approx(expected, rel=1e-12), name


def test_report_states_its_weighting(panel, reports):
    weighted_json, weighted_html = reports["weighted"]
    plain_json, plain_html = reports["unweighted"]
    n_eff = f"{round(panel.effective_n)}"
    assert f"Kish effective n = {n_eff} of {panel.n_respondents} respondents" in weighted_html
    assert "not used (--unweighted)" in plain_html and "Kish" not in plain_html
    profile = next(t for t in weighted_json["tables"] if t["section"] == "profile")
    assert "Weighted" in profile["note"]
    assert "Weighted" not in next(t for t in plain_json["tables"] if t["section"] == "profile")["note"]
