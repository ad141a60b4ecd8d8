"""The report only renders: no numeric imports, the caller's matplotlib backend untouched, a Chinese
report Chinese throughout, and every number the same as the notebook call that made it."""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import surveykit as sk

REPORT = Path(sk.__file__).parent / "report"
NUMERIC_LIBRARIES = {"numpy", "scipy", "statsmodels", "semopy"}
WINGS = {"indices", "psychometrics", "text", "value"}


def _imports(path: Path):
    """(module, names) of every import of a file, function-level ones included, relative ones resolved."""
    package = ["surveykit", *path.relative_to(REPORT.parent).parent.parts]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            yield ".".join([*base, *(node.module.split(".") if node.module else [])]), [a.name for a in node.names]


def test_report_modules_import_no_numeric_library_and_call_no_numeric_function():
    files = sorted(REPORT.rglob("*.py"))
    assert {"build.py", "book.py", "drivers.py", "factor.py", "themes.py"} <= {p.name for p in files}
    for path in files:
        for module, names in _imports(path):
            assert module.split(".")[0] not in NUMERIC_LIBRARIES, (path.name, module)
            parts = module.split(".")
            if len(parts) >= 2 and parts[0] == "surveykit" and parts[1] in WINGS:
                # from a wing only its questionnaire layer (survey.py) or constants: results come from data.xxx()
                numeric = [n for n in names if not n.isupper()] if parts[-1] != "survey" else []
                assert numeric == [], (path.name, module, numeric)


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory):
    """The example study's report in Chinese, built with the caller's backend set to 'pdf'."""
    import matplotlib

    import pickle

    from surveykit.report._figures import FigureWriter

    unpicklable = []
    submit = FigureWriter.submit

    def checked(self, fig, path):  # the worker process gets each figure pickled
        try:
            pickle.dumps(fig)
        except Exception as exc:  # noqa: BLE001 - recorded for the test below
            unpicklable.append((path.name, repr(exc)))
        return submit(self, fig, path)

    before = matplotlib.get_backend()
    matplotlib.use("pdf")
    try:
        data = sk.example_data()
        with warnings.catch_warnings(), pytest.MonkeyPatch.context() as mp:
            warnings.simplefilter("ignore")
            mp.setattr(FigureWriter, "submit", checked)
            out = build(data, tmp_path_factory.mktemp("zh"))
        backend = matplotlib.get_backend()
    finally:
        matplotlib.use(before)
    return data, out, backend, unpicklable


def build(data, folder):
    from surveykit.report import build_report

    return build_report(data, folder / "report", language="zh", progress=False)


def test_build_report_leaves_the_callers_backend_as_it_was(zh_report):
    _, out, backend, _ = zh_report
    assert backend == "pdf" and out.html.is_file()


def test_every_report_figure_goes_to_the_figure_worker(zh_report):
    """A figure that does not pickle (a lambda tick formatter) would be saved in the report's own
    process instead, silently giving up the second core."""
    _, out, _, unpicklable = zh_report
    assert unpicklable == []
    assert len(out.figures) >= 40 and all(p.stat().st_size > 0 for p in out.figures)


def test_a_chinese_report_has_no_english_column_names(zh_report):
    data, out, _, _ = zh_report
    html = out.html.read_text(encoding="utf-8")
    heads = re.findall(r"<thead>(.*?)</thead>", html, flags=re.S)
    headers = {h.strip() for head in heads for h in re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)}
    assert len(heads) > 20 and "有效回答" in headers and "组合信度 CR" in headers
    snake = sorted(h for h in headers if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", h))
    assert snake == []
    # the notes quote the thresholds and resamples the analyses used
    from html import unescape

    from surveykit.psychometrics.survey import AVE_MIN, CR_MIN, HTMT_MAX

    html = unescape(html)

    assert f"CR ≥ {CR_MIN} 且 AVE ≥ {AVE_MIN}" in html and f"HTMT < {HTMT_MAX}" in html
    assert f"{data.drivers().bootstrap} 次自助法" in html and "Parallel analysis" not in html


def test_the_notebook_calls_give_the_reports_numbers(zh_report):
    data, out, _, _ = zh_report
    results = json.loads(out.results_json.read_text(encoding="utf-8"))
    sections, options = results["sections"], results["options"]
    fa = data.factor_analysis()
    saved = sections["psychometrics"]["factor_analysis"]
    assert saved["kmo"] == pytest.approx(fa.kmo.overall, abs=1e-12)
    assert saved["parallel_analysis"] == {"n_factors": fa.parallel.n_factors, "n_components": fa.parallel.n_components,
                                          "n_iter": fa.n_iter, "seed": fa.seed}
    assert options["parallel_analysis"] == {"n_iter": fa.n_iter, "seed": fa.seed}
    assert saved["efa"]["n_factors"] == fa.n_factors
    d = data.drivers(language="zh")
    assert sections["drivers"]["r_squared"] == pytest.approx(d.r_squared, abs=1e-12)
    shares = [row["share"] for row in sections["drivers"]["table"].values()]
    np.testing.assert_allclose(shares, d.to_frame()["share"].to_numpy(), atol=1e-12)
    assert options["drivers"]["bootstrap"] == d.bootstrap and options["drivers"]["seed"] == d.seed
    ix = data.indices(language="zh")
    saved = [r["estimate"] for r in sections["indices"]]
    np.testing.assert_allclose(np.array(saved, dtype=float), ix.table["estimate"].to_numpy(float), atol=1e-12)
