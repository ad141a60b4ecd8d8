"""``surveykit value``: RFM layers, CLV and ABC classes of a transactions file, optionally linked to a survey.

A few lines over :mod:`surveykit.value` and :func:`surveykit.value.survey.link_survey`. Exit
codes: 0 success, 1 invalid data (nothing usable in the transactions, no respondent linked),
2 usage error (bad arguments, a missing file or column, an invalid questionnaire).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

from ..errors import SurveykitWarning
from ..io.responses import read_responses
from ..io.transactions import read_transactions
from ..io.write import Table, write_csv, write_xlsx
from ..questionnaire.load import load_questionnaire
from ..value.survey import DEFAULT_COLUMNS, base_value, default_as_of, link_survey
from ..value.transactions import prepare_transactions
from ._common import EXIT_CODES, EXIT_INVALID, EXIT_OK, add_clean_option, check_out, command, emit, sheet, usable_data

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
        epilog=f"{EXIT_CODES} -o OUT: a .xlsx workbook of every table; a "
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
    p.add_argument("--date-format", metavar="FMT",
                   help="format of the order dates, e.g. '%%d/%%m/%%Y' (day first) or '%%Y-%%m-%%d'; needed when "
                        "the dates could be day/month or month/day and the column does not tell (default: detected)")
    p.add_argument("--sheet", default=0, help="Excel sheet of DATA, name or number (default: the first)")
    add_clean_option(p)
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


def _write(out: Path, tables: dict, main: str) -> list[Path]:
    """Write the tables to ``out``: a workbook, one CSV (the main table) or a folder of CSVs."""
    records = {name: Table(title=name, frame=frame, section="value", decimals=4,
                           index=not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None)
               for name, frame in tables.items()}
    suffix = out.suffix.lower()
    if suffix in (".xlsx", ".csv"):
        out.parent.mkdir(parents=True, exist_ok=True)
        # the workbook: a contents sheet, numbers as numbers, formula-like text kept as text
        return [write_xlsx(list(records.values()), out) if suffix == ".xlsx" else write_csv(records[main], out)]
    out.mkdir(parents=True, exist_ok=True)
    return [write_csv(table, out / f"{name}.csv") for name, table in records.items()]


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
    return out


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


class InvalidSurvey(Exception):
    """The linked survey failed validation (its errors are already printed)."""


def _analyse(args, notes: list):
    """(rfm, abc, clv, repurchase, link) for the parsed arguments; raises on bad input."""
    tx = read_transactions(args.transactions)
    cost = args.cost
    if cost is None and DEFAULT_COLUMNS["cost"] in tx.columns and args.margin is None:
        cost = DEFAULT_COLUMNS["cost"]
    columns = {"customer": args.customer, "date": args.date, "amount": args.amount, "cost": cost}
    if args.questionnaire:
        q_path, data_path = args.questionnaire
        q = load_questionnaire(q_path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `surveykit validate` lists the survey's problems
            data = usable_data(read_responses(data_path, q, sheet=sheet(args.sheet)), args.clean, "value",
                               unweighted=args.unweighted, on_error=args.on_error)
        if data is None:  # invalid survey data: the errors are printed, nothing is analysed
            raise InvalidSurvey
        link = link_survey(data, tx, **columns, as_of=args.as_of, id_column=args.id_column, id_format=args.id_format,
                           margin=args.margin, language=args.language, date_format=args.date_format)
        return link.rfm, link.abc, link.clv, link.repurchase, link
    as_of = args.as_of or default_as_of(tx, args.date, args.date_format, notes)
    p = prepare_transactions(tx, **columns, as_of=as_of, id_format=args.id_format, date_format=args.date_format)
    r, a, c, rep = base_value(p, margin=args.margin, notes=notes, hint="pass --cost COL or --margin SHARE")
    return r, a, c, rep, None


@command
def run(args) -> int:
    """Run ``surveykit value`` from parsed arguments; return the exit code (errors go to stderr)."""
    notes: list[str] = []
    check_out(args.out, kind="file" if Path(args.out or "").suffix.lower() in (".xlsx", ".csv") else "folder")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SurveykitWarning)
        try:
            r, a, c, rep, link = _analyse(args, notes)
        except InvalidSurvey:
            return EXIT_INVALID
    notes = list(dict.fromkeys([str(w.message) for w in caught if issubclass(w.category, SurveykitWarning)]
                               + notes + (list(link.notes) if link is not None else [])))
    written = []
    if args.out:
        main = "respondents" if link is not None else "customers"
        written = _write(Path(args.out), _tables(r, a, c, rep, link), main)
    emit(args.format, _payload(r, a, c, rep, link, notes, written), _text(r, a, c, rep, link, notes, written))
    return EXIT_OK
