"""``sem`` of the seed's full structural model on 200,000 respondents, against computing its covariance matrix.

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_sem.py [--rows N] [--repeats R] [--estimator MLR]

The seed's model: benefit sub-dimensions (quality, service) under a second-order ``benefits``,
sacrifice sub-dimensions (price, effort) under a second-order ``sacrifices``, both -> perceived
``value`` -> ``satisfaction`` -> ``loyalty``, three 1-7 Likert items per first-order factor (21
items), with the indirect effects of benefits and sacrifices on loyalty as ``:=``. The data are a
synthetic frame of that structure. Timed side by side (best of R runs): the sample covariance
matrix of the 21 items (``DataFrame.cov``), and ``surveykit.sem`` (which reads the rows, computes
the moments and fits by Fisher scoring, with standard errors, fit measures, modification indices).
Target: fitting adds < 2 s to the covariance matrix. The machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

MODEL = """
  quality =~ q1 + q2 + q3
  service =~ s1 + s2 + s3
  price =~ p1 + p2 + p3
  effort =~ e1 + e2 + e3
  benefits =~ quality + service
  sacrifices =~ price + effort
  value =~ v1 + v2 + v3
  satisfaction =~ sat1 + sat2 + sat3
  loyalty =~ l1 + l2 + l3
  value ~ bv*benefits + sv*sacrifices
  satisfaction ~ vs*value
  loyalty ~ sl*satisfaction
  benefits_loyalty := bv*vs*sl
  sacrifices_loyalty := sv*vs*sl
"""


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    exo = rng.multivariate_normal([0, 0], [[1, -0.3], [-0.3, 1]], size=n)
    benefits, sacrifices = exo[:, 0], exo[:, 1]
    firsts = {"q": 0.8 * benefits + 0.6 * rng.normal(size=n), "s": 0.7 * benefits + 0.71 * rng.normal(size=n),
              "p": 0.8 * sacrifices + 0.6 * rng.normal(size=n), "e": 0.6 * sacrifices + 0.8 * rng.normal(size=n)}
    value = 0.5 * benefits - 0.35 * sacrifices + 0.7 * rng.normal(size=n)
    satisfaction = 0.6 * value + 0.8 * rng.normal(size=n)
    loyalty = 0.65 * satisfaction + 0.76 * rng.normal(size=n)
    factors = {**firsts, "v": value, "sat": satisfaction, "l": loyalty}
    cols = {}
    for prefix, f in factors.items():
        f = f / f.std()
        for i, lam in enumerate((0.8, 0.75, 0.7)):
            cols[f"{prefix}{i + 1}"] = np.clip(np.round(4 + 1.2 * (lam * f + np.sqrt(1 - lam ** 2)
                                                                     * rng.normal(size=n))), 1, 7)
    return pd.DataFrame(cols)


def best(fn, repeats: int):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--estimator", default="ML", choices=["ML", "MLR"])
    args = ap.parse_args()
    import surveykit as sk

    data = make_data(args.rows)
    t_cov, _ = best(lambda: data.cov(), args.repeats)
    t_sem, fit = best(lambda: sk.sem(data, MODEL, estimator=args.estimator), args.repeats)
    print(f"rows: {args.rows:,}; items: {data.shape[1]}; free parameters: {fit.n_free}; "
          f"estimator: {args.estimator}; converged: {fit.converged}")
    print(f"{'covariance matrix (DataFrame.cov)':<40}{t_cov:>10.3f} s")
    print(f"{'sem (moments, fit, se, fit measures)':<40}{t_sem:>10.3f} s")
    added = t_sem - t_cov
    print(f"{'fitting adds':<40}{added:>10.3f} s   (target < 2 s: {'met' if added < 2 else 'NOT met'})")
    print(fit.summary().lines[0])
    print(fit.defined[["lhs", "est", "se"]].to_string(index=False))


if __name__ == "__main__":
    main()
