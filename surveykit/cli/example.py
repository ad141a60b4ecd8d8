"""``surveykit example``: the example study's questionnaire, exports and transactions written to a folder."""

from __future__ import annotations

import argparse

from pathlib import Path

from ._common import EXIT_OK, UsageError, check_out, command, emit

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``example`` command to the ``surveykit`` command's subparsers."""
    p = subparsers.add_parser("example", help="write the example study's files to a folder",
                              description="Write the example questionnaire, its three exports (问卷星 .xlsx, "
                                          "Qualtrics .csv, SPSS .sav) and the transactions table to a folder.")
    p.add_argument("--out", "-o", required=True, help="folder to write to")
    p.add_argument("--force", action="store_true", help="overwrite files of the same names already in the folder")
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


@command
def run(args) -> int:
    """Run ``surveykit example`` from parsed arguments; return the exit code."""
    from ..example import write_example

    check_out(args.out, kind="folder")
    existing = [p for p in _files(Path(args.out)) if p.exists()]
    if existing and not args.force:
        raise UsageError(f"{args.out!r} already holds {', '.join(str(p) for p in existing)}; "
                         "choose another folder, or pass --force to overwrite them.")
    paths = write_example(args.out)
    emit(args.format, {k: str(v) for k, v in paths.items()}, "\n".join(f"{k:14s} {v}" for k, v in paths.items()))
    return EXIT_OK


def _files(out: Path) -> list[Path]:
    """The files ``surveykit example`` writes into ``out``."""
    from ..example.exports import EXPORTS

    return [out / "customer_value.yaml", out / "themes" / "customer_value.yaml",
            *(out / name for _, name in EXPORTS.values()), out / "transactions.csv"]
