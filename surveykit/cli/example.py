"""``surveykit example``: the example study's questionnaire, exports and transactions written to a folder."""

from __future__ import annotations

import argparse

from ._common import EXIT_OK, command, emit

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``example`` command to the ``surveykit`` command's subparsers."""
    p = subparsers.add_parser("example", help="write the example study's files to a folder",
                              description="Write the example questionnaire, its three exports (问卷星 .xlsx, "
                                          "Qualtrics .csv, SPSS .sav) and the transactions table to a folder.")
    p.add_argument("--out", "-o", required=True, help="folder to write to")
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


@command
def run(args) -> int:
    """Run ``surveykit example`` from parsed arguments; return the exit code."""
    from ..example import write_example

    paths = write_example(args.out)
    emit(args.format, {k: str(v) for k, v in paths.items()}, "\n".join(f"{k:14s} {v}" for k, v in paths.items()))
    return EXIT_OK
