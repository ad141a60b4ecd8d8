"""Time and peak memory of `surveykit report` on the bundled example study, and the time a run
on invalid data takes to stop.

Run: .venv/bin/python benchmarks/bench_report.py

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
"""

from __future__ import annotations

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


def main() -> None:
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
