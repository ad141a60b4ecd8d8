"""Time and peak memory of parallel analysis and EFA on large surveys, next to the naive ways.

Run: .venv/bin/python benchmarks/bench_psychometrics.py [--iterations 1000] [--naive-iterations 40]

1. Parallel analysis, 1,000 iterations, 25 items, on 2,800 and on 200,000 respondents:
   surveykit.parallel_analysis against a naive loop that, for every iteration, simulates normal
   data of the same shape, correlates it (np.corrcoef), takes its eigenvalues (np.linalg.eigvalsh)
   and fits one factor by minres (fit_factors, as psych's fa.parallel calls fa()) for the factor
   eigenvalues. The naive loop runs fewer iterations and is scaled linearly to 1,000 (the output
   says how many). It runs twice: with the BLAS's default threads and with one thread (on this
   kind of machine OpenBLAS threads slow the loop's many small calls down several-fold); the
   ratio uses the faster of the two, the fairer baseline.
2. EFA of 200,000 x 48 items (4 factors in the data), 3 to 6 factors, oblimin: surveykit.efa
   against the time of the correlation matrix it needs, with a breakdown of where the rest goes.

Each case runs in its own subprocess so that its peak memory (ru_maxrss) is its own; "added"
is the peak minus the memory held once the data are made. Data are synthetic (seeded) Likert
answers. The machines are shared and noisy: read ratios, not absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time, warnings
import numpy as np, pandas as pd

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

def likert(n, p, k, seed):
    rng = np.random.default_rng(seed)
    load = np.zeros((p, k))
    load[np.arange(p), np.arange(p) % k] = rng.uniform(0.45, 0.8, p)
    x = rng.standard_normal((n, k)) @ load.T + rng.standard_normal((n, p)) * np.sqrt(1 - (load ** 2).sum(axis=1))
    return pd.DataFrame(np.clip(np.round(3 + 1.1 * x), 1, 5), columns=[f"q{j + 1}" for j in range(p)])

case = json.loads(sys.argv[1])
out = {}
if case["kind"] == "naive":
    from surveykit.psychometrics.efa import fit_factors
    n, p, k = case["n"], case["p"], case["iterations"]
    rng = np.random.default_rng(1)
    base = rss_mb()
    t0 = time.perf_counter()
    for _ in range(k):
        r = np.corrcoef(rng.standard_normal((n, p)), rowvar=False)
        pc = np.linalg.eigvalsh(r)
        h = (fit_factors(r, 1, "minres", None)["unrotated"] ** 2).ravel()
        np.fill_diagonal(r, h)
        fa = np.linalg.eigvalsh(r)
    out["seconds"] = time.perf_counter() - t0
elif case["kind"] == "parallel":
    import surveykit as sk
    from surveykit.psychometrics.parallel import simulate_eigenvalues
    x = likert(case["n"], case["p"], 3, 2)
    base = rss_mb()
    t0 = time.perf_counter()
    res = sk.parallel_analysis(x, n_iter=case["iterations"], seed=1)
    out["seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    simulate_eigenvalues(case["n"], case["p"], n_iter=case["iterations"], seed=1)
    out["simulation"] = time.perf_counter() - t0
    out["n_factors"] = res.n_factors
elif case["kind"] == "efa":
    import surveykit as sk
    from surveykit._checks import item_frame
    from surveykit.psychometrics._common import check_correlation, correlation
    from surveykit.psychometrics.efa import fit_factors
    x = likert(case["n"], case["p"], 4, 3)
    base = rss_mb()
    def timed(fn):
        t0 = time.perf_counter()
        value = fn()
        return time.perf_counter() - t0, value
    out["corr_numpy"], _ = timed(lambda: np.corrcoef(x.to_numpy(), rowvar=False))
    out["corr_pandas"], _ = timed(lambda: correlation(x))
    out["item_frame"], (xx, _) = timed(lambda: item_frame(x, function="efa", min_items=3))
    r = correlation(xx)
    out["check"], _ = timed(lambda: check_correlation(r, list(x.columns), n_obs=len(xx), function="efa"))
    out["moments"], _ = timed(lambda: (xx.mean(), xx.std()))
    out["pair_counts"], _ = timed(lambda: (lambda a: a.T @ a)(xx.notna().astype(float).to_numpy()))
    for nf in case["factors"]:
        out[f"fit_{nf}"], _ = timed(lambda: fit_factors(r, nf, "minres", "oblimin"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[f"efa_{nf}"], _ = timed(lambda: sk.efa(x, nf, rotation="oblimin"))
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["added_mb"] = out["peak_mb"] - base
print(json.dumps(out))
"""

ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run(case: dict, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(case)], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})})
    return json.loads(done.stdout.strip().splitlines()[-1])


def parallel_table(iterations: int, naive_iterations: int) -> None:
    p = 25
    print(f"Parallel analysis, {iterations:,} iterations, {p} items (seconds; peak / added MB)")
    print(f"{'respondents':>12s}{'surveykit':>11s}{'(simul.)':>10s}{'naive*':>10s}{'naive 1-thr*':>14s}"
          f"{'ratio':>8s}{'peak MB':>10s}{'added':>8s}{'naive peak':>12s}")
    for n in (2_800, 200_000):
        k = naive_iterations if n < 10_000 else max(3, naive_iterations // 8)
        ours = run({"kind": "parallel", "n": n, "p": p, "iterations": iterations})
        naive = run({"kind": "naive", "n": n, "p": p, "iterations": k})
        naive1 = run({"kind": "naive", "n": n, "p": p, "iterations": k}, ONE_THREAD)
        scale = iterations / k
        best = min(naive["seconds"], naive1["seconds"]) * scale
        print(f"{n:12,d}{ours['seconds']:11.2f}{ours['simulation']:10.2f}{naive['seconds'] * scale:10.1f}"
              f"{naive1['seconds'] * scale:14.1f}{best / ours['seconds']:7.0f}x{ours['peak_mb']:10.0f}"
              f"{ours['added_mb']:8.0f}{naive1['peak_mb']:12.0f}   (naive timed on {k} iterations)")
    print("* naive: per iteration np.random normal data -> np.corrcoef -> eigvalsh, fit_factors(r, 1, 'minres') ->"
          " eigvalsh; timed on the iterations shown and scaled linearly to", f"{iterations:,};",
          "'1-thr': BLAS limited to one thread. ratio = faster naive / surveykit (whole parallel_analysis call;"
          " '(simul.)' is its simulation alone, simulate_eigenvalues).")


def efa_table(factors: list[int]) -> None:
    n, p = 200_000, 48
    res = run({"kind": "efa", "n": n, "p": p, "factors": factors})
    print(f"\nEFA, {n:,} x {p} items, minres + oblimin (seconds)")
    print(f"{'correlation, np.corrcoef (BLAS floor)':44s}{res['corr_numpy']:8.2f}")
    print(f"{'correlation as efa computes it (pandas)':44s}{res['corr_pandas']:8.2f}")
    for nf in factors:
        total = res[f"efa_{nf}"]
        print(f"{f'efa, {nf} factors':44s}{total:8.2f}   beyond the pandas correlation {total - res['corr_pandas']:5.2f},"
              f" beyond np.corrcoef {total - res['corr_numpy']:5.2f}")
    print("where efa's time goes (one call; the correlation above):")
    print(f"{'  item checks (item_frame: to_numeric, dropna, nunique)':60s}{res['item_frame']:8.2f}")
    print(f"{'  check_correlation (eigenvalues, condition)':60s}{res['check']:8.3f}")
    fits = ", ".join(f"{nf}: {res[f'fit_{nf}']:.2f}" for nf in factors)
    print(f"{'  fit_factors (minres L-BFGS-B + oblimin), by k':60s}{fits}")
    print(f"{'  means and SDs for scoring':60s}{res['moments']:8.2f}")
    print(f"{'  pairwise counts for the rms (notna, n x p matmul)':60s}{res['pair_counts']:8.2f}")
    print(f"peak memory {res['peak_mb']:.0f} MB, added {res['added_mb']:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--naive-iterations", type=int, default=40, help="iterations of the naive loop at n = 2,800 "
                    "(an eighth of them at n = 200,000), scaled linearly")
    ap.add_argument("--skip-efa", action="store_true")
    args = ap.parse_args()
    parallel_table(args.iterations, args.naive_iterations)
    if not args.skip_efa:
        efa_table([3, 4, 5, 6])


if __name__ == "__main__":
    main()
