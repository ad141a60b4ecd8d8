"""Shared fixtures: a small questionnaire and writers of small exports."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

HERE = Path(__file__).parent
ROOT = HERE.parent
# the synthetic comment corpus (benchmarks/_corpus.py) is shared by the text tests and the text benchmarks
sys.path.append(str(ROOT / "benchmarks"))

SMALL = {
    "schema_version": 1,
    "id": "small",
    "title": {"zh": "小型测试问卷", "en": "Small test questionnaire"},
    "language": "zh",
    "respondent_id": {"column": "id", "aliases": ["序号"]},
    "duration": {"column": "seconds", "aliases": ["所用时间"]},
    "missing_codes": {98: {"zh": "不适用"}, 99: {"zh": "不知道"}},
    "scales": {
        "sat5": {"type": "likert", "min": 1, "max": 5, "labels": {
            1: {"zh": "非常不满意", "en": "Very dissatisfied"}, 2: {"zh": "不满意", "en": "Dissatisfied"},
            3: {"zh": "一般", "en": "Neutral"}, 4: {"zh": "满意", "en": "Satisfied"},
            5: {"zh": "非常满意", "en": "Very satisfied"}}},
        "gender": {"type": "single_choice", "labels": {1: "男", 2: "女"}},
        "text": {"type": "open_text"},
    },
    "items": [
        {"id": "q1", "scale": "sat5", "text": {"zh": "您对产品质量的满意程度", "en": "Product quality"}},
        {"id": "q2", "scale": "sat5", "text": {"zh": "您对服务的满意程度", "en": "Service"}},
        {"id": "q3", "scale": "sat5", "text": {"zh": "您对价格的满意程度", "en": "Price"}},
        {"id": "q4", "scale": "sat5", "reverse": True, "text": {"zh": "您对等待时间的不满程度", "en": "Waiting (reversed)"}},
        {"id": "gender", "scale": "gender", "text": "您的性别"},
        {"id": "comment", "scale": "text", "text": "意见和建议"},
    ],
    "constructs": {"sat": {"label": "满意度", "items": ["q1", "q2", "q3", "q4"], "min_valid": 3}},
    "segments": ["gender"],
    "quality": {"speeder_median_ratio": 0.33, "straightline_grids": ["sat"]},
}


@pytest.fixture
def small_q():
    import surveykit as sk

    return sk.load_questionnaire(SMALL)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def fresh_linux(monkeypatch):
    """No CJK font installed: only what surveykit's dependencies ship."""
    from surveykit.plotting import _fonts

    monkeypatch.setattr(_fonts, "PREFERRED_FAMILIES", ())
    monkeypatch.setattr(_fonts, "LAST_RESORT_FAMILIES", ())
    _fonts._find.cache_clear()
    yield
    _fonts._find.cache_clear()


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


SMALL_CSV = (
    "id,seconds,q1,q2,q3,q4,gender,comment\n"
    "1,300,5,4,4,2,1,物流很快\n"
    "2,280,非常满意,满意,一般,不满意,女,\n"
    "3,320,4,98,4,2,男,价格有点贵\n"
    "4,20,3,3,3,3,2,无\n"
    "5,310,2,2,1,5,1,客服态度不好\n"
)


@pytest.fixture(scope="session")
def example():
    """The bundled example study (its data-quality warnings silenced), read once per test session."""
    import warnings

    import surveykit as sk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.example_data()


@pytest.fixture(scope="session")
def example_value_model(example):
    """``example.value_model(language="zh")``, fitted once per test session."""
    return example.value_model(language="zh")


@pytest.fixture(scope="session")
def example_report(tmp_path_factory):
    """``surveykit report`` on the bundled example study, run once per test session.

    Returns (output folder, what the command printed, the warnings it raised).
    """
    import contextlib
    import io
    import warnings

    from surveykit.cli import main

    out = tmp_path_factory.mktemp("example") / "report"
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        assert main(["report", "-o", str(out), "--no-progress"]) == 0
    return out, printed.getvalue(), [str(w.message) for w in caught]


def draw_chinese(draw, tmp_path: Path, caplog, title: str) -> tuple[list, list[str]]:
    """Call ``draw()`` (a list of Axes), give each a Chinese title after plotting (as a user would) and save it
    as ``f<i>.png``; return the axes and every complaint: missing-glyph warnings and matplotlib font-manager
    log records (e.g. "Failed to find font weight bold")."""
    import logging
    import warnings

    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, "matplotlib.font_manager"):
        warnings.simplefilter("always")
        axes = draw()
        for i, ax in enumerate(axes):
            ax.set_title(title)
            ax.figure.savefig(tmp_path / f"f{i}.png")
    complaints = [str(w.message) for w in caught if "missing from" in str(w.message)]
    return axes, complaints + [r.getMessage() for r in caplog.records]


def ref(expected, case, stat, terms=None):
    """A reference value (``terms=None``: exactly one) or values in the order of ``terms``, from an
    expected file in long form (case, stat, term, value) written by a script in tests/reference/."""
    hit = expected[(expected.case == case) & (expected.stat == stat)].set_index("term")["value"].astype(float)
    if terms is None:
        assert len(hit) == 1, (case, stat)
        return float(hit.iloc[0])
    return hit.loc[terms].to_numpy()
