"""``surveykit themes``: the open comments of a survey export coded into themes, as text, JSON or CSV.

A few lines over :func:`surveykit.text.survey.survey_themes`. Exit codes: 0 success, 1 invalid
data, 2 usage error (bad arguments, a missing file, a questionnaire without open-text fields,
an unknown field or segment).
"""

from __future__ import annotations

import argparse
import sys
import warnings

import pandas as pd

from ..io.responses import read_responses
from ..io.write import Table, write_csv
from ..questionnaire.load import load_questionnaire
from ._common import EXIT_CODES, EXIT_INVALID, EXIT_OK, add_clean_option, command, emit, sheet, usable_data

__all__ = ["TABLES", "add_parser", "run"]

#: Tables ``--format csv`` can write, one tidy table each.
TABLES = ("counts", "comparison", "quotes", "unmatched")
OVERALL = "(overall)"


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``themes`` command to the ``surveykit`` command's subparsers."""
    p = subparsers.add_parser(
        "themes", help="code open comments into themes, by segment, with mentioners vs non-mentioners",
        description="Code the open-text fields of a survey export into themes with the theme dictionary each "
                    "names in the questionnaire (open_text): respondents mentioning each theme, plainly or "
                    "negated, and positively, negatively or neutrally (columns positive_count, negative_count, "
                    "neutral_count), overall and by segment; the mean satisfaction index and NPS of mentioners vs "
                    "non-mentioners with tests; example quotes; the words of comments that match no theme.",
        epilog=f"{EXIT_CODES} CSV cells that a spreadsheet would run as a formula (starting with = + - @) are "
               "written with a leading apostrophe.")
    p.add_argument("data", help="the export: .csv, .xlsx, .sav or .parquet")
    p.add_argument("-q", "--questionnaire", required=True, help="questionnaire YAML (or a bundled name)")
    p.add_argument("--field", metavar="ID", help="one open-text item (default: every one under open_text)")
    p.add_argument("--by", metavar="SEGMENT", action="append",
                   help="segment variable to count by; repeat for several (default: the questionnaire's segments)")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--table", choices=TABLES, default="counts",
                   help="the table --format csv writes (default: counts, overall and by segment)")
    p.add_argument("--language", choices=("zh", "en", "both"), help="theme names (default: the questionnaire's)")
    p.add_argument("--sheet", default=0, help="Excel sheet name or number (default: the first)")
    add_clean_option(p)
    p.add_argument("-o", "--out", metavar="FILE",
                   help="write to FILE instead of the screen (CSV as UTF-8 with a byte-order mark, for Excel)")
    return p


# ---------------------------------------------------------------------------------------------
# tables


def _counts(result) -> pd.DataFrame:
    """Overall and by-segment counts of every field, long: field, segment, level, theme, ...

    The columns are ThemeCounts' (count, share, plain_count, negated_count, positive_count,
    negative_count, neutral_count, weighted_* when weighted).
    """
    frames = []
    for f in result:
        t = f.counts.table.drop(columns=["parent"]).copy()
        t.insert(0, "n_substantive", f.n_obs)
        t = t.reset_index()
        t.insert(0, "level", "")
        t.insert(0, "segment", OVERALL)
        frames.append(t.assign(field=f.field))
        for s, c in f.segments.items():
            b = c.by_segment.reset_index().rename(columns={"segment": "level"})
            b.insert(0, "segment", s)
            frames.append(b.assign(field=f.field))
    out = pd.concat(frames, ignore_index=True)
    first = ["field", "segment", "level", "theme", "name", "n_substantive"]
    return out[first + [c for c in out.columns if c not in first]]


def _table(result, which: str) -> pd.DataFrame:
    if which == "counts":
        return _counts(result)
    frames = []
    for f in result:
        if which == "comparison":
            if f.comparison is None:
                continue
            t = f.comparison.reset_index()
        elif which == "quotes":
            t = f.counts.quotes.copy()
        else:
            w = f.counts.unmatched_words
            t = pd.DataFrame({"word": w.index, "count": w.to_numpy()})
        t.insert(0, "field", f.field)
        frames.append(t)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["field"])


def _payload(result, data) -> dict:
    """Every field's numbers, for ``--format json``."""
    from ..text.polarity import polarity_note

    fields = {}
    for f in result:
        fields[f.field] = {
            "question": f.question, "themes_file": f.themes_file, "weighted": f.weighted,
            "accounting": f.counts.accounting, "unmatched_share": f.counts.unmatched_share,
            "themes": f.counts.table.reset_index(),
            "by_segment": {s: c.by_segment.reset_index() for s, c in f.segments.items()},
            "comparison": None if f.comparison is None else f.comparison.reset_index(),
            "quotes": f.counts.quotes, "unmatched_words": f.counts.unmatched_words.head(50),
            "polarity_method": polarity_note("en"), "notes": list(f.notes)}
    return {"questionnaire": data.questionnaire.id, "n_respondents": data.n_respondents,
            "segments": list(result.segments), "outcome": result.outcome, "weighted": result.weighted,
            "fields": fields, "notes": list(result.notes)}


# ---------------------------------------------------------------------------------------------
# the command


@command
def run(args) -> int:
    """Run ``surveykit themes`` from parsed arguments; return the exit code (errors go to stderr)."""
    from ..text.survey import survey_themes  # the text wing and its libraries: only when the command runs

    q = load_questionnaire(args.questionnaire)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `surveykit validate` lists the data's problems
        data = usable_data(read_responses(args.data, q, sheet=sheet(args.sheet)), args.clean, "themes",
                           unweighted=args.unweighted, on_error=args.on_error)
        if data is None:  # invalid data: the errors are printed, nothing is analysed
            return EXIT_INVALID
        result = survey_themes(data, field=args.field, by=args.by, language=args.language)
    if args.format == "csv":
        write_csv(Table(title=args.table, frame=_table(result, args.table), index=False), args.out or sys.stdout)
    else:
        emit(args.format, _payload(result, data), result.summary().as_text(), args.out)
    return EXIT_OK
