"""What every command shares: the exit codes, the one exception -> exit-code mapping, the output.

Exit codes: 0 success / valid data; 1 invalid data (a :class:`~surveykit.errors.DataError`, or
a validation report with errors); 2 usage error (bad arguments, a missing file, an invalid
questionnaire, an option a function refuses with ``ValueError`` or ``TypeError``); 3 an
internal error, a bug in surveykit (one line asking for a report, no traceback).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

from .._json import jsonable
from ..errors import DataError
from ..issues import in_cli_terms

__all__ = ["EXIT_BUG", "EXIT_CODES", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "UsageError", "command", "emit",
           "exit_code", "sheet", "add_clean_option", "usable_data", "check_out"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
#: The exit codes as every command's help states them.
EXIT_CODES = ("Exit codes: 0 success, 1 invalid data, 2 usage error, 3 internal error (a bug in surveykit: "
              "please report it).")

BUG_REPORT = ("this is a bug in surveykit; please report it with the command you ran and this message "
              "(set SURVEYKIT_TRACEBACK=1 to see the traceback)")


class UsageError(Exception):
    """Arguments that do not fit together (exit 2), e.g. ``-q`` without DATA."""


def exit_code(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one line for stderr that ``exc`` ends a command with.

    The one mapping every command uses: a :class:`DataError` is invalid data (1); a usage
    error, a missing file, an invalid questionnaire and any other ``ValueError`` or
    ``TypeError`` (how :func:`surveykit.errors.check_option` refuses an option) is a usage
    error (2); anything else is a bug (3). ``DataError`` and ``QuestionnaireError`` are both
    ``ValueError`` subclasses: the data check comes first.

    >>> from surveykit.errors import QuestionnaireError
    >>> exit_code(DataError("the file is empty"))
    (1, 'surveykit: invalid data: the file is empty')
    >>> exit_code(QuestionnaireError("q.yaml", [("items", "required key is missing")]))[0]
    2
    >>> exit_code(ValueError("The 'rules' parameter of clean must be one of ..."))
    (2, "surveykit: error: The 'rules' parameter of clean must be one of ...")
    >>> exit_code(KeyError("oops"))[0]
    3
    """
    if isinstance(exc, DataError):  # written for the API: said in the command line's terms
        return EXIT_INVALID, f"surveykit: invalid data: {in_cli_terms(str(exc))}"
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return EXIT_USAGE, f"surveykit: error: {_os_error(exc)}"
    if isinstance(exc, (UsageError, OSError, ValueError, TypeError)):
        return EXIT_USAGE, f"surveykit: error: {exc}"
    first = next(iter(str(exc).splitlines()), "")
    return EXIT_BUG, f"surveykit: internal error ({type(exc).__name__}: {first}); {BUG_REPORT}"


def _os_error(exc: OSError) -> str:
    """'cannot use '/x/out.csv': Is a directory (...)': the file, what went wrong and the fix."""
    hint = {IsADirectoryError: "a folder is there where a file is expected: give a file name",
            NotADirectoryError: "a file is in the way of a folder on that path: choose another path",
            PermissionError: "permission denied: choose a folder you may write to (or read)",
            FileExistsError: "a file of that name is in the way: choose another name"}.get(type(exc), "")
    return f"cannot use {str(exc.filename)!r}: {exc.strerror}" + (f" ({hint})" if hint else "") + "."


def check_out(out, *, kind: str) -> Path | None:
    """``-o OUT`` checked before a command does any work: ``kind`` 'file' or 'folder' is what it writes.

    A UsageError (exit 2) for a folder where a file is expected (or the reverse), a file in the
    way of the path, or a folder the user may not write to, rather than an OSError once the
    analysis is done.
    """
    if not out:
        return None
    path = Path(out)
    if kind == "file" and path.is_dir():
        raise UsageError(f"-o {str(out)!r} is an existing folder, but a file is expected here: give a file name, e.g. "
                         f"{str(path / ('results' + (path.suffix or '.txt')))!r}.")
    if kind == "folder" and path.exists() and not path.is_dir():
        raise UsageError(f"-o {str(out)!r} is an existing file, but a folder is expected here: give a folder name.")
    parent = path if kind == "folder" and path.is_dir() else path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"-o {str(out)!r}: {str(parent)!r} is a file, so nothing can be written below it; "
                         "choose another path.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"-o {str(out)!r}: the folder {str(parent)!r} is read-only for you (permission denied); "
                         "choose a folder you may write to.")
    return path


def command(run):
    """Wrap a command's ``run(args) -> int``: an exception ends it with :func:`exit_code`'s code and line."""
    @functools.wraps(run)
    def guarded(args) -> int:
        try:
            return run(args)
        except Exception as exc:
            code, line = exit_code(exc)
            if code == EXIT_INVALID and getattr(args, "on_error", "stop") == "exclude" \
                    and not getattr(exc, "about_rows", False):
                line += (" (--on-error exclude sets aside respondents with error-level problems only; this problem is "
                         "not about single respondents, so it stops the command under every policy.)")
            if code == EXIT_BUG and os.environ.get("SURVEYKIT_TRACEBACK"):
                raise
            print(line, file=sys.stderr)
            return code

    return guarded


def sheet(value):
    """``--sheet``: a number given as text is the sheet's position, anything else its name."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def emit(fmt: str, payload, text: str, out=None) -> None:
    """Write a command's result: ``payload`` as strict JSON when ``fmt == 'json'``, else ``text``;
    to the file ``out`` (UTF-8) when given, else to standard output."""
    if fmt == "json":
        text = json.dumps(jsonable(payload), ensure_ascii=False, indent=2, allow_nan=False)
    text = text if text.endswith("\n") else text + "\n"
    if out:
        check_out(out, kind="file")
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def add_clean_option(parser) -> None:
    """``--clean RULES`` (the cleaning rules a command applies before it validates the data) and
    ``--unweighted`` (the questionnaire's weight column left unused): the options of every command
    that analyses survey data."""
    from ..quality import CLEANING_RULES

    parser.add_argument("--clean", default="", metavar="RULES",
                        help="comma-separated cleaning rules applied before validation: " + ", ".join(CLEANING_RULES))
    parser.add_argument("--unweighted", action="store_true",
                        help="leave the questionnaire's weight column unused: every estimate unweighted, and said so "
                             "(default: weighted wherever the questionnaire names a weight column)")
    parser.add_argument("--on-error", choices=("stop", "exclude"), default="stop",
                        help="what to do when validation finds errors: stop (default: exit 1 with the problems, "
                             "nothing analysed) or exclude (respondents with error-level problems are excluded, each "
                             "in the accounting under its problem, and the analysis proceeds; problems that are not "
                             "about rows, such as a missing column or a bad theme dictionary, still stop)")


def usable_data(data, clean_rules: str, name: str, *, unweighted: bool = False, on_error: str = "stop"):
    """The data after ``--clean``, ``--unweighted`` and ``--on-error``, or None (the errors printed) when
    validation still finds errors.

    Every command that analyses survey data goes through this before any analysis, so that
    nothing is computed on data that validation calls invalid, and every estimate of one run
    has the same weighting. Under ``on_error='exclude'`` the respondents with error-level
    problems are excluded (:meth:`SurveyData.exclude_invalid`, said on stderr); errors that are not
    about rows stop the command under either policy.
    """
    from ..quality import clean, split_errors

    rules = [r.strip() for r in (clean_rules or "").split(",") if r.strip()]
    if rules:
        data = clean(data, rules)
    if unweighted:
        data = data.unweighted()
    if on_error == "exclude":
        data = data.exclude_invalid()
        if data.excluded_issues:
            codes = ", ".join(dict.fromkeys(i.code for i in data.excluded_issues))
            print(f"surveykit: --on-error exclude: {data.n_excluded_invalid} respondents with error-level problems "
                  f"({codes}) excluded; {data.n_respondents} respondents analysed (each exclusion is in the "
                  "accounting).", file=sys.stderr)
    validation = data.validate()
    if validation.is_valid:
        return data
    by_row, other = split_errors(validation)
    lines = [f"surveykit: invalid data: {repr(validation).strip('<>')}",
             *(f"  {i.cli_text()}" for i in validation.errors)]
    if other:
        lines.append(f"{_plural_problems(len(other))} ({', '.join(dict.fromkeys(i.code for i in other))}) not about "
                     "single respondents: no --on-error policy can set them aside. Correct the questionnaire or the "
                     "export; surveykit validate lists every problem.")
    if by_row:
        lines.append("Correct the export, or exclude the respondents concerned with --clean RULES or --on-error "
                     f"exclude (see surveykit {name} --help); surveykit validate lists every problem.")
    print("\n".join(lines), file=sys.stderr)
    return None


def _plural_problems(n: int) -> str:
    return "This problem is" if n == 1 else f"These {n} problems are"
