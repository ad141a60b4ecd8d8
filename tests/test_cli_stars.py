"""``surveykit report --stars``: one star convention for the whole run, stated under every table with stars,
and the convention in force before is back afterwards."""

from __future__ import annotations

import html
import json

import numpy as np
import pytest
import yaml

import surveykit as sk
from conftest import SMALL
from surveykit.cli import main

APA = "* p < .05，** p < .01，*** p < .001"
ECON = "* p < 0.1，** p < 0.05，*** p < 0.01"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The small questionnaire with 120 respondents whose four items share one factor (p-values in the
    item discrimination table, so its note carries the stars' legend)."""
    folder = tmp_path_factory.mktemp("stars")
    rng = np.random.default_rng(7)
    f = rng.normal(size=120)
    rows = ["id,seconds,q1,q2,q3,q4,gender,comment"]
    for k in range(120):
        q = [int(np.clip(np.round(3 + f[k] + 0.8 * rng.normal()), 1, 5)) for _ in range(4)]
        q[3] = 6 - q[3]  # the reverse-worded item
        rows.append(f"{k + 1},{int(rng.integers(200, 400))},{q[0]},{q[1]},{q[2]},{q[3]},{k % 2 + 1},好")
    data = folder / "data.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    q_file = folder / "small.yaml"
    q_file.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return data, q_file


def _run(study, out, *extra) -> dict:
    data, q_file = study
    assert main(["report", str(data), "-q", str(q_file), "-o", str(out), "--no-progress", "--language", "zh",
                 *extra]) == 0
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def _legends(results: dict) -> set:
    notes = [t.get("note") or "" for t in results["tables"]]
    return {legend for legend in (APA, ECON) if any(legend in n for n in notes)}


def test_stars_econ_sets_the_convention_of_the_run_only(study, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYKIT_STARS", "apa")  # the flag wins over the environment
    econ = _run(study, tmp_path / "econ", "--stars", "econ")
    assert econ["options"]["stars"] == {"convention": "0.1/0.05/0.01", "legend": ECON.replace("，", ", ")}
    assert _legends(econ) == {ECON}  # every table with stars says 0.1/0.05/0.01, none says APA
    page = (tmp_path / "econ" / "report.html").read_text(encoding="utf-8")
    assert html.escape(ECON) in page and html.escape(APA) not in page  # the section notes state it
    assert "0.1/0.05/0.01 惯例" in page
    # nothing global changed: the next call in the same process has the convention of before
    assert sk.get_star_convention() == "apa" and sk.stars(0.07) == "" and sk.star_note() == APA.replace("，", ", ")
    monkeypatch.setenv("SURVEYKIT_STARS", "econ")
    assert sk.stars(0.07) == "*"  # nothing was set that would hide the environment from later calls


def test_bad_stars_value_is_a_usage_error(study, tmp_path, capsys):
    data, q_file = study
    with pytest.raises(SystemExit) as exc:
        main(["report", str(data), "-q", str(q_file), "-o", str(tmp_path / "x"), "--stars", "stata"])
    assert exc.value.code == 2 and "--stars" in capsys.readouterr().err
