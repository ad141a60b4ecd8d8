"""``surveykit report``: the HTML report with its tables and figures (the bundled example study without DATA)."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from ..io.responses import read_responses
from ..questionnaire.load import load_questionnaire
from ._common import EXIT_INVALID, EXIT_OK, UsageError, add_clean_option, check_out, command, emit, sheet, usable_data

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``report`` command to the ``surveykit`` command's subparsers."""
    p = subparsers.add_parser(
        "report", help="write the HTML report (the example study when no DATA is given)",
        description="Read, validate and describe a survey and write a self-contained report.html with its "
                    "figures, tables.xlsx and tables.docx (three-line tables) and results.json (every number). "
                    "Without DATA, runs the bundled example study.")
    p.add_argument("data", nargs="?", help="the export; omit to use the bundled example study "
                                            "(its files are written to OUT/example_data)")
    p.add_argument("-q", "--questionnaire", help="questionnaire YAML (required with DATA)")
    p.add_argument("-o", "--out", default="report", help="output folder (default: ./report)")
    p.add_argument("--sheet", default=0, help="Excel sheet name or number (default: the first)")
    add_clean_option(p)
    p.add_argument("--language", choices=("zh", "en", "both"), help="report language (default: the questionnaire's)")
    p.add_argument("--transactions", metavar="FILE",
                   help="the customers' orders (.csv, .xlsx, .parquet; columns customer_id, date, amount and "
                        "optionally cost), linked to the respondents by the questionnaire's customer id: adds the "
                        "customer value section (the example study's own file without DATA)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--stars", choices=("apa", "econ", "0.1/0.05/0.01"),
                   help="significance stars of every table and figure: apa (* p < .05, ** p < .01, *** p < .001) or "
                        "econ, also written 0.1/0.05/0.01 (* p < 0.1, ** p < 0.05, *** p < 0.01); default: the "
                        "SURVEYKIT_STARS environment variable, else apa. Each table's note states it")
    return p


def _read(args):
    """(data, transactions) for the parsed arguments: the given export, or the bundled example study."""
    if args.data is not None:
        if not args.questionnaire:
            raise UsageError("DATA needs -q/--questionnaire")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the report's audit section shows every problem
            data = read_responses(args.data, load_questionnaire(args.questionnaire), sheet=sheet(args.sheet))
        return data, args.transactions
    if args.questionnaire:
        raise UsageError("-q/--questionnaire needs DATA; without DATA the bundled example study is used")
    from ..example import write_example

    # the example's files stay beside the report, so the user can open what was read
    if not args.no_progress:
        print(f"Writing the example study to {Path(args.out) / 'example_data'} ...", file=sys.stderr)
    paths = write_example(Path(args.out) / "example_data")
    return read_responses(paths["wjx"], paths["questionnaire"]), args.transactions or paths["transactions"]


@command
def run(args) -> int:
    """Run ``surveykit report`` from parsed arguments; return the exit code."""
    check_out(args.out, kind="folder")  # before reading: a read-only folder fails now, not after the analyses
    data, transactions = _read(args)
    data = usable_data(data, args.clean, "report", unweighted=args.unweighted, on_error=args.on_error)
    if data is None:  # stop before any analysis: the report is never built on invalid data
        return EXIT_INVALID
    from ..report import build_report  # after the checks: a bad argument fails before the report's imports

    out = build_report(data, args.out, language=args.language, transactions=transactions,
                       progress=not args.no_progress, stars=args.stars)
    valid = True
    payload = {"report": str(out.html), "tables_xlsx": str(out.xlsx), "tables_docx": str(out.docx),
               "results_json": str(out.results_json), "figures": [str(p) for p in out.figures],
               "n_tables": out.n_tables, "n_respondents": data.n_respondents, "valid": valid}
    emit(args.format, payload, f"Report written to {out.html.resolve()}\n  {data.n_respondents} respondents, "
                               f"{out.n_tables} tables in {out.xlsx.name} and {out.docx.name}, every number in "
                               f"{out.results_json.name}, {len(out.figures)} figure files in "
                               f"{out.directory / 'figures'}")
    return EXIT_OK
