"""The worked notebooks run from top to bottom on the bundled example study, and render."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def test_notebooks_are_stored_without_outputs():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        stale = [i for i, c in enumerate(book.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
        assert not stale, f"{path.name}: cells {stale} hold outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_results_render(path, tmp_path):
    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(book, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert html, f"{path.name}: no result rendered as an HTML table"
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "missing from" not in streams, f"{path.name}: a figure lacks glyphs:\n{streams}"
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    if "plot_" in "".join(c.source for c in book.cells):
        assert figures, f"{path.name}: figures did not render"

