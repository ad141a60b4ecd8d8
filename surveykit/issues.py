"""Problems found in survey data, each under a stable code, and the report that collects them."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ._checks import first_rows
from ._render import Summary
from ._result import Result

__all__ = ["Issue", "ValidationReport", "ISSUE_CODES", "in_cli_terms"]

_CLEAN_CALL = re.compile(r"(?:data = )?data\.clean\(rules=\[([^\]]*)\]\)")


def in_cli_terms(text: str) -> str:
    """A message written for the Python API, in the command line's terms: ``data.clean(rules=['a', 'b'])``
    becomes ``--clean a,b``. Messages are written once, in API terms; the commands print them through this.

    >>> in_cli_terms("Exclude them with data.clean(rules=['partials', 'speeders']).")
    'Exclude them with --clean partials,speeders.'
    """
    return _CLEAN_CALL.sub(lambda m: "--clean " + ",".join(r.strip(" '\"") for r in m.group(1).split(",")), text)

Severity = Literal["error", "warning", "info"]

# code -> (severity, what it means). The codes are public API: scripts filter on them.
ISSUE_CODES: dict[str, tuple[Severity, str]] = {
    "missing_column": ("error", "an item's column is not in the export"),
    "ambiguous_column": ("error", "several export columns match one item"),
    "unknown_option": ("error", "answer text that maps to no code of the item's scale"),
    "out_of_range": ("error", "a value outside the item's scale that is not a declared missing code"),
    "not_a_number": ("error", "text in a numeric item"),
    "missing_respondent_id": ("error", "a row without a respondent id"),
    "duplicate_respondent_id": ("error", "the same respondent id on several rows"),
    "bad_weight": ("error", "a missing, zero or negative survey weight"),
    "bad_duration": ("warning", "a duration that cannot be read"),
    "label_conflict": ("error", "the file labels a code with the text the questionnaire gives another code"),
    "label_mismatch": ("warning", "the file's value labels are worded differently from the questionnaire's"),
    "undeclared_missing": ("warning", "the file declares missing codes the questionnaire does not"),
    "too_many_missing": ("warning", "respondents who left too many items blank"),
    "speeder": ("warning", "respondents who answered implausibly fast"),
    "straightliner": ("warning", "respondents who gave one answer to a whole grid"),
    "duplicate_submission": ("warning", "a submission whose answers repeat an earlier one's (new respondent id)"),
    "partial": ("error", "an unfinished response (Qualtrics Finished = 0 or Progress < 100)"),
    "partial_kept": ("info", "unfinished responses kept because the questionnaire says quality.keep_partials"),
    "bad_theme_dictionary": ("error", "an open-text field's theme dictionary is missing or invalid"),
    "blank_row": ("info", "rows with no data at all"),
    "repeated_header_row": ("warning", "a row repeating the header (exports pasted together), skipped"),
    # question types (issue 16)
    "bad_ranking": ("error", "a ranking answer that repeats a rank, uses one outside 1..k or skips one"),
    "display_logic": ("warning", "an answer where the item's shown_if says it was not shown, or the reverse"),
    "unexpected_column": ("info", "export columns the questionnaire does not use"),
}


@dataclass(frozen=True)
class Issue:
    """One problem, with where it is and how to fix it.

    ``rows`` are row numbers as shown in the source file (spreadsheet row, CSV record
    counted with its header rows, or SPSS case number), not positions in a DataFrame.
    """

    code: str
    message: str
    fix: str = ""
    item: str | None = None
    column: str | None = None
    rows: tuple[int, ...] = ()
    count: int = 0
    values: tuple = ()
    severity: Severity = field(default="error")

    def __post_init__(self):
        if self.code not in ISSUE_CODES:
            raise ValueError(f"unknown issue code {self.code!r}")
        object.__setattr__(self, "severity", ISSUE_CODES[self.code][0])

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rows"] = list(self.rows)
        d["values"] = [v.item() if isinstance(v, np.generic) else v if isinstance(v, (int, float, str)) else str(v)
                       for v in self.values]
        return d

    def __str__(self) -> str:
        text = f"[{self.severity}] {self.code}: {self.message}"
        return f"{text} {self.fix}" if self.fix else text

    def cli_text(self) -> str:
        """The issue as the commands print it: the fix in command-line terms (``--clean RULE``)."""
        return in_cli_terms(str(self))


@dataclass(frozen=True)
class ValidationReport(Result):
    """Every problem found in one data set, and the exit code it implies (0 valid, 1 invalid)."""

    source: str
    n_rows: int
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.is_valid else 1

    def to_frame(self) -> pd.DataFrame:
        cols = ["severity", "code", "item", "column", "count", "rows", "message", "fix"]
        rows = [{**i.to_dict(), "rows": first_rows(i.rows, 10)} for i in self.issues]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "n_rows": self.n_rows,
            "valid": self.is_valid,
            "n_errors": len(self.errors),
            "n_warnings": len(self.warnings),
            "issues": [i.to_dict() for i in self.issues],
        }

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def summary(self) -> Summary:
        verdict = "valid" if self.is_valid else "INVALID"
        head = (
            f"{self.source}: {verdict} — {self.n_rows} rows, {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings, {len(self.issues) - len(self.errors) - len(self.warnings)} notes"
        )
        return Summary(title="Validation report", lines=[head], tables=[("Issues", self.to_frame())])

    def __repr__(self) -> str:
        return (
            f"<ValidationReport source={self.source!r} valid={self.is_valid} "
            f"errors={len(self.errors)} warnings={len(self.warnings)}>"
        )
