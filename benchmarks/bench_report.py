"""Time and peak memory of `surveykit report` on the bundled example study, and the time a run
on invalid data takes to stop.

Run: .venv/bin/python benchmarks/bench_report.py [--rows N]

Printed side by side, in one run:

* ``surveykit report`` on the example study (the whole command in a subprocess: writing the
  example's three exports and transactions, reading the 问卷星 export, validation, every
  section, 34 figures as PNG + SVG, tables.xlsx, tables.docx, results.json, the HTML).
  Target: 15 s or less on a 2-core machine.
* ``pandas.read_excel`` of the same export (openpyxl, pandas' default), the floor any tool
  that reads an ``.xlsx`` had before calamine; the ratio is printed.
* ``surveykit report`` on the same export with one answer that is not an option: the command
  must stop with the validation message (exit 1) before any analysis. Target: 5 s or less.

Peak memory is the largest resident size of the command's processes (the report's figure
worker included, as a child of the command).

With ``--rows N`` (issue 18: a report whose cost hardly grows with n) it instead runs, side by
side, ``surveykit report`` on N respondents of the same study (default 1,000,000; no
transactions) next to the example report, each in its own process with its own peak memory,
and prints the ratios (targets: at most 2.5x the example report's time, peak at most 4 GB).
The N respondents are those of ``benchmarks/bench_dask.py`` (the example generator's
respondents repeated with new ids and a fifth of each repeat's answers swapped), written once
as one Parquet file under benchmarks/_data/. (The other checks then run apart: without ``--rows``.)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURVEYKIT = [sys.executable, "-m", "surveykit"]


def _timed(cmd: list[str], check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=check)
    return time.perf_counter() - t0, done


def _invalid_copy(xlsx: Path, out: Path) -> Path:
    """The export with one answer that is not an option of its question (row 10 of question 1)."""
    import pandas as pd

    frame = pd.read_excel(xlsx, dtype=object, engine="calamine")
    column = next(c for c in frame.columns if str(c).startswith("1."))
    frame.loc[9, column] = "还不错吧"
    frame.to_excel(out, index=False)
    return out


_PEAK = ("import json, resource, subprocess, sys, time; t = time.perf_counter(); "
         "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
         "print(json.dumps({'seconds': time.perf_counter() - t, 'rc': done.returncode, 'stderr': done.stderr[-2000:], "
         "'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))")


def _timed_peak(cmd: list[str]) -> dict:
    """Seconds and peak resident MB of one command (and its children), measured apart from any other run."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if out["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {out['rc']}): {out['stderr']}")
    return out


def scaled_export(n: int) -> Path:
    """N respondents of the example study as one Parquet file (written once): bench_dask.py's files, concatenated."""
    import pandas as pd

    here = Path(__file__).parent
    path = here / "_data" / f"report_{n}.parquet"
    if path.exists():
        return path
    sys.path.insert(0, str(here))
    from bench_dask import make_files

    total = max(2_000_000, n)
    folder = make_files(total, 20, 20_000)
    per_file = total // 20
    files = sorted(folder.glob("*.parquet"))[: -(-n // per_file)]
    pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).head(n).to_parquet(path, index=False)
    return path


def scaled(n: int, tmp: Path) -> None:
    """The report on the example study and on N respondents, side by side."""
    small = _timed_peak([*SURVEYKIT, "report", "-o", str(tmp / "small"), "--no-progress"])
    questionnaire = tmp / "small" / "example_data" / "customer_value.yaml"
    t0 = time.perf_counter()
    export = scaled_export(n)
    print(f"{n:,} respondents: {export.name} ({export.stat().st_size / 1e6:.0f} MB; made or found in "
          f"{time.perf_counter() - t0:.0f} s)")
    big = _timed_peak([*SURVEYKIT, "report", str(export), "-q", str(questionnaire), "-o", str(tmp / "big"),
                       "--no-progress"])
    print(f"{'':44s}{'seconds':>9s}{'peak MB':>9s}")
    print(f"{'report, example study (1,500 respondents)':44s}{small['seconds']:9.1f}{small['peak_mb']:9.0f}")
    print(f"{f'report, {n:,} respondents (no transactions)':44s}{big['seconds']:9.1f}{big['peak_mb']:9.0f}")
    print(f"{'  ratio (target <= 2.5x; peak <= 4 GB)':44s}{big['seconds'] / small['seconds']:9.2f}"
          f"{big['peak_mb'] / small['peak_mb']:9.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None,
                    help="time the report on this many respondents next to the example report (e.g. 1000000)")
    args = ap.parse_args()
    if args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            scaled(args.rows, Path(tmp))
        return  # the other checks' peak memory would count this run's processes: run them apart
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report_s, _ = _timed([*SURVEYKIT, "report", "-o", str(tmp / "report"), "--no-progress"])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        example = tmp / "report" / "example_data"
        code = ("import time, pandas as pd, sys; t=time.perf_counter(); pd.read_excel(sys.argv[1], engine='openpyxl'); "
                "print(time.perf_counter()-t)")
        done = subprocess.run([sys.executable, "-c", code, str(example / "responses_wjx.xlsx")],
                              check=True, capture_output=True, text=True)
        xlsx_s = float(done.stdout.strip())
        bad = _invalid_copy(example / "responses_wjx.xlsx", tmp / "invalid.xlsx")
        stop_s, stopped = _timed([*SURVEYKIT, "report", str(bad), "-q", str(example / "customer_value.yaml"),
                                  "-o", str(tmp / "invalid"), "--no-progress"], check=False)
    assert stopped.returncode == 1 and "invalid data" in stopped.stderr, stopped.stderr
    print(f"{'':44s}{'seconds':>9s}{'peak MB':>9s}{'target':>10s}")
    print(f"{'surveykit report (example study)':44s}{report_s:9.2f}{peak:9.0f}{'<= 15 s':>10s}")
    print(f"{'pandas.read_excel of its export (openpyxl)':44s}{xlsx_s:9.2f}{'':>9s}{'':>10s}")
    print(f"{'  ratio report / read_excel':44s}{report_s / xlsx_s:9.1f}")
    print(f"{'report on invalid data: exit 1 after':44s}{stop_s:9.2f}{'':>9s}{'<= 5 s':>10s}")


if __name__ == "__main__":
    main()
