"""The ``surveykit`` command: a few lines per command over the public API.

Exit codes: 0 success / valid data, 1 invalid data, 2 usage error (bad arguments, missing
file, invalid questionnaire).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="surveykit",
        description="Questionnaire-driven analysis of customer-satisfaction and customer-value surveys.",
        epilog="Exit codes: 0 success, 1 invalid data, 2 usage error. Try: surveykit report",
    )
    p.add_argument("--version", action="version", version=f"surveykit {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="check an export against a questionnaire",
                       description="Check an export against a questionnaire and list every problem "
                                   "with its code, item, column, rows and a fix. Exit 0 valid, 1 invalid.")
    v.add_argument("data", help="the export: .csv, .xlsx, .sav or .parquet")
    v.add_argument("-q", "--questionnaire", required=True, help="questionnaire YAML (or a bundled name)")
    v.add_argument("--sheet", default=0, help="Excel sheet name or number (default: the first)")
    v.add_argument("--format", choices=("text", "json"), default="text")

    r = sub.add_parser("report", help="write the HTML report (the example study when no DATA is given)",
                       description="Read, validate and describe a survey and write a self-contained "
                                   "report.html with its figures, tables.xlsx and tables.docx (three-line tables) and "
                                   "results.json (every number). Without DATA, runs the bundled example study.")
    r.add_argument("data", nargs="?", help="the export; omit to use the bundled example study "
                                            "(its files are written to OUT/example_data)")
    r.add_argument("-q", "--questionnaire", help="questionnaire YAML (required with DATA)")
    r.add_argument("-o", "--out", default="report", help="output folder (default: ./report)")
    r.add_argument("--sheet", default=0, help="Excel sheet name or number (default: the first)")
    r.add_argument("--clean", default="", metavar="RULES",
                   help="comma-separated cleaning rules to apply: duplicate_ids, speeders, straightliners, too_many_missing")
    r.add_argument("--language", choices=("zh", "en", "both"), help="report language (default: the questionnaire's)")
    r.add_argument("--transactions", metavar="FILE",
                   help="the customers' orders (.csv, .xlsx, .parquet; columns customer_id, date, amount and "
                        "optionally cost), linked to the respondents by the questionnaire's customer id: adds the "
                        "customer value section (the example study's own file without DATA)")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")

    e = sub.add_parser("example", help="write the example study's files to a folder",
                       description="Write the example questionnaire, its three exports (问卷星 .xlsx, "
                                   "Qualtrics .csv, SPSS .sav) and the transactions table to a folder.")
    e.add_argument("--out", "-o", required=True, help="folder to write to")
    e.add_argument("--format", choices=("text", "json"), default="text")
    from .text.cli import add_parser as add_themes_parser

    add_themes_parser(sub)
    from .value.cli import add_parser as add_value_parser

    add_value_parser(sub)
    return p


def _sheet(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _emit(fmt: str, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str) if fmt == "json" else text)


def _cmd_validate(args) -> int:
    from . import load_questionnaire, read_responses

    q = load_questionnaire(args.questionnaire)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the report below says it all
        data = read_responses(args.data, q, sheet=_sheet(args.sheet))
    report = data.validate()
    payload = {**report.to_dict(), "accounting": data.accounting()["count"].to_dict()}
    lines = [repr(report).strip("<>"), *(f"  {i}" for i in report.issues)]
    _emit(args.format, payload, "\n".join(lines))
    return report.exit_code


def _cmd_report(args) -> int:
    from . import clean, load_questionnaire, read_responses
    from .report import build_report

    if args.data is None:
        if args.questionnaire:
            raise _Usage("-q/--questionnaire needs DATA; without DATA the bundled example study is used")
        from .example import write_example

        # the example's files stay beside the report, so the user can open what was read
        if not args.no_progress:
            print(f"Writing the example study to {Path(args.out) / 'example_data'} ...", file=sys.stderr)
        paths = write_example(Path(args.out) / "example_data")
        data = read_responses(paths["wjx"], paths["questionnaire"])
        transactions = args.transactions or paths["transactions"]
    else:
        if not args.questionnaire:
            raise _Usage("DATA needs -q/--questionnaire")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the report's audit section shows every problem
            data = read_responses(args.data, load_questionnaire(args.questionnaire), sheet=_sheet(args.sheet))
        transactions = args.transactions
    rules = [r.strip() for r in args.clean.split(",") if r.strip()]
    if rules:
        data = clean(data, rules)
    out = build_report(data, args.out, language=args.language, transactions=transactions,
                       progress=not args.no_progress)
    valid = data.validate().is_valid
    payload = {"report": str(out.html), "tables_xlsx": str(out.xlsx), "tables_docx": str(out.docx),
               "results_json": str(out.results_json), "figures": [str(p) for p in out.figures],
               "n_tables": out.n_tables, "n_respondents": data.n_respondents, "valid": valid}
    _emit(args.format, payload, f"Report written to {out.html.resolve()}\n  {data.n_respondents} respondents, "
                                f"{out.n_tables} tables in {out.xlsx.name} and {out.docx.name}, every number in "
                                f"{out.results_json.name}, {len(out.figures)} figure files in "
                                f"{out.directory / 'figures'}")
    return EXIT_OK


def _cmd_themes(args) -> int:
    from .text.cli import run

    return run(args)


def _cmd_value(args) -> int:
    from .value.cli import run

    return run(args)


def _cmd_example(args) -> int:
    from .example import write_example

    paths = write_example(args.out)
    _emit(args.format, {k: str(v) for k, v in paths.items()},
          "\n".join(f"{k:14s} {v}" for k, v in paths.items()))
    return EXIT_OK


class _Usage(Exception):
    pass


def main(argv=None) -> int:
    from .errors import DataError, QuestionnaireError

    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handler = {"validate": _cmd_validate, "report": _cmd_report, "example": _cmd_example,
               "themes": _cmd_themes, "value": _cmd_value}[args.command]
    try:
        return handler(args)
    except _Usage as exc:
        parser.error(str(exc))  # exits 2
    except (FileNotFoundError, QuestionnaireError) as exc:
        print(f"surveykit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataError as exc:
        print(f"surveykit: invalid data: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
