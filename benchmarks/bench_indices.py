"""All indices with bootstrap intervals on 1,000,000 respondents, against a naive loop, and the read time.

Run: .venv/bin/python benchmarks/bench_indices.py [--rows N] [--resamples B] [--naive-resamples K]

Reads the 1,000,000-row export of bench_read_responses.py (written once to benchmarks/_data/),
then times ``data.indices(bootstrap=B)`` (every index of the customer_value questionnaire,
overall, BCa intervals) unweighted, with survey weights that take few distinct values (as
raking or post-stratification gives) and with continuous weights. The naive loop draws
``rng.integers(0, n, n)`` per resample and recomputes each index with the package's own
functions on the resampled rows; it runs K resamples and is extrapolated to B (its time
per resample is flat). A leaner naive loop (numpy only: the per-respondent index scores
resampled and averaged) is timed too. The machines are shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import warnings

import numpy as np

from bench_read_responses import make_export


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--resamples", type=int, default=2000)
    ap.add_argument("--naive-resamples", type=int, default=10)
    args = ap.parse_args()
    import surveykit as sk
    from surveykit.questionnaire.model import ColumnRef

    warnings.simplefilter("ignore")
    path = make_export(args.rows, False)
    t0 = time.perf_counter()
    data = sk.read_responses(path, sk.load_questionnaire("customer_value"))
    read = time.perf_counter() - t0
    n, B, K = data.n_respondents, args.resamples, args.naive_resamples
    print(f"read_responses: {n:,} respondents in {read:.1f} s")

    rng = np.random.default_rng(2)
    q = data.questionnaire.model_copy(update={"weight": ColumnRef(column="w")})
    cells = rng.choice([0.6, 0.8, 1.0, 1.3, 1.7, 2.2], n) * rng.choice([0.7, 1.0, 1.4], n)  # 18 raking cells
    variants = {"unweighted": data,
                "weights, 18 distinct values": dataclasses.replace(data, questionnaire=q,
                                                                   meta=data.meta.assign(weight=cells)),
                "continuous weights": dataclasses.replace(data, questionnaire=q,
                                                          meta=data.meta.assign(weight=rng.lognormal(0, 0.4, n)))}
    print(f"\n{'':30s}{'point only':>12s}{'bootstrap B=' + str(B):>18s}{'naive loop (est.)':>20s}"
          f"{'lean naive (est.)':>20s}{'ratio':>8s}{'ratio lean':>12s}")
    for name, d in variants.items():
        t0 = time.perf_counter()
        point = d.indices(segments=[])
        t_point = time.perf_counter() - t0
        t0 = time.perf_counter()
        d.indices(segments=[], bootstrap=B, seed=1)
        t_boot = time.perf_counter() - t0
        # naive: the package's functions on K resampled data sets
        scored = d.scored_items()
        w = None if d.questionnaire.weight is None else d.meta["weight"].to_numpy()
        sat = list(d.questionnaire.items_of("satisfaction"))
        t0 = time.perf_counter()
        for _ in range(K):
            idx = rng.integers(0, n, n)
            rows = scored.iloc[idx]
            ww = None if w is None else w[idx]
            sk.satisfaction_index(rows[sat], scale_min=1, scale_max=5, weights=ww)
            for item in sat:
                sk.top_box(rows[item], scale_min=1, scale_max=5, weights=ww)
            sk.loyalty_index(rows[["loy_repurchase", "loy_price", "loy_recommend"]],
                             scale_min={"loy_repurchase": 1, "loy_price": 1, "loy_recommend": 0},
                             scale_max={"loy_repurchase": 5, "loy_price": 5, "loy_recommend": 10}, weights=ww)
            sk.nps(rows["loy_recommend"], weights=ww)
            sk.composite_index(rows[list(d.questionnaire.items_of("perceived_value"))], scale_min=1, scale_max=5,
                               weights=ww)
        t_naive = (time.perf_counter() - t0) / K * B
        # lean naive: per-respondent scores of every index, resampled with numpy only
        scores = [r.scores.to_numpy() if hasattr(r, "scores") and not hasattr(r.scores, "columns")
                  else None for r in point.results.values()]
        cols = [s for s in scores if s is not None]
        cols += [np.where(np.isnan(v := scored[i].to_numpy()), np.nan, (v >= 4) * 1.0) for i in sat]
        r = scored["loy_recommend"].to_numpy()
        cols.append(np.select([r >= 9, r <= 6, np.isnan(r)], [100.0, -100.0, np.nan], 0.0))
        vr = point.results["delivered_value"].scores
        cols += [vr["difference"].to_numpy()]
        wv = np.ones(n) if w is None else w
        t0 = time.perf_counter()
        for _ in range(K):
            idx = rng.integers(0, n, n)
            wi = wv[idx]
            for c in cols:
                ci = c[idx]
                ok = ~np.isnan(ci)
                (wi[ok] * ci[ok]).sum() / wi[ok].sum()
            (wi * vr["benefits"].to_numpy()[idx]).sum() / (wi * vr["sacrifices"].to_numpy()[idx]).sum()
        t_lean = (time.perf_counter() - t0) / K * B
        print(f"{name:30s}{t_point:12.2f}{t_boot:18.1f}{t_naive:20.0f}{t_lean:20.0f}{t_naive / t_boot:8.0f}x"
              f"{t_lean / t_boot:11.1f}x")
    print(f"\n(seconds; naive loops timed on {K} resamples and scaled to {B}; {len(point.overall)} indices; "
          f"reading the export took {read:.1f} s)")


if __name__ == "__main__":
    main()
