"""``surveykit value``: RFM layers, CLV and ABC classes of a transactions file, optionally linked to a survey.

A few lines over :mod:`surveykit.value` and :func:`surveykit.value.survey.link_survey`. Wired
into ``surveykit.cli`` as the ``value`` command (``add_parser(subparsers)``, handler ``run``).
Exit codes: 0 success, 1 invalid data (nothing usable in the transactions, no respondent
linked), 2 usage error (bad arguments, a missing file or column, an invalid questionnaire).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import pandas as pd

from .._json import jsonable
from .._spreadsheet import neutralise
from ..cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from .survey import DEFAULT_COLUMNS

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``value`` command to the ``surveykit`` command's subparsers."""
    p = subparsers.add_parser(
        "value", help="RFM layers, CLV and ABC classes of a transactions file; with -q, linked to a survey",
        description="Customer value from a transactions file (one row per order): the audit of every row, RFM "
                    "layers and scores, CLV (simple and retention forms), ABC classes and the repurchase rate. "
                    "With -q Q DATA, also the link to the survey by customer id: satisfaction, loyalty, NPS and "
                    "perceived value by RFM layer and ABC class with tests, and the save list of high-value "
                    "customers with low satisfaction.",
        epilog="Exit codes: 0 success, 1 invalid data, 2 usage error. -o OUT: a .xlsx workbook of every table; a "
               ".csv file of the main table (one row per customer; per respondent with -q); any other name, a "
               "folder of CSV files. CSV cells that a spreadsheet would run as a formula (starting with = + - @) "
               "are written with a leading apostrophe.")
    p.add_argument("transactions", help="the transactions: .csv, .xlsx or .parquet, one row per order")
    p.add_argument("-q", "--questionnaire", nargs=2, metavar=("Q", "DATA"),
                   help="questionnaire YAML (or a bundled name) and the survey export to link")
    p.add_argument("-o", "--out", metavar="OUT", help="write the tables to OUT (.xlsx, .csv or a folder)")
    p.add_argument("--customer", default=DEFAULT_COLUMNS["customer"], metavar="COL",
                   help="customer id column (default: customer_id)")
    p.add_argument("--date", default=DEFAULT_COLUMNS["date"], metavar="COL",
                   help="order date column (default: date)")
    p.add_argument("--amount", default=DEFAULT_COLUMNS["amount"], metavar="COL",
                   help="order amount column (default: amount)")
    p.add_argument("--cost", metavar="COL",
                   help="order cost column (default: cost, when the file has one); gives profit, ABC by profit, CLV")
    p.add_argument("--margin", type=float, metavar="SHARE", help="margin share of revenue for CLV without a cost column")
    p.add_argument("--as-of", metavar="DATE", help="analysis date, e.g. 2026-10-31 (default: the last order date)")
    p.add_argument("--id-column", metavar="ITEM", help="survey item holding the customer id (default: its role)")
    p.add_argument("--id-format", metavar="FMT", help="format of numeric ids on both sides, e.g. 'C{:07d}'")
    p.add_argument("--sheet", default=0, help="Excel sheet of DATA, name or number (default: the first)")
    p.add_argument("--language", choices=("zh", "en", "both"), help="labels (default: the questionnaire's)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


# ---------------------------------------------------------------------------------------------
# tables


def _customers(r, a, c) -> pd.DataFrame:
    """One row per customer: RFM, the ABC class and, with CLV, both forms."""
    table = r.table.join(a.table[["value", "share", "cumulative_share", "rank", "class"]].rename(
        columns={"value": "abc_value", "share": "abc_share", "cumulative_share": "abc_cumulative_share",
                 "rank": "abc_rank", "class": "abc_class"}))
    if c is not None:
        table = table.join(c.table[["annual_revenue", "annual_margin", "active", "clv_simple", "clv_retention"]])
    return table


def _tables(r, a, c, rep, link) -> dict[str, pd.DataFrame]:
    """Every table, by name (the file names of a CSV folder; the sheets of a workbook)."""
    tables = {"transactions_audit": r.audit.to_frame(), "customers": _customers(r, a, c), "rfm_layers": r.layers,
              "rfm_breaks": r.breaks, "abc_classes": a.classes}
    if c is not None:
        tables["clv_by_layer"] = c.by_segment
        tables["clv_retention"] = c.retention_table
    if rep is not None:
        tables["repurchase_by_class"] = rep.by_segment
        tables["repurchase_by_year"] = rep.by_period
    if link is not None:
        tables.update({"respondents": link.table, "link_accounting": link.accounting, "not_linked": link.unmatched,
                       "by_layer": link.level_means("layer"), "by_class": link.level_means("abc_class"),
                       "tests": link.tests, "means": link.means, "save_list": link.save_list})
    return tables


def _write(out: Path, tables: dict, main: str, language: str) -> list[Path]:
    """Write the tables to ``out``: a workbook, one CSV (the main table) or a folder of CSVs."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        from ..report.book import ReportBook, ReportTable
        from ..report.export import write_xlsx

        # the report's workbook writer (a contents sheet, numbers as numbers, formula-like text kept as text);
        # the tables are registered without their HTML, which the workbook does not use
        book = ReportBook(out=out.parent, language=language)
        book.tables = [ReportTable(number=k, section="value", title=name, frame=frame, note=None, percent=(),
                                   decimals=4, index=True, html="") for k, (name, frame) in enumerate(tables.items(), 1)]
        out.parent.mkdir(parents=True, exist_ok=True)
        return [write_xlsx(book, out)]
    if suffix == ".csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        neutralise(tables[main].reset_index()).to_csv(out, index=False, encoding="utf-8-sig")
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        neutralise(frame.reset_index()).to_csv(path, index=False, encoding="utf-8-sig")
        paths.append(path)
    return paths


def _payload(r, a, c, rep, link, notes, written) -> dict:
    audit = r.audit
    out = {"as_of": r.as_of, "transactions": {"rows_read": audit.n_rows_read, "rows_used": audit.n_rows_used,
                                              "rows_excluded": audit.n_excluded, "reasons": audit.reasons},
           "customers": r.n_customers, "rfm_layers": r.layers, "abc": {"basis": a.name, "classes": a.classes},
           "clv": None if c is None else {"retention": c.retention, "years": c.years, "discount": c.discount,
                                          "by_layer": c.by_segment},
           "repurchase": None if rep is None else {"rate": rep.rate, "by_class": rep.by_segment,
                                                   "by_year": rep.by_period},
           "link": None, "notes": notes, "written": [str(p) for p in written]}
    if link is not None:
        out["link"] = {"id_column": link.id_column, "accounting": link.accounting["count"],
                       "not_linked": link.unmatched, "by_layer": link.level_means("layer"),
                       "by_class": link.level_means("abc_class"), "tests": link.tests,
                       "save_list": link.save_list, "weighted": link.weighted}
    return jsonable(out)


def _text(r, a, c, rep, link, notes, written) -> str:
    parts = [r.audit.summary().as_text(), r.summary().as_text(), a.summary().as_text()]
    if c is not None:
        parts.append(c.summary().as_text())
    if rep is not None:
        parts.append(rep.summary().as_text())
    if link is not None:
        parts.append(link.summary().as_text())
    if notes:
        parts.append("Notes\n=====\n" + "\n".join(f"* {n}" for n in notes))
    if written:
        parts.append("Tables written to " + ", ".join(str(p) for p in written[:3])
                     + (f" and {len(written) - 3} more" if len(written) > 3 else ""))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# the command


def _sheet(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _analyse(args, notes: list):
    """(rfm, abc, clv, repurchase, link) for the parsed arguments; raises on bad input."""
    from ..errors import DataError
    from . import abc, clv, prepare_transactions, repurchase_rate, rfm
    from .survey import _default_as_of, link_survey, read_transactions

    tx = read_transactions(args.transactions)
    cost = args.cost
    if cost is None and DEFAULT_COLUMNS["cost"] in tx.columns and args.margin is None:
        cost = DEFAULT_COLUMNS["cost"]
    columns = {"customer": args.customer, "date": args.date, "amount": args.amount, "cost": cost}
    if args.questionnaire:
        from .. import load_questionnaire, read_responses

        q_path, data_path = args.questionnaire
        q = load_questionnaire(q_path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `surveykit validate` lists the survey's problems
            data = read_responses(data_path, q, sheet=_sheet(args.sheet))
        link = link_survey(data, tx, **columns, as_of=args.as_of, id_column=args.id_column, id_format=args.id_format,
                           margin=args.margin, language=args.language)
        return link.rfm, link.abc, link.clv, link.repurchase, link
    as_of = args.as_of or _default_as_of(tx, args.date, None, notes)
    p = prepare_transactions(tx, **columns, as_of=as_of, id_format=args.id_format)
    r = rfm(p)
    basis = "profit" if p.cost is not None else "revenue"
    a = abc(r.table["profit" if p.cost is not None else "monetary"].rename(basis))
    c = None
    if p.cost is None and args.margin is None:
        notes.append("CLV not computed: the transactions have no cost column; pass --cost COL or --margin SHARE.")
    else:
        try:
            c = clv(p, margin=args.margin, by=r.table["layer"])
        except DataError as exc:
            notes.append(f"CLV not computed: {exc}")
    rep = repurchase_rate(p, by=a.table["class"])
    notes += list(a.notes)
    return r, a, c, rep, None


def run(args) -> int:
    """Run ``surveykit value`` from parsed arguments; return the exit code (errors go to stderr)."""
    from ..errors import DataError, QuestionnaireError, SurveykitWarning

    notes: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SurveykitWarning)
            r, a, c, rep, link = _analyse(args, notes)
        notes = list(dict.fromkeys([str(w.message) for w in caught if issubclass(w.category, SurveykitWarning)]
                                   + notes + (list(link.notes) if link is not None else [])))
        written = []
        if args.out:
            language = args.language or (link.language if link is not None else "zh")
            main = "respondents" if link is not None else "customers"
            written = _write(Path(args.out), _tables(r, a, c, rep, link), main, language)
    except QuestionnaireError as exc:  # also a ValueError: before the ValueError clause
        print(f"surveykit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataError as exc:
        print(f"surveykit: invalid data: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except (FileNotFoundError, ValueError, TypeError) as exc:
        print(f"surveykit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        text = json.dumps(_payload(r, a, c, rep, link, notes, written), ensure_ascii=False, indent=2, allow_nan=False)
    else:
        text = _text(r, a, c, rep, link, notes, written)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK
