"""One weighting, stated everywhere (issue 16, item 3): the open-text themes and the SERVQUAL tables of a weighted
study carry Kish's effective n of the rows they use, and the report says "Weighted (Kish effective n = ...;
unweighted n = ...)" under each of them, from the results' own numbers, as the indices and drivers tables do.

The weighted Qualtrics panel (tests/studies/panel*, its partial responses cleaned) with two blocks added to its
export, column by column, so the study is the panel's own respondents and weights: a comment (Q9; some blank, some
"none", the rest naming the bundled customer-service themes) and the expectations of the four quality items
(Q10_1..Q10_4; some unanswered), which make the quality items a two-dimension SERVQUAL. The expected effective n
is computed here from the export's weight column and the answers, independently of the library.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit._yaml import BUNDLED_DIR
from surveykit.report.book import ReportBook
from surveykit.report.sections import satisfaction, themes

STUDIES = Path(__file__).parent / "studies"
COMMENTS = ["The fees are too expensive", "", "none", "Staff service was friendly and fast", "cheap and good value",
            "the service was slow, not friendly", "Parking is hard", "price is fair"]
EXPECTATIONS = ["Q10_1", "Q10_2", "Q10_3", "Q10_4"]
NOTE = re.compile(r"Weighted \(Kish effective n = (\d+)(?:-(\d+))?; unweighted n = (\d+)(?:-(\d+))?\)\.")


def _kish(w) -> float:
    w = np.asarray(w, float)
    return float(w.sum() ** 2 / (w ** 2).sum())


def _export(path: Path) -> pd.DataFrame:
    """The panel's export with Q9 and Q10_1..Q10_4 added (written to ``path``); returns the added cells by ResponseId."""
    rows = list(csv.reader(io.StringIO((STUDIES / "panel_qualtrics.csv").read_text(encoding="utf-8-sig"))))
    rng = np.random.default_rng(16)
    added = {"Q9": [], **{c: [] for c in EXPECTATIONS}}
    rows[0] += ["Q9", *EXPECTATIONS]
    rows[1] += ["Any comments?", *[f"Expectations - item {k}" for k in range(1, 5)]]
    rows[2] += ['{"ImportId":"QID9_TEXT"}', *[f'{{"ImportId":"QID10_{k}"}}' for k in range(1, 5)]]
    for k, row in enumerate(rows[3:]):
        comment = COMMENTS[k % len(COMMENTS)]
        e = [str(v) for v in rng.integers(4, 8, 4)]
        if k % 9 == 4:
            e[k % 4] = ""  # one expectation unanswered: that item's, its dimension's and the score's n drop
        row += [comment, *e]
        added["Q9"].append(comment)
        for c, v in zip(EXPECTATIONS, e):
            added[c].append(float(v) if v else np.nan)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    ids = [r[rows[0].index("ResponseId")] for r in rows[3:]]
    return pd.DataFrame(added, index=pd.Index(ids, name="ResponseId"))


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """(weighted data, the added cells by respondent, the weight column by respondent)."""
    folder = tmp_path_factory.mktemp("weighted_notes")
    added = _export(folder / "panel.csv")
    raw = yaml.safe_load((STUDIES / "panel.yaml").read_text(encoding="utf-8"))
    raw["scales"]["text"] = {"type": "open_text"}
    raw["items"] += [{"id": "Q9", "scale": "text", "text": "Any comments?"},
                     *[{"id": c, "scale": "agree7", "text": f"Expectations - item {k}"}
                       for k, c in enumerate(EXPECTATIONS, start=1)]]
    raw["open_text"] = [{"item": "Q9", "themes": str(BUNDLED_DIR / "themes" / "customer_service.yaml")}]
    raw["constructs"].update({"exp_a": {"label": "Expected A", "items": EXPECTATIONS[:2]},
                              "exp_b": {"label": "Expected B", "items": EXPECTATIONS[2:]},
                              "per_a": {"label": "Perceived A", "items": ["Q1_1", "Q1_2"]},
                              "per_b": {"label": "Perceived B", "items": ["Q1_3", "Q1_4"]}})
    raw["roles"].update({"service_expectations": {"equipment": "exp_a", "delivery": "exp_b"},
                         "service_perceptions": {"equipment": "per_a", "delivery": "per_b"}})
    q = sk.load_questionnaire(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        data = sk.read_responses(folder / "panel.csv", q).clean(rules=["partials"])
    weights = pd.read_csv(folder / "panel.csv", skiprows=[1, 2], dtype={"ResponseId": str}).set_index("ResponseId")
    assert data.weights is not None and data.validate().is_valid
    return data, added.loc[data.responses.index], weights.loc[data.responses.index, "panel_weight"].astype(float)


class _NoFigures(ReportBook):
    def figure(self, fig, name: str, title: str) -> dict:
        return {"title": title, "png": None}


def _sections(data, module, tmp_path, language="en") -> ReportBook:
    book = _NoFigures(out=tmp_path, language=language)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.SurveykitWarning)
        module.section(data, book)
    return book


def test_themes_carry_the_kish_n_of_the_substantive_answers(study):
    data, added, w = study
    f = data.themes(language="en")["Q9"]
    substantive = ~added["Q9"].isin(["", "none"]).to_numpy()
    assert f.n_obs == int(substantive.sum()) < data.n_respondents  # blanks and "none" are no substantive answer
    assert f.effective_n == pytest.approx(_kish(w[substantive]), rel=1e-12)
    assert f.effective_n < f.n_obs  # the weights vary: fewer effective respondents than answers
    assert f"(Kish effective n = {round(f.effective_n)}; unweighted n = {f.n_obs})" in " ".join(f.summary().lines)
    for segment, eff in f.segment_effective_n.items():
        labels = data.segment_labels(segment).to_numpy()
        for level, value in eff.items():
            assert value == pytest.approx(_kish(w[substantive & (labels == level)]), rel=1e-12), (segment, level)
    c = f.comparison
    assert c is not None and "effective_n" in c.columns
    row = c.loc[(f.outcome, "price", "any")]
    compared = substantive & np.isfinite(data.indices(language="en").results[f.outcome].scores
                                         .reindex(data.responses.index).to_numpy(float))
    assert row["n_mentioners"] + row["n_non_mentioners"] == compared.sum()
    assert row["effective_n"] == pytest.approx(_kish(w[compared]), rel=1e-12)
    assert data.unweighted().themes(language="en")["Q9"].effective_n is None


def test_servqual_tables_carry_the_kish_n_of_the_respondents_each_row_uses(study):
    data, added, w = study
    r = data.servqual(language="en").result
    e = added[EXPECTATIONS].to_numpy()
    p = data.responses[["Q1_1", "Q1_2", "Q1_3", "Q1_4"]].to_numpy(float)
    ok = ~np.isnan(e) & ~np.isnan(p)
    assert not ok.all()  # some expectations unanswered: rows differ from table to table
    assert r.items["effective_n"].tolist() == pytest.approx([_kish(w[ok[:, k]]) for k in range(4)], rel=1e-12)
    assert r.items["n_obs"].tolist() == ok.sum(axis=0).tolist()
    dims = {"equipment": ok[:, :2].all(axis=1), "delivery": ok[:, 2:].all(axis=1)}
    assert r.dimensions["effective_n"].tolist() == pytest.approx([_kish(w[m]) for m in dims.values()], rel=1e-12)
    assert r.dimensions["n_obs"].tolist() == [int(m.sum()) for m in dims.values()]
    assert r.overall["effective_n"].tolist() == pytest.approx([_kish(w[ok.all(axis=1)])] * len(r.overall), rel=1e-12)
    assert (r.overall["n_obs"] == ok.all(axis=1).sum()).all()
    assert "effective_n" not in data.unweighted().servqual(language="en").result.items.columns


def _note(book, title: str) -> str:
    return next(t.note for t in book.tables if t.title == title)


def test_the_themes_tables_state_their_weighting_with_the_results_kish_n(study, tmp_path, monkeypatch):
    data, _, _ = study
    # the figures are not what this test reads (drawing the word cloud and co-occurrence took 20 s)
    monkeypatch.setattr(themes, "_figures", lambda *a, **k: {"counts": [], "segments": [], "compare": {},
                                                             "unmatched": []})
    book = _sections(data, themes, tmp_path)
    f = data.themes(language="en")["Q9"]
    counts = _note(book, "Theme mentions: Q9")
    assert counts.endswith(f"Weighted (Kish effective n = {round(f.effective_n)}; unweighted n = {f.n_obs}).")
    by_segment = NOTE.search(_note(book, "Share mentioning each theme, by segment: Q9"))
    eff = pd.concat(list(f.segment_effective_n.values()))
    assert by_segment and int(by_segment[1]) == round(eff.min()) and int(by_segment[2]) == round(eff.max())
    compare = [t.note for t in book.tables if t.title.startswith("Mentioners vs non-mentioners: Q9")]
    assert compare and all(NOTE.search(n) for n in compare)
    html = "".join(t.html for t in book.tables)
    assert html.count('<p class="note">Weighted (Kish effective n =') == 2 + len(compare)
    unweighted = _sections(data.unweighted(), themes, tmp_path)
    assert not any("Kish" in (t.note or "") or "Weighted (" in (t.note or "") for t in unweighted.tables)


def test_the_servqual_tables_state_their_weighting_in_both_languages(study, tmp_path):
    data, _, _ = study
    r = data.servqual(language="en").result
    book = _sections(data, satisfaction, tmp_path)
    titles = [t.title for t in book.tables]
    notes = [t.note for t in book.tables]
    assert len(titles) == 3 and all(NOTE.search(n) for n in notes), titles
    lo, hi = round(r.items["effective_n"].min()), round(r.items["effective_n"].max())
    assert f"Kish effective n = {lo}-{hi}; unweighted n = {r.items['n_obs'].min()}-{r.items['n_obs'].max()})" in notes[0]
    assert f"Kish effective n = {round(r.overall['effective_n'].iloc[0])}; unweighted n = " in notes[2]
    zh = _sections(data, satisfaction, tmp_path, language="zh")
    assert all("Kish 有效样本量" in t.note for t in zh.tables)
    assert not any("Kish" in (t.note or "") for t in _sections(data.unweighted(), satisfaction, tmp_path).tables)
