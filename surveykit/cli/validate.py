"""``surveykit validate``: an export checked against a questionnaire, every problem listed (exit 0 valid, 1 invalid)."""

from __future__ import annotations

import argparse
import warnings

from ..io.responses import read_responses
from ..questionnaire.load import load_questionnaire
from ._common import command, emit, sheet

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``validate`` command to the ``surveykit`` command's subparsers."""
    p = subparsers.add_parser("validate", help="check an export against a questionnaire",
                              description="Check an export against a questionnaire and list every problem "
                                          "with its code, item, column, rows and a fix. Exit 0 valid, 1 invalid.")
    p.add_argument("data", help="the export: .csv, .xlsx, .sav or .parquet")
    p.add_argument("-q", "--questionnaire", required=True, help="questionnaire YAML (or a bundled name)")
    p.add_argument("--sheet", default=0, help="Excel sheet name or number (default: the first)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


@command
def run(args) -> int:
    """Run ``surveykit validate`` from parsed arguments; return the validation report's exit code."""
    q = load_questionnaire(args.questionnaire)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the report below says it all
        data = read_responses(args.data, q, sheet=sheet(args.sheet))
    report = data.validate()
    payload = {**report.to_dict(), "accounting": data.accounting()["count"].to_dict()}
    lines = [repr(report).strip("<>"), *(f"  {i.cli_text()}" for i in report.issues)]
    emit(args.format, payload, "\n".join(lines))
    return report.exit_code
