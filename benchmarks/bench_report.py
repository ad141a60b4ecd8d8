"""Time and peak memory of `surveykit report` on the bundled example study.

Run: .venv/bin/python benchmarks/bench_report.py

The whole command runs in a subprocess (generation of the example's three exports and
transactions, reading the 问卷星 export, validation, descriptives, 14 figures as PNG + SVG,
the HTML), so the peak memory is the command's own. Beside it, the time of reading the same
export with pandas.read_excel, the floor for any tool that reads an .xlsx.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "surveykit", "report", "-o", str(out), "--no-progress"],
                       check=True, capture_output=True)
        secs = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        code = ("import time, pandas as pd, sys; t=time.perf_counter(); pd.read_excel(sys.argv[1]); "
                "print(time.perf_counter()-t)")
        done = subprocess.run([sys.executable, "-c", code, str(out / "example_data" / "responses_wjx.xlsx")],
                              check=True, capture_output=True, text=True)
        xlsx = float(done.stdout.strip())
    print(f"{'':36s}{'seconds':>10s}{'peak MB':>10s}")
    print(f"{'surveykit report (example study)':36s}{secs:10.2f}{peak:10.0f}")
    print(f"{'pandas.read_excel of its export':36s}{xlsx:10.2f}{'':>10s}")


if __name__ == "__main__":
    main()
