"""The ``surveykit`` command: a few lines per command over the public API.

One module per command (``validate``, ``report``, ``example``, ``themes``, ``value``), each with
``add_parser(subparsers)`` and ``run(args) -> int``; what they share (the exit codes, the one
exception -> exit-code mapping, ``--sheet`` and the output) is in :mod:`surveykit.cli._common`.

Exit codes: 0 success / valid data, 1 invalid data, 2 usage error (bad arguments, missing
file, invalid questionnaire), 3 internal error (a bug in surveykit).
"""

from __future__ import annotations

import argparse
import sys

from .._version import __version__
from . import example, report, themes, validate, value
from ._common import EXIT_BUG, EXIT_CODES, EXIT_INVALID, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_BUG", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]

#: The commands in the order ``surveykit --help`` lists them.
COMMANDS = {"validate": validate, "report": report, "example": example, "themes": themes, "value": value}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="surveykit",
        description="Questionnaire-driven analysis of customer-satisfaction and customer-value surveys.",
        epilog=f"{EXIT_CODES} An internal error prints one line asking for a bug report (set "
               "SURVEYKIT_TRACEBACK=1 to see the traceback). Try: surveykit report",
    )
    p.add_argument("--version", action="version", version=f"surveykit {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS.values():
        module.add_parser(sub)
    return p


def main(argv=None) -> int:
    """Run the ``surveykit`` command with ``argv`` (default: the process's arguments); return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    return COMMANDS[args.command].run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
