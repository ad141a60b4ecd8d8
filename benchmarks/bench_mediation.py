"""Mediation with 5,000 bootstrap resamples on 100,000 respondents, against a loop of OLS refits.

Run: .venv/bin/python benchmarks/bench_mediation.py [--rows N] [--resamples B] [--loop-resamples K] [--kind K]

Times ``surveykit.mediation`` (parallel mediation with two mediators and one covariate by
default: three equations refitted per resample) with B percentile resamples. The loop draws
the SAME resamples (``rng.integers(0, n, (B, n), dtype=np.uint32)`` from the same seed) and refits each
equation with ``numpy.linalg.lstsq`` on the resampled rows, then takes the products of the
paths; it runs the first K resamples and is extrapolated to B (its time per resample is
flat), after checking that its replicates equal the package's. The machines are shared and
noisy: read the ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(4, 1, n)
    cov = rng.normal(size=n)
    m1 = 0.5 * x + 0.1 * cov + rng.normal(size=n)
    m2 = 0.3 * x + 0.3 * m1 + rng.normal(size=n)
    y = 0.1 * x + 0.3 * m1 + 0.2 * m2 + 0.05 * cov + rng.normal(size=n)
    return pd.DataFrame({"x": x, "m1": m1, "m2": m2, "y": y, "cov": cov})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--resamples", type=int, default=5000)
    ap.add_argument("--loop-resamples", type=int, default=100)
    ap.add_argument("--kind", default="parallel", choices=["parallel", "serial"])
    args = ap.parse_args()
    import surveykit as sk
    from surveykit.structural.mediation import _Model

    n, B, K = args.rows, args.resamples, args.loop_resamples
    data = make_data(n)
    t0 = time.perf_counter()
    r = sk.mediation(data, "x", ["m1", "m2"], "y", covariates=["cov"], kind=args.kind, bootstrap=B, seed=1)
    fast = time.perf_counter() - t0
    print(f"surveykit.mediation ({args.kind}, 2 mediators, 1 covariate): {n:,} respondents, {B:,} resamples: "
          f"{fast:.2f} s")

    model = _Model(2, args.kind == "serial", 1)
    design = np.column_stack([np.ones(n), data[["x", "m1", "m2", "y", "cov"]].to_numpy()])
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    reps = []
    for _ in range(K):
        d = design[rng.integers(0, n, n, dtype=np.uint32)]
        coefs = [np.linalg.lstsq(d[:, p], d[:, q], rcond=None)[0][None, :] for p, q in model.bootstrap_equations()]
        reps.append(model.indirect(coefs)[0])
    loop = (time.perf_counter() - t0) / K * B
    diff = np.abs(np.array(reps) - r.bootstrap_distribution.to_numpy()[:K]).max()
    print(f"loop of lstsq refits on the same resamples: {K} resamples timed, {loop:.1f} s extrapolated to {B:,} "
          f"(max difference of the replicates: {diff:.1e})")
    print(f"ratio: {loop / fast:.1f}x")


if __name__ == "__main__":
    main()
