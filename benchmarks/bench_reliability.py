"""Time and peak memory of the bootstrap of reliability: vectorised against a naive loop.

Run: .venv/bin/python benchmarks/bench_reliability.py [--resamples 2000] [--naive-resamples 200]

Data: 200,000 respondents x 10 five-point items of one factor. Each variant runs in its
own subprocess, so its peak memory (max RSS) is its own; "MB above data" subtracts the RSS
the process had once the data were built (Python, numpy, pandas, surveykit and the data).

* vectorised: ``reliability(data, bootstrap=B, ci_method=...)``, which does more than the
  loop: replicates of alpha *and* of omega total (a minres refit per resample); BCa adds
  the jackknife (200,000 leave-one-out alphas and omega refits).
* naive loop: ``for b in range(B): idx = rng.integers(0, n, n); alpha(x[idx])``, alpha
  from ``np.cov``; alpha only. It is timed on ``--naive-resamples`` resamples and scaled
  linearly to B (every iteration does the same work).

The two draw the same rows from the same seed, so the script also checks that they give
the same alpha replicates on the resamples both computed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

N_ROWS, N_ITEMS, SEED = 200_000, 10, 20240601


def make_data():
    import pandas as pd

    rng = np.random.default_rng(0)
    f = rng.normal(size=(N_ROWS, 1))
    x = np.clip(np.round(3 + 0.8 * f + rng.normal(size=(N_ROWS, N_ITEMS))), 1, 5)
    return pd.DataFrame(x, columns=[f"q{j + 1}" for j in range(N_ITEMS)])


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker(kind: str, resamples: int, out: str) -> None:
    import surveykit as sk

    data = make_data()
    base = rss_mb()
    t0 = time.perf_counter()
    if kind == "naive":
        x = data.to_numpy()
        rng = np.random.default_rng(SEED)
        n = len(x)

        def alpha(a):
            c = np.cov(a, rowvar=False)
            k = c.shape[0]
            return k / (k - 1) * (1 - np.trace(c) / c.sum())

        reps = np.empty(resamples)
        for b in range(resamples):
            idx = rng.integers(0, n, n)
            reps[b] = alpha(x[idx])
        np.quantile(reps, [0.025, 0.975])
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sk.reliability(data, bootstrap=resamples, ci_method=kind, seed=SEED, progress=False)
        reps = res.bootstrap_distribution["alpha"].to_numpy()
    secs = time.perf_counter() - t0
    np.save(out, reps)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"secs": secs, "peak": peak, "base": base}))


def run(kind: str, resamples: int, tmp: str) -> dict:
    out = os.path.join(tmp, f"{kind}.npy")
    done = subprocess.run([sys.executable, __file__, "--worker", kind, "--resamples", str(resamples), "--out", out],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["reps"] = np.load(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--naive-resamples", type=int, default=200)
    parser.add_argument("--worker", choices=["percentile", "bca", "naive"])
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.resamples, args.out)
        return
    b, nb = args.resamples, args.naive_resamples
    with tempfile.TemporaryDirectory() as tmp:
        pct = run("percentile", b, tmp)
        bca = run("bca", b, tmp)
        naive = run("naive", nb, tmp)
    naive_secs = naive["secs"] * b / nb
    shared = min(nb, b)
    diff = np.abs(pct["reps"][:shared] - naive["reps"][:shared]).max()
    print(f"{N_ROWS:,} rows x {N_ITEMS} items, {b:,} resamples; {os.cpu_count()} CPUs")
    print(f"{'':58s}{'seconds':>10s}{'peak MB':>10s}{'MB above data':>15s}")
    rows = [("vectorised, percentile (alpha + omega_total)", pct["secs"], pct),
            (f"vectorised, BCa (+ jackknife of {N_ROWS:,} rows)", bca["secs"], bca),
            (f"naive loop, alpha only ({nb} resamples, x {b / nb:g})", naive_secs, naive)]
    for label, secs, r in rows:
        print(f"{label:58s}{secs:10.2f}{r['peak']:10.0f}{r['peak'] - r['base']:15.0f}")
    print(f"speed-up of the vectorised percentile bootstrap over the naive loop: {naive_secs / pct['secs']:.1f}x "
          f"(BCa: {naive_secs / bca['secs']:.1f}x)")
    print(f"naive loop measured: {naive['secs']:.2f} s for {nb} resamples, scaled linearly to {b:,}")
    print(f"largest difference of the alpha replicates on the {shared} resamples both drew: {diff:.1e}")


if __name__ == "__main__":
    main()
