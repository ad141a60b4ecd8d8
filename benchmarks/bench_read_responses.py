"""Time and peak memory of read_responses on a 1,000,000-row export, next to pandas.read_csv.

Run: .venv/bin/python benchmarks/bench_read_responses.py [--rows N] [--labels]

Writes the export once to benchmarks/_data/ (git-ignored), then runs each reader in its own
subprocess, so that peak memory (ru_maxrss) belongs to that reader alone, and prints the
ratios, with the imports (``import pandas``; ``import surveykit``) and without. ``--labels`` writes answers as option text (问卷星 style) instead of codes.
The machines are shared and noisy: read ratios, not absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
DATA = HERE / "_data"

CHILD = r"""
import json, resource, sys, time, warnings
t0 = time.perf_counter()
kind, path = sys.argv[1], sys.argv[2]
if kind == "pandas":
    import pandas as pd
    t1 = time.perf_counter()
    frame = pd.read_csv(path)
    n = len(frame)
else:
    import surveykit as sk
    t1 = time.perf_counter()
    warnings.simplefilter("ignore")
    data = sk.read_responses(path, sk.load_questionnaire("customer_value"))
    n = data.n_respondents
    report = data.validate()
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t0, "import": t1 - t0, "work": t2 - t1,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": n}))
"""


def make_export(n: int, labels: bool) -> Path:
    import surveykit as sk

    DATA.mkdir(exist_ok=True)
    path = DATA / f"responses_{n}{'_labels' if labels else ''}.csv"
    if path.exists():
        return path
    q = sk.load_questionnaire("customer_value")
    rng = np.random.default_rng(1)
    cols: dict[str, object] = {"resp_id": np.arange(1, n + 1), "duration_sec": rng.integers(60, 900, n)}
    for it in q.items:
        scale = q.scales[it.scale]
        if scale.type == "open_text":
            pool = np.array(["物流很快，包装完好", "价格有点贵", "客服态度不好", "无", "", "性价比高👍", "质量不太好，没有问题"])
            values = pool[rng.integers(0, len(pool), n)]
            if it.id == "customer_id":
                values = np.char.add("C", np.char.zfill(rng.integers(0, 10**6, n).astype(str), 7))
            cols[it.source_column] = values
        elif scale.type == "multiple_choice":
            cols[it.source_column] = np.array(["1", "1,3", "2", "2,4", ""])[rng.integers(0, 5, n)]
        else:
            codes = np.array(list(scale.labels) if scale.type == "single_choice" else range(int(scale.min), int(scale.max) + 1))
            v = codes[rng.integers(0, len(codes), n)].astype(float)
            v[rng.random(n) < 0.02] = np.nan
            if labels and scale.labels:
                text = {float(c): t.get("zh") for c, t in scale.labels.items()}
                cols[it.source_column] = pd.Series(v).map(text).fillna("(空)").to_numpy()
            else:
                v[rng.random(n) < 0.01] = 98
                cols[it.source_column] = v
    pd.DataFrame(cols).to_csv(path, index=False)
    return path


def run(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--labels", action="store_true", help="answers as option text instead of codes")
    args = ap.parse_args()
    t0 = time.perf_counter()
    path = make_export(args.rows, args.labels)
    print(f"export: {path.name} ({path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows; prepared in {time.perf_counter() - t0:.1f} s)")
    base = run("pandas", path)
    ours = run("surveykit", path)
    print(f"{'':28s}{'seconds':>10s}{'peak MB':>10s}{'import s':>10s}{'call s':>10s}")
    for name, r in [("pandas.read_csv", base), ("read_responses + validate", ours)]:
        print(f"{name:28s}{r['seconds']:10.2f}{r['peak_mb']:10.0f}{r['import']:10.2f}{r['work']:10.2f}")
    print(f"{'ratio':28s}{ours['seconds'] / base['seconds']:10.2f}{ours['peak_mb'] / base['peak_mb']:10.2f}"
          f"{'':10s}{ours['work'] / base['work']:10.2f}")
    print("(seconds: a fresh process, imports included; call s: the read alone, after the import)")


if __name__ == "__main__":
    main()
