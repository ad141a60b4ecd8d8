"""The report's numbers as ``results.json``.

``results.json`` holds every table's numbers (with the interpretations shown under it: guidance,
sentences with their criteria and citations, paragraph), the references cited, the sections' numbers, the questionnaire, the
data file's hash, the package version and the options the report was built with. The tables
themselves go to ``tables.xlsx`` and ``tables.docx`` through :mod:`surveykit.io.write`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..io.write import cell_value, flat_label, with_index
from .book import ReportBook, ReportTable

__all__ = ["write_results_json"]


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(flat_label(k) if isinstance(k, tuple) else k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return _jsonable(obj.to_dict(orient="index"))
    if isinstance(obj, pd.Series):
        return _jsonable(obj.to_dict())
    if getattr(obj, "ndim", 0) > 0 and hasattr(obj, "tolist"):  # an array (the report imports no numpy)
        return _jsonable(obj.tolist())
    if isinstance(obj, Path):
        return str(obj)
    return cell_value(obj) if not isinstance(obj, str) else obj


def table_records(table: ReportTable) -> dict:
    """One table as JSON: its title, note, columns and rows of raw numbers."""
    frame = with_index(table, table.frame)
    return {"number": table.number, "section": table.section, "title": table.title, "note": table.note,
            "columns": [flat_label(c) for c in frame.columns],
            "rows": [[cell_value(v) for v in row] for row in frame.itertuples(index=False, name=None)],
            "interpretation": [_jsonable(i.to_dict()) for i in table.interpretations]}


def write_results_json(book: ReportBook, path: Path, header: dict) -> Path:
    """Write ``header`` (questionnaire, data hash, version, options), the sections' numbers and
    every table of ``book`` (each with its interpretations) and the references they cite to ``path``."""
    payload = {**_jsonable(header), "sections": _jsonable(book.numbers),
               "tables": [table_records(t) for t in book.tables], "references": sorted(book.references)}
    path = Path(path)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False), encoding="utf-8")
    return path
